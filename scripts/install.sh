#!/usr/bin/env bash
# Install a release of ftgate, verified against the release's checksums.txt:
#
#   install.sh [--version v0.1.0] [--dir DIR] [--os OS] [--arch ARCH] [--base-url URL]
#
# --os and --arch take Go's names (linux, darwin, windows; amd64, arm64) or
# the runner's (Linux, macOS, Windows; X64, ARM64); they default to this
# machine. The archive comes from URL/VERSION/ (default: the GitHub releases of
# ftgate/ftgate; FTGATE_BASE_URL also sets it). DIR (default ./bin) receives
# the binary; when DIR already holds this version, verified by an earlier run,
# nothing is downloaded. The last line on stdout is the binary's path; messages
# go to stderr. Exit 2 on any failure, with one line saying why.
#
# Runs under bash on Linux, macOS and Windows (Git Bash); needs curl, tar and
# sha256sum or shasum, and unzip or PowerShell on Windows.
set -euo pipefail

die() { echo "ftgate install: $*" >&2; exit 2; }

version=${FTGATE_VERSION:-}
dir=./bin
os=
arch=
base_url=${FTGATE_BASE_URL:-https://github.com/ftgate/ftgate/releases/download}
while [ $# -gt 0 ]; do
  case $1 in
    --version) version=${2:-}; shift 2 ;;
    --dir) dir=${2:-}; shift 2 ;;
    --os) os=${2:-}; shift 2 ;;
    --arch) arch=${2:-}; shift 2 ;;
    --base-url) base_url=${2:-}; shift 2 ;;
    *) die "unknown argument \"$1\" (usage: install.sh [--version V] [--dir DIR] [--os OS] [--arch ARCH] [--base-url URL])" ;;
  esac
done
[ -n "$version" ] || die "no version: pass --version v0.1.0"
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "version \"$version\" is not a release tag like v0.1.0"
[ -n "$dir" ] || die "--dir is empty"
base_url=${base_url%/}

# goos and goarch map a runner's or uname's name to Go's.
goos() {
  case $1 in
    Linux | linux) echo linux ;;
    macOS | Darwin | darwin) echo darwin ;;
    Windows | windows | MINGW* | MSYS* | CYGWIN*) echo windows ;;
    *) echo "unsupported:$1" ;;
  esac
}
goarch() {
  case $1 in
    X64 | x86_64 | amd64) echo amd64 ;;
    ARM64 | aarch64 | arm64) echo arm64 ;;
    *) echo "unsupported:$1" ;;
  esac
}
host_os=$(goos "$(uname -s)")
host_arch=$(goarch "$(uname -m)")
os=$(goos "${os:-$(uname -s)}")
arch=$(goarch "${arch:-$(uname -m)}")
case "$os/$arch" in
  unsupported:* | */unsupported:*)
    die "no ftgate release for ${os#unsupported:}/${arch#unsupported:}: releases cover linux, darwin and windows on amd64 and arm64 (build from source: go install github.com/ftgate/ftgate/cmd/ftgate@$version)" ;;
esac

name="ftgate_${version#v}_${os}_${arch}"
exe=ftgate
ext=tar.gz
if [ "$os" = windows ]; then
  exe=ftgate.exe
  ext=zip
fi
archive="$name.$ext"
bin="$dir/$exe"
marker="$dir/.ftgate-installed"

# A directory that an earlier run filled and verified is reused (the runner's
# tool cache on self-hosted runners): the marker names the archive and the
# digest it was verified against.
if [ -f "$bin" ] && [ -f "$marker" ] && [ "$(head -n1 "$marker")" = "$archive" ]; then
  echo "ftgate install: $version ($os/$arch) already in $dir" >&2
  echo "$bin"
  exit 0
fi

command -v curl >/dev/null || die "curl is needed to download $archive"
sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "sha256sum or shasum is needed to verify $archive"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fetch URL FILE downloads URL, naming the HTTP status when it fails.
fetch() {
  local code
  code=$(curl -sSL --retry 3 --retry-delay 1 --connect-timeout 20 -o "$2" -w '%{http_code}' "$1") ||
    die "download $1 failed (curl exit $?)"
  case $code in
    2??) ;;
    404) die "download $1: HTTP 404: is $version released, with an archive for $os/$arch?" ;;
    *) die "download $1: HTTP $code" ;;
  esac
}

fetch "$base_url/$version/checksums.txt" "$tmp/checksums.txt"
fetch "$base_url/$version/$archive" "$tmp/$archive"

# checksums.txt lines are "<sha256>  <name>" (a "*" before the name marks
# binary mode in sha256sum's format).
want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/checksums.txt")
[ -n "$want" ] || die "checksums.txt of $version has no entry for $archive"
got=$(sha256 "$tmp/$archive")
[ "$got" = "$want" ] ||
  die "checksum mismatch for $archive: checksums.txt says $want, the download is $got; not installed"

mkdir -p "$tmp/x"
if [ "$ext" = zip ]; then
  if command -v unzip >/dev/null; then
    unzip -q "$tmp/$archive" -d "$tmp/x" || die "unzip $archive failed"
  elif command -v powershell >/dev/null; then
    powershell -NoProfile -Command "Expand-Archive -LiteralPath '$tmp/$archive' -DestinationPath '$tmp/x'" ||
      die "Expand-Archive $archive failed"
  else
    die "unzip or PowerShell is needed to extract $archive"
  fi
else
  tar -xzf "$tmp/$archive" -C "$tmp/x" || die "extract $archive failed"
fi
[ -f "$tmp/x/$name/$exe" ] || die "$archive holds no $name/$exe"

# On this machine's own platform, the binary must run and name the version
# it was installed as.
if [ "$os/$arch" = "$host_os/$host_arch" ]; then
  chmod +x "$tmp/x/$name/$exe"
  says=$("$tmp/x/$name/$exe" version 2>&1) || die "$archive: ftgate version failed: $says"
  [ "$says" = "ftgate $version" ] || die "$archive: ftgate version says \"$says\", want \"ftgate $version\""
fi

mkdir -p "$dir"
rm -f "$marker"
mv -f "$tmp/x/$name/$exe" "$bin"
chmod +x "$bin"
printf '%s\n%s\n' "$archive" "$got" >"$marker"
echo "ftgate install: $version ($os/$arch) verified and installed in $dir" >&2
echo "$bin"
