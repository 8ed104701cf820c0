# Quickstart: run a deploy command with parameters on two Linux instances.
# Against the emulator (`make demo`) the IDs below exist; on Alibaba Cloud use your own.

terraform {
  required_providers {
    alicloud = {
      source  = "local/alicloud"
      version = "0.1.0"
    }
  }
}

# Credentials and endpoint come from the environment:
# ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY, ALICLOUD_ECS_ENDPOINT (optional).
provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_ecs_command_invocation" "deploy" {
  command_id   = "c-hz01emudeploy0001"
  instance_ids = ["i-bp1emulinux000001", "i-bp1emulinux000002"]
  parameters = {
    version = "1.4.2"
    env     = "staging"
  }
}

output "invoke_id" {
  value = alicloud_ecs_command_invocation.deploy.invoke_id
}

output "invocation_status" {
  value = alicloud_ecs_command_invocation.deploy.invocation_status
}

# How each instance ended. Only `results[*].output` is sensitive (a command may print
# secrets): exit codes and statuses can be used as they are.
output "exit_codes" {
  value = { for r in alicloud_ecs_command_invocation.deploy.results : r.instance_id => r.exit_code }
}
