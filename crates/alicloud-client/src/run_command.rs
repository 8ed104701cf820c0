//! `RunCommand`: inline content run on instances with no `CreateCommand` first. The content
//! travels as plain text (`ContentEncoding=PlainText`) and the command is not kept unless
//! asked. Like `InvokeCommand` it always carries a `ClientToken`, the same on every retry.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use super::calls::{with_client_token, Idempotent};
use super::client::EcsClient;
use super::error::ClientError;
use super::secret::REDACTED;

/// `Debug` shows parameter names only, and the content's length, not its text.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunCommandRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    /// As configured: one of [`CommandType::NAMES`](crate::CommandType::NAMES), checked by the
    /// caller.
    #[serde(rename = "Type")]
    pub command_type: String,
    /// Plain text; sent with `ContentEncoding=PlainText`.
    pub command_content: String,
    #[serde(rename = "InstanceId")]
    pub instance_ids: Vec<String>,
    /// Sent as `true` when parameters are given, so the content's `{{name}}` take them.
    #[serde(serialize_with = "json_text", skip_serializing_if = "no_parameters")]
    pub parameters: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_parameter: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_command: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_password_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// Idempotence token; generated when `None`, and the same on every retry of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

fn json_text<S: Serializer>(
    parameters: &Option<BTreeMap<String, String>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(parameters).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

fn no_parameters(parameters: &Option<BTreeMap<String, String>>) -> bool {
    parameters.as_ref().is_none_or(BTreeMap::is_empty)
}

impl fmt::Debug for RunCommandRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parameters = self.parameters.as_ref().map(|map| {
            map.keys()
                .map(|name| (name, REDACTED))
                .collect::<BTreeMap<_, _>>()
        });
        f.debug_struct("RunCommandRequest")
            .field("region_id", &self.region_id)
            .field("command_type", &self.command_type)
            .field("command_content_bytes", &self.command_content.len())
            .field("instance_ids", &self.instance_ids)
            .field("parameters", &parameters)
            .field("keep_command", &self.keep_command)
            .field("username", &self.username)
            .field("client_token", &self.client_token)
            .finish_non_exhaustive()
    }
}

/// What is sent: the request, its content marked as plain text.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Wire<'a> {
    #[serde(flatten)]
    request: &'a RunCommandRequest,
    content_encoding: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RunCommandResponse {
    pub request_id: String,
    pub command_id: String,
    pub invoke_id: String,
}

impl Idempotent for RunCommandRequest {
    fn client_token(&mut self) -> &mut Option<String> {
        &mut self.client_token
    }
}

impl EcsClient {
    /// Runs inline content. A `ClientToken` is always sent: the caller's, or one generated
    /// here and reused on every retry, so a retried call cannot run the content twice.
    pub async fn run_command(&self, request: &RunCommandRequest) -> Result<RunCommandResponse, ClientError> {
        let mut request = with_client_token(request);
        if !no_parameters(&request.parameters) {
            request.enable_parameter.get_or_insert(true);
        }
        let wire = Wire {
            request: &request,
            content_encoding: "PlainText",
        };
        self.call("RunCommand", &wire).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::to_params;

    #[test]
    fn request_flattens_with_plain_text_content() {
        let request = RunCommandRequest {
            command_type: "RunShellScript".into(),
            command_content: "echo {{who}}".into(),
            instance_ids: vec!["i-1".into(), "i-2".into()],
            parameters: Some([("who".to_string(), "me".to_string())].into()),
            client_token: Some("tok".into()),
            ..Default::default()
        };
        let params = to_params(&Wire {
            request: &request,
            content_encoding: "PlainText",
        })
        .unwrap();
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("Type"), Some("RunShellScript"));
        assert_eq!(get("CommandContent"), Some("echo {{who}}"));
        assert_eq!(get("InstanceId.2"), Some("i-2"));
        assert_eq!(get("Parameters"), Some(r#"{"who":"me"}"#));
        assert_eq!(get("ContentEncoding"), Some("PlainText"));
        assert_eq!(get("ClientToken"), Some("tok"));
        let shown = format!("{request:?}");
        assert!(!shown.contains("me\"") && !shown.contains("echo"), "{shown}");
    }
}
