//! Time-driven progress of invocations, as a pure function of the record and the clock.
//!
//! A one-shot run is `Pending` until the agent picks it up, `Running` for its run time, then
//! `Success`, `Failed` (non-zero exit code) or `Timeout` (its run time exceeds the
//! invocation's `Timeout`: it is cut off then). A `Period` invocation really runs on its
//! schedule (`frequency::runs`): each run goes the same way, the instance shows the latest
//! one with `Repeats` counting them, and between runs it is `Scheduled`; once stopped no run
//! starts any more (one in progress finishes) and it shows `Stopped`. A schedule with no run
//! left (`at(...)` after its run) keeps its last run's status. Reboot-driven modes stay
//! `Scheduled`: emulated instances never reboot.

use chrono::DateTime;

use super::model::{InstanceRun, Invocation, RepeatMode};
use super::status::{aggregate, InstanceStatus, InvocationStatus};
use super::time::millis;
use alicloud_api::frequency;
use alicloud_api::invoke_command::kept_output;

/// What a run cut off by its timeout reports as exit code (the process was killed; the real
/// service's value is unverified).
pub const TIMEOUT_EXIT_CODE: i64 = -1;

/// One instance's run as seen at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunView<'a> {
    pub status: InstanceStatus,
    pub exit_code: i64,
    pub output: &'a str,
    pub dropped: usize,
    pub start_ms: Option<i64>,
    pub finish_ms: Option<i64>,
    pub stop_ms: Option<i64>,
    pub update_ms: i64,
    pub repeats: usize,
    pub error_code: &'static str,
    pub error_info: &'static str,
}

/// An invocation's schedule played out up to a moment: computed once, read per instance.
#[derive(Debug)]
pub struct Progress<'i> {
    invocation: &'i Invocation,
    now_ms: i64,
    /// Starts of the scheduled runs up to now (`Period` only; a one-shot run has its own).
    starts: Vec<i64>,
    /// The first scheduled start after now, if the schedule has one.
    next: Option<i64>,
}

impl<'i> Progress<'i> {
    pub fn new(invocation: &'i Invocation, now_ms: i64) -> Self {
        let (mut starts, mut next) = (Vec::new(), None);
        if invocation.repeat_mode == RepeatMode::Period {
            // A stored frequency was valid when the invocation was created.
            if let Ok(schedule) = frequency::parse(&invocation.frequency) {
                let created = DateTime::from_timestamp_millis(invocation.created_ms).unwrap_or_default();
                // No instance starts a run after it was stopped; nothing runs once all were.
                let until =
                    (invocation.runs.iter()).try_fold(i64::MIN, |latest, run| Some(latest.max(run.stop_ms?)));
                for start in frequency::runs(&schedule, created).map(millis) {
                    if until.is_some_and(|until| start >= until) {
                        break;
                    }
                    if start > now_ms {
                        next = Some(start);
                        break;
                    }
                    starts.push(start);
                }
            }
        }
        Self {
            invocation,
            now_ms,
            starts,
            next,
        }
    }

    /// The starts of the runs this instance has begun by now.
    fn starts_of(&self, run: &InstanceRun) -> Vec<i64> {
        let before_stop = |start: &i64| run.stop_ms.is_none_or(|stop| *start < stop);
        match self.invocation.repeat_mode {
            RepeatMode::Once => Some(run.start_ms)
                .filter(|start| *start <= self.now_ms && before_stop(start))
                .into_iter()
                .collect(),
            RepeatMode::Period => self.starts.iter().copied().filter(before_stop).collect(),
            RepeatMode::NextRebootOnly | RepeatMode::EveryReboot => Vec::new(),
        }
    }

