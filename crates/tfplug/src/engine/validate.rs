//! Static validation of a configuration object against its schema: required attributes and
//! collection elements that are null, attribute validators on known, non-null values, block
//! validators on whole objects, nested blocks recursively, and warnings for deprecated
//! attributes and blocks that are set.

use crate::context::ValueContext;
use crate::diagnostics::{AttributePath, Diagnostics};
use crate::schema::{Block, Nesting};
use crate::value::Value;

/// Validates a configuration (it may hold unknowns) of the object `block` describes.
pub fn validate_object(block: &Block, value: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    validate_block(block, value, &AttributePath::root(), &mut diags);
    diags
}

fn validate_block(block: &Block, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    // A null or unknown block has nothing to check yet.
    if !matches!(value, Value::Object(_)) {
        return;
    }
    for attribute in &block.attributes {
        let item = value.attr(&attribute.name).unwrap_or(&Value::Null);
        let at = path.child(attribute.name.as_str());
        if attribute.deprecated && !item.is_null() {
            warn_deprecated(diags, &at, "attribute");
        }
        // HCL passes `name = null` for a required argument on to the provider as is.
        if attribute.required && item.is_null() {
            diags.error_at(
                at.clone(),
                "Missing required argument",
                format!("`{at}` is required and cannot be null."),
            );
            continue;
        }
        if item.is_null() || item.is_unknown() {
            continue;
        }
        refuse_null_elements(item, &at, diags);
        let ctx = ValueContext::attribute(at.clone(), attribute.sensitive);
        for validator in &attribute.validators {
            validator.validate(item, &ctx, diags);
        }
        // The objects of a nested attribute are checked as a nested block's are.
        if let Some(nested) = &attribute.nested {
            validate_objects(nested.nesting.into(), &nested.object, item, &at, diags);
        }
    }
    for nested in &block.blocks {
        let item = value.attr(&nested.type_name).unwrap_or(&Value::Null);
        let at = path.child(nested.type_name.as_str());
        if nested.block.deprecated && is_present(nested.nesting, item) {
            warn_deprecated(diags, &at, "block");
        }
        validate_objects(nested.nesting, &nested.block, item, &at, diags);
    }
    let ctx = ValueContext::block(path.clone(), block);
    for validator in &block.validators {
        validator.validate(value, &ctx, diags);
    }
}

/// Each object of a nested block or nested attribute, held as `nesting` says.
fn validate_objects(
    nesting: Nesting,
    block: &Block,
    item: &Value,
    at: &AttributePath,
    diags: &mut Diagnostics,
) {
    match (nesting, item) {
        (Nesting::Single, _) => validate_block(block, item, at, diags),
        // An unwritten group is all nulls: its required attributes are not missing.
        (Nesting::Group, _) if is_present(Nesting::Group, item) => validate_block(block, item, at, diags),
        (Nesting::List, Value::List(items) | Value::Tuple(items)) => {
            for (i, element) in items.iter().enumerate() {
                validate_block(block, element, &at.index(i), diags);
            }
        }
        // Set elements have no address: their diagnostics point at the set.
        (Nesting::Set, Value::Set(items) | Value::List(items)) => {
            for element in items {
                validate_block(block, element, at, diags);
            }
        }
        (Nesting::Map, Value::Map(entries) | Value::Object(entries)) => {
            for (key, element) in entries {
                validate_block(block, element, &at.key(key.as_str()), diags);
            }
        }
        _ => {}
    }
}

/// HCL accepts `[null]` and `{ k = null }` in a collection; no API takes such an element, so
/// each one is refused where it is (a set element has no address: at the set). Attributes of
/// an object may be null.
fn refuse_null_elements(value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let null_at = |diags: &mut Diagnostics, at: AttributePath, what: &str| {
        diags.error_at(
            at.clone(),
            "Null element",
            format!("`{at}` {what}: the elements of `{path}` cannot be null."),
        );
    };
    match value {
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.is_null() {
                    null_at(diags, path.index(i), "is null");
                } else {
                    refuse_null_elements(item, &path.index(i), diags);
                }
            }
        }
        // A tuple's positions are typed one by one, like an object's attributes.
        Value::Tuple(items) => {
            for (i, item) in items.iter().enumerate() {
                refuse_null_elements(item, &path.index(i), diags);
            }
        }
        Value::Set(items) => {
            for item in items {
                if item.is_null() {
                    null_at(diags, path.clone(), "holds a null element");
                } else {
                    refuse_null_elements(item, path, diags);
                }
            }
        }
        Value::Map(entries) => {
            for (key, item) in entries {
                if item.is_null() {
                    null_at(diags, path.key(key.as_str()), "is null");
                } else {
                    refuse_null_elements(item, &path.key(key.as_str()), diags);
                }
            }
        }
        Value::Object(entries) => {
            for (name, item) in entries {
                refuse_null_elements(item, &path.child(name.as_str()), diags);
            }
        }
        Value::Dynamic(_, inner) => refuse_null_elements(inner, path, diags),
        Value::Null | Value::Unknown | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// Whether the configuration contains the nested block at all.
fn is_present(nesting: Nesting, value: &Value) -> bool {
    match nesting {
        Nesting::Single => !value.is_null(),
        // A group always exists; it counts as written when any of its attributes is.
        Nesting::Group => value
            .as_entries()
            .is_some_and(|e| e.values().any(|v| !v.is_null())),
        Nesting::List | Nesting::Set | Nesting::Map => {
            value.is_unknown()
                || value.as_elements().is_some_and(|e| !e.is_empty())
                || value.as_entries().is_some_and(|e| !e.is_empty())
        }
    }
}

