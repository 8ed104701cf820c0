# A command defined by the configuration and run in the same apply. Editing the script
# updates the command in place; the invocation re-runs only because it says so
# (`replace_triggered_by`, Terraform >= 1.2).
# Against the emulator (`make demo`) the instance below exists; on Alibaba Cloud use your own.

terraform {
  required_version = ">= 1.2"
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

variable "version_to_deploy" {
  type    = string
  default = "1.4.2"
}

resource "alicloud_ecs_command" "deploy" {
  name            = "deploy-app"
  type            = "RunShellScript"
  description     = "Deploys the app"
  timeout         = 300
  command_content = <<-EOT
    #!/bin/sh
    set -eu
    echo "deploying {{version}} on {{ACS::InstanceId}}"
  EOT
}

resource "alicloud_ecs_command_invocation" "deploy" {
  command_id   = alicloud_ecs_command.deploy.id
  instance_ids = ["i-bp1emulinux000001"]
  parameters   = { version = var.version_to_deploy }

  lifecycle {
    replace_triggered_by = [alicloud_ecs_command.deploy.command_content]
  }
}

output "command_id" {
  value = alicloud_ecs_command.deploy.id
}

output "parameter_names" {
  value = alicloud_ecs_command.deploy.parameter_names
}

output "invoke_id" {
  value = alicloud_ecs_command_invocation.deploy.invoke_id
}