    /// The instance as DescribeInvocations shows it: its latest run, or why there is none.
    pub fn run<'a>(&self, run: &'a InstanceRun) -> RunView<'a> {
        let starts = self.starts_of(run);
        let stopped = run.stop_ms.filter(|stop| *stop <= self.now_ms);
        let once = self.invocation.repeat_mode == RepeatMode::Once;
        let Some(&last) = starts.last() else {
            let status = match (stopped, once) {
                (Some(_), true) => InstanceStatus::Cancelled,
                (Some(_), false) => InstanceStatus::Stopped,
                (None, true) => InstanceStatus::Pending,
                (None, false) => InstanceStatus::Scheduled,
            };
            return RunView {
                stop_ms: stopped,
                update_ms: stopped.unwrap_or(self.invocation.created_ms),
                ..idle(status)
            };
        };
        let mut view = self.one_run(run, last);
        view.repeats = starts.len();
        if !once && view.status.is_finished() {
            if let Some(stop) = stopped {
                view.status = InstanceStatus::Stopped;
                view.stop_ms = Some(stop);
                view.update_ms = view.update_ms.max(stop);
            } else if self.next.is_some() {
                view.status = InstanceStatus::Scheduled;
            }
        }
        view
    }

    /// Every run the instance has begun, newest first (DescribeInvocationResults with
    /// `IncludeHistory`).
    pub fn history<'a>(&self, run: &'a InstanceRun) -> Vec<RunView<'a>> {
        let starts = self.starts_of(run);
        let mut views: Vec<RunView> = starts
            .iter()
            .enumerate()
            .map(|(n, start)| RunView {
                repeats: n + 1,
                ..self.one_run(run, *start)
            })
            .collect();
        views.reverse();
        views
    }

    pub fn overall(&self) -> InvocationStatus {
        aggregate(self.invocation.runs.iter().map(|run| self.run(run).status))
    }

    /// A periodic invocation with an instance still scheduled or running: its record never
    /// expires while so.
    pub fn is_active(&self) -> bool {
        self.invocation.repeat_mode.is_timed()
            && self
                .invocation
                .runs
                .iter()
                .any(|run| !self.run(run).status.is_finished())
    }

    /// One run begun at `start`, as it stands now.
    fn one_run<'a>(&self, run: &'a InstanceRun, start: i64) -> RunView<'a> {
        let timeout_ms = i64::try_from(self.invocation.timeout)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000);
        let end = start.saturating_add(run.run_ms.min(timeout_ms));
        let mut view = RunView {
            start_ms: Some(start),
            update_ms: start,
            ..idle(InstanceStatus::Running)
        };
        if self.now_ms < end {
            return view;
        }
        (view.output, view.dropped) = kept_output(&run.output);
        view.finish_ms = Some(end);
        view.update_ms = end;
        (view.status, view.exit_code, view.error_code, view.error_info) = if run.run_ms > timeout_ms {
            (
                InstanceStatus::Timeout,
                TIMEOUT_EXIT_CODE,
                "ExecutionTimeout",
                "the command execution has timed out.",
            )
        } else if run.exit_code == 0 {
            (InstanceStatus::Success, 0, "", "")
        } else {
            (
                InstanceStatus::Failed,
                run.exit_code,
                "ExitCodeNonzero",
                "the command execution exit code is not zero.",
            )
        };
        view
    }
}

fn idle(status: InstanceStatus) -> RunView<'static> {
    RunView {
        status,
        exit_code: 0,
        output: "",
        dropped: 0,
        start_ms: None,
        finish_ms: None,
        stop_ms: None,
        update_ms: 0,
        repeats: 0,
        error_code: "",
        error_info: "",
    }
}

