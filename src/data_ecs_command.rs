//! Data source `alicloud_ecs_command`: one command found by `command_id` or by exact `name`
//! (exactly one of them), through `DescribeCommands`. No match, or several commands with
//! that name, is an error that says which.

use async_trait::async_trait;

use super::api_errors;
use super::command_record::{self, non_empty};
use super::context::ContextCell;
use alicloud_client::Command;
use tfplug::validators::{exactly_one_of, not_empty};
use tfplug::{Attr, Attribute, AttributePath, Block, DataSource, Diagnostics, Model, Schema, Type, Value};

pub struct EcsCommandData {
    context: ContextCell,
}

impl EcsCommandData {
    pub fn new(context: ContextCell) -> Self {
        EcsCommandData { context }
    }
}

tfplug::model! {
    /// The data source's object: the lookup, then the command's attributes.
    pub struct CommandDataModel {
        command_id: String,
        name: String,
        region_id: String,
        command_content: String,
        r#type: String,
        description: String,
        working_dir: String,
        timeout: i64,
        enable_parameter: bool,
        parameter_names: Vec<String>,
        id: String,
    }
}

impl CommandDataModel {
    fn apply_record(&mut self, command: &Command) {
        self.command_id = Attr::known(command.command_id.as_str());
        self.id = Attr::known(command.command_id.as_str());
        self.name = Attr::known(command.name.as_str());
        self.r#type = Attr::known(command.command_type.as_str());
        self.command_content = Attr::known(command.command_content.as_str());
        self.description = Attr::from_option(non_empty(&command.description));
        self.working_dir = Attr::from_option(non_empty(&command.working_dir));
        self.timeout = Attr::from_option(command.timeout);
        self.enable_parameter = Attr::Known(command.enable_parameter);
        self.parameter_names = Attr::Known(command.parameter_names.clone());
    }
}

fn computed(name: &str, ty: Type, description: &str) -> Attribute {
    Attribute::computed(name, ty).describe(description)
}

pub fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(
            "Finds one Cloud Assistant command by `command_id` or by exact `name` (`DescribeCommands`) \
             and exposes its definition.",
        )
        .attribute(
            Attribute::optional_computed("command_id", Type::String)
                .describe("The `CommandId` to find; or give `name`.")
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional_computed("name", Type::String)
                .describe("The exact name to find (one command must have it); or give `command_id`.")
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional_computed("region_id", Type::String)
                .describe("Region to search (`RegionId`). Default: the provider's region.")
                .validate(not_empty()),
        )
        .attribute(computed(
            "command_content",
            Type::String,
            "The script, as plain text.",
        ))
        .attribute(computed(
            "type",
            Type::String,
            "`RunShellScript`, `RunBatScript` or `RunPowerShellScript`.",
        ))
        .attribute(computed(
            "description",
            Type::String,
            "Description of the command.",
        ))
        .attribute(computed(
            "working_dir",
            Type::String,
            "Directory the script runs in.",
        ))
        .attribute(computed("timeout", Type::Number, "Seconds a run may take."))
        .attribute(computed(
            "enable_parameter",
            Type::Bool,
            "Whether `{{name}}` placeholders are parameters.",
        ))
        .attribute(computed(
            "parameter_names",
            Type::list(Type::String),
            "The command's custom parameter names.",
        ))
        .attribute(computed("id", Type::String, "The `CommandId`."))
        .validate(exactly_one_of(&["command_id", "name"])),
    )
}

#[async_trait]
impl DataSource for EcsCommandData {
    fn type_name(&self) -> &'static str {
        "alicloud_ecs_command"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, config: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let context = self.context.require(diags)?;
        let mut found = CommandDataModel::read(config, diags)?;
        let region = context.region_of(&found.region_id).to_string();
        found.region_id = Attr::known(region.as_str());
        let (matches, attribute, wanted) = match (found.command_id.get(), found.name.get()) {
            (Some(id), _) => (
                command_record::by_id(&context.client, &region, id)
                    .await
                    .map(Vec::from_iter),
                "command_id",
                id.clone(),
            ),
            (None, Some(name)) => (
                command_record::by_name(&context.client, &region, name).await,
                "name",
                name.clone(),
            ),
            // The schema's rule has already said so.
            (None, None) => return None,
        };
        let matches = match matches {
            Ok(matches) => matches,
            Err(error) => {
                api_errors::report(diags, "DescribeCommands failed", &error);
                return None;
            }
        };
        match matches.as_slice() {
            [command] => found.apply_record(command),
            [] => {
                diags.error_at(
                    AttributePath::attr(attribute),
                    "No command found",
                    format!("Region {region} has no command with {attribute} {wanted:?}."),
                );
                return None;
            }
            several => {
                let ids: Vec<&str> = several.iter().map(|c| c.command_id.as_str()).collect();
                diags.error_at(
                    AttributePath::attr(attribute),
                    "Several commands found",
                    format!(
                        "{} commands in {region} are named {wanted:?} ({}); give `command_id` to choose one.",
                        ids.len(),
                        ids.join(", ")
                    ),
                );
                return None;
            }
        }
        Some(found.to_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_matches_the_schema() {
        assert_eq!(tfplug::check_model::<CommandDataModel>(&schema().block), Ok(()));
    }

    #[test]
    fn exactly_one_lookup() {
        let object = |pairs: &[(&str, Value)]| {
            let mut object = Value::null_object(&schema().block.implied_type());
            for (k, v) in pairs {
                object.set_attr(k, v.clone());
            }
            tfplug::validate_object(&schema().block, &object).iter().count()
        };
        assert_eq!(object(&[("command_id", "c-1".into())]), 0);
        assert_eq!(object(&[("name", "n".into())]), 0);
        assert_eq!(object(&[]), 1);
        assert_eq!(object(&[("command_id", "c-1".into()), ("name", "n".into())]), 1);
    }
}
