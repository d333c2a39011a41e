#!/usr/bin/env bash
# Installs the released studysite binary for this machine, checked against its
# published SHA-256, and falls back to building it with cargo only when that
# version has no release (HTTP 404). A checksum that does not match, or a
# release whose checksum file is missing, fails without installing anything.
#
# `studysite init` copies this script into the Pages workflow it writes
# (src/init.rs); this repository's own workflow runs the file. Settings, from
# the environment:
#   STUDYSITE_VERSION       the version to install, e.g. 0.1.0 (required)
#   STUDYSITE_REPOSITORY    e.g. https://github.com/OWNER/studysite: releases are
#                           downloaded from its /releases/download/vX.Y.Z/
#   STUDYSITE_DOWNLOAD_URL  the folder of releases instead (tests, mirrors)
#   STUDYSITE_SOURCE        fallback: build this source folder instead of the
#                           crates.io release
#   STUDYSITE_BIN_DIR       where the binary goes (default ~/.local/bin); added
#                           to GITHUB_PATH when that is set
set -euo pipefail

version="${STUDYSITE_VERSION:?set STUDYSITE_VERSION to the version to install}"
base="${STUDYSITE_DOWNLOAD_URL:-${STUDYSITE_REPOSITORY:?set STUDYSITE_REPOSITORY or STUDYSITE_DOWNLOAD_URL}/releases/download}"
bin_dir="${STUDYSITE_BIN_DIR:-$HOME/.local/bin}"

fallback() {
  if [ -n "${STUDYSITE_SOURCE:-}" ]; then
    echo "no studysite $version release: building it from $STUDYSITE_SOURCE"
    cargo install --locked --path "$STUDYSITE_SOURCE"
  else
    echo "no studysite $version release: building it from crates.io"
    cargo install studysite --locked --version "$version"
  fi
}

exe=studysite
ext=tar.gz
case "$(uname -s)" in
  Linux) os=unknown-linux-gnu ;;
  Darwin) os=apple-darwin ;;
  MINGW* | MSYS* | CYGWIN*) os=pc-windows-msvc exe=studysite.exe ext=zip ;;
  *) os= ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch= ;;
esac
if [ -z "$os" ] || [ -z "$arch" ]; then
  echo "no studysite release is built for $(uname -s) $(uname -m)"
  fallback
  exit 0
fi
archive="studysite-$version-$arch-$os.$ext"
url="$base/v$version/$archive"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Prints the HTTP status of GET $1 into file $2 (000 when nothing answered).
download() {
  curl --silent --show-error --location --retry 3 --output "$2" --write-out '%{http_code}' "$1" ||
    true
}

status="$(download "$url" "$tmp/$archive")"
case "$status" in
  200) ;;
  404)
    fallback
    exit 0
    ;;
  *)
    echo "error: downloading $url: HTTP $status" >&2
    exit 1
    ;;
esac
status="$(download "$url.sha256" "$tmp/checksum")"
if [ "$status" != 200 ]; then
  echo "error: downloading $url.sha256: HTTP $status; not installing an unverified binary" >&2
  exit 1
fi

expected="$(cut -d ' ' -f 1 <"$tmp/checksum" | tr -d '\r\n' | tr 'A-F' 'a-f')"
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "$tmp/$archive" | cut -d ' ' -f 1)"
else
  actual="$(shasum -a 256 "$tmp/$archive" | cut -d ' ' -f 1)"
fi
if [ "${#expected}" != 64 ] || [ "$expected" != "$actual" ]; then
  echo "error: $archive has SHA-256 $actual, but its checksum file says ${expected:-nothing}" >&2
  exit 1
fi
echo "verified $archive (SHA-256 $actual)"

mkdir "$tmp/unpacked"
if [ "$ext" = zip ]; then
  unzip -q "$tmp/$archive" -d "$tmp/unpacked"
else
  tar -xzf "$tmp/$archive" -C "$tmp/unpacked"
fi
if [ ! -f "$tmp/unpacked/$exe" ]; then
  echo "error: $archive has no $exe at its top" >&2
  exit 1
fi
mkdir -p "$bin_dir"
cp "$tmp/unpacked/$exe" "$bin_dir/$exe"
chmod 755 "$bin_dir/$exe"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin_dir" >>"$GITHUB_PATH"
fi
"$bin_dir/$exe" --version
