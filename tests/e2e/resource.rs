//! End to end with the real Terraform CLI against the emulator: apply, plan with no change,
//! refresh, import (both ID forms), destroy; every plan-time rule refusing before any
//! `InvokeCommand`; values unknown at plan time checked at apply; periodic invocations
//! stopped on destroy (and re-planned when stopped outside Terraform); expired records kept in
//! state; a reorder of `instance_ids` runs nothing; a one-shot invocation destroyed with the API
//! unreachable; API errors on the right attribute.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1, LINUX_2, POWERSHELL, STOPPED, UPTIME, WINDOWS_1};
use test_support::e2e::records::state_ids;
use test_support::e2e::{combined, header, squash, Emulator, Workspace};

fn config(body: &str) -> String {
    format!("{}\nprovider \"alicloud\" {{}}\n{body}", header())
}

fn deploy(name: &str, extra: &str) -> String {
    format!(
        "resource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n  command_id = \"{DEPLOY}\"\n  \
         instance_ids = [\"{LINUX_1}\", \"{LINUX_2}\"]\n  parameters = {{ version = \"1.4.2\", env = \"staging\" }}\n{extra}}}\n\
         output \"{name}_id\" {{ value = alicloud_ecs_command_invocation.{name}.invoke_id }}\n"
    )
}

fn output(ws: &Workspace, name: &str) -> String {
    ws.ok(&["output", "-raw", name]).trim().to_string()
}

/// An invocation made with `timeout`, `working_dir`, `tags` and `termination_mode`, imported
/// into the configuration that made it: each argument is read back from the record, so the
/// first plan is clean (exit code 0) and nothing runs again.
#[test]
fn import_reads_back_every_argument() {
    let emulator = Emulator::start(&[]);
    let address = "alicloud_ecs_command_invocation.full";
    let ws = Workspace::new(&config(&format!(
        "resource \"alicloud_ecs_command_invocation\" \"full\" {{\n  command_id = \"{UPTIME}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n  timeout = 120\n  working_dir = \"/srv/app\"\n  \
         tags = {{ team = \"ops\" }}\n  termination_mode = \"ProcessTree\"\n}}\n"
    )))
    .against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let invoke_id = state_attribute(&ws, address, "invoke_id");
    ws.ok(&["state", "rm", address]);
    ws.ok(&["import", "-input=false", address, &invoke_id]);
    let plan = ws.run(&["plan", "-detailed-exitcode", "-input=false"]);
    assert_eq!(plan.status.code(), Some(0), "{}", combined(&plan));
    assert_eq!(state_attribute(&ws, address, "working_dir"), "/srv/app");
    assert_eq!(state_attribute(&ws, address, "termination_mode"), "ProcessTree");
    assert_eq!(emulator.invoke_counts(), (1, 1), "nothing ran again");
}

/// Asserts that `terraform plan` proposes no action on any invocation. (Terraform 1.0 also
/// counts output-only changes in `-detailed-exitcode`, and notes refreshed statuses, so the
/// plan's action lines are read instead.)
fn assert_plans_no_change(ws: &Workspace, context: &str) {
    let plan = ws.ok(&["plan", "-input=false"]);
    let actions = [
        "will be created",
        "must be replaced",
        "will be destroyed",
        "will be updated",
    ];
    assert!(
        !actions.iter().any(|a| plan.contains(a)),
        "{context}: the plan proposes changes:\n{plan}"
    );
}