/// Whether DescribeInvocations and friends still return the record: not expired by the admin
/// endpoint, and either active or younger than `ttl_ms` (counted from its last stop, if later
/// than its creation).
pub fn on_record(invocation: &Invocation, now_ms: i64, ttl_ms: i64) -> bool {
    if invocation.expired {
        return false;
    }
    let last_change = invocation
        .runs
        .iter()
        .filter_map(|run| run.stop_ms)
        .fold(invocation.created_ms, i64::max);
    now_ms - last_change < ttl_ms || Progress::new(invocation, now_ms).is_active()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CommandType;
    use crate::status::InstanceStatus::*;

    /// Created at 0; runs start at 1 s, take 1 s; timeout 60 s.
    fn invocation(mode: RepeatMode, frequency: &str, runs: Vec<InstanceRun>) -> Invocation {
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
            frequency: frequency.into(),
            termination_mode: String::new(),
            container_id: String::new(),
            container_name: String::new(),
            tags: vec![],
            created_ms: 0,
            runs,
            expired: false,
        }
    }

    fn run(exit_code: i64, run_ms: i64, stop_ms: Option<i64>) -> InstanceRun {
        InstanceRun {
            instance_id: "i-1".into(),
            output: "out".into(),
            exit_code,
            start_ms: 1_000,
            run_ms,
            stop_ms,
        }
    }

    fn status(inv: &Invocation, n: usize, at: i64) -> InstanceStatus {
        Progress::new(inv, at).run(&inv.runs[n]).status
    }

    #[test]
    fn one_shot_is_pending_then_runs_then_finishes() {
        let inv = invocation(
            RepeatMode::Once,
            "",
            vec![run(0, 1_000, None), run(1, 1_000, None), run(0, 61_000, None)],
        );
        assert_eq!(status(&inv, 0, 999), Pending);
        let early = Progress::new(&inv, 1_500).run(&inv.runs[0]);
        assert_eq!(
            (early.status, early.output, early.start_ms, early.finish_ms),
            (Running, "", Some(1_000), None)
        );
        let p = Progress::new(&inv, 2_000);
        let done = p.run(&inv.runs[0]);
        assert_eq!(
            (done.status, done.output, done.finish_ms, done.repeats),
            (Success, "out", Some(2_000), 1)
        );
        let failed = p.run(&inv.runs[1]);
        assert_eq!(
            (failed.status, failed.exit_code, failed.error_code),
            (Failed, 1, "ExitCodeNonzero")
        );
        assert_eq!(status(&inv, 2, 60_999), Running);
        let timed_out = Progress::new(&inv, 61_000).run(&inv.runs[2]);
        assert_eq!(
            (
                timed_out.status,
                timed_out.exit_code,
                timed_out.error_code,
                timed_out.finish_ms
            ),
            (Timeout, TIMEOUT_EXIT_CODE, "ExecutionTimeout", Some(61_000))
        );
        assert_eq!(Progress::new(&inv, 0).overall(), InvocationStatus::Pending);
        assert_eq!(Progress::new(&inv, 1_500).overall(), InvocationStatus::Running);
        assert_eq!(
            Progress::new(&inv, 61_000).overall(),
            InvocationStatus::PartialFailed
        );
    }

    #[test]
    fn one_shot_stopped_before_it_starts_is_cancelled() {
        let inv = invocation(RepeatMode::Once, "", vec![run(0, 1_000, Some(500))]);
        assert_eq!(status(&inv, 0, 5_000), Cancelled);
        assert_eq!(Progress::new(&inv, 5_000).overall(), InvocationStatus::Stopped);
    }

    #[test]
    fn periodic_runs_on_its_schedule_with_repeats() {
        // rate(1m): runs at 60 s, 120 s, ...; each takes 1 s.
        let inv = invocation(
            RepeatMode::Period,
            "rate(1m)",
            vec![run(0, 1_000, None), run(3, 1_000, None)],
        );
        assert_eq!(status(&inv, 0, 59_999), Scheduled);
        let running = Progress::new(&inv, 120_500).run(&inv.runs[0]);
        assert_eq!(
            (running.status, running.repeats, running.start_ms),
            (Running, 2, Some(120_000))
        );
        let between = Progress::new(&inv, 150_000);
        let view = between.run(&inv.runs[1]);
        assert_eq!(
            (
                view.status,
                view.repeats,
                view.exit_code,
                view.output,
                view.finish_ms
            ),
            (Scheduled, 2, 3, "out", Some(121_000))
        );
        let history = between.history(&inv.runs[1]);
        assert_eq!(
            history
                .iter()
                .map(|v| (v.repeats, v.start_ms, v.status))
                .collect::<Vec<_>>(),
            [(2, Some(120_000), Failed), (1, Some(60_000), Failed)]
        );
        assert_eq!(between.overall(), InvocationStatus::Scheduled);
    }

    #[test]
    fn stopping_ends_the_schedule_but_not_the_run_in_progress() {
        let inv = invocation(
            RepeatMode::Period,
            "rate(1m)",
            vec![run(0, 10_000, Some(125_000))],
        );
        let p = Progress::new(&inv, 129_000);
        assert_eq!((p.run(&inv.runs[0]).status, p.is_active()), (Running, true));
        let later = Progress::new(&inv, 500_000);
        let view = later.run(&inv.runs[0]);
        assert_eq!(
            (view.status, view.repeats, view.stop_ms, view.update_ms),
            (Stopped, 2, Some(125_000), 130_000)
        );
        assert!(!later.is_active());
        assert_eq!(later.overall(), InvocationStatus::Stopped);
    }

    #[test]
    fn a_schedule_with_no_run_left_keeps_the_last_status() {
        let inv = invocation(
            RepeatMode::Period,
            "at(1970-01-01 00:02:00)",
            vec![run(0, 1_000, None)],
        );
        assert_eq!(status(&inv, 0, 60_000), Scheduled);
        assert_eq!(status(&inv, 0, 121_000), Success);
        assert!(!Progress::new(&inv, 121_000).is_active());
    }

    #[test]
    fn reboot_modes_stay_scheduled_until_stopped() {
        let inv = invocation(
            RepeatMode::EveryReboot,
            "",
            vec![run(0, 1_000, Some(5_000)), run(0, 1_000, None)],
        );
        assert_eq!(status(&inv, 0, 4_999), Scheduled);
        assert_eq!(status(&inv, 0, 5_000), Stopped);
        assert_eq!(Progress::new(&inv, 9_000).overall(), InvocationStatus::Scheduled);
    }

    #[test]
    fn records_of_active_periodic_invocations_never_expire() {
        let once = invocation(RepeatMode::Once, "", vec![run(0, 1_000, None)]);
        assert!(on_record(&once, 9_999, 10_000) && !on_record(&once, 10_000, 10_000));
        let periodic = invocation(RepeatMode::Period, "rate(1m)", vec![run(0, 1_000, None)]);
        assert!(on_record(&periodic, 10_000_000, 10_000));
        let stopped = invocation(
            RepeatMode::Period,
            "rate(1m)",
            vec![run(0, 1_000, Some(1_000_000))],
        );
        assert!(on_record(&stopped, 1_009_999, 10_000), "counted from the stop");
        assert!(!on_record(&stopped, 1_010_000, 10_000));
        let expired = Invocation {
            expired: true,
            ..periodic
        };
        assert!(!on_record(&expired, 0, 10_000));
    }
}
