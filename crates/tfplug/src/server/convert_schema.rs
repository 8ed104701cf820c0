//! Schemas into their tfplugin6 form: types as type JSON, descriptions as markdown with
//! every validator's and plan modifier's rule appended, so `terraform providers schema` and
//! generated docs state the same rules the provider enforces.

use super::proto::tfplugin6 as pb;
use crate::json;
use crate::nested::{NestedObject, ObjectNesting};
use crate::schema::{Attribute, Block, NestedBlock, Nesting, Schema};

pub fn schema(schema: &Schema) -> pb::Schema {
    pb::Schema {
        version: schema.version,
        block: Some(block(&schema.block)),
    }
}

fn block(block: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: block.attributes.iter().map(attribute).collect(),
        block_types: block.blocks.iter().map(nested_block).collect(),
        description: describe(
            &block.description,
            block.validators.iter().map(|v| v.description()),
        ),
        description_kind: pb::StringKind::Markdown.into(),
        deprecated: block.deprecated,
        deprecation_message: String::new(),
    }
}

fn attribute(attribute: &Attribute) -> pb::schema::Attribute {
    let rules = attribute
        .validators
        .iter()
        .map(|v| v.description())
        .chain(attribute.plan_modifiers.iter().map(|m| m.description()));
    // A nested attribute has no `type`: Terraform derives it from `nested_type`.
    let r#type = match attribute.nested {
        Some(_) => Vec::new(),
        None => json::type_json(&attribute.ty).into_bytes(),
    };
    pb::schema::Attribute {
        name: attribute.name.clone(),
        r#type,
        nested_type: attribute.nested.as_ref().map(nested_object),
        description: describe(&attribute.description, rules),
        required: attribute.required,
        optional: attribute.optional,
        computed: attribute.computed,
        sensitive: attribute.sensitive,
        description_kind: pb::StringKind::Markdown.into(),
        deprecated: attribute.deprecated,
        write_only: attribute.write_only,
        deprecation_message: String::new(),
    }
}

fn nested_block(nested: &NestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode;
    let nesting = match nested.nesting {
        Nesting::Single => NestingMode::Single,
        Nesting::List => NestingMode::List,
        Nesting::Set => NestingMode::Set,
        Nesting::Map => NestingMode::Map,
        Nesting::Group => NestingMode::Group,
    };
    pb::schema::NestedBlock {
        type_name: nested.type_name.clone(),
        block: Some(block(&nested.block)),
        nesting: nesting.into(),
        min_items: nested.min_items,
        max_items: nested.max_items,
    }
}

// `min_items` and `max_items` are unused since protocol 6.1: sent as zero.
#[allow(deprecated)]
fn nested_object(nested: &NestedObject) -> pb::schema::Object {
    use pb::schema::object::NestingMode;
    let nesting = match nested.nesting {
        ObjectNesting::Single => NestingMode::Single,
        ObjectNesting::List => NestingMode::List,
        ObjectNesting::Set => NestingMode::Set,
        ObjectNesting::Map => NestingMode::Map,
    };
    pb::schema::Object {
        attributes: nested.object.attributes.iter().map(attribute).collect(),
        nesting: nesting.into(),
        min_items: 0,
        max_items: 0,
    }
}

