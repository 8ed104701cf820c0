//! Schedule rules under the real Terraform CLI, each refused before any `InvokeCommand`:
//! at validate, spaces around `frequency`, `frequency` without `timed = true` and a
//! `windows_password_name` over 255 characters; at plan, a schedule with no run left
//! (`at(...)` in the past in its zone, cron whose years are over) and one whose runs come
//! closer together than the command's `Timeout` (read from `DescribeCommands`). An existing
//! invocation whose `at(...)` has passed keeps planning with no changes, and so does one that
//! repeats on reboots (which the API reports as `Timed`); a periodic one whose record was
//! removed outside Terraform is planned again.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use chrono::{Duration, Utc};
use ecs_emulator::fixtures::ids::{LINUX_1, UPTIME};
use test_support::e2e::records::state_ids;
use test_support::e2e::{combined, header, squash, Emulator, Workspace};

const SLOW: &str = "c-hz01emuslow0000001";

fn invocation(name: &str, body: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{}}\nresource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n  \
         instance_ids = [\"{LINUX_1}\"]\n{body}\n}}\n",
        header()
    )
}

/// A workspace for one invocation of the uptime command, initialised against `emulator`.
fn uptime(emulator: &Emulator, name: &str, body: &str) -> Workspace {
    let ws =
        Workspace::new(&invocation(name, &format!("  command_id = \"{UPTIME}\"\n{body}"))).against(emulator);
    ws.init();
    ws
}

