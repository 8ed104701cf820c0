//! The one `InvokeCommand` of a create. Once sent, it is settled even when Terraform asks the
//! provider to stop: the command may already run, so its InvokeId must reach state. When its
//! outcome stays unknown (the retries ran out after a request may have taken effect), the
//! invocation it may have created is looked up: exactly one match is adopted (kept in state
//! with a warning that names it), so the next apply does not run the command again; several
//! are named for `terraform import`; none means nothing ran.

use chrono::{DateTime, TimeDelta, Utc};

use crate::invocation::state::InvocationArgs;
use crate::provider::context::ProviderContext;
use crate::shared::api_errors;
use crate::shared::logs;
use crate::shared::watcher::LISTING_GRACE;
use alicloud_client::{ClientError, DescribeInvocationsRequest, Invocation, PageRequest};
use tfplug::Diagnostics;

/// The caller's and the API's clocks may disagree; records this much older still count.
const CLOCK_SKEW: TimeDelta = TimeDelta::seconds(30);
const PAGE_SIZE: u32 = 50;
/// Pages read at most (newest first), which reaches back far enough for any one apply.
const MAX_PAGES: u32 = 20;
/// Between two searches for an invocation the API may not list yet.
const SEARCH_AGAIN: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs `InvokeCommand` for `args`; the InvokeId, or `None` with the reason in `diags`.
pub async fn invoke(
    context: &ProviderContext,
    args: &InvocationArgs,
    diags: &mut Diagnostics,
) -> Option<String> {
    if context.client.cancellation_token().is_cancelled() {
        diags.error(
            "Stopped before InvokeCommand",
            "Terraform asked the provider to stop before this invocation was sent: nothing ran.",
        );
        return None;
    }
    let started = Utc::now();
    let outcome = {
        let _in_flight = context.ledger.begin();
        context.settle_client.invoke_command(&args.invoke_request()).await
    };
    let error = match outcome {
        Ok(invoked) => {
            context.ledger.claim(&invoked.invoke_id);
            logs::debug(
                "invocation created",
                &[
                    ("invoke_id", &invoked.invoke_id),
                    ("command_id", &args.command_id),
                    ("region_id", &args.region_id),
                ],
            );
            return Some(invoked.invoke_id);
        }
        Err(error) => error,
    };
    if error.is_refused() {
        diags.error(
            "InvokeCommand throttled: nothing ran",
            format!(
                "{error}\n\nEvery attempt was turned away unprocessed (Throttling) until the retries \
                 ran out: no invocation was created and the command did not run. Applying again later \
                 is safe."
            ),
        );
        return None;
    }
    if outcome_known(&error) {
        api_errors::report(diags, "InvokeCommand failed", &error);
        return None;
    }
    logs::debug(
        "InvokeCommand outcome unknown; looking for the invocation",
        &[("command_id", &args.command_id), ("region_id", &args.region_id)],
    );
    // An identical create still under way may have made a matching invocation: let it claim
    // its own first.
    context.ledger.settled(context.retry.deadline).await;
    let since = started - CLOCK_SKEW;
    let found = match search(context, args, since).await {
        Ok(mut found) if found.len() == 1 => {
            let only = found.remove(0);
            // A concurrent create may have just taken the same record: then it is not ours.
            if context.ledger.claim(&only.invoke_id) {
                diags.warning(
                    "InvokeCommand outcome unknown: invocation adopted",
                    adopted(&error, args, since, &only.invoke_id),
                );
                logs::debug(
                    "invocation adopted",
                    &[("invoke_id", &only.invoke_id), ("command_id", &args.command_id)],
                );
                return Some(only.invoke_id);
            }
            Ok(Vec::new())
        }
        other => other,
    };
    diags.error(
        "InvokeCommand outcome unknown",
        explain(&error, args, since, &found),
    );
    None
}

/// The candidates; when there are none yet, looked for again until [`LISTING_GRACE`] has
/// passed, since the API may list a new invocation late and "none" tells the user that
/// applying again is safe.
async fn search(
    context: &ProviderContext,
    args: &InvocationArgs,
    since: DateTime<Utc>,
) -> Result<Vec<Invocation>, ClientError> {
    let give_up = tokio::time::Instant::now() + LISTING_GRACE;
    loop {
        let found = candidates(context, args, since).await;
        if !matches!(&found, Ok(none) if none.is_empty()) || tokio::time::Instant::now() >= give_up {
            return found;
        }
        tokio::time::sleep(SEARCH_AGAIN).await;
    }
}

