//! The verdict an interrupted create still owes. When Ctrl-C cuts a create's wait short, the
//! apply never says whether the command failed; the resource's private state remembers that
//! (key `verdict_owed`) until the user has been told:
//! - a refresh that finds the run ended clears it when every instance succeeded, or, under
//!   `on_failure = "continue"` in state, after a warning with the failure report;
//! - a failure under `on_failure = "fail"` is the plan's to report, because only the plan
//!   knows the configured mode: with `"fail"` configured, plan and apply stop with an error
//!   until the user runs the command again (`terraform taint`, a changed `triggers`) or
//!   accepts it with `on_failure = "continue"`, which warns once and clears it at apply.
//!   Terraform asks for that plan before `-replace` and before a destroy too, so neither gets
//!   past the error (a destroy does with `-refresh=false`).

use serde_json::Value as Json;
use tfplug::{Attr, AttributePath, Diagnostics, PlanRequest, Private};

use crate::invocation::completion::failure_title;
use crate::invocation::resource::InvocationModel;
use crate::invocation::results::{all_finished, failure_report, failures};
use crate::invocation::state::parse_parameters;
use crate::provider::context::ProviderContext;
use crate::shared::watcher::final_read;
use alicloud_client::Invocation;

const KEY: &str = "verdict_owed";

/// Whether `on_failure` (null: its default) makes a failed instance an error.
pub fn fails_on_failure(on_failure: &Attr<String>) -> bool {
    on_failure.as_deref().is_none_or(|mode| mode == "fail")
}

/// Records whether the create owes a verdict: set when its wait was cut short, cleared
/// otherwise (a replaced object's plan may carry the key over).
pub fn owe(private: &mut Private, owed: bool) {
    if owed {
        private.set(KEY, Json::Bool(true));
    } else {
        private.remove(KEY);
    }
}

fn owed(private: &Private) -> bool {
    private.get(KEY) == Some(Json::Bool(true))
}

/// Where the run of an invocation that owes its verdict stands.
enum Outcome {
    Running,
    Succeeded,
    /// The failure report, every parameter value the record holds scrubbed (write-only ones
    /// included).
    Failed(String),
}

fn outcome(record: &Invocation) -> Outcome {
    if !all_finished(record) {
        return Outcome::Running;
    }
    if failures(record).is_empty() {
        return Outcome::Succeeded;
    }
    let parameters = parse_parameters(record.parameters.expose()).unwrap_or_default();
    Outcome::Failed(failure_report(record, &parameters))
}

fn warn_accepted(record: &Invocation, report: String, diags: &mut Diagnostics) {
    diags.warning(
        failure_title(record),
        format!(
            "{report}\n\nThe apply that created this invocation was interrupted while waiting, so this \
             is reported now. `on_failure = \"continue\"`: the failure is accepted and the command is not \
             run again; see `results`."
        ),
    );
}

/// A refresh of an invocation that owes a verdict: `record` as read, `None` when the API no
/// longer returns it.
pub fn on_refresh(
    record: Option<&Invocation>,
    state: &InvocationModel,
    private: &mut Private,
    diags: &mut Diagnostics,
) {
    if !owed(private) {
        return;
    }
    let Some(record) = record else {
        diags.warning(
            "Outcome never reported",
            format!(
                "The apply that created invocation {} was interrupted while waiting, and its record \
                 expired before the run was seen to end: whether the command failed on any instance cannot \
                 be known. `results` holds what was last read.",
                state.invoke_id.as_deref().unwrap_or_default()
            ),
        );
        owe(private, false);
        return;
    };
    match outcome(record) {
        Outcome::Running => {}
        Outcome::Succeeded => owe(private, false),
        Outcome::Failed(report) if !fails_on_failure(&state.on_failure) => {
            warn_accepted(record, report, diags);
            owe(private, false);
        }
        // The configured mode may differ from the state's: the plan decides.
        Outcome::Failed(_) => {}
    }
}

