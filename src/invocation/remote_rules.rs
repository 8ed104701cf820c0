//! Plan-time rules that need the API: they read the command's definition
//! (`DescribeCommands`) and the targeted instances (`DescribeInstances`) through the per-run
//! catalog and reject, before anything runs, what `InvokeCommand` would reject (the schedule
//! against the command's timeout in `schedule_rule`). Values still
//! unknown are skipped here and checked when the plan is made again at apply. The action
//! `alicloud_ecs_run_command` runs the same rules through [`command`], [`check_parameters`]
//! and [`check_instances`], which read plain values, not the resource's model.

use std::collections::BTreeMap;

use crate::invocation::schedule_rule;
use crate::provider::context::ProviderContext;
use crate::shared::api_errors;
use alicloud_client::api::command::MAX_ENCODED_CONTENT_BYTES;
use alicloud_client::api::invoke_command::encoded_content_size;
use alicloud_client::{Command, Instance};
use tfplug::{Attr, AttributePath, Diagnostics};

use crate::invocation::resource::InvocationModel;

/// Runs every remote rule on a planned (or about to be created) object.
pub async fn check(context: &ProviderContext, object: &InvocationModel, diags: &mut Diagnostics) {
    // Every rule reads the region's commands or instances: an unknown region waits for apply.
    if object.region_id.is_unknown() {
        return;
    }
    let region = context.region_of(&object.region_id).to_string();
    let command = match object.command_id.get() {
        Some(command_id) => self::command(context, &region, command_id, diags).await,
        None => None,
    };
    if let Some(command) = &command {
        // Write-only values are in the object here: the framework hands them in from the
        // configuration at plan and apply.
        check_parameters(
            command,
            "parameters",
            &object.parameters,
            ContentLimit::INVOKE,
            diags,
        );
        check_parameters(
            command,
            "parameters_wo",
            &object.parameters_wo,
            ContentLimit::INVOKE,
            diags,
        );
    }
    check_instances(
        context,
        &region,
        command.as_ref(),
        &object.instance_ids,
        ContentLimit::INVOKE.api,
        diags,
    )
    .await;
    schedule_rule::check(command.as_ref(), object, diags);
}

/// The size rule an API applies to content and parameters together.
#[derive(Debug, Clone, Copy)]
pub struct ContentLimit {
    pub api: &'static str,
    pub bytes: usize,
}

impl ContentLimit {
    pub const INVOKE: ContentLimit = ContentLimit {
        api: "InvokeCommand",
        bytes: MAX_ENCODED_CONTENT_BYTES,
    };
}

/// The command's definition; `None` with the reason in `diags` (`InvalidCmdId.NotFound`).
pub async fn command(
    context: &ProviderContext,
    region: &str,
    command_id: &str,
    diags: &mut Diagnostics,
) -> Option<Command> {
    match context.catalog.command(&context.client, region, command_id).await {
        Ok(Some(command)) => Some(command),
        Ok(None) => {
            diags.error_at(
                AttributePath::attr("command_id"),
                "Command not found",
                format!(
                    "Command {command_id:?} does not exist in region {region} (DescribeCommands \
                     returns nothing for it); InvokeCommand would fail with InvalidCmdId.NotFound."
                ),
            );
            None
        }
        Err(error) => {
            api_errors::report(diags, "Cannot read the command's definition", &error);
            None
        }
    }
}

/// `Parameter.Disabled`, `Parameter.NotMatched` and `CmdContent.ExceedLimit` (`command`'s
/// content in Base64, as `DescribeCommands` returns it).
pub fn check_parameters(
    command: &Command,
    attribute: &str,
    parameters: &Attr<BTreeMap<String, Attr<String>>>,
    limit: ContentLimit,
    diags: &mut Diagnostics,
) {
    let api = limit.api;
    let path = AttributePath::attr(attribute);
    let Some(entries) = parameters.resolved() else {
        return;
    };
    let entries = entries.cloned().unwrap_or_default();
    if entries.values().any(Attr::is_unknown) {
        return;
    }
    if !entries.is_empty() && !command.enable_parameter {
        diags.error_at(
            path,
            "Command does not take parameters",
            format!(
                "Command {} was created without custom parameters (EnableParameter is false), so \
                 `{attribute}` must be left out; {api} would fail with Parameter.Disabled.",
                command.command_id
            ),
        );
        return;
    }
    for name in entries.keys() {
        if !command.parameter_names.iter().any(|defined| defined == name) {
            diags.error_at(
                path.key(name),
                "Unknown parameter",
                format!(
                    "Command {} defines the parameters [{}]; {name:?} is not one of them. {api} \
                     would fail with Parameter.NotMatched.",
                    command.command_id,
                    command.parameter_names.join(", ")
                ),
            );
        }
    }
    let values: BTreeMap<&str, &str> = entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref().unwrap_or_default()))
        .collect();
    let json = (!values.is_empty()).then(|| serde_json::to_string(&values).unwrap_or_default());
    let size = encoded_content_size(&command.command_content, json.as_deref());
    let max = limit.bytes;
    if size > max {
        diags.error_at(
            path,
            "Command content and parameters too large",
            format!(
                "Once Base64-encoded, the command content and the parameters take {size} bytes; the \
                 limit is {max}. {api} would fail with CmdContent.ExceedLimit."
            ),
        );
    }
}

