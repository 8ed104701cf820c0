//! Time-driven progress of invocations, as a pure function of the record and the clock: a
//! one-shot run is `Running` until its finish time, then `Success` (or `Failed` on a non-zero
//! exit code); a timed one is `Scheduled` until stopped, then `Stopped`. The overall status
//! aggregates the instances' as DescribeInvocations documents it.

use super::model::{InstanceRun, Invocation};

/// Output beyond this many bytes is cut and reported as `Dropped`.
pub const OUTPUT_LIMIT: usize = 24 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    Running,
    Success,
    Failed,
    Scheduled,
    Stopped,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "Running",
            Self::Success => "Success",
            Self::Failed => "Failed",
            Self::Scheduled => "Scheduled",
            Self::Stopped => "Stopped",
        }
    }

    /// The legacy `InstanceInvokeStatus` value.
    pub fn legacy(self) -> &'static str {
        match self {
            Self::Running | Self::Scheduled => "Running",
            Self::Success | Self::Failed => "Finished",
            Self::Stopped => "Stopped",
        }
    }
}

/// One instance's run as seen at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunView<'a> {
    pub status: RunStatus,
    pub exit_code: i64,
    pub output: &'a str,
    pub dropped: usize,
    pub start_ms: Option<i64>,
    pub finish_ms: Option<i64>,
    pub stop_ms: Option<i64>,
    pub update_ms: i64,
    pub repeats: u32,
    pub error_code: &'static str,
    pub error_info: &'static str,
}

pub fn run_view<'a>(invocation: &Invocation, run: &'a InstanceRun, now_ms: i64) -> RunView<'a> {
    let created = invocation.created_ms;
    let mut view = RunView {
        status: RunStatus::Running,
        exit_code: 0,
        output: "",
        dropped: 0,
        start_ms: None,
        finish_ms: None,
        stop_ms: None,
        update_ms: created,
        repeats: 0,
        error_code: "",
        error_info: "",
    };
    if invocation.repeat_mode.is_timed() {
        match run.stop_ms.filter(|stop| *stop <= now_ms) {
            Some(stop) => {
                view.status = RunStatus::Stopped;
                view.stop_ms = Some(stop);
                view.update_ms = stop;
            }
            None => view.status = RunStatus::Scheduled,
        }
        return view;
    }
    view.start_ms = Some(created);
    view.repeats = 1;
    if now_ms < run.finish_ms {
        return view;
    }
    let (output, dropped) = truncate(&run.output);
    view.output = output;
    view.dropped = dropped;
    view.exit_code = run.exit_code;
    view.finish_ms = Some(run.finish_ms);
    view.update_ms = run.finish_ms;
    if run.exit_code == 0 {
        view.status = RunStatus::Success;
    } else {
        view.status = RunStatus::Failed;
        view.error_code = "ExitCodeNonzero";
        view.error_info = "the command execution exit code is not zero.";
    }
    view
}

fn truncate(output: &str) -> (&str, usize) {
    if output.len() <= OUTPUT_LIMIT {
        return (output, 0);
    }
    let mut end = OUTPUT_LIMIT;
    while !output.is_char_boundary(end) {
        end -= 1;
    }
    (output.get(..end).unwrap_or_default(), output.len() - end)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverallStatus {
    Scheduled,
    Running,
    Success,
    Failed,
    PartialFailed,
    Stopped,
}

impl OverallStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::Running => "Running",
            Self::Success => "Success",
            Self::Failed => "Failed",
            Self::PartialFailed => "PartialFailed",
            Self::Stopped => "Stopped",
        }
    }

    /// The legacy `InvokeStatus` value.
    pub fn legacy(self) -> &'static str {
        match self {
            Self::Scheduled | Self::Running => "Running",
            Self::Success => "Finished",
            Self::Failed => "Failed",
            Self::PartialFailed => "PartialFailed",
            Self::Stopped => "Stopped",
        }
    }
}

