//! Resource and data source `alicloud_ecs_command`: a Cloud Assistant command, its rules, and
//! how the provider finds one through `DescribeCommands`.

pub(crate) mod data_source;
pub(crate) mod record;
pub(crate) mod resource;
pub(crate) mod rules;
