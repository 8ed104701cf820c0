#!/usr/bin/env bash
# `make dist`: a linux_amd64 release in DIST_DIR (default dist/), named as a provider registry
# names release files: the zip holding terraform-provider-alicloud_vVERSION, the manifest
# declaring protocol 6.0, and the SHA256SUMS of both. Unsigned: the GPG signature a public
# registry wants is left to whoever holds the release key. PROVIDER_BIN overrides the binary
# (default: the release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
bin=${PROVIDER_BIN:-$root/target/release/terraform-provider-alicloud}
out=${DIST_DIR:-$root/dist}
[ -x "$bin" ] || { echo "dist: $bin is not built (run make release)" >&2; exit 1; }
name="terraform-provider-alicloud_${version}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -m 0755 "$bin" "$stage/terraform-provider-alicloud_v$version"
mkdir -p "$out"
rm -f "$out/${name}_linux_amd64.zip"
(cd "$stage" && zip -q -X "$out/${name}_linux_amd64.zip" "terraform-provider-alicloud_v$version")
cp "$root/terraform-registry-manifest.json" "$out/${name}_manifest.json"
(cd "$out" && sha256sum "${name}_linux_amd64.zip" "${name}_manifest.json" > "${name}_SHA256SUMS")
echo "wrote $out/${name}_linux_amd64.zip, ${name}_manifest.json and ${name}_SHA256SUMS"
