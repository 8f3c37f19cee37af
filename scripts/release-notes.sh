#!/usr/bin/env bash
# Print the CHANGELOG.md section of a version, the body of its GitHub
# release:
#
#   scripts/release-notes.sh v0.1.0
#
# Exit 1 when CHANGELOG.md has no "## v0.1.0" section or it is empty, so a
# tag cannot be released without notes.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/release-notes.sh VERSION" >&2; exit 2; }
changelog="$(dirname "$0")/../CHANGELOG.md"
notes=$(awk -v v="$1" '
  /^## / { on = ($2 == v); next }
  on { print }
' "$changelog" | sed -e '/./,$!d')
if [ -z "$(printf '%s' "$notes" | tr -d '[:space:]')" ]; then
  echo "release-notes.sh: CHANGELOG.md has no notes under \"## $1\"" >&2
  exit 1
fi
printf '%s\n' "$notes"
