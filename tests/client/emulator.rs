//! The client against the real emulator binary: every typed call with its typed answer, each
//! retryable fault followed by success (one invocation only), final failures sent once, a
//! slow server (timeout and deadline honoured), cancellation, and STS credentials.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alicloud_client::signature::percent_encode;
use alicloud_client::{
    ApiError, ClientConfig, ClientError, Command, ContentEncoding, CreateCommandRequest, Credentials,
    DeleteCommandRequest, DescribeCommandsRequest, DescribeInstancesRequest,
    DescribeInvocationResultsRequest, DescribeInvocationsRequest, EcsClient, Instance, Invocation,
    InvocationResult, InvocationStatus, InvokeCommandRequest, InvokeInstance, LogLevel, RetryPolicy,
    SecretString, StopInvocationRequest, TransportKind,
};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1, LINUX_2, LINUX_3, UPTIME, WINDOWS_1};
use serde_json::{json, Value};
use test_support::emulator::Emulator;
use test_support::wait;
use tokio::sync::Notify;

const KEY_ID: &str = "LTAI-client-emulator";
const KEY_SECRET: &str = "client-emulator-secret";
const STS_ID: &str = "STS.client-emulator";
const STS_SECRET: &str = "client-emulator-sts-secret";
const STS_TOKEN: &str = "CAIS-client-emulator-token";
const REGION: &str = "cn-hangzhou";

/// The emulator with this file's own credentials (a plain pair and an STS triple).
fn start(extra: &[&str]) -> Emulator {
    let plain = format!("{KEY_ID}:{KEY_SECRET}");
    let sts = format!("{STS_ID}:{STS_SECRET}:{STS_TOKEN}");
    let mut args = vec!["--access-key", plain.as_str(), "--access-key", sts.as_str()];
    args.extend_from_slice(extra);
    Emulator::start(&args)
}

fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        deadline: Duration::from_secs(5),
        request_timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(1),
    }
}

fn config_with(emu: &Emulator, credentials: Credentials) -> ClientConfig {
    let mut config = ClientConfig::new(credentials, REGION);
    config.endpoint = Some(emu.base.clone());
    config.retry = quick_retry();
    config
}

fn config(emu: &Emulator) -> ClientConfig {
    config_with(emu, Credentials::new(KEY_ID, KEY_SECRET))
}

fn client(emu: &Emulator) -> EcsClient {
    EcsClient::new(config(emu)).unwrap()
}

fn uptime_on_linux() -> InvokeCommandRequest {
    InvokeCommandRequest {
        command_id: UPTIME.into(),
        instance_ids: vec![LINUX_1.into()],
        ..Default::default()
    }
}

/// A counter of `GET /_emulator/stats`, under `group` (e.g. `errors`) when given.
fn stat(stats: &Value, group: Option<&str>, name: &str) -> u64 {
    let scope = group.map_or(stats, |g| &stats[g]);
    scope[name].as_u64().unwrap_or(0)
}

/// The API's time format (`yyyy-MM-ddTHH:mm:ssZ`), within a minute of now.
fn assert_recent_time(text: &str) {
    let at = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ")
        .unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let skew = (chrono::Utc::now().naive_utc() - at).num_seconds().abs();
    assert!(skew < 60, "{text} is {skew}s away from now");
}

/// The emulator's request ids: upper-case hyphenated UUIDs.
fn assert_request_id(id: &str) {
    assert_eq!(id.len(), 36, "{id:?}");
    assert_eq!(id, id.to_ascii_uppercase());
}

