#!/usr/bin/env bash
# The release build as the release workflow runs it: scripts/release.sh for
# all six targets, then checks that checksums.txt verifies, that each archive
# holds a static, trimmed binary for its platform stamped with the version,
# and that this machine's binary reports that version. Then the install
# script and the composite action run against these archives served on
# 127.0.0.1 (action/*_test.go).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v zip >/dev/null || ! command -v unzip >/dev/null; then
  apt-get update
  apt-get install -y --no-install-recommends zip unzip
fi

version=v0.0.0-ci.1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s)
bash scripts/release.sh "$version" "$out/dist"
echo "35-release: six targets built in $(($(date +%s) - start)) s"

fail() { echo "35-release: $*" >&2; exit 1; }

cd "$out/dist"
sha256sum -c --strict checksums.txt
want_archives="ftgate_0.0.0-ci.1_darwin_amd64.tar.gz
ftgate_0.0.0-ci.1_darwin_arm64.tar.gz
ftgate_0.0.0-ci.1_linux_amd64.tar.gz
ftgate_0.0.0-ci.1_linux_arm64.tar.gz
ftgate_0.0.0-ci.1_windows_amd64.zip
ftgate_0.0.0-ci.1_windows_arm64.zip"
[ "$(awk '{print $2}' checksums.txt | LC_ALL=C sort)" = "$want_archives" ] ||
  fail "checksums.txt lists $(awk '{print $2}' checksums.txt | tr '\n' ' '), want the six archives"
[ "$(printf '%s\n' * | grep -vx checksums.txt | LC_ALL=C sort)" = "$want_archives" ] ||
  fail "unexpected files in the release: $(printf '%s ' *)"

# A corrupted archive must fail verification: the check is not vacuous.
cp -r "$out/dist" "$out/corrupt"
printf x >>"$out/corrupt/ftgate_0.0.0-ci.1_linux_arm64.tar.gz"
if (cd "$out/corrupt" && sha256sum -c --quiet checksums.txt >/dev/null 2>&1); then
  fail "checksums.txt verified a corrupted archive"
fi

mkdir -p "$out/x"
for a in $want_archives; do
  name=${a%.tar.gz}
  name=${name%.zip}
  goos=$(echo "$name" | cut -d_ -f3)
  goarch=$(echo "$name" | cut -d_ -f4)
  exe=ftgate
  if [ "$goos" = windows ]; then
    exe=ftgate.exe
    unzip -q "$a" -d "$out/x"
  else
    tar -xzf "$a" -C "$out/x"
  fi
  bin="$out/x/$name/$exe"
  [ -f "$bin" ] || fail "$a holds no $name/$exe"
  for f in README.md CHANGELOG.md; do
    [ -f "$out/x/$name/$f" ] || fail "$a holds no $f"
  done
  info=$(go version -m "$bin")
  for want in "GOOS=$goos" "GOARCH=$goarch" "CGO_ENABLED=0" "-trimpath=true"; do
    grep -qF -- "$want" <<<"$info" || fail "$a: the binary's build info lacks $want"
  done
  # -trimpath keeps -ldflags out of the build info; the stamped string
  # itself is in the binary's data.
  grep -qaF "$version" "$bin" || fail "$a: the binary holds no version string $version"
done

host="$out/x/ftgate_${version#v}_$(go env GOOS)_$(go env GOARCH)/ftgate"
says=$("$host" version)
[ "$says" = "ftgate $version" ] || fail "ftgate version says \"$says\", want \"ftgate $version\""
if command -v file >/dev/null; then
  file "$host" | grep -q 'statically linked' || fail "$(file "$host")"
fi
echo "35-release: six archives verify; $(go env GOOS)/$(go env GOARCH) binary says \"$says\""

cd - >/dev/null
FTGATE_RELEASE_DIR="$out/dist" FTGATE_RELEASE_VERSION="$version" \
  go test -count=1 -v -run '^TestInstall|^TestComposite' ./action
