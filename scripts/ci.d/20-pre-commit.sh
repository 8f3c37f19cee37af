#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit
# client: Debian's package, then the Go test that builds the hook from a
# clone of this repository and commits through it.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v pre-commit >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends pre-commit
fi
pre-commit --version

# pre-commit builds ftgate with `go install` in its own environment; the test
# hands it this machine's module and build caches.
FTGATE_PRECOMMIT=1 go test -count=1 -timeout 20m -run '^TestPreCommitHook$' -v ./internal/cli
