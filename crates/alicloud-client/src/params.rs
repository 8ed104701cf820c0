//! Flattening of typed request structs into RPC parameters
//! (`docs/api-notes.md#requests-and-signature`): a struct is serialized with serde, then lists
//! become `Name.1..N`, nested structs `Name.N.Key`, booleans `true`/`false` and numbers decimal.
//! Values the API takes as JSON text (`Parameters`, `InstanceIds`) are serialized with
//! [`json_text`] and stay one parameter.

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::error::ClientError;

/// Flattened parameters, in the order the struct declares them.
pub type Params = Vec<(String, String)>;

/// Flattens a request struct. Absent (`None`) fields and empty lists produce nothing.
pub fn to_params<T: Serialize>(request: &T) -> Result<Params, ClientError> {
    let value = serde_json::to_value(request).map_err(|e| ClientError::InvalidRequest(e.to_string()))?;
    let Value::Object(fields) = value else {
        return Err(ClientError::InvalidRequest(
            "a request must serialize to a struct".to_owned(),
        ));
    };
    let mut out = Params::new();
    for (name, field) in &fields {
        flatten_into(name, field, &mut out);
    }
    Ok(out)
}

fn flatten_into(name: &str, value: &Value, out: &mut Params) {
    match value {
        Value::Null => {}
        Value::Bool(flag) => out.push((name.to_owned(), flag.to_string())),
        Value::Number(number) => out.push((name.to_owned(), number.to_string())),
        Value::String(text) => out.push((name.to_owned(), text.clone())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten_into(&format!("{name}.{}", index + 1), item, out);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                flatten_into(&format!("{name}.{key}"), field, out);
            }
        }
    }
}

/// `serialize_with` helper: sends an optional value as one parameter holding its JSON text.
pub(crate) fn json_text<T, S>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(inner) => {
            let text = serde_json::to_string(inner).map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(&text)
        }
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Sample {
        region_id: Option<String>,
        #[serde(rename = "InstanceId")]
        instance_ids: Vec<String>,
        timed: Option<bool>,
        timeout: Option<u32>,
        #[serde(serialize_with = "json_text", skip_serializing_if = "Option::is_none")]
        parameters: Option<BTreeMap<String, String>>,
        #[serde(rename = "Tag")]
        tags: Vec<Tag>,
        username: Option<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: String,
        value: String,
    }

    fn sample() -> Sample {
        Sample {
            region_id: Some("cn-hangzhou".into()),
            instance_ids: vec!["i-1".into(), "i-2".into(), "i-3".into()],
            timed: Some(false),
            timeout: Some(60),
            parameters: Some(BTreeMap::from([
                ("name".to_owned(), "Jack Ma".to_owned()),
                ("empty".to_owned(), String::new()),
            ])),
            tags: vec![Tag {
                key: "env".into(),
                value: "prod".into(),
            }],
            username: None,
        }
    }

    #[test]
    fn flattens_lists_booleans_numbers_and_json() {
        let params = to_params(&sample()).unwrap();
        let expected: Vec<(&str, &str)> = vec![
            ("RegionId", "cn-hangzhou"),
            ("InstanceId.1", "i-1"),
            ("InstanceId.2", "i-2"),
            ("InstanceId.3", "i-3"),
            ("Timed", "false"),
            ("Timeout", "60"),
            ("Parameters", r#"{"empty":"","name":"Jack Ma"}"#),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
        ];
        let got: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn absent_fields_and_empty_lists_produce_nothing() {
        let mut request = sample();
        request.instance_ids.clear();
        request.parameters = None;
        request.tags.clear();
        request.timed = Some(true);
        let params = to_params(&request).unwrap();
        let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["RegionId", "Timed", "Timeout"]);
        assert!(params.contains(&("Timed".to_owned(), "true".to_owned())));
    }

    #[test]
    fn non_struct_requests_are_rejected() {
        assert!(matches!(to_params(&42), Err(ClientError::InvalidRequest(_))));
    }
}
