//! Typed models: a resource, data source or action declares a plain struct whose fields are
//! `Attr<T>` (null, unknown or known, like the Go framework's `types.String`), and reads or
//! writes the wire object in one call. The `model!` macro writes the conversions from the
//! field list, so each attribute name is spelt once; `check_model` tells a test whether a
//! model and its schema agree, so a misspelt name fails there, not at a user's apply.

use std::collections::BTreeMap;

use super::diagnostics::{AttributePath, Diagnostics};
use super::schema::Block;
use super::types::Type;
use super::value::{Number, Value};

/// One attribute's value in a model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Attr<T> {
    #[default]
    Null,
    /// Not known until apply.
    Unknown,
    Known(T),
}

impl<T> Attr<T> {
    pub fn known(value: impl Into<T>) -> Self {
        Attr::Known(value.into())
    }

    /// `Known` for `Some`, `Null` for `None`.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Attr::Null, Attr::Known)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }

    /// The value when known and not null.
    pub fn get(&self) -> Option<&T> {
        match self {
            Attr::Known(value) => Some(value),
            Attr::Null | Attr::Unknown => None,
        }
    }

    /// What the attribute holds once known: `Some(None)` for null, `None` while unknown.
    pub fn resolved(&self) -> Option<Option<&T>> {
        match self {
            Attr::Known(value) => Some(Some(value)),
            Attr::Null => Some(None),
            Attr::Unknown => None,
        }
    }

    pub fn into_option(self) -> Option<T> {
        match self {
            Attr::Known(value) => Some(value),
            Attr::Null | Attr::Unknown => None,
        }
    }
}

impl Attr<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.get().map(String::as_str)
    }
}

impl<T> From<Option<T>> for Attr<T> {
    fn from(value: Option<T>) -> Self {
        Attr::from_option(value)
    }
}

/// Why a wire value does not fit a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// Somewhere inside is a value not known yet, where the model has no room for one.
    #[error("{0}: not known yet")]
    Unknown(AttributePath),
    #[error("{path}: expected {expected}, got {found}")]
    Mismatch {
        path: AttributePath,
        expected: &'static str,
        found: String,
    },
}

/// A Rust type that stands for a cty value.
pub trait ModelValue: Sized {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError>;
    fn encode(&self) -> Value;
    /// Whether values of schema type `ty` decode into this type.
    fn accepts(ty: &Type) -> bool;
}

fn mismatch(path: &AttributePath, expected: &'static str, value: &Value) -> ModelError {
    if value.is_unknown() {
        return ModelError::Unknown(path.clone());
    }
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) | Value::Set(_) | Value::Tuple(_) => "a collection",
        Value::Map(_) | Value::Object(_) => "an object or map",
        Value::Unknown | Value::Dynamic(..) => "a dynamic value",
    };
    ModelError::Mismatch {
        path: path.clone(),
        expected,
        found: found.to_string(),
    }
}

impl<T: ModelValue> ModelValue for Attr<T> {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        if value.is_null() {
            return Ok(Attr::Null);
        }
        match T::decode(value, path) {
            Ok(decoded) => Ok(Attr::Known(decoded)),
            // A model without room for unknowns inside sees the whole attribute as unknown.
            Err(ModelError::Unknown(_)) => Ok(Attr::Unknown),
            Err(other) => Err(other),
        }
    }

    fn encode(&self) -> Value {
        match self {
            Attr::Null => Value::Null,
            Attr::Unknown => Value::Unknown,
            Attr::Known(value) => value.encode(),
        }
    }

    fn accepts(ty: &Type) -> bool {
        T::accepts(ty)
    }
}

impl ModelValue for String {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| mismatch(path, "a string", value))
    }

    fn encode(&self) -> Value {
        Value::String(self.clone())
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::String
    }
}

impl ModelValue for bool {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        value.as_bool().ok_or_else(|| mismatch(path, "a bool", value))
    }

    fn encode(&self) -> Value {
        Value::Bool(*self)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::Bool
    }
}

