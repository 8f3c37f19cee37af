#!/usr/bin/env bash
# Builds a git repository from testdata/example for `ftgate check --base`:
# main holds the contract-risk decision; the branch `pr` edits its config and
# adds the support-bot config, record and evidence. Prints the repository path.
#
#   dir=$(scripts/example-repo.sh) && go run ./cmd/ftgate check -C "$dir" --base main
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)/testdata/example"
dir="${1:-$(mktemp -d)}"
mkdir -p "$dir"
cp -R "$src/." "$dir/"
cd "$dir"

export GIT_AUTHOR_NAME=ftgate GIT_AUTHOR_EMAIL=ftgate@example.com
export GIT_COMMITTER_NAME=ftgate GIT_COMMITTER_EMAIL=ftgate@example.com
git init -q -b main
git add -A
git reset -q -- training/support-bot decisions/ftd-0008-support-bot.yaml evidence/support-bot data/support-bot
git commit -q -m "contract-risk: decision, evidence and config"
git checkout -q -b pr
sed -i.bak 's/^num_epochs: 3$/num_epochs: 4/' training/contract-risk/axolotl.yaml && rm training/contract-risk/axolotl.yaml.bak
git add -A
git commit -q -m "support-bot: fine-tune; contract-risk: one more epoch"
echo "$dir"
