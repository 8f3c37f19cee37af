#!/usr/bin/env bash
# Throughput of `ftgate stats agreement` on long-format labels (SPEC 6: goals
# >= 400 MB/s grouped by unit, >= 100 MB/s shuffled), end to end: parse,
# intern, compute alpha. For each file it prints MB/s, ns/row, peak RSS and
# the ratio of ftgate's time to `wc -l` on the same file (best of RUNS).
#
#   scripts/bench-agreement.sh [ROWS...]     (default: 1000000 10000000)
#
# Run it on an otherwise idle machine: figures taken under load say nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ftgate" ./cmd/ftgate

# best prints the fewest seconds of running "$@" $runs times, and leaves in
# $work/rss the largest peak resident set in KB (GNU time's %M).
best() {
  local b="" t m rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
    read -r t m <"$work/time"
    [ "$m" -gt "$rss" ] && rss=$m
    if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN{exit !(t<b)}'; then b=$t; fi
  done
  echo "$rss" >"$work/rss"
  echo "$b"
}

printf '%-10s %-9s %10s %10s %10s %10s %12s %8s\n' rows order MB sec MB/s ns/row peak-RSS-MB "x wc -l"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
for rows in "${sizes[@]}"; do
  for order in grouped shuffled; do
    f="$work/labels-$rows-$order.csv"
    {
      echo unit,annotator,label
      if [ "$order" = grouped ]; then
        awk -v n="$rows" 'BEGIN{for(i=0;i<n;i++){u=int(i/5);a=i%5;printf "unit-%d,annotator-%d,%d\n",u,a,1+(u*7+a*(i%3))%5}}'
      else
        awk -v n="$rows" 'BEGIN{for(i=0;i<n;i++){u=int(i/5);a=i%5;printf "unit-%d,annotator-%d,%d\n",u,a,1+(u*7+a*(i%3))%5}}' |
          shuf --random-source=<(yes)
      fi
    } >"$f"
    bytes=$(stat -c %s "$f")
    wc_s=$(best wc -l "$f")
    ft_s=$(best "$work/ftgate" stats agreement "$f" --format json)
    RSS_KB=$(cat "$work/rss")
    awk -v r="$rows" -v o="$order" -v b="$bytes" -v t="$ft_s" -v w="$wc_s" -v m="$RSS_KB" 'BEGIN{
      t = (t > 0 ? t : 0.005); w = (w > 0 ? w : 0.005)
      printf "%-10d %-9s %10.1f %10.3f %10.1f %10.1f %12.1f %8.1f\n", r, o, b/1e6, t, b/1e6/t, t*1e9/r, m/1024, t/w}'
    rm -f "$f"
  done
done
echo "(wall-clock seconds from /usr/bin/time have 10 ms resolution; prefer the 10M rows)"
