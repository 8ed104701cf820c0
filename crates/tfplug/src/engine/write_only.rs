//! Write-only attributes (Terraform 1.11+): their values live in the configuration only. The
//! framework refuses them on a Terraform that would store them, hands their configured values
//! to the resource at plan and apply, and nulls them in every object it sends back, so a
//! resource cannot leak one into plan or state even by mistake.

use crate::diagnostics::{AttributePath, Diagnostics};
use crate::schema::Block;
use crate::value::Value;

/// The Terraform release that first keeps write-only values out of plan and state.
pub const WRITE_ONLY_TERRAFORM: &str = "1.11";

/// Errors for each write-only attribute set in `config` when the client cannot keep it out of
/// state (`write_only_attributes_allowed` false or absent). An unknown value counts as set:
/// it is a value that would be stored.
pub fn refuse_write_only(block: &Block, config: &Value, allowed: bool) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if allowed {
        return diags;
    }
    for attribute in block.attributes.iter().filter(|a| a.write_only) {
        if config.attr(&attribute.name).is_some_and(|v| !v.is_null()) {
            diags.error_at(
                AttributePath::attr(attribute.name.as_str()),
                "Write-only attribute needs a newer Terraform",
                format!(
                    "`{}` is write-only: Terraform {WRITE_ONLY_TERRAFORM} or later keeps its value out of \
                     the plan and the state. This Terraform would store it, so it is refused. Upgrade \
                     Terraform, or use the attribute's regular counterpart.",
                    attribute.name
                ),
            );
        }
    }
    diags
}

/// Sets every write-only attribute of `object` to null, in nested blocks too.
pub fn null_write_only(block: &Block, object: &mut Value) {
    let Value::Object(entries) = object else { return };
    for attribute in block.attributes.iter().filter(|a| a.write_only) {
        if let Some(value) = entries.get_mut(&attribute.name) {
            *value = Value::Null;
        }
    }
    for nested in &block.blocks {
        let Some(value) = entries.get_mut(&nested.type_name) else {
            continue;
        };
        match value {
            Value::Object(_) => null_write_only(&nested.block, value),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => items
                .iter_mut()
                .for_each(|item| null_write_only(&nested.block, item)),
            Value::Map(items) => items
                .values_mut()
                .for_each(|item| null_write_only(&nested.block, item)),
            _ => {}
        }
    }
}

/// Copies the configured values of the top-level write-only attributes into `object` (the
/// planned state, where they are null), so the resource reads them like any other argument.
pub fn fill_write_only(block: &Block, object: &mut Value, config: &Value) {
    if !matches!(object, Value::Object(_)) {
        return;
    }
    for attribute in block.attributes.iter().filter(|a| a.write_only) {
        if let Some(value) = config.attr(&attribute.name) {
            object.set_attr(&attribute.name, value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock};
    use crate::types::Type;

    fn block() -> Block {
        let inner = Block::new("inner").attribute(Attribute::optional("token", Type::String).write_only());
        Block::new("thing")
            .attribute(Attribute::optional("name", Type::String))
            .attribute(Attribute::optional("secret", Type::String).write_only())
            .block(NestedBlock::optional_one("auth", inner))
    }

    fn object(secret: Value) -> Value {
        let auth = Value::Object([("token".to_string(), Value::from("t"))].into());
        Value::Object(
            [
                ("name".to_string(), Value::from("n")),
                ("secret".to_string(), secret),
                ("auth".to_string(), Value::List(vec![auth])),
            ]
            .into(),
        )
    }

    #[test]
    fn nulls_write_only_values_at_every_level() {
        let mut value = object("s".into());
        null_write_only(&block(), &mut value);
        assert_eq!(value.attr("name"), Some(&Value::from("n")));
        assert_eq!(value.attr("secret"), Some(&Value::Null));
        let auth = value.attr("auth").and_then(Value::as_elements).unwrap();
        assert_eq!(auth[0].attr("token"), Some(&Value::Null));
    }

    #[test]
    fn fills_configured_values_into_the_planned_object() {
        let mut planned = object(Value::Null);
        fill_write_only(&block(), &mut planned, &object("s".into()));
        assert_eq!(planned.attr("secret"), Some(&Value::from("s")));
        let mut destroyed = Value::Null;
        fill_write_only(&block(), &mut destroyed, &object("s".into()));
        assert!(destroyed.is_null());
    }

    #[test]
    fn refused_when_the_client_would_store_them() {
        let diags = refuse_write_only(&block(), &object("s".into()), false);
        let paths: Vec<_> = diags.iter().map(|d| d.path.clone()).collect();
        assert_eq!(paths, [Some(AttributePath::attr("secret"))]);
        let detail = &diags.iter().next().unwrap().detail;
        assert!(detail.contains("Terraform 1.11 or later"), "{detail}");
        assert!(!detail.contains("\"s\""), "never the value: {detail}");
        assert!(refuse_write_only(&block(), &object("s".into()), true).is_empty());
        assert!(refuse_write_only(&block(), &object(Value::Null), false).is_empty());
        assert!(!refuse_write_only(&block(), &object(Value::Unknown), false).is_empty());
    }
}
