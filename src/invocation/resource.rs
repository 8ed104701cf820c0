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
//! | (secret stored in state) | validate: `parameters_wo` refused on Terraform before 1.11 (by tfplug) |
//! | `ParameterKey.Duplicate` | cannot happen: an HCL map has unique keys |
//! | `Username.ExceedLimit` | validate: `username` at most 255 characters |
//! | `WindowsPasswordName.ExceedLimit` | validate: `windows_password_name` at most 255 characters |
//! | `InvalidCmdId.NotFound` | plan: `DescribeCommands` |
//! | `Parameter.Disabled` | plan: command's `EnableParameter` |
//! | `Parameter.NotMatched` | plan: command's `ParameterNames` |
//! | `CmdContent.ExceedLimit` | plan: Base64 content + parameters within 16 KB |
//!
//! The `Parameter.*` and `CmdContent` rules hold for `parameters_wo` alike.
//! | `InvalidInstance.NotFound` | plan: `DescribeInstances` |
//! | `InvalidInstance.NotMatch` | plan: instance Running and of the command's OS |
//! | `RegionId.ApiNotSupported` | apply only: whether a region serves the API is the service's to say |
//! | `InternalError.Dispatch` | apply only: transient, retried with the same `ClientToken` |
//! | `Invocation.ExceedQuota` | apply only: the daily quota is counted by the service |
//! | `InvalidRepeatMode.NotFound` | validate: `repeat_mode` one of the four modes |
//! | `MissingParam.Frequency` | validate: `repeat_mode = "Period"` needs `timed = true` (and so `frequency`) |
//! | `InvalidParameter` (`Timeout`) | validate: `timeout` 10 to 86400 |
//! | `InvalidParameter.WorkingDir` | validate: `working_dir` at most 200 characters |
//! | `InvalidTerminationMode.NotFound` | validate: `termination_mode` `Process` or `ProcessTree` |
//! | `InvalidContainerId.Malformed` | validate: `container_id` (see `invoke_rules`) |
//! | `InvalidContainerName.Malformed` | validate: `container_name` |
//! | `InvalidParameter` | validate: a container without `username` or `working_dir` |
//! | `NumberExceed.Tags`, `MissingParameter.TagKey`, `InvalidTagKey.Malformed`, `InvalidTagValue.Malformed` | validate: `tags` |
//!
//! Completion (`wait_for_completion`, `on_failure`, `timeouts`, `results`) is in `completion`,
//! over the provider's one `watcher`.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::invocation::completion::{self, Target};
use crate::invocation::frequency_rule::{FrequencyOnlyWhenTimed, ValidFrequency};
use crate::invocation::invoke;
use crate::invocation::invoke_rules::{ContainerAlone, ContainerId, ContainerName, RepeatModeAgrees, Tags};
use crate::invocation::periodic_drift;
use crate::invocation::remote_rules;
use crate::invocation::results::{self, InstanceResult};
use crate::invocation::state::{apply_record, read_run_settings, InvocationArgs};
use crate::invocation::verdict::{self, fails_on_failure};
use crate::provider::context::ContextCell;
use crate::shared::api_errors;
use crate::shared::import_id;
use crate::shared::logs;
use crate::shared::run_args;
use crate::shared::wait::{self, Bounds, Waited};
use crate::shared::watcher::{final_read, Until};
use alicloud_client::api::invoke_command::TERMINATION_MODES;
use alicloud_client::{InvocationStatus, RepeatMode, StopInvocationRequest};
use tfplug::plan_modifiers::{DefaultValue, OrderInsensitive, RequiresReplace, UseStateForUnknown};
use tfplug::validators::{conflicts_with, not_empty, one_of, required_when, requires_with};
use tfplug::{
    Attr, Attribute, Block, Diagnostics, ImportIds, ImportedId, PlanRequest, Private, Resource, Schema,
    Timeouts, Type, Value,
};

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
        parameters_wo: BTreeMap<String, Attr<String>>,
        parameters_wo_version: String,
        username: String,
        windows_password_name: String,
        id: String,
        invoke_id: String,
        invocation_status: String,
        repeat_mode: String,
        timeout: i64,
        working_dir: String,
        termination_mode: String,
        container_id: String,
        container_name: String,
        tags: BTreeMap<String, String>,
        triggers: BTreeMap<String, String>,
        wait_for_completion: bool,
        on_failure: String,
        timeouts: Timeouts,
        results: Vec<InstanceResult>,
    }
}

