# Run a command now and watch it (Terraform 1.14+):
#   terraform apply -invoke=action.alicloud_ecs_run_command.deploy
#   terraform apply -invoke=action.alicloud_ecs_run_command.check_disk
# Against the emulator (`make demo`) the IDs below exist; on Alibaba Cloud use your own.

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

# An existing command, through InvokeCommand.
action "alicloud_ecs_run_command" "deploy" {
  config {
    command_id   = "c-hz01emudeploy0001"
    instance_ids = ["i-bp1emulinux000001", "i-bp1emulinux000002"]
    parameters = {
      version = "1.4.2"
      env     = "staging"
    }
  }
}

# An inline script, through RunCommand (not kept as a command).
action "alicloud_ecs_run_command" "check_disk" {
  config {
    command_content = "df -h {{mount}}"
    instance_ids    = ["i-bp1emulinux000001"]
    parameters      = { mount = "/" }
    timeout         = 60
  }
}

# Runs the deploy each time this release marker is created.
resource "terraform_data" "release" {
  input = "1.4.2"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.alicloud_ecs_run_command.deploy]
    }
  }
}
