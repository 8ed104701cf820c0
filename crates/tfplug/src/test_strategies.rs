//! proptest strategies for the codec tests: arbitrary cty types and well-typed values, with
//! numbers in the canonical text the decoders produce, so round-trips compare exactly.

use proptest::prelude::*;

use super::decimal::Decimal;
use super::types::Type;
use super::value::{Number, Value};

pub(crate) fn arb_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map("[a-z_]{1,6}", inner.clone(), 0..4).prop_map(Type::Object),
            prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
}

pub(crate) fn arb_number() -> impl Strategy<Value = Number> {
    let canonical = |text: String| Number::parse(&Decimal::parse(&text).unwrap().canonical()).unwrap();
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(move |f| canonical(format!("{f:e}"))),
        (any::<i32>(), 1u32..30).prop_map(move |(m, e)| canonical(format!("{m}e-{e}"))),
        "-?[1-9][0-9]{19,40}".prop_map(canonical),
    ]
}

/// A value of type `ty`; `unknowns` allows unknown values (msgpack) or not (JSON).
pub(crate) fn arb_value(ty: &Type, unknowns: bool, depth: u32) -> BoxedStrategy<Value> {
    let known: BoxedStrategy<Value> = match ty {
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::List(element) => prop::collection::vec(arb_value(element, unknowns, depth + 1), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(element) => prop::collection::vec(arb_value(element, unknowns, depth + 1), 0..4)
            .prop_map(Value::Set)
            .boxed(),
        Type::Map(element) => {
            prop::collection::btree_map(".{0,5}", arb_value(element, unknowns, depth + 1), 0..4)
                .prop_map(Value::Map)
                .boxed()
        }
        Type::Object(attributes) => attributes
            .iter()
            .map(|(name, attribute_ty)| {
                let name = name.clone();
                arb_value(attribute_ty, unknowns, depth + 1).prop_map(move |v| (name.clone(), v))
            })
            .collect::<Vec<_>>()
            .prop_map(|entries| Value::Object(entries.into_iter().collect()))
            .boxed(),
        Type::Tuple(elements) => elements
            .iter()
            .map(|element| arb_value(element, unknowns, depth + 1))
            .collect::<Vec<_>>()
            .prop_map(Value::Tuple)
            .boxed(),
        Type::Dynamic if depth > 3 => Just(Value::Dynamic(Type::Bool, Box::new(Value::Bool(true)))).boxed(),
        Type::Dynamic => arb_type()
            .prop_filter("concrete", |t| *t != Type::Dynamic)
            .prop_flat_map(move |t| {
                arb_value(&t, unknowns, depth + 1).prop_map(move |v| Value::Dynamic(t.clone(), Box::new(v)))
            })
            .boxed(),
    };
    if unknowns {
        prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 6 => known].boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 6 => known].boxed()
    }
}

pub(crate) fn arb_typed_value(unknowns: bool) -> impl Strategy<Value = (Type, Value)> {
    arb_type().prop_flat_map(move |ty| {
        let values = arb_value(&ty, unknowns, 0);
        (Just(ty), values)
    })
}

/// Whether a known, non-null value of type `a` can never be read as type `b`: their wire
/// shapes differ (a bool is not a number, an array is not a map). Numbers and strings are
/// left out (cty sends big numbers as strings), bools and strings too (cty converts between
/// them), as is `Dynamic` (it takes anything).
pub(crate) fn shapes_differ(a: &Type, b: &Type) -> bool {
    fn shape(ty: &Type) -> Option<u8> {
        match ty {
            Type::Bool => Some(0),
            Type::String | Type::Number => Some(1),
            Type::List(_) | Type::Set(_) | Type::Tuple(_) => Some(2),
            Type::Map(_) | Type::Object(_) => Some(3),
            Type::Dynamic => None,
        }
    }
    let bool_and_string = matches!((a, b), (Type::Bool, Type::String) | (Type::String, Type::Bool));
    !bool_and_string && matches!((shape(a), shape(b)), (Some(x), Some(y)) if x != y)
}
