//! RunCommand: runs inline content on instances without a `CreateCommand` first. The content
//! comes in Base64 (or plain text with `ContentEncoding=PlainText`); with
//! `EnableParameter=true` its `{{name}}` placeholders take `Parameters`. A command that is not
//! kept (`KeepCommand=false`, the default) may be up to 24 KB once encoded and never shows in
//! `DescribeCommands`; a kept one has CreateCommand's 16 KB and stays. The runs are started by
//! InvokeCommand's [`invoke_command::start`], so they behave alike. Idempotent by
//! `ClientToken`.
//!
//! | error code | when |
//! |---|---|
//! | `MissingParameter` (`Type`, `CommandContent`) | left out |
//! | `InvalidCmdType.NotFound` | `Type` not one of the three script types |
//! | `InvalidParameter` (`CommandContent`) | not valid Base64 (or not UTF-8) in its encoding |
//! | `CmdName.ExceedLimit`, `CmdDesc.ExceedLimit` | `Name` over 128, `Description` over 512 characters |
//! | `CmdParam.EmptyKey`, `CmdParam.InvalidParamName`, `CmdParamName.ExceedLimit` | placeholders, when `EnableParameter` |
//! | `Parameter.Disabled` | `Parameters` without `EnableParameter` |
//! | `Parameter.NotMatched` | a parameter the content has no placeholder for |
//! | `CmdContent.ExceedLimit` | over 24 KB (not kept) or 16 KB (kept) once encoded |
//! | the InvokeCommand run codes | instances, quota, schedule, `Username`, `Timeout`, ... |

use serde_json::{json, Map, Value};

use super::command_fields;
use super::encoding::ContentEncoding;
use super::invoke_command::{self, Request};
use super::{idempotence, object, region, template, OpContext};
use crate::errors::ApiError;
use crate::model::{Command, CommandType};
use crate::params::Params;
use crate::time::{format_ms, millis};
use alicloud_api::command::{
    DEFAULT_COMMAND_TIMEOUT_SECONDS, MAX_ENCODED_CONTENT_BYTES, MAX_RUN_COMMAND_ENCODED_BYTES,
};