/// A final answer of the API, or retries that ran out on throttling with no attempt that may
/// have done the work, mean nothing was created; anything else (retries exhausted on 5xx
/// answers, dropped connections or timeouts, an unreadable answer) may hide a success.
fn outcome_known(error: &ClientError) -> bool {
    match error {
        ClientError::Api(api) => !api.is_retryable() || api.is_refused(),
        ClientError::DeadlineExceeded { .. } => error.is_refused(),
        ClientError::InvalidRequest(_)
        | ClientError::Config(_)
        | ClientError::Credentials(_)
        | ClientError::Unauthorized { .. } => true,
        ClientError::Transport { .. }
        | ClientError::UnexpectedResponse { .. }
        | ClientError::Cancelled { .. } => false,
    }
}

/// Invocations created since `since` with exactly these arguments that no other resource of
/// this run holds, newest first.
async fn candidates(
    context: &ProviderContext,
    args: &InvocationArgs,
    since: DateTime<Utc>,
) -> Result<Vec<Invocation>, ClientError> {
    let mut found = Vec::new();
    for page in 1..=MAX_PAGES {
        let request = DescribeInvocationsRequest {
            region_id: Some(args.region_id.clone()),
            command_id: Some(args.command_id.clone()),
            instance_id: args.instance_ids.first().cloned(),
            page: PageRequest {
                page_number: Some(page),
                page_size: Some(PAGE_SIZE),
                ..Default::default()
            },
            ..Default::default()
        };
        let listed = context.settle_client.describe_invocations(&request).await?;
        let full_page = listed.invocations.len() >= PAGE_SIZE as usize;
        let mut reached_older = false;
        for record in listed.invocations {
            // A time that cannot be read is not evidence of age: the record stays a candidate.
            if created_at(&record).is_some_and(|at| at < since) {
                reached_older = true;
            } else if args.describes(&record) && !context.ledger.is_claimed(&record.invoke_id) {
                found.push(record);
            }
        }
        if reached_older || !full_page {
            break;
        }
    }
    Ok(found)
}

fn created_at(record: &Invocation) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&record.creation_time)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// What the search cannot see: Terraform gives a create no view of other resources' state.
const SOMEONE_ELSE: &str = "A match could still belong to someone else: a resource already in \
     state with the same arguments (created in an earlier apply), or another run.";

/// The command that finds a resource already holding an invocation.
fn who_holds(id: &str) -> String {
    format!("`terraform show -json | grep {id}`")
}

