//! The life of an invocation, over HTTP against the binary: per-instance outcomes set by
//! flags and fixtures (fail, time out, print more than the API keeps), the statuses and fields
//! of both Describe calls, periodic invocations running on their schedule with repeats and
//! per-run history, stopping, and record lifetime. The operations' clock is moved forward
//! through `POST /_emulator/clock` instead of waiting.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ecs_emulator::fixtures::ids::{LINUX_1, LINUX_2, LINUX_3, UPTIME};
use serde_json::Value;
use test_support::emulator::*;

async fn invoke(c: &Client, args: &[(&str, &str)]) -> String {
    let answer = c.call("InvokeCommand", args).await;
    answer.expect_ok()["InvokeId"].as_str().unwrap().to_string()
}

async fn invocation(c: &Client, id: &str, extra: &[(&str, &str)]) -> Value {
    let mut args = vec![("InvokeId", id)];
    args.extend_from_slice(extra);
    let answer = c.call("DescribeInvocations", &args).await;
    answer.expect_ok()["Invocations"]["Invocation"][0].clone()
}

async fn results(c: &Client, extra: &[(&str, &str)]) -> Vec<Value> {
    let answer = c.call("DescribeInvocationResults", extra).await;
    answer.expect_ok()["Invocation"]["InvocationResults"]["InvocationResult"]
        .as_array()
        .unwrap()
        .clone()
}

fn instance<'a>(record: &'a Value, id: &str) -> &'a Value {
    record["InvokeInstances"]["InvokeInstance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["InstanceId"] == id)
        .unwrap()
}

fn decoded(field: &Value) -> String {
    String::from_utf8(STANDARD.decode(field.as_str().unwrap()).unwrap()).unwrap()
}

#[tokio::test]
async fn one_instance_fails_one_times_out_one_prints_too_much() {
    let emu = Emulator::start(&[
        "--pending-ms",
        "0",
        "--run-delay-ms",
        "200",
        "--instance-outcome",
        &format!("{LINUX_1}:output-bytes=30000"),
        "--instance-outcome",
        &format!("{LINUX_2}:exit=3,output=disk full, giving up"),
        "--instance-outcome",
        &format!("{LINUX_3}:run-ms=30000"),
    ]);
    let c = emu.client();
    let id = invoke(
        &c,
        &[
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX_1),
            ("InstanceId.2", LINUX_2),
            ("InstanceId.3", LINUX_3),
            ("Timeout", "10"),
        ],
    )
    .await;
    emu.advance(1_000).await;
    let record = invocation(&c, &id, &[("IncludeOutput", "true")]).await;
    assert_eq!(record["InvocationStatus"], "Running", "the third still runs");
    assert_eq!(instance(&record, LINUX_3)["InvocationStatus"], "Running");
    assert_eq!(instance(&record, LINUX_3)["FinishTime"], "");

    emu.advance(10_000).await;
    let record = invocation(&c, &id, &[("IncludeOutput", "true")]).await;
    assert_eq!(
        (
            record["InvocationStatus"].as_str(),
            record["InvokeStatus"].as_str()
        ),
        (Some("PartialFailed"), Some("PartialFailed"))
    );
    let big = instance(&record, LINUX_1);
    assert_eq!(
        (big["InvocationStatus"].as_str(), big["Dropped"].as_u64()),
        (Some("Success"), Some(30_000 - 24 * 1024))
    );
    assert_eq!(decoded(&big["Output"]).len(), 24 * 1024);
    assert!(decoded(&big["Output"]).starts_with("uptimeuptime"));
    let failed = instance(&record, LINUX_2);
    assert_eq!(
        (
            failed["InvocationStatus"].as_str(),
            failed["InstanceInvokeStatus"].as_str(),
            failed["ExitCode"].as_i64(),
            failed["ErrorCode"].as_str()
        ),
        (Some("Failed"), Some("Finished"), Some(3), Some("ExitCodeNonzero"))
    );
    assert_eq!(decoded(&failed["Output"]), "disk full, giving up");
    let slow = instance(&record, LINUX_3);
    assert_eq!(
        (
            slow["InvocationStatus"].as_str(),
            slow["ErrorCode"].as_str(),
            slow["Repeats"].as_i64()
        ),
        (Some("Timeout"), Some("ExecutionTimeout"), Some(1))
    );
    assert!(slow["FinishTime"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(
        slow.get("FinishedTime").is_none(),
        "DescribeInvocations says FinishTime"
    );

    // Without IncludeOutput no output travels; PlainText skips the Base64.
    let bare = invocation(&c, &id, &[]).await;
    assert_eq!(instance(&bare, LINUX_2)["Output"], "");
    assert_eq!(
        instance(&bare, LINUX_1)["Dropped"],
        30_000 - 24 * 1024,
        "Dropped does not need the output"
    );
    let plain = invocation(
        &c,
        &id,
        &[("IncludeOutput", "true"), ("ContentEncoding", "PlainText")],
    )
    .await;
    assert_eq!(instance(&plain, LINUX_2)["Output"], "disk full, giving up");
    assert_eq!(plain["CommandContent"], "uptime");

    // DescribeInvocationResults: always the output, FinishedTime (not FinishTime).
    let rows = results(&c, &[("InvokeId", &id), ("InstanceId", LINUX_3)]).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0]["InvocationStatus"].as_str(),
            rows[0]["InvokeRecordStatus"].as_str()
        ),
        (Some("Timeout"), Some("Failed"))
    );
    assert_eq!(rows[0]["FinishedTime"], slow["FinishTime"]);
    assert!(rows[0].get("FinishTime").is_none());
    assert_eq!(decoded(&rows[0]["Output"]), "uptime");
    let failures = results(&c, &[("InvokeId", &id), ("InvokeRecordStatus", "Failed")]).await;
    assert_eq!(
        failures.len(),
        2,
        "Failed matches the failed run and, in legacy terms, the timed-out one"
    );
}

