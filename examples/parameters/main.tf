# Parameters from variables. `parameters` is sensitive: plans show it as (sensitive value).
# Names must be defined by the command; Terraform checks them at plan time (DescribeCommands).

terraform {
  required_providers {
    alicloud = {
      source  = "local/alicloud"
      version = "0.1.0"
    }
  }
}

provider "alicloud" {
  region = "cn-hangzhou"
}

variable "release" {
  type    = string
  default = "2.0.0"
}

variable "environments" {
  type = map(list(string))
  default = {
    staging    = ["i-bp1emulinux000001"]
    production = ["i-bp1emulinux000002", "i-bp1emulinux000003"]
  }
}

# One invocation per environment.
resource "alicloud_ecs_command_invocation" "release" {
  for_each = var.environments

  command_id   = "c-hz01emudeploy0001"
  instance_ids = each.value
  parameters = {
    version = var.release
    env     = each.key
  }
}

output "invocations" {
  value = { for env, inv in alicloud_ecs_command_invocation.release : env => inv.invoke_id }
}