const ACTION: &str = "RunCommand";

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    if let Some(invoke_id) = idempotence::replay(&ctx.state.store, ACTION, region, params)? {
        ctx.state.stats.idempotent_replays += 1;
        let command_id = ctx
            .state
            .store
            .invocations(region, 0, i64::MAX)
            .find(|i| i.invoke_id == invoke_id)
            .map(|i| i.command_id.clone())
            .unwrap_or_default();
        return Ok(object(json!({ "CommandId": command_id, "InvokeId": invoke_id })));
    }
    let command_type = params
        .required("Type")?
        .parse::<CommandType>()
        .map_err(|_| ApiError::CommandTypeNotFound)?;
    let content = ContentEncoding::from_params(params)
        .decode(params.required("CommandContent")?)
        .ok_or(ApiError::InvalidParameter("CommandContent"))?;
    let name = command_fields::name(params)?.unwrap_or(ACTION);
    let description = command_fields::description(params)?.unwrap_or_default();
    let enable_parameter = params.bool("EnableParameter")?.unwrap_or(false);
    if enable_parameter {
        template::validate_names(&content)?;
    }
    let keep = params.bool("KeepCommand")?.unwrap_or(false);
    let request = Request::read(params, ctx.now)?;
    let command = Command {
        command_id: format!("c-{}", uuid::Uuid::new_v4().simple()),
        region_id: region.to_string(),
        name: name.to_string(),
        command_type,
        command_content: content,
        description: description.to_string(),
        working_dir: String::new(),
        // The request's `Timeout`, when given, overrides this for the run, as for InvokeCommand.
        timeout: DEFAULT_COMMAND_TIMEOUT_SECONDS,
        enable_parameter,
        creation_time: format_ms(millis(ctx.now)),
    };
    let limit = if keep {
        MAX_ENCODED_CONTENT_BYTES
    } else {
        MAX_RUN_COMMAND_ENCODED_BYTES
    };
    let invoke_id = invoke_command::start(ctx, ACTION, region, params, &request, &command, limit)?;
    let command_id = command.command_id.clone();
    if keep {
        ctx.state.store.add_command(command);
    }
    Ok(object(json!({ "CommandId": command_id, "InvokeId": invoke_id })))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::errors::ApiError;

    fn run(s: &mut crate::state::State, extra: &[(&str, &str)]) -> Result<(String, String), ApiError> {
        let body = call(s, at(0), "RunCommand", extra)?;
        let text = |k: &str| body[k].as_str().unwrap_or_default().to_string();
        Ok((text("CommandId"), text("InvokeId")))
    }

    fn inline<'a>(content: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut all = vec![
            ("Type", "RunShellScript"),
            ("CommandContent", content),
            ("ContentEncoding", "PlainText"),
            ("InstanceId.1", LINUX),
        ];
        all.extend_from_slice(extra);
        all
    }

    #[test]
    fn runs_inline_content_with_parameters_and_keeps_nothing() {
        let mut s = state();
        let args = inline(
            "echo {{greeting}} {{ACS::InstanceId}}",
            &[
                ("EnableParameter", "true"),
                ("Parameters", r#"{"greeting":"hi"}"#),
            ],
        );
        let (command_id, invoke_id) = run(&mut s, &args).unwrap();
        assert!(command_id.starts_with("c-") && invoke_id.starts_with("t-"));
        let inv = s.store.invocations("cn-hangzhou", 0, i64::MAX).next().unwrap();
        assert_eq!(inv.runs[0].output, format!("echo hi {LINUX}"));
        assert!(s.store.command("cn-hangzhou", &command_id).is_none());
        assert_eq!(s.stats.invocations_created, 1);
    }

    #[test]
    fn base64_by_default_and_kept_on_request() {
        let mut s = state();
        let (command_id, _) = run(
            &mut s,
            &[
                ("Type", "RunShellScript"),
                ("CommandContent", "dXB0aW1l"),
                ("InstanceId.1", LINUX),
                ("KeepCommand", "true"),
            ],
        )
        .unwrap();
        assert_eq!(
            s.store
                .command("cn-hangzhou", &command_id)
                .unwrap()
                .command_content,
            "uptime"
        );
    }

    #[test]
    fn idempotent_by_client_token() {
        let mut s = state();
        let args = inline("uptime", &[("ClientToken", "tok")]);
        let first = run(&mut s, &args).unwrap();
        assert_eq!(run(&mut s, &args).unwrap(), first);
        assert_eq!(s.stats.invocations_created, 1);
        let other = inline("hostname", &[("ClientToken", "tok")]);
        assert_eq!(
            run(&mut s, &other).unwrap_err(),
            ApiError::IdempotentParameterMismatch
        );
    }

    #[test]
    fn error_codes() {
        let err = |args: &[(&str, &str)]| run(&mut state(), args).unwrap_err();
        assert_eq!(
            err(&[("CommandContent", "x"), ("InstanceId.1", LINUX)]),
            ApiError::MissingParameter("Type")
        );
        assert_eq!(
            err(&[
                ("Type", "RunPerl"),
                ("CommandContent", "x"),
                ("InstanceId.1", LINUX)
            ]),
            ApiError::CommandTypeNotFound
        );
        assert_eq!(
            err(&[
                ("Type", "RunShellScript"),
                ("CommandContent", "%%%"),
                ("InstanceId.1", LINUX)
            ]),
            ApiError::InvalidParameter("CommandContent")
        );
        assert_eq!(
            err(&inline("echo {{a}}", &[("Parameters", r#"{"a":"1"}"#)])),
            ApiError::ParameterDisabled
        );
        assert_eq!(
            err(&inline(
                "echo {{a}}",
                &[("EnableParameter", "true"), ("Parameters", r#"{"b":"1"}"#)]
            )),
            ApiError::ParameterNotMatched
        );
        assert_eq!(
            err(&inline("echo {{a b}}", &[("EnableParameter", "true")])),
            ApiError::CmdParamInvalidName
        );
        assert_eq!(
            err(&inline("uptime", &[("InstanceId.1", WINDOWS)])),
            ApiError::InstanceNotMatch
        );
        let name = "n".repeat(129);
        assert_eq!(
            err(&inline("uptime", &[("Name", &name)])),
            ApiError::CmdNameExceedLimit
        );
    }

    #[test]
    fn twenty_four_kib_unless_kept() {
        // 18432 plain bytes are 24576 once Base64-encoded: the most a command not kept may take.
        let fits = "a".repeat(18_432);
        assert!(run(&mut state(), &inline(&fits, &[])).is_ok());
        let over = "a".repeat(18_435);
        assert_eq!(
            run(&mut state(), &inline(&over, &[])).unwrap_err(),
            ApiError::CmdContentExceedLimit
        );
        assert_eq!(
            run(&mut state(), &inline(&fits, &[("KeepCommand", "true")])).unwrap_err(),
            ApiError::CmdContentExceedLimit
        );
    }
}
