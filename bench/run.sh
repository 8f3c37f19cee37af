#!/usr/bin/env bash
# Benchmarks ftgate against its peers (SPEC §6) and prints medians and ratios:
#
#   1. end to end: `ftgate check` on the example's passing config vs `cue vet`
#      of bench/peers/record.cue vs `conftest test` of bench/peers/policy.rego,
#      both over the record that judges it (RUNS runs each);
#   2. the no-op pre-commit path: `ftgate check --staged` vs `git diff --cached
#      --name-only -z` alone, in a generated repository of FILES files;
#   3. evidence throughput: `ftgate stats agreement` on generated long-format
#      labels (grouped by unit, then shuffled) vs `wc -l` on the same file.
#
# The peers are built from the Go module proxy into a temporary GOBIN: cue at
# the cuelang.org/go version in go.mod, conftest at CONFTEST_VERSION. All
# three are built with the same CGO_ENABLED and GOFLAGS, so the build the
# Action ships (static, stripped) is measured with
#
#   CGO_ENABLED=0 GOFLAGS="-trimpath '-ldflags=-s -w'" bash bench/run.sh
#
# Without them, where a C compiler is present, go build and go install link
# dynamically with cgo (so does a `go install` of ftgate), and every binary
# starts about a millisecond slower.
#
#   bash bench/run.sh              # RUNS=20 FILES=100000 LABEL_UNITS=1000000
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
FILES=${FILES:-100000}
LABEL_UNITS=${LABEL_UNITS:-1000000}
CONFTEST_VERSION=${CONFTEST_VERSION:-v0.71.1}
CUE_VERSION=$(go list -m -f '{{.Version}}' cuelang.org/go)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin"

echo "building ftgate, cue $CUE_VERSION and conftest $CONFTEST_VERSION into $bin" >&2
go build -o "$bin/ftgate" ./cmd/ftgate
peerflags="${GOFLAGS:+$GOFLAGS }-mod=mod"
GOBIN=$bin GOFLAGS=$peerflags go install "cuelang.org/go/cmd/cue@$CUE_VERSION"
GOBIN=$bin GOFLAGS=$peerflags go install "github.com/open-policy-agent/conftest@$CONFTEST_VERSION"

