//! Action `alicloud_ecs_run_command` (Terraform 1.14+): runs a command now and waits for it.
//! `command_id` goes through `InvokeCommand`; inline `command_content` through `RunCommand`
//! (a command that is not kept). Both carry a `ClientToken`. The rules are the invocation
//! resource's: the same validator constructors and limits in the schema, the same remote
//! rules (`remote_rules`) in `plan`, so a refused plan sends nothing.
//!
//! | error code | caught |
//! |---|---|
//! | `InstanceIds.ExceedLimit` | validate: `instance_ids` 1 to 50, none null |
//! | `ParameterCount.ExceedLimit`, `ParameterKey.ExceedLimit` | validate: at most 10 `parameters`, names 1 to 64 |
//! | `Username.ExceedLimit`, `WindowsPasswordName.ExceedLimit` | validate: at most 255 characters |
//! | `InvalidParameter.WorkingDir` | validate: `working_dir` at most 200 characters |
//! | `InvalidParameter` (`Timeout`) | validate: `timeout` 10 to 86400 |
//! | `InvalidCmdType.NotFound` | validate: `command_type` one of the three script types |
//! | `InvalidCmdId.NotFound`, `Parameter.Disabled`, `Parameter.NotMatched` | plan: `DescribeCommands` |
//! | `Parameter.NotMatched` (inline) | plan: `parameters` names match the content's `{{name}}` |
//! | `CmdContent.ExceedLimit` | plan: 16 KB (`InvokeCommand`), 24 KB (`RunCommand`) once encoded |
//! | `InvalidInstance.NotFound`, `InvalidInstance.NotMatch` | plan: `DescribeInstances` |

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::invocation::completion;
use crate::invocation::remote_rules::{self, ContentLimit};
use crate::invocation::results::{failure_report, failures};
use crate::provider::context::{ContextCell, ProviderContext};
use crate::run_command::progress;
use crate::shared::wait::Waited;
use crate::shared::{api_errors, run_args};
use alicloud_client::api::command::{base64_len, parameter_names, MAX_RUN_COMMAND_ENCODED_BYTES};
use alicloud_client::{Command, CommandType, InvokeCommandRequest, RunCommandRequest};
use tfplug::validators::{conflicts_with, not_empty, one_of, requires_with};
use tfplug::{Action, ActionProgress, Attr, Attribute, Block, Diagnostics, Schema, Type, ValueContext};

const DEFAULT_TYPE: &str = CommandType::RunShellScript.as_str();

pub struct EcsRunCommand {
    context: ContextCell,
}

impl EcsRunCommand {
    pub fn new(context: ContextCell) -> Self {
        EcsRunCommand { context }
    }
}

tfplug::model! {
    /// The action's configuration.
    pub struct RunCommandModel {
        command_id: String,
        command_content: String,
        command_type: String,
        instance_ids: Vec<Attr<String>>,
        region_id: String,
        parameters: BTreeMap<String, Attr<String>>,
        username: String,
        windows_password_name: String,
        working_dir: String,
        timeout: i64,
    }
}

/// Block rule: exactly one of `command_id` and `command_content`.
struct ExactlyOneCommand;

impl tfplug::Validator for ExactlyOneCommand {
    fn description(&self) -> String {
        "exactly one of `command_id` and `command_content` must be set".to_string()
    }

    fn validate(&self, value: &tfplug::Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let get = |name: &str| value.attr(name).cloned().unwrap_or(tfplug::Value::Null);
        let (id, content) = (get("command_id"), get("command_content"));
        if id.is_unknown() || content.is_unknown() || id.is_null() != content.is_null() {
            return;
        }
        diags.error_at(
            ctx.child(if id.is_null() {
                "command_id"
            } else {
                "command_content"
            })
            .path,
            "Invalid command",
            format!(
                "{}: set `command_id` to run an existing command, or `command_content` for an inline script.",
                self.description()
            ),
        );
    }
}

impl RunCommandModel {
    fn inline_command(&self) -> Option<Command> {
        let content = self.command_content.get()?;
        Some(Command {
            command_id: "(inline command_content)".into(),
            command_type: self
                .command_type
                .get()
                .map_or(DEFAULT_TYPE, String::as_str)
                .into(),
            enable_parameter: true,
            parameter_names: parameter_names(content),
            // Only its size is read: the Base64 length of the content.
            command_content: "A".repeat(base64_len(content.len())),
            ..Default::default()
        })
    }