/// Scheduled if any is scheduled, else Running if any runs; Stopped if all stopped; Success
/// if the rest all succeeded, Failed if none did, PartialFailed otherwise.
pub fn aggregate(statuses: impl IntoIterator<Item = RunStatus>) -> OverallStatus {
    let (mut scheduled, mut running, mut success, mut failed) = (false, false, false, false);
    for status in statuses {
        match status {
            RunStatus::Scheduled => scheduled = true,
            RunStatus::Running => running = true,
            RunStatus::Success => success = true,
            RunStatus::Failed => failed = true,
            RunStatus::Stopped => {}
        }
    }
    match (scheduled, running, success, failed) {
        (true, ..) => OverallStatus::Scheduled,
        (_, true, ..) => OverallStatus::Running,
        (_, _, false, false) => OverallStatus::Stopped,
        (_, _, true, false) => OverallStatus::Success,
        (_, _, false, true) => OverallStatus::Failed,
        (_, _, true, true) => OverallStatus::PartialFailed,
    }
}

/// The overall status of an invocation at `now_ms`.
pub fn overall(invocation: &Invocation, now_ms: i64) -> OverallStatus {
    aggregate(
        invocation
            .runs
            .iter()
            .map(|run| run_view(invocation, run, now_ms).status),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CommandType, RepeatMode};
    use RunStatus::*;

    fn invocation(mode: RepeatMode, runs: Vec<InstanceRun>) -> Invocation {
        Invocation {
            invoke_id: "t-1".into(),
            region_id: "cn-hangzhou".into(),
            command_id: "c-1".into(),
            command_name: "n".into(),
            command_type: CommandType::RunShellScript,
            command_description: String::new(),
            command_content: "echo".into(),
            parameters: vec![],
            username: String::new(),
            windows_password_name: String::new(),
            working_dir: String::new(),
            timeout: 60,
            repeat_mode: mode,
            frequency: String::new(),
            created_ms: 1_000,
            runs,
            expired: false,
        }
    }

    fn run(exit_code: i64, stop_ms: Option<i64>) -> InstanceRun {
        InstanceRun {
            instance_id: "i-1".into(),
            output: "out".into(),
            exit_code,
            finish_ms: 2_000,
            stop_ms,
        }
    }

    #[test]
    fn one_shot_runs_then_finishes() {
        let inv = invocation(RepeatMode::Once, vec![run(0, None), run(1, None)]);
        let early = run_view(&inv, &inv.runs[0], 1_500);
        assert_eq!((early.status, early.output, early.finish_ms), (Running, "", None));
        let done = run_view(&inv, &inv.runs[0], 2_000);
        assert_eq!(
            (done.status, done.output, done.finish_ms),
            (Success, "out", Some(2_000))
        );
        let failed = run_view(&inv, &inv.runs[1], 2_000);
        assert_eq!(
            (failed.status, failed.exit_code, failed.error_code),
            (Failed, 1, "ExitCodeNonzero")
        );
        assert_eq!(overall(&inv, 1_500), OverallStatus::Running);
        assert_eq!(overall(&inv, 2_000), OverallStatus::PartialFailed);
    }

    #[test]
    fn timed_stays_scheduled_until_stopped() {
        let inv = invocation(RepeatMode::Period, vec![run(0, Some(5_000)), run(0, None)]);
        assert_eq!(run_view(&inv, &inv.runs[0], 4_999).status, Scheduled);
        let stopped = run_view(&inv, &inv.runs[0], 5_000);
        assert_eq!((stopped.status, stopped.stop_ms), (Stopped, Some(5_000)));
        assert_eq!(overall(&inv, 9_000), OverallStatus::Scheduled);
        let all = invocation(RepeatMode::Period, vec![run(0, Some(5_000))]);
        assert_eq!(overall(&all, 9_000), OverallStatus::Stopped);
    }

    #[test]
    fn aggregation_rules() {
        assert_eq!(aggregate([Success, Success]), OverallStatus::Success);
        assert_eq!(aggregate([Success, Stopped]), OverallStatus::Success);
        assert_eq!(aggregate([Failed, Stopped]), OverallStatus::Failed);
        assert_eq!(aggregate([Failed, Success]), OverallStatus::PartialFailed);
        assert_eq!(aggregate([Stopped, Stopped]), OverallStatus::Stopped);
        assert_eq!(aggregate([Running, Scheduled]), OverallStatus::Scheduled);
        assert_eq!(aggregate([Running, Success]), OverallStatus::Running);
    }

    #[test]
    fn long_output_is_cut_at_a_char_boundary() {
        let long = "é".repeat(OUTPUT_LIMIT);
        let (kept, dropped) = truncate(&long);
        assert!(kept.len() <= OUTPUT_LIMIT && kept.len() + dropped == long.len());
        assert_eq!(truncate("short"), ("short", 0));
    }
}
