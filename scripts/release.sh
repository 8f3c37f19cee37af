#!/usr/bin/env bash
# Build the release archives of ftgate:
#
#   scripts/release.sh VERSION OUTDIR
#
# writes to OUTDIR, for linux, darwin and windows on amd64 and arm64,
# ftgate_<VERSION without v>_<os>_<arch>.tar.gz (.zip for windows), each
# holding the static binary, README.md and CHANGELOG.md, and checksums.txt
# (sha256, in the format `sha256sum -c` reads). The release workflow runs this
# and so does CI (scripts/ci.d/35-release.sh), so a tag never runs it first.
#
# Needs GNU tar and touch (it runs on Linux: CI and the release workflow)
# and zip for the windows archives. FTGATE_TARGETS="linux/amd64 ..." narrows the targets (for a quick local run).
# Archives are reproducible: the same commit and toolchain give the same bytes
# (sorted entries, fixed owners, mtimes from the commit or SOURCE_DATE_EPOCH).
set -euo pipefail

die() { echo "release.sh: $*" >&2; exit 2; }

[ $# -eq 2 ] || die "usage: scripts/release.sh VERSION OUTDIR (VERSION like v0.1.0)"
version=$1
outdir=$2
# Semantic version with a leading v, as Go modules and the Action's ref use.
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "version \"$version\" is not a tag like v1.2.3 or v1.2.3-rc.1"

root=$(cd "$(dirname "$0")/.." && pwd)
targets=${FTGATE_TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}

for t in $targets; do
  case $t in windows/*) command -v zip >/dev/null || die "zip is needed for the windows archives (apt-get install zip)";; esac
done

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 315532800)
fi
export SOURCE_DATE_EPOCH

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ldflags="-s -w -X github.com/ftgate/ftgate/internal/cli.stampedVersion=$version"
archives=()
for t in $targets; do
  goos=${t%/*}
  goarch=${t#*/}
  name="ftgate_${version#v}_${goos}_${goarch}"
  exe=ftgate
  [ "$goos" = windows ] && exe=ftgate.exe
  stage="$work/$name"
  mkdir -p "$stage"
  # -buildvcs=false: the version comes from the stamp, and a build from an
  # exported tree (no .git) must give the same binary.
  (cd "$root" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch \
    go build -trimpath -buildvcs=false -ldflags="$ldflags" -o "$stage/$exe" ./cmd/ftgate)
  cp "$root/README.md" "$root/CHANGELOG.md" "$stage/"
  touch -d "@$SOURCE_DATE_EPOCH" "$stage" "$stage"/*
  if [ "$goos" = windows ]; then
    archive="$name.zip"
    rm -f "$outdir/$archive"
    # -X: no extra attributes (uid/gid, extended times), so the bytes depend
    # only on names, contents and mtimes.
    # Entries in sorted order, as tar's --sort gives.
    (cd "$work" && find "$name" | LC_ALL=C sort | zip -qX "$outdir/$archive" -@)
  else
    archive="$name.tar.gz"
    (cd "$work" && tar --sort=name --owner=0 --group=0 --numeric-owner \
      --mtime="@$SOURCE_DATE_EPOCH" -cf - "$name" | gzip -9n >"$outdir/$archive")
  fi
  archives+=("$archive")
  echo "release.sh: $archive"
done

(cd "$outdir" && sha256sum "${archives[@]}" >checksums.txt)
echo "release.sh: $outdir/checksums.txt (${#archives[@]} archives)"
