//! The action's wait: it follows its invocation through the provider's one watcher (as a
//! create does) and turns what changes into progress lines, namely each instance's new status
//! and, at most every ten seconds, a count of finished and running instances with the
//! elapsed time.

use std::collections::BTreeMap;
use std::time::Duration;

use alicloud_client::{Invocation, InvokeInstance};
use tfplug::ActionProgress;
use tokio::time::Instant;

use crate::invocation::results::is_finished;
use crate::shared::watcher::{Progress, Until, Watcher};

/// The running count is repeated at most this often, so a 50-instance run stays readable.
const COUNT_EVERY: Duration = Duration::from_secs(10);

/// How the wait ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every instance finished; the record holds their output.
    Finished(Box<Invocation>),
    /// The API no longer returns the record.
    Gone,
    /// Terraform stopped the provider or dropped the stream.
    Cancelled,
    /// The record could not be read (after the client's retries).
    Unreadable(String),
}

/// Waits until every instance of `invoke_id` has finished, reporting through `progress`.
pub async fn follow(watcher: &Watcher, region: &str, invoke_id: &str, progress: &ActionProgress) -> Outcome {
    let mut watch = watcher.watch(region, invoke_id, Until::Finished);
    let cancel = progress.cancellation();
    let started = Instant::now();
    let mut next_count = started + COUNT_EVERY;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let now = watch.progress();
        if let Some(record) = now.record() {
            for instance in &record.invoke_instances {
                let status = &instance.invocation_status;
                if seen.get(&instance.instance_id) != Some(status) {
                    seen.insert(instance.instance_id.clone(), status.clone());
                    progress.send(status_line(instance)).await;
                }
            }
        }
        match now {
            Progress::Done(record) => return Outcome::Finished(Box::new(record)),
            Progress::Gone(_) => return Outcome::Gone,
            Progress::Unreadable { error, .. } => return Outcome::Unreadable(error),
            Progress::Waiting(_) => {}
        }
        tokio::select! {
            changed = watch.changed() => if changed.is_none() {
                return Outcome::Cancelled;
            },
            () = cancel.cancelled() => return Outcome::Cancelled,
            () = tokio::time::sleep_until(next_count) => {
                next_count += COUNT_EVERY;
                if let Some(record) = watch.progress().record() {
                    progress.send(count_line(&record.invoke_instances, started.elapsed())).await;
                }
            }
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
        .filter(|i| i.invocation_status == "Running")
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
