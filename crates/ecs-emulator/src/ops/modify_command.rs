//! ModifyCommand: changes a command's `Name`, `Description`, `CommandContent` (Base64),
//! `WorkingDir` and `Timeout` in place; a parameter left out or empty keeps its value. `Type`
//! and `EnableParameter` cannot change.

use serde_json::{Map, Value};

use super::encoding::ContentEncoding;
use super::{command_fields, region, OpContext};
use crate::errors::ApiError;
use crate::params::Params;

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    let command_id = params.required("CommandId")?;
    let name = command_fields::name(params)?;
    let description = command_fields::description(params)?;
    let working_dir = command_fields::working_dir(params)?;
    let timeout = command_fields::timeout(params)?;
    let content = params
        .non_empty("CommandContent")
        .map(|text| {
            ContentEncoding::Base64
                .decode(text)
                .ok_or(ApiError::InvalidParameter("CommandContent"))
        })
        .transpose()?;
    let store = &mut ctx.state.store;
    let enable_parameter = store
        .command(region, command_id)
        .ok_or(ApiError::CommandNotFound)?
        .enable_parameter;
    if let Some(content) = &content {
        command_fields::check_content(content, enable_parameter)?;
    }
    let command = store
        .command_mut(region, command_id)
        .ok_or(ApiError::CommandNotFound)?;
    if let Some(name) = name {
        command.name = name.to_string();
    }
    if let Some(description) = description {
        command.description = description.to_string();
    }
    if let Some(working_dir) = working_dir {
        command.working_dir = working_dir.to_string();
    }
    if let Some(timeout) = timeout {
        command.timeout = timeout;
    }
    if let Some(content) = content {
        command.command_content = content;
    }
    Ok(Map::new())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::errors::ApiError;

    fn modify(s: &mut crate::state::State, extra: &[(&str, &str)]) -> Result<serde_json::Value, ApiError> {
        call(s, at(0), "ModifyCommand", extra)
    }

    fn plain(s: &mut crate::state::State, id: &str) -> serde_json::Value {
        let found = call(
            s,
            at(0),
            "DescribeCommands",
            &[("CommandId", id), ("ContentEncoding", "PlainText")],
        )
        .unwrap();
        found["Commands"]["Command"][0].clone()
    }

    #[test]
    fn changes_only_what_is_given() {
        let mut s = state();
        modify(
            &mut s,
            &[
                ("CommandId", DEPLOY),
                ("Name", "renamed"),
                ("Timeout", "120"),
                ("CommandContent", "ZWNobyB7e3dob319"),
            ],
        )
        .unwrap();
        let c = plain(&mut s, DEPLOY);
        assert_eq!(c["Name"], "renamed");
        assert_eq!(c["Timeout"], 120);
        assert_eq!(c["CommandContent"], "echo {{who}}");
        assert_eq!(c["ParameterNames"]["ParameterName"], serde_json::json!(["who"]));
        assert_eq!(c["Type"], "RunShellScript");
        modify(&mut s, &[("CommandId", DEPLOY), ("Description", "d")]).unwrap();
        assert_eq!(plain(&mut s, DEPLOY)["Name"], "renamed");
    }

    #[test]
    fn errors() {
        let mut s = state();
        let err = |s: &mut crate::state::State, extra: &[(&str, &str)]| modify(s, extra).unwrap_err();
        assert_eq!(err(&mut s, &[]), ApiError::MissingParameter("CommandId"));
        assert_eq!(err(&mut s, &[("CommandId", "c-nope")]), ApiError::CommandNotFound);
        let long_name = "n".repeat(129);
        assert_eq!(
            err(&mut s, &[("CommandId", DEPLOY), ("Name", &long_name)]),
            ApiError::CmdNameExceedLimit
        );
        assert_eq!(
            err(&mut s, &[("CommandId", DEPLOY), ("Timeout", "5")]),
            ApiError::InvalidParameter("Timeout")
        );
        // "{{ }}" in Base64: DEPLOY has parameters enabled.
        assert_eq!(
            err(&mut s, &[("CommandId", DEPLOY), ("CommandContent", "e3sgfX0=")]),
            ApiError::CmdParamEmptyKey
        );
        // A command without parameters keeps braces as text.
        modify(&mut s, &[("CommandId", UPTIME), ("CommandContent", "e3sgfX0=")]).unwrap();
        assert_eq!(plain(&mut s, UPTIME)["CommandContent"], "{{ }}");
    }
}
