//! Turns an HTTP answer into a typed response or an error. Bodies that are not the JSON the
//! API promises (proxy HTML pages, truncated or empty bodies) become errors, never panics.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::error::{ApiError, ClientError};
use super::redact::Redactor;

/// The error body (`docs/api-notes.md#errors`); some gateways spell the keys in lower camel case.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct ErrorBody {
    #[serde(alias = "code")]
    code: String,
    #[serde(alias = "message")]
    message: String,
    #[serde(alias = "requestId")]
    request_id: String,
    #[serde(alias = "hostId")]
    host_id: String,
    #[serde(alias = "recommend")]
    recommend: String,
}

/// How much of an unexpected body an error message quotes.
const EXCERPT_CHARS: usize = 80;

pub(crate) fn decode<T: DeserializeOwned>(
    action: &'static str,
    status: u16,
    body: &[u8],
    redactor: &Redactor,
) -> Result<T, ClientError> {
    let unexpected = |detail: String| ClientError::UnexpectedResponse {
        action,
        status,
        detail: redactor.scrub(&detail),
    };
    if (200..300).contains(&status) {
        return serde_json::from_slice(body).map_err(|e| unexpected(describe_bad_body(body, &e)));
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(error) if !error.code.is_empty() => Err(ClientError::Api(Box::new(ApiError {
            action,
            status,
            code: error.code,
            message: redactor.scrub(&error.message),
            request_id: error.request_id,
            host_id: error.host_id,
            recommend: error.recommend,
        }))),
        Ok(_) => Err(unexpected("error body without a Code".to_owned())),
        Err(e) => Err(unexpected(describe_bad_body(body, &e))),
    }
}

/// `deserialize_with` helper for the API's list wrappers (`"Invocations": {"Invocation": [..]}`):
/// yields the inner list, whatever the wrapper key. A missing or `null` wrapper is an empty
/// list, and a lone object (as XML-to-JSON gateways produce) a list of one.
pub(crate) fn unwrap_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    let wrapper: Option<HashMap<String, OneOrMany<T>>> = Option::deserialize(deserializer)?;
    Ok(match wrapper.and_then(|w| w.into_values().next()) {
        Some(OneOrMany::Many(items)) => items,
        Some(OneOrMany::One(item)) => vec![item],
        None => Vec::new(),
    })
}

fn describe_bad_body(body: &[u8], error: &serde_json::Error) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return "empty body".to_owned();
    }
    if !trimmed.starts_with(['{', '[']) {
        let excerpt: String = trimmed
            .chars()
            .take(EXCERPT_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        return format!("body is not JSON ({} bytes): {excerpt:?}", body.len());
    }
    if error.is_eof() {
        format!("truncated JSON body ({} bytes): {error}", body.len())
    } else {
        format!("malformed JSON body: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "PascalCase")]
    struct Invoke {
        invoke_id: String,
    }

    fn decode_invoke(status: u16, body: &str) -> Result<Invoke, ClientError> {
        let mut redactor = Redactor::new();
        redactor.add("topsecret");
        decode("InvokeCommand", status, body.as_bytes(), &redactor)
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "PascalCase")]
    struct Listing {
        #[serde(default, deserialize_with = "unwrap_list")]
        items: Vec<Invoke>,
    }

    #[test]
    fn list_wrappers_are_unwrapped_leniently() {
        let list = |body: &str| decode::<Listing>("X", 200, body.as_bytes(), &Redactor::new()).unwrap();
        let many = list(r#"{"Items":{"Item":[{"InvokeId":"t-1"},{"InvokeId":"t-2"}]}}"#);
        assert_eq!(many.items.len(), 2);
        assert_eq!(
            list(r#"{"Items":{"Item":{"InvokeId":"t-9"}}}"#).items[0].invoke_id,
            "t-9"
        );
        assert!(list(r#"{"Items":{"Item":[]}}"#).items.is_empty());
        assert!(list(r#"{"Items":{}}"#).items.is_empty());
        assert!(list(r#"{"Items":null}"#).items.is_empty());
        assert!(list("{}").items.is_empty());
    }

    #[test]
    fn success_body() {
        let ok = decode_invoke(200, r#"{"RequestId":"R1","InvokeId":"t-1"}"#).unwrap();
        assert_eq!(ok.invoke_id, "t-1");
    }

    #[test]
    fn json_error_body_becomes_api_error() {
        let err = decode_invoke(
            404,
            r#"{"RequestId":"R2","HostId":"ecs.aliyuncs.com","Code":"InvalidCmdId.NotFound",
                "Message":"The specified command ID does not exist. topsecret"}"#,
        )
        .unwrap_err();
        let ClientError::Api(api) = &err else {
            panic!("expected an API error, got {err:?}")
        };
        assert_eq!(api.status, 404);
        assert_eq!(api.code, "InvalidCmdId.NotFound");
        assert_eq!(api.request_id, "R2");
        assert_eq!(api.host_id, "ecs.aliyuncs.com");
        assert!(!api.message.contains("topsecret"));
        assert!(!err.is_retryable());
    }

    #[test]
    fn lower_camel_error_keys_are_accepted() {
        let err = decode_invoke(
            503,
            r#"{"requestId":"R3","code":"ServiceUnavailable","message":"busy"}"#,
        )
        .unwrap_err();
        assert_eq!(err.api_code(), Some("ServiceUnavailable"));
        assert!(err.is_retryable());
    }

    #[test]
    fn html_502_is_a_retryable_unexpected_response() {
        let err = decode_invoke(502, "<html><body><h1>502 Bad Gateway</h1></body></html>").unwrap_err();
        let ClientError::UnexpectedResponse { status, detail, .. } = &err else {
            panic!("expected UnexpectedResponse, got {err:?}")
        };
        assert_eq!(*status, 502);
        assert!(detail.contains("not JSON"), "{detail}");
        assert!(detail.contains("502 Bad Gateway"), "{detail}");
        assert!(err.is_retryable());
    }

    #[test]
    fn truncated_json_is_an_error() {
        let err = decode_invoke(200, r#"{"RequestId":"R4","InvokeId":"t-"#).unwrap_err();
        let ClientError::UnexpectedResponse { detail, .. } = &err else {
            panic!("expected UnexpectedResponse, got {err:?}")
        };
        assert!(detail.contains("truncated"), "{detail}");
        assert!(!err.is_retryable());
        let err = decode_invoke(500, r#"{"Code":"Internal"#).unwrap_err();
        assert!(matches!(err, ClientError::UnexpectedResponse { status: 500, .. }));
    }

    #[test]
    fn empty_and_codeless_bodies_are_errors() {
        let err = decode_invoke(200, "").unwrap_err();
        assert!(err.to_string().contains("empty body"), "{err}");
        let err = decode_invoke(403, r#"{"RequestId":"R5"}"#).unwrap_err();
        assert!(err.to_string().contains("without a Code"), "{err}");
    }

    #[test]
    fn wrong_shape_is_malformed_not_a_panic() {
        let err = decode_invoke(200, r#"{"InvokeId": 5}"#).unwrap_err();
        assert!(err.to_string().contains("malformed JSON"), "{err}");
    }

    #[test]
    fn binary_garbage_is_an_error() {
        let err =
            decode::<Invoke>("InvokeCommand", 200, &[0xff, 0xfe, 0x00, 0x01], &Redactor::new()).unwrap_err();
        assert!(matches!(err, ClientError::UnexpectedResponse { .. }));
    }
}

#[cfg(test)]
#[path = "response_props.rs"]
mod props;
