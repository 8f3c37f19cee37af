#!/usr/bin/env bash
# Times `ftgate detect` over a generated tree of N files (default 100000:
# mostly source and docs, one in 50 a YAML or JSON file, a few hundred
# training configs), beside `git ls-files | wc -l` on the same tree, which
# is the floor for anything that has to look at every path.
#
#   scripts/bench-detect.sh [N]
set -euo pipefail
n=${1:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/ftgate" "$root/cmd/ftgate"
tree="$work/tree"
mkdir -p "$tree"
python3 - "$tree" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
cfg = "base_model: org/m\ndatasets:\n  - path: data/train.jsonl\nmicro_batch_size: 2\nnum_epochs: 1\n"
other = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
for i in range(n):
    d = os.path.join(root, f"pkg{i // 1000:03d}", f"mod{(i // 100) % 10}")
    os.makedirs(d, exist_ok=True)
    if i % 250 == 0:
        name, body = f"train{i}.yaml", cfg
    elif i % 50 == 0:
        name, body = f"conf{i}.yaml", other
    elif i % 10 == 0:
        name, body = f"README{i}.md", "# notes\n"
    else:
        name, body = f"f{i}.go", "package p\n\nfunc F() {}\n"
    with open(os.path.join(d, name), "w") as f:
        f.write(body)
PY
git -C "$tree" init -q
git -C "$tree" add -A
git -C "$tree" -c user.name=bench -c user.email=bench@example.com commit -qm tree

echo "files: $(git -C "$tree" ls-files | wc -l)"
TIMEFORMAT='%R s'
echo -n "git ls-files | wc -l: "
{ time git -C "$tree" ls-files | wc -l >/dev/null; } 2>&1
echo -n "ftgate detect: "
{ time "$work/ftgate" detect -C "$tree" >"$work/out.txt"; } 2>&1
tail -1 "$work/out.txt"