#[test]
fn apply_plan_refresh_import_destroy() {
    let emulator = Emulator::start(&["--run-delay-ms", "300"]);
    let ws = Workspace::new(&config(&deploy("deploy", ""))).against(&emulator);
    ws.init();
    let applied = ws.ok(&["apply", "-auto-approve", "-input=false"]);
    assert!(
        !applied.contains("1.4.2"),
        "a parameter value was printed:\n{applied}"
    );
    let invoke_id = output(&ws, "deploy_id");
    assert!(invoke_id.starts_with("t-"), "{invoke_id}");
    assert_eq!(
        emulator.invoke_counts(),
        (1, 1),
        "exactly one InvokeCommand, one invocation"
    );

    assert_plans_no_change(&ws, "plan right after apply shows no changes");
    // Past the run delay on the emulator's clock: the run has finished.
    emulator.admin_post("/_emulator/clock", r#"{"AdvanceMs": 1000}"#);
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-input=false"]);
    let state = ws.ok(&["state", "show", "alicloud_ecs_command_invocation.deploy"]);
    assert!(
        state.contains("\"Success\""),
        "refresh reads the finished status:\n{state}"
    );

    for import_id in [invoke_id.clone(), format!("cn-hangzhou:{invoke_id}")] {
        ws.ok(&["state", "rm", "alicloud_ecs_command_invocation.deploy"]);
        ws.ok(&[
            "import",
            "-input=false",
            "alicloud_ecs_command_invocation.deploy",
            &import_id,
        ]);
        assert_plans_no_change(&ws, &format!("plan after importing {import_id}"));
    }
    ws.ok(&["state", "rm", "alicloud_ecs_command_invocation.deploy"]);
    let bad = squash(&ws.fails(&[
        "import",
        "-input=false",
        "alicloud_ecs_command_invocation.deploy",
        "c-123",
    ]));
    assert!(bad.contains("Invalid import ID"), "{bad}");
    ws.ok(&[
        "import",
        "-input=false",
        "alicloud_ecs_command_invocation.deploy",
        &invoke_id,
    ]);

    ws.ok(&["destroy", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.invoke_counts(), (1, 1), "nothing ran again");
    assert_eq!(
        emulator.action_count("StopInvocation"),
        0,
        "a one-shot invocation is only forgotten"
    );
}

/// Each rule that needs the command's or the instances' definition stops `terraform plan`,
/// names the attribute and the API code it prevents, and no `InvokeCommand` is made.
#[test]
fn plan_time_rules_refuse_before_any_invocation() {
    let fixtures = tempfile::NamedTempFile::new().expect("fixtures file");
    let big = "x".repeat(12_270); // 16,360 bytes once Base64-encoded
    std::fs::write(
        fixtures.path(),
        serde_json::json!({
            "Instances": [
                {"InstanceId": LINUX_1, "OSType": "linux", "Status": "Running"},
                {"InstanceId": WINDOWS_1, "OSType": "windows", "Status": "Running"},
                {"InstanceId": STOPPED, "OSType": "linux", "Status": "Stopped"}
            ],
            "Commands": [
                {"CommandId": DEPLOY, "Name": "deploy", "Type": "RunShellScript",
                 "CommandContent": "echo {{version}} {{env}}", "EnableParameter": true},
                {"CommandId": UPTIME, "Name": "uptime", "Type": "RunShellScript", "CommandContent": "uptime"},
                {"CommandId": "c-hz01emubig00000001", "Name": "big", "Type": "RunShellScript",
                 "CommandContent": format!("{big}{{{{v}}}}"), "EnableParameter": true},
                {"CommandId": POWERSHELL, "Name": "ps", "Type": "RunPowerShellScript", "CommandContent": "dir"}
            ]
        })
        .to_string(),
    )
    .expect("write fixtures");
    let emulator = Emulator::start(&["--fixtures", fixtures.path().to_str().expect("path")]);
    let cases = [
        ("missing_command", format!("command_id = \"c-doesnotexist\"\n instance_ids = [\"{LINUX_1}\"]"), "command_id", "InvalidCmdId.NotFound"),
        ("params_disabled", format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{LINUX_1}\"]\n parameters = {{ a = \"1\" }}"), "parameters", "Parameter.Disabled"),
        ("unknown_param", format!("command_id = \"{DEPLOY}\"\n instance_ids = [\"{LINUX_1}\"]\n parameters = {{ version = \"1\", colour = \"red\" }}"), "colour", "Parameter.NotMatched"),
        ("too_large", format!("command_id = \"c-hz01emubig00000001\"\n instance_ids = [\"{LINUX_1}\"]\n parameters = {{ v = \"{}\" }}", "y".repeat(40)), "parameters", "CmdContent.ExceedLimit"),
        ("missing_instance", format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{LINUX_1}\", \"i-doesnotexist\"]"), "i-doesnotexist", "InvalidInstance.NotFound"),
        ("stopped_instance", format!("command_id = \"{UPTIME}\"\n instance_ids = [\"{STOPPED}\"]"), "Stopped", "InvalidInstance.NotMatch"),
        ("wrong_os", format!("command_id = \"{POWERSHELL}\"\n instance_ids = [\"{LINUX_1}\"]"), "RunPowerShellScript", "InvalidInstance.NotMatch"),
    ];
    for (name, body, attribute, code) in cases {
        let ws = Workspace::new(&config(&format!(
            "resource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n {body}\n}}\n"
        )))
        .against(&emulator);
        ws.init();
        let out = squash(&ws.fails(&["plan", "-input=false"]));
        assert!(
            out.contains(attribute) && out.contains(code),
            "{name}: expected {attribute} and {code} in:\n{out}"
        );
        let applied = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
        assert!(
            applied.contains(code),
            "{name}: apply must refuse too:\n{applied}"
        );
    }
    assert_eq!(emulator.invoke_counts(), (0, 0), "no InvokeCommand was ever made");
    assert_eq!(
        emulator.action_count("DescribeCommands"),
        14,
        "one DescribeCommands per run (plan, then apply) of each configuration"
    );
}

