//! The project's own client (`alicloud_client::EcsClient`) against the emulator binary: the
//! answers parse into its types, its ClientToken makes a retry after a lost response or a
//! dropped connection safe, and API errors arrive with their codes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::BTreeMap;
use std::time::Duration;

use alicloud_client::{
    ClientConfig, ClientError, ContentEncoding, Credentials, DescribeCommandsRequest,
    DescribeInstancesRequest, DescribeInvocationsRequest, EcsClient, InvokeCommandRequest, PageRequest,
    RetryPolicy, StopInvocationRequest,
};
use ecs_emulator::fixtures::ids::{
    DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEPLOY, LINUX_1, LINUX_2, LINUX_3, UPTIME, WINDOWS_1,
};
use test_support::emulator::*;

fn client(emu: &Emulator) -> EcsClient {
    let mut config = ClientConfig::new(
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
        "cn-hangzhou",
    );
    config.endpoint = Some(emu.base.clone());
    config.retry = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        deadline: Duration::from_secs(10),
        request_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
    };
    EcsClient::new(config).unwrap()
}

fn deploy(version: &str) -> InvokeCommandRequest {
    InvokeCommandRequest {
        command_id: DEPLOY.into(),
        instance_ids: vec![LINUX_1.into(), LINUX_2.into()],
        parameters: Some(BTreeMap::from([
            ("version".to_string(), version.to_string()),
            ("env".to_string(), "ci".to_string()),
        ])),
        ..Default::default()
    }
}

async fn wait_for(client: &EcsClient, invoke_id: &str, status: &str) -> alicloud_client::Invocation {
    for _ in 0..100 {
        let request = DescribeInvocationsRequest {
            invoke_id: Some(invoke_id.into()),
            include_output: Some(true),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        };
        let mut page = client.describe_invocations(&request).await.unwrap();
        if let Some(record) = page
            .invocations
            .pop()
            .filter(|r| r.invocation_status.as_str() == status)
        {
            return record;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{invoke_id} never reached {status}");
}

#[tokio::test]
async fn the_project_client_reads_every_answer() {
    let emu = Emulator::start(&["--run-delay-ms", "100"]);
    let client = client(&emu);
    let instances = client
        .describe_instances(&DescribeInstancesRequest {
            page: PageRequest {
                page_size: Some(100),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(instances.page.total_count, 6);
    assert!(instances
        .instances
        .iter()
        .any(|i| i.instance_id == WINDOWS_1 && i.os_type == "windows"));
    let commands = client
        .describe_commands(&DescribeCommandsRequest {
            command_id: Some(DEPLOY.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(commands.commands.len(), 1);

    let invoked = client.invoke_command(&deploy("3.1")).await.unwrap();
    let record = wait_for(&client, &invoked.invoke_id, "Success").await;
    assert_eq!(record.invoke_instances.len(), 2);
    assert_eq!(
        record.invoke_instances[0].output.expose(),
        "echo deploying 3.1 to ci"
    );
    assert_eq!(record.invoke_instances[0].exit_code, Some(0));

    let timed = InvokeCommandRequest {
        command_id: UPTIME.into(),
        instance_ids: vec![LINUX_3.into()],
        timed: Some(true),
        frequency: Some("rate(10m)".into()),
        ..Default::default()
    };
    let timed = client.invoke_command(&timed).await.unwrap();
    wait_for(&client, &timed.invoke_id, "Scheduled").await;
    let stop = StopInvocationRequest {
        invoke_id: timed.invoke_id.clone(),
        ..Default::default()
    };
    client.stop_invocation(&stop).await.unwrap();
    wait_for(&client, &timed.invoke_id, "Stopped").await;

    let mut bad = deploy("x");
    bad.parameters = Some(BTreeMap::from([("colour".to_string(), "blue".to_string())]));
    match client.invoke_command(&bad).await {
        Err(ClientError::Api(error)) => {
            assert_eq!((error.status, error.code.as_str()), (403, "Parameter.NotMatched"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retries_after_lost_answers_start_nothing_twice() {
    let emu = Emulator::start(&[
        "--lost-response",
        "1@InvokeCommand",
        "--drop-connection",
        "1@InvokeCommand",
        "--throttle",
        "1@InvokeCommand",
    ]);
    let client = client(&emu);
    let invoked = client.invoke_command(&deploy("4.0")).await.unwrap();
    let stats = emu.admin_get("stats").await;
    assert_eq!(stats["invoke_command_calls"], 4, "{stats}"); // throttled, lost, dropped, answered
    assert_eq!(stats["invocations_created"], 1, "{stats}");
    let page = client
        .describe_invocations(&DescribeInvocationsRequest::default())
        .await
        .unwrap();
    assert_eq!(page.invocations.len(), 1);
    assert_eq!(page.invocations[0].invoke_id, invoked.invoke_id);
}
