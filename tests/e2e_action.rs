//! End to end for the action `alicloud_ecs_run_command`, always on Terraform 1.15.5 (actions
//! need 1.14+) whatever `$TERRAFORM` is: `apply -invoke` with progress lines, a failing
//! instance (exit code, output tail, secrets scrubbed), an inline script through
//! `RunCommand`, a plan-time refusal that sends nothing, an `action_trigger` after a
//! `terraform_data` is created, and parameter values absent from output and `TF_LOG=trace`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod support;

use support::{combined, header, squash, Emulator, Workspace};

const DEPLOY: &str = "c-hz01emudeploy0001";
const UPTIME: &str = "c-hz01emuuptime0001";
const LINUX_1: &str = "i-bp1emulinux000001";
const LINUX_2: &str = "i-bp1emulinux000002";
const WINDOWS: &str = "i-bp1emuwindows0001";

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
    assert!(flat.contains("1 of 2 instances did not succeed"), "{out}");
    assert!(
        flat.contains(&format!("{LINUX_2}: status Failed, exit code 7")),
        "{out}"
    );
    assert!(flat.contains("disk full while deploying"), "{out}");
    assert!(!out.contains("hunter2-secret"), "{out}");
    assert!(!flat.contains(&format!("{LINUX_1}: status")), "{out}");
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
        (format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{WINDOWS}\"]"), "InvalidInstance.NotMatch"),
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