#[tokio::test]
async fn outcomes_from_a_fixtures_file() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures.json");
    std::fs::write(
        &fixtures,
        r#"{"Instances": [{"InstanceId": "i-fx-1", "OSType": "linux", "Status": "Running",
                           "Run": {"ExitCode": 2, "Output": "from the fixture", "RunMs": 50}}],
            "Commands": [{"CommandId": "c-fx-1", "Name": "hi", "Type": "RunShellScript", "CommandContent": "echo hi"}]}"#,
    )
    .unwrap();
    let emu = Emulator::start(&["--fixtures", fixtures.to_str().unwrap()]);
    let c = emu.client();
    let id = invoke(&c, &[("CommandId", "c-fx-1"), ("InstanceId.1", "i-fx-1")]).await;
    emu.advance(1_000).await;
    let record = invocation(
        &c,
        &id,
        &[("IncludeOutput", "true"), ("ContentEncoding", "PlainText")],
    )
    .await;
    let run = instance(&record, "i-fx-1");
    assert_eq!(
        (
            record["InvocationStatus"].as_str(),
            run["ExitCode"].as_i64(),
            run["Output"].as_str()
        ),
        (Some("Failed"), Some(2), Some("from the fixture"))
    );
}

#[tokio::test]
async fn a_bad_outcome_flag_stops_the_start() {
    let stderr = refused_start(&["--instance-outcome", "i-nowhere:exit=1"]);
    assert!(stderr.contains("no instance i-nowhere"), "{stderr}");
    let stderr = refused_start(&["--instance-outcome", &format!("{LINUX_1}:colour=red")]);
    assert!(stderr.contains("--instance-outcome"), "{stderr}");
}

