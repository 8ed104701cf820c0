//! The type-directed walk shared by the msgpack and JSON encoders: checks a value against the
//! schema type, writes every object attribute (missing ones as null), and resolves the concrete
//! type of values under `dynamic` (the `Value::Dynamic` wrapper, or inferred from the value).

use std::collections::BTreeMap;

use super::codec_error::{type_name, CodecError};
use super::diagnostics::AttributePath;
use super::types::Type;
use super::value::{Number, Value};

/// Deepest nesting the codecs accept, in both directions.
pub(crate) const MAX_DEPTH: usize = 128;

/// Receives the walk's output; each encoder turns these events into its own format.
pub(crate) trait Sink {
    fn null(&mut self);
    fn unknown(&mut self, path: &AttributePath) -> Result<(), CodecError>;
    fn bool(&mut self, value: bool);
    fn number(&mut self, value: &Number, path: &AttributePath) -> Result<(), CodecError>;
    fn string(&mut self, value: &str);
    fn begin_seq(&mut self, len: usize);
    fn end_seq(&mut self);
    fn begin_map(&mut self, len: usize);
    fn key(&mut self, key: &str);
    fn end_map(&mut self);
    /// Opens the dynamic wrapper for a value of concrete type `ty`; the value follows.
    fn begin_dynamic(&mut self, ty: &Type);
    fn end_dynamic(&mut self);
}

/// Walks `value` as a value of type `ty`. Lists, sets and tuples accept any sequence value, maps
/// and objects any entries value, so providers need not mirror the schema's collection kinds.
pub(crate) fn walk(
    value: &Value,
    ty: &Type,
    path: &AttributePath,
    depth: usize,
    sink: &mut dyn Sink,
) -> Result<(), CodecError> {
    if depth > MAX_DEPTH {
        return Err(CodecError::TooDeep {
            path: path.clone(),
            limit: MAX_DEPTH,
        });
    }
    match value {
        Value::Unknown => return sink.unknown(path),
        Value::Null => {
            sink.null();
            return Ok(());
        }
        _ => {}
    }
    if *ty == Type::Dynamic {
        return walk_dynamic(value, path, depth, sink);
    }
    match (ty, value) {
        (_, Value::Dynamic(wrapped, inner)) if wrapped == ty => walk(inner, ty, path, depth, sink),
        (Type::String, Value::String(s)) => {
            check_len(s.len(), path)?;
            sink.string(s);
            Ok(())
        }
        (Type::Number, Value::Number(n)) => sink.number(n, path),
        (Type::Bool, Value::Bool(b)) => {
            sink.bool(*b);
            Ok(())
        }
        (
            Type::List(element) | Type::Set(element),
            Value::List(items) | Value::Set(items) | Value::Tuple(items),
        ) => {
            check_len(items.len(), path)?;
            sink.begin_seq(items.len());
            for (i, item) in items.iter().enumerate() {
                walk(item, element, &path.index(i), depth + 1, sink)?;
            }
            sink.end_seq();
            Ok(())
        }
        (Type::Tuple(elements), Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
            if items.len() != elements.len() {
                return Err(CodecError::TupleLength {
                    path: path.clone(),
                    expected: elements.len(),
                    found: items.len(),
                });
            }
            sink.begin_seq(items.len());
            for (i, (item, element)) in items.iter().zip(elements).enumerate() {
                walk(item, element, &path.index(i), depth + 1, sink)?;
            }
            sink.end_seq();
            Ok(())
        }
        (Type::Map(element), Value::Map(entries) | Value::Object(entries)) => {
            check_len(entries.len(), path)?;
            sink.begin_map(entries.len());
            for (key, item) in entries {
                check_len(key.len(), path)?;
                sink.key(key);
                walk(item, element, &path.key(key.as_str()), depth + 1, sink)?;
            }
            sink.end_map();
            Ok(())
        }
        (Type::Object(attributes), Value::Object(entries) | Value::Map(entries)) => {
            if let Some(extra) = entries.keys().find(|k| !attributes.contains_key(*k)) {
                return Err(CodecError::UnknownAttribute {
                    path: path.clone(),
                    name: extra.clone(),
                });
            }
            sink.begin_map(attributes.len());
            for (name, attribute_ty) in attributes {
                sink.key(name);
                let item = entries.get(name).unwrap_or(&Value::Null);
                walk(item, attribute_ty, &path.child(name.as_str()), depth + 1, sink)?;
            }
            sink.end_map();
            Ok(())
        }
        _ => Err(CodecError::mismatch(path, ty, value_kind(value))),
    }
}

fn walk_dynamic(
    value: &Value,
    path: &AttributePath,
    depth: usize,
    sink: &mut dyn Sink,
) -> Result<(), CodecError> {
    let (ty, inner) = match value {
        Value::Dynamic(ty, inner) => (ty.clone(), inner.as_ref()),
        other => (infer_type(other, path, depth)?, other),
    };
    if ty == Type::Dynamic {
        return walk(inner, &Type::Dynamic, path, depth + 1, sink);
    }
    sink.begin_dynamic(&ty);
    walk(inner, &ty, path, depth + 1, sink)?;
    sink.end_dynamic();
    Ok(())
}

