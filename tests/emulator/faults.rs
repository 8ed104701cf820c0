//! Fault injection (flags and the admin endpoint) and record expiry, against the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::time::{Duration, Instant};

use ecs_emulator::fixtures::ids::{LINUX_1, LINUX_2, UPTIME};
use serde_json::json;
use test_support::emulator::*;

fn invoke_args(token: &str) -> Vec<(&str, &str)> {
    vec![
        ("CommandId", UPTIME),
        ("InstanceId.1", LINUX_1),
        ("ClientToken", token),
    ]
}

async fn count_invocations(c: &Client) -> u64 {
    c.call("DescribeInvocations", &[]).await.expect_ok()["TotalCount"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn throttling_by_count_and_action() {
    let emu = Emulator::start(&["--throttle", "2@DescribeInstances"]);
    let c = emu.client();
    c.call("DescribeInstances", &[])
        .await
        .expect_error(400, "Throttling");
    c.call("DescribeCommands", &[]).await.expect_ok();
    c.call("DescribeInstances", &[])
        .await
        .expect_error(400, "Throttling");
    c.call("DescribeInstances", &[]).await.expect_ok();
    assert_eq!(emu.admin_get("stats").await["throttled"], 2);
}

#[tokio::test]
async fn throttling_by_fraction_is_seeded() {
    let emu = Emulator::start(&["--throttle-fraction", "0.5", "--fault-seed", "42"]);
    let c = emu.client();
    let mut throttled = 0;
    for _ in 0..40 {
        let answer = c.call("DescribeCommands", &[]).await;
        if answer.status == 400 {
            answer.expect_error(400, "Throttling");
            throttled += 1;
        }
    }
    assert!((5..=35).contains(&throttled), "{throttled} of 40");
}

#[tokio::test]
async fn lost_response_then_retry_with_the_same_token() {
    let emu = Emulator::start(&[]);
    let c = emu.client();
    let (status, _) = emu
        .admin_post(
            "faults",
            json!({"lost_response": {"count": 1, "action": "InvokeCommand"}}),
        )
        .await;
    assert_eq!(status, 200);
    c.call("InvokeCommand", &invoke_args("lost-1"))
        .await
        .expect_error(500, "InternalError");
    // The invocation exists although the caller never saw its id.
    let listed = c.call("DescribeInvocations", &[]).await;
    let committed = listed.expect_ok()["Invocations"]["Invocation"][0]["InvokeId"].clone();
    let retry = c.call("InvokeCommand", &invoke_args("lost-1")).await;
    assert_eq!(retry.expect_ok()["InvokeId"], committed);
    let stats = emu.admin_get("stats").await;
    assert_eq!(
        (
            stats["invocations_created"].as_u64(),
            stats["lost_responses"].as_u64()
        ),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn dropped_connection_after_commit() {
    let emu = Emulator::start(&["--drop-connection", "1@InvokeCommand"]);
    let c = emu.client();
    assert!(
        c.try_call("InvokeCommand", &invoke_args("drop-1")).await.is_err(),
        "expected no answer"
    );
    assert_eq!(count_invocations(&c).await, 1);
    let retry = c.call("InvokeCommand", &invoke_args("drop-1")).await;
    retry.expect_ok();
    assert_eq!(count_invocations(&c).await, 1);
    assert_eq!(emu.admin_get("stats").await["dropped_connections"], 1);
}

#[tokio::test]
async fn latency_and_failing_instances() {
    let emu = Emulator::start(&[
        "--latency-ms",
        "250",
        "--fail-instance",
        LINUX_2,
        "--run-delay-ms",
        "50",
    ]);
    let c = emu.client();
    let started = Instant::now();
    let answer = c
        .call(
            "InvokeCommand",
            &[
                ("CommandId", UPTIME),
                ("InstanceId.1", LINUX_1),
                ("InstanceId.2", LINUX_2),
            ],
        )
        .await;
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    let id = answer.expect_ok()["InvokeId"].as_str().unwrap().to_string();
    let record = wait_for_status(&c, &id, "PartialFailed").await;
    let runs = &record["InvokeInstances"]["InvokeInstance"];
    assert_eq!(
        (runs[0]["ExitCode"].as_i64(), runs[1]["ExitCode"].as_i64()),
        (Some(0), Some(1))
    );
    assert_eq!(runs[1]["ErrorCode"], "ExitCodeNonzero");

    // The admin endpoint replaces the whole plan: latency and failures gone.
    let (status, plan) = emu.admin_post("faults", json!({})).await;
    assert_eq!((status, plan["latency_ms"].as_u64()), (200, Some(0)));
    c.call("DescribeCommands", &[]).await.expect_ok();
}

#[tokio::test]
async fn admin_endpoint_validation() {
    let emu = Emulator::start(&["--throttle", "3"]);
    assert_eq!(emu.admin_get("faults").await["throttle"]["count"], 3);
    let (status, _) = emu
        .admin_post("faults", json!({"throttle": {"fraction": 1.5}}))
        .await;
    assert_eq!(status, 400);
    let (status, _) = emu.admin_post("faults", json!({"no_such_fault": true})).await;
    assert_eq!(status, 400);
    let (status, _) = emu.admin_post("nothing-here", json!({})).await;
    assert_eq!(status, 404);
    let (status, plan) = emu
        .admin_post("faults", json!({"dispatch_error": {"count": 1}}))
        .await;
    assert_eq!((status, plan["throttle"]["count"].as_u64()), (200, Some(0)));
    let c = emu.client();
    c.call("InvokeCommand", &invoke_args("d"))
        .await
        .expect_error(500, "InternalError.Dispatch");
    assert_eq!(count_invocations(&c).await, 0);
}

#[tokio::test]
async fn records_expire_on_demand_and_by_ttl() {
    let emu = Emulator::start(&["--record-ttl", "3"]);
    let c = emu.client();
    let first = c.call("InvokeCommand", &invoke_args("e1")).await.expect_ok()["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    let second = c.call("InvokeCommand", &invoke_args("e2")).await.expect_ok()["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = emu.admin_post("expire", json!({"InvokeId": first})).await;
    assert_eq!(status, 200);
    let listed = c.call("DescribeInvocations", &[("InvokeId", &first)]).await;
    assert_eq!(listed.expect_ok()["TotalCount"], 0);
    c.call("StopInvocation", &[("InvokeId", &first)])
        .await
        .expect_error(404, "InvalidInvokeId.NotFound");
    assert_eq!(count_invocations(&c).await, 1);
    let (status, _) = emu.admin_post("expire", json!({"InvokeId": "t-none"})).await;
    assert_eq!(status, 404);

    emu.advance(3_100).await;
    let listed = c.call("DescribeInvocations", &[("InvokeId", &second)]).await;
    assert_eq!(listed.expect_ok()["TotalCount"], 0);
}