/// `InvalidInstance.NotFound` and `InvalidInstance.NotMatch`, as `api` (the call that would
/// run the command) would answer.
pub async fn check_instances(
    context: &ProviderContext,
    region: &str,
    command: Option<&Command>,
    instance_ids: &Attr<Vec<Attr<String>>>,
    api: &str,
    diags: &mut Diagnostics,
) {
    let Some(ids) = instance_ids.get() else {
        return;
    };
    let known: Vec<(usize, String)> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.get().map(|s| (i, s.clone())))
        .collect();
    if known.is_empty() {
        return;
    }
    let wanted: Vec<String> = known.iter().map(|(_, id)| id.clone()).collect();
    let found = match context.catalog.instances(&context.client, region, &wanted).await {
        Ok(found) => found,
        Err(error) => {
            api_errors::report(diags, "Cannot read the target instances", &error);
            return;
        }
    };
    for ((index, id), instance) in known.iter().zip(found) {
        let path = AttributePath::attr("instance_ids").index(*index);
        match instance {
            None => diags.error_at(
                path,
                "Instance not found",
                format!(
                    "Instance {id:?} does not exist in region {region}; {api} would fail with \
                     InvalidInstance.NotFound."
                ),
            ),
            Some(instance) => {
                if let Some(reason) = mismatch(&instance, command) {
                    diags.error_at(
                        path,
                        "Instance cannot run this command",
                        format!("Instance {id}: {reason}; {api} would fail with InvalidInstance.NotMatch."),
                    );
                }
            }
        }
    }
}

/// Why Cloud Assistant would refuse to run `command` on `instance`, if it would.
fn mismatch(instance: &Instance, command: Option<&Command>) -> Option<String> {
    if instance.status != "Running" {
        return Some(format!(
            "it is {}, and commands run only on Running instances",
            if instance.status.is_empty() {
                "in an unknown state"
            } else {
                &instance.status
            }
        ));
    }
    let command = command?;
    let windows = instance.os_type.eq_ignore_ascii_case("windows");
    let needs_windows = command.command_type.known()?.runs_on_windows();
    (windows != needs_windows).then(|| {
        format!(
            "it runs {}, and command {} is a {} command",
            if windows { "Windows" } else { "Linux" },
            command.command_id,
            command.command_type
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(enable_parameter: bool, names: &[&str], content_len: usize) -> Command {
        Command {
            command_id: "c-test".into(),
            command_type: "RunShellScript".into(),
            enable_parameter,
            parameter_names: names.iter().map(|n| n.to_string()).collect(),
            command_content: "A".repeat(content_len),
            ..Default::default()
        }
    }

    fn params(pairs: &[(&str, &str)]) -> Attr<BTreeMap<String, Attr<String>>> {
        Attr::Known(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Attr::known(*v)))
                .collect(),
        )
    }

    fn codes(diags: &Diagnostics) -> Vec<String> {
        diags.iter().map(|d| d.detail.clone()).collect()
    }

    #[test]
    fn parameters_on_a_command_without_them_are_refused() {
        let mut diags = Diagnostics::new();
        check_parameters(
            &command(false, &[], 10),
            "parameters",
            &params(&[("a", "1")]),
            ContentLimit::INVOKE,
            &mut diags,
        );
        assert!(codes(&diags)[0].contains("Parameter.Disabled"));
    }

    #[test]
    fn names_must_be_defined_by_the_command() {
        let mut diags = Diagnostics::new();
        check_parameters(
            &command(true, &["version"], 10),
            "parameters_wo",
            &params(&[("version", "1"), ("envv", "x")]),
            ContentLimit::INVOKE,
            &mut diags,
        );
        let all = codes(&diags);
        assert_eq!(all.len(), 1);
        assert!(all[0].contains("Parameter.NotMatched") && all[0].contains("\"envv\""));
        assert_eq!(
            diags.iter().next().unwrap().path,
            Some(AttributePath::attr("parameters_wo").key("envv"))
        );
    }

    #[test]
    fn size_limit_counts_content_and_parameters() {
        let mut diags = Diagnostics::new();
        check_parameters(
            &command(true, &["v"], MAX_ENCODED_CONTENT_BYTES - 12),
            "parameters",
            &params(&[("v", "")]),
            ContentLimit::INVOKE,
            &mut diags,
        );
        assert!(
            diags.is_empty(),
            "{{\"v\":\"\"}} is 12 bytes once encoded: {:?}",
            codes(&diags)
        );
        check_parameters(
            &command(true, &["v"], MAX_ENCODED_CONTENT_BYTES - 11),
            "parameters",
            &params(&[("v", "")]),
            ContentLimit::INVOKE,
            &mut diags,
        );
        assert!(codes(&diags)[0].contains("CmdContent.ExceedLimit"));
    }

    #[test]
    fn unknown_parameters_are_left_for_apply() {
        let mut diags = Diagnostics::new();
        let unknown = Attr::Known([("a".to_string(), Attr::Unknown)].into());
        check_parameters(
            &command(false, &[], 10),
            "parameters",
            &unknown,
            ContentLimit::INVOKE,
            &mut diags,
        );
        assert!(diags.is_empty());
    }

    #[test]
    fn instance_state_and_os_must_fit_the_command() {
        let linux = Instance {
            status: "Running".into(),
            os_type: "linux".into(),
            ..Default::default()
        };
        let windows = Instance {
            os_type: "windows".into(),
            ..linux.clone()
        };
        let stopped = Instance {
            status: "Stopped".into(),
            ..linux.clone()
        };
        let shell = command(false, &[], 1);
        let bat = Command {
            command_type: "RunBatScript".into(),
            ..shell.clone()
        };
        assert_eq!(mismatch(&linux, Some(&shell)), None);
        assert_eq!(mismatch(&windows, Some(&bat)), None);
        assert!(mismatch(&windows, Some(&shell)).unwrap().contains("Windows"));
        assert!(mismatch(&linux, Some(&bat)).unwrap().contains("RunBatScript"));
        assert!(mismatch(&stopped, None).unwrap().contains("Stopped"));
    }
}
