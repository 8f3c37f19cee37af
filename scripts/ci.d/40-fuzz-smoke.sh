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
  "./internal/cli FuzzEngine"
)
# -fuzzminimizetime 0: minimising each new interesting input can outlast a
# few seconds of fuzzing, and the engine then fails with "context deadline
# exceeded" although no input failed. That engine timeout, and only that, is
# retried once; a failing input always fails the run.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  for attempt in 1 2; do
    echo "fuzz $pkg $name ($FUZZTIME, attempt $attempt)"
    if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 0 >"$log" 2>&1; then
      tail -n 2 "$log"
      passed=$((passed + 1))
      break
    fi
    cat "$log"
    if [ "$attempt" = 2 ] || ! grep -q 'context deadline exceeded' "$log" || grep -q 'Failing input' "$log"; then
      echo "40-fuzz-smoke: $passed passed, 1 failed"
      exit 1
    fi
  done
done
echo "40-fuzz-smoke: $passed passed, 0 failed"
