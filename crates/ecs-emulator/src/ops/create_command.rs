//! CreateCommand: a private command in the region, its content given in Base64 (or plain
//! text with `ContentEncoding=PlainText`), idempotent by `ClientToken`.

use serde_json::{json, Map, Value};

use super::encoding::ContentEncoding;
use super::{command_fields, idempotence, object, region, OpContext};
use crate::errors::ApiError;
use crate::model::{Command, CommandType};
use crate::params::Params;
use crate::time::{format_ms, millis};
use alicloud_api::command::DEFAULT_COMMAND_TIMEOUT_SECONDS;

const ACTION: &str = "CreateCommand";

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    if let Some(command_id) = idempotence::replay(&ctx.state.store, ACTION, region, params)? {
        return Ok(object(json!({ "CommandId": command_id })));
    }
    params.required("Name")?;
    let name = command_fields::name(params)?.unwrap_or_default();
    let command_type = params
        .required("Type")?
        .parse::<CommandType>()
        .map_err(|_| ApiError::CommandTypeNotFound)?;
    let content = ContentEncoding::from_params(params)
        .decode(params.required("CommandContent")?)
        .ok_or(ApiError::InvalidParameter("CommandContent"))?;
    let description = command_fields::description(params)?.unwrap_or_default();
    let working_dir = command_fields::working_dir(params)?.unwrap_or_default();
    let timeout = command_fields::timeout(params)?.unwrap_or(DEFAULT_COMMAND_TIMEOUT_SECONDS);
    let enable_parameter = params.bool("EnableParameter")?.unwrap_or(false);
    command_fields::check_content(&content, enable_parameter)?;
    let now_ms = millis(ctx.now);
    let command = Command {
        command_id: format!("c-{}", uuid::Uuid::new_v4().simple()),
        region_id: region.to_string(),
        name: name.to_string(),
        command_type,
        command_content: content,
        description: description.to_string(),
        working_dir: working_dir.to_string(),
        timeout,
        enable_parameter,
        creation_time: format_ms(now_ms),
    };
    let command_id = command.command_id.clone();
    let store = &mut ctx.state.store;
    store.add_command(command);
    idempotence::remember(store, ACTION, region, params, &command_id, now_ms);
    Ok(object(json!({ "CommandId": command_id })))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::errors::ApiError;

    fn create(s: &mut crate::state::State, extra: &[(&str, &str)]) -> Result<String, ApiError> {
        let body = call(s, at(0), "CreateCommand", extra)?;
        Ok(body["CommandId"].as_str().unwrap_or_default().to_string())
    }

    #[test]
    fn creates_invocable_commands() {
        let mut s = state();
        let id = create(
            &mut s,
            &[
                ("Name", "hello"),
                ("Type", "RunShellScript"),
                ("CommandContent", "ZWNobyB7e3dob319"),
                ("EnableParameter", "true"),
            ],
        )
        .unwrap();
        assert!(id.starts_with("c-"));
        let args = [
            ("CommandId", id.as_str()),
            ("InstanceId.1", LINUX),
            ("Parameters", r#"{"who":"me"}"#),
        ];
        invoke(&mut s, at(0), &args).unwrap();
        assert_eq!(
            s.store
                .invocations("cn-hangzhou", 0, i64::MAX)
                .next()
                .unwrap()
                .runs[0]
                .output,
            "echo me"
        );
        call(&mut s, at(0), "DeleteCommand", &[("CommandId", &id)]).unwrap();
        assert_eq!(
            call(&mut s, at(0), "DeleteCommand", &[("CommandId", &id)]).unwrap_err(),
            ApiError::CommandNotFound
        );
        assert_eq!(
            call(&mut s, at(0), "DeleteCommand", &[]).unwrap_err(),
            ApiError::MissingParameter("CommandId")
        );
    }

    #[test]
    fn idempotent_by_client_token() {
        let mut s = state();
        let args = [
            ("Name", "a"),
            ("Type", "RunBatScript"),
            ("CommandContent", "dir"),
            ("ContentEncoding", "PlainText"),
            ("ClientToken", "ct"),
        ];
        assert_eq!(create(&mut s, &args).unwrap(), create(&mut s, &args).unwrap());
        let mut other = args.to_vec();
        other[0] = ("Name", "b");
        assert_eq!(
            create(&mut s, &other).unwrap_err(),
            ApiError::IdempotentParameterMismatch
        );
    }

    #[test]
    fn errors() {
        let mut s = state();
        let base = |extra: &[(&'static str, String)]| {
            let mut all = vec![
                ("Name", "n".to_string()),
                ("Type", "RunShellScript".to_string()),
                ("CommandContent", "dXB0aW1l".to_string()),
            ];
            for (k, v) in extra {
                all.retain(|(name, _)| name != k);
                all.push((k, v.clone()));
            }
            all
        };
        let mut check = |extra: &[(&'static str, String)], expected: ApiError| {
            let pairs = base(extra);
            let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(create(&mut s, &borrowed).unwrap_err(), expected);
        };
        check(&[("Name", String::new())], ApiError::MissingParameter("Name"));
        check(&[("Name", "n".repeat(129))], ApiError::CmdNameExceedLimit);
        check(&[("Type", "RunPython".into())], ApiError::CommandTypeNotFound);
        check(
            &[("CommandContent", "%%%".into())],
            ApiError::InvalidParameter("CommandContent"),
        );
        check(&[("Description", "d".repeat(513))], ApiError::CmdDescExceedLimit);
        check(&[("WorkingDir", "w".repeat(201))], ApiError::WorkingDirInvalid);
        check(&[("Timeout", "9".into())], ApiError::InvalidParameter("Timeout"));
        check(
            &[("Timeout", "86401".into())],
            ApiError::InvalidParameter("Timeout"),
        );
        check(
            &[
                ("CommandContent", "a".repeat(12_289)),
                ("ContentEncoding", "PlainText".into()),
            ],
            ApiError::CmdContentExceedLimit,
        );
        check(
            &[
                ("CommandContent", "{{ }}".into()),
                ("ContentEncoding", "PlainText".into()),
                ("EnableParameter", "true".into()),
            ],
            ApiError::CmdParamEmptyKey,
        );
        check(
            &[
                ("CommandContent", "{{a.b}}".into()),
                ("ContentEncoding", "PlainText".into()),
                ("EnableParameter", "true".into()),
            ],
            ApiError::CmdParamInvalidName,
        );
    }
}
