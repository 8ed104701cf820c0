//! End to end for the action `alicloud_ecs_run_command`, always on Terraform 1.15.5 (actions
//! need 1.14+) whatever `$TERRAFORM` is: `apply -invoke` with progress lines, a failing
//! instance (exit code, output tail, secrets scrubbed, a multi-line one too), an inline script through
//! `RunCommand`, a plan-time refusal that sends nothing, an `action_trigger` after a
//! `terraform_data` is created, Ctrl-C during the run, progress that cannot be read, and
//! parameter values absent from output and `TF_LOG=trace`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1, LINUX_2, UPTIME, WINDOWS_1};
use test_support::e2e::secrets::{assert_no_key_line, printing_the_key, PEM};
use test_support::e2e::{combined, header, squash, Emulator, Workspace};

fn workspace(emulator: &Emulator, action_body: &str) -> Workspace {
    let main = format!(
        "{}\nprovider \"alicloud\" {{}}\naction \"alicloud_ecs_run_command\" \"x\" {{\n  config {{\n{action_body}\n  }}\n}}\n",
        header()
    );
    let ws = Workspace::new(&main).against(emulator).on_newest_terraform();
    ws.init();
    ws
}

const INVOKE: [&str; 4] = [
    "apply",
    "-auto-approve",
    "-input=false",
    "-invoke=action.alicloud_ecs_run_command.x",
];

#[test]
fn invoke_shows_progress_per_instance_and_succeeds() {
    let emulator = Emulator::start(&["--run-delay-ms", "400"]);
    let ws = workspace(
        &emulator,
        &format!(
            "command_id = \"{DEPLOY}\"\n instance_ids = [\"{LINUX_1}\", \"{LINUX_2}\"]\n \
             parameters = {{ version = \"9.9.9-topsecret\", env = \"staging\" }}"
        ),
    );
    let out = ws.ok(&INVOKE);
    assert!(out.contains("Started invocation t-"), "{out}");
    assert!(
        out.contains(&format!("{LINUX_1}: Success (exit code 0)")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{LINUX_2}: Success (exit code 0)")),
        "{out}"
    );
    assert!(out.contains("all 2 instances succeeded"), "{out}");
    assert!(!out.contains("topsecret"), "{out}");
    assert_eq!(emulator.action_count("InvokeCommand"), 1);
}

#[test]
fn a_failing_instance_fails_the_action_with_exit_code_and_scrubbed_tail() {
    let emulator = Emulator::start(&[
        "--run-delay-ms",
        "200",
        "--instance-outcome",
        &format!("{LINUX_2}:exit=7,output=disk full while deploying hunter2-secret"),
    ]);
    let ws = workspace(
        &emulator,
        &format!(
            "command_content = \"echo {{{{token}}}}\"\n instance_ids = [\"{LINUX_1}\", \"{LINUX_2}\"]\n \
             parameters = {{ token = \"hunter2-secret\" }}"
        ),
    );
    let out = ws.fails(&INVOKE);
    let flat = squash(&out);
    assert!(flat.contains("finished with 1 of 2 instances failed"), "{out}");
    assert!(
        flat.contains(&format!("{LINUX_2}: status Failed, exit code 7")),
        "{out}"
    );
    assert!(flat.contains("disk full while deploying"), "{out}");
    assert!(!out.contains("hunter2-secret"), "{out}");
    assert!(!flat.contains(&format!("{LINUX_1}: status")), "{out}");
}

#[test]
fn a_multi_line_secret_shows_no_line_in_the_action_error() {
    let emulator = Emulator::start(&[
        "--run-delay-ms",
        "200",
        "--instance-outcome",
        &printing_the_key(LINUX_2),
    ]);
    let ws = workspace(
        &emulator,
        &format!(
            "command_content = \"echo {{{{key}}}}\"\n instance_ids = [\"{LINUX_1}\", \"{LINUX_2}\"]\n \
             parameters = {{ key = {PEM:?} }}"
        ),
    );
    let out = ws.fails(&INVOKE);
    let flat = squash(&out);
    assert!(flat.contains("finished with 1 of 2 instances failed"), "{out}");
    assert!(flat.contains("fatal: key rejected"), "the tail: {out}");
    assert_no_key_line("the action's error", &out);
}

#[test]
fn inline_script_runs_through_run_command() {
    let emulator = Emulator::start(&["--run-delay-ms", "200"]);
    let ws = workspace(
        &emulator,
        &format!("command_content = \"uptime\"\n instance_ids = [\"{LINUX_1}\"]"),
    );
    let out = ws.ok(&INVOKE);
    assert!(out.contains(&format!("{LINUX_1}: Success")), "{out}");
    assert_eq!(emulator.action_count("RunCommand"), 1);
    assert_eq!(emulator.action_count("InvokeCommand"), 0);
    // Not kept: the inline command is not among the region's commands.
    assert_eq!(emulator.action_count("CreateCommand"), 0);
}

#[test]
fn plan_time_refusals_send_nothing() {
    let emulator = Emulator::start(&[]);
    for (body, expected) in [
        (format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{WINDOWS_1}\"]"), "InvalidInstance.NotMatch"),
        (format!("command_id = \"c-doesnotexist\"\n instance_ids = [\"{LINUX_1}\"]"), "InvalidCmdId.NotFound"),
        (
            format!("command_content = \"echo {{{{a}}}}\"\n instance_ids = [\"{LINUX_1}\"]\n parameters = {{ b = \"1\" }}"),
            "Parameter.NotMatched",
        ),
        (
            format!("command_content = \"{}\"\n instance_ids = [\"{LINUX_1}\"]", "a".repeat(19_000)),
            "CmdContent.ExceedLimit",
        ),
    ] {
        let ws = workspace(&emulator, &body);
        let out = ws.fails(&INVOKE);
        assert!(squash(&out).contains(expected), "{expected}: {out}");
    }
    let ws = workspace(&emulator, &format!("instance_ids = [\"{LINUX_1}\"]"));
    assert!(squash(&ws.fails(&INVOKE)).contains("exactly one of `command_id` and `command_content`"));
    assert_eq!(emulator.action_count("InvokeCommand"), 0);
    assert_eq!(emulator.action_count("RunCommand"), 0);
}

