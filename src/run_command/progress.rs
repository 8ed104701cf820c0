//! The action's wait: it follows its invocation through the provider's one watcher (as a
//! create does) and turns what changes into progress lines, namely each instance's new status
//! and, at most every ten seconds, a count of finished and running instances with the
//! elapsed time.

use std::collections::BTreeMap;
use std::time::Duration;

use alicloud_client::{InstanceStatus, Invocation, InvokeInstance, Reported};
use async_trait::async_trait;
use tfplug::ActionProgress;
use tokio::time::Instant;

use crate::invocation::results::is_finished;
use crate::shared::wait::{wait, Bounds, Observer, Waited};
use crate::shared::watcher::{Until, Watcher};

/// The running count is repeated at most this often, so a 50-instance run stays readable.
const COUNT_EVERY: Duration = Duration::from_secs(10);

/// Waits until every instance of `invoke_id` has finished, reporting through `progress`.
pub async fn follow(watcher: &Watcher, region: &str, invoke_id: &str, progress: &ActionProgress) -> Waited {
    let bounds = Bounds {
        until: Until::Finished,
        limit: None,
        cancel: Some(progress.cancellation()),
    };
    let mut lines = Lines {
        progress,
        started: Instant::now(),
        seen: BTreeMap::new(),
    };
    wait(watcher, region, invoke_id, bounds, &mut lines).await
}

/// The action's progress lines: each instance's new status, and the running count.
struct Lines<'a> {
    progress: &'a ActionProgress,
    started: Instant,
    /// Each instance's status as last reported.
    seen: BTreeMap<String, Reported<InstanceStatus>>,
}

#[async_trait]
impl Observer for Lines<'_> {
    async fn changed(&mut self, record: Option<&Invocation>) {
        for instance in record.iter().flat_map(|r| &r.invoke_instances) {
            let status = &instance.invocation_status;
            if self.seen.get(&instance.instance_id) != Some(status) {
                self.seen.insert(instance.instance_id.clone(), status.clone());
                self.progress.send(status_line(instance)).await;
            }
        }
    }

    fn every(&self) -> Option<Duration> {
        Some(COUNT_EVERY)
    }

    async fn tick(&mut self, record: Option<&Invocation>) {
        if let Some(record) = record {
            let line = count_line(&record.invoke_instances, self.started.elapsed());
            self.progress.send(line).await;
        }
    }
}

fn status_line(instance: &InvokeInstance) -> String {
    match instance.exit_code {
        Some(code) if is_finished(instance) => format!(
            "{}: {} (exit code {code})",
            instance.instance_id, instance.invocation_status
        ),
        _ => format!("{}: {}", instance.instance_id, instance.invocation_status),
    }
}

fn count_line(instances: &[InvokeInstance], elapsed: Duration) -> String {
    let done = instances.iter().filter(|i| is_finished(i)).count();
    let running = instances
        .iter()
        .filter(|i| i.invocation_status == InstanceStatus::Running)
        .count();
    format!(
        "{done}/{} finished, {running} running ({}s elapsed)",
        instances.len(),
        elapsed.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(status: &str, exit: Option<i64>) -> InvokeInstance {
        InvokeInstance {
            instance_id: "i-1".into(),
            invocation_status: status.into(),
            exit_code: exit,
            ..Default::default()
        }
    }

    #[test]
    fn lines_name_status_exit_code_and_elapsed_time() {
        assert_eq!(status_line(&instance("Running", None)), "i-1: Running");
        assert_eq!(status_line(&instance("Running", Some(0))), "i-1: Running");
        assert_eq!(
            status_line(&instance("Failed", Some(2))),
            "i-1: Failed (exit code 2)"
        );
        let all = [instance("Running", None), instance("Success", Some(0))];
        assert_eq!(
            count_line(&all, Duration::from_secs(12)),
            "1/2 finished, 1 running (12s elapsed)"
        );
    }
}
