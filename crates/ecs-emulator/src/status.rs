//! How the emulator spells statuses: the legacy spellings (`InstanceInvokeStatus`,
//! `InvokeStatus`, `InvokeRecordStatus`) of the API's statuses, and DescribeInvocations'
//! aggregation of the instances' statuses into the invocation's
//! (`docs/api-notes.md#statuses`). The statuses
//! themselves are the API's vocabulary (`alicloud_api::vocabulary`).

pub use alicloud_api::vocabulary::{InstanceStatus, InvocationStatus};

/// The legacy field's value for a status.
pub trait Legacy {
    fn legacy(self) -> Self;
}

impl Legacy for InstanceStatus {
    /// The legacy `InstanceInvokeStatus` (and `InvokeRecordStatus`) value.
    fn legacy(self) -> Self {
        use InstanceStatus::*;
        match self {
            Pending | Running | Scheduled => Running,
            Success | Failed | Finished => Finished,
            Timeout | Error | Invalid | Aborted => Failed,
            Cancelled | Stopped | Terminated => Stopped,
            Stopping => Stopping,
        }
    }
}

impl Legacy for InvocationStatus {
    /// The legacy `InvokeStatus` value.
    fn legacy(self) -> Self {
        use InvocationStatus::*;
        match self {
            Pending | Scheduled | Running => Running,
            Success | Finished => Finished,
            Failed => Failed,
            PartialFailed => PartialFailed,
            Stopping => Stopping,
            Stopped => Stopped,
        }
    }
}

/// Pending if any is pending, else Scheduled if any is scheduled, else Running if any runs
/// (or is being stopped); Stopped if all stopped (or cancelled); Success if the rest all
/// succeeded, Failed if none did (a timeout is a failure), PartialFailed otherwise.
pub fn aggregate(statuses: impl IntoIterator<Item = InstanceStatus>) -> InvocationStatus {
    use InstanceStatus as Run;
    let (mut pending, mut scheduled, mut running, mut success, mut failed) =
        (false, false, false, false, false);
    for status in statuses {
        match status {
            Run::Pending => pending = true,
            Run::Scheduled => scheduled = true,
            Run::Running | Run::Stopping => running = true,
            Run::Success | Run::Finished => success = true,
            Run::Failed | Run::Timeout | Run::Error | Run::Invalid | Run::Aborted => failed = true,
            Run::Cancelled | Run::Stopped | Run::Terminated => {}
        }
    }
    match (pending, scheduled, running, success, failed) {
        (true, ..) => InvocationStatus::Pending,
        (_, true, ..) => InvocationStatus::Scheduled,
        (_, _, true, ..) => InvocationStatus::Running,
        (.., false, false) => InvocationStatus::Stopped,
        (.., true, false) => InvocationStatus::Success,
        (.., false, true) => InvocationStatus::Failed,
        (.., true, true) => InvocationStatus::PartialFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::InstanceStatus::*;
    use super::*;

    #[test]
    fn aggregation_rules() {
        assert_eq!(aggregate([Success, Success]), InvocationStatus::Success);
        assert_eq!(aggregate([Success, Stopped]), InvocationStatus::Success);
        assert_eq!(aggregate([Success, Cancelled]), InvocationStatus::Success);
        assert_eq!(aggregate([Failed, Stopped]), InvocationStatus::Failed);
        assert_eq!(aggregate([Timeout]), InvocationStatus::Failed);
        assert_eq!(aggregate([Failed, Success]), InvocationStatus::PartialFailed);
        assert_eq!(aggregate([Timeout, Success]), InvocationStatus::PartialFailed);
        assert_eq!(aggregate([Stopped, Cancelled]), InvocationStatus::Stopped);
        assert_eq!(aggregate([Running, Scheduled]), InvocationStatus::Scheduled);
        assert_eq!(aggregate([Running, Success]), InvocationStatus::Running);
        assert_eq!(aggregate([Pending, Running]), InvocationStatus::Pending);
    }

    #[test]
    fn legacy_spellings() {
        assert_eq!(
            [Pending, Success, Failed, Timeout, Cancelled].map(|s| s.legacy().as_str()),
            ["Running", "Finished", "Finished", "Failed", "Stopped"]
        );
        assert_eq!(InvocationStatus::Success.legacy().as_str(), "Finished");
        assert!(Timeout.is_finished() && !Scheduled.is_finished());
    }
}