impl ModelValue for i64 {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        value
            .as_number()
            .and_then(Number::as_i64)
            .ok_or_else(|| mismatch(path, "a whole number", value))
    }

    fn encode(&self) -> Value {
        Value::from(*self)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::Number
    }
}

/// Lists and sets alike: element order is the wire's.
impl<T: ModelValue> ModelValue for Vec<T> {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        let elements = match value {
            Value::List(items) | Value::Set(items) => items,
            other => return Err(mismatch(path, "a list", other)),
        };
        elements
            .iter()
            .enumerate()
            .map(|(i, element)| T::decode(element, &path.index(i)))
            .collect()
    }

    fn encode(&self) -> Value {
        Value::List(self.iter().map(ModelValue::encode).collect())
    }

    fn accepts(ty: &Type) -> bool {
        match ty {
            Type::List(element) | Type::Set(element) => T::accepts(element),
            _ => false,
        }
    }
}

impl<T: ModelValue> ModelValue for BTreeMap<String, T> {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        let Value::Map(entries) = value else {
            return Err(mismatch(path, "a map", value));
        };
        entries
            .iter()
            .map(|(key, v)| Ok((key.clone(), T::decode(v, &path.key(key))?)))
            .collect()
    }

    fn encode(&self) -> Value {
        Value::Map(self.iter().map(|(k, v)| (k.clone(), v.encode())).collect())
    }

    fn accepts(ty: &Type) -> bool {
        matches!(ty, Type::Map(element) if T::accepts(element))
    }
}

/// One field of a model: its attribute name, and whether a schema type fits it.
pub type Field = (&'static str, fn(&Type) -> bool);

/// An object-shaped model: a resource's whole object, or a nested object. Written by `model!`.
pub trait Model: ModelValue + Default {
    /// Each field, in declaration order.
    fn fields() -> Vec<Field>;

    /// Reads the wire object; a value that does not fit becomes an error diagnostic (it means
    /// the model and the schema disagree, which `check_model` catches in tests).
    fn read(value: &Value, diags: &mut Diagnostics) -> Option<Self> {
        match Self::decode(value, &AttributePath::root()) {
            Ok(model) => Some(model),
            Err(error) => {
                diags.error(
                    "Provider model does not match its schema",
                    format!("{error}. This is a bug in the provider; please report it."),
                );
                None
            }
        }
    }

    /// The wire object.
    fn to_value(&self) -> Value {
        self.encode()
    }
}

#[doc(hidden)]
pub fn object_entries<'a>(
    value: &'a Value,
    path: &AttributePath,
) -> Result<&'a BTreeMap<String, Value>, ModelError> {
    match value {
        Value::Object(entries) => Ok(entries),
        other => Err(mismatch(path, "an object", other)),
    }
}

