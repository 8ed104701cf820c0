//! Waiting for one invocation to finish, for the action: polls `DescribeInvocations` for its
//! InvokeId with an adaptive interval (short while things change, longer while nothing
//! does), sleeps that stop at once on cancellation, and reports each instance's change of
//! status plus a throttled running count with the elapsed time. Its interface is one
//! function, so the shared per-process watcher can take its place later.

use std::collections::BTreeMap;
use std::time::Duration;

use alicloud_client::{ClientError, ContentEncoding, DescribeInvocationsRequest, EcsClient, InvokeInstance};
use tfplug::ActionProgress;
use tokio::time::Instant;

const FIRST_INTERVAL: Duration = Duration::from_millis(300);
const MAX_INTERVAL: Duration = Duration::from_secs(5);
/// The running count is repeated at most this often, so a 50-instance run stays readable.
const COUNT_EVERY: Duration = Duration::from_secs(10);

/// Per-instance statuses after which nothing more happens.
const FINAL: [&str; 8] = [
    "Success",
    "Failed",
    "Timeout",
    "Cancelled",
    "Stopped",
    "Terminated",
    "Error",
    "Invalid",
];

pub fn is_final(status: &str) -> bool {
    FINAL.contains(&status)
}

/// How the wait ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every instance reached a final status (their records, output in plain text).
    Finished(Vec<InvokeInstance>),
    /// Terraform stopped the provider or dropped the stream.
    Cancelled,
    /// The records could not be read.
    Failed(ClientError),
}

/// Waits until every instance of `invoke_id` has finished, reporting through `progress`.
pub async fn wait(client: &EcsClient, region: &str, invoke_id: &str, progress: &ActionProgress) -> Outcome {
    let request = DescribeInvocationsRequest {
        region_id: Some(region.to_string()),
        invoke_id: Some(invoke_id.to_string()),
        include_output: Some(true),
        content_encoding: Some(ContentEncoding::PlainText),
        ..Default::default()
    };
    let started = Instant::now();
    let mut last_count = started;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut interval = FIRST_INTERVAL;
    let cancel = progress.cancellation();
    loop {
        let answer = tokio::select! {
            () = cancel.cancelled() => return Outcome::Cancelled,
            answer = client.describe_invocations(&request) => answer,
        };
        let instances = match answer {
            Ok(found) => found
                .invocations
                .into_iter()
                .find(|i| i.invoke_id == invoke_id)
                .map(|i| i.invoke_instances)
                .unwrap_or_default(),
            Err(_) if cancel.is_cancelled() => return Outcome::Cancelled,
            Err(error) => return Outcome::Failed(error),
        };
        let mut changed = false;
        for instance in &instances {
            let status = &instance.invocation_status;
            if seen.get(&instance.instance_id) != Some(status) {
                seen.insert(instance.instance_id.clone(), status.clone());
                progress.send(status_line(instance)).await;
                changed = true;
            }
        }
        let done = instances
            .iter()
            .filter(|i| is_final(&i.invocation_status))
            .count();
        if !instances.is_empty() && done == instances.len() {
            return Outcome::Finished(instances);
        }
        let now = Instant::now();
        if now.duration_since(last_count) >= COUNT_EVERY {
            last_count = now;
            progress.send(count_line(&instances, done, now - started)).await;
        }
        interval = if changed {
            FIRST_INTERVAL
        } else {
            (interval * 3 / 2).min(MAX_INTERVAL)
        };
        tokio::select! {
            () = cancel.cancelled() => return Outcome::Cancelled,
            () = tokio::time::sleep(interval) => {}
        }
    }
}

fn status_line(instance: &InvokeInstance) -> String {
    match instance.exit_code {
        Some(code) if is_final(&instance.invocation_status) => format!(
            "{}: {} (exit code {code})",
            instance.instance_id, instance.invocation_status
        ),
        _ => format!("{}: {}", instance.instance_id, instance.invocation_status),
    }
}

fn count_line(instances: &[InvokeInstance], done: usize, elapsed: Duration) -> String {
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
        assert_eq!(
            status_line(&instance("Failed", Some(2))),
            "i-1: Failed (exit code 2)"
        );
        let all = [instance("Running", None), instance("Success", Some(0))];
        assert_eq!(
            count_line(&all, 1, Duration::from_secs(12)),
            "1/2 finished, 1 running (12s elapsed)"
        );
    }
}
