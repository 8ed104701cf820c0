//! `alicloud_ecs_command`: a Cloud Assistant command, kept by its `CommandId`.
//!
//! Reads like the API reference: each argument carries the rule that keeps the API's error
//! code from being reached (named beside it). `CreateCommand` creates it, `ModifyCommand`
//! changes what it can in place (name, content, description, working directory, timeout),
//! `DeleteCommand` removes it; `type`, `enable_parameter` and `region_id` force a new one.
//!
//! | error code | caught |
//! |---|---|
//! | `CmdName.ExceedLimit` | validate: `name` 1 to 128 characters |
//! | `InvalidCmdType.NotFound` | validate: `type` one of the three |
//! | `CmdDesc.ExceedLimit` | validate: `description` at most 512 characters |
//! | `InvalidParameter.WorkingDir` | validate: `working_dir` at most 200 characters |
//! | `InvalidParameter` (`Timeout`) | validate: `timeout` 10 to 86400 |
//! | `CmdContent.ExceedLimit` | validate: Base64 of `command_content` within 16 KB |
//! | `CmdParam.EmptyKey`, `CmdParam.InvalidParamName`, `CmdParamName.ExceedLimit`, `CmdParamCount.ExceedLimit` | validate: placeholders, when parameters are enabled |
//! | `InvalidCmdId.NotFound` | refresh: the command is gone, planned again; destroy: already gone is fine |

use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::command::record;
use crate::command::rules::{default_enable_parameter, ContentRules, ReplaceWhenCleared};
use crate::provider::context::{ContextCell, ProviderContext};
use crate::shared::import_id;
use crate::shared::{api_errors, api_text};
use alicloud_client::api::command::{
    DEFAULT_COMMAND_TIMEOUT_SECONDS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TIMEOUT_SECONDS,
    MAX_WORKING_DIR_CHARS, MIN_TIMEOUT_SECONDS,
};
use alicloud_client::{
    Command, CommandType, ContentEncoding, CreateCommandRequest, DeleteCommandRequest, ModifyCommandRequest,
};
use tfplug::plan_modifiers::{DefaultValue, RequiresReplace, UseStateForUnknown};
use tfplug::validators::{int_between, length_at_most, length_between, not_empty, one_of};
use tfplug::{
    Attr, Attribute, AttributePath, Block, Diagnostics, ImportIds, ImportedId, PlanRequest, Private,
    Resource, Schema, Type, Value,
};

pub struct EcsCommand {
    context: ContextCell,
}

impl EcsCommand {
    pub fn new(context: ContextCell) -> Self {
        EcsCommand { context }
    }
}

tfplug::model! {
    /// The resource's object, one field per schema attribute.
    pub struct CommandModel {
        name: String,
        command_content: String,
        r#type: String,
        description: String,
        working_dir: String,
        timeout: i64,
        enable_parameter: bool,
        region_id: String,
        parameter_names: Vec<String>,
        id: String,
    }
}

impl CommandModel {
    /// Takes what the API holds; the region and id are the ones asked for.
    pub fn apply_record(&mut self, command: &Command) {
        self.id = Attr::known(command.command_id.as_str());
        self.name = Attr::known(command.name.as_str());
        self.r#type = Attr::known(command.command_type.as_str());
        self.command_content = Attr::known(command.command_content.as_str());
        self.description = api_text::attr(&command.description);
        self.working_dir = api_text::attr(&command.working_dir);
        self.timeout = Attr::Known(command.timeout.unwrap_or(DEFAULT_COMMAND_TIMEOUT_SECONDS as i64));
        self.enable_parameter = Attr::Known(command.enable_parameter);
        self.parameter_names = Attr::Known(command.parameter_names.clone());
    }
}

#[async_trait]
impl Resource for EcsCommand {
    type Model = CommandModel;

    const TYPE_NAME: &'static str = super::TYPE_NAME;

