//! Hostile input for the emulator's request side: arbitrary bytes as query strings, form
//! bodies and headers, then well-formed requests with wrong values, through parameter
//! decoding, authentication and every operation. Each ends in an answer (an API error at
//! worst), never a panic.

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;

use super::RpcRequest;
use crate::auth::keys::{AccessKey, KeyStore};
use crate::auth::Authenticator;
use crate::ops::testing::{call, state, DEPLOY, LINUX};
use crate::params::Params;
use alicloud_api::signature::percent_encode;

const ACTIONS: [&str; 9] = [
    "InvokeCommand",
    "DescribeInvocations",
    "DescribeInvocationResults",
    "StopInvocation",
    "DescribeCommands",
    "CreateCommand",
    "DeleteCommand",
    "ModifyCommand",
    "DescribeInstances",
];

/// Names the operations read, so wrong values reach real checks, plus arbitrary ones.
fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "CommandId",
            "InstanceId.1",
            "InstanceId.2",
            "InstanceId.60",
            "Timed",
            "Frequency",
            "RepeatMode",
            "Parameters",
            "Username",
            "WindowsPasswordName",
            "WorkingDir",
            "Timeout",
            "ClientToken",
            "InvokeId",
            "PageNumber",
            "PageSize",
            "MaxResults",
            "NextToken",
            "ContentEncoding",
            "IncludeOutput",
            "InvokeStatus",
            "Name",
            "Type",
            "CommandContent",
            "EnableParameter",
            "InstanceIds",
            "RegionId",
            "InstanceId",
        ])
        .prop_map(str::to_string),
        "[A-Za-z.0-9]{1,12}",
    ]
}

/// Values that look like what a parameter takes but are wrong: huge or negative numbers,
/// odd booleans, broken JSON, schedules out of range, ids of the wrong kind, and any text.
fn param_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        prop::sample::select(vec!["true", "false", "TRUE", "yes", "", "null", "{}", "[]", "{\"a\":1}"])
            .prop_map(str::to_string),
        "\\{\"[a-z]{0,4}\":(\"[a-z]{0,4}\"|[0-9]{1,3}|null|\\[\\]|\\{\\})\\}",
        "rate\\([0-9]{0,12}[smhdx]?\\)",
        "at\\([0-9]{0,5}-[0-9]{1,2}-[0-9]{1,2} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}\\)",
        "[0-9*?/,LW#-]{1,6} [0-9*?/,-]{1,6} [0-9*?/,-]{1,6} [0-9*?/,LW-]{1,6} [0-9*?/,-]{1,6} [0-9*?/,L#-]{1,6}",
        prop::sample::select(vec![DEPLOY, LINUX, "c-", "i-", "t-", "cn-hangzhou", "RunShellScript"])
            .prop_map(str::to_string),
        any::<String>(),
    ]
}

fn authenticator() -> Authenticator {
    Authenticator::new(KeyStore::new(vec![AccessKey::new("ak", "secret", None)]))
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_714_564_800, 0).unwrap_or_default()
}

proptest! {
    #[test]
    fn arbitrary_bytes_decode_to_parameters(query in any::<String>(), body in prop::collection::vec(any::<u8>(), 0..96)) {
        let params = Params::decode(&query, Some(&body));
        for (name, _) in params.pairs() {
            let _ = (params.get(name), params.bool("X"), params.u64("X"), params.repeat_list(name));
        }
    }

    /// Whatever the text, percent-encoding then decoding gives it back.
    #[test]
    fn encoded_pairs_decode_to_themselves(pairs in prop::collection::vec((".{0,8}", ".{0,12}"), 0..6)) {
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        let decoded = Params::decode(&query.join("&"), None);
        let expected: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        prop_assert_eq!(decoded.pairs().collect::<Vec<_>>(), expected);
    }

    /// Any method, query, headers and body: authentication answers with an API error.
    #[test]
    fn arbitrary_requests_are_refused_cleanly(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "get", ""]),
        query in any::<String>(),
        headers in prop::collection::vec(
            (prop::sample::select(vec!["authorization", "content-type", "x-acs-date", "x-acs-signature-nonce", "host", "x-acs-content-sha256", "x-acs-action", "x-acs-version"]), "[ -~]{0,64}"),
            0..6,
        ),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut map = HeaderMap::new();
        for (name, value) in &headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.append(HeaderName::from_static(name), value);
            }
        }
        let request = RpcRequest::new(method, "/", &query, map, body);
        prop_assert!(authenticator().authenticate(&request, now()).is_err());
    }

    /// Well-formed V1 requests whose values are wrong: refused, never a panic.
    #[test]
    fn signed_looking_requests_with_wrong_values_are_refused(
        pairs in prop::collection::vec(
            (prop::sample::select(vec!["AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Version", "Action", "Format", "SecurityToken"]), param_value()),
            0..10,
        ),
    ) {
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        let request = RpcRequest::new("POST", "/", &query.join("&"), HeaderMap::new(), Vec::new());
        prop_assert!(authenticator().authenticate(&request, now()).is_err());
    }

    /// Every operation, fed parameters with wrong values: an answer or an API error.
    #[test]
    fn operations_answer_wrong_values_with_errors(
        action in prop::sample::select(ACTIONS.to_vec()),
        pairs in prop::collection::vec((param_name(), param_value()), 0..10),
    ) {
        let mut s = state();
        let extra: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if let Err(error) = call(&mut s, now(), action, &extra) {
            prop_assert!(!error.code().is_empty());
            prop_assert!((400..600).contains(&error.status()));
        }
    }
}
