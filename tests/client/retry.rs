//! Retries, idempotence, timeouts, deadline and cancellation against a local
//! signature-verifying server.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::HashSet;
use std::time::Duration;

use alicloud_client::{ClientError, DescribeCommandsRequest, EcsClient, InvokeCommandRequest, TransportKind};
use test_support::fake_ecs::{capture_logs, error_body, FakeEcs, Reply};
use test_support::wait;

fn invoke_request() -> InvokeCommandRequest {
    InvokeCommandRequest {
        command_id: "c-hello".into(),
        instance_ids: vec!["i-1".into()],
        ..Default::default()
    }
}

/// Every attempt was signed afresh: valid signatures, no nonce used twice.
fn assert_fresh_signatures(server: &FakeEcs) {
    let seen = server.seen();
    assert!(seen.iter().all(|s| s.signature_ok));
    let nonces: HashSet<&str> = seen.iter().filter_map(|s| s.param("SignatureNonce")).collect();
    assert_eq!(nonces.len(), seen.len(), "a nonce was reused");
}

async fn retried_once_then_ok(failure: Reply) {
    let server = FakeEcs::start(vec![failure.clone()]).await;
    let answer = server.client().invoke_command(&invoke_request()).await;
    assert_eq!(answer.unwrap().invoke_id, "t-test0001", "after {failure:?}");
    assert_eq!(server.requests(), 2, "after {failure:?}");
    assert_fresh_signatures(&server);
}

/// Fails a test whose wait was never aborted instead of hanging it; far above any real run,
/// so it says nothing about speed.
const HANG_GUARD: Duration = Duration::from_secs(30);

#[tokio::test]
async fn throttling_is_retried() {
    retried_once_then_ok(Reply::Fixed(
        400,
        error_body("Throttling.User", "Request was denied due to user flow control."),
    ))
    .await;
}

