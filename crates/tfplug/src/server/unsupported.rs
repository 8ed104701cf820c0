//! Answers for the protocol features this framework does not offer (ephemeral and list
//! resources, functions, state stores, moves, config generation):
//! an empty result, or an error diagnostic naming what was asked for. Never a gRPC error,
//! which Terraform would show as an opaque plugin failure.

use std::pin::Pin;

use tokio_stream::Stream;
use tonic::Status;

use super::proto::tfplugin6 as pb;

pub type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

fn error(summary: &str, detail: String) -> Vec<pb::Diagnostic> {
    vec![pb::Diagnostic {
        severity: pb::diagnostic::Severity::Error.into(),
        summary: summary.to_string(),
        detail,
        attribute: None,
    }]
}

/// "This provider has no {kind} named ..." as an error diagnostic.
pub fn no_such(kind: &str, name: &str) -> Vec<pb::Diagnostic> {
    error(
        &format!("Unsupported {kind}"),
        format!("This provider has no {kind} named \"{name}\"."),
    )
}

/// A feature the provider does not implement for any type.
pub fn not_supported(feature: &str, type_name: &str) -> Vec<pb::Diagnostic> {
    error(
        &format!("{feature} is not supported"),
        format!("This provider does not support {feature} (requested for \"{type_name}\")."),
    )
}

pub fn one_event<T: Send + 'static>(event: T) -> EventStream<T> {
    Box::pin(tokio_stream::once(Ok(event)))
}

pub fn call_function(name: &str) -> pb::call_function::Response {
    pb::call_function::Response {
        result: None,
        error: Some(pb::FunctionError {
            text: format!("This provider has no function named \"{name}\"."),
            function_argument: None,
        }),
    }
}

pub fn list_resource(type_name: &str) -> EventStream<pb::list_resource::Event> {
    one_event(pb::list_resource::Event {
        diagnostic: no_such("list resource type", type_name),
        ..Default::default()
    })
}

pub fn read_state_bytes(type_name: &str) -> EventStream<pb::read_state_bytes::Response> {
    one_event(pb::read_state_bytes::Response {
        diagnostics: no_such("state store", type_name),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_stream::StreamExt;

    #[test]
    fn diagnostics_are_errors_that_name_the_type() {
        let diags = no_such("data source", "alicloud_thing");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(diags[0].summary, "Unsupported data source");
        assert!(diags[0].detail.contains("\"alicloud_thing\""));
        let diags = not_supported("Resource identity", "x_y");
        assert_eq!(diags[0].severity, pb::diagnostic::Severity::Error as i32);
        assert!(diags[0].detail.contains("\"x_y\""));
    }

    #[tokio::test]
    async fn streams_carry_one_error_then_end() {
        let events: Vec<_> = list_resource("x_list").collect().await;
        assert_eq!(events.len(), 1);
        assert_eq!(
            events[0].as_ref().unwrap().diagnostic[0].summary,
            "Unsupported list resource type"
        );
    }

    #[test]
    fn unknown_function_is_a_function_error() {
        let response = call_function("f");
        assert!(response.result.is_none());
        assert!(response.error.unwrap().text.contains("\"f\""));
    }
}
