# Runs a deployment on two instances, waits for it, and uses each instance's result.
# Against the emulator (`make demo`) the IDs below exist; on Alibaba Cloud use your own.
terraform {
  required_providers {
    alicloud = {
      source  = "local/alicloud"
      version = "0.1.0"
    }
  }
}

provider "alicloud" {}

resource "alicloud_ecs_command_invocation" "deploy" {
  command_id   = "c-hz01emudeploy0001"
  instance_ids = ["i-bp1emulinux000001", "i-bp1emulinux000002"]
  parameters   = { version = "1.4.2", env = "staging" }

  # The default: a failed instance fails the apply (the resource is kept, tainted).
  on_failure = "fail"

  timeouts {
    create = "10m"
  }
}

# Status and exit code per instance: not sensitive, shown as they are.
output "statuses" {
  value = {
    for r in alicloud_ecs_command_invocation.deploy.results :
    r.instance_id => "${r.invocation_status} (exit ${r.exit_code})"
  }
}

# The output may echo parameters: `output` alone is sensitive, so this output must say so
# (`terraform output -json deploy_output` shows it).
output "deploy_output" {
  value     = { for r in alicloud_ecs_command_invocation.deploy.results : r.instance_id => r.output }
  sensitive = true
}
