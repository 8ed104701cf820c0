//! DynamicValue <-> `Value`: msgpack (or JSON) in, always msgpack out; an empty DynamicValue
//! is null. Codec failures become diagnostics that name the attribute but never the value.

use super::proto::tfplugin6 as pb;
use crate::codec_error::CodecError;
use crate::diagnostics::{Diagnostics, Severity};
use crate::json;
use crate::msgpack;
use crate::types::Type;
use crate::value::Value;

pub fn decode(value: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, CodecError> {
    match value {
        Some(v) if !v.msgpack.is_empty() => msgpack::decode(&v.msgpack, ty),
        Some(v) if !v.json.is_empty() => json::decode_value(&v.json, ty),
        _ => Ok(Value::Null),
    }
}

pub fn encode(value: &Value, ty: &Type) -> Result<pb::DynamicValue, CodecError> {
    Ok(pb::DynamicValue {
        msgpack: msgpack::encode(value, ty)?,
        json: Vec::new(),
    })
}

/// Decodes `what` (e.g. "prior state"), or records why Terraform's value was unreadable.
pub fn decode_or_report(
    value: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    decode(value, ty)
        .map_err(|e| {
            report(
                diags,
                &e,
                format!("Invalid {what}"),
                format!("Terraform sent a {what} that does not match the schema: {e}."),
            )
        })
        .ok()
}

/// Encodes `what`, or records that the provider produced a value its own schema rejects.
pub fn encode_or_report(
    value: &Value,
    ty: &Type,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<pb::DynamicValue> {
    encode(value, ty)
        .map_err(|e| {
            report(
                diags,
                &e,
                format!("Provider produced an invalid {what}"),
                format!(
                    "The {what} does not match the provider's schema: {e}. This is a bug in the provider."
                ),
            )
        })
        .ok()
}

fn report(diags: &mut Diagnostics, error: &CodecError, summary: String, detail: String) {
    diags.push(Severity::Error, summary, detail, error.path().cloned());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::PathStep;

    fn object_type() -> Type {
        Type::object([("name", Type::String), ("size", Type::Number)])
    }

    #[test]
    fn empty_or_absent_is_null() {
        assert_eq!(decode(None, &object_type()), Ok(Value::Null));
        assert_eq!(
            decode(Some(&pb::DynamicValue::default()), &object_type()),
            Ok(Value::Null)
        );
    }

    #[test]
    fn reads_json_when_there_is_no_msgpack_and_replies_in_msgpack() {
        let json = pb::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"name":"a","size":null}"#.to_vec(),
        };
        let value = decode(Some(&json), &object_type()).unwrap();
        assert_eq!(value.attr_str("name"), Some("a"));
        let encoded = encode(&value, &object_type()).unwrap();
        assert!(encoded.json.is_empty());
        assert_eq!(decode(Some(&encoded), &object_type()).unwrap(), value);
    }

    #[test]
    fn unreadable_values_become_diagnostics_at_the_attribute() {
        let mut object = Value::null_object(&object_type());
        object.set_attr("name", Value::Bool(true));
        let bad = pb::DynamicValue {
            msgpack: msgpack::encode(
                &object,
                &Type::object([("name", Type::Bool), ("size", Type::Number)]),
            )
            .unwrap(),
            json: Vec::new(),
        };
        let mut diags = Diagnostics::new();
        assert_eq!(
            decode_or_report(Some(&bad), &object_type(), "configuration", &mut diags),
            None
        );
        let diag = diags.iter().next().unwrap();
        assert_eq!(diag.summary, "Invalid configuration");
        assert_eq!(
            diag.path.as_ref().map(|p| p.steps().to_vec()),
            Some(vec![PathStep::Attribute("name".into())])
        );
    }
}