#[tokio::test]
async fn periodic_invocations_run_on_their_schedule() {
    let emu = Emulator::start(&[
        "--run-delay-ms",
        "200",
        "--instance-outcome",
        &format!("{LINUX_2}:exit=1"),
    ]);
    let c = emu.client();
    let id = invoke(
        &c,
        &[
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX_1),
            ("InstanceId.2", LINUX_2),
            ("RepeatMode", "Period"),
            ("Frequency", "rate(5m)"),
            ("Timeout", "60"),
        ],
    )
    .await;
    let record = invocation(&c, &id, &[]).await;
    assert_eq!(record["InvocationStatus"], "Scheduled");
    assert_eq!(
        (
            instance(&record, LINUX_1)["Repeats"].as_i64(),
            instance(&record, LINUX_1)["StartTime"].as_str()
        ),
        (Some(0), Some(""))
    );

    // Two runs later: each instance shows its latest run and counts them.
    emu.advance(10 * 60_000 + 1_000).await;
    let record = invocation(&c, &id, &[("IncludeOutput", "true")]).await;
    assert_eq!(
        (record["InvocationStatus"].as_str(), record["Timed"].as_bool()),
        (Some("Scheduled"), Some(true))
    );
    let ok = instance(&record, LINUX_1);
    let failing = instance(&record, LINUX_2);
    assert_eq!(
        (ok["InvocationStatus"].as_str(), ok["Repeats"].as_i64()),
        (Some("Scheduled"), Some(2))
    );
    assert_eq!(
        (failing["ExitCode"].as_i64(), failing["Repeats"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(decoded(&ok["Output"]), "uptime");

    // IncludeHistory lists every run, newest first.
    let history = results(
        &c,
        &[
            ("InvokeId", &id),
            ("InstanceId", LINUX_2),
            ("IncludeHistory", "true"),
        ],
    )
    .await;
    let seen: Vec<(Option<i64>, Option<&str>)> = history
        .iter()
        .map(|r| (r["Repeats"].as_i64(), r["InvocationStatus"].as_str()))
        .collect();
    assert_eq!(seen, [(Some(2), Some("Failed")), (Some(1), Some("Failed"))]);
    assert!(history[0]["StartTime"].as_str() > history[1]["StartTime"].as_str());
    assert_eq!(
        results(&c, &[("InvokeId", &id)]).await.len(),
        2,
        "without history: one per instance"
    );

    // Stopped: no more runs, and it says so.
    c.call("StopInvocation", &[("InvokeId", &id)]).await.expect_ok();
    emu.advance(20 * 60_000).await;
    let record = invocation(&c, &id, &[]).await;
    assert_eq!(record["InvocationStatus"], "Stopped");
    assert_eq!(instance(&record, LINUX_1)["Repeats"], 2);
    assert!(instance(&record, LINUX_1)["StopTime"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
}

#[tokio::test]
async fn record_lifetime_never_hides_an_active_periodic_invocation() {
    let emu = Emulator::start(&["--record-ttl", "600"]);
    let c = emu.client();
    let periodic = invoke(
        &c,
        &[
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX_1),
            ("Timed", "true"),
            ("Frequency", "rate(5m)"),
        ],
    )
    .await;
    let stopped = invoke(
        &c,
        &[
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX_1),
            ("Timed", "true"),
            ("Frequency", "rate(5m)"),
        ],
    )
    .await;
    let once = invoke(&c, &[("CommandId", UPTIME), ("InstanceId.1", LINUX_1)]).await;
    c.call("StopInvocation", &[("InvokeId", &stopped)])
        .await
        .expect_ok();

    emu.advance(3_600_000).await;
    let listed = c.call("DescribeInvocations", &[]).await;
    let ids: Vec<&str> = listed.expect_ok()["Invocations"]["Invocation"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["InvokeId"].as_str())
        .collect();
    assert_eq!(
        ids,
        [periodic.as_str()],
        "the stopped and the one-shot ones expired"
    );
    assert_eq!(
        invocation(&c, &periodic, &[]).await["InvokeInstances"]["InvokeInstance"][0]["Repeats"],
        12
    );
    c.call("StopInvocation", &[("InvokeId", &once)])
        .await
        .expect_error(404, "InvalidInvokeId.NotFound");
}

#[tokio::test]
async fn a_pending_one_shot_run_is_cancelled_by_stop() {
    let emu = Emulator::start(&["--pending-ms", "60000"]);
    let c = emu.client();
    let id = invoke(&c, &[("CommandId", UPTIME), ("InstanceId.1", LINUX_1)]).await;
    assert_eq!(invocation(&c, &id, &[]).await["InvocationStatus"], "Pending");
    c.call("StopInvocation", &[("InvokeId", &id)]).await.expect_ok();
    emu.advance(120_000).await;
    let record = invocation(&c, &id, &[]).await;
    assert_eq!(
        (
            record["InvocationStatus"].as_str(),
            instance(&record, LINUX_1)["InvocationStatus"].as_str()
        ),
        (Some("Stopped"), Some("Cancelled"))
    );
}

#[tokio::test]
async fn new_request_parameters_with_their_codes() {
    let emu = Emulator::start(&[]);
    let c = emu.client();
    fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut all = vec![("CommandId", UPTIME), ("InstanceId.1", LINUX_1)];
        all.extend_from_slice(extra);
        all
    }
    let (long_value, long_dir) = ("v".repeat(129), "d".repeat(201));
    /// Extra parameters, then the status and code they are answered with.
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);
    let cases: [Case; 10] = [
        (&[("RepeatMode", "Twice")], 404, "InvalidRepeatMode.NotFound"),
        (&[("Timeout", "9")], 400, "InvalidParameter"),
        (&[("Timeout", "86401")], 400, "InvalidParameter"),
        (
            &[("TerminationMode", "Kill")],
            404,
            "InvalidTerminationMode.NotFound",
        ),
        (
            &[("ContainerId", "docker://1234")],
            400,
            "InvalidContainerId.Malformed",
        ),
        (
            &[("ContainerName", "no spaces")],
            400,
            "InvalidContainerName.Malformed",
        ),
        (&[("Tag.1.Key", "aliyun-x")], 400, "InvalidTagKey.Malformed"),
        (
            &[("Tag.1.Key", "k"), ("Tag.1.Value", &long_value)],
            400,
            "InvalidTagValue.Malformed",
        ),
        (&[("Tag.1.Key", "k"), ("Tag.2.Key", "k")], 400, "Duplicate.TagKey"),
        (&[("WorkingDir", &long_dir)], 400, "InvalidParameter.WorkingDir"),
    ];
    for (extra, status, code) in cases {
        c.call("InvokeCommand", &with(extra))
            .await
            .expect_error(status, code);
    }
    let container = format!("containerd://{}", "ab".repeat(32));
    let mut args = with(&[
        ("RepeatMode", "Once"),
        ("Timeout", "600"),
        ("WorkingDir", "/srv"),
        ("TerminationMode", "ProcessTree"),
        ("ContainerName", "web-1"),
        ("Tag.1.Key", "team"),
        ("Tag.1.Value", "ops"),
    ]);
    args.push(("ContainerId", &container));
    let id = invoke(&c, &args).await;
    let record = invocation(&c, &id, &[]).await;
    assert_eq!(
        (
            record["Timeout"].as_u64(),
            record["WorkingDir"].as_str(),
            record["TerminationMode"].as_str(),
            record["ContainerId"].as_str(),
            record["ContainerName"].as_str(),
        ),
        (
            Some(600),
            Some("/srv"),
            Some("ProcessTree"),
            Some(container.as_str()),
            Some("web-1")
        )
    );
    assert_eq!(record["Tags"]["Tag"][0]["TagKey"], "team");
    assert_eq!(record["Tags"]["Tag"][0]["TagValue"], "ops");
    let rows = results(&c, &[("InvokeId", &id)]).await;
    assert_eq!(
        (
            rows[0]["TerminationMode"].as_str(),
            rows[0]["Tags"]["Tag"][0]["TagKey"].as_str()
        ),
        (Some("ProcessTree"), Some("team"))
    );
}

#[tokio::test]
async fn the_clock_only_moves_forward_by_plausible_steps() {
    let emu = Emulator::start(&[]);
    let (status, _) = emu
        .admin_post("clock", serde_json::json!({ "AdvanceMs": -5 }))
        .await;
    assert_eq!(status, 400);
    let (status, _) = emu
        .admin_post(
            "clock",
            serde_json::json!({ "AdvanceMs": 400u64 * 24 * 3_600_000 }),
        )
        .await;
    assert_eq!(status, 400);
    let (status, body) = emu
        .admin_post("clock", serde_json::json!({ "AdvanceMs": 1_000 }))
        .await;
    assert_eq!((status, body["OffsetMs"].as_i64()), (200, Some(1_000)));
}
