//! The statuses an invocation shows, per instance and overall, with their legacy spellings
//! (`InstanceInvokeStatus`, `InvokeStatus`) and DescribeInvocations' aggregation rules
//! (`docs/api-notes.md#statuses`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Not yet picked up by the agent.
    Pending,
    Running,
    /// Exit code 0.
    Success,
    /// A non-zero exit code.
    Failed,
    /// Ran longer than the invocation's `Timeout`.
    Timeout,
    /// A periodic invocation waiting for its next run.
    Scheduled,
    /// Stopped before the run started.
    Cancelled,
    /// A periodic invocation stopped on this instance.
    Stopped,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Running => "Running",
            Self::Success => "Success",
            Self::Failed => "Failed",
            Self::Timeout => "Timeout",
            Self::Scheduled => "Scheduled",
            Self::Cancelled => "Cancelled",
            Self::Stopped => "Stopped",
        }
    }

    /// The legacy `InstanceInvokeStatus` (and `InvokeRecordStatus`) value.
    pub fn legacy(self) -> &'static str {
        match self {
            Self::Pending | Self::Running | Self::Scheduled => "Running",
            Self::Success | Self::Failed => "Finished",
            Self::Timeout => "Failed",
            Self::Cancelled | Self::Stopped => "Stopped",
        }
    }

    /// Nothing more will happen to this run.
    pub fn is_done(self) -> bool {
        !matches!(self, Self::Pending | Self::Running | Self::Scheduled)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverallStatus {
    Pending,
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
            Self::Pending => "Pending",
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
            Self::Pending | Self::Scheduled | Self::Running => "Running",
            Self::Success => "Finished",
            Self::Failed => "Failed",
            Self::PartialFailed => "PartialFailed",
            Self::Stopped => "Stopped",
        }
    }
}

/// Pending if any is pending, else Scheduled if any is scheduled, else Running if any runs;
/// Stopped if all stopped (or cancelled); Success if the rest all succeeded, Failed if none
/// did (a timeout is a failure), PartialFailed otherwise.
pub fn aggregate(statuses: impl IntoIterator<Item = RunStatus>) -> OverallStatus {
    let (mut pending, mut scheduled, mut running, mut success, mut failed) =
        (false, false, false, false, false);
    for status in statuses {
        match status {
            RunStatus::Pending => pending = true,
            RunStatus::Scheduled => scheduled = true,
            RunStatus::Running => running = true,
            RunStatus::Success => success = true,
            RunStatus::Failed | RunStatus::Timeout => failed = true,
            RunStatus::Cancelled | RunStatus::Stopped => {}
        }
    }
    match (pending, scheduled, running, success, failed) {
        (true, ..) => OverallStatus::Pending,
        (_, true, ..) => OverallStatus::Scheduled,
        (_, _, true, ..) => OverallStatus::Running,
        (.., false, false) => OverallStatus::Stopped,
        (.., true, false) => OverallStatus::Success,
        (.., false, true) => OverallStatus::Failed,
        (.., true, true) => OverallStatus::PartialFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::RunStatus::*;
    use super::*;

    #[test]
    fn aggregation_rules() {
        assert_eq!(aggregate([Success, Success]), OverallStatus::Success);
        assert_eq!(aggregate([Success, Stopped]), OverallStatus::Success);
        assert_eq!(aggregate([Success, Cancelled]), OverallStatus::Success);
        assert_eq!(aggregate([Failed, Stopped]), OverallStatus::Failed);
        assert_eq!(aggregate([Timeout]), OverallStatus::Failed);
        assert_eq!(aggregate([Failed, Success]), OverallStatus::PartialFailed);
        assert_eq!(aggregate([Timeout, Success]), OverallStatus::PartialFailed);
        assert_eq!(aggregate([Stopped, Cancelled]), OverallStatus::Stopped);
        assert_eq!(aggregate([Running, Scheduled]), OverallStatus::Scheduled);
        assert_eq!(aggregate([Running, Success]), OverallStatus::Running);
        assert_eq!(aggregate([Pending, Running]), OverallStatus::Pending);
    }

    #[test]
    fn legacy_spellings() {
        assert_eq!(
            [Pending, Success, Failed, Timeout, Cancelled].map(RunStatus::legacy),
            ["Running", "Finished", "Finished", "Failed", "Stopped"]
        );
        assert_eq!(OverallStatus::Success.legacy(), "Finished");
        assert!(Timeout.is_done() && !Scheduled.is_done());
    }
}
