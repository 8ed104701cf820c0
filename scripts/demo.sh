#!/usr/bin/env bash
# `make demo`: installs the release build into a local filesystem mirror, starts the emulator,
# applies examples/quickstart with the real Terraform CLI, shows the InvokeId and the
# invocation's status, destroys, and stops the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=0.1.0
work="$root/.work/demo"
terraform=$("$root/scripts/terraform.sh")
rm -rf "$work"; mkdir -p "$work/mirror"

plugin_dir="$work/mirror/registry.terraform.io/local/alicloud/$version/linux_amd64"
mkdir -p "$plugin_dir"
cp "$root/target/release/terraform-provider-alicloud" "$plugin_dir/terraform-provider-alicloud_v$version"
cat > "$work/terraformrc" <<CFG
provider_installation {
  filesystem_mirror {
    path = "$work/mirror"
  }
}
CFG

# The emulator's documented demo credentials; never use them anywhere real.
export ALICLOUD_ACCESS_KEY=LTAI5tDemoAccessKey
export ALICLOUD_SECRET_KEY=demo-secret-not-for-production
export ALICLOUD_REGION=cn-hangzhou
"$root/target/release/alicloud-ecs-emulator" --listen 127.0.0.1:0 > "$work/emulator.out" 2> "$work/emulator.log" &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break
  sleep 0.05
done
endpoint=$(sed -n 's/^listening on //p' "$work/emulator.out" | head -n 1)
[ -n "$endpoint" ] || { echo "demo: the emulator did not start" >&2; cat "$work/emulator.log" >&2; exit 1; }
export ALICLOUD_ECS_ENDPOINT=$endpoint
echo "==> emulator listening on $endpoint"

cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
echo "==> terraform init"
"$terraform" init -input=false -no-color | grep -E 'Installing|Installed|initialized' || true
echo "==> terraform apply"
"$terraform" apply -auto-approve -input=false -no-color
echo "==> InvokeId: $("$terraform" output -raw invoke_id)"
echo "==> exit code per instance: $("$terraform" output -json exit_codes)"
sleep 2
"$terraform" apply -refresh-only -auto-approve -input=false -no-color > /dev/null
echo "==> status after refresh: $("$terraform" output -raw invocation_status)"
echo "==> terraform destroy"
"$terraform" destroy -auto-approve -input=false -no-color | tail -n 1
echo "==> done"