async fn describe_invocation(client: &EcsClient, invoke_id: &str) -> Invocation {
    let answer = client
        .describe_invocations(&DescribeInvocationsRequest {
            invoke_id: Some(invoke_id.into()),
            include_output: Some(true),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(answer.page.total_count, 1);
    answer.invocations.into_iter().next().unwrap()
}

#[tokio::test]
async fn every_typed_call_succeeds_with_its_typed_answer() {
    // Runs start at once (no Pending), so StartTime is CreationTime.
    let emu = start(&["--pending-ms", "0", "--run-delay-ms", "500"]);
    let client = client(&emu);

    let instances = client
        .describe_instances(&DescribeInstancesRequest {
            instance_ids: Some(vec![LINUX_1.into(), WINDOWS_1.into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&instances.request_id);
    assert_eq!(
        (
            instances.page.total_count,
            instances.page.page_number,
            instances.page.page_size,
            instances.page.next_token.as_str()
        ),
        (2, 1, 10, "")
    );
    let instance = |id: &str, name: &str, os: &str, os_name: &str| Instance {
        instance_id: id.into(),
        instance_name: name.into(),
        status: "Running".into(),
        os_type: os.into(),
        os_name: os_name.into(),
        region_id: REGION.into(),
        zone_id: "cn-hangzhou-h".into(),
    };
    assert_eq!(
        instances.instances,
        [
            instance(LINUX_1, "web-1", "linux", "Alibaba Cloud Linux 3.2104 LTS 64 bit"),
            instance(
                WINDOWS_1,
                "win-1",
                "windows",
                "Windows Server 2022 Datacenter 64 bit"
            ),
        ]
    );

    let fixture = client
        .describe_commands(&DescribeCommandsRequest {
            command_id: Some(DEPLOY.into()),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&fixture.request_id);
    assert_eq!(fixture.page.total_count, 1);
    assert_eq!(
        fixture.commands,
        [Command {
            command_id: DEPLOY.into(),
            name: "deploy-app".into(),
            command_type: "RunShellScript".into(),
            description: "Deploys a version to an environment".into(),
            command_content: "echo deploying {{version}} to {{env}}".into(),
            working_dir: String::new(),
            timeout: Some(60),
            enable_parameter: true,
            parameter_names: vec!["version".into(), "env".into()],
            invoke_times: Some(0),
            creation_time: "2024-01-01T00:00:00Z".into(),
            provider: String::new(),
            category: String::new(),
            version: Some(1),
            latest: Some(true),
        }]
    );

    let content = "echo hello {{name}} on {{ACS::InstanceName}}";
    let created = client
        .create_command(&CreateCommandRequest {
            name: "greet".into(),
            command_type: "RunShellScript".into(),
            command_content: STANDARD.encode(content),
            description: Some("Greets".into()),
            working_dir: Some("/tmp".into()),
            timeout: Some(30),
            enable_parameter: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&created.request_id);
    let command_id = created.command_id;
    assert!(command_id.starts_with("c-"), "{command_id}");

    let listed = client
        .describe_commands(&DescribeCommandsRequest {
            command_id: Some(command_id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.page.total_count, 1);
    let new_command = &listed.commands[0];
    assert_recent_time(&new_command.creation_time);
    assert_eq!(
        *new_command,
        Command {
            command_id: command_id.clone(),
            name: "greet".into(),
            command_type: "RunShellScript".into(),
            description: "Greets".into(),
            // Base64 unless PlainText is asked for.
            command_content: STANDARD.encode(content),
            working_dir: "/tmp".into(),
            timeout: Some(30),
            enable_parameter: true,
            parameter_names: vec!["name".into()],
            invoke_times: Some(0),
            creation_time: new_command.creation_time.clone(),
            provider: String::new(),
            category: String::new(),
            version: Some(1),
            latest: Some(true),
        }
    );

    let invoked = client
        .invoke_command(&InvokeCommandRequest {
            command_id: command_id.clone(),
            instance_ids: vec![LINUX_1.into(), LINUX_2.into()],
            parameters: Some(BTreeMap::from([("name".to_owned(), "world".to_owned())])),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&invoked.request_id);
    let invoke_id = invoked.invoke_id;
    assert!(invoke_id.starts_with("t-"), "{invoke_id}");

    // Within the run delay the runs are still going, and no output is shown yet.
    let running = describe_invocation(&client, &invoke_id).await;
    assert_eq!(
        (running.invocation_status.as_str(), running.invoke_status.as_str()),
        ("Running", "Running")
    );
    assert!(running.invoke_instances.iter().all(|run| run.output.is_empty()));

    emu.advance(600).await;
    let done = describe_invocation(&client, &invoke_id).await;
    assert_recent_time(&done.creation_time);
    let run = |instance_id: &str, name: &str, got: &InvokeInstance| {
        assert_recent_time(&got.finish_time);
        assert!(got.finish_time >= done.creation_time, "{got:?}");
        InvokeInstance {
            instance_id: instance_id.into(),
            invocation_status: "Success".into(),
            instance_invoke_status: "Finished".into(),
            exit_code: Some(0),
            output: format!("echo hello world on {name}").into(),
            dropped: Some(0),
            error_code: String::new(),
            error_info: String::new(),
            repeats: Some(1),
            timed: false,
            creation_time: done.creation_time.clone(),
            start_time: done.creation_time.clone(),
            finish_time: got.finish_time.clone(),
            stop_time: String::new(),
            update_time: got.finish_time.clone(),
        }
    };
    assert_eq!(done.invoke_instances.len(), 2);
    let expected_runs = vec![
        run(LINUX_1, "web-1", &done.invoke_instances[0]),
        run(LINUX_2, "web-2", &done.invoke_instances[1]),
    ];
    assert_eq!(
        done,
        Invocation {
            invoke_id: invoke_id.clone(),
            command_id: command_id.clone(),
            command_name: "greet".into(),
            command_type: "RunShellScript".into(),
            command_description: "Greets".into(),
            command_content: content.into(),
            parameters: SecretString::new(r#"{"name":"world"}"#),
            username: "root".into(),
            working_dir: "/tmp".into(),
            timeout: Some(30),
            timed: false,
            frequency: String::new(),
            repeat_mode: "Once".into(),
            invocation_status: "Success".into(),
            invoke_status: "Finished".into(),
            creation_time: done.creation_time.clone(),
            invoke_instances: expected_runs,
            ..Default::default()
        }
    );

    let results = client
        .describe_invocation_results(&DescribeInvocationResultsRequest {
            invoke_id: Some(invoke_id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&results.request_id);
    let page = &results.invocation;
    assert_eq!(
        (
            page.page.total_count,
            page.page.page_number,
            page.page.page_size,
            page.page.next_token.as_str()
        ),
        (2, 1, 10, "")
    );
    let result = |run: &InvokeInstance| InvocationResult {
        invoke_id: invoke_id.clone(),
        command_id: command_id.clone(),
        instance_id: run.instance_id.clone(),
        invocation_status: "Success".into(),
        invoke_record_status: "Finished".into(),
        exit_code: Some(0),
        // Base64 by default.
        output: STANDARD.encode(run.output.expose()).into(),
        dropped: Some(0),
        error_code: String::new(),
        error_info: String::new(),
        repeats: Some(1),
        username: "root".into(),
        start_time: run.start_time.clone(),
        finished_time: run.finish_time.clone(),
        stop_time: String::new(),
        ..Default::default()
    };
    let expected: Vec<InvocationResult> = done.invoke_instances.iter().map(result).collect();
    assert_eq!(page.invocation_results, expected);

    let timed = client
        .invoke_command(&InvokeCommandRequest {
            timed: Some(true),
            frequency: Some("rate(5m)".into()),
            ..uptime_on_linux()
        })
        .await
        .unwrap();
    let scheduled = describe_invocation(&client, &timed.invoke_id).await;
    assert_eq!(
        (
            scheduled.invocation_status.as_str(),
            scheduled.timed,
            scheduled.repeat_mode.as_str(),
            scheduled.frequency.as_str()
        ),
        ("Scheduled", true, "Period", "rate(5m)")
    );
    let stopped = client
        .stop_invocation(&StopInvocationRequest {
            invoke_id: timed.invoke_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&stopped.request_id);
    let after_stop = describe_invocation(&client, &timed.invoke_id).await;
    assert_eq!(
        (
            after_stop.invocation_status.as_str(),
            after_stop.invoke_status.as_str()
        ),
        ("Stopped", "Stopped")
    );
    let stopped_run = &after_stop.invoke_instances[0];
    assert_eq!(
        (
            stopped_run.instance_id.as_str(),
            stopped_run.invocation_status.as_str()
        ),
        (LINUX_1, "Stopped")
    );
    assert_recent_time(&stopped_run.stop_time);

    let deleted = client
        .delete_command(&DeleteCommandRequest {
            command_id: command_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_request_id(&deleted.request_id);
    let gone = client
        .describe_commands(&DescribeCommandsRequest {
            command_id: Some(command_id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((gone.page.total_count, gone.commands.len()), (0, 0));

    let stats = emu.admin_get("stats").await;
    assert_eq!(stat(&stats, None, "invocations_created"), 2, "{stats}");
    assert_eq!(stats["errors"], json!({}), "{stats}");
}

/// Injects `plan`, then makes one InvokeCommand call that must succeed after one retry.
/// Checks that exactly one invocation exists and that it is the one the client was given;
/// returns the emulator's stats.
async fn retried_once_then_ok(plan: Value) -> Value {
    let emu = start(&[]);
    let (status, _) = emu.admin_post("faults", plan.clone()).await;
    assert_eq!(status, 200);
    let client = client(&emu);
    let answer = client.invoke_command(&uptime_on_linux()).await.unwrap();
    let stats = emu.admin_get("stats").await;
    assert_eq!(
        (
            stat(&stats, None, "invoke_command_calls"),
            stat(&stats, None, "invocations_created")
        ),
        (2, 1),
        "after {plan}: {stats}"
    );
    let listed = client
        .describe_invocations(&DescribeInvocationsRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.page.total_count, 1, "after {plan}");
    assert_eq!(listed.invocations[0].invoke_id, answer.invoke_id, "after {plan}");
    stats
}

#[tokio::test]
async fn throttling_is_retried_then_runs_once() {
    let stats = retried_once_then_ok(json!({"throttle": {"count": 1, "action": "InvokeCommand"}})).await;
    assert_eq!(stat(&stats, None, "throttled"), 1, "{stats}");
    assert_eq!(stat(&stats, Some("errors"), "Throttling"), 1, "{stats}");
    // Throttled before the handler: nothing to replay.
    assert_eq!(stat(&stats, None, "idempotent_replays"), 0, "{stats}");
}

#[tokio::test]
async fn a_dispatch_error_is_retried_then_runs_once() {
    let stats = retried_once_then_ok(json!({"dispatch_error": {"count": 1}})).await;
    assert_eq!(stat(&stats, None, "dispatch_errors"), 1, "{stats}");
    assert_eq!(
        stat(&stats, Some("errors"), "InternalError.Dispatch"),
        1,
        "{stats}"
    );
    // The dispatch failed before anything was recorded: nothing to replay.
    assert_eq!(stat(&stats, None, "idempotent_replays"), 0, "{stats}");
}

#[tokio::test]
async fn a_lost_response_is_retried_with_the_same_token() {
    let stats = retried_once_then_ok(json!({"lost_response": {"count": 1, "action": "InvokeCommand"}})).await;
    assert_eq!(stat(&stats, None, "lost_responses"), 1, "{stats}");
    assert_eq!(stat(&stats, Some("errors"), "InternalError"), 1, "{stats}");
    // The first attempt committed; the retry was recognised by its ClientToken.
    assert_eq!(stat(&stats, None, "idempotent_replays"), 1, "{stats}");
}

#[tokio::test]
async fn a_dropped_connection_is_retried_with_the_same_token() {
    let stats =
        retried_once_then_ok(json!({"drop_connection": {"count": 1, "action": "InvokeCommand"}})).await;
    assert_eq!(stat(&stats, None, "dropped_connections"), 1, "{stats}");
    assert_eq!(stat(&stats, None, "idempotent_replays"), 1, "{stats}");
}

#[tokio::test]
async fn a_lost_create_command_response_creates_one_command() {
    let emu = start(&[]);
    let plan = json!({"lost_response": {"count": 1, "action": "CreateCommand"}});
    assert_eq!(emu.admin_post("faults", plan).await.0, 200);
    let client = client(&emu);
    let created = client
        .create_command(&CreateCommandRequest {
            name: "once".into(),
            command_type: "RunShellScript".into(),
            command_content: STANDARD.encode("true"),
            ..Default::default()
        })
        .await
        .unwrap();
    let named = client
        .describe_commands(&DescribeCommandsRequest {
            name: Some("once".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(named.page.total_count, 1);
    assert_eq!(named.commands[0].command_id, created.command_id);
    let stats = emu.admin_get("stats").await;
    assert_eq!(
        (
            stat(&stats, Some("actions"), "CreateCommand"),
            stat(&stats, None, "lost_responses")
        ),
        (2, 1),
        "{stats}"
    );
}

/// One final failure: the call, the code, its status
/// (`docs/api-notes.md#invokecommand-error-statuses`) and the message it starts with.
struct FinalCase {
    client: EcsClient,
    request: InvokeCommandRequest,
    code: &'static str,
    status: u16,
    message: &'static str,
}

#[tokio::test]
async fn final_failures_are_sent_once_and_typed() {
    let emu = start(&[]);
    let good = client(&emu);
    let wrong_secret = EcsClient::new(config_with(&emu, Credentials::new(KEY_ID, "not-the-secret"))).unwrap();
    let unknown_key = EcsClient::new(config_with(&emu, Credentials::new("LTAI-nobody", KEY_SECRET))).unwrap();
    let fifty_one: Vec<String> = (0..51).map(|n| format!("i-bp1nothere{n:08}")).collect();
    let cases = [
        FinalCase {
            client: wrong_secret,
            request: uptime_on_linux(),
            code: "SignatureDoesNotMatch",
            status: 400,
            message: "Specified signature is not matched with our calculation.",
        },
        FinalCase {
            client: unknown_key,
            request: uptime_on_linux(),
            code: "InvalidAccessKeyId.NotFound",
            status: 404,
            message: "Specified access key is not found.",
        },
        FinalCase {
            client: good.clone(),
            request: InvokeCommandRequest {
                command_id: "c-hz01doesnotexist01".into(),
                ..uptime_on_linux()
            },
            code: "InvalidCmdId.NotFound",
            status: 404,
            message: "The specified command ID does not exist.",
        },
        FinalCase {
            client: good.clone(),
            request: InvokeCommandRequest {
                instance_ids: vec!["i-bp1doesnotexist01".into()],
                ..uptime_on_linux()
            },
            code: "InvalidInstance.NotFound",
            status: 404,
            message: "The specified instance does not exist.",
        },
        FinalCase {
            client: good.clone(),
            request: InvokeCommandRequest {
                parameters: Some(BTreeMap::from([("name".to_owned(), "x".to_owned())])),
                ..uptime_on_linux()
            },
            code: "Parameter.Disabled",
            status: 404,
            message: "Parameters cannot be passed in when the command customization function is disabled.",
        },
        FinalCase {
            client: good,
            request: InvokeCommandRequest {
                instance_ids: fifty_one,
                ..uptime_on_linux()
            },
            code: "InstanceIds.ExceedLimit",
            status: 403,
            message: "The number of instance IDs exceeds the upper limit.",
        },
    ];
    for case in cases {
        let before = emu.admin_get("stats").await;
        let err = case.client.invoke_command(&case.request).await.unwrap_err();
        let after = emu.admin_get("stats").await;
        assert!(!err.is_retryable(), "{err}");
        let ClientError::Api(api) = &err else {
            panic!("{}: expected an API error, got {err:?}", case.code)
        };
        let ApiError {
            action,
            status,
            code,
            message,
            request_id,
            host_id,
            recommend,
        } = api.as_ref();
        assert_eq!(
            (*action, *status, code.as_str()),
            ("InvokeCommand", case.status, case.code)
        );
        assert!(message.starts_with(case.message), "{code}: {message}");
        assert_request_id(request_id);
        assert_eq!(*host_id, emu.base.trim_start_matches("http://"), "{code}");
        assert!(recommend.contains(code.as_str()), "{code}: {recommend}");
        let delta = |group, name| stat(&after, group, name) - stat(&before, group, name);
        assert_eq!(delta(None, "requests"), 1, "{code} was retried");
        assert_eq!(delta(Some("errors"), case.code), 1, "{code}");
    }
    assert_eq!(
        stat(&emu.admin_get("stats").await, None, "invocations_created"),
        0
    );
}

#[tokio::test]
async fn a_slow_server_times_out_within_the_timeout_and_the_deadline() {
    let emu = start(&["--latency-ms", "2500"]);
    let mut single = config(&emu);
    single.retry.max_attempts = 1;
    single.retry.request_timeout = Duration::from_millis(300);
    let err = EcsClient::new(single)
        .unwrap()
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );

    let mut bounded = config(&emu);
    bounded.retry.max_attempts = 100;
    bounded.retry.request_timeout = Duration::from_millis(300);
    bounded.retry.deadline = Duration::from_millis(900);
    let err = EcsClient::new(bounded)
        .unwrap()
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap_err();
    let ClientError::DeadlineExceeded { attempts, last, .. } = &err else {
        panic!("expected DeadlineExceeded, got {err:?}")
    };
    // Gave up at the deadline, long before the server would have answered, and well before
    // the attempt limit: 900 ms hold at most three 300 ms attempts.
    assert!((2..=3).contains(attempts), "{attempts} attempt(s)");
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
}

#[tokio::test]
async fn a_timed_out_invoke_is_retried_and_runs_once() {
    let latency = Duration::from_millis(1500);
    let emu = start(&["--latency-ms", "1500"]);
    // The latency is cleared as soon as the first attempt has timed out, so that a retry
    // gets through. Whether the server still carries out an attempt its client gave up on
    // is the server's business: either way there must be one invocation only.
    let first_failed = Arc::new(Notify::new());
    let mut config = config(&emu);
    config.retry.request_timeout = Duration::from_millis(300);
    config.retry.max_attempts = 10;
    let signal = first_failed.clone();
    let timeouts = Arc::new(AtomicU32::new(0));
    let counted = timeouts.clone();
    config.log = Some(Arc::new(move |_: LogLevel, line: &str| {
        if line.contains("failed") && line.contains("timeout") {
            counted.fetch_add(1, Ordering::SeqCst);
            signal.notify_one();
        }
    }));
    let client = EcsClient::new(config).unwrap();
    let request = uptime_on_linux();
    let started = Instant::now();
    let (answer, cleared) = tokio::join!(client.invoke_command(&request), async {
        let waited = tokio::time::timeout(latency, first_failed.notified()).await;
        assert!(waited.is_ok(), "no attempt timed out");
        emu.admin_post("faults", json!({})).await.0
    });
    assert_eq!(cleared, 200);
    let answer = answer.unwrap();
    // At least one attempt gave up on the slow answer and a retry got the invocation.
    assert!(timeouts.load(Ordering::SeqCst) >= 1);

    // Past the latency, an attempt the server may have kept working on is done too.
    tokio::time::sleep(latency.saturating_sub(started.elapsed()) + Duration::from_millis(200)).await;
    let stats = emu.admin_get("stats").await;
    let calls = stat(&stats, None, "invoke_command_calls");
    assert!(calls >= 1, "{stats}");
    assert_eq!(stat(&stats, None, "invocations_created"), 1, "{stats}");
    // Every InvokeCommand the server handled beyond the first was a replay of its token.
    assert_eq!(stat(&stats, None, "idempotent_replays"), calls - 1, "{stats}");
    let listed = client
        .describe_invocations(&DescribeInvocationsRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.page.total_count, 1);
    assert_eq!(listed.invocations[0].invoke_id, answer.invoke_id);
}

#[tokio::test]
async fn cancellation_while_waiting_on_a_slow_server_returns_promptly() {
    let emu = start(&["--latency-ms", "5000"]);
    let mut config = config(&emu);
    config.retry.request_timeout = Duration::from_secs(10);
    config.retry.deadline = Duration::from_secs(30);
    let client = EcsClient::new(config).unwrap();
    let cancel = client.cancellation_token().clone();
    let request = uptime_on_linux();
    let emulator = &emu;
    let (answer, ()) = tokio::join!(client.invoke_command(&request), async {
        // Cancelled once the server has the request and holds its answer back.
        wait::until_async("the request to arrive", Duration::from_secs(30), move || async move {
            stat(&emulator.admin_get("stats").await, None, "invoke_command_calls") >= 1
        })
        .await;
        cancel.cancel();
    });
    // Had the request run on, the 5 s answer (within the 10 s timeout) would have succeeded.
    let err = answer.unwrap_err();
    assert!(matches!(err, ClientError::Cancelled { .. }), "{err:?}");
    assert!(!err.is_retryable());
    // The cancelled client refuses further work without sending anything.
    let sent = stat(&emu.admin_get("stats").await, None, "requests");
    let err = client
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Cancelled { .. }), "{err:?}");
    assert_eq!(stat(&emu.admin_get("stats").await, None, "requests"), sent);
}

#[tokio::test]
async fn sts_credentials_work_with_their_token_only() {
    let emu = start(&[]);
    let sts = Credentials::new(STS_ID, STS_SECRET);
    let with_token = EcsClient::new(config_with(&emu, sts.clone().with_security_token(STS_TOKEN))).unwrap();
    let instances = with_token
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap();
    assert_eq!(instances.page.total_count, 6);
    let invoked = with_token.invoke_command(&uptime_on_linux()).await.unwrap();
    assert!(invoked.invoke_id.starts_with("t-"), "{invoked:?}");

    let cases = [
        (sts.clone(), "MissingSecurityToken"),
        (
            sts.with_security_token("CAIS-some-other-token"),
            "InvalidSecurityToken.MismatchWithAccessKey",
        ),
    ];
    for (credentials, code) in cases {
        let before = stat(&emu.admin_get("stats").await, None, "requests");
        let err = EcsClient::new(config_with(&emu, credentials))
            .unwrap()
            .describe_instances(&DescribeInstancesRequest::default())
            .await
            .unwrap_err();
        let ClientError::Api(api) = &err else {
            panic!("{code}: expected an API error, got {err:?}")
        };
        assert_eq!((api.status, api.code.as_str()), (400, code));
        assert!(!err.to_string().contains(STS_SECRET) && !err.to_string().contains(STS_TOKEN));
        let after = stat(&emu.admin_get("stats").await, None, "requests");
        assert_eq!(after - before, 1, "{code} was retried");
    }
}

#[tokio::test]
async fn the_servers_signature_echo_leaks_no_secret() {
    let emu = start(&[]);
    let password = "pa55 w0rd/+=&\"ok\"";
    let credentials = Credentials::new(STS_ID, "not-the-sts-secret").with_security_token(STS_TOKEN);
    let mut config = config_with(&emu, credentials);
    let lines = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    config.log = Some(Arc::new(move |_: LogLevel, line: &str| {
        sink.lock().unwrap().push(line.to_owned());
    }));
    let client = EcsClient::new(config).unwrap();
    let err = client
        .invoke_command(&InvokeCommandRequest {
            command_id: DEPLOY.into(),
            instance_ids: vec![LINUX_1.into()],
            parameters: Some(BTreeMap::from([
                ("version".to_owned(), password.to_owned()),
                ("env".to_owned(), "prod".to_owned()),
            ])),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some("SignatureDoesNotMatch"));
    // The emulator's message ends with its string-to-sign, which holds every parameter.
    let texts: Vec<String> = lines
        .lock()
        .unwrap()
        .iter()
        .cloned()
        .chain([err.to_string(), format!("{err:?}")])
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("string to sign is:")),
        "{texts:#?}"
    );
    let once = percent_encode(password);
    let twice = percent_encode(&once);
    for text in &texts {
        for secret in [
            STS_TOKEN,
            password,
            once.as_str(),
            twice.as_str(),
            "not-the-sts-secret",
        ] {
            assert!(!text.contains(secret), "{secret:?} leaked into: {text}");
        }
    }
}

#[tokio::test]
async fn the_newer_invoke_parameters_travel_and_come_back() {
    let emu = start(&[]);
    let client = client(&emu);
    let container = format!("docker://{}", "0f".repeat(32));
    let invoked = client
        .invoke_command(&InvokeCommandRequest {
            repeat_mode: Some("Once".into()),
            timeout: Some(600),
            working_dir: Some("/srv".into()),
            termination_mode: Some("ProcessTree".into()),
            container_id: Some(container.clone()),
            container_name: Some("web-1".into()),
            tags: BTreeMap::from([
                ("team".to_owned(), "ops".to_owned()),
                ("tier".to_owned(), String::new()),
            ]),
            ..uptime_on_linux()
        })
        .await
        .unwrap();
    let record = describe_invocation(&client, &invoked.invoke_id).await;
    assert_eq!(
        (
            record.repeat_mode.as_str(),
            record.timeout,
            record.working_dir.as_str(),
            record.termination_mode.as_str(),
            record.container_id.as_str(),
            record.container_name.as_str(),
        ),
        (
            "Once",
            Some(600),
            "/srv",
            "ProcessTree",
            container.as_str(),
            "web-1"
        )
    );
    let tags: Vec<(&str, &str)> = record
        .tags
        .iter()
        .map(|t| (t.tag_key.as_str(), t.tag_value.as_str()))
        .collect();
    assert_eq!(tags, [("team", "ops"), ("tier", "")]);

    for (request, code) in [
        (
            InvokeCommandRequest {
                termination_mode: Some("Kill".into()),
                ..uptime_on_linux()
            },
            "InvalidTerminationMode.NotFound",
        ),
        (
            InvokeCommandRequest {
                container_id: Some("docker://abc".into()),
                ..uptime_on_linux()
            },
            "InvalidContainerId.Malformed",
        ),
        (
            InvokeCommandRequest {
                tags: BTreeMap::from([("acs:owner".to_owned(), "x".to_owned())]),
                ..uptime_on_linux()
            },
            "InvalidTagKey.Malformed",
        ),
    ] {
        let err = client.invoke_command(&request).await.unwrap_err();
        assert!(
            matches!(&err, ClientError::Api(api) if api.code == code),
            "{code}: {err:?}"
        );
    }
}

#[tokio::test]
async fn per_instance_results_of_failed_timed_out_and_long_runs() {
    let emu = start(&[
        "--pending-ms",
        "0",
        "--run-delay-ms",
        "100",
        "--instance-outcome",
        &format!("{LINUX_1}:output-bytes=25000,output=line\n"),
        "--instance-outcome",
        &format!("{LINUX_2}:exit=5,output=no space left"),
        "--instance-outcome",
        &format!("{LINUX_3}:run-ms=20000"),
    ]);
    let client = client(&emu);
    let invoked = client
        .invoke_command(&InvokeCommandRequest {
            instance_ids: vec![LINUX_1.into(), LINUX_2.into(), LINUX_3.into()],
            timeout: Some(10),
            ..uptime_on_linux()
        })
        .await
        .unwrap();
    emu.advance(11_000).await;
    let answer = client
        .describe_invocations(&DescribeInvocationsRequest {
            invoke_id: Some(invoked.invoke_id.clone()),
            include_output: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let record = &answer.invocations[0];
    assert_eq!(record.invocation_status, InvocationStatus::PartialFailed);
    let by_id = |id: &str| {
        record
            .invoke_instances
            .iter()
            .find(|i| i.instance_id == id)
            .unwrap()
    };
    let text = |i: &InvokeInstance| ContentEncoding::Base64.decode(i.output.expose()).unwrap();
    let long = by_id(LINUX_1);
    assert_eq!(
        (long.invocation_status.as_str(), long.dropped, text(long).len()),
        ("Success", Some(25_000 - 24 * 1024), 24 * 1024)
    );
    let failed = by_id(LINUX_2);
    assert_eq!(
        (
            failed.invocation_status.as_str(),
            failed.exit_code,
            failed.error_code.as_str(),
            failed.error_info.as_str(),
            text(failed).as_str(),
            failed.repeats
        ),
        (
            "Failed",
            Some(5),
            "ExitCodeNonzero",
            "the command execution exit code is not zero.",
            "no space left",
            Some(1)
        )
    );
    let slow = by_id(LINUX_3);
    assert_eq!(
        (slow.invocation_status.as_str(), slow.error_code.as_str()),
        ("Timeout", "ExecutionTimeout")
    );
    assert!(
        !slow.start_time.is_empty() && slow.finish_time > slow.start_time,
        "{slow:?}"
    );
    assert!(
        !format!("{failed:?}").contains("no space"),
        "output stays out of Debug"
    );

    let results = client
        .describe_invocation_results(&DescribeInvocationResultsRequest {
            invoke_id: Some(invoked.invoke_id.clone()),
            instance_id: Some(LINUX_3.into()),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        })
        .await
        .unwrap();
    let result = &results.invocation.invocation_results[0];
    assert_eq!(
        (
            result.invocation_status.as_str(),
            result.finished_time.as_str(),
            result.output.expose()
        ),
        ("Timeout", slow.finish_time.as_str(), "uptime")
    );
}

/// DescribeInvocations takes one InvokeId; many invocations are followed with one paged call
/// filtered by status instead.
#[tokio::test]
async fn many_invocations_are_followed_with_one_call_by_status() {
    let emu = start(&["--instance-outcome", &format!("{LINUX_3}:run-ms=60000")]);
    let client = client(&emu);
    let mut unfinished = Vec::new();
    for instance in [LINUX_3, LINUX_1, LINUX_3] {
        let invoked = client
            .invoke_command(&InvokeCommandRequest {
                instance_ids: vec![instance.into()],
                ..uptime_on_linux()
            })
            .await
            .unwrap();
        if instance == LINUX_3 {
            unfinished.push(invoked.invoke_id);
        }
    }
    emu.advance(5_000).await;
    let before = stat(
        &emu.admin_get("stats").await,
        Some("actions"),
        "DescribeInvocations",
    );
    let answer = client
        .describe_invocations(&DescribeInvocationsRequest {
            invoke_status: Some(InvocationStatus::Running),
            page: alicloud_client::PageRequest {
                max_results: Some(50),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    let after = stat(
        &emu.admin_get("stats").await,
        Some("actions"),
        "DescribeInvocations",
    );
    let mut running: Vec<String> = answer.invocations.iter().map(|i| i.invoke_id.clone()).collect();
    running.sort();
    unfinished.sort();
    assert_eq!(
        (running, answer.page.next_token.as_str(), after - before),
        (unfinished, "", 1)
    );
}
