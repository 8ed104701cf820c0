//! The plan-time schedule rules of a new invocation, run with the remote rules:
//! - a run still ahead (an `at(...)` in the past in its zone, or cron whose years are over,
//!   has none). This cannot be a validate rule: validate does not know whether the invocation
//!   exists, and an existing one whose `at(...)` has passed ran as asked and must keep
//!   planning cleanly. Checked again at apply, so a time that passed since plan is refused too.
//! - a run may not outlast the time to the next one: the limit is the command's `Timeout`
//!   (from `DescribeCommands`), known only once the command is read.

use chrono::Utc;

use crate::invocation::frequency_rule::report_invalid;
use alicloud_client::api::command::DEFAULT_COMMAND_TIMEOUT_SECONDS;
use alicloud_client::frequency::{self, FrequencyError};
use alicloud_client::Command;
use tfplug::{AttributePath, Diagnostics};

use crate::invocation::resource::InvocationModel;

/// `InvalidParam.Frequency` for a schedule with no run ahead or one whose runs come closer
/// together than the command's timeout. Call only for an invocation not yet created.
pub fn check(command: Option<&Command>, object: &InvocationModel, diags: &mut Diagnostics) {
    let Some(text) = object.frequency.as_deref() else {
        return;
    };
    let path = AttributePath::attr("frequency");
    let schedule = match frequency::parse_as_of(text, Utc::now()) {
        Ok(schedule) => schedule,
        Err(error) => return report_invalid(diags, path, &format!("{text:?}"), &error),
    };
    let Some(command) = command else { return };
    let timeout = command
        .timeout
        .and_then(|seconds| u64::try_from(seconds).ok())
        .unwrap_or(DEFAULT_COMMAND_TIMEOUT_SECONDS);
    if let Err(FrequencyError::TimeoutExceedsInterval { timeout, interval }) = schedule.check_timeout(timeout)
    {
        diags.error_at(
            path,
            "Schedule shorter than the command's timeout",
            format!(
                "Runs of {text:?} can be {interval} seconds apart, but command {} may run for {timeout} \
                 seconds (its Timeout); a run must end before the next one starts. Choose a schedule \
                 with runs at least {timeout} seconds apart, or a command with a shorter timeout. \
                 InvokeCommand would fail with InvalidParam.Frequency.",
                command.command_id
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::Attr;

    fn command(timeout: Option<i64>) -> Command {
        Command {
            command_id: "c-test".into(),
            timeout,
            ..Default::default()
        }
    }

    fn details(command: Option<&Command>, frequency: &str) -> Vec<String> {
        let object = InvocationModel {
            frequency: Attr::known(frequency),
            ..Default::default()
        };
        let mut diags = Diagnostics::new();
        check(command, &object, &mut diags);
        diags.iter().map(|d| d.detail.clone()).collect()
    }

    #[test]
    fn runs_must_be_at_least_the_timeout_apart() {
        let slow = command(Some(600));
        assert!(details(Some(&slow), "rate(10m)").is_empty());
        let refused = details(Some(&slow), "0 */5 * * * ?");
        assert_eq!(refused.len(), 1);
        assert!(refused[0].contains("can be 300 seconds apart"), "{refused:?}");
        assert!(refused[0].contains("may run for 600 seconds"), "{refused:?}");
        assert!(refused[0].contains("InvalidParam.Frequency"), "{refused:?}");
        // A one-time run has no next run to collide with.
        assert!(details(Some(&slow), "at(2098-01-01 00:00:00)").is_empty());
    }

    #[test]
    fn a_command_without_a_timeout_has_the_default() {
        assert!(details(Some(&command(None)), "rate(1m)").is_empty());
        assert_eq!(details(Some(&command(None)), "*/30 * * * * ?").len(), 1);
    }

    #[test]
    fn past_schedules_are_refused_without_the_command() {
        let refused = details(None, "at(2020-01-01 00:00:00 Europe/Paris)");
        assert!(refused[0].contains("is in the past"), "{refused:?}");
        assert!(refused[0].contains("InvalidParam.Frequency"), "{refused:?}");
        let refused = details(None, "0 0 0 * * ? 2021");
        assert!(
            refused[0].contains("no run after the current time"),
            "{refused:?}"
        );
        assert!(details(None, "0 0 0 * * ? 2021-2099").is_empty());
        assert!(details(None, "rate(1m)").is_empty());
    }
}
