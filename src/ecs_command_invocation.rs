//! `alicloud_ecs_command_invocation`: one `InvokeCommand` call, kept by its `InvokeId`.
//!
//! Reads like the API reference: the schema holds each parameter with the rule that keeps
//! the API's error code from ever being reached (the code is named beside the rule); rules
//! that need the command's definition run in `plan` (see `remote_rules`). An invocation cannot
//! be changed, so every argument forces replacement.
//!
//! | error code | caught |
//! |---|---|
//! | `InstanceIds.ExceedLimit` | validate: `instance_ids` 1 to 50, none null |
//! | `MissingParam.Frequency` | validate: `frequency` required when `timed` |
//! | `InvalidParam.Frequency` | validate: `frequency` parsed (cron / rate / at), no spaces around it |
//! | `InvalidParam.Frequency` | plan: a run still ahead (exact in every zone given); runs at least the command's `Timeout` apart |
//! | (runs once, schedule ignored) | validate: `frequency` only with `timed = true` |
//! | `ParameterCount.ExceedLimit` | validate: at most 10 `parameters` |
//! | `ParameterKey.ExceedLimit` | validate: parameter names 1 to 64 characters |
//! | `ParameterKey.Duplicate` | cannot happen: an HCL map has unique keys |
//! | `Username.ExceedLimit` | validate: `username` at most 255 characters |
//! | `WindowsPasswordName.ExceedLimit` | validate: `windows_password_name` at most 255 characters |
//! | `InvalidCmdId.NotFound` | plan: `DescribeCommands` |
//! | `Parameter.Disabled` | plan: command's `EnableParameter` |
//! | `Parameter.NotMatched` | plan: command's `ParameterNames` |
//! | `CmdContent.ExceedLimit` | plan: Base64 content + parameters within 16 KB |
//! | `InvalidInstance.NotFound` | plan: `DescribeInstances` |
//! | `InvalidInstance.NotMatch` | plan: instance Running and of the command's OS |
//! | `RegionId.ApiNotSupported` | apply only: whether a region serves the API is the service's to say |
//! | `InternalError.Dispatch` | apply only: transient, retried with the same `ClientToken` |
//! | `Invocation.ExceedQuota` | apply only: the daily quota is counted by the service |

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::api_errors;
use super::context::ContextCell;
use super::frequency_rule::{FrequencyOnlyWhenTimed, ValidFrequency};
use super::import_id;
use super::invocation_state::{apply_record, InvocationArgs};
use super::{invoke, logs, remote_rules};
use alicloud_client::limits::{
    MAX_INSTANCES, MAX_PARAMETERS, MAX_PARAMETER_KEY_CHARS, MAX_USERNAME_CHARS,
    MAX_WINDOWS_PASSWORD_NAME_CHARS,
};
use alicloud_client::{DescribeInvocationsRequest, Invocation, StopInvocationRequest};
use tfplug::plan_modifiers::{DefaultValue, OrderInsensitive, RequiresReplace, UseStateForUnknown};
use tfplug::validators::{
    each, length_at_most, length_between, map_keys, no_null_items, not_empty, required_when, requires_with,
    size_at_most, size_between, unique_items,
};
use tfplug::{Attr, Attribute, Block, Diagnostics, Model, PlanRequest, Resource, Schema, Type, Value};

pub struct EcsCommandInvocation {
    context: ContextCell,
}

impl EcsCommandInvocation {
    pub fn new(context: ContextCell) -> Self {
        EcsCommandInvocation { context }
    }
}

tfplug::model! {
    /// The resource's object: one field per schema attribute, null and unknown carried by
    /// `Attr`. Instance IDs and parameter values may be unknown one by one at plan time.
    pub struct InvocationModel {
        command_id: String,
        instance_ids: Vec<Attr<String>>,
        region_id: String,
        timed: bool,
        frequency: String,
        parameters: BTreeMap<String, Attr<String>>,
        username: String,
        windows_password_name: String,
        id: String,
        invoke_id: String,
        invocation_status: String,
    }
}

fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(
            "Runs a Cloud Assistant command on ECS instances: one `InvokeCommand` call, whose \
             `InvokeId` is kept in state. An invocation cannot be changed: every argument forces a \
             new one. Destroying a periodic (`timed`) invocation stops it; a one-shot invocation is \
             only forgotten.",
        )
        .attribute(
            Attribute::required("command_id", Type::String)
                .describe("ID of the command to run (`CommandId`), e.g. `c-hz01...`.")
                .validate(not_empty())
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::required("instance_ids", Type::list(Type::String))
                .describe("Instances to run the command on (`InstanceId.N`); Running, with the Cloud Assistant agent.")
                .validate(size_between(1, MAX_INSTANCES)) // InstanceIds.ExceedLimit
                .validate(no_null_items())
                .validate(each(not_empty()))
                .validate(unique_items())
                // The API takes the instances as a set: a reorder runs nothing.
                .plan(OrderInsensitive)
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::optional_computed("region_id", Type::String)
                .describe("Region of the instances and the command (`RegionId`). Default: the provider's region.")
                .validate(not_empty())
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::optional_computed("timed", Type::Bool)
                .describe("Whether the command runs periodically on `frequency` (`Timed`). Default: `false`.")
                .plan(DefaultValue(Value::Bool(false)))
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::optional("frequency", Type::String)
                .describe(
                    "Schedule of a periodic invocation (`Frequency`); required when `timed = true`, \
                     refused otherwise.",
                )
                .validate(ValidFrequency) // InvalidParam.Frequency
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::optional("parameters", Type::map(Type::String))
                .describe(
                    "Values of the command's custom parameters (`Parameters`). Names must be defined by \
                     the command; values may be empty.",
                )
                .sensitive()
                .validate(size_at_most(MAX_PARAMETERS)) // ParameterCount.ExceedLimit
                .validate(map_keys(length_between(1, MAX_PARAMETER_KEY_CHARS))) // ParameterKey.ExceedLimit
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::optional("username", Type::String)
                .describe("User that runs the command (`Username`). Default: `root` on Linux, `System` on Windows.")
                .validate(length_at_most(MAX_USERNAME_CHARS)) // Username.ExceedLimit
                // The API reads "" as the default user and records its name, so "" would differ
                // from every refresh: leave `username` out instead.
                .validate(not_empty())
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::optional("windows_password_name", Type::String)
                .describe(
                    "Name of the Parameter Store secret holding the Windows password of `username` \
                     (`WindowsPasswordName`).",
                )
                .validate(not_empty())
                .validate(length_at_most(MAX_WINDOWS_PASSWORD_NAME_CHARS)) // WindowsPasswordName.ExceedLimit
                .plan(RequiresReplace),
        )
        .attribute(
            Attribute::computed("id", Type::String)
                .describe("The `InvokeId`.")
                .plan(UseStateForUnknown),
        )
        .attribute(
            Attribute::computed("invoke_id", Type::String)
                .describe("The `InvokeId`.")
                .plan(UseStateForUnknown),
        )
        .attribute(
            Attribute::computed("invocation_status", Type::String)
                .describe("The invocation's overall status as last read (`Running`, `Success`, `Scheduled`, ...).")
                .plan(UseStateForUnknown),
        )
        .validate(required_when("frequency", "timed", true)) // MissingParam.Frequency
        .validate(FrequencyOnlyWhenTimed) // not periodic: the schedule would be ignored
        .validate(requires_with("windows_password_name", "username")),
    )
}

#[async_trait]
impl Resource for EcsCommandInvocation {
    fn type_name(&self) -> &'static str {
        "alicloud_ecs_command_invocation"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn plan(&self, request: PlanRequest<'_>, planned: &mut Value, diags: &mut Diagnostics) {
        let Some(context) = self.context.get() else { return };
        // Only a new invocation is planned against the API; an existing one already ran.
        if request.prior_state.is_some() {
            return;
        }
        let Some(mut plan) = InvocationModel::read(planned, diags) else {
            return;
        };
        // Left out of the configuration, the region is the provider's, known now (the
        // framework plans an unset computed attribute as unknown).
        let configured_region = InvocationModel::read(request.config, diags).map(|c| c.region_id);
        if plan.region_id.is_null() || configured_region == Some(Attr::Null) {
            plan.region_id = Attr::known(context.region.as_str());
            *planned = plan.to_value();
        }
        remote_rules::check(&context, &plan, diags).await;
    }

