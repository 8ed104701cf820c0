//! The JSON forms of cty: type JSON (schemas and the dynamic wrapper) and value JSON (the raw
//! state `UpgradeResourceState` receives). Value JSON is read type-directed and leniently, as
//! go-cty does: numbers stay exact decimal text, primitives convert, missing attributes are null.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::codec_error::CodecError;
use super::decimal;
use super::diagnostics::AttributePath;
use super::encoder::MAX_DEPTH;
#[cfg(test)]
use super::encoder::{walk, Sink};
use super::types::Type;
use super::value::{Number, Value};

/// Terraform's type JSON: `"string"`, `["list","string"]`, `["object",{"a":"bool"}]`, ...
pub fn type_json(ty: &Type) -> String {
    let mut out = String::new();
    write_type(ty, &mut out);
    out
}

fn write_type(ty: &Type, out: &mut String) {
    let collection = |kind: &str, element: &Type, out: &mut String| {
        out.push_str(&format!("[\"{kind}\","));
        write_type(element, out);
        out.push(']');
    };
    match ty {
        Type::String => out.push_str("\"string\""),
        Type::Number => out.push_str("\"number\""),
        Type::Bool => out.push_str("\"bool\""),
        Type::Dynamic => out.push_str("\"dynamic\""),
        Type::List(element) => collection("list", element, out),
        Type::Set(element) => collection("set", element, out),
        Type::Map(element) => collection("map", element, out),
        Type::Object(attributes) => {
            out.push_str("[\"object\",{");
            for (i, (name, attribute_ty)) in attributes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quote(name));
                out.push(':');
                write_type(attribute_ty, out);
            }
            out.push_str("}]");
        }
        Type::Tuple(elements) => {
            out.push_str("[\"tuple\",[");
            for (i, element) in elements.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_type(element, out);
            }
            out.push_str("]]");
        }
    }
}

/// Parses type JSON. The optional-attributes list some type constraints carry as a third
/// element of `["object", ...]` is accepted and ignored: values never have optional attributes.
/// Decoding reads types through `parse_type_json_at`; this entry serves the codec tests.
#[cfg(test)]
pub fn parse_type_json(text: &[u8]) -> Result<Type, CodecError> {
    parse_type_json_at(text, &AttributePath::root())
}

pub(crate) fn parse_type_json_at(text: &[u8], path: &AttributePath) -> Result<Type, CodecError> {
    let json: serde_json::Value = serde_json::from_slice(text).map_err(|e| json_error(&e, path))?;
    type_from_json(&json).map_err(|reason| CodecError::InvalidType {
        path: path.clone(),
        reason,
    })
}

fn type_from_json(json: &serde_json::Value) -> Result<Type, String> {
    use serde_json::Value as J;
    match json {
        J::String(name) => match name.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "dynamic" => Ok(Type::Dynamic),
            other => Err(format!("unknown primitive type {other:?}")),
        },
        J::Array(parts) => match parts.as_slice() {
            [J::String(kind), element] if kind == "list" => Ok(Type::list(type_from_json(element)?)),
            [J::String(kind), element] if kind == "set" => Ok(Type::set(type_from_json(element)?)),
            [J::String(kind), element] if kind == "map" => Ok(Type::map(type_from_json(element)?)),
            [J::String(kind), J::Object(attributes)]
            | [J::String(kind), J::Object(attributes), J::Array(_)]
                if kind == "object" =>
            {
                let attributes = attributes
                    .iter()
                    .map(|(name, ty)| Ok((name.clone(), type_from_json(ty)?)))
                    .collect::<Result<BTreeMap<_, _>, String>>()?;
                Ok(Type::Object(attributes))
            }
            [J::String(kind), J::Array(elements)] if kind == "tuple" => Ok(Type::Tuple(
                elements.iter().map(type_from_json).collect::<Result<_, _>>()?,
            )),
            [J::String(kind), ..] => Err(format!("malformed {kind:?} type")),
            _ => Err("a type array must start with its kind".into()),
        },
        _ => Err("a type is a string or an array".into()),
    }
}

