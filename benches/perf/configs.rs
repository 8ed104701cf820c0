//! The Terraform configurations each side runs: the quickstart and its null twin for
//! `validate`, and `var.n` resources for `apply` (ours, plain null, and the state-size twin).

use crate::setup::{Context, Result, Setup};
use crate::terraform::Side;

/// Fixtures of the emulator's default set: a Linux shell command and a Running Linux instance.
const COMMAND_ID: &str = "c-hz01emuuptime0001";
const INSTANCE_ID: &str = "i-bp1emulinux000001";

/// The quickstart example as shipped, and a null configuration of the same shape: a
/// provider block, one resource with two string values, two outputs.
pub fn validate_config(setup: &Setup, side: Side) -> Result<String> {
    match side {
        Side::Ours => {
            let path = setup.root.join("examples/quickstart/main.tf");
            std::fs::read_to_string(&path).context(|| format!("reading {}", path.display()))
        }
        Side::Go | Side::GoTwin => Ok(r#"terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "2.1.2"
    }
  }
}

provider "null" {}

resource "null_resource" "deploy" {
  triggers = {
    version = "1.4.2"
    env     = "staging"
  }
}

output "invoke_id" {
  value = null_resource.deploy.id
}

output "invocation_status" {
  value = null_resource.deploy.triggers
}
"#
        .to_string()),
    }
}

/// `var.n` resources: invocations of one command on one instance, or plain null resources.
pub fn apply_config(side: Side) -> String {
    match side {
        Side::Ours => format!(
            r#"terraform {{
  required_providers {{
    alicloud = {{
      source  = "local/alicloud"
      version = "0.1.0"
    }}
  }}
}}

variable "n" {{
  type = number
}}

provider "alicloud" {{}}

resource "alicloud_ecs_command_invocation" "r" {{
  count        = var.n
  command_id   = "{COMMAND_ID}"
  instance_ids = ["{INSTANCE_ID}"]
  # Provider overhead against the null provider: the runs themselves are section 6.
  wait_for_completion = false
}}
"#
        ),
        Side::Go => format!("{NULL_HEADER}\nresource \"null_resource\" \"r\" {{\n  count = var.n\n}}\n"),
        // Our attributes' names and the values our state holds (with `wait_for_completion =
        // false`: the first read's `results`), as triggers, so the state is as large as ours.
        Side::GoTwin => format!(
            r#"{NULL_HEADER}
resource "null_resource" "r" {{
  count = var.n
  triggers = {{
    command_id            = "{COMMAND_ID}"
    container_id          = "null"
    container_name        = "null"
    frequency             = "null"
    id                    = "t-09eca26387ba44b19bb81dc8165b4703"
    instance_ids          = "{INSTANCE_ID}"
    invocation_status     = "Pending"
    invoke_id             = "t-09eca26387ba44b19bb81dc8165b4703"
    on_failure            = "null"
    parameters            = "null"
    parameters_wo         = "null"
    parameters_wo_version = "null"
    region_id             = "cn-hangzhou"
    repeat_mode           = "Once"
    results               = "[{{dropped=0,error_code=null,error_info=null,exit_code=0,finish_time=null,instance_id={INSTANCE_ID},invocation_status=Pending,output=,repeats=0,start_time=null}}]"
    tags                  = "null"
    termination_mode      = "null"
    timed                 = "false"
    timeout               = "null"
    timeouts              = "null"
    triggers              = "null"
    username              = "null"
    wait_for_completion   = "false"
    windows_password_name = "null"
    working_dir           = "null"
  }}
}}
"#
        ),
    }
}

const NULL_HEADER: &str = r#"terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "2.1.2"
    }
  }
}

variable "n" {
  type = number
}
"#;
