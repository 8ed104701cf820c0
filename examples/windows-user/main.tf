# Run a PowerShell command on Windows as a named user. The password is not given here: it is
# kept in the Parameter Store and only its name is passed (windows_password_name), which
# requires `username`.

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

resource "alicloud_ecs_command_invocation" "windows_info" {
  command_id            = "c-hz01emupwsh000001"
  instance_ids          = ["i-bp1emuwindows0001", "i-bp1emuwindows0002"]
  username              = "deploy"
  windows_password_name = "axtSecretPassword"
}

output "invoke_id" {
  value = alicloud_ecs_command_invocation.windows_info.invoke_id
}