/// Whether model `M` and `block` name the same attributes and nested blocks with fitting
/// types; the differences, one per line, when not.
pub fn check_model<M: Model>(block: &Block) -> Result<(), String> {
    let schema_types: BTreeMap<String, Type> = match block.implied_type() {
        Type::Object(attributes) => attributes.into_iter().collect(),
        _ => BTreeMap::new(),
    };
    let mut problems = Vec::new();
    let fields = M::fields();
    for (name, accepts) in &fields {
        match schema_types.get(*name) {
            None => problems.push(format!("model field `{name}` is not in the schema")),
            Some(ty) if !accepts(ty) => {
                problems.push(format!("model field `{name}` does not fit schema type {ty:?}"))
            }
            Some(_) => {}
        }
    }
    for name in schema_types.keys() {
        if !fields.iter().any(|(field, _)| field == name) {
            problems.push(format!("schema attribute `{name}` has no model field"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Declares a model struct: every field becomes `pub name: Attr<T>`, and the struct gets its
/// `Model` conversions. A nested object (an element of a list of objects) is declared the
/// same way and used as a field type.
///
/// ```ignore
/// tfplug::model! {
///     /// `alicloud_ecs_command`.
///     pub struct Command {
///         name: String,
///         r#type: String,
///         timeout: i64,
///         parameter_names: Vec<String>,
///     }
/// }
/// ```
#[macro_export]
macro_rules! model {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($(#[$field_meta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        $vis struct $name {
            $($(#[$field_meta])* pub $field: $crate::Attr<$ty>,)*
        }

        impl $crate::ModelValue for $name {
            fn decode(value: &$crate::Value, path: &$crate::AttributePath) -> ::std::result::Result<Self, $crate::ModelError> {
                let entries = $crate::model::object_entries(value, path)?;
                Ok($name {
                    $($field: {
                        let name = $crate::model::strip_raw(stringify!($field));
                        $crate::ModelValue::decode(entries.get(name).unwrap_or(&$crate::Value::Null), &path.child(name))?
                    },)*
                })
            }

            fn encode(&self) -> $crate::Value {
                $crate::Value::Object(
                    [$(($crate::model::strip_raw(stringify!($field)).to_string(), $crate::ModelValue::encode(&self.$field)),)*]
                        .into_iter()
                        .collect(),
                )
            }

            fn accepts(ty: &$crate::Type) -> bool {
                let $crate::Type::Object(attributes) = ty else { return false };
                $crate::model::fits(&<$name as $crate::Model>::fields(), attributes)
            }
        }

        impl $crate::Model for $name {
            fn fields() -> ::std::vec::Vec<$crate::model::Field> {
                ::std::vec![
                    $(($crate::model::strip_raw(stringify!($field)), <$ty as $crate::ModelValue>::accepts),)*
                ]
            }
        }
    };
}

/// Whether an object type's attributes are exactly `fields`, each of a type it accepts.
#[doc(hidden)]
pub fn fits(fields: &[Field], attributes: &BTreeMap<String, Type>) -> bool {
    attributes.len() == fields.len()
        && fields
            .iter()
            .all(|(name, accepts)| attributes.get(*name).is_some_and(*accepts))
}

/// One object read as two models with no field in common: `base` holds what another schema
/// already models (a resource's attributes, say) and `extra` the rest (a data source's lookup
/// arguments), so a schema built from another one is modelled without repeating its fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merged<B, E> {
    pub base: B,
    pub extra: E,
}

impl<B: Model, E: Model> ModelValue for Merged<B, E> {
    fn decode(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        // Each part reads its own fields of the object and passes over the others'.
        Ok(Merged {
            base: B::decode(value, path)?,
            extra: E::decode(value, path)?,
        })
    }

    fn encode(&self) -> Value {
        match (self.base.encode(), self.extra.encode()) {
            (Value::Object(mut base), Value::Object(extra)) => {
                base.extend(extra);
                Value::Object(base)
            }
            (base, _) => base,
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(ty, Type::Object(attributes) if fits(&Self::fields(), attributes))
    }
}

impl<B: Model, E: Model> Model for Merged<B, E> {
    fn fields() -> Vec<Field> {
        B::fields().into_iter().chain(E::fields()).collect()
    }
}

/// The name of a field as Terraform spells it: `r#type` is the attribute `type`.
#[doc(hidden)]
pub const fn strip_raw(field: &'static str) -> &'static str {
    match field.as_bytes() {
        [b'r', b'#', rest @ ..] => match std::str::from_utf8(rest) {
            Ok(name) => name,
            Err(_) => field,
        },
        _ => field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, Block};

    crate::model! {
        struct Outcome {
            instance_id: String,
            exit_code: i64,
        }
    }

    crate::model! {
        struct Thing {
            name: String,
            r#type: String,
            ids: Vec<Attr<String>>,
            tags: BTreeMap<String, String>,
            enabled: bool,
            results: Vec<Outcome>,
        }
    }

    fn block() -> Block {
        let result = Type::object([("instance_id", Type::String), ("exit_code", Type::Number)]);
        Block::new("thing")
            .attribute(Attribute::required("name", Type::String))
            .attribute(Attribute::required("type", Type::String))
            .attribute(Attribute::optional("ids", Type::list(Type::String)))
            .attribute(Attribute::optional("tags", Type::map(Type::String)))
            .attribute(Attribute::optional("enabled", Type::Bool))
            .attribute(Attribute::computed("results", Type::list(result)))
    }

    #[test]
    fn a_model_round_trips_its_object() {
        let wire = Value::Object(
            [
                ("name".to_string(), Value::from("x")),
                ("type".to_string(), Value::from("RunShellScript")),
                (
                    "ids".to_string(),
                    Value::List(vec![Value::from("a"), Value::Unknown]),
                ),
                ("tags".to_string(), Value::Unknown),
                ("enabled".to_string(), Value::Null),
                (
                    "results".to_string(),
                    Value::List(vec![Value::Object(
                        [
                            ("instance_id".to_string(), Value::from("i-1")),
                            ("exit_code".to_string(), Value::from(3)),
                        ]
                        .into(),
                    )]),
                ),
            ]
            .into(),
        );
        let mut diags = Diagnostics::new();
        let thing = Thing::read(&wire, &mut diags).unwrap();
        assert_eq!(thing.r#type.as_deref(), Some("RunShellScript"));
        assert_eq!(thing.ids.get().unwrap()[1], Attr::Unknown);
        assert!(thing.tags.is_unknown() && thing.enabled.is_null());
        assert_eq!(thing.results.get().unwrap()[0].exit_code, Attr::Known(3));
        assert_eq!(thing.to_value(), wire);
    }

    #[test]
    fn an_unknown_inside_a_plain_collection_makes_the_attribute_unknown() {
        let decoded: Attr<Vec<String>> =
            ModelValue::decode(&Value::List(vec![Value::Unknown]), &AttributePath::root()).unwrap();
        assert!(decoded.is_unknown());
    }

    #[test]
    fn a_wrong_type_names_its_path() {
        let wire = Value::Object([("name".to_string(), Value::Bool(true))].into());
        let error = Thing::decode(&wire, &AttributePath::root()).unwrap_err();
        assert!(
            error.to_string().starts_with("name: expected a string"),
            "{error}"
        );
    }

    #[test]
    fn model_and_schema_agreement_is_checked() {
        assert_eq!(check_model::<Thing>(&block()), Ok(()));
        let missing = block().attribute(Attribute::optional("extra", Type::String));
        assert!(check_model::<Thing>(&missing)
            .unwrap_err()
            .contains("`extra` has no model field"));
        let wrong = Block::new("thing").attribute(Attribute::required("name", Type::Bool));
        let problems = check_model::<Thing>(&wrong).unwrap_err();
        assert!(problems.contains("`name` does not fit"), "{problems}");
        assert!(problems.contains("`type` is not in the schema"), "{problems}");
    }

    crate::model! {
        struct Extra {
            wanted: String,
        }
    }

    #[test]
    fn a_merged_model_reads_and_writes_both_parts_of_one_object() {
        let schema = block().attribute(Attribute::optional("wanted", Type::String));
        assert_eq!(check_model::<Merged<Thing, Extra>>(&schema), Ok(()));
        assert!(check_model::<Merged<Thing, Extra>>(&block())
            .unwrap_err()
            .contains("`wanted` is not in the schema"));
        let wire = Value::Object(
            [
                ("name".to_string(), Value::from("x")),
                ("wanted".to_string(), Value::from("y")),
            ]
            .into(),
        );
        let merged = Merged::<Thing, Extra>::decode(&wire, &AttributePath::root()).unwrap();
        assert_eq!(merged.base.name, Attr::known("x"));
        assert_eq!(merged.extra.wanted, Attr::known("y"));
        let Value::Object(written) = merged.encode() else {
            panic!("an object");
        };
        assert_eq!(written.len(), Merged::<Thing, Extra>::fields().len());
        assert_eq!(written.get("wanted"), Some(&Value::from("y")));
    }
}
