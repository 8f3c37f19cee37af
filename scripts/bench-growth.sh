#!/usr/bin/env bash
# Growth of cost with input size (SPEC §6: every cost linear or n log n):
# for each pathological input, the time at sizes ten times apart and the
# ratio between them, which should stay at or below about 12. Go
# benchmarks give the in-process figures (median of COUNT runs); the end
# to end rows time `ftgate check --all` on the example with its labels file
# replaced by ordinal labels of distinct values (1 MB and 10 MB), which
# computes alpha and its 1000-resample bootstrap.
#
#   scripts/bench-growth.sh            (COUNT=5 by default)
#
# Run it on an otherwise idle machine: figures taken under load say little.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bench PKG PATTERN: the median ns/op of each sub-benchmark, as "name ns".
bench() {
  go test -run '^$' -bench "$2" -benchtime "${BENCHTIME:-1x}" -count "$count" "$1" |
    awk '/^Benchmark/ { sub(/-[0-9]+$/, "", $1); print $1, $3 }' |
    sort -k1,1 -s |
    awk '{ if ($1 != name && name != "") { flush() } name = $1; v[n++] = $2 }
         END { flush() }
         function flush(  i, j, t) {
           for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
           print name, v[int(n / 2)]; n = 0 }'
}

# ratios: successive sizes of one family (the name up to its last "/"),
# in the order the benchmark ran them, with the growth of time.
ratios() {
  awk '{ fam = $1; sub(/\/[^\/]*$/, "", fam); size = $1; sub(/.*\//, "", size)
         if (fam == pf) printf "%-58s %-26s %12.0f %12.0f  x%.1f\n", fam, ps " -> " size, pt, $2, $2 / pt
         pf = fam; ps = size; pt = $2 }'
}

printf '%-58s %-26s %12s %12s  %s\n' benchmark sizes ns-before ns-after growth
{
  BENCHTIME=200x bench ./internal/pathglob/ 'DeepPath|LongSegment'
  BENCHTIME=200x bench ./internal/codeowners/ 'DeepPath'
  BENCHTIME=3x bench ./internal/record/ 'LoadRecordSize'
  BENCHTIME=1x bench ./internal/stats/ 'DistinctValues'
} | ratios

# End to end: the example's contract-risk record judged against ordinal
# labels with distinct values.
go build -o "$work/ftgate" ./cmd/ftgate
for units in 30000 300000; do
  repo="$work/repo-$units"
  cp -r testdata/example "$repo"
  /usr/bin/python3 - "$units" "$repo/evidence/contract-risk/labels.csv" <<'PY'
import random, sys
units, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
with open(out, "w") as f:
    f.write("unit,annotator,label\n")
    for u in range(units):
        base = rng.randrange(1_000_000, 1_000_000_000)
        for a in ("ana", "bo", "cy"):
            f.write(f"u{u},{a},{base + rng.randrange(-1_000_000, 1_000_000)}\n")
PY
  sed -i 's/level: nominal/level: ordinal/; /labels.csv: "sha256/d; /^digests:/d' "$repo/decisions/ftd-0007-contract-risk.yaml"
  size=$(wc -c <"$repo/evidence/contract-risk/labels.csv")
  best=""
  for _ in $(seq "$count"); do
    start=$(date +%s%N)
    "$work/ftgate" check -C "$repo" --all --today 2026-11-27 >/dev/null || true
    t=$(( $(date +%s%N) - start ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "check-all/ordinal-distinct/bytes=$size $best"
done | ratios
