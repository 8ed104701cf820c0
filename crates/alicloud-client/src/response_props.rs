//! Hostile answers for the client's response parser: arbitrary bytes with any status, then
//! well-formed JSON whose values have the wrong types (objects where lists belong, strings
//! where numbers belong, ...) in the shapes of every typed response. Each ends in a typed
//! value or an error that says what was wrong, never a panic; error answers never yield a
//! value, and secrets in them never reach the message.

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::{
    DescribeCommandsResponse, DescribeInstancesResponse, DescribeInvocationResultsResponse,
    DescribeInvocationsResponse, InvokeCommandResponse,
};

const SECRET: &str = "s3cret-Value";

/// Keys the responses read, so wrong values land on real fields, plus arbitrary ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "RequestId",
            "InvokeId",
            "Invocations",
            "Invocation",
            "InvokeInstances",
            "InvokeInstance",
            "Parameters",
            "Timed",
            "Timeout",
            "ExitCode",
            "Commands",
            "Command",
            "ParameterNames",
            "ParameterName",
            "EnableParameter",
            "Instances",
            "Instance",
            "TotalCount",
            "PageSize",
            "Code",
            "Message",
            "code",
            "message",
            "InvocationResults",
            "InvocationResult",
            "Output",
        ])
        .prop_map(str::to_string),
        "[A-Za-z]{0,6}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        ".{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn redactor() -> Redactor {
    let mut redactor = Redactor::new();
    redactor.add(SECRET);
    redactor
}

/// Decodes `body` as every typed response; checks what each result must be.
fn check_all(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    fn one<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
        match decode::<T>("X", status, body, &redactor()) {
            Ok(_) => prop_assert!((200..300).contains(&status), "an error answer yielded a value"),
            Err(error) => {
                let text = error.to_string();
                prop_assert!(!text.is_empty());
                prop_assert!(!text.contains(SECRET), "{}", text);
                let expected = matches!(
                    error,
                    ClientError::Api(_) | ClientError::UnexpectedResponse { .. }
                );
                prop_assert!(expected, "{:?}", error);
            }
        }
        Ok(())
    }
    one::<InvokeCommandResponse>(status, body)?;
    one::<DescribeInvocationsResponse>(status, body)?;
    one::<DescribeInvocationResultsResponse>(status, body)?;
    one::<DescribeCommandsResponse>(status, body)?;
    one::<DescribeInstancesResponse>(status, body)
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(400),
        Just(403),
        Just(404),
        Just(500),
        Just(503),
        100u16..600
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(status in status(), body in prop::collection::vec(any::<u8>(), 0..128)) {
        check_all(status, &body)?;
    }

    #[test]
    fn wrongly_typed_json_is_a_value_or_a_clear_error(status in status(), value in json()) {
        check_all(status, value.to_string().as_bytes())?;
    }

    /// An error body whose message quotes the secret: the code survives, the secret does not.
    #[test]
    fn error_messages_are_scrubbed(status in 400u16..600, code in "[A-Za-z.]{1,20}", before in ".{0,10}", after in ".{0,10}") {
        let body = serde_json::json!({ "Code": code, "Message": format!("{before}{SECRET}{after}"), "RequestId": "R" });
        let error = decode::<InvokeCommandResponse>("InvokeCommand", status, body.to_string().as_bytes(), &redactor())
            .err()
            .ok_or_else(|| TestCaseError::fail("an error answer yielded a value"))?;
        prop_assert_eq!(error.api_code(), Some(code.as_str()));
        prop_assert!(!error.to_string().contains(SECRET));
    }
}
