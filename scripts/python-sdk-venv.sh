#!/usr/bin/env bash
# Creates .tools/venv with Alibaba Cloud's official Python SDKs (alibabacloud_ecs20140526 and
# aliyun-python-sdk-ecs/-core, pinned in tests/sdk/requirements.txt) from PyPI, and prints its
# path. tests/emulator/sdk.rs runs tests/sdk/check_sdks.py with it. Nothing is reinstalled
# while the pins are unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.tools/venv"
requirements="$root/tests/sdk/requirements.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$venv"
  exit 0
fi
command -v python3 >/dev/null || { echo "python-sdk-venv: python3 is required" >&2; exit 1; }
rm -rf "$venv"
mkdir -p "$root/.tools"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2
"$venv/bin/python" -c 'import alibabacloud_ecs20140526, aliyunsdkcore, aliyunsdkecs' >&2
echo "$want" > "$stamp"
echo "$venv"
