//! The client against a local signature-verifying server: request shape, signing, typed
//! answers, API errors and secret hygiene.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::BTreeMap;

use alicloud_client::{
    ClientError, ContentEncoding, CreateCommandRequest, Credentials, DeleteCommandRequest,
    DescribeCommandsRequest, DescribeInstancesRequest, DescribeInvocationResultsRequest,
    DescribeInvocationsRequest, EcsClient, HttpMethod, InvokeCommandRequest, PageRequest,
    StopInvocationRequest,
};
use test_support::fake_ecs::{capture_logs, error_body, FakeEcs, Reply, ACCESS_KEY_SECRET};

fn invoke_request() -> InvokeCommandRequest {
    InvokeCommandRequest {
        command_id: "c-hello".into(),
        instance_ids: vec!["i-1".into(), "i-2".into()],
        parameters: Some(BTreeMap::from([("name".to_owned(), "Jack Ma".to_owned())])),
        username: Some("root".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn invoke_command_is_a_signed_post_with_api_params_in_the_body() {
    let server = FakeEcs::start(vec![]).await;
    let answer = server.client().invoke_command(&invoke_request()).await.unwrap();
    assert_eq!(answer.invoke_id, "t-test0001");
    assert_eq!(answer.request_id, "REQ-INVOKE");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert!(request.signature_ok);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    for common in [
        "Action",
        "Version",
        "Format",
        "AccessKeyId",
        "SignatureNonce",
        "Timestamp",
        "Signature",
    ] {
        assert!(
            request.query_names.iter().any(|n| n == common),
            "{common} not in the query"
        );
    }
    for api in [
        "CommandId",
        "InstanceId.1",
        "InstanceId.2",
        "Parameters",
        "RegionId",
        "ClientToken",
    ] {
        assert!(
            request.body_names.iter().any(|n| n == api),
            "{api} not in the body"
        );
    }
    assert_eq!(
        request.param("RegionId"),
        Some("cn-hangzhou"),
        "client region is the default"
    );
    assert_eq!(request.param("Parameters"), Some(r#"{"name":"Jack Ma"}"#));
    assert_eq!(request.param("InstanceId.2"), Some("i-2"));
    assert_eq!(request.param("SecurityToken"), None);
    assert!(request
        .param("ClientToken")
        .is_some_and(|t| !t.is_empty() && t.len() <= 64));
}

#[tokio::test]
async fn get_puts_every_parameter_in_the_query() {
    let server = FakeEcs::start(vec![]).await;
    let mut config = server.config();
    config.method = HttpMethod::Get;
    let client = EcsClient::new(config).unwrap();
    client.invoke_command(&invoke_request()).await.unwrap();
    let request = &server.seen()[0];
    assert!(request.signature_ok);
    assert_eq!(request.method, "GET");
    assert!(request.body_names.is_empty());
    assert!(request.query_names.iter().any(|n| n == "CommandId"));
}

#[tokio::test]
async fn security_token_is_sent_and_signed() {
    let server = FakeEcs::start(vec![]).await;
    let mut config = server.config();
    config.credentials = Credentials::new("test-id", ACCESS_KEY_SECRET)
        .with_security_token("CAIS-sts-token")
        .into();
    EcsClient::new(config)
        .unwrap()
        .describe_invocations(&DescribeInvocationsRequest::default())
        .await
        .unwrap();
    let request = &server.seen()[0];
    assert!(request.signature_ok);
    assert_eq!(request.param("SecurityToken"), Some("CAIS-sts-token"));
    assert!(request.query_names.iter().any(|n| n == "SecurityToken"));
}

#[tokio::test]
async fn every_typed_call_round_trips() {
    let server = FakeEcs::start(vec![]).await;
    let client = server.client();

    let invocations = client
        .describe_invocations(&DescribeInvocationsRequest {
            invoke_id: Some("t-42".into()),
            include_output: Some(true),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(invocations.invocations[0].invoke_id, "t-42");
    assert_eq!(invocations.invocations[0].invoke_instances[0].exit_code, Some(0));

    let results = client
        .describe_invocation_results(&DescribeInvocationResultsRequest {
            invoke_id: Some("t-42".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        results.invocation.invocation_results[0].finished_time,
        "2024-01-01T00:00:00Z"
    );

    let stopped = client
        .stop_invocation(&StopInvocationRequest {
            invoke_id: "t-42".into(),
            instance_ids: vec!["i-1".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(stopped.request_id, "REQ-OK");

    let commands = client
        .describe_commands(&DescribeCommandsRequest {
            command_id: Some("c-7".into()),
            page: PageRequest {
                max_results: Some(10),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(commands.commands[0].command_id, "c-7");
    assert_eq!(commands.commands[0].parameter_names, ["name"]);
    assert!(commands.commands[0].enable_parameter);

    let created = client
        .create_command(&CreateCommandRequest {
            name: "hello".into(),
            command_type: "RunShellScript".into(),
            command_content: "ZWNobyBoaQ==".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created.command_id, "c-new");

    client
        .delete_command(&DeleteCommandRequest {
            command_id: "c-new".into(),
            ..Default::default()
        })
        .await
        .unwrap();

    let instances = client
        .describe_instances(&DescribeInstancesRequest {
            instance_ids: Some(vec!["i-1".into(), "i-2".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let os: Vec<&str> = instances.instances.iter().map(|i| i.os_type.as_str()).collect();
    assert_eq!(os, ["linux", "windows"]);

    let seen = server.seen();
    let actions: Vec<&str> = seen.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "DescribeInvocations",
            "DescribeInvocationResults",
            "StopInvocation",
            "DescribeCommands",
            "CreateCommand",
            "DeleteCommand",
            "DescribeInstances"
        ]
    );
    assert!(seen.iter().all(|s| s.signature_ok));
    assert_eq!(seen[0].param("ContentEncoding"), Some("PlainText"));
    assert_eq!(seen[0].param("IncludeOutput"), Some("true"));
    assert_eq!(seen[2].param("InstanceId.1"), Some("i-1"));
    assert_eq!(seen[3].param("MaxResults"), Some("10"));
    assert!(
        seen[4].param("ClientToken").is_some(),
        "CreateCommand carries a token too"
    );
    assert_eq!(seen[6].param("InstanceIds"), Some(r#"["i-1","i-2"]"#));
}

#[tokio::test]
async fn one_connection_serves_sequential_calls() {
    let server = FakeEcs::start(vec![]).await;
    let client = server.client();
    for _ in 0..3 {
        client
            .describe_commands(&DescribeCommandsRequest::default())
            .await
            .unwrap();
    }
    assert_eq!(server.requests(), 3);
    assert_eq!(server.state.lock().unwrap().connections, 1);
}

#[tokio::test]
async fn api_errors_carry_status_code_message_and_request_id() {
    let server = FakeEcs::start(vec![Reply::Fixed(
        404,
        error_body(
            "InvalidCmdId.NotFound",
            "The specified command ID does not exist.",
        ),
    )])
    .await;
    let err = server
        .client()
        .invoke_command(&invoke_request())
        .await
        .unwrap_err();
    let ClientError::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code, "InvalidCmdId.NotFound");
    assert_eq!(api.message, "The specified command ID does not exist.");
    assert_eq!(api.request_id, "REQ-ERR");
    assert_eq!(api.action, "InvokeCommand");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_wrong_secret_fails_once_without_retrying() {
    let server = FakeEcs::start(vec![]).await;
    let mut config = server.config();
    config.credentials = Credentials::new("test-id", "not-the-secret").into();
    let err = EcsClient::new(config)
        .unwrap()
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some("SignatureDoesNotMatch"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn secrets_stay_out_of_logs_and_errors() {
    let password = "pa55-w0rd-value";
    let token = "CAIS-secret-token";
    // A server message echoing the request, as SignatureDoesNotMatch does.
    let echo = format!(
        "Specified signature is not matched. Parameters {{\"password\":\"{password}\"}} token {token} \
         server string to sign is:POST&%2F&Parameters%3D%257B%2522password%2522..."
    );
    let server = FakeEcs::start(vec![Reply::Fixed(503, error_body("ServiceUnavailable", &echo))]).await;
    server.set_fallback(Reply::Fixed(400, error_body("IncompleteSignature", &echo)));
    let mut config = server.config();
    config.credentials = Credentials::new("test-id", ACCESS_KEY_SECRET)
        .with_security_token(token)
        .into();
    let logs = capture_logs(&mut config);
    let client = EcsClient::new(config).unwrap();
    let mut request = invoke_request();
    request.parameters = Some(BTreeMap::from([("password".to_owned(), password.to_owned())]));
    let err = client.invoke_command(&request).await.unwrap_err();
    assert_eq!(err.api_code(), Some("IncompleteSignature"));
    assert_eq!(server.requests(), 2);

    let signatures: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.params.get("Signature").cloned().unwrap_or_default())
        .collect();
    let logs = logs.lock().unwrap();
    assert!(
        logs.iter().any(|l| l.contains("Parameters=<redacted>")),
        "{logs:#?}"
    );
    assert!(
        logs.iter().any(|l| l.contains("SecurityToken=<redacted>")),
        "{logs:#?}"
    );
    assert!(
        logs.iter().any(|l| l.contains("Signature=<redacted>")),
        "{logs:#?}"
    );
    let texts: Vec<String> = logs
        .iter()
        .cloned()
        .chain([err.to_string(), format!("{err:?}"), format!("{client:?}")])
        .collect();
    for text in &texts {
        for secret in [password, token, ACCESS_KEY_SECRET] {
            assert!(!text.contains(secret), "{secret} leaked into: {text}");
        }
        for signature in signatures.iter().filter(|s| !s.is_empty()) {
            assert!(
                !text.contains(signature.as_str()),
                "signature leaked into: {text}"
            );
        }
    }
}