# median_ms RUNS CMD... runs CMD RUNS times (after one warm-up run) and
# prints the median wall time in milliseconds. Exit codes are ignored here;
# the sanity checks below fix what each command must return.
median_ms() {
  local runs=$1 i t0 t1
  shift
  "$@" >/dev/null 2>&1 || true
  local times=()
  for ((i = 0; i < runs; i++)); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

expect() { # expect CODE CMD...: the command must exit with CODE
  local want=$1 got=0
  shift
  "$@" >/dev/null 2>&1 || got=$?
  if [ "$got" != "$want" ]; then
    echo "bench: $* exited $got, want $want" >&2
    exit 1
  fi
}

example=testdata/example
record=$example/decisions/ftd-0007-contract-risk.yaml
failing=$example/decisions/ftd-0008-support-bot.yaml
config=training/contract-risk/axolotl.yaml

# Each peer passes the passing record and fails the failing one, so the
# timings compare work that reaches a verdict.
expect 0 "$bin/ftgate" check -C "$example" --today 2026-11-27 "$config"
expect 0 "$bin/cue" vet -c bench/peers/record.cue "$record"
expect 1 "$bin/cue" vet -c bench/peers/record.cue "$failing"
expect 0 "$bin/conftest" test --no-color --policy bench/peers "$record"
expect 1 "$bin/conftest" test --no-color --policy bench/peers "$failing"

printf '\n%-58s %10s %8s\n' "benchmark (median of $RUNS runs)" "ms" "ratio"
row() { printf '%-58s %10s %8s\n' "$1" "$2" "$3"; }

ft=$(median_ms "$RUNS" "$bin/ftgate" check -C "$example" --today 2026-11-27 "$config")
cv=$(median_ms "$RUNS" "$bin/cue" vet -c bench/peers/record.cue "$record")
ct=$(median_ms "$RUNS" "$bin/conftest" test --no-color --policy bench/peers "$record")
row "ftgate check (example's passing config)" "$ft" "1.00"
row "cue vet record.cue (goal: ftgate <= this)" "$cv" "$(ratio "$ft" "$cv")"
row "conftest test policy.rego (goal: ftgate <= 1/3)" "$ct" "$(ratio "$ft" "$ct")"

# The no-op path: a repository of $FILES committed files, one README edit
# staged (no candidate suffix, outside .ftgate/ and decisions/).
repo=$work/repo
mkdir -p "$repo"
echo "generating a $FILES-file repository" >&2
(
  cd "$repo"
  git init -q -b main
  awk -v n="$FILES" 'BEGIN {
    for (i = 0; i < n; i++) {
      d = sprintf("src/m%03d", i % 1000); if (!(d in made)) { system("mkdir -p " d); made[d] = 1 }
      f = sprintf("%s/f%06d.go", d, i); print "package m // " i > f; close(f)
    }
  }'
  echo "# bench" >README.md
  git add -A
  git -c user.name=bench -c user.email=bench@example.com commit -q -m base
  echo "edit" >>README.md
  git add README.md
)
expect 0 "$bin/ftgate" check --staged -C "$repo"
g=$(cd "$repo" && median_ms "$RUNS" git diff --cached --name-only -z)
n=$(cd "$repo" && median_ms "$RUNS" "$bin/ftgate" check --staged)
row "git diff --cached --name-only -z ($FILES files)" "$g" "1.00"
row "ftgate check --staged, no-op (goal: <= git + 8 ms)" "$n" "$(ratio "$n" "$g")"
row "  added by ftgate" "$(awk -v a="$n" -v b="$g" 'BEGIN { printf "%.3f", a - b }')" ""

# Evidence throughput: long-format labels, 3 annotators a unit, 5 labels.
labels=$work/labels.csv
echo "generating $LABEL_UNITS units of labels" >&2
awk -v n="$LABEL_UNITS" 'BEGIN {
  print "unit,annotator,label"
  split("ana ben chloe", who, " "); split("none low medium high critical", lab, " ")
  s = 7
  for (u = 0; u < n; u++) for (a = 1; a <= 3; a++) {
    s = (s * 1103515245 + 12345) % 2147483648
    l = (s % 10 < 7) ? (u % 5) + 1 : (s % 5) + 1
    printf "unit-%07d,%s,%s\n", u, who[a], lab[l]
  }
}' >"$labels"
shuffled=$work/labels-shuffled.csv
{ head -n 1 "$labels"; tail -n +2 "$labels" | shuf --random-source=<(yes); } >"$shuffled"
mb=$(awk -v b="$(wc -c <"$labels")" 'BEGIN { printf "%.1f", b / 1e6 }')
mbps() { awk -v mb="$mb" -v ms="$1" 'BEGIN { printf "%.0f MB/s", mb / ms * 1000 }'; }
expect 0 "$bin/ftgate" stats agreement "$labels"
erun=$RUNS
[ "$erun" -gt 10 ] && erun=10
wl=$(median_ms "$erun" wc -l "$labels")
sg=$(median_ms "$erun" "$bin/ftgate" stats agreement "$labels")
ss=$(median_ms "$erun" "$bin/ftgate" stats agreement "$shuffled")
row "wc -l labels.csv ($mb MB, median of $erun)" "$wl" "1.00"
row "ftgate stats agreement, grouped ($(mbps "$sg"); goal 400)" "$sg" "$(ratio "$sg" "$wl")"
row "ftgate stats agreement, shuffled ($(mbps "$ss"); goal 100)" "$ss" "$(ratio "$ss" "$wl")"
