//! InvokeCommand's `Parameters`: a JSON object of string values, read so that a key given
//! twice is seen (a JSON map would silently keep only the last one), then checked against
//! the limits (`docs/api-notes.md#invokecommand-limits`) and the command's parameter names.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use crate::errors::ApiError;
use alicloud_api::invoke_command::{encoded_content_size, MAX_PARAMETERS, MAX_PARAMETER_KEY_CHARS};

/// Every member of a JSON object in document order, duplicates included.
struct Members(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Parses the text into key/value pairs in order.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, ApiError> {
    let Members(members) = serde_json::from_str(text).map_err(|_| ApiError::ParametersMalformed)?;
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(members.len());
    for (key, value) in members {
        if pairs.iter().any(|(seen, _)| *seen == key) {
            return Err(ApiError::ParameterKeyDuplicate);
        }
        match value {
            serde_json::Value::String(value) => pairs.push((key, value)),
            _ => return Err(ApiError::ParameterTypeNotSupported),
        }
    }
    Ok(pairs)
}

/// InvokeCommand's checks, in order: count, key lengths, names known to the command.
pub fn check(pairs: &[(String, String)], command_names: &[String]) -> Result<(), ApiError> {
    if pairs.len() > MAX_PARAMETERS {
        return Err(ApiError::ParameterCountExceedLimit);
    }
    if pairs
        .iter()
        .any(|(key, _)| key.is_empty() || key.chars().count() > MAX_PARAMETER_KEY_CHARS)
    {
        return Err(ApiError::ParameterKeyExceedLimit);
    }
    if !pairs.iter().all(|(key, _)| command_names.contains(key)) {
        return Err(ApiError::ParameterNotMatched);
    }
    Ok(())
}

/// `CmdContent.ExceedLimit` when Base64(content) plus Base64(parameters text) exceeds `limit`
/// (16 KB, or RunCommand's 24 KB for a command not kept: the rule of `alicloud_api::invoke_command`,
/// shared with the provider's plan-time check).
pub fn check_size(content: &str, parameters_text: Option<&str>, limit: usize) -> Result<(), ApiError> {
    let content_base64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, content);
    if encoded_content_size(&content_base64, parameters_text) > limit {
        return Err(ApiError::CmdContentExceedLimit);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_api::command::MAX_ENCODED_CONTENT_BYTES;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_in_order() {
        let pairs = parse(r#"{"b":"2","a":"","c":"x y"}"#).unwrap();
        assert_eq!(
            pairs,
            [
                ("b".into(), "2".into()),
                ("a".into(), String::new()),
                ("c".into(), "x y".into())
            ]
        );
        assert_eq!(parse("{}").unwrap(), []);
    }

    #[test]
    fn sees_duplicate_keys() {
        assert_eq!(
            parse(r#"{"a":"1","b":"2","a":"3"}"#),
            Err(ApiError::ParameterKeyDuplicate)
        );
    }

    #[test]
    fn refuses_non_objects_and_non_strings() {
        for bad in ["", "[]", "\"a\"", "{", r#"{"a":"1"} x"#] {
            assert_eq!(parse(bad), Err(ApiError::ParametersMalformed), "{bad}");
        }
        assert_eq!(parse(r#"{"a":1}"#), Err(ApiError::ParameterTypeNotSupported));
        assert_eq!(parse(r#"{"a":null}"#), Err(ApiError::ParameterTypeNotSupported));
    }

    #[test]
    fn limits() {
        let known = names(&["version", "env"]);
        let pair = |k: &str| (k.to_string(), String::new());
        assert_eq!(check(&[pair("version")], &known), Ok(()));
        assert_eq!(
            check(&[pair("other")], &known),
            Err(ApiError::ParameterNotMatched)
        );
        assert_eq!(check(&[pair("")], &known), Err(ApiError::ParameterKeyExceedLimit));
        assert_eq!(
            check(&[pair(&"k".repeat(65))], &known),
            Err(ApiError::ParameterKeyExceedLimit)
        );
        let many: Vec<_> = (0..11).map(|i| pair(&format!("p{i}"))).collect();
        assert_eq!(check(&many, &known), Err(ApiError::ParameterCountExceedLimit));
        let ten: Vec<_> = (0..10).map(|i| pair(&format!("p{i}"))).collect();
        let ten_names: Vec<String> = ten.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(check(&ten, &ten_names), Ok(()));
    }

    #[test]
    fn size_limit_is_16_kib_of_base64() {
        // 12288 bytes encode to exactly 16384.
        assert_eq!(
            check_size(&"a".repeat(12_288), None, MAX_ENCODED_CONTENT_BYTES),
            Ok(())
        );
        assert_eq!(
            check_size(&"a".repeat(12_288), Some("{}"), MAX_ENCODED_CONTENT_BYTES),
            Err(ApiError::CmdContentExceedLimit)
        );
        assert_eq!(
            check_size(&"a".repeat(12_285), Some("{}"), MAX_ENCODED_CONTENT_BYTES),
            Ok(())
        );
    }
}