/// What the search looked through.
fn scope(args: &InvocationArgs, since: DateTime<Utc>) -> String {
    format!(
        "invocations of command {} on instance {} created since {}",
        args.command_id,
        args.instance_ids.first().map_or("-", String::as_str),
        since.format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// The warning of an adoption: what failed, which invocation was taken and why, and how to
/// let it go if it is not this resource's.
fn adopted(error: &ClientError, args: &InvocationArgs, since: DateTime<Utc>, id: &str) -> String {
    format!(
        "{error}\n\nThe request most likely took effect: invocation {id} is the only one of the \
         {} with exactly this resource's arguments that no other create of this apply holds. It is \
         kept in state as this resource's and waited on, so the command does not run a second \
         time. {SOMEONE_ELSE} {} finds a resource holding it. If it is not this resource's, \
         `terraform state rm ADDRESS` (ADDRESS is this resource's address, shown with this \
         warning) forgets it without stopping it; the next apply then runs the command again in a \
         new invocation. (`terraform apply -replace=ADDRESS` would run it again too, but its \
         destroy stops a periodic invocation, someone else's included.)",
        scope(args, since),
        who_holds(id)
    )
}

/// The error's detail when nothing was adopted: what failed, then what became of the
/// invocation and what to do.
fn explain(
    error: &ClientError,
    args: &InvocationArgs,
    since: DateTime<Utc>,
    found: &Result<Vec<Invocation>, ClientError>,
) -> String {
    let region = &args.region_id;
    let scope = scope(args, since);
    let import = |id: &str| format!("  terraform import ADDRESS {region}:{id}");
    let advice = match found {
        Ok(none) if none.is_empty() => format!(
            "No invocation with this resource's arguments is listed among the {scope}, looked for \
             during {}s (the API may list a new invocation late): the command did not run, and \
             applying again is safe.",
            LISTING_GRACE.as_secs()
        ),
        Ok(many) => format!(
            "The request may have taken effect: {} of the {scope} have exactly this resource's \
             arguments and no other create of this apply holds them, so none is adopted. \
             {SOMEONE_ELSE} Before importing, make sure no resource holds it ({}). Import the one \
             that is this resource's, where ADDRESS is its address (shown with this error), instead \
             of applying again:\n\n{}",
            many.len(),
            who_holds("INVOKE_ID"),
            many.iter()
                .map(|r| import(&r.invoke_id))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(lookup) => format!(
            "The request may have taken effect, and looking for the invocation failed too ({lookup}). \
             Before applying again, which could run the command a second time, list the {scope} \
             (DescribeInvocations) and import the one with this resource's arguments, where \
             ADDRESS is this resource's address (shown with this error):\n\n{}",
            import("INVOKE_ID")
        ),
    };
    format!("{error}\n\n{advice}")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use alicloud_client::{ApiError, ClientConfig, Credentials, EcsClient, RetryPolicy, TransportKind};

    fn api(status: u16, code: &str) -> ClientError {
        ClientError::Api(Box::new(ApiError {
            action: "InvokeCommand",
            status,
            code: code.into(),
            message: "m".into(),
            request_id: "R".into(),
            host_id: String::new(),
            recommend: String::new(),
        }))
    }

    fn args() -> InvocationArgs {
        InvocationArgs::example()
    }

    fn record(id: &str) -> Invocation {
        Invocation {
            invoke_id: id.into(),
            ..Default::default()
        }
    }

    /// After StopProvider nothing is sent: the endpoint listens, and no connection reaches it.
    #[tokio::test]
    async fn nothing_is_sent_once_stopped() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let mut config = ClientConfig::new(Credentials::new("ak", "secret"), "cn-hangzhou");
        config.endpoint = Some(format!("http://{}", listener.local_addr().unwrap()));
        let settle_client = EcsClient::new(config.clone()).unwrap();
        config.cancel.cancel();
        let client = EcsClient::new(config).unwrap();
        let context = ProviderContext {
            watcher: crate::shared::watcher::Watcher::new(client.clone()),
            client,
            settle_client,
            retry: RetryPolicy::default(),
            region: "cn-hangzhou".into(),
            catalog: Default::default(),
            ledger: Default::default(),
        };
        let mut diags = Diagnostics::new();
        assert_eq!(invoke(&context, &args(), &mut diags).await, None);
        let accepted = listener.accept();
        assert!(
            matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a connection was made: {accepted:?}"
        );
        let first = diags.iter().next().unwrap();
        assert_eq!(first.summary, "Stopped before InvokeCommand");
        assert!(first.detail.contains("nothing ran"));
    }

    #[test]
    fn only_final_api_answers_settle_the_outcome() {
        assert!(outcome_known(&api(404, "InvalidCmdId.NotFound")));
        assert!(outcome_known(&api(403, "Invocation.ExceedQuota")));
        assert!(!outcome_known(&api(500, "InternalError")));
        let timeout = ClientError::Transport {
            action: "InvokeCommand",
            kind: TransportKind::Timeout,
            endpoint: "http://127.0.0.1:1/".into(),
            detail: "slow".into(),
        };
        assert!(!outcome_known(&timeout));
        assert!(!outcome_known(&ClientError::DeadlineExceeded {
            action: "InvokeCommand",
            attempts: 3,
            deadline: Duration::from_secs(2),
            last: Box::new(api(500, "InternalError")),
        }));
        // Throttled to the end: turned away every time, so nothing ran.
        assert!(outcome_known(&api(400, "Throttling")));
        assert!(outcome_known(&ClientError::DeadlineExceeded {
            action: "InvokeCommand",
            attempts: 3,
            deadline: Duration::from_secs(2),
            last: Box::new(api(400, "Throttling.User")),
        }));
    }

    #[test]
    fn one_candidate_is_adopted_with_a_way_out() {
        let text = adopted(&api(500, "InternalError"), &args(), Utc::now(), "t-9");
        assert!(
            text.starts_with("InvokeCommand failed (HTTP 500, InternalError)"),
            "{text}"
        );
        assert!(text.contains("invocation t-9 is the only one"), "{text}");
        assert!(text.contains("terraform state rm ADDRESS"), "{text}");
        assert!(text.contains("could still belong to someone else"), "{text}");
        assert!(!text.contains("terraform import"), "{text}");
    }

    #[test]
    fn no_candidate_means_apply_again_and_many_are_all_listed() {
        let since = Utc::now();
        let none = explain(&api(500, "InternalError"), &args(), since, &Ok(vec![]));
        assert!(none.contains("applying again is safe"), "{none}");
        assert!(!none.contains("terraform import"), "{none}");
        let many = explain(
            &api(500, "InternalError"),
            &args(),
            since,
            &Ok(vec![record("t-1"), record("t-2")]),
        );
        assert!(
            many.contains("cn-hangzhou:t-1") && many.contains("cn-hangzhou:t-2"),
            "{many}"
        );
        let failed = explain(
            &api(500, "InternalError"),
            &args(),
            since,
            &Err(api(503, "ServiceUnavailable")),
        );
        assert!(
            failed.contains("ServiceUnavailable") && failed.contains("INVOKE_ID"),
            "{failed}"
        );
    }
}