fn check_len(len: usize, path: &AttributePath) -> Result<(), CodecError> {
    if u32::try_from(len).is_err() {
        return Err(CodecError::TooLong { path: path.clone() });
    }
    Ok(())
}

/// The concrete type of a value given without a `Value::Dynamic` wrapper. Nulls and unknowns
/// say nothing, so they infer `dynamic`, which any sibling's type then refines.
fn infer_type(value: &Value, path: &AttributePath, depth: usize) -> Result<Type, CodecError> {
    if depth > MAX_DEPTH {
        return Err(CodecError::TooDeep {
            path: path.clone(),
            limit: MAX_DEPTH,
        });
    }
    Ok(match value {
        Value::Null | Value::Unknown => Type::Dynamic,
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::Dynamic(ty, _) => ty.clone(),
        Value::List(items) => Type::list(element_type(indexed(items, path), depth)?),
        Value::Set(items) => Type::set(element_type(indexed(items, path), depth)?),
        Value::Map(entries) => Type::map(element_type(
            entries.iter().map(|(k, v)| (path.key(k), v)),
            depth,
        )?),
        Value::Tuple(items) => Type::Tuple(
            indexed(items, path)
                .map(|(p, item)| infer_type(item, &p, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(entries) => Type::Object(
            entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), infer_type(v, &path.child(k.as_str()), depth + 1)?)))
                .collect::<Result<BTreeMap<_, _>, CodecError>>()?,
        ),
    })
}

/// The one type all elements of a collection share.
fn element_type<'v>(
    mut items: impl Iterator<Item = (AttributePath, &'v Value)>,
    depth: usize,
) -> Result<Type, CodecError> {
    items.try_fold(Type::Dynamic, |acc, (path, item)| {
        let ty = infer_type(item, &path, depth + 1)?;
        unify(&acc, &ty).ok_or_else(|| CodecError::AmbiguousType {
            path,
            reason: "elements have different types; wrap the value in Value::Dynamic".into(),
        })
    })
}

fn indexed<'a>(
    items: &'a [Value],
    path: &'a AttributePath,
) -> impl Iterator<Item = (AttributePath, &'a Value)> + 'a {
    items
        .iter()
        .enumerate()
        .map(move |(i, item)| (path.index(i), item))
}

/// The most specific type both inferred types fit, `dynamic` standing for "not known yet".
fn unify(a: &Type, b: &Type) -> Option<Type> {
    Some(match (a, b) {
        (Type::Dynamic, other) | (other, Type::Dynamic) => other.clone(),
        (Type::List(x), Type::List(y)) => Type::list(unify(x, y)?),
        (Type::Set(x), Type::Set(y)) => Type::set(unify(x, y)?),
        (Type::Map(x), Type::Map(y)) => Type::map(unify(x, y)?),
        (Type::Tuple(xs), Type::Tuple(ys)) if xs.len() == ys.len() => Type::Tuple(
            xs.iter()
                .zip(ys)
                .map(|(x, y)| unify(x, y))
                .collect::<Option<_>>()?,
        ),
        (Type::Object(xs), Type::Object(ys)) if xs.keys().eq(ys.keys()) => Type::Object(
            xs.iter()
                .zip(ys.values())
                .map(|((k, x), y)| Some((k.clone(), unify(x, y)?)))
                .collect::<Option<_>>()?,
        ),
        (x, y) if x == y => x.clone(),
        _ => return None,
    })
}

/// What kind of value was found, for mismatch errors (never the value itself).
pub(crate) fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
        Value::Dynamic(ty, _) => type_name(ty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(value: &Value) -> Result<Type, CodecError> {
        infer_type(value, &AttributePath::root(), 0)
    }

    #[test]
    fn infers_types_of_plain_values() {
        let value = Value::Object(BTreeMap::from([
            ("a".to_string(), Value::List(vec![Value::Null, Value::from("x")])),
            (
                "b".to_string(),
                Value::Tuple(vec![Value::from(1), Value::from(true)]),
            ),
        ]));
        assert_eq!(
            infer(&value).unwrap(),
            Type::object([
                ("a", Type::list(Type::String)),
                ("b", Type::Tuple(vec![Type::Number, Type::Bool])),
            ])
        );
        assert_eq!(infer(&Value::Set(vec![])).unwrap(), Type::set(Type::Dynamic));
    }

    #[test]
    fn rejects_mixed_element_types() {
        let err = infer(&Value::List(vec![Value::from("x"), Value::from(1)])).unwrap_err();
        assert!(matches!(err, CodecError::AmbiguousType { .. }), "{err}");
    }
}