/// Version 1 added the completion attributes; a version 0 state decodes as is (they are null,
/// which means their defaults), so it upgrades without a diff.
const SCHEMA_VERSION: i64 = 1;

/// `repeat_mode` when not configured: `Period` for a timed invocation, else `Once`.
fn default_repeat_mode(model: &mut InvocationModel) {
    if model.repeat_mode.is_null() || model.repeat_mode.is_unknown() {
        if let Some(timed) = model.timed.get() {
            let mode = if *timed {
                RepeatMode::Period
            } else {
                RepeatMode::Once
            };
            model.repeat_mode = Attr::known(mode.as_str());
        }
    }
}

#[async_trait]
impl Resource for EcsCommandInvocation {
    type Model = InvocationModel;

    const TYPE_NAME: &'static str = "alicloud_ecs_command_invocation";

    fn schema() -> Schema {
        Schema::new(
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
                run_args::instance_ids()
                    .describe("Instances to run the command on (`InstanceId.N`); Running, with the Cloud Assistant agent.")
                    // The API takes the instances as a set: a reorder runs nothing.
                    .plan(OrderInsensitive)
                    .plan(RequiresReplace),
            )
            .attribute(
                run_args::region_id(Attribute::optional_computed)
                    .describe("Region of the instances and the command (`RegionId`). Default: the provider's region.")
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
                run_args::parameters("parameters")
                    .describe(
                        "Values of the command's custom parameters (`Parameters`). Names must be defined by \
                         the command; values may be empty.",
                    )
                    .plan(RequiresReplace),
            )
            .attribute(
                run_args::parameters("parameters_wo")
                    .describe(
                        "Write-only `parameters` (Terraform 1.11 or later): sent to `InvokeCommand`, never \
                         stored in plan or state. The same rules as `parameters`, which it excludes. A change \
                         to it alone runs nothing: change `parameters_wo_version` to run with new values.",
                    )
                    .write_only(),
            )
            .attribute(
                Attribute::optional("parameters_wo_version", Type::String)
                    .describe(
                        "Any text, kept in state: changing it creates a new invocation with the current \
                         `parameters_wo` (whose values Terraform never stores, so cannot compare).",
                    )
                    .plan(RequiresReplace),
            )
            .attribute(
                run_args::username()
                    .describe("User that runs the command (`Username`). Default: `root` on Linux, `System` on Windows.")
                    .plan(RequiresReplace),
            )
            .attribute(
                run_args::windows_password_name()
                    .describe(
                        "Name of the Parameter Store secret holding the Windows password of `username` \
                         (`WindowsPasswordName`).",
                    )
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
            .attribute(
                Attribute::optional_computed("repeat_mode", Type::String)
                    .describe(
                        "How the command repeats (`RepeatMode`): `Once`, `Period`, `NextRebootOnly` or \
                         `EveryReboot`. Default: `Period` when `timed = true`, else `Once`.",
                    )
                    .validate(one_of(RepeatMode::NAMES)) // InvalidRepeatMode.NotFound
                    .plan(RequiresReplace),
            )
            .attribute(
                // Computed: a refresh or an import reads the command's own from the record, and a
                // configuration leaving it out plans no change.
                run_args::timeout(Attribute::optional_computed)
                    .describe(
                        "Seconds the command may run on each instance (`Timeout`). Default: the command's \
                         own, which state records after apply.",
                    )
                    .plan(RequiresReplace),
            )
            .attribute(
                run_args::working_dir(Attribute::optional_computed)
                    .describe(
                        "Directory the command runs in (`WorkingDir`). Default: the command's own (or the \
                         platform's), which state records after apply.",
                    )
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("termination_mode", Type::String)
                    .describe(
                        "What a stop or a timeout ends (`TerminationMode`): `Process` (the command's \
                         process) or `ProcessTree` (it and every process it started).",
                    )
                    .validate(one_of(&TERMINATION_MODES)) // InvalidTerminationMode.NotFound
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("container_id", Type::String)
                    .describe("Container to run the command in (`ContainerId`), on the instances.")
                    .validate(ContainerId) // InvalidContainerId.Malformed
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("container_name", Type::String)
                    .describe("Container to run the command in, by name (`ContainerName`).")
                    .validate(ContainerName) // InvalidContainerName.Malformed
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("tags", Type::map(Type::String))
                    .describe("Tags on the invocation (`Tag.N.Key`, `Tag.N.Value`).")
                    .validate(Tags) // NumberExceed.Tags, InvalidTagKey.Malformed, InvalidTagValue.Malformed
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("triggers", Type::map(Type::String))
                    .describe(
                        "Free-form values; any change makes a new invocation (a deliberate re-run). Never \
                         sent to the API.",
                    )
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("wait_for_completion", Type::Bool).describe(
                    "Whether apply waits until every instance has finished (a periodic invocation: until \
                     it is scheduled) and stores `results`. Default: `true`. Changing it changes nothing \
                     remotely.",
                ),
            )
            .attribute(
                Attribute::optional("on_failure", Type::String)
                    .describe(
                        "What a finished invocation with a failed instance (non-zero exit code, `Failed`, \
                         `Timeout`, `Error`, `Invalid`, `Aborted`, `Cancelled`, `Terminated`) does to the \
                         apply: `fail` (default; the resource is kept in state, tainted) or `continue`.",
                    )
                    .validate(one_of(&["fail", "continue"])),
            )
            .attribute(
                Attribute::computed("results", results::nested_object())
                    .describe(
                        "One entry per instance, as last read. Only `output` is sensitive (commands print \
                         their parameters): exit codes and statuses show in plans and can be used in \
                         outputs as they are.",
                    )
                    .plan(UseStateForUnknown),
            )
            .block(Timeouts::block(
                "How long apply waits for the invocation, e.g. `\"30m\"`. Default: the invocation's \
                 `timeout` (or the command's) plus 2 minutes for delivery.",
                "Give how long apply may wait for the invocation, e.g. `\"30m\"`; to not wait at all, \
                 set `wait_for_completion = false`.",
            ))
            .validate(required_when("frequency", "timed", true)) // MissingParam.Frequency
            .validate(FrequencyOnlyWhenTimed) // not periodic: the schedule would be ignored
            .validate(RepeatModeAgrees) // MissingParam.Frequency, or another mode than configured
            .validate(ContainerAlone) // InvalidParameter
            .validate(requires_with("windows_password_name", "username"))
            .validate(conflicts_with("parameters_wo", "parameters")),
        )
        .version(SCHEMA_VERSION)
    }