/// `text`, then each non-empty rule as a markdown list item.
fn describe(text: &str, rules: impl Iterator<Item = String>) -> String {
    let rules: Vec<String> = rules
        .filter(|r| !r.trim().is_empty())
        .map(|r| format!("- {r}"))
        .collect();
    match (text.is_empty(), rules.is_empty()) {
        (_, true) => text.to_string(),
        (true, false) => rules.join("\n"),
        (false, false) => format!("{text}\n\n{}", rules.join("\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::ValueContext;
    use crate::diagnostics::Diagnostics;
    use crate::schema::{AttributePlan, PlanModifier, Validator};
    use crate::types::Type;
    use crate::value::Value;

    struct NonEmpty;
    impl Validator for NonEmpty {
        fn description(&self) -> String {
            "Must not be empty.".into()
        }
        fn validate(&self, _: &Value, _: &ValueContext<'_>, _: &mut Diagnostics) {}
    }

    struct Replace;
    impl PlanModifier for Replace {
        fn description(&self) -> String {
            "Changing this forces a new resource.".into()
        }
        fn modify(&self, _: &AttributePlan<'_>, _: &mut Value, requires_replace: &mut bool) {
            *requires_replace = true;
        }
    }

    fn sample() -> Schema {
        let endpoints = Block::new("Endpoint overrides.")
            .attribute(Attribute::optional("ecs", Type::String).describe("ECS base URL."));
        Schema::new(
            Block::new("Runs a command.")
                .attribute(
                    Attribute::required("command_id", Type::String)
                        .describe("The command.")
                        .validate(NonEmpty)
                        .plan(Replace),
                )
                .attribute(Attribute::optional("parameters", Type::map(Type::String)).sensitive())
                .attribute(Attribute::optional("secret", Type::String).write_only())
                .attribute(Attribute::computed("id", Type::String).deprecated())
                .attribute(Attribute::optional_computed("timed", Type::Bool).plan(Replace))
                .attribute(
                    Attribute::computed(
                        "results",
                        NestedObject::list([
                            Attribute::computed("exit_code", Type::Number),
                            Attribute::computed("output", Type::String).sensitive(),
                        ]),
                    )
                    .describe("One per instance."),
                )
                .block(NestedBlock::optional_one("endpoints", endpoints)),
        )
        .version(2)
    }

    #[test]
    fn converts_attributes_with_flags_types_and_rules() {
        let wire = schema(&sample());
        assert_eq!(wire.version, 2);
        let block = wire.block.unwrap();
        assert_eq!(block.description, "Runs a command.");
        assert_eq!(block.description_kind, pb::StringKind::Markdown as i32);

        let names: Vec<_> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["command_id", "parameters", "secret", "id", "timed", "results"]
        );

        let command = &block.attributes[0];
        assert!(command.required && !command.optional && !command.computed);
        assert_eq!(command.r#type, json::type_json(&Type::String).into_bytes());
        assert_eq!(
            command.description,
            "The command.\n\n- Must not be empty.\n- Changing this forces a new resource."
        );
        assert_eq!(command.description_kind, pb::StringKind::Markdown as i32);

        let parameters = &block.attributes[1];
        assert!(parameters.optional && parameters.sensitive);
        assert_eq!(
            parameters.r#type,
            json::type_json(&Type::map(Type::String)).into_bytes()
        );

        assert!(block.attributes[2].write_only && !parameters.write_only);

        let id = &block.attributes[3];
        assert!(id.computed && !id.optional && id.deprecated);

        let timed = &block.attributes[4];
        assert!(timed.optional && timed.computed);
        assert_eq!(timed.description, "- Changing this forces a new resource.");
    }

    #[test]
    fn converts_nested_attributes_with_their_own_flags() {
        let block = schema(&sample()).block.unwrap();
        let results = &block.attributes[5];
        assert!(results.computed && !results.sensitive);
        assert!(results.r#type.is_empty(), "a nested attribute has no type");
        assert_eq!(results.description, "One per instance.");
        let nested = results.nested_type.as_ref().unwrap();
        assert_eq!(nested.nesting, pb::schema::object::NestingMode::List as i32);
        let inner: Vec<_> = nested
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.computed, a.sensitive))
            .collect();
        assert_eq!(inner, [("exit_code", true, false), ("output", true, true)]);
        assert_eq!(
            nested.attributes[0].r#type,
            json::type_json(&Type::Number).into_bytes()
        );
        assert!(block.attributes[0].nested_type.is_none());
    }

    #[test]
    fn converts_nested_blocks() {
        let block = schema(&sample()).block.unwrap();
        assert_eq!(block.block_types.len(), 1);
        let nested = &block.block_types[0];
        assert_eq!(nested.type_name, "endpoints");
        assert_eq!(nested.nesting, pb::schema::nested_block::NestingMode::List as i32);
        assert_eq!((nested.min_items, nested.max_items), (0, 1));
        let inner = nested.block.as_ref().unwrap();
        assert_eq!(inner.description, "Endpoint overrides.");
        assert_eq!(inner.attributes[0].name, "ecs");
        assert_eq!(inner.attributes[0].description, "ECS base URL.");
    }
}