/// Decodes value JSON of type `ty` (no unknowns exist in JSON). For objects, attributes missing
/// from the JSON become null and attributes the type lacks are dropped: raw state may predate or
/// outlive the current schema.
pub fn decode_value(json: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let root = AttributePath::root();
    let text = std::str::from_utf8(json).map_err(|_| CodecError::InvalidUtf8 { path: root.clone() })?;
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| json_error(&e, &root))?;
    decode_raw(raw, ty, &root, 0)
}

/// Encodes a wholly known value of type `ty` as value JSON. Terraform is only ever answered in
/// msgpack, so this serves the decoder's round-trip tests.
#[cfg(test)]
pub fn encode_value(value: &Value, ty: &Type) -> Result<String, CodecError> {
    let mut writer = JsonWriter::default();
    walk(value, ty, &AttributePath::root(), 0, &mut writer)?;
    Ok(writer.out)
}

/// The dynamic wrapper of value JSON.
#[derive(Deserialize)]
struct DynamicJson<'a> {
    #[serde(borrow, rename = "type")]
    ty: &'a RawValue,
    #[serde(borrow)]
    value: &'a RawValue,
}

fn decode_raw(raw: &RawValue, ty: &Type, path: &AttributePath, depth: usize) -> Result<Value, CodecError> {
    if depth > MAX_DEPTH {
        return Err(CodecError::TooDeep {
            path: path.clone(),
            limit: MAX_DEPTH,
        });
    }
    let text = raw.get().trim_start();
    let token = Token::of(text);
    let parse_err = |e: serde_json::Error| json_error(&e, path);
    let mismatch = || CodecError::mismatch(path, ty, token.kind());
    if token == Token::Null {
        return Ok(Value::Null);
    }
    Ok(match (ty, token) {
        (Type::Dynamic, Token::Object) => {
            let wrapper: DynamicJson<'_> = serde_json::from_str(text).map_err(parse_err)?;
            let inner_ty = parse_type_json_at(wrapper.ty.get().as_bytes(), path)?;
            let inner = decode_raw(wrapper.value, &inner_ty, path, depth + 1)?;
            Value::Dynamic(inner_ty, Box::new(inner))
        }
        (Type::String, Token::String) => Value::String(serde_json::from_str(text).map_err(parse_err)?),
        (Type::String, Token::Number | Token::Bool) => Value::String(text.trim_end().to_string()),
        (Type::Number, Token::Number) => Value::Number(number(text.trim_end(), path)?),
        (Type::Number, Token::String) => {
            let s: String = serde_json::from_str(text).map_err(parse_err)?;
            Value::Number(number(&s, path)?)
        }
        (Type::Bool, Token::Bool) => Value::Bool(text.starts_with('t')),
        (Type::Bool, Token::String) => {
            match serde_json::from_str::<String>(text).map_err(parse_err)?.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(mismatch()),
            }
        }
        (Type::List(element) | Type::Set(element), Token::Array) => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(parse_err)?;
            let values = items
                .iter()
                .enumerate()
                .map(|(i, item)| decode_raw(item, element, &path.index(i), depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            if matches!(ty, Type::Set(_)) {
                Value::Set(values)
            } else {
                Value::List(values)
            }
        }
        (Type::Tuple(elements), Token::Array) => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(parse_err)?;
            if items.len() != elements.len() {
                return Err(CodecError::TupleLength {
                    path: path.clone(),
                    expected: elements.len(),
                    found: items.len(),
                });
            }
            Value::Tuple(
                items
                    .iter()
                    .zip(elements)
                    .enumerate()
                    .map(|(i, (item, element))| decode_raw(item, element, &path.index(i), depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        (Type::Map(element), Token::Object) => {
            let entries: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(parse_err)?;
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, item)| Ok((k.clone(), decode_raw(item, element, &path.key(k), depth + 1)?)))
                    .collect::<Result<_, CodecError>>()?,
            )
        }
        (Type::Object(attributes), Token::Object) => {
            let entries: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(parse_err)?;
            Value::Object(
                attributes
                    .iter()
                    .map(|(name, attribute_ty)| {
                        let value = match entries.get(name) {
                            Some(item) => {
                                decode_raw(item, attribute_ty, &path.child(name.as_str()), depth + 1)?
                            }
                            None => Value::Null,
                        };
                        Ok((name.clone(), value))
                    })
                    .collect::<Result<_, CodecError>>()?,
            )
        }
        (Type::Dynamic, _) => {
            return Err(CodecError::Mismatch {
                path: path.clone(),
                expected: "dynamic value ({\"type\":..,\"value\":..})".into(),
                found: token.kind().into(),
            })
        }
        _ => return Err(mismatch()),
    })
}

