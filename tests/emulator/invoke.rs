//! InvokeCommand and the calls around it, over HTTP against the binary: every error code of
//! the reference's table with its status (`docs/api-notes.md#invokecommand-error-statuses`),
//! idempotence, quota, progression, stop and pagination.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use ecs_emulator::fixtures::ids::{
    BAT, DEPLOY, LINUX_1, LINUX_2, LINUX_3, POWERSHELL, STOPPED, UPTIME, WINDOWS_1,
};
use test_support::emulator::*;

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("CommandId", UPTIME), ("InstanceId.1", LINUX_1)];
    all.extend_from_slice(extra);
    all
}

type Pairs = Vec<(String, String)>;

fn pairs(list: &[(&str, &str)]) -> Pairs {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn invoke(c: &Client, args: Pairs) -> Answer {
    let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.call("InvokeCommand", &borrowed).await
}

/// Uptime on a Linux instance plus `extra`.
fn base(extra: &[(&str, &str)]) -> Pairs {
    pairs(&with(extra))
}

fn deploy(json: &str) -> Pairs {
    pairs(&[
        ("CommandId", DEPLOY),
        ("InstanceId.1", LINUX_1),
        ("Parameters", json),
    ])
}

#[tokio::test]
async fn reference_error_table_with_statuses() {
    let emu = Emulator::start(&["--dispatch-error", "1"]);
    let c = &emu.client();

    // The dispatch fault fires on the first valid call only.
    invoke(c, base(&[]))
        .await
        .expect_error(500, "InternalError.Dispatch");
    invoke(c, base(&[])).await.expect_ok();

    invoke(c, base(&[("RegionId", "ap-south-1")]))
        .await
        .expect_error(400, "RegionId.ApiNotSupported");
    invoke(c, pairs(&[("CommandId", UPTIME), ("InstanceId.1", "i-missing")]))
        .await
        .expect_error(404, "InvalidInstance.NotFound");
    for (command, instance) in [
        (UPTIME, STOPPED),
        (UPTIME, WINDOWS_1),
        (POWERSHELL, LINUX_1),
        (BAT, LINUX_1),
    ] {
        invoke(c, pairs(&[("CommandId", command), ("InstanceId.1", instance)]))
            .await
            .expect_error(403, "InvalidInstance.NotMatch");
    }
    invoke(c, pairs(&[("CommandId", "c-missing"), ("InstanceId.1", LINUX_1)]))
        .await
        .expect_error(404, "InvalidCmdId.NotFound");
    invoke(c, base(&[("Timed", "true")]))
        .await
        .expect_error(403, "MissingParam.Frequency");
    let mut many = pairs(&[("CommandId", UPTIME)]);
    many.extend((1..=51).map(|n| (format!("InstanceId.{n}"), LINUX_1.to_string())));
    invoke(c, many).await.expect_error(403, "InstanceIds.ExceedLimit");
    invoke(c, base(&[("Parameters", r#"{"x":"y"}"#)]))
        .await
        .expect_error(404, "Parameter.Disabled");
    let eleven = (0..11)
        .map(|i| format!("\"p{i}\":\"\""))
        .collect::<Vec<_>>()
        .join(",");
    invoke(c, deploy(&format!("{{{eleven}}}")))
        .await
        .expect_error(403, "ParameterCount.ExceedLimit");
    let long_key = format!("{{\"{}\":\"x\"}}", "k".repeat(65));
    invoke(c, deploy(&long_key))
        .await
        .expect_error(403, "ParameterKey.ExceedLimit");
    invoke(c, deploy(r#"{"":"x"}"#))
        .await
        .expect_error(403, "ParameterKey.ExceedLimit");
    let huge = format!("{{\"version\":\"{}\"}}", "v".repeat(13_000));
    invoke(c, deploy(&huge))
        .await
        .expect_error(403, "CmdContent.ExceedLimit");
    invoke(c, deploy(r#"{"version":"1","env":"a","version":"2"}"#))
        .await
        .expect_error(403, "ParameterKey.Duplicate");
    invoke(c, deploy(r#"{"version":"1","colour":"red"}"#))
        .await
        .expect_error(403, "Parameter.NotMatched");
    invoke(c, base(&[("Username", &"u".repeat(256))]))
        .await
        .expect_error(403, "Username.ExceedLimit");

    // Missing required parameters.
    invoke(c, pairs(&[("InstanceId.1", LINUX_1)]))
        .await
        .expect_error(400, "MissingParameter.CommandId");
    invoke(c, pairs(&[("CommandId", UPTIME)]))
        .await
        .expect_error(400, "MissingParam.InstanceId");
    invoke(c, base(&[("RegionId", "")]))
        .await
        .expect_error(400, "MissingRegionId");
}

#[tokio::test]
async fn client_token_makes_retries_safe() {
    let emu = Emulator::start(&[]);
    let c = emu.client();
    let args = with(&[("ClientToken", "retry-token-1")]);
    let first = c.call("InvokeCommand", &args).await;
    let again = c.call("InvokeCommand", &args).await;
    assert_eq!(first.expect_ok()["InvokeId"], again.expect_ok()["InvokeId"]);
    assert_ne!(first.body["RequestId"], again.body["RequestId"]);
    let stats = emu.admin_get("stats").await;
    assert_eq!(
        (
            stats["invoke_command_calls"].as_u64(),
            stats["invocations_created"].as_u64()
        ),
        (Some(2), Some(1))
    );

    let other = [
        ("CommandId", UPTIME),
        ("InstanceId.1", LINUX_2),
        ("ClientToken", "retry-token-1"),
    ];
    c.call("InvokeCommand", &other)
        .await
        .expect_error(403, "IdempotentParameterMismatch");
    // The same token over V3 (no common parameters in the query) is the same request.
    let v3 = c.call_v3("InvokeCommand", &args, |_| {}).await;
    assert_eq!(v3.expect_ok()["InvokeId"], first.body["InvokeId"]);
}

#[tokio::test]
async fn daily_quota_per_region() {
    let emu = Emulator::start(&[
        "--invoke-quota",
        "2",
        "--instance",
        "i-sh:linux:Running:cn-shanghai",
    ]);
    let c = emu.client();
    c.call("InvokeCommand", &with(&[])).await.expect_ok();
    c.call("InvokeCommand", &with(&[("ClientToken", "q")]))
        .await
        .expect_ok();
    c.call("InvokeCommand", &with(&[]))
        .await
        .expect_error(403, "Invocation.ExceedQuota");
    // A replay of an answered token is not a new call.
    c.call("InvokeCommand", &with(&[("ClientToken", "q")]))
        .await
        .expect_ok();
    // cn-shanghai has its own quota (and no commands: they are per region).
    c.call(
        "InvokeCommand",
        &[
            ("RegionId", "cn-shanghai"),
            ("CommandId", UPTIME),
            ("InstanceId.1", "i-sh"),
        ],
    )
    .await
    .expect_error(404, "InvalidCmdId.NotFound");
}

#[tokio::test]
async fn one_shot_progression_and_results() {
    let emu = Emulator::start(&["--pending-ms", "1000", "--run-delay-ms", "1000"]);
    let c = emu.client();
    let params = r#"{"version":"1.4.2","env":"staging"}"#;
    let answer = c
        .call(
            "InvokeCommand",
            &[
                ("CommandId", DEPLOY),
                ("InstanceId.1", LINUX_1),
                ("InstanceId.2", LINUX_2),
                ("Parameters", params),
            ],
        )
        .await;
    let id = answer.expect_ok()["InvokeId"].as_str().unwrap().to_string();
    assert!(id.starts_with("t-"));

    // Pending -> Running -> Success, each seen on the way.
    let pending = c.call("DescribeInvocations", &[("InvokeId", &id)]).await;
    let record = &pending.expect_ok()["Invocations"]["Invocation"][0];
    assert_eq!(record["InvocationStatus"], "Pending");
    assert_eq!(record["InvokeInstances"]["InvokeInstance"][0]["StartTime"], "");
    assert_eq!(record["Timed"], false);
    let running = wait_for_status(&c, &id, "Running").await;
    assert_eq!(
        running["InvokeInstances"]["InvokeInstance"][0]["InvocationStatus"],
        "Running"
    );

    let done = wait_for_status(&c, &id, "Success").await;
    let run = &done["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(run["Output"], "ZWNobyBkZXBsb3lpbmcgMS40LjIgdG8gc3RhZ2luZw=="); // "echo deploying 1.4.2 to staging"
    assert_eq!(
        (run["ExitCode"].as_i64(), run["Repeats"].as_i64()),
        (Some(0), Some(1))
    );
    assert_eq!(done["Parameters"], params);
    assert_eq!(
        (done["CommandName"].as_str(), done["Username"].as_str()),
        (Some("deploy-app"), Some("root"))
    );

    let results = c
        .call(
            "DescribeInvocationResults",
            &[
                ("InvokeId", &id),
                ("ContentEncoding", "PlainText"),
                ("InstanceId", LINUX_2),
            ],
        )
        .await;
    let result = &results.expect_ok()["Invocation"]["InvocationResults"]["InvocationResult"][0];
    assert_eq!(
        (result["Output"].as_str(), result["InvocationStatus"].as_str()),
        (Some("echo deploying 1.4.2 to staging"), Some("Success"))
    );
}

#[tokio::test]
async fn periodic_invocation_and_stop() {
    let emu = Emulator::start(&["--run-delay-ms", "100"]);
    let c = emu.client();
    let answer = c
        .call(
            "InvokeCommand",
            &with(&[
                ("InstanceId.2", LINUX_2),
                ("Timed", "true"),
                ("Frequency", "0 */20 * * * *"),
            ]),
        )
        .await;
    let id = answer.expect_ok()["InvokeId"].as_str().unwrap().to_string();
    // Past the run delay, and no run yet: the next one is at the next 20-minute mark.
    emu.advance(300).await;
    let record = wait_for_status(&c, &id, "Scheduled").await;
    assert_eq!(
        (record["Timed"].as_bool(), record["Frequency"].as_str()),
        (Some(true), Some("0 */20 * * * *"))
    );
    assert_eq!(
        c.call("DescribeInvocations", &[("Timed", "true")])
            .await
            .expect_ok()["TotalCount"],
        1
    );

    c.call("StopInvocation", &[("InvokeId", &id), ("InstanceId.1", LINUX_1)])
        .await
        .expect_ok();
    wait_for_status(&c, &id, "Scheduled").await;
    c.call("StopInvocation", &[("InvokeId", &id)]).await.expect_ok();
    let stopped = wait_for_status(&c, &id, "Stopped").await;
    let runs = stopped["InvokeInstances"]["InvokeInstance"].as_array().unwrap();
    assert!(
        runs.iter()
            .all(|r| r["InvocationStatus"] == "Stopped"
                && r["StopTime"].as_str().is_some_and(|t| !t.is_empty()))
    );

    c.call("StopInvocation", &[("InvokeId", "t-unknown")])
        .await
        .expect_error(404, "InvalidInvokeId.NotFound");
    c.call("StopInvocation", &[("InvokeId", &id), ("InstanceId.1", LINUX_3)])
        .await
        .expect_error(404, "InvalidInstanceId.NotFound");
    c.call("StopInvocation", &[])
        .await
        .expect_error(400, "MissingParameter.InvokeId");
}

#[tokio::test]
async fn pagination_walks_every_record_once() {
    let emu = Emulator::start(&[]);
    let c = emu.client();
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(
            c.call("InvokeCommand", &with(&[])).await.expect_ok()["InvokeId"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    created.reverse(); // newest first
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let mut args = vec![("MaxResults", "3")];
        if !token.is_empty() {
            args.push(("NextToken", token.as_str()));
        }
        let page = c.call("DescribeInvocations", &args).await;
        let body = page.expect_ok();
        seen.extend(
            body["Invocations"]["Invocation"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["InvokeId"].as_str().unwrap().to_string()),
        );
        token = body["NextToken"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, created);
    let page3 = c
        .call("DescribeInvocations", &[("PageNumber", "3"), ("PageSize", "3")])
        .await;
    let body = page3.expect_ok();
    assert_eq!(
        (body["TotalCount"].as_u64(), body["PageNumber"].as_u64()),
        (Some(7), Some(3))
    );
    assert_eq!(
        body["Invocations"]["Invocation"][0]["InvokeId"],
        created[6].as_str()
    );
    c.call("DescribeInvocations", &[("PageSize", "51")])
        .await
        .expect_error(403, "InvalidParam.PageSize");
    c.call("DescribeInvocations", &[("PageNumber", "0")])
        .await
        .expect_error(403, "InvalidParam.PageNumber");

    let instances = c
        .call("DescribeInstances", &[("PageSize", "4"), ("PageNumber", "2")])
        .await;
    assert_eq!(
        instances.expect_ok()["Instances"]["Instance"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn commands_lifecycle() {
    let emu = Emulator::start(&[]);
    let c = emu.client();
    let created = c
        .call(
            "CreateCommand",
            &[
                ("Name", "greet"),
                ("Type", "RunShellScript"),
                ("CommandContent", "ZWNobyBoZWxsbyB7e25hbWV9fQ=="), // echo hello {{name}}
                ("EnableParameter", "true"),
            ],
        )
        .await;
    let id = created.expect_ok()["CommandId"].as_str().unwrap().to_string();
    let listed = c.call("DescribeCommands", &[("CommandId", &id)]).await;
    let command = &listed.expect_ok()["Commands"]["Command"][0];
    assert_eq!(command["ParameterNames"]["ParameterName"][0], "name");
    let answer = c
        .call(
            "InvokeCommand",
            &[
                ("CommandId", &id),
                ("InstanceId.1", LINUX_1),
                ("Parameters", r#"{"name":"emulator"}"#),
            ],
        )
        .await;
    answer.expect_ok();
    c.call("DeleteCommand", &[("CommandId", &id)]).await.expect_ok();
    c.call("DeleteCommand", &[("CommandId", &id)])
        .await
        .expect_error(404, "InvalidCmdId.NotFound");
    c.call(
        "CreateCommand",
        &[("Name", "x"), ("Type", "RunPerl"), ("CommandContent", "eA==")],
    )
    .await
    .expect_error(403, "InvalidCmdType.NotFound");
}
