//! The state file across restarts, fixtures from a file and flags, and the command line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::process::Command;

use ecs_emulator::fixtures::ids::{BAT, DEMO_ACCESS_KEY_ID, LINUX_1, LINUX_2, UPTIME};
use test_support::emulator::*;

fn binary() -> std::path::PathBuf {
    test_support::emulator_binary()
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator-state.json");
    let state_arg = state.to_str().unwrap();
    let args = [
        "--state",
        state_arg,
        "--invoke-quota",
        "3",
        "--run-delay-ms",
        "100",
    ];

    let emu = Emulator::start(&args);
    let c = emu.client();
    let command = c
        .call(
            "CreateCommand",
            &[
                ("Name", "kept"),
                ("Type", "RunShellScript"),
                ("CommandContent", "d2hvYW1p"),
            ],
        )
        .await
        .expect_ok()["CommandId"]
        .as_str()
        .unwrap()
        .to_string();
    let once = c
        .call(
            "InvokeCommand",
            &[
                ("CommandId", &command),
                ("InstanceId.1", LINUX_1),
                ("ClientToken", "keep-me"),
            ],
        )
        .await;
    let once = once.expect_ok()["InvokeId"].as_str().unwrap().to_string();
    let timed = c
        .call(
            "InvokeCommand",
            &[
                ("CommandId", UPTIME),
                ("InstanceId.1", LINUX_2),
                ("Timed", "true"),
                ("Frequency", "rate(1h)"),
            ],
        )
        .await;
    let timed = timed.expect_ok()["InvokeId"].as_str().unwrap().to_string();
    c.call("DeleteCommand", &[("CommandId", BAT)]).await.expect_ok();
    emu.stop(); // SIGKILL: only what was already on disk survives

    let text = std::fs::read_to_string(&state).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["Invocations"].as_array().unwrap().len(), 2);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );

    let emu = Emulator::start(&args);
    let c = emu.client();
    assert!(emu.logs().contains("2 invocations restored"), "{}", emu.logs());
    let record = wait_for_status(&c, &once, "Success").await;
    assert_eq!(
        record["InvokeInstances"]["InvokeInstance"][0]["Output"],
        "d2hvYW1p"
    );
    wait_for_status(&c, &timed, "Scheduled").await;
    c.call("StopInvocation", &[("InvokeId", &timed)])
        .await
        .expect_ok();
    let kept = c.call("DescribeCommands", &[("Name", "kept")]).await;
    assert_eq!(
        kept.expect_ok()["Commands"]["Command"][0]["CommandId"],
        command.as_str()
    );
    let gone = c.call("DescribeCommands", &[("CommandId", BAT)]).await;
    assert_eq!(gone.expect_ok()["TotalCount"], 0);
    // The ClientToken is remembered, and the quota counted the two calls before the restart.
    let replay = c
        .call(
            "InvokeCommand",
            &[
                ("CommandId", &command),
                ("InstanceId.1", LINUX_1),
                ("ClientToken", "keep-me"),
            ],
        )
        .await;
    assert_eq!(replay.expect_ok()["InvokeId"], once.as_str());
    c.call(
        "InvokeCommand",
        &[("CommandId", UPTIME), ("InstanceId.1", LINUX_1)],
    )
    .await
    .expect_ok();
    c.call(
        "InvokeCommand",
        &[("CommandId", UPTIME), ("InstanceId.1", LINUX_1)],
    )
    .await
    .expect_error(403, "Invocation.ExceedQuota");
    emu.stop();

    let emu = Emulator::start(&args);
    wait_for_status(&emu.client(), &timed, "Stopped").await;
}

#[test]
fn a_broken_state_file_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(&state, "{ not json").unwrap();
    let output = Command::new(binary())
        .args(["--listen", "127.0.0.1:0", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is not valid"),
        "{output:?}"
    );
}

#[tokio::test]
async fn fixtures_file_and_instance_flags() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures.json");
    std::fs::write(
        &fixtures,
        r#"{"Regions": ["cn-shanghai"],
            "Instances": [{"InstanceId": "i-sh-1", "InstanceName": "sh", "RegionId": "cn-shanghai", "OSType": "linux", "Status": "Running"}],
            "Commands": [{"CommandId": "c-sh-1", "RegionId": "cn-shanghai", "Name": "hi", "Type": "RunShellScript",
                          "CommandContent": "echo {{ who }} on {{ACS::InstanceName}}", "EnableParameter": true}]}"#,
    )
    .unwrap();
    let emu = Emulator::start(&[
        "--fixtures",
        fixtures.to_str().unwrap(),
        "--instance",
        "i-sh-2:linux:Stopped:cn-shanghai",
        "--pending-ms",
        "0",
        "--run-delay-ms",
        "10",
    ]);
    let c = emu.client();
    // The file replaced the default set.
    c.call("DescribeInstances", &[])
        .await
        .expect_error(404, "InvalidRegionId.NotFound");
    let listed = c.call("DescribeInstances", &[("RegionId", "cn-shanghai")]).await;
    assert_eq!(listed.expect_ok()["TotalCount"], 2);
    let invoke = |instance| {
        let c = c.clone();
        async move {
            c.call(
                "InvokeCommand",
                &[
                    ("RegionId", "cn-shanghai"),
                    ("CommandId", "c-sh-1"),
                    ("InstanceId.1", instance),
                    ("Parameters", r#"{"who":"me"}"#),
                ],
            )
            .await
        }
    };
    invoke("i-sh-2")
        .await
        .expect_error(403, "InvalidInstance.NotMatch");
    let id = invoke("i-sh-1").await.expect_ok()["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    emu.advance(1_000).await;
    let results = c
        .call(
            "DescribeInvocationResults",
            &[
                ("RegionId", "cn-shanghai"),
                ("InvokeId", &id),
                ("ContentEncoding", "PlainText"),
            ],
        )
        .await;
    assert_eq!(
        results.expect_ok()["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"],
        "echo me on sh"
    );
}

#[test]
fn command_line() {
    let help = Command::new(binary()).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("--access-key") && text.contains(DEMO_ACCESS_KEY_ID),
        "{text}"
    );

    for bad in [
        &["--bogus"][..],
        &["--listen", "not-an-address"],
        &["--access-key", "nosecret"],
        &["--instance", "i-x:plan9:Running"],
    ] {
        let output = Command::new(binary()).args(bad).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        assert!(output.stdout.is_empty());
    }
}

#[tokio::test]
async fn startup_logs_name_keys_but_not_secrets() {
    let emu = Emulator::start(&["--access-key", "AKshown:hidden-secret:hidden-token"]);
    emu.client().call("DescribeInstances", &[]).await;
    let logs = emu.logs();
    assert!(logs.contains("AKshown"), "{logs}");
    assert!(
        !logs.contains("hidden-secret") && !logs.contains("hidden-token"),
        "{logs}"
    );
}
