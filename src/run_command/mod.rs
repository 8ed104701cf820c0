//! Action `alicloud_ecs_run_command` (Terraform 1.14+): runs a command now and reports each
//! instance's progress while it waits.

pub(crate) mod action;
pub(crate) mod progress;
