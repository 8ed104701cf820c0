//! Cloud Assistant commands: `DescribeCommands`, `CreateCommand`, `ModifyCommand` and
//! `DeleteCommand` (`docs/api-notes.md#commands`).

use serde::{Deserialize, Serialize};

use super::calls::{api_calls, idempotent_calls};
use super::invocation::ContentEncoding;
use super::paging::{PageInfo, PageRequest};
use super::response::unwrap_list;
use alicloud_api::vocabulary::{CommandType, Reported};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeCommandsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub command_type: Option<CommandType>,
    /// Omitted = private commands; `AlibabaCloud` = public ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<ContentEncoding>,
    #[serde(flatten)]
    pub page: PageRequest,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeCommandsResponse {
    pub request_id: String,
    #[serde(flatten)]
    pub page: PageInfo,
    #[serde(deserialize_with = "unwrap_list")]
    pub commands: Vec<Command>,
}

/// A command definition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Command {
    pub command_id: String,
    pub name: String,
    #[serde(rename = "Type")]
    pub command_type: Reported<CommandType>,
    pub description: String,
    /// Base64 unless `ContentEncoding=PlainText` was asked for.
    pub command_content: String,
    pub working_dir: String,
    pub timeout: Option<i64>,
    pub enable_parameter: bool,
    #[serde(deserialize_with = "unwrap_list")]
    pub parameter_names: Vec<String>,
    pub invoke_times: Option<i64>,
    pub creation_time: String,
    pub provider: String,
    pub category: String,
    pub version: Option<i64>,
    pub latest: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateCommandRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    pub name: String,
    /// As configured: one of [`CommandType::NAMES`], checked by the caller.
    #[serde(rename = "Type")]
    pub command_type: String,
    /// Base64 unless `content_encoding` is `PlainText`.
    pub command_content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<ContentEncoding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_parameter: Option<bool>,
    /// Idempotence token; generated when `None`, and the same on every retry of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct CreateCommandResponse {
    pub request_id: String,
    pub command_id: String,
}

/// Changes a command in place; a field left `None` keeps its value. `Type` and
/// `EnableParameter` cannot change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ModifyCommandRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    pub command_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ModifyCommandResponse {
    pub request_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteCommandRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    pub command_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DeleteCommandResponse {
    pub request_id: String,
}

idempotent_calls! {
    /// Creates a command, with a `ClientToken` (the caller's or a generated one) so that
    /// retries cannot create it twice.
    create_command(CreateCommandRequest) -> CreateCommandResponse = "CreateCommand";
}

api_calls! {
    describe_commands(DescribeCommandsRequest) -> DescribeCommandsResponse = "DescribeCommands";
    /// Changes a command in place; applying the same change twice is harmless, so a retry is.
    modify_command(ModifyCommandRequest) -> ModifyCommandResponse = "ModifyCommand";
    /// Deletes a command. A retry after a lost response may answer `InvalidCmdId.NotFound`.
    delete_command(DeleteCommandRequest) -> DeleteCommandResponse = "DeleteCommand";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::to_params;

    #[test]
    fn describe_commands_response_shape() {
        let body = r#"{"RequestId":"R","TotalCount":2,"PageNumber":1,"PageSize":10,"NextToken":"",
          "Commands":{"Command":[
            {"CommandId":"c-1","Name":"hello","Type":"RunShellScript","CommandContent":"ZWNobyB7e25hbWV9fQ==",
             "EnableParameter":true,"ParameterNames":{"ParameterName":["name","greeting"]},"Timeout":60},
            {"CommandId":"c-2","Name":"plain","Type":"RunBatScript","EnableParameter":false,
             "ParameterNames":{"ParameterName":[]}}]}}"#;
        let parsed: DescribeCommandsResponse = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.page.total_count, 2);
        let first = &parsed.commands[0];
        assert_eq!(first.command_type, CommandType::RunShellScript);
        assert!(first.enable_parameter);
        assert_eq!(first.parameter_names, ["name", "greeting"]);
        assert_eq!(first.command_content, "ZWNobyB7e25hbWV9fQ==");
        assert!(parsed.commands[1].parameter_names.is_empty());
    }

    #[test]
    fn modify_command_sends_only_what_changes() {
        let request = ModifyCommandRequest {
            command_id: "c-1".into(),
            timeout: Some(120),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        assert_eq!(
            params,
            [
                ("CommandId".into(), "c-1".into()),
                ("Timeout".into(), "120".into())
            ]
        );
    }

    #[test]
    fn create_command_renames_type() {
        let request = CreateCommandRequest {
            name: "n".into(),
            command_type: "RunShellScript".into(),
            command_content: "ZWNobw==".into(),
            enable_parameter: Some(true),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        assert!(params.contains(&("Type".into(), "RunShellScript".into())));
        assert!(params.contains(&("EnableParameter".into(), "true".into())));
    }
}
