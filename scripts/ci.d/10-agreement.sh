#!/usr/bin/env bash
# Agreement statistics against independent implementations: scikit-learn,
# statsmodels and nltk from Debian (they import under /usr/bin/python3 only,
# not a python3 that a version manager puts first on PATH), plus the slow
# bootstrap coverage simulation.
set -euo pipefail
cd "$(dirname "$0")/../.."

modules='import sklearn, statsmodels, nltk'
if ! /usr/bin/python3 -c "$modules" 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "10-agreement: run as root to install python3-sklearn python3-statsmodels python3-nltk" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-sklearn python3-statsmodels python3-nltk >/dev/null
  /usr/bin/python3 -c "$modules"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
FTGATE_DIFFERENTIAL=1 FTGATE_SLOW=1 go test ./internal/stats -run 'Differential|Coverage' -count=1 -v 2>&1 | tee "$log" || status=$?
passed=$(grep -c '^--- PASS' "$log" || true)
failed=$(grep -c -- '--- FAIL' "$log" || true)
skipped=$(grep -c -- '--- SKIP' "$log" || true)
echo "10-agreement: $passed passed, $failed failed, $skipped skipped (differential vs sklearn/statsmodels/nltk, bootstrap coverage)"
exit "$status"
