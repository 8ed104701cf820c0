//! cty values in msgpack, byte-compatible with go-cty's `cty/msgpack` (the `DynamicValue.msgpack`
//! form Terraform sends and expects): null is nil, unknown is any extension (written `d4 00 00`),
//! objects carry exactly their attributes, `dynamic` values travel as `[type JSON, value]`.

use std::collections::BTreeMap;

use super::codec_error::CodecError;
use super::decimal::{self, WireNumber};
use super::diagnostics::AttributePath;
use super::encoder::{walk, Sink, MAX_DEPTH};
use super::json::{parse_type_json_at, type_json};
use super::msgpack_reader::{ReadError, Reader, Token};
use super::types::Type;
use super::value::{Number, Value};

/// Decodes a value of type `ty`. Refinements of unknown values are read and dropped.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut decoder = Decoder {
        reader: Reader::new(bytes),
    };
    let value = decoder.value(ty, &AttributePath::root(), 0)?;
    match decoder.reader.remaining() {
        0 => Ok(value),
        count => Err(CodecError::TrailingBytes { count }),
    }
}

/// Encodes a value of type `ty` as go-cty would.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut writer = Writer(Vec::new());
    walk(value, ty, &AttributePath::root(), 0, &mut writer)?;
    Ok(writer.0)
}

struct Decoder<'a> {
    reader: Reader<'a>,
}

impl<'a> Decoder<'a> {
    fn value(&mut self, ty: &Type, path: &AttributePath, depth: usize) -> Result<Value, CodecError> {
        if depth > MAX_DEPTH {
            return Err(CodecError::TooDeep {
                path: path.clone(),
                limit: MAX_DEPTH,
            });
        }
        let token = self.token(ty, path)?;
        match (ty, token) {
            (_, Token::Ext) => Ok(Value::Unknown),
            (_, Token::Nil) => Ok(Value::Null),
            (Type::Dynamic, Token::Array(2)) => self.dynamic(path, depth),
            (Type::String, Token::Str(bytes)) => Ok(Value::String(utf8(bytes, path)?.to_string())),
            (Type::Number, token) => number(token, path).map(Value::Number),
            (Type::Bool, Token::Bool(b)) => Ok(Value::Bool(b)),
            (Type::List(element), Token::Array(len)) => {
                Ok(Value::List(self.elements(len, |_| element, path, depth)?))
            }
            (Type::Set(element), Token::Array(len)) => {
                // Set elements have no address of their own: errors point at the set.
                let mut items = Vec::with_capacity(len.min(self.reader.remaining()));
                for _ in 0..len {
                    items.push(self.value(element, path, depth + 1)?);
                }
                Ok(Value::Set(items))
            }
            (Type::Tuple(elements), Token::Array(len)) => {
                if len != elements.len() {
                    return Err(CodecError::TupleLength {
                        path: path.clone(),
                        expected: elements.len(),
                        found: len,
                    });
                }
                let element_at = |i: usize| elements.get(i).unwrap_or(&Type::Dynamic);
                Ok(Value::Tuple(self.elements(len, element_at, path, depth)?))
            }
            (Type::Map(element), Token::Map(len)) => {
                let mut entries = BTreeMap::new();
                for _ in 0..len {
                    let key = self.key(path)?;
                    let item = self.value(element, &path.key(key.as_str()), depth + 1)?;
                    if entries.insert(key.clone(), item).is_some() {
                        return Err(CodecError::DuplicateKey {
                            path: path.clone(),
                            key,
                        });
                    }
                }
                Ok(Value::Map(entries))
            }
            (Type::Object(attributes), Token::Map(len)) => {
                if len != attributes.len() {
                    return Err(CodecError::ObjectSize {
                        path: path.clone(),
                        expected: attributes.len(),
                        found: len,
                    });
                }
                let mut entries = BTreeMap::new();
                for _ in 0..len {
                    let name = self.key(path)?;
                    let attribute_ty = attributes
                        .get(&name)
                        .ok_or_else(|| CodecError::UnknownAttribute {
                            path: path.clone(),
                            name: name.clone(),
                        })?;
                    let item = self.value(attribute_ty, &path.child(name.as_str()), depth + 1)?;
                    if entries.insert(name.clone(), item).is_some() {
                        return Err(CodecError::DuplicateKey {
                            path: path.clone(),
                            key: name,
                        });
                    }
                }
                Ok(Value::Object(entries))
            }
            (Type::Dynamic, found) => Err(CodecError::Mismatch {
                path: path.clone(),
                expected: "dynamic value ([type, value] array)".into(),
                found: found.kind().into(),
            }),
            (_, found) => Err(CodecError::mismatch(path, ty, found.kind())),
        }
    }

