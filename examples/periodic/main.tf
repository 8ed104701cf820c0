# A periodic job: Cloud Assistant runs the command on its schedule until the resource is
# destroyed, which stops it (StopInvocation).

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

# Every 5 minutes.
resource "alicloud_ecs_command_invocation" "uptime_every_5m" {
  command_id   = "c-hz01emuuptime0001"
  instance_ids = ["i-bp1emulinux000003"]
  timed        = true
  frequency    = "rate(5m)"
}

# Cron with seconds: at 02:30:00 every day, Shanghai time.
resource "alicloud_ecs_command_invocation" "nightly" {
  command_id   = "c-hz01emuuptime0001"
  instance_ids = ["i-bp1emulinux000001", "i-bp1emulinux000002"]
  timed        = true
  frequency    = "0 30 2 * * ? Asia/Shanghai"
}

output "periodic_invocations" {
  value = {
    every_5m = alicloud_ecs_command_invocation.uptime_every_5m.invoke_id
    nightly  = alicloud_ecs_command_invocation.nightly.invoke_id
  }
}