/// `command_type` with `command_id` is refused as the conflict it is; inline content on a
/// Windows instance names `RunCommand`, the call that runs it; nulls where values are needed,
/// and an empty `working_dir`, are refused at validate on the attribute. Nothing is sent.
#[test]
fn conflicts_and_nulls_name_the_attribute_and_the_call() {
    let emulator = Emulator::start(&[]);
    let ws = workspace(
        &emulator,
        &format!(
            "command_id = \"{UPTIME}\"\n command_type = \"RunBatScript\"\n instance_ids = [\"{LINUX_1}\"]"
        ),
    );
    let out = squash(&ws.fails(&["validate"]));
    assert!(
        out.contains("`command_type` cannot be set together with `command_id`"),
        "{out}"
    );
    assert!(!out.contains("`command_content` is not set"), "{out}");

    let ws = workspace(
        &emulator,
        &format!("command_content = \"echo hi\"\n instance_ids = [\"{WINDOWS_1}\"]"),
    );
    let out = squash(&ws.fails(&INVOKE));
    assert!(
        out.contains("RunCommand would fail with InvalidInstance.NotMatch"),
        "{out}"
    );
    assert!(!out.contains("InvokeCommand"), "{out}");

    for (body, expected) in [
        (
            format!("command_id = \"{UPTIME}\"\n instance_ids = null"),
            "`instance_ids` is required and cannot be null.",
        ),
        (
            format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{LINUX_1}\", null]"),
            "`instance_ids[1]` is null: the elements of `instance_ids` cannot be null.",
        ),
        (
            format!("command_content = \"echo {{{{a}}}}\"\n instance_ids = [\"{LINUX_1}\"]\n parameters = {{ a = null }}"),
            "`parameters[\"a\"]` is null: the elements of `parameters` cannot be null.",
        ),
        // The invocation resource's rule: an empty `working_dir` is refused, not sent.
        (
            format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{LINUX_1}\"]\n working_dir = \"\""),
            "`working_dir` must not be empty",
        ),
    ] {
        let out = squash(&workspace(&emulator, &body).fails(&["validate"]));
        assert!(out.contains(expected), "{expected}: {out}");
    }
    assert_eq!(emulator.action_count("InvokeCommand"), 0);
    assert_eq!(emulator.action_count("RunCommand"), 0);
}