    fn schema() -> Schema {
        Schema::new(
            Block::new(
                "A Cloud Assistant command: its script and how it runs. `CreateCommand` creates it; name, \
                 content, description, working directory and timeout change in place (`ModifyCommand`); \
                 destroying it calls `DeleteCommand`.",
            )
            .attribute(
                Attribute::required("name", Type::String)
                    .describe("Name of the command (`Name`).")
                    .validate(length_between(1, MAX_NAME_CHARS)), // CmdName.ExceedLimit
            )
            .attribute(
                Attribute::required("command_content", Type::String)
                    .describe(
                        "The script, as plain text (`CommandContent`; the provider sends it Base64-encoded). \
                         `{{name}}` placeholders are custom parameters when `enable_parameter` is on.",
                    )
                    .validate(not_empty()),
            )
            .attribute(
                Attribute::required("type", Type::String)
                    .describe("How the script runs (`Type`): `RunShellScript`, `RunBatScript` or `RunPowerShellScript`.")
                    .validate(one_of(CommandType::NAMES)) // InvalidCmdType.NotFound
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional("description", Type::String)
                    .describe("Description of the command (`Description`).")
                    .validate(not_empty())
                    .validate(length_at_most(MAX_DESCRIPTION_CHARS)) // CmdDesc.ExceedLimit
                    .plan(ReplaceWhenCleared),
            )
            .attribute(
                Attribute::optional("working_dir", Type::String)
                    .describe(
                        "Directory the script runs in (`WorkingDir`). Default: `/root` on Linux, the agent's \
                         directory on Windows.",
                    )
                    .validate(not_empty())
                    .validate(length_at_most(MAX_WORKING_DIR_CHARS)) // InvalidParameter.WorkingDir
                    .plan(ReplaceWhenCleared),
            )
            .attribute(
                Attribute::optional_computed("timeout", Type::Number)
                    .describe("Seconds a run may take before it is stopped (`Timeout`). Default: `60`.")
                    .validate(int_between(MIN_TIMEOUT_SECONDS as i64, MAX_TIMEOUT_SECONDS as i64)) // InvalidParameter
                    .plan(DefaultValue(Value::from(DEFAULT_COMMAND_TIMEOUT_SECONDS as i64))),
            )
            .attribute(
                Attribute::optional_computed("enable_parameter", Type::Bool)
                    .describe(
                        "Whether `{{name}}` placeholders are custom parameters (`EnableParameter`). Default: \
                         whether `command_content` holds any placeholder.",
                    )
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::optional_computed("region_id", Type::String)
                    .describe("Region of the command (`RegionId`). Default: the provider's region.")
                    .validate(not_empty())
                    .plan(RequiresReplace),
            )
            .attribute(
                Attribute::computed("parameter_names", Type::list(Type::String))
                    .describe("The custom parameter names the API found in `command_content` (`ParameterNames`)."),
            )
            .attribute(
                Attribute::computed("id", Type::String)
                    .describe("The `CommandId`.")
                    .plan(UseStateForUnknown),
            )
            .validate(ContentRules), // CmdContent.ExceedLimit, CmdParam.*
        )
    }

    async fn plan(
        &self,
        request: PlanRequest<'_, CommandModel>,
        plan: &mut CommandModel,
        _diags: &mut Diagnostics,
    ) {
        let (config, prior) = (request.config, request.prior_state);
        if config.region_id.is_null() {
            if let Some(context) = self.context.get() {
                plan.region_id = Attr::known(context.region.as_str());
            }
        }
        // Left out, `enable_parameter` follows the content: adding the first placeholder to a
        // command without parameters needs a new command.
        if config.enable_parameter.is_null() {
            plan.enable_parameter = match plan.command_content.get() {
                Some(content) => Attr::Known(default_enable_parameter(content)),
                None => Attr::Unknown,
            };
            if prior.is_some_and(|p| p.enable_parameter != plan.enable_parameter) {
                request
                    .requires_replace
                    .push(AttributePath::attr("enable_parameter"));
            }
        }
        // The API finds the parameter names; they stay as they were unless the content may change them.
        plan.parameter_names = match prior {
            Some(p)
                if p.command_content == plan.command_content
                    && p.enable_parameter == plan.enable_parameter =>
            {
                p.parameter_names.clone()
            }
            _ => Attr::Unknown,
        };
    }

