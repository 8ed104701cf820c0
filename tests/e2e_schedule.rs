//! Schedule rules under the real Terraform CLI, each refused before any `InvokeCommand`:
//! at validate, a schedule with no run left (`at(...)` in the past in its zone, cron whose
//! years are over), spaces around `frequency`, `frequency` without `timed = true` and a
//! `windows_password_name` over 255 characters; at plan, a schedule whose runs come closer
//! together than the command's `Timeout` (read from `DescribeCommands`).

mod support;

use chrono::{Duration, Utc};
use support::{header, squash, Emulator, Workspace};

const UPTIME: &str = "c-hz01emuuptime0001";
const SLOW: &str = "c-hz01emuslow0000001";
const LINUX_1: &str = "i-bp1emulinux000001";

fn invocation(name: &str, body: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{}}\nresource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n  \
         instance_ids = [\"{LINUX_1}\"]\n{body}\n}}\n",
        header()
    )
}

/// One hour ago as `yyyy-MM-dd HH:mm:ss` in `zone`: past everywhere, but later than now in
/// every zone west of it, so a check that does not know the zone's offset lets it through.
fn an_hour_ago_in(zone: chrono_tz::Tz) -> String {
    (Utc::now() - Duration::hours(1))
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[test]
fn schedules_the_api_refuses_fail_validate_and_never_invoke() {
    let emulator = Emulator::start(&[]);
    let kathmandu = an_hour_ago_in(chrono_tz::Asia::Kathmandu);
    let long_name = "p".repeat(256);
    let cases = [
        (
            "at_past_zone",
            format!("  timed = true\n  frequency = \"at({kathmandu} Asia/Kathmandu)\""),
            "frequency",
            "is in the past",
        ),
        (
            "at_past_utc",
            "  timed = true\n  frequency = \"at(2024-06-06 13:15:30)\"".to_string(),
            "frequency",
            "is in the past",
        ),
        (
            "cron_past_years",
            "  timed = true\n  frequency = \"0 15 10 ? * * 2022-2024 Pacific/Kiritimati\"".to_string(),
            "frequency",
            "no run after the current time",
        ),
        (
            "cron_past_years_no_zone",
            "  timed = true\n  frequency = \"0 0 0 * * ? 2023\"".to_string(),
            "frequency",
            "no run after the current time",
        ),
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
        let ws = Workspace::new(&invocation(name, &format!("  command_id = \"{UPTIME}\"\n{body}")))
            .against(&emulator);
        ws.init();
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
