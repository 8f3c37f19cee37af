#!/usr/bin/env bash
# What the composite Action spends getting ftgate, against what the Docker
# Action spent building it:
#
#   1. the install path: scripts/install.sh downloading the linux archive and
#      checksums.txt from a server on 127.0.0.1, verifying and extracting it
#      into a fresh directory (RUNS runs, median wall time);
#   2. a cold build: `go build` of ./cmd/ftgate with the Dockerfile's flags and
#      an empty build cache (GOCACHE in a fresh directory; the module cache is
#      kept, so module downloads are not counted), COLD runs, wall and CPU
#      time each.
#
#   bash bench/install.sh            # RUNS=10 COLD=1
#
# The archive is built by scripts/release.sh for this machine's platform. A
# download from GitHub's release CDN adds the network to (1); the Docker
# Action also pulled golang:alpine and ran apk add before (2).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
COLD=${COLD:-1}
version=v0.0.0-bench.1
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

FTGATE_TARGETS="$(go env GOOS)/$(go env GOARCH)" bash scripts/release.sh "$version" "$work/srv/$version" >&2
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/srv" >"$work/http.log" 2>&1 &
server=$!
port=
for _ in $(seq 50); do
  port=$(grep -o 'port [0-9]*' "$work/http.log" | cut -d' ' -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/http.log" >&2; exit 1; }

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }

times=()
for i in $(seq "$RUNS"); do
  start=$(now)
  bash scripts/install.sh --version "$version" --dir "$work/install-$i" \
    --base-url "http://127.0.0.1:$port" >/dev/null 2>&1
  times+=("$(echo "$(now) - $start" | bc)")
done
install_ms=$(printf '%s\n' "${times[@]}" | median | awk '{ printf "%.0f", $1 * 1000 }')
echo "install (download + verify + extract, 127.0.0.1): median ${install_ms} ms over $RUNS runs"

for i in $(seq "$COLD"); do
  cache=$(mktemp -d)
  TIMEFORMAT='%R %U %S'
  t=$( { time CGO_ENABLED=0 GOCACHE="$cache" go build -trimpath -ldflags="-s -w" \
    -o "$work/cold/ftgate" ./cmd/ftgate >/dev/null 2>&1; } 2>&1)
  rm -rf "$cache"
  read -r real user sys <<<"$t"
  echo "cold go build (empty GOCACHE): ${real} s wall, $(echo "$user + $sys" | bc) CPU-s"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