    async fn create(&self, planned: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let context = self.context.require(diags)?;
        let mut state = InvocationModel::read(planned, diags)?;
        let Some(args) = InvocationArgs::from_model(&state, &context.region) else {
            diags.error(
                "Unknown values at apply",
                "Every argument must be known before InvokeCommand is called.",
            );
            return None;
        };
        // Values unknown at plan time are known now: the same rules, before anything runs.
        remote_rules::check(&context, &state, diags).await;
        if diags.has_errors() {
            return None;
        }
        let invoke_id = invoke::invoke(&context, &args, diags).await?;
        state.region_id = Attr::known(args.region_id.as_str());
        state.id = Attr::known(invoke_id.as_str());
        state.invoke_id = Attr::known(invoke_id.as_str());
        // The command runs whatever happens next, so the InvokeId is returned even if reading
        // the first status fails.
        let status = match describe(&context.client, &args.region_id, &invoke_id).await {
            Ok(Some(record)) => record.invocation_status,
            _ => "Pending".to_string(),
        };
        state.invocation_status = Attr::Known(status);
        Some(state.to_value())
    }

    async fn read(&self, state: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let context = self.context.require(diags)?;
        let mut refreshed = InvocationModel::read(state, diags)?;
        let invoke_id = refreshed.invoke_id.get().or(refreshed.id.get())?.clone();
        let region = context.region_of(&refreshed.region_id).to_string();
        // A bare import ID reads in the provider's region: state records it, so a
        // configuration naming that region plans no change.
        refreshed.region_id = Attr::known(region.as_str());
        let imported = refreshed.command_id.is_null();
        let timed = refreshed.timed.get() == Some(&true);
        match describe(&context.client, &region, &invoke_id).await {
            Ok(Some(record)) if record.timed && STOPPED.contains(&record.invocation_status.as_str()) => {
                diags.warning(
                    "Periodic invocation stopped outside Terraform",
                    format!(
                        "Invocation {invoke_id} in {region} is {} (StopInvocation was called outside \
                         Terraform), so its command no longer runs on schedule. It is dropped from state: \
                         the plan creates a new invocation to run it again.",
                        record.invocation_status
                    ),
                );
                return None;
            }
            Ok(Some(record)) => {
                logs::debug(
                    "invocation read",
                    &[
                        ("invoke_id", &invoke_id),
                        ("region_id", &region),
                        ("status", &record.invocation_status),
                    ],
                );
                apply_record(&mut refreshed, &record);
            }
            // Importing a record that does not exist: nothing to adopt.
            Ok(None) if imported => return None,
            Ok(None) => diags.warning(
                "Invocation record no longer returned",
                format!(
                    "DescribeInvocations no longer returns {invoke_id} in {region} (Cloud Assistant \
                     keeps records for a limited time). It stays in state as last read; the command \
                     is not run again."
                ),
            ),
            // A one-shot invocation needs no API call but this read: its record only refreshes
            // the status, so an unreachable API does not block a plan or a destroy.
            Err(error) if !timed && !imported => diags.warning(
                "Invocation status not refreshed",
                format!(
                    "{error}\n\nInvocation {invoke_id} stays in state as last read. A one-shot \
                     invocation needs no API call to be planned or destroyed."
                ),
            ),
            Err(error) => api_errors::report(diags, "DescribeInvocations failed", &error),
        }
        Some(refreshed.to_value())
    }

    async fn delete(&self, state: &Value, diags: &mut Diagnostics) {
        let Some(state) = InvocationModel::read(state, diags) else {
            return;
        };
        if state.timed.get() != Some(&true) {
            return; // A one-shot invocation has run or is running; it is only forgotten.
        }
        let Some(context) = self.context.require(diags) else {
            return;
        };
        let Some(invoke_id) = state.invoke_id.get() else {
            return;
        };
        let region = context.region_of(&state.region_id);
        let request = StopInvocationRequest {
            region_id: Some(region.to_string()),
            invoke_id: invoke_id.clone(),
            ..Default::default()
        };
        match context.client.stop_invocation(&request).await {
            Ok(_) => {}
            Err(error) if error.api_code() == Some("InvalidInvokeId.NotFound") => diags.warning(
                "Invocation record already gone",
                format!(
                    "StopInvocation found no invocation {invoke_id} in {region}: its record is gone, so \
                     there was nothing left to stop. It is removed from state."
                ),
            ),
            Err(error) => api_errors::report(diags, "StopInvocation failed", &error),
        }
    }

