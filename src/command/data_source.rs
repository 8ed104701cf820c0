//! Data source `alicloud_ecs_command`: one command found by `command_id` or by exact `name`
//! (exactly one of them), through `DescribeCommands`. No match, or several commands with
//! that name, is an error that says which. It exposes the resource's attributes, read from
//! the command as the resource reads it (the same schema entries, made computed, and the same
//! model), so the two cannot drift apart.

use alicloud_client::ContentEncoding;
use async_trait::async_trait;

use crate::command::record;
use crate::command::resource::{CommandModel, EcsCommand};
use crate::provider::context::ContextCell;
use crate::shared::api_errors;
use tfplug::validators::{exactly_one_of, not_empty};
use tfplug::{
    Attr, Attribute, AttributePath, Block, DataSource, Diagnostics, Merged, Resource, Schema, Type,
};

pub struct EcsCommandData {
    context: ContextCell,
}

impl EcsCommandData {
    pub fn new(context: ContextCell) -> Self {
        EcsCommandData { context }
    }
}

tfplug::model! {
    /// What the data source adds to the resource's attributes: the `command_id` to look for.
    pub struct Lookup {
        command_id: String,
    }
}

/// The data source's object: the resource's attributes (`name` and `region_id` are also what
/// it looks by) read from the command found, and the `command_id` that found it.
pub type CommandData = Merged<CommandModel, Lookup>;

#[async_trait]
impl DataSource for EcsCommandData {
    type Model = CommandData;

    const TYPE_NAME: &'static str = super::TYPE_NAME;

    /// The lookup arguments, then every other attribute of the resource, computed.
    fn schema() -> Schema {
        let lookup = [
            Attribute::optional_computed("command_id", Type::String)
                .describe("The `CommandId` to find; or give `name`.")
                .validate(not_empty()),
            Attribute::optional_computed("name", Type::String)
                .describe("The exact name to find (one command must have it); or give `command_id`.")
                .validate(not_empty()),
            Attribute::optional_computed("region_id", Type::String)
                .describe("Region to search (`RegionId`). Default: the provider's region.")
                .validate(not_empty()),
        ];
        let found: Vec<Attribute> = EcsCommand::schema()
            .block
            .attributes
            .into_iter()
            .filter(|a| !lookup.iter().any(|l| l.name == a.name))
            .map(|a| Attribute::computed(&a.name, a.ty).describe(&a.description))
            .collect();
        let block = Block::new(
            "Finds one Cloud Assistant command by `command_id` or by exact `name` (`DescribeCommands`) \
             and exposes its definition.",
        );
        Schema::new(
            lookup
                .into_iter()
                .chain(found)
                .fold(block, Block::attribute)
                .validate(exactly_one_of(&["command_id", "name"])),
        )
    }

    async fn read(&self, lookup: CommandData, diags: &mut Diagnostics) -> Option<CommandData> {
        let context = self.context.require(diags)?;
        let region = context.region_of(&lookup.base.region_id).to_string();
        let (matches, attribute, wanted) = match (lookup.extra.command_id.get(), lookup.base.name.get()) {
            (Some(id), _) => (
                record::by_id(&context.client, &region, id, ContentEncoding::PlainText)
                    .await
                    .map(Vec::from_iter),
                "command_id",
                id.clone(),
            ),
            (None, Some(name)) => (
                record::by_name(&context.client, &region, name).await,
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
            [command] => {
                let mut found = CommandModel {
                    region_id: Attr::known(region.as_str()),
                    ..Default::default()
                };
                found.apply_record(command);
                Some(Merged {
                    base: found,
                    extra: Lookup {
                        command_id: Attr::known(command.command_id.as_str()),
                    },
                })
            }
            [] => {
                diags.error_at(
                    AttributePath::attr(attribute),
                    "No command found",
                    format!("Region {region} has no command with {attribute} {wanted:?}."),
                );
                None
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
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::Value;

    #[test]
    fn the_resource_attributes_and_command_id() {
        let data = EcsCommandData::schema().block.implied_type();
        let mut resource = EcsCommand::schema().block.implied_type();
        if let Type::Object(attributes) = &mut resource {
            attributes.insert("command_id".to_string(), Type::String);
        }
        assert_eq!(data, resource);
        let block = EcsCommandData::schema().block;
        assert!(block.attributes.iter().all(|a| a.computed && !a.required));
        assert!(block.get_attribute("timeout").is_some_and(|a| !a.optional));
    }

    #[test]
    fn exactly_one_lookup() {
        let object = |pairs: &[(&str, Value)]| {
            let mut object = Value::null_object(&EcsCommandData::schema().block.implied_type());
            for (k, v) in pairs {
                object.set_attr(k, v.clone());
            }
            tfplug::validate_object(&EcsCommandData::schema().block, &object)
                .iter()
                .count()
        };
        assert_eq!(object(&[("command_id", "c-1".into())]), 0);
        assert_eq!(object(&[("name", "n".into())]), 0);
        assert_eq!(object(&[]), 1);
        assert_eq!(object(&[("command_id", "c-1".into()), ("name", "n".into())]), 1);
    }
}