    async fn create(
        &self,
        mut state: CommandModel,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<CommandModel> {
        let context = self.context.require(diags)?;
        let region = context.region_of(&state.region_id).to_string();
        let (Some(name), Some(command_type), Some(content)) =
            (state.name.get(), state.r#type.get(), state.command_content.get())
        else {
            diags.error(
                "Unknown values at apply",
                "`name`, `type` and `command_content` must be known before CreateCommand is called.",
            );
            return None;
        };
        let request = CreateCommandRequest {
            region_id: Some(region.clone()),
            name: name.clone(),
            command_type: command_type.clone(),
            command_content: STANDARD.encode(content),
            description: state.description.get().cloned(),
            working_dir: state.working_dir.get().cloned(),
            timeout: state.timeout.get().and_then(|t| u64::try_from(*t).ok()),
            enable_parameter: Some(
                state
                    .enable_parameter
                    .get()
                    .copied()
                    .unwrap_or_else(|| default_enable_parameter(content)),
            ),
            ..Default::default()
        };
        let command_id = match context.client.create_command(&request).await {
            Ok(created) => created.command_id,
            Err(error) => {
                api_errors::report(diags, "CreateCommand failed", &error);
                return None;
            }
        };
        state.region_id = Attr::known(region.as_str());
        state.id = Attr::known(command_id.as_str());
        refresh_after_write(&context, &mut state, &region, &command_id, diags).await;
        Some(state)
    }

    async fn read(
        &self,
        mut refreshed: CommandModel,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<CommandModel> {
        let context = self.context.require(diags)?;
        let command_id = refreshed.id.get()?.clone();
        let region = context.region_of(&refreshed.region_id).to_string();
        refreshed.region_id = Attr::known(region.as_str());
        match record::by_id(&context.client, &region, &command_id, ContentEncoding::PlainText).await {
            Ok(Some(command)) => refreshed.apply_record(&command),
            // Deleted outside Terraform: the plan creates it again.
            Ok(None) => return None,
            Err(error) => {
                api_errors::report(diags, "DescribeCommands failed", &error);
                return None;
            }
        }
        Some(refreshed)
    }

    async fn update(
        &self,
        before: CommandModel,
        mut state: CommandModel,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<CommandModel> {
        let context = self.context.require(diags)?;
        let command_id = before.id.get()?.clone();
        let region = context.region_of(&before.region_id).to_string();
        // Only what changed is sent; a field left out keeps its value.
        let changed =
            |now: &Attr<String>, was: &Attr<String>| (now != was).then(|| now.get().cloned()).flatten();
        let request = ModifyCommandRequest {
            region_id: Some(region.clone()),
            command_id: command_id.clone(),
            name: changed(&state.name, &before.name),
            description: changed(&state.description, &before.description),
            command_content: changed(&state.command_content, &before.command_content)
                .map(|c| STANDARD.encode(c)),
            working_dir: changed(&state.working_dir, &before.working_dir),
            timeout: (state.timeout != before.timeout)
                .then(|| state.timeout.get().and_then(|t| u64::try_from(*t).ok()))
                .flatten(),
        };
        if let Err(error) = context.client.modify_command(&request).await {
            api_errors::report(diags, "ModifyCommand failed", &error);
            return None;
        }
        state.id = Attr::known(command_id.as_str());
        refresh_after_write(&context, &mut state, &region, &command_id, diags).await;
        Some(state)
    }

    async fn delete(&self, state: CommandModel, diags: &mut Diagnostics) {
        let (Some(context), Some(command_id)) = (self.context.require(diags), state.id.get()) else {
            return;
        };
        let region = context.region_of(&state.region_id).to_string();
        let request = DeleteCommandRequest {
            region_id: Some(region.clone()),
            command_id: command_id.clone(),
        };
        context.catalog.forget_command(&region, command_id);
        match context.client.delete_command(&request).await {
            // Already gone (deleted outside Terraform, or a retried call): nothing left to do.
            Err(error) if error.api_code() == Some("InvalidCmdId.NotFound") => {}
            Err(error) => api_errors::report(diags, "DeleteCommand failed", &error),
            Ok(_) => {}
        }
    }

    fn import_ids(&self) -> Option<ImportIds> {
        Some(import_id::COMMAND_IDS)
    }

    fn imported(&self, imported: ImportedId) -> CommandModel {
        CommandModel {
            id: Attr::known(imported.id.as_str()),
            region_id: Attr::from_option(self.context.import_region(imported.scope)),
            ..Default::default()
        }
    }
}

/// After `CreateCommand` or `ModifyCommand`: invocations planned in this run read the command
/// afresh, and the state takes what the API made of it (its parameter names above all).
async fn refresh_after_write(
    context: &ProviderContext,
    state: &mut CommandModel,
    region: &str,
    command_id: &str,
    diags: &mut Diagnostics,
) {
    context.catalog.forget_command(region, command_id);
    match record::by_id(&context.client, region, command_id, ContentEncoding::PlainText).await {
        Ok(Some(command)) => state.apply_record(&command),
        outcome => {
            // The command exists; its computed values come from the rule the API applies.
            if let Err(error) = outcome {
                diags.warning(
                    "Command not read back",
                    format!("{command_id} was written but could not be read back: {error}"),
                );
            }
            let names = match (state.enable_parameter.get(), state.command_content.get()) {
                (Some(true), Some(content)) => alicloud_client::api::command::parameter_names(content),
                _ => Vec::new(),
            };
            state.parameter_names = Attr::Known(names);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::validate_object;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut object = Value::null_object(&EcsCommand::schema().block.implied_type());
        let base = [
            ("name", Value::from("hello")),
            ("type", "RunShellScript".into()),
            ("command_content", "echo hi".into()),
        ];
        for (k, v) in base.iter().chain(pairs) {
            object.set_attr(k, v.clone());
        }
        object
    }

    fn errors_at(pairs: &[(&str, Value)]) -> Vec<String> {
        validate_object(&EcsCommand::schema().block, &config(pairs))
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn each_static_rule_names_its_attribute() {
        assert!(errors_at(&[]).is_empty());
        assert_eq!(errors_at(&[("name", "n".repeat(129).into())]), ["name"]);
        assert_eq!(errors_at(&[("type", "RunPython".into())]), ["type"]);
        assert_eq!(
            errors_at(&[("description", "d".repeat(513).into())]),
            ["description"]
        );
        assert_eq!(
            errors_at(&[("working_dir", "w".repeat(201).into())]),
            ["working_dir"]
        );
        assert_eq!(errors_at(&[("timeout", 9_i64.into())]), ["timeout"]);
        assert_eq!(errors_at(&[("timeout", 86_401_i64.into())]), ["timeout"]);
        assert!(errors_at(&[("timeout", 86_400_i64.into())]).is_empty());
        assert_eq!(
            errors_at(&[("command_content", "a".repeat(12_289).into())]),
            ["command_content"]
        );
        assert_eq!(
            errors_at(&[("command_content", "echo {{a.b}}".into())]),
            ["command_content"]
        );
        // Parameters off: braces are plain text.
        assert!(errors_at(&[
            ("command_content", "echo {{a.b}}".into()),
            ("enable_parameter", false.into())
        ])
        .is_empty());
        assert!(errors_at(&[("command_content", "echo {{ACS::InstanceId}} {{who}}".into())]).is_empty());
    }
}