/// `offset` from now as `yyyy-MM-dd HH:mm:ss` in `zone`.
fn local_time_in(zone: chrono_tz::Tz, offset: Duration) -> String {
    (Utc::now() + offset)
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[test]
fn static_schedule_rules_fail_validate_and_never_invoke() {
    let emulator = Emulator::start(&[]);
    let long_name = "p".repeat(256);
    let cases = [
        (
            "spaces",
            "  timed = true\n  frequency = \" rate(5m)\"".to_string(),
            "frequency",
            "spaces or line breaks before or after it",
        ),
        (
            "not_timed",
            "  frequency = \"rate(5m)\"".to_string(),
            "frequency",
            "can only be set when `timed = true`, and `timed` is not set",
        ),
        (
            "timed_false",
            "  timed = false\n  frequency = \"rate(5m)\"".to_string(),
            "frequency",
            "and `timed` is false",
        ),
        (
            "long_password_name",
            format!("  username = \"Administrator\"\n  windows_password_name = \"{long_name}\""),
            "windows_password_name",
            "255",
        ),
    ];
    for (name, body, attribute, rule) in cases {
        let ws = uptime(&emulator, name, &body);
        let out = squash(&ws.fails(&["validate"]));
        assert!(out.contains(attribute), "{name}: expected {attribute} in:\n{out}");
        assert!(out.contains(rule), "{name}: expected {rule:?} in:\n{out}");
        let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
        assert!(
            out.contains(rule),
            "{name}: apply must stop on the same rule:\n{out}"
        );
    }
    assert_eq!(emulator.invoke_counts(), (0, 0), "nothing was invoked");
}

/// One hour ago in Kathmandu (UTC+5:45) is later than now in every zone west of it: only a
/// check that knows the zone's real offset sees that it is past.
#[test]
fn schedules_with_no_run_left_fail_plan_and_never_invoke() {
    let emulator = Emulator::start(&[]);
    let kathmandu = local_time_in(chrono_tz::Asia::Kathmandu, -Duration::hours(1));
    let cases = [
        (
            "at_past_zone",
            format!("at({kathmandu} Asia/Kathmandu)"),
            "is in the past",
        ),
        (
            "at_past_utc",
            "at(2024-06-06 13:15:30)".to_string(),
            "is in the past",
        ),
        (
            "cron_past_years",
            "0 15 10 ? * * 2022-2024 Pacific/Kiritimati".to_string(),
            "no run after the current time",
        ),
        (
            "cron_past_years_no_zone",
            "0 0 0 * * ? 2023".to_string(),
            "no run after the current time",
        ),
    ];
    for (name, frequency, rule) in cases {
        let ws = uptime(
            &emulator,
            name,
            &format!("  timed = true\n  frequency = \"{frequency}\""),
        );
        ws.ok(&["validate"]);
        let out = squash(&ws.fails(&["plan", "-input=false"]));
        assert!(out.contains("frequency"), "{name}: {out}");
        assert!(out.contains(rule), "{name}: expected {rule:?} in:\n{out}");
        assert!(out.contains("InvalidParam.Frequency"), "{name}: {out}");
    }
    assert_eq!(emulator.invoke_counts(), (0, 0), "nothing was invoked");
}

/// An `at(...)` invocation that ran as asked is not refused once its time has passed: the
/// configuration that created it still plans with no changes.
#[test]
fn an_existing_invocation_whose_time_has_passed_plans_cleanly() {
    let emulator = Emulator::start(&[]);
    // Far enough ahead for init and apply on a busy machine; the test then waits it out.
    let ahead = Duration::seconds(20);
    let run_at = Utc::now() + ahead;
    let soon = local_time_in(chrono_tz::Asia::Shanghai, ahead);
    let ws = uptime(
        &emulator,
        "soon",
        &format!("  timed = true\n  frequency = \"at({soon} Asia/Shanghai)\""),
    );
    let out = squash(&ws.ok(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("1 added"), "{out}");
    let passed = (run_at + Duration::seconds(1) - Utc::now())
        .to_std()
        .unwrap_or_default();
    std::thread::sleep(passed);
    let out = squash(&ws.ok(&["plan", "-input=false", "-detailed-exitcode"]));
    assert!(out.contains("No changes"), "{out}");
    assert_eq!(emulator.invoke_counts(), (1, 1), "invoked once, at create");
}

/// A command whose runs may last 10 minutes cannot be scheduled every 5: validate passes (the
/// timeout is the command's), plan refuses it; every 10 minutes is accepted.
#[test]
fn a_schedule_shorter_than_the_commands_timeout_fails_plan() {
    let fixtures = tempfile::NamedTempFile::new().expect("fixtures file");
    std::fs::write(
        fixtures.path(),
        serde_json::json!({
            "Instances": [{"InstanceId": LINUX_1, "OSType": "linux", "Status": "Running"}],
            "Commands": [{"CommandId": SLOW, "Name": "slow", "Type": "RunShellScript",
                          "CommandContent": "sleep 500", "Timeout": 600}]
        })
        .to_string(),
    )
    .expect("write fixtures");
    let emulator = Emulator::start(&["--fixtures", fixtures.path().to_str().expect("path")]);
    let schedule = |frequency: &str| {
        let ws = Workspace::new(&invocation(
            "slow",
            &format!("  command_id = \"{SLOW}\"\n  timed = true\n  frequency = \"{frequency}\""),
        ))
        .against(&emulator);
        ws.init();
        ws.ok(&["validate"]);
        ws
    };

    let refused = schedule("0 */5 * * * ?");
    let out = squash(&refused.fails(&["plan", "-input=false"]));
    assert!(
        out.contains("Schedule shorter than the command's timeout"),
        "{out}"
    );
    assert!(out.contains("frequency"), "{out}");
    assert!(out.contains("can be 300 seconds apart"), "{out}");
    assert!(
        out.contains(&format!("command {SLOW} may run for 600 seconds")),
        "{out}"
    );
    assert!(out.contains("InvalidParam.Frequency"), "{out}");
    let out = squash(&refused.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("InvalidParam.Frequency"), "{out}");
    assert_eq!(emulator.invoke_counts(), (0, 0), "nothing was invoked");

    let accepted = schedule("0 */10 * * * ?");
    let out = squash(&accepted.ok(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("1 added"), "{out}");
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

/// `EveryReboot` and `NextRebootOnly` stay scheduled, which the API reports as `Timed = true`;
/// `timed` means a schedule on `frequency`, so the plan after apply is clean (exit code 0)
/// and destroy stops them.
#[test]
fn reboot_modes_plan_clean_after_apply() {
    let emulator = Emulator::start(&[]);
    for mode in ["EveryReboot", "NextRebootOnly"] {
        let ws = uptime(&emulator, "reboot", &format!("  repeat_mode = \"{mode}\""));
        ws.ok(&["apply", "-auto-approve", "-input=false"]);
        let plan = ws.run(&["plan", "-detailed-exitcode", "-input=false"]);
        assert_eq!(plan.status.code(), Some(0), "{mode}:\n{}", combined(&plan));
        ws.ok(&["destroy", "-auto-approve", "-input=false"]);
    }
    assert_eq!(emulator.invoke_counts(), (2, 2), "each mode ran once");
    assert_eq!(emulator.action_count("StopInvocation"), 2);
}

/// A periodic invocation's record stays while it is on schedule: one the API no longer
/// returns was stopped and removed outside Terraform. The plan says so, naming it, and
/// creates it again.
#[test]
fn a_periodic_invocation_whose_record_is_gone_is_planned_again() {
    let emulator = Emulator::start(&[]);
    let ws = uptime(
        &emulator,
        "every_5m",
        "  timed = true\n  frequency = \"rate(5m)\"",
    );
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let first = state_ids(&ws).remove(0);
    emulator.admin_post("/_emulator/expire", &format!("{{\"InvokeId\":\"{first}\"}}"));
    let plan = squash(&ws.ok(&["plan", "-input=false"]));
    assert!(
        plan.contains("Periodic invocation gone outside Terraform"),
        "{plan}"
    );
    assert!(plan.contains(&first), "the warning names it: {plan}");
    assert!(
        plan.contains("alicloud_ecs_command_invocation.every_5m will be created"),
        "{plan}"
    );
    ws.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_ne!(state_ids(&ws), [first]);
    assert_eq!(emulator.invoke_counts(), (2, 2));
}
