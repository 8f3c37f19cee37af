#!/usr/bin/env bash
# Times `ftgate detect` over a tree beside `rg -j1 -l` of the detectors'
# signature words (bench/detect-words.txt) over the same tree: SPEC 6 bars
# detection at 10x that. Medians of R runs (default 5) of wall and CPU time.
#
#   scripts/bench-detect.sh [N]          a generated tree of N files (default 20000)
#   scripts/bench-detect.sh --tree DIR   a checkout of a real repository
#
# The generated tree mixes what a real repository holds: Python (some of it
# Lightning or transformers code that is not a fine-tune, some fine-tunes),
# notebooks, shell scripts, YAML and JSON (configs and look-alikes), docs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v rg >/dev/null || { echo "bench-detect: rg (ripgrep) is not installed" >&2; exit 2; }

go build -o "$work/ftgate" "$root/cmd/ftgate"
if [ "${1:-}" = "--tree" ]; then
	tree=$(cd "$2" && pwd)
else
	n=${1:-20000}
	tree="$work/tree"
	mkdir -p "$tree"
	python3 - "$tree" "$n" <<'PY'
import json, os, sys
root, n = sys.argv[1], int(sys.argv[2])
axolotl = "base_model: org/m\ndatasets:\n  - path: data/train.jsonl\n    type: chat_template\nmicro_batch_size: 2\nnum_epochs: 1\n"
workflow = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
hydra = "trainer:\n  devices: 1\n  max_epochs: 10\nmodel:\n  encoder:\n    d_model: 256\n" * 20
lightning = "import pytorch_lightning as pl\n\ndef main(cfg):\n    trainer = pl.Trainer(**cfg.trainer)\n    model = Net(cfg.model, trainer=trainer)\n    trainer.fit(model)\n" + "# " + "x" * 70 + "\n" * 200
lib = "import torch\n\n" + "def f%d(x):\n    return torch.relu(x) * 2\n\n" * 200
sft = "from trl import SFTTrainer\nfrom transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained('org/m')\nSFTTrainer(model=m, train_dataset=ds).train()\n"
nb = json.dumps({"cells": [{"cell_type": "code", "source": ["import torch\n", "x = torch.ones(3)\n"], "outputs": [{"data": {"image/png": "A" * 20000}}]}], "nbformat": 4})
launcher = "#!/bin/sh\nset -e\npython -m tools.preprocess --input data/raw --output data/clean\n"
for i in range(n):
    d = os.path.join(root, f"pkg{i // 1000:03d}", f"mod{(i // 100) % 10}")
    os.makedirs(d, exist_ok=True)
    k = i % 100
    if k == 0:
        name, body = f"train{i}.yaml", axolotl
    elif k == 1:
        name, body = f"sft{i}.py", sft
    elif k < 6:
        name, body = f"conf{i}.yaml", hydra
    elif k < 8:
        name, body = f"ci{i}.yml", workflow
    elif k < 10:
        name, body = f"run{i}.sh", launcher
    elif k < 12:
        name, body = f"demo{i}.ipynb", nb
    elif k < 30:
        name, body = f"fit{i}.py", lightning
    elif k < 70:
        name, body = f"lib{i}.py", lib
    else:
        name, body = f"README{i}.md", "# notes\n" * 50
    with open(os.path.join(d, name), "w") as f:
        f.write(body)
PY
fi

echo "tree: $tree ($(find "$tree" -type f -not -path '*/.git/*' | wc -l) files, $(du -sh --exclude=.git "$tree" | cut -f1))"
# median prints the median of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# measure CMD... runs CMD $runs times and prints "wall cpu" medians in seconds.
measure() {
	local walls=() cpus=()
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S' -o "$work/t" "$@" >/dev/null 2>&1 || true
		read -r w u s <"$work/t"
		walls+=("$w")
		cpus+=("$(echo "$u + $s" | bc)")
	done
	echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}
read -r rg_wall rg_cpu < <(measure rg -j1 -l -F -f "$root/bench/detect-words.txt" "$tree")
read -r ft_wall ft_cpu < <(measure "$work/ftgate" detect -C "$tree")
"$work/ftgate" detect -C "$tree" | tail -1
printf 'rg -j1 -l:      %6.3f s wall  %6.3f s cpu\n' "$rg_wall" "$rg_cpu"
printf 'ftgate detect:  %6.3f s wall  %6.3f s cpu\n' "$ft_wall" "$ft_cpu"
printf 'ratio:          %6.1fx wall  %6.1fx cpu  (bar: 10x)\n' \
	"$(echo "$ft_wall / $rg_wall" | bc -l)" "$(echo "$ft_cpu / $rg_cpu" | bc -l)"
