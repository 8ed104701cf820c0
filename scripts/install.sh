#!/usr/bin/env bash
# `make install`: puts the provider where Terraform finds it without any CLI configuration,
# the implied local mirror ~/.terraform.d/plugins, under registry.terraform.io/local/alicloud.
# PROVIDER_BIN overrides the binary (default: the release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
bin=${PROVIDER_BIN:-$root/target/release/terraform-provider-alicloud}
[ -x "$bin" ] || { echo "install: $bin is not built (run make release)" >&2; exit 1; }
dir="${HOME:?HOME is not set}/.terraform.d/plugins/registry.terraform.io/local/alicloud/$version/linux_amd64"
mkdir -p "$dir"
install -m 0755 "$bin" "$dir/terraform-provider-alicloud_v$version"
echo "installed $dir/terraform-provider-alicloud_v$version"
echo "use it with: source = \"local/alicloud\", version = \"$version\""