    async fn plan(
        &self,
        request: PlanRequest<'_, InvocationModel>,
        plan: &mut InvocationModel,
        diags: &mut Diagnostics,
    ) {
        // Only a new invocation is planned against the API; an existing one already ran, and
        // may owe the verdict of that run.
        if let Some(prior) = request.prior_state {
            if let Some(context) = self.context.get() {
                verdict::on_plan(&context, prior, request, diags).await;
            }
            return;
        }
        let config = request.config;
        if config.repeat_mode.is_null() {
            default_repeat_mode(plan);
        }
        let Some(context) = self.context.get() else { return };
        // Left out of the configuration, the region is the provider's, known now.
        if config.region_id.is_null() {
            plan.region_id = Attr::known(context.region.as_str());
        }
        remote_rules::check(&context, plan, diags).await;
    }

    async fn create(
        &self,
        mut state: InvocationModel,
        private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<InvocationModel> {
        let context = self.context.require(diags)?;
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
        default_repeat_mode(&mut state);
        // The command runs whatever happens next, so the InvokeId is returned whatever the
        // wait or the first read gives.
        let (record, owed) = if state.wait_for_completion.get() == Some(&false) {
            let record = final_read(&context.client, &args.region_id, &invoke_id)
                .await
                .ok()
                .flatten();
            (record, false)
        } else {
            let parameters = args.parameters.clone().unwrap_or_default();
            let target = Target {
                region: &args.region_id,
                invoke_id: &invoke_id,
                command_id: &args.command_id,
                periodic: args.is_periodic(),
                run_timeout: args.timeout,
                create_timeout: state.timeouts.get().and_then(Timeouts::create),
                fail_on_failure: fails_on_failure(&state.on_failure),
                parameters: &parameters,
            };
            let until = if target.periodic {
                Until::Scheduled
            } else {
                Until::Finished
            };
            let limit = completion::limit(&context, &target).await;
            let bounds = Bounds {
                until,
                limit: Some(limit),
                cancel: None,
            };
            let waited = wait::wait(&context.watcher, &args.region_id, &invoke_id, bounds, &mut ()).await;
            // Ctrl-C: whether the command fails is still to be told (see `verdict`).
            let owed = matches!(waited, Waited::Stopped(_)) && !target.periodic;
            (completion::report(&target, waited, limit, diags), owed)
        };
        verdict::owe(private, owed);
        state.invocation_status = Attr::Known(record.as_ref().map_or_else(
            || InvocationStatus::Pending.to_string(),
            |r| r.invocation_status.to_string(),
        ));
        // Values sent as `parameters_wo` stay out of state, even echoed in the output.
        let hidden = if state.parameters.is_null() {
            args.parameters.clone().unwrap_or_default()
        } else {
            BTreeMap::new()
        };
        state.results = Attr::Known(completion::stored_results(record.as_ref(), &hidden));
        read_run_settings(&mut state, record.as_ref());
        Some(state)
    }

    /// Only the arguments that change nothing remotely (`wait_for_completion`, `on_failure`,
    /// `timeouts`) can differ here: every other one forces replacement.
    async fn update(
        &self,
        _prior: InvocationModel,
        planned: InvocationModel,
        _private: &mut Private,
        _diags: &mut Diagnostics,
    ) -> Option<InvocationModel> {
        Some(planned)
    }

    async fn read(
        &self,
        mut refreshed: InvocationModel,
        private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<InvocationModel> {
        let context = self.context.require(diags)?;
        let invoke_id = refreshed.invoke_id.get().or(refreshed.id.get())?.clone();
        let region = context.region_of(&refreshed.region_id).to_string();
        // A bare import ID reads in the provider's region: state records it, so a
        // configuration naming that region plans no change.
        refreshed.region_id = Attr::known(region.as_str());
        let imported = refreshed.command_id.is_null();
        let timed = refreshed.timed.get() == Some(&true);
        match final_read(&context.client, &region, &invoke_id).await {
            Ok(Some(record)) if periodic_drift::stopped(&record) => {
                periodic_drift::report_stopped(&record, &region, diags);
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
                verdict::on_refresh(Some(&record), &refreshed, private, diags);
            }
            // Importing a record that does not exist: nothing to adopt.
            Ok(None) if imported => return None,
            Ok(None) if periodic_drift::deleted(&refreshed) => {
                periodic_drift::report_deleted(&invoke_id, &region, diags);
                return None;
            }
            Ok(None) => {
                diags.warning(
                    "Invocation record no longer returned",
                    format!(
                        "DescribeInvocations no longer returns {invoke_id} in {region} (Cloud Assistant \
                         keeps records for a limited time). It stays in state as last read; the command \
                         is not run again."
                    ),
                );
                verdict::on_refresh(None, &refreshed, private, diags);
            }
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
        Some(refreshed)
    }

    async fn delete(&self, state: InvocationModel, diags: &mut Diagnostics) {
        let repeats = state
            .repeat_mode
            .as_deref()
            .is_some_and(|mode| mode.parse() != Ok(RepeatMode::Once));
        if state.timed.get() != Some(&true) && !repeats {
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

    fn import_ids(&self) -> Option<ImportIds> {
        Some(import_id::INVOKE_IDS)
    }

    fn imported(&self, imported: ImportedId) -> InvocationModel {
        InvocationModel {
            id: Attr::known(imported.id.as_str()),
            invoke_id: Attr::known(imported.id.as_str()),
            region_id: Attr::from_option(self.context.import_region(imported.scope)),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::validate_object;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut object = Value::null_object(&EcsCommandInvocation::schema().block.implied_type());
        for (k, v) in pairs {
            object.set_attr(k, v.clone());
        }
        object
    }

    fn ids(n: usize) -> Value {
        Value::List((0..n).map(|i| Value::String(format!("i-{i}"))).collect())
    }

    fn errors_at(object: &Value) -> Vec<String> {
        validate_object(&EcsCommandInvocation::schema().block, object)
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
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
            with(("parameters", long_key.clone())),
            [format!("parameters[\"{}\"]", "k".repeat(65))]
        );
        let eleven = Value::Map((0..11).map(|i| (format!("k{i}"), Value::from(""))).collect());
        assert_eq!(with(("parameters_wo", eleven)), ["parameters_wo"]);
        assert_eq!(
            with(("parameters_wo", long_key)),
            [format!("parameters_wo[\"{}\"]", "k".repeat(65))]
        );
        let one = Value::Map([("a".to_string(), Value::from("1"))].into());
        let mut both = base.to_vec();
        both.extend([("parameters", one.clone()), ("parameters_wo", one)]);
        assert_eq!(errors_at(&config(&both)), ["parameters_wo"]);
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