/// A value known only after another resource applies skips the plan-time rules, which then
/// run at apply before `InvokeCommand`: a bad one stops the apply, a good one runs.
#[test]
fn values_unknown_at_plan_are_checked_at_apply() {
    let emulator = Emulator::start(&[]);
    let bad = format!(
        "resource \"null_resource\" \"seed\" {{}}\n\
         resource \"alicloud_ecs_command_invocation\" \"late\" {{\n  \
         command_id = replace(null_resource.seed.id, \"/.*/\", \"c-doesnotexist\")\n  \
         instance_ids = [\"{LINUX_1}\"]\n}}\n"
    );
    let ws = Workspace::new(&config(&bad)).against(&emulator);
    ws.init();
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(plan.contains("known after apply"), "{plan}");
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("InvalidCmdId.NotFound"), "{out}");
    assert_eq!(emulator.invoke_counts(), (0, 0));

    let good = format!(
        "resource \"null_resource\" \"seed\" {{}}\n{}",
        deploy("late", "  username = \"root\"\n")
            .replace("version = \"1.4.2\"", "version = null_resource.seed.id")
    );
    let ws = Workspace::new(&config(&good)).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.invoke_counts(), (1, 1));
    assert_plans_no_change(&ws, "after apply");
}

#[test]
fn periodic_invocation_is_stopped_on_destroy() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config(&every_5m())).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let state = ws.ok(&["state", "show", "alicloud_ecs_command_invocation.every_5m"]);
    assert!(state.contains("\"Scheduled\""), "{state}");
    assert_plans_no_change(&ws, "after apply");
    ws.ok(&["destroy", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.action_count("StopInvocation"), 1);
}

#[test]
fn expired_record_stays_in_state_and_is_not_run_again() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config(&deploy("deploy", ""))).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let invoke_id = output(&ws, "deploy_id");
    emulator.admin_post("/_emulator/expire", &format!("{{\"InvokeId\":\"{invoke_id}\"}}"));
    let out = squash(&ws.ok(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Invocation record no longer returned"), "{out}");
    assert!(out.contains("0 added"), "{out}");
    assert_eq!(output(&ws, "deploy_id"), invoke_id);
    assert_eq!(emulator.invoke_counts(), (1, 1), "the command was not run again");
}

#[test]
fn api_errors_at_apply_name_the_code() {
    let emulator = Emulator::start(&["--invoke-quota", "0"]);
    let ws = Workspace::new(&config(&deploy("deploy", ""))).against(&emulator);
    ws.init();
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Invocation.ExceedQuota"), "{out}");
    assert_eq!(emulator.invoke_counts().1, 0);
}

/// However many resources use a command, a Terraform run reads its definition once.
#[test]
fn one_describe_commands_per_command_per_run() {
    let emulator = Emulator::start(&[]);
    let body = format!(
        "resource \"alicloud_ecs_command_invocation\" \"many\" {{\n  count = 6\n  \
         command_id = \"{UPTIME}\"\n  instance_ids = [\"{LINUX_1}\"]\n}}\n"
    );
    let ws = Workspace::new(&config(&body)).against(&emulator);
    ws.init();
    ws.ok(&["plan", "-input=false"]);
    assert_eq!(emulator.action_count("DescribeCommands"), 1);
    assert_eq!(
        emulator.action_count("DescribeInstances"),
        1,
        "instances are cached per run too"
    );
}

/// `instance_ids` is a set to the API: a reordered list plans and applies no change.
#[test]
fn reordering_instance_ids_runs_nothing() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config(&deploy("deploy", ""))).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let reordered = deploy("deploy", "").replace(
        &format!("[\"{LINUX_1}\", \"{LINUX_2}\"]"),
        &format!("[\"{LINUX_2}\", \"{LINUX_1}\"]"),
    );
    ws.write("main.tf", &config(&reordered));
    assert_plans_no_change(&ws, "after reordering instance_ids");
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.invoke_counts(), (1, 1), "the command was not run again");
}

