//! Nested attributes (protocol 6 `nested_type`): an attribute whose value is one object, or a
//! list, set or map of objects, each attribute of which has its own flags. Unlike a nested
//! block, one field can be sensitive while the others show in plans and outputs, and the
//! whole attribute can be computed. Owns the nesting modes and the attribute's type as the
//! schema builder takes it (a cty type, or objects); the engine and the wire conversion
//! recurse through [`NestedObject::object`].

use super::schema::{Attribute, Block, Nesting};
use super::types::Type;

/// How the objects of a nested attribute are held (the protocol's `Object.NestingMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectNesting {
    Single,
    List,
    Set,
    Map,
}

impl From<ObjectNesting> for Nesting {
    /// A nested block of the same mode holds its objects the same way.
    fn from(nesting: ObjectNesting) -> Nesting {
        match nesting {
            ObjectNesting::Single => Nesting::Single,
            ObjectNesting::List => Nesting::List,
            ObjectNesting::Set => Nesting::Set,
            ObjectNesting::Map => Nesting::Map,
        }
    }
}

/// The objects of a nested attribute: their attributes and how they are held.
#[derive(Clone)]
pub struct NestedObject {
    pub nesting: ObjectNesting,
    /// The attributes of each object, as a block without nested blocks (the protocol allows
    /// none inside a nested attribute).
    pub object: Block,
}

impl NestedObject {
    pub fn new(nesting: ObjectNesting, attributes: impl IntoIterator<Item = Attribute>) -> Self {
        let object = attributes.into_iter().fold(Block::default(), Block::attribute);
        NestedObject { nesting, object }
    }

    /// A list of objects of `attributes`.
    pub fn list(attributes: impl IntoIterator<Item = Attribute>) -> Self {
        Self::new(ObjectNesting::List, attributes)
    }

    /// The attribute's cty type: the object type, or a list, set or map of it.
    pub fn implied_type(&self) -> Type {
        let object = self.object.implied_type();
        match self.nesting {
            ObjectNesting::Single => object,
            ObjectNesting::List => Type::list(object),
            ObjectNesting::Set => Type::set(object),
            ObjectNesting::Map => Type::map(object),
        }
    }
}

/// What an attribute constructor takes as its type: a cty type, or nested attributes (whose
/// cty type is derived, so the two cannot disagree).
pub struct AttributeType {
    pub(crate) ty: Type,
    pub(crate) nested: Option<NestedObject>,
}

impl From<Type> for AttributeType {
    fn from(ty: Type) -> Self {
        AttributeType { ty, nested: None }
    }
}

impl From<NestedObject> for AttributeType {
    fn from(object: NestedObject) -> Self {
        AttributeType {
            ty: object.implied_type(),
            nested: Some(object),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{decode_value, encode_value};
    use crate::msgpack;
    use crate::value::Value;

    fn results() -> Attribute {
        Attribute::computed(
            "results",
            NestedObject::list([
                Attribute::computed("exit_code", Type::Number),
                Attribute::computed("output", Type::String).sensitive(),
            ]),
        )
    }

    #[test]
    fn the_type_is_derived_from_the_objects() {
        let object = Type::object([("exit_code", Type::Number), ("output", Type::String)]);
        assert_eq!(results().ty, Type::list(object.clone()));
        let nested = results().nested.unwrap();
        assert!(nested.object.get_attribute("output").unwrap().sensitive);
        assert!(!nested.object.get_attribute("exit_code").unwrap().sensitive);
        for (nesting, ty) in [
            (ObjectNesting::Single, object.clone()),
            (ObjectNesting::Set, Type::set(object.clone())),
            (ObjectNesting::Map, Type::map(object.clone())),
        ] {
            let objects = NestedObject::new(nesting, nested.object.attributes.clone());
            assert_eq!(objects.implied_type(), ty);
        }
        assert_eq!(Nesting::from(ObjectNesting::List), Nesting::List);
    }

    #[test]
    fn a_sensitive_nested_attribute_hides_every_field() {
        let hidden = results().sensitive().nested.unwrap();
        assert!(hidden.object.attributes.iter().all(|a| a.sensitive));
    }

    #[test]
    fn a_list_of_objects_round_trips_through_json_and_msgpack() {
        let ty = Type::object([("results", results().ty)]);
        let element = |code: i64, output: Option<&str>| {
            Value::Object(
                [
                    ("exit_code".to_string(), Value::from(code)),
                    ("output".to_string(), output.map_or(Value::Null, Value::from)),
                ]
                .into(),
            )
        };
        let value = Value::Object(
            [(
                "results".to_string(),
                Value::List(vec![element(0, Some("ok\n")), element(3, None)]),
            )]
            .into(),
        );
        let json = encode_value(&value, &ty).unwrap();
        assert_eq!(decode_value(json.as_bytes(), &ty).unwrap(), value);
        let packed = msgpack::encode(&value, &ty).unwrap();
        assert_eq!(msgpack::decode(&packed, &ty).unwrap(), value);
        // Known after apply: the whole list unknown.
        let unknown = Value::Object([("results".to_string(), Value::Unknown)].into());
        let packed = msgpack::encode(&unknown, &ty).unwrap();
        assert_eq!(msgpack::decode(&packed, &ty).unwrap(), unknown);
    }
}