fn warn_deprecated(diags: &mut Diagnostics, path: &AttributePath, what: &str) {
    diags.warning_at(
        path.clone(),
        format!("Deprecated {what}"),
        format!("The {what} `{path}` is deprecated; see the provider documentation for its replacement."),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::schema::{Attribute, NestedBlock};
    use crate::types::Type;
    use crate::validators::{each, length_at_most, not_empty, required_when, size_between};

    fn object(entries: &[(&str, Value)]) -> Value {
        Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    fn block() -> Block {
        Block::new("")
            .attribute(Attribute::required("command_id", Type::String).validate(not_empty()))
            .attribute(
                Attribute::required("instance_ids", Type::list(Type::String))
                    .validate(size_between(1, 2))
                    .validate(each(not_empty())),
            )
            .attribute(
                Attribute::optional("password", Type::String)
                    .sensitive()
                    .validate(length_at_most(3)),
            )
            .attribute(Attribute::optional("timed", Type::Bool))
            .attribute(Attribute::optional("frequency", Type::String))
            .attribute(Attribute::optional("old", Type::String).deprecated())
            .block(NestedBlock::list(
                "step",
                Block::new("").attribute(Attribute::required("name", Type::String).validate(not_empty())),
            ))
            .validate(required_when("frequency", "timed", true))
    }

    fn paths(diags: &Diagnostics) -> Vec<String> {
        diags
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn the_objects_of_a_nested_attribute_are_validated_with_their_paths() {
        let steps = crate::nested::NestedObject::list([
            Attribute::required("name", Type::String).validate(not_empty())
        ]);
        let block = Block::new("").attribute(Attribute::optional("steps", steps));
        let config = object(&[(
            "steps",
            Value::List(vec![
                object(&[("name", "a".into())]),
                object(&[("name", "".into())]),
                object(&[("name", Value::Null)]),
            ]),
        )]);
        assert_eq!(
            paths(&validate_object(&block, &config)),
            ["steps[1].name", "steps[2].name"]
        );
    }

    #[test]
    fn a_valid_config_has_no_diagnostics() {
        let config = object(&[
            ("command_id", "c-1".into()),
            ("instance_ids", Value::List(vec!["i-1".into()])),
            ("step", Value::List(vec![])),
        ]);
        assert!(validate_object(&block(), &config).is_empty());
    }

    #[test]
    fn runs_attribute_block_and_nested_validators() {
        let config = object(&[
            ("command_id", "".into()),
            (
                "instance_ids",
                Value::List(vec!["i-1".into(), "".into(), "i-3".into()]),
            ),
            ("timed", Value::Bool(true)),
            (
                "step",
                Value::List(vec![
                    object(&[("name", "a".into())]),
                    object(&[("name", "".into())]),
                ]),
            ),
        ]);
        let diags = validate_object(&block(), &config);
        assert_eq!(
            paths(&diags),
            [
                "command_id",
                "instance_ids",
                "instance_ids[1]",
                "step[1].name",
                "frequency"
            ]
        );
        assert!(diags.has_errors());
    }

    #[test]
    fn unknown_values_are_not_checked() {
        let config = object(&[
            ("command_id", Value::Unknown),
            ("instance_ids", Value::List(vec![Value::Unknown])),
            ("timed", Value::Unknown),
            ("step", Value::Unknown),
        ]);
        assert!(validate_object(&block(), &config).is_empty());
        assert!(validate_object(&block(), &Value::Unknown).is_empty());
    }

    #[test]
    fn a_null_required_argument_and_null_elements_are_refused_where_they_are() {
        let config = object(&[
            ("command_id", Value::Null),
            ("instance_ids", Value::List(vec![Value::Unknown, Value::Null])),
            ("step", Value::List(vec![object(&[("name", Value::Null)])])),
        ]);
        let diags = validate_object(&block(), &config);
        assert_eq!(paths(&diags), ["command_id", "instance_ids[1]", "step[0].name"]);
        let details: Vec<&str> = diags.iter().map(|d| d.detail.as_str()).collect();
        assert_eq!(details[0], "`command_id` is required and cannot be null.");
        assert_eq!(
            details[1],
            "`instance_ids[1]` is null: the elements of `instance_ids` cannot be null."
        );

        let nested = Block::new("")
            .attribute(Attribute::optional("tags", Type::map(Type::String)))
            .attribute(Attribute::optional("names", Type::set(Type::String)))
            .attribute(Attribute::optional("rows", Type::list(Type::map(Type::String))));
        let config = object(&[
            ("tags", Value::Map([("k".to_string(), Value::Null)].into())),
            ("names", Value::Set(vec![Value::Null])),
            (
                "rows",
                Value::List(vec![Value::Map([("a".to_string(), Value::Null)].into())]),
            ),
        ]);
        assert_eq!(
            paths(&validate_object(&nested, &config)),
            ["tags[\"k\"]", "names", "rows[0][\"a\"]"]
        );
    }

    #[test]
    fn sensitive_values_stay_hidden() {
        let config = object(&[
            ("command_id", "c".into()),
            ("instance_ids", Value::List(vec!["i".into()])),
            ("password", "hunter2".into()),
        ]);
        let diags = validate_object(&block(), &config);
        assert_eq!(paths(&diags), ["password"]);
        assert!(diags.iter().all(|d| !d.detail.contains("hunter2")));
    }

    #[test]
    fn warns_on_deprecated_attributes_that_are_set() {
        let base = [
            ("command_id", Value::from("c")),
            ("instance_ids", Value::List(vec!["i".into()])),
        ];
        let mut with_old = base.to_vec();
        with_old.push(("old", "x".into()));
        let diags = validate_object(&block(), &object(&with_old));
        assert_eq!(paths(&diags), ["old"]);
        assert!(diags.iter().all(|d| d.severity == Severity::Warning));
        assert!(validate_object(&block(), &object(&base)).is_empty());
    }
}