/// A bare InvokeId is read in the provider's region, and state records it: a configuration
/// that names the region plans no change after the import.
#[test]
fn bare_import_into_a_configuration_naming_the_region() {
    let emulator = Emulator::start(&[]);
    let body = deploy("deploy", "  region_id = \"cn-hangzhou\"\n");
    let ws = Workspace::new(&config(&body)).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let invoke_id = output(&ws, "deploy_id");
    ws.ok(&["state", "rm", "alicloud_ecs_command_invocation.deploy"]);
    ws.ok(&[
        "import",
        "-input=false",
        "alicloud_ecs_command_invocation.deploy",
        &invoke_id,
    ]);
    assert_plans_no_change(&ws, "after a bare import");
}

/// `region_id` known only at apply: the plan-time rules wait for it instead of asking the
/// provider's region (which has no such command), and run at apply.
#[test]
fn unknown_region_is_checked_at_apply() {
    let emulator = Emulator::start(&[]);
    let body = format!(
        "resource \"null_resource\" \"seed\" {{}}\n{}",
        deploy(
            "late",
            "  region_id = replace(null_resource.seed.id, \"/.*/\", \"cn-hangzhou\")\n"
        )
    );
    let ws = Workspace::new(&config(&body))
        .against(&emulator)
        .env("ALICLOUD_REGION", "cn-shanghai");
    ws.init();
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(plan.contains("known after apply"), "{plan}");
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.invoke_counts(), (1, 1));
    assert_plans_no_change(&ws, "after apply");
}

/// A periodic invocation stopped outside Terraform runs no more: the plan says so and
/// re-creates it; destroy then stops the new one.
#[test]
fn periodic_invocation_stopped_outside_terraform_is_planned_again() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config(&every_5m())).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let address = "alicloud_ecs_command_invocation.every_5m";
    let first = state_attribute(&ws, address, "invoke_id");
    emulator.stop_invocation(&first);
    let plan = squash(&ws.ok(&["plan", "-input=false"]));
    assert!(
        plan.contains("Periodic invocation stopped outside Terraform"),
        "{plan}"
    );
    assert!(plan.contains(&format!("{address} will be created")), "{plan}");
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let second = state_attribute(&ws, address, "invoke_id");
    assert_ne!(first, second);
    assert_eq!(emulator.invoke_counts(), (2, 2));
    assert_plans_no_change(&ws, "after re-creating it");
    ws.ok(&["destroy", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.action_count("StopInvocation"), 2);
}

/// Destroying a periodic invocation whose record is gone succeeds, and says so. (Without
/// `-refresh=false`, the refresh already drops it from state: see e2e_schedule.)
#[test]
fn destroy_of_a_periodic_invocation_whose_record_is_gone_warns() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config(&every_5m())).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let invoke_id = state_attribute(&ws, "alicloud_ecs_command_invocation.every_5m", "invoke_id");
    emulator.admin_post("/_emulator/expire", &format!("{{\"InvokeId\":\"{invoke_id}\"}}"));
    let out = squash(&ws.ok(&["destroy", "-auto-approve", "-input=false", "-refresh=false"]));
    assert!(out.contains("Invocation record already gone"), "{out}");
    assert!(out.contains(&invoke_id), "{out}");
}

/// Destroying a one-shot invocation makes no API call, so it succeeds with the API down.
#[test]
fn one_shot_invocation_is_destroyed_with_the_api_unreachable() {
    let mut emulator = Emulator::start(&[]);
    let quick = format!(
        "{}\nprovider \"alicloud\" {{\n  max_retry_timeout = 2\n  client_connect_timeout = 500\n}}\n{}",
        header(),
        deploy("deploy", "")
    );
    let ws = Workspace::new(&quick).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    emulator.kill();
    // The refresh before destroy fails to reach the API; Terraform 1.11 drops its warning.
    let out = squash(&ws.ok(&["destroy", "-auto-approve", "-input=false"]));
    assert!(out.contains("1 destroyed"), "{out}");
    assert!(state_ids(&ws).is_empty(), "{out}");
}

fn every_5m() -> String {
    format!(
        "resource \"alicloud_ecs_command_invocation\" \"every_5m\" {{\n  command_id = \"{UPTIME}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n  timed = true\n  frequency = \"rate(5m)\"\n}}\n"
    )
}

/// One attribute of a resource in state, read with `terraform show -json`.
fn state_attribute(ws: &Workspace, address: &str, name: &str) -> String {
    let shown: serde_json::Value =
        serde_json::from_str(ws.ok(&["show", "-json"]).trim()).expect("show -json is JSON");
    shown["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["address"] == address)
        .and_then(|r| r["values"][name].as_str())
        .unwrap_or_else(|| panic!("{address}.{name} not in state: {shown}"))
        .to_string()
}