    fn parameter_values(&self) -> BTreeMap<String, String> {
        self.parameters
            .get()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.get().cloned().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn known_instance_ids(&self) -> Vec<String> {
        self.instance_ids
            .get()
            .map(|ids| ids.iter().filter_map(|id| id.get().cloned()).collect())
            .unwrap_or_default()
    }
}

/// The remote rules, the resource's: the command (or the inline content), then the instances.
async fn check(context: &ProviderContext, config: &RunCommandModel, diags: &mut Diagnostics) {
    if config.region_id.is_unknown() {
        return;
    }
    let region = context.region_of(&config.region_id).to_string();
    let (command, limit) = match (config.command_id.get(), config.inline_command()) {
        (Some(id), _) => (
            remote_rules::command(context, &region, id, diags).await,
            ContentLimit::INVOKE,
        ),
        (None, inline) => (
            inline,
            ContentLimit {
                api: "RunCommand",
                bytes: MAX_RUN_COMMAND_ENCODED_BYTES,
            },
        ),
    };
    if let Some(command) = &command {
        remote_rules::check_parameters(command, "parameters", &config.parameters, limit, diags);
    }
    remote_rules::check_instances(
        context,
        &region,
        command.as_ref(),
        &config.instance_ids,
        limit.api,
        diags,
    )
    .await;
}

#[async_trait]
impl Action for EcsRunCommand {
    type Config = RunCommandModel;

    const TYPE_NAME: &'static str = "alicloud_ecs_run_command";

    fn schema() -> Schema {
        Schema::new(
            Block::new(
                "Runs a Cloud Assistant command on ECS instances now and waits until every instance has \
                 finished, showing progress: an existing command (`command_id`, `InvokeCommand`) or an \
                 inline script (`command_content`, `RunCommand`, not kept). Succeeds only when every \
                 instance succeeded.",
            )
            .attribute(
                Attribute::optional("command_id", Type::String)
                    .describe("ID of an existing command (`CommandId`), run with `InvokeCommand`.")
                    .validate(not_empty()),
            )
            .attribute(
                Attribute::optional("command_content", Type::String)
                    .describe(
                        "An inline script, as plain text, run with `RunCommand`; its `{{name}}` placeholders \
                         take `parameters`. Exactly one of `command_id` and `command_content`.",
                    )
                    .validate(not_empty()),
            )
            .attribute(
                Attribute::optional("command_type", Type::String)
                    .describe("With `command_content`: `RunShellScript` (default), `RunBatScript` or `RunPowerShellScript`.")
                    .validate(one_of(CommandType::NAMES)), // InvalidCmdType.NotFound
            )
            .attribute(
                run_args::instance_ids()
                    .describe("Instances to run on (`InstanceId.N`); Running, with the Cloud Assistant agent."),
            )
            .attribute(
                run_args::region_id(Attribute::optional)
                    .describe("Region of the instances (`RegionId`). Default: the provider's region."),
            )
            .attribute(
                run_args::parameters("parameters")
                    .describe("Values of the custom parameters (`Parameters`). Never shown in progress or errors."),
            )
            .attribute(
                run_args::username().describe("User that runs the command (`Username`)."),
            )
            .attribute(
                run_args::windows_password_name()
                    .describe("Parameter Store secret with the Windows password of `username` (`WindowsPasswordName`)."),
            )
            .attribute(
                run_args::working_dir(Attribute::optional).describe("Directory the command runs in (`WorkingDir`)."),
            )
            .attribute(
                run_args::timeout(Attribute::optional)
                    .describe("Seconds a run may take (`Timeout`). Default: the command's (60 for inline content)."),
            )
            .validate(ExactlyOneCommand)
            // An existing command runs as the type it was created with.
            .validate(conflicts_with("command_type", "command_id"))
            .validate(requires_with("windows_password_name", "username")),
        )
    }

    async fn plan(&self, config: &RunCommandModel, diags: &mut Diagnostics) {
        if let Some(context) = self.context.get() {
            check(&context, config, diags).await;
        }
    }