    async fn import(&self, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        let parsed = match import_id::parse(id, import_id::INVOKE_ID) {
            Ok(parsed) => parsed,
            Err(error) => {
                diags.error("Invalid import ID", error.to_string());
                return None;
            }
        };
        let state = InvocationModel {
            id: Attr::known(parsed.id.as_str()),
            invoke_id: Attr::known(parsed.id.as_str()),
            region_id: Attr::from_option(parsed.region),
            ..Default::default()
        };
        Some(state.to_value())
    }
}

/// Overall statuses of a periodic invocation that no longer runs on schedule.
const STOPPED: [&str; 2] = ["Stopping", "Stopped"];

/// The invocation's record, `None` when the API does not return it.
async fn describe(
    client: &alicloud_client::EcsClient,
    region: &str,
    invoke_id: &str,
) -> Result<Option<Invocation>, alicloud_client::ClientError> {
    let request = DescribeInvocationsRequest {
        region_id: Some(region.to_string()),
        invoke_id: Some(invoke_id.to_string()),
        ..Default::default()
    };
    let found = client.describe_invocations(&request).await?;
    Ok(found.invocations.into_iter().find(|i| i.invoke_id == invoke_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::validate_object;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut object = Value::null_object(&schema().block.implied_type());
        for (k, v) in pairs {
            object.set_attr(k, v.clone());
        }
        object
    }

    fn ids(n: usize) -> Value {
        Value::List((0..n).map(|i| Value::String(format!("i-{i}"))).collect())
    }

    fn errors_at(object: &Value) -> Vec<String> {
        validate_object(&schema().block, object)
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn the_model_matches_the_schema() {
        assert_eq!(tfplug::check_model::<InvocationModel>(&schema().block), Ok(()));
    }

    #[test]
    fn a_minimal_invocation_is_valid() {
        assert!(errors_at(&config(&[("command_id", "c-1".into()), ("instance_ids", ids(2))])).is_empty());
    }

    #[test]
    fn each_static_rule_names_its_attribute() {
        let base = [("command_id", Value::from("c-1")), ("instance_ids", ids(1))];
        let with = |extra: (&str, Value)| {
            let mut pairs = base.to_vec();
            pairs.push(extra);
            errors_at(&config(&pairs))
        };
        assert_eq!(with(("instance_ids", ids(51))), ["instance_ids"]);
        assert_eq!(with(("instance_ids", ids(0))), ["instance_ids"]);
        assert_eq!(with(("command_id", "".into())), ["command_id"]);
        assert_eq!(with(("timed", true.into())), ["frequency"]);
        assert_eq!(
            with(("frequency", "0,5 * * * * ?".into())),
            ["frequency", "frequency"]
        );
        assert_eq!(with(("frequency", "rate(5m)".into())), ["frequency"]);
        assert_eq!(with(("username", "u".repeat(256).into())), ["username"]);
        assert_eq!(
            with(("windows_password_name", "pw".into())),
            ["windows_password_name"]
        );
        let windows_user = |password_name: String| {
            let mut pairs = base.to_vec();
            pairs.extend([
                ("username", "u".into()),
                ("windows_password_name", password_name.into()),
            ]);
            errors_at(&config(&pairs))
        };
        assert_eq!(windows_user("p".repeat(256)), ["windows_password_name"]);
        assert!(windows_user("p".repeat(255)).is_empty());
        let eleven = Value::Map((0..11).map(|i| (format!("k{i}"), Value::from(""))).collect());
        assert_eq!(with(("parameters", eleven)), ["parameters"]);
        let long_key = Value::Map([("k".repeat(65), Value::from("v"))].into());
        assert_eq!(
            with(("parameters", long_key)),
            [format!("parameters[\"{}\"]", "k".repeat(65))]
        );
    }

    #[test]
    fn unknown_values_are_left_for_apply() {
        let object = config(&[
            ("command_id", Value::Unknown),
            ("instance_ids", Value::List(vec![Value::Unknown])),
            ("timed", Value::Unknown),
            ("parameters", Value::Unknown),
        ]);
        assert!(errors_at(&object).is_empty());
    }
}
