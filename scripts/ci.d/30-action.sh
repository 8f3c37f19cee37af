#!/usr/bin/env bash
# The GitHub Action without a Docker engine: build the binary with the
# Dockerfile's flags and check that it is static (the final image has no Go
# toolchain and must not depend on its libc), check the Dockerfile still
# uses those flags, then lint the workflows with actionlint.
set -euo pipefail
cd "$(dirname "$0")/../.."

actionlint_version=v1.7.7

grep -q '^ENV CGO_ENABLED=0$' Dockerfile || { echo "30-action: Dockerfile no longer sets CGO_ENABLED=0" >&2; exit 1; }
# shellcheck disable=SC2016 # $VERSION is the Dockerfile's, matched literally
grep -qF 'go build -trimpath -ldflags="-s -w -X github.com/ftgate/ftgate/internal/cli.stampedVersion=$VERSION" -o /out/ftgate ./cmd/ftgate' Dockerfile ||
  { echo "30-action: the Dockerfile's go build line changed; update this script" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X github.com/ftgate/ftgate/internal/cli.stampedVersion=v0.0.0-ci.1" -o "$out/ftgate" ./cmd/ftgate
[ "$("$out/ftgate" version)" = "ftgate v0.0.0-ci.1" ] || { echo "30-action: the stamped version does not show in ftgate version" >&2; exit 1; }

# Static: no ELF interpreter and no dynamic section, and built with cgo off.
if command -v file >/dev/null && ! file "$out/ftgate" | grep -q 'statically linked'; then
  file "$out/ftgate" >&2
  echo "30-action: the binary is not statically linked" >&2
  exit 1
fi
if [ "$(head -c 4 "$out/ftgate" | od -An -c | tr -d ' ')" != '177ELF' ]; then
  echo "30-action: not an ELF binary" >&2
  exit 1
fi
go version -m "$out/ftgate" | grep -q 'CGO_ENABLED=0' || { echo "30-action: built with cgo" >&2; exit 1; }
if command -v readelf >/dev/null && readelf -l "$out/ftgate" | grep -q 'INTERP'; then
  echo "30-action: the binary asks for a dynamic loader" >&2
  exit 1
fi
size=$(wc -c <"$out/ftgate")
echo "30-action: static binary, $((size / 1024 / 1024)) MiB ($size bytes)"

# With shellcheck on PATH, actionlint also checks every run: script.
if ! command -v shellcheck >/dev/null; then
  apt-get update
  apt-get install -y --no-install-recommends shellcheck
fi
shellcheck scripts/release.sh scripts/release-notes.sh scripts/install.sh scripts/ci.d/30-action.sh \
  scripts/ci.d/35-release.sh bench/install.sh

GOBIN="$out" go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
# Every workflow, ours and the examples in docs/. actionlint reads action.yml
# through the workflows that use it (uses: ./), checking their inputs.
"$out/actionlint" -no-color .github/workflows/*.yml docs/workflows/*.yml
echo "30-action: actionlint $actionlint_version and shellcheck clean on .github/workflows, docs/workflows and the release scripts"
go test -count=1 -run '^TestCompositeShellcheck$' ./action
