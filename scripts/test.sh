#!/usr/bin/env bash
# The project's test command: formatting, vet, every Go test, then the extra
# suites in scripts/ci.d/ (each installs what it needs first), in name order.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi
go vet ./...
go test ./...

for suite in scripts/ci.d/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $suite"
  bash "$suite"
done