#[tokio::test]
async fn service_unavailable_is_retried() {
    retried_once_then_ok(Reply::Fixed(
        503,
        error_body(
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
    ))
    .await;
}

#[tokio::test]
async fn internal_error_dispatch_is_retried() {
    retried_once_then_ok(Reply::Fixed(
        500,
        error_body(
            "InternalError.Dispatch",
            "An error occurred when you dispatched the request.",
        ),
    ))
    .await;
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    retried_once_then_ok(Reply::Drop).await;
}

#[tokio::test]
async fn an_html_502_is_retried() {
    retried_once_then_ok(Reply::Fixed(
        502,
        "<html><body>502 Bad Gateway</body></html>".into(),
    ))
    .await;
}

#[tokio::test]
async fn final_failures_are_not_retried() {
    for (status, code) in [
        (404, "InvalidCmdId.NotFound"),
        (404, "InvalidInstance.NotFound"),
        (403, "InvalidInstance.NotMatch"),
        (403, "Parameter.NotMatched"),
        (403, "IdempotentParameterMismatch"),
        (403, "Forbidden.RAM"),
        (400, "InvalidTimeStamp.Expired"),
        (404, "InvalidAccessKeyId.NotFound"),
    ] {
        let server = FakeEcs::start(vec![Reply::Fixed(status, error_body(code, "final"))]).await;
        let err = server
            .client()
            .invoke_command(&invoke_request())
            .await
            .unwrap_err();
        assert_eq!(err.api_code(), Some(code));
        assert_eq!(server.requests(), 1, "{code} was retried");
    }
}

#[tokio::test]
async fn truncated_success_body_is_a_final_error() {
    let server = FakeEcs::start(vec![Reply::Fixed(
        200,
        r#"{"RequestId":"R","InvokeId":"t-"#.into(),
    )])
    .await;
    let err = server
        .client()
        .invoke_command(&invoke_request())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::UnexpectedResponse { status: 200, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_lost_response_does_not_start_the_command_twice() {
    // The server starts the invocation, but the answer is a 500: the client must retry
    // with the same ClientToken and get the first InvokeId back.
    let server = FakeEcs::start(vec![Reply::ApiThen(500, error_body("InternalError", "lost"))]).await;
    let answer = server.client().invoke_command(&invoke_request()).await.unwrap();
    assert_eq!(answer.invoke_id, "t-test0001");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let tokens: HashSet<&str> = seen.iter().filter_map(|s| s.param("ClientToken")).collect();
    assert_eq!(tokens.len(), 1, "the retry must reuse the token");
    assert_eq!(server.state.lock().unwrap().invocations_started, 1);
    assert_fresh_signatures(&server);
}

#[tokio::test]
async fn a_dropped_connection_is_an_interrupted_transport_error() {
    let server = FakeEcs::start(vec![Reply::Drop]).await;
    let mut config = server.config();
    config.retry.max_attempts = 1;
    let err = EcsClient::new(config)
        .unwrap()
        .invoke_command(&invoke_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportKind::Interrupted,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_caller_token_makes_caller_level_retries_safe() {
    let server = FakeEcs::start(vec![Reply::ApiThen(200, r#"{"RequestId":"R","Inv"#.into())]).await;
    // A truncated 200 is final: the caller sees the error, and the token is what would make
    // a caller-level retry safe.
    let token = "caller-token-1".to_owned();
    let mut request = invoke_request();
    request.client_token = Some(token.clone());
    let client = server.client();
    assert!(client.invoke_command(&request).await.is_err());
    let again = client.invoke_command(&request).await.unwrap();
    assert_eq!(again.invoke_id, "t-test0001");
    assert!(server
        .seen()
        .iter()
        .all(|s| s.param("ClientToken") == Some(token.as_str())));
    assert_eq!(server.state.lock().unwrap().invocations_started, 1);
}

#[tokio::test]
async fn separate_calls_get_separate_tokens() {
    let server = FakeEcs::start(vec![]).await;
    let client = server.client();
    let first = client.invoke_command(&invoke_request()).await.unwrap();
    let second = client.invoke_command(&invoke_request()).await.unwrap();
    assert_ne!(first.invoke_id, second.invoke_id);
    assert_eq!(server.state.lock().unwrap().invocations_started, 2);
}

#[tokio::test]
async fn attempts_are_capped() {
    let server = FakeEcs::start(vec![]).await;
    server.set_fallback(Reply::Fixed(503, error_body("ServiceUnavailable", "down")));
    let mut config = server.config();
    config.retry.max_attempts = 3;
    let err = EcsClient::new(config)
        .unwrap()
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some("ServiceUnavailable"));
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let server = FakeEcs::start(vec![Reply::Delay(Duration::from_secs(5), Box::new(Reply::Api))]).await;
    let mut config = server.config();
    config.retry.request_timeout = Duration::from_millis(300);
    let answer = EcsClient::new(config)
        .unwrap()
        .invoke_command(&invoke_request())
        .await
        .unwrap();
    // The first attempt reached the server but never answered (had the client waited for
    // it, that one request would have been all); the retry got the same invocation because
    // the token was the same.
    assert_eq!(answer.invoke_id, "t-test0001");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    let server = FakeEcs::start(vec![]).await;
    server.set_fallback(Reply::Delay(Duration::from_secs(30), Box::new(Reply::Api)));
    let mut config = server.config();
    config.retry.request_timeout = Duration::from_millis(300);
    config.retry.deadline = Duration::from_secs(1);
    config.retry.max_attempts = 100;
    let err = EcsClient::new(config)
        .unwrap()
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap_err();
    let ClientError::DeadlineExceeded { attempts, last, .. } = &err else {
        panic!("expected DeadlineExceeded, got {err:?}")
    };
    // The deadline, not the attempt limit, ended it: a 1 s budget holds at most three
    // 300 ms attempts and a fourth cut short, and the server saw each of them.
    assert!((2..=4).contains(attempts), "{attempts}");
    assert_eq!(server.requests(), *attempts as usize);
    assert!(
        matches!(
            **last,
            ClientError::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{last:?}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_retryable_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let server = FakeEcs::start(vec![]).await;
    let mut config = server.config();
    config.endpoint = Some(format!("http://127.0.0.1:{port}"));
    config.retry.max_attempts = 2;
    let err = EcsClient::new(config)
        .unwrap()
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(
        !err.to_string().contains("Signature"),
        "the URL must not be in the error: {err}"
    );
}

#[tokio::test]
async fn cancellation_aborts_a_backoff_wait() {
    let server = FakeEcs::start(vec![]).await;
    server.set_fallback(Reply::Fixed(503, error_body("ServiceUnavailable", "down")));
    let mut config = server.config();
    config.retry.initial_backoff = Duration::from_secs(60);
    config.retry.max_backoff = Duration::from_secs(60);
    config.retry.deadline = Duration::from_secs(600);
    let logs = capture_logs(&mut config);
    let client = EcsClient::new(config).unwrap();
    let cancel = client.cancellation_token().clone();
    let lines = logs.clone();
    tokio::spawn(async move {
        // Cancelled once the first backoff wait has begun.
        let waiting = move || {
            let lines = lines.clone();
            async move { lines.lock().unwrap().iter().any(|l| l.contains("retrying in")) }
        };
        wait::until_async("the backoff wait", HANG_GUARD, waiting).await;
        cancel.cancel();
    });
    // Only a hang guard: an unaborted 60 s backoff would trip it, a working one is far off.
    let err = tokio::time::timeout(
        HANG_GUARD,
        client.describe_commands(&DescribeCommandsRequest::default()),
    )
    .await
    .expect("the backoff wait was not aborted")
    .unwrap_err();
    assert!(matches!(err, ClientError::Cancelled { .. }), "{err:?}");
    // Cancelled during the first backoff: no second attempt.
    assert_eq!(server.requests(), 1);
    assert!(
        logs.lock().unwrap().iter().any(|l| l.contains("retrying in")),
        "no backoff wait started"
    );
}

#[tokio::test]
async fn cancellation_aborts_an_in_flight_request() {
    let server = FakeEcs::start(vec![]).await;
    server.set_fallback(Reply::Delay(Duration::from_secs(60), Box::new(Reply::Api)));
    let client = server.client();
    let cancel = client.cancellation_token().clone();
    let server_ref = &server;
    let request = invoke_request();
    let (answer, ()) = tokio::join!(
        tokio::time::timeout(HANG_GUARD, client.invoke_command(&request)),
        async {
            // Cancelled once the server has the request and holds its answer back.
            wait::until_async("the request to arrive", HANG_GUARD, move || async move {
                server_ref.requests() == 1
            })
            .await;
            cancel.cancel();
        }
    );
    let err = answer
        .expect("the in-flight request was not aborted")
        .unwrap_err();
    // Had the request run on, the 60 s answer would have been a success, not a cancellation.
    assert!(matches!(err, ClientError::Cancelled { .. }), "{err:?}");
    assert_eq!(server.requests(), 1);
    // A cancelled client refuses further work at once.
    let err = client.invoke_command(&invoke_request()).await.unwrap_err();
    assert!(matches!(err, ClientError::Cancelled { .. }));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_unrepresentable_deadline_does_not_panic() {
    let server = FakeEcs::start(vec![Reply::Fixed(503, error_body("ServiceUnavailable", "down"))]).await;
    let mut config = server.config();
    config.retry.deadline = Duration::MAX;
    let answer = EcsClient::new(config)
        .unwrap()
        .invoke_command(&invoke_request())
        .await;
    assert_eq!(answer.unwrap().invoke_id, "t-test0001");
    assert_eq!(server.requests(), 2);
}