    async fn invoke(&self, config: RunCommandModel, progress: &ActionProgress, diags: &mut Diagnostics) {
        let Some(context) = self.context.require(diags) else {
            return;
        };
        check(&context, &config, diags).await;
        if diags.has_errors() {
            return;
        }
        let region = context.region_of(&config.region_id).to_string();
        let parameters = config.parameter_values();
        let Some(invoke_id) = start(&context, &config, &region, &parameters, diags).await else {
            return;
        };
        progress
            .send(format!(
                "Started invocation {invoke_id} on {}",
                instances(config.known_instance_ids().len())
            ))
            .await;
        let stop_hint = format!(
            "The command keeps running on the instances. {}",
            completion::how_to_stop(&region, &invoke_id)
        );
        match progress::follow(&context.watcher, &region, &invoke_id, progress).await {
            Waited::Done(record) if failures(&record).is_empty() => {
                progress
                    .send(match record.invoke_instances.len() {
                        1 => format!("Invocation {invoke_id}: the instance succeeded"),
                        n => format!("Invocation {invoke_id}: all {n} instances succeeded"),
                    })
                    .await;
            }
            Waited::Done(record) => diags.error("Command failed", failure_report(&record, &parameters)),
            Waited::Gone(_) => diags.error(
                "Invocation outcome unknown",
                format!("The API no longer returns invocation {invoke_id}, so how it ended is unknown. {stop_hint}"),
            ),
            Waited::Stopped(_) | Waited::TimedOut(_) => diags.error(
                "Stopped waiting for the command",
                format!("Terraform stopped the action while invocation {invoke_id} was running. {stop_hint}"),
            ),
            Waited::Unreadable { error, .. } => diags.error(
                "Invocation outcome unknown",
                format!("The invocation's progress cannot be read: {error}. {stop_hint}"),
            ),
        }
    }
}

fn instances(n: usize) -> String {
    match n {
        1 => "1 instance".to_string(),
        n => format!("{n} instances"),
    }
}

/// `InvokeCommand` or `RunCommand`; the InvokeId, or `None` with the reason in `diags`.
async fn start(
    context: &ProviderContext,
    config: &RunCommandModel,
    region: &str,
    parameters: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let parameters = (!parameters.is_empty()).then(|| parameters.clone());
    let timeout = config.timeout.get().and_then(|t| u64::try_from(*t).ok());
    // The two calls take the same run settings; each adds what names its command.
    macro_rules! request {
        ($request:ident { $($field:ident: $value:expr),* $(,)? }) => {
            $request {
                region_id: Some(region.to_string()),
                instance_ids: config.known_instance_ids(),
                parameters,
                username: config.username.get().cloned(),
                windows_password_name: config.windows_password_name.get().cloned(),
                working_dir: config.working_dir.get().cloned(),
                timeout,
                $($field: $value,)*
                ..Default::default()
            }
        };
    }
    let answer = match (config.command_id.get(), config.command_content.get()) {
        (Some(command_id), _) => context
            .client
            .invoke_command(&request!(InvokeCommandRequest {
                command_id: command_id.clone(),
            }))
            .await
            .map(|r| r.invoke_id),
        (None, Some(content)) => context
            .client
            .run_command(&request!(RunCommandRequest {
                command_type: config
                    .command_type
                    .get()
                    .cloned()
                    .unwrap_or_else(|| DEFAULT_TYPE.to_string()),
                command_content: content.clone(),
            }))
            .await
            .map(|r| r.invoke_id),
        (None, None) => return None,
    };
    match answer {
        Ok(invoke_id) => Some(invoke_id),
        Err(error) => {
            api_errors::report(diags, "The command could not be started", &error);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::{validate_object, Value};

    fn errors_at(pairs: &[(&str, Value)]) -> Vec<String> {
        let mut object = Value::null_object(&EcsRunCommand::schema().block.implied_type());
        for (k, v) in pairs {
            object.set_attr(k, v.clone());
        }
        validate_object(&EcsRunCommand::schema().block, &object)
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn exactly_one_command_and_the_resource_limits() {
        let ids = Value::List(vec![Value::from("i-1")]);
        assert!(errors_at(&[("command_id", "c-1".into()), ("instance_ids", ids.clone())]).is_empty());
        assert_eq!(errors_at(&[("instance_ids", ids.clone())]), ["command_id"]);
        // Each pair of arguments beside `instance_ids`, and the one its error is on.
        for (first, second, refused) in [
            (("command_id", "c"), ("command_content", "x"), "command_content"),
            (
                ("command_id", "c"),
                ("command_type", "RunBatScript"),
                "command_type",
            ),
            (("command_content", "x"), ("command_type", "Perl"), "command_type"),
        ] {
            let pairs = [
                (first.0, Value::from(first.1)),
                (second.0, Value::from(second.1)),
                ("instance_ids", ids.clone()),
            ];
            assert_eq!(errors_at(&pairs), [refused], "{first:?} {second:?}");
        }
        let many = Value::List((0..51).map(|i| Value::String(format!("i-{i}"))).collect());
        assert_eq!(
            errors_at(&[("command_id", "c".into()), ("instance_ids", many)]),
            ["instance_ids"]
        );
    }

    #[test]
    fn inline_content_is_measured_and_its_placeholders_are_the_parameters() {
        let config = RunCommandModel {
            command_content: Attr::known("echo {{who}} {{ACS::InstanceId}}"),
            ..Default::default()
        };
        let command = config.inline_command().unwrap();
        assert_eq!(command.parameter_names, ["who"]);
        assert_eq!(command.command_type, CommandType::RunShellScript);
        assert_eq!(command.command_content.len(), base64_len(33));
    }
}
