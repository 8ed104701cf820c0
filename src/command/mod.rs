//! Resource and data source `alicloud_ecs_command`: a Cloud Assistant command, its rules, and
//! how the provider finds one through `DescribeCommands`.

/// The resource's and the data source's type name.
pub(crate) const TYPE_NAME: &str = "alicloud_ecs_command";

pub(crate) mod data_source;
pub(crate) mod record;
pub(crate) mod resource;
pub(crate) mod rules;
