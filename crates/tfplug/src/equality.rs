//! Value equality as Terraform judges a change: numbers by value, sets regardless of order,
//! an unknown equal to nothing (it may turn out to be anything).

use std::collections::BTreeMap;

use super::decimal::Decimal;
use super::value::{Number, Value};

/// True when `a` and `b` are the same known value.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Unknown, _) | (_, Value::Unknown) => false,
        (Value::Dynamic(ta, va), Value::Dynamic(tb, vb)) => ta == tb && same_value(va, vb),
        (Value::Dynamic(_, inner), other) | (other, Value::Dynamic(_, inner)) => same_value(inner, other),
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Set(xs), Value::Set(ys) | Value::List(ys) | Value::Tuple(ys))
        | (Value::List(xs) | Value::Tuple(xs), Value::Set(ys)) => same_members(xs, ys),
        (Value::List(xs) | Value::Tuple(xs), Value::List(ys) | Value::Tuple(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(xs) | Value::Object(xs), Value::Map(ys) | Value::Object(ys)) => same_entries(xs, ys),
        _ => false,
    }
}

fn same_number(a: &Number, b: &Number) -> bool {
    match (Decimal::parse(a.as_str()), Decimal::parse(b.as_str())) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Each element of `xs` pairs with a distinct equal element of `ys`.
fn same_members(xs: &[Value], ys: &[Value]) -> bool {
    if xs.len() != ys.len() {
        return false;
    }
    let mut used = vec![false; ys.len()];
    xs.iter().all(|x| {
        let found = ys
            .iter()
            .zip(used.iter_mut())
            .find(|(y, used)| !**used && same_value(x, y));
        match found {
            Some((_, used)) => {
                *used = true;
                true
            }
            None => false,
        }
    })
}

fn same_entries(xs: &BTreeMap<String, Value>, ys: &BTreeMap<String, Value>) -> bool {
    xs.len() == ys.len()
        && xs
            .iter()
            .zip(ys)
            .all(|((kx, vx), (ky, vy))| kx == ky && same_value(vx, vy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Type;

    fn num(text: &str) -> Value {
        Value::Number(Number::parse(text).unwrap())
    }

    #[test]
    fn unknown_equals_nothing() {
        assert!(!same_value(&Value::Unknown, &Value::Unknown));
        assert!(!same_value(
            &Value::List(vec![Value::Unknown]),
            &Value::List(vec![Value::Unknown])
        ));
        assert!(same_value(&Value::Null, &Value::Null));
        assert!(!same_value(&Value::Null, &"".into()));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_value(&num("1.50"), &num("1.5")));
        assert!(same_value(&num("1e2"), &num("100")));
        assert!(!same_value(&num("0.1"), &num("0.10000001")));
    }

    #[test]
    fn sets_ignore_order_lists_do_not() {
        let a = vec!["x".into(), "y".into(), "y".into()];
        let b = vec!["y".into(), "x".into(), "y".into()];
        let c = vec!["y".into(), "x".into(), "x".into()];
        assert!(same_value(&Value::Set(a.clone()), &Value::Set(b.clone())));
        assert!(!same_value(&Value::Set(a.clone()), &Value::Set(c)));
        assert!(!same_value(&Value::List(a), &Value::List(b)));
    }

    #[test]
    fn dynamic_wrappers_compare_their_contents() {
        let wrapped = Value::Dynamic(Type::Bool, Box::new(Value::Bool(true)));
        assert!(same_value(&wrapped, &Value::Bool(true)));
        assert!(!same_value(
            &wrapped,
            &Value::Dynamic(Type::String, Box::new("true".into()))
        ));
        let maps = |v: &str| Value::Map([("k".to_string(), v.into())].into());
        assert!(same_value(&maps("a"), &maps("a")));
        assert!(!same_value(&maps("a"), &maps("b")));
    }
}