    fn elements<'t>(
        &mut self,
        len: usize,
        element_at: impl Fn(usize) -> &'t Type,
        path: &AttributePath,
        depth: usize,
    ) -> Result<Vec<Value>, CodecError> {
        // Every element takes at least one byte, so this bounds the allocation by the input.
        let mut items = Vec::with_capacity(len.min(self.reader.remaining()));
        for i in 0..len {
            items.push(self.value(element_at(i), &path.index(i), depth + 1)?);
        }
        Ok(items)
    }

    /// `[type JSON, value]`: the type as bin (str accepted), then the value of that type.
    fn dynamic(&mut self, path: &AttributePath, depth: usize) -> Result<Value, CodecError> {
        let type_json = match self.token(&Type::Dynamic, path)? {
            Token::Bin(bytes) | Token::Str(bytes) => bytes,
            found => {
                return Err(CodecError::Mismatch {
                    path: path.clone(),
                    expected: "type JSON (binary or string)".into(),
                    found: found.kind().into(),
                })
            }
        };
        let ty = parse_type_json_at(type_json, path)?;
        let inner = self.value(&ty, path, depth + 1)?;
        Ok(Value::Dynamic(ty, Box::new(inner)))
    }

    fn key(&mut self, path: &AttributePath) -> Result<String, CodecError> {
        match self.token(&Type::String, path)? {
            Token::Str(bytes) => Ok(utf8(bytes, path)?.to_string()),
            found => Err(CodecError::Mismatch {
                path: path.clone(),
                expected: "string key".into(),
                found: found.kind().into(),
            }),
        }
    }

    fn token(&mut self, ty: &Type, path: &AttributePath) -> Result<Token<'a>, CodecError> {
        self.reader.next().map_err(|e| match e {
            ReadError::Truncated => CodecError::Truncated { path: path.clone() },
            ReadError::Reserved => CodecError::mismatch(path, ty, "reserved byte 0xc1"),
        })
    }
}

fn utf8<'b>(bytes: &'b [u8], path: &AttributePath) -> Result<&'b str, CodecError> {
    std::str::from_utf8(bytes).map_err(|_| CodecError::InvalidUtf8 { path: path.clone() })
}

/// go-cty accepts any msgpack number, and decimal text for numbers no float can hold.
fn number(token: Token<'_>, path: &AttributePath) -> Result<Number, CodecError> {
    let invalid = |reason| CodecError::InvalidNumber {
        path: path.clone(),
        reason,
    };
    match token {
        Token::Int(i) => Ok(Number::from(i)),
        Token::Uint(u) => decimal::number_from_text(&u.to_string()).ok_or_else(|| invalid("out of range")),
        Token::Float(f) => decimal::number_from_f64(f).ok_or_else(|| invalid("infinite or NaN")),
        Token::Str(bytes) => {
            decimal::number_from_text(utf8(bytes, path)?).ok_or_else(|| invalid("not decimal text"))
        }
        found => Err(CodecError::mismatch(path, &Type::Number, found.kind())),
    }
}

/// msgpack output through `rmp`, whose writers pick the compact encodings go-cty's encoder
/// picks (the golden-byte tests hold them to it).
struct Writer(Vec<u8>);

/// Writing into a `Vec` cannot fail; `rmp`'s writers are generic over fallible sinks.
fn infallible<T, E>(written: Result<T, E>) {
    let _ = written;
}

/// The walk has already checked that every length fits 32 bits.
fn len32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Sink for Writer {
    fn null(&mut self) {
        infallible(rmp::encode::write_nil(&mut self.0));
    }

    fn unknown(&mut self, _path: &AttributePath) -> Result<(), CodecError> {
        // go-cty's unknown: fixext1, extension type 0, one zero byte.
        infallible(rmp::encode::write_ext_meta(&mut self.0, 1, 0));
        self.0.push(0);
        Ok(())
    }

    fn bool(&mut self, value: bool) {
        infallible(rmp::encode::write_bool(&mut self.0, value));
    }

    fn number(&mut self, value: &Number, path: &AttributePath) -> Result<(), CodecError> {
        match decimal::wire_form(value) {
            Some(WireNumber::Int(i)) => infallible(rmp::encode::write_sint(&mut self.0, i)),
            Some(WireNumber::Float(f)) => infallible(rmp::encode::write_f64(&mut self.0, f)),
            Some(WireNumber::Text(text)) => self.string(&text),
            None => {
                return Err(CodecError::InvalidNumber {
                    path: path.clone(),
                    reason: "out of range",
                })
            }
        }
        Ok(())
    }

    fn string(&mut self, value: &str) {
        infallible(rmp::encode::write_str_len(&mut self.0, len32(value.len())));
        self.0.extend(value.as_bytes());
    }

    fn begin_seq(&mut self, len: usize) {
        infallible(rmp::encode::write_array_len(&mut self.0, len32(len)));
    }

    fn end_seq(&mut self) {}

    fn begin_map(&mut self, len: usize) {
        infallible(rmp::encode::write_map_len(&mut self.0, len32(len)));
    }

    fn key(&mut self, key: &str) {
        self.string(key);
    }

    fn end_map(&mut self) {}

    fn begin_dynamic(&mut self, ty: &Type) {
        infallible(rmp::encode::write_array_len(&mut self.0, 2));
        infallible(rmp::encode::write_bin(&mut self.0, type_json(ty).as_bytes()));
    }

    fn end_dynamic(&mut self) {}
}

#[cfg(test)]
#[path = "msgpack_tests.rs"]
mod tests;
