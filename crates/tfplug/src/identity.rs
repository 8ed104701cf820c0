//! Resource identity (Terraform 1.12+): a small object naming one remote object, kept beside
//! its state and usable in `import { identity = {...} }`. Each identity attribute mirrors one
//! state attribute (by default the one of the same name), so the framework derives the
//! identity from any state the resource returns; a typed resource gets its schema from its
//! `ImportIds` (see `import`).

use super::schema::{Attribute, Block};
use super::types::Type;
use super::value::Value;

/// One attribute of an identity: a state attribute of the same type.
#[derive(Debug, Clone)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    /// Required in an `import { identity = ... }` block; otherwise optional there.
    pub required_for_import: bool,
    /// The state attribute it mirrors: `name` unless the state calls it otherwise (a
    /// resource's `id` that its identity names after the API's field).
    pub state_attribute: String,
}

impl IdentityAttribute {
    pub fn required(name: &str, ty: Type, description: &str) -> Self {
        IdentityAttribute {
            name: name.to_string(),
            ty,
            description: description.to_string(),
            required_for_import: true,
            state_attribute: name.to_string(),
        }
    }

    /// Mirrors the state attribute `state_attribute` instead of the one named like it.
    pub fn stored_as(self, state_attribute: &str) -> Self {
        IdentityAttribute {
            state_attribute: state_attribute.to_string(),
            ..self
        }
    }

    pub fn optional(name: &str, ty: Type, description: &str) -> Self {
        IdentityAttribute {
            required_for_import: false,
            ..Self::required(name, ty, description)
        }
    }
}

/// A resource type's identity schema. `version` drives `UpgradeResourceIdentity`.
#[derive(Debug, Clone)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// An identity schema at version 0.
    pub fn new(attributes: impl IntoIterator<Item = IdentityAttribute>) -> Self {
        IdentitySchema {
            version: 0,
            attributes: attributes.into_iter().collect(),
        }
    }

    /// The version of the stored identity's shape.
    pub fn version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }

    /// The identity as a block, for decoding and for `check_model` against a typed model.
    pub fn block(&self) -> Block {
        self.attributes.iter().fold(Block::new("identity"), |block, a| {
            let attribute = if a.required_for_import {
                Attribute::required(&a.name, a.ty.clone())
            } else {
                Attribute::optional(&a.name, a.ty.clone())
            };
            block.attribute(attribute.describe(&a.description))
        })
    }

    pub fn implied_type(&self) -> Type {
        self.block().implied_type()
    }

    /// The identity of the object `state` describes, once every identity attribute is known
    /// and set; `None` before (a create's plan) and after (a destroy).
    pub fn of_state(&self, state: &Value) -> Option<Value> {
        let entries = self
            .attributes
            .iter()
            .map(|a| {
                let value = state.attr(&a.state_attribute)?;
                (value.is_wholly_known() && !value.is_null()).then(|| (a.name.clone(), value.clone()))
            })
            .collect::<Option<_>>()?;
        Some(Value::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> IdentitySchema {
        IdentitySchema::new([
            IdentityAttribute::optional("region_id", Type::String, "Region."),
            IdentityAttribute::required("thing_id", Type::String, "ID."),
        ])
    }

    fn state(thing_id: Value) -> Value {
        Value::Object(
            [
                ("region_id".to_string(), Value::from("cn-hangzhou")),
                ("thing_id".to_string(), thing_id),
                ("name".to_string(), Value::from("n")),
            ]
            .into(),
        )
    }

    #[test]
    fn derived_from_state_once_known() {
        let found = identity().of_state(&state("t-1".into())).unwrap();
        assert_eq!(found.attr("thing_id"), Some(&Value::from("t-1")));
        assert_eq!(found.as_entries().unwrap().len(), 2);
        assert_eq!(identity().of_state(&state(Value::Unknown)), None);
        assert_eq!(identity().of_state(&Value::Null), None);
    }

    #[test]
    fn required_for_import_or_not() {
        let block = identity().block();
        assert!(block.get_attribute("thing_id").unwrap().required);
        assert!(block.get_attribute("region_id").unwrap().optional);
    }

    #[test]
    fn an_attribute_can_mirror_a_state_attribute_named_otherwise() {
        let identity = IdentitySchema::new([
            IdentityAttribute::required("thing_id", Type::String, "ID.").stored_as("id")
        ]);
        let state = Value::Object([("id".to_string(), Value::from("x-1"))].into());
        let found = identity.of_state(&state).unwrap();
        assert_eq!(
            found,
            Value::Object([("thing_id".to_string(), Value::from("x-1"))].into())
        );
    }
}