/// The plan of an existing invocation: a failure still owed is an error under the configured
/// `on_failure = "fail"`, a warning under `"continue"` (and cleared by the apply that stores
/// that mode). A plan that replaces the invocation runs the command again: nothing to say.
pub async fn on_plan(
    context: &ProviderContext,
    prior: &InvocationModel,
    request: PlanRequest<'_, InvocationModel>,
    diags: &mut Diagnostics,
) {
    if !owed(request.private) || !request.requires_replace.is_empty() {
        return;
    }
    let config = request.config;
    let Some(invoke_id) = prior.invoke_id.get() else {
        return;
    };
    let region = context.region_of(&prior.region_id);
    // Unreadable now: the refresh has said why; the verdict waits for the next plan.
    let Ok(Some(record)) = final_read(&context.client, region, invoke_id).await else {
        return;
    };
    let Outcome::Failed(report) = outcome(&record) else {
        return;
    };
    if !fails_on_failure(&config.on_failure) {
        warn_accepted(&record, report, diags);
        owe(request.private, false);
        return;
    }
    diags.error_at(
        AttributePath::attr("on_failure"),
        failure_title(&record),
        format!(
            "{report}\n\nThe apply that created this invocation was interrupted while waiting, so this \
             failure was not reported then. With `on_failure = \"fail\"` (the default), plan and apply \
             stop here until you decide:\n- to run the command again: `terraform taint ADDRESS` (the \
             address above), then apply; or change `triggers`;\n- to accept the failed instances: set \
             `on_failure = \"continue\"` and apply; the failure is then reported once, as a warning.\n\
             (`terraform destroy` stops here too, as it plans the configuration first: accept the \
             failure, or destroy with `-refresh=false`.)"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_client::{InvokeInstance, SecretString};
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    const SECRET: &str = "hunter2-token";

    fn record(statuses: &[(&str, i64)]) -> Invocation {
        Invocation {
            invoke_id: "t-1".into(),
            invocation_status: "PartialFailed".into(),
            parameters: SecretString::new(format!(r#"{{"token":"{SECRET}"}}"#)),
            invoke_instances: statuses
                .iter()
                .enumerate()
                .map(|(n, (status, exit))| InvokeInstance {
                    instance_id: format!("i-{n}"),
                    invocation_status: (*status).into(),
                    exit_code: Some(*exit),
                    output: SecretString::new(STANDARD.encode(format!("using {SECRET}"))),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn state(on_failure: Option<&str>) -> InvocationModel {
        InvocationModel {
            invoke_id: Attr::known("t-1"),
            on_failure: Attr::from_option(on_failure.map(str::to_string)),
            ..Default::default()
        }
    }

    /// Runs a refresh of an invocation that owes its verdict: whether it still does, and the
    /// diagnostics (severity and text).
    fn refresh(record: Option<&Invocation>, on_failure: Option<&str>) -> (bool, Vec<String>) {
        let mut private = Private::default();
        owe(&mut private, true);
        let mut diags = Diagnostics::new();
        on_refresh(record, &state(on_failure), &mut private, &mut diags);
        let said = diags
            .iter()
            .map(|d| format!("{:?}: {} {}", d.severity, d.summary, d.detail))
            .collect();
        (owed(&private), said)
    }

    #[test]
    fn a_run_still_going_still_owes_its_verdict() {
        assert_eq!(refresh(Some(&record(&[("Running", 0)])), None), (true, vec![]));
    }

    #[test]
    fn a_success_is_cleared_silently() {
        assert_eq!(refresh(Some(&record(&[("Success", 0)])), None), (false, vec![]));
    }

    #[test]
    fn a_failure_under_fail_is_left_to_the_plan() {
        let failed = record(&[("Success", 0), ("Failed", 1)]);
        assert_eq!(refresh(Some(&failed), None), (true, vec![]));
        assert_eq!(refresh(Some(&failed), Some("fail")), (true, vec![]));
    }

    #[test]
    fn a_failure_under_continue_warns_once_without_parameter_values() {
        let (still_owed, said) = refresh(Some(&record(&[("Failed", 1)])), Some("continue"));
        assert!(!still_owed);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].starts_with("Warning: Command failed on 1 of 1 instances"),
            "{said:?}"
        );
        assert!(said[0].contains("i-0: status Failed, exit code 1"), "{said:?}");
        assert!(!said[0].contains(SECRET), "{said:?}");
    }

    #[test]
    fn a_record_gone_says_the_outcome_cannot_be_known() {
        let (still_owed, said) = refresh(None, None);
        assert!(!still_owed);
        assert!(
            said[0].contains("Outcome never reported") && said[0].contains("t-1"),
            "{said:?}"
        );
    }

    #[test]
    fn nothing_is_said_when_nothing_is_owed() {
        let mut private = Private::default();
        let mut diags = Diagnostics::new();
        on_refresh(
            Some(&record(&[("Failed", 1)])),
            &state(Some("continue")),
            &mut private,
            &mut diags,
        );
        assert!(diags.is_empty());
        assert!(private.into_bytes().is_empty());
    }
}