#[test]
fn action_trigger_runs_after_terraform_data_is_created() {
    let emulator = Emulator::start(&["--run-delay-ms", "200"]);
    let main = format!(
        "{}\nprovider \"alicloud\" {{}}\naction \"alicloud_ecs_run_command\" \"x\" {{\n  config {{\n    \
         command_id = \"{UPTIME}\"\n    instance_ids = [\"{LINUX_1}\"]\n  }}\n}}\n\
         resource \"terraform_data\" \"release\" {{\n  input = \"v1\"\n  lifecycle {{\n    action_trigger {{\n      \
         events  = [after_create]\n      actions = [action.alicloud_ecs_run_command.x]\n    }}\n  }}\n}}\n",
        header()
    );
    let ws = Workspace::new(&main).against(&emulator).on_newest_terraform();
    ws.init();
    let out = ws.ok(&["apply", "-auto-approve", "-input=false"]);
    assert!(out.contains(&format!("{LINUX_1}: Success")), "{out}");
    assert_eq!(emulator.action_count("InvokeCommand"), 1);
}

#[test]
fn parameter_values_stay_out_of_trace_logs() {
    let emulator = Emulator::start(&["--run-delay-ms", "200"]);
    let main = format!(
        "{}\nprovider \"alicloud\" {{}}\naction \"alicloud_ecs_run_command\" \"x\" {{\n  config {{\n    \
         command_id = \"{DEPLOY}\"\n    instance_ids = [\"{LINUX_1}\"]\n    \
         parameters = {{ version = \"trace-hidden-42\", env = \"prod\" }}\n  }}\n}}\n",
        header()
    );
    let ws = Workspace::new(&main)
        .against(&emulator)
        .on_newest_terraform()
        .env("TF_LOG", "trace");
    ws.init();
    let out = ws.command(&INVOKE).output().unwrap();
    let text = combined(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("InvokeAction"), "trace shows the RPC");
    assert!(!text.contains("trace-hidden-42"), "a parameter value leaked");
}

/// Ctrl-C (SIGINT to Terraform's process group) while the command runs: the wait stops at
/// once, and the error names the InvokeId and how to stop the command.
#[test]
fn ctrl_c_stops_the_wait_and_names_the_invocation() {
    use std::io::{Read, Seek};
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let emulator = Emulator::start(&["--run-delay-ms", "600000"]);
    let ws = workspace(
        &emulator,
        &format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{LINUX_1}\"]"),
    );
    let mut log = tempfile::tempfile().unwrap();
    let mut args = INVOKE.to_vec();
    args.push("-no-color");
    let mut child = ws
        .command(&args)
        .process_group(0)
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log.try_clone().unwrap()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let read = |log: &mut std::fs::File| {
        let mut text = String::new();
        log.rewind().unwrap();
        log.read_to_string(&mut text).unwrap();
        text
    };
    while !read(&mut log).contains(&format!("{LINUX_1}: ")) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no progress: {}",
            read(&mut log)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = child.wait().unwrap();
    let out = read(&mut log);
    assert!(!status.success(), "{out}");
    let flat = squash(&out);
    assert!(flat.contains("Stopped waiting for the command"), "{out}");
    assert!(
        flat.contains("StopInvocation") && flat.contains("--InvokeId t-"),
        "{out}"
    );
    assert_eq!(emulator.action_count("InvokeCommand"), 1);
}

/// Progress that cannot be read even after the client's retries ends the action with the
/// error and the InvokeId, once: the command was started and is not started again.
#[test]
fn unreadable_progress_names_the_invocation() {
    let emulator = Emulator::start(&["--run-delay-ms", "200", "--throttle", "1000@DescribeInvocations"]);
    let main = format!(
        "{}\nprovider \"alicloud\" {{\n  max_retry_timeout = 3\n}}\naction \"alicloud_ecs_run_command\" \"x\" {{\n  \
         config {{\n    command_id = \"{UPTIME}\"\n    instance_ids = [\"{LINUX_1}\"]\n  }}\n}}\n",
        header()
    );
    let ws = Workspace::new(&main).against(&emulator).on_newest_terraform();
    ws.init();
    let out = ws.fails(&INVOKE);
    let flat = squash(&out);
    assert!(flat.contains("Invocation outcome unknown"), "{out}");
    assert!(
        flat.contains("cannot be read") && flat.contains("Throttling"),
        "{out}"
    );
    assert!(flat.contains("--InvokeId t-"), "{out}");
    assert_eq!(emulator.action_count("InvokeCommand"), 1);
}
