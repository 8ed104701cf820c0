//! Drift of a periodic invocation. Cloud Assistant keeps a periodic invocation's record, and
//! shows it `Pending`, `Scheduled` or `Running`, for as long as it runs on its schedule; one
//! whose schedule still has runs ahead but whose record is gone, or says otherwise, was
//! stopped (or deleted) outside Terraform, as was one run on reboots that shows `Stopped`.
//! Refresh drops it from state, naming its InvokeId, so the plan creates it again. One whose schedule has no run left ended as asked and stays,
//! like any finished invocation (an expired record is kept with a warning).

use chrono::Utc;

use crate::invocation::resource::InvocationModel;
use alicloud_client::frequency;
use alicloud_client::{Invocation, InvocationStatus};
use tfplug::Diagnostics;

/// Overall statuses of a periodic invocation still on its schedule.
const ON_SCHEDULE: [InvocationStatus; 3] = [
    InvocationStatus::Pending,
    InvocationStatus::Scheduled,
    InvocationStatus::Running,
];
/// Overall statuses of an invocation that `StopInvocation` ended.
const STOPPED: [InvocationStatus; 2] = [InvocationStatus::Stopping, InvocationStatus::Stopped];

/// Whether `schedule` has a run after now.
fn runs_ahead(schedule: &str) -> bool {
    frequency::parse_as_of(schedule, Utc::now()).is_ok()
}

/// A periodic invocation off its schedule while runs remain: stopped outside Terraform.
pub fn stopped(record: &Invocation) -> bool {
    // A status this provider does not know is neither on schedule nor a stop.
    let status = &record.invocation_status;
    if !record.timed || status.is(|s| ON_SCHEDULE.contains(&s)) {
        return false;
    }
    if record.frequency.is_empty() {
        // Driven by reboots (the API reports those `Timed` too): only a stop ends them early.
        status.is(|s| STOPPED.contains(&s))
    } else {
        runs_ahead(&record.frequency)
    }
}

/// A periodic invocation in state, whose record the API no longer returns while runs remain.
pub fn deleted(state: &InvocationModel) -> bool {
    state.timed.get() == Some(&true) && state.frequency.as_deref().is_some_and(runs_ahead)
}

pub fn report_stopped(record: &Invocation, region: &str, diags: &mut Diagnostics) {
    diags.warning(
        "Periodic invocation stopped outside Terraform",
        format!(
            "Invocation {} in {region} is {} (StopInvocation was called outside Terraform), so its \
             command no longer runs on schedule. It is dropped from state: the plan creates a new \
             invocation to run it again.",
            record.invoke_id, record.invocation_status
        ),
    );
}

pub fn report_deleted(invoke_id: &str, region: &str, diags: &mut Diagnostics) {
    diags.warning(
        "Periodic invocation gone outside Terraform",
        format!(
            "DescribeInvocations no longer returns {invoke_id} in {region}, yet the record of a periodic \
             invocation stays while its schedule has runs ahead: it was stopped or deleted outside \
             Terraform, and its command no longer runs on schedule. It is dropped from state: the plan \
             creates a new invocation to run it again."
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::Attr;

    fn periodic(schedule: &str, status: &str) -> Invocation {
        Invocation {
            timed: true,
            frequency: schedule.into(),
            invocation_status: status.into(),
            ..Default::default()
        }
    }

    #[test]
    fn off_schedule_with_runs_ahead_is_stopped() {
        for status in ["Stopped", "Stopping", "Success", "PartialFailed"] {
            assert!(stopped(&periodic("rate(5m)", status)), "{status}");
        }
        for status in ON_SCHEDULE {
            assert!(!stopped(&periodic("rate(5m)", status.as_str())), "{status}");
        }
        // Its one run is over: it ended as asked, stopped since or not.
        assert!(!stopped(&periodic("at(2024-06-06 13:15:30)", "Success")));
        assert!(!stopped(&periodic("at(2024-06-06 13:15:30)", "Stopped")));
        // On reboots: stopped, or its one reboot run done.
        assert!(stopped(&periodic("", "Stopped")));
        assert!(!stopped(&periodic("", "Success")));
        let once = Invocation {
            invocation_status: "Stopped".into(),
            ..Default::default()
        };
        assert!(!stopped(&once));
    }

    #[test]
    fn a_missing_record_is_drift_only_while_runs_remain() {
        let state = |timed: bool, schedule: &str| InvocationModel {
            timed: Attr::Known(timed),
            frequency: Attr::known(schedule),
            ..Default::default()
        };
        assert!(deleted(&state(true, "0 0 * * * ?")));
        assert!(!deleted(&state(true, "0 0 0 * * ? 2023")));
        assert!(!deleted(&state(false, "rate(5m)")));
        assert!(!deleted(&InvocationModel::default()));
    }
}