fn number(text: &str, path: &AttributePath) -> Result<Number, CodecError> {
    decimal::number_from_text(text).ok_or_else(|| CodecError::InvalidNumber {
        path: path.clone(),
        reason: "not decimal text",
    })
}

/// The kind of a JSON value, told by its first character (the text is already valid JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Token {
    fn of(text: &str) -> Token {
        match text.as_bytes().first() {
            Some(b'n') => Token::Null,
            Some(b't' | b'f') => Token::Bool,
            Some(b'"') => Token::String,
            Some(b'[') => Token::Array,
            Some(b'{') => Token::Object,
            _ => Token::Number,
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Token::Null => "null",
            Token::Bool => "bool",
            Token::Number => "number",
            Token::String => "string",
            Token::Array => "array",
            Token::Object => "object",
        }
    }
}

/// serde_json's messages can quote the input; only its category and position are kept.
fn json_error(error: &serde_json::Error, path: &AttributePath) -> CodecError {
    CodecError::InvalidJson {
        path: path.clone(),
        reason: format!(
            "{:?} error at line {} column {}",
            error.classify(),
            error.line(),
            error.column()
        ),
    }
}

fn quote(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Value JSON output; tracks, per open array or object, whether a comma is due.
#[cfg(test)]
#[derive(Default)]
struct JsonWriter {
    out: String,
    has_items: Vec<bool>,
    after_key: bool,
}

#[cfg(test)]
impl JsonWriter {
    fn start_value(&mut self) {
        if std::mem::take(&mut self.after_key) {
            return;
        }
        self.separate();
    }

    fn separate(&mut self) {
        if let Some(has_items) = self.has_items.last_mut() {
            if std::mem::replace(has_items, true) {
                self.out.push(',');
            }
        }
    }

    fn open(&mut self, bracket: char) {
        self.start_value();
        self.out.push(bracket);
        self.has_items.push(false);
    }

    fn close(&mut self, bracket: char) {
        self.has_items.pop();
        self.out.push(bracket);
    }
}

#[cfg(test)]
impl Sink for JsonWriter {
    fn null(&mut self) {
        self.start_value();
        self.out.push_str("null");
    }

    fn unknown(&mut self, path: &AttributePath) -> Result<(), CodecError> {
        Err(CodecError::UnknownNotAllowed { path: path.clone() })
    }

    fn bool(&mut self, value: bool) {
        self.start_value();
        self.out.push_str(if value { "true" } else { "false" });
    }

    fn number(&mut self, value: &Number, path: &AttributePath) -> Result<(), CodecError> {
        let text = decimal::canonical_text(value).ok_or_else(|| CodecError::InvalidNumber {
            path: path.clone(),
            reason: "out of range",
        })?;
        self.start_value();
        self.out.push_str(&text);
        Ok(())
    }

    fn string(&mut self, value: &str) {
        self.start_value();
        self.out.push_str(&quote(value));
    }

    fn begin_seq(&mut self, _len: usize) {
        self.open('[');
    }

    fn end_seq(&mut self) {
        self.close(']');
    }

    fn begin_map(&mut self, _len: usize) {
        self.open('{');
    }

    fn key(&mut self, key: &str) {
        self.separate();
        self.out.push_str(&quote(key));
        self.out.push(':');
        self.after_key = true;
    }

    fn end_map(&mut self) {
        self.close('}');
    }

    fn begin_dynamic(&mut self, ty: &Type) {
        self.open('{');
        self.key("type");
        self.after_key = false;
        self.out.push_str(&type_json(ty));
        self.key("value");
    }

    fn end_dynamic(&mut self) {
        self.close('}');
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
