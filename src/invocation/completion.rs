//! A create's wait for its invocation (`wait_for_completion`): how long it may take (the
//! `timeouts { create }` block, else the run's timeout plus a delivery margin), and what each
//! way the wait ends does to the apply: results stored; failed instances an error (or, with
//! `on_failure = "continue"`, a warning); interrupted, timed out or no longer listed, the
//! InvokeId kept with a message that the command may still run.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::invocation::results::{failure_report, failures, results};
use crate::provider::context::ProviderContext;
use crate::shared::wait::Waited;
use crate::shared::watcher::LISTING_GRACE;
use alicloud_client::Invocation;
use tfplug::Diagnostics;

/// Time for delivery to the agent and for reporting back, on top of the run's own timeout
/// (an undelivered run is `Aborted` after about a minute).
const DELIVERY_MARGIN: Duration = Duration::from_secs(120);
/// The API's default run timeout, when the command's cannot be read.
const DEFAULT_RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// What the create knows of the invocation it waits on.
pub struct Target<'a> {
    pub region: &'a str,
    pub invoke_id: &'a str,
    pub command_id: &'a str,
    pub periodic: bool,
    /// The `timeout` argument (seconds), if given.
    pub run_timeout: Option<u64>,
    /// `timeouts { create }` as configured.
    pub create_timeout: Option<Duration>,
    pub fail_on_failure: bool,
    pub parameters: &'a BTreeMap<String, String>,
}

/// The limit of the wait: the configured create timeout, else the run's timeout (the
/// argument, else the command's from `DescribeCommands`) plus the delivery margin.
pub async fn limit(context: &ProviderContext, target: &Target<'_>) -> Duration {
    if let Some(configured) = target.create_timeout {
        return configured;
    }
    let run = match target.run_timeout {
        Some(seconds) => Duration::from_secs(seconds),
        None => match context
            .catalog
            .command(&context.client, target.region, target.command_id)
            .await
        {
            Ok(Some(command)) => command
                .timeout
                .and_then(|t| u64::try_from(t).ok())
                .map_or(DEFAULT_RUN_TIMEOUT, Duration::from_secs),
            _ => DEFAULT_RUN_TIMEOUT,
        },
    };
    run + DELIVERY_MARGIN
}

/// What an apply that stopped following its invocation keeps, and what to do about it.
fn outcome_unknown(target: &Target<'_>) -> String {
    format!(
        "The InvokeId and the results last read are in state, marked tainted (the next apply runs the \
         command again; `terraform untaint` keeps this one). The command may still be running. {}",
        how_to_stop_created(target)
    )
}

/// How to stop a command that may still run (the resource's and the action's messages).
pub fn how_to_stop(region: &str, invoke_id: &str) -> String {
    format!(
        "To stop it: `aliyun ecs StopInvocation --RegionId {region} --InvokeId {invoke_id}` (or \
         StopInvocation in the console)."
    )
}

/// The same for a create, whose destroy stops only a periodic invocation.
fn how_to_stop_created(target: &Target<'_>) -> String {
    format!(
        "{} `terraform destroy` stops only a periodic invocation.",
        how_to_stop(target.region, target.invoke_id)
    )
}

/// The summary of a run that failed on some instances.
pub fn failure_title(record: &Invocation) -> String {
    format!(
        "Command failed on {} of {} instances",
        failures(record).len(),
        record.invoke_instances.len()
    )
}

/// Reports how the wait ended; the record to store, if one was read.
pub fn report(
    target: &Target<'_>,
    waited: Waited,
    limit: Duration,
    diags: &mut Diagnostics,
) -> Option<Invocation> {
    let id = target.invoke_id;
    match waited {
        Waited::Done(record) => {
            if !failures(&record).is_empty() && !target.periodic {
                let detail = failure_report(&record, target.parameters);
                if target.fail_on_failure {
                    diags.error(
                        failure_title(&record),
                        format!(
                            "{detail}\n\nThe resource is kept in state with its InvokeId and `results`, \
                             marked tainted: the next apply runs the command again. Set \
                             `on_failure = \"continue\"` to accept failed instances."
                        ),
                    );
                } else {
                    diags.warning(
                        failure_title(&record),
                        format!("{detail}\n\n`on_failure = \"continue\"`: the apply goes on; see `results`."),
                    );
                }
            }
            Some(record)
        }
        // How the command ended cannot be learnt: an error, so no verdict is taken for a success.
        Waited::Gone(last) => {
            let listed = match &last {
                Some(record) => format!("after listing it as {}", record.invocation_status),
                None => "without ever listing it".to_string(),
            };
            diags.error(
                "Invocation record not returned",
                format!(
                    "DescribeInvocations did not return invocation {id} in {} for {}s while waiting, \
                     {listed}, so how it ended is unknown. {}",
                    target.region,
                    LISTING_GRACE.as_secs(),
                    outcome_unknown(target)
                ),
            );
            last
        }
        // Not an error: the invocation exists and stays in state untainted, so the next apply
        // does not run it a second time; Terraform reports the interrupt itself.
        Waited::Stopped(last) => {
            diags.warning(
                "Stopped waiting for the invocation",
                format!(
                    "Terraform asked the provider to stop while waiting for {id}. The InvokeId and the \
                     results last read are in state; the command may still be running. {} The next \
                     refresh updates `results`{}.",
                    how_to_stop_created(target),
                    if target.periodic {
                        ""
                    } else {
                        ", and the first plan after the run has ended says whether it failed"
                    }
                ),
            );
            last
        }
        Waited::TimedOut(last) => {
            diags.error(
                "Timed out waiting for the invocation",
                format!(
                    "Invocation {id} had not finished after {limit:?} (`timeouts {{ create }}`). {}",
                    outcome_unknown(target)
                ),
            );
            last
        }
        Waited::Unreadable { last, error } => {
            diags.error(
                "Cannot follow the invocation",
                format!(
                    "The progress of invocation {id} cannot be read: {error}. {}",
                    outcome_unknown(target)
                ),
            );
            last
        }
    }
}

/// `results` for the record, or none read yet; `hidden` values are scrubbed from the output.
pub fn stored_results(
    record: Option<&Invocation>,
    hidden: &BTreeMap<String, String>,
) -> Vec<crate::invocation::results::InstanceResult> {
    record.map(|r| results(r, hidden)).unwrap_or_default()
}
