#!/usr/bin/env bash
# Runs every parser's fuzz target for a few seconds (FUZZTIME, default 5s):
# the seed corpus runs in `go test ./...` already; this mutates it. One
# target per invocation, as `go test -fuzz` requires; listed explicitly so
# that a new target is a deliberate addition here.
set -euo pipefail
cd "$(dirname "$0")/../.."

FUZZTIME=${FUZZTIME:-5s}
targets=(
  "./internal/record FuzzParse"
  "./internal/evaluate FuzzLoad"
  "./internal/detect FuzzFile"
  "./internal/codeowners FuzzParse"
  "./internal/pathglob FuzzMatch"
  "./internal/evidence FuzzParseHistory"
  "./internal/evidence FuzzParseAnnotations"
  "./internal/evidence FuzzParseScenarios"
  "./internal/evidence FuzzCountExamples"
  "./internal/evidence FuzzOpen"
  "./internal/stats FuzzAgreement"
  "./internal/cli FuzzParseEvent"
  "./internal/report FuzzGitHubAnnotations"
)
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "fuzz $pkg $name ($FUZZTIME)"
  go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME"
done
