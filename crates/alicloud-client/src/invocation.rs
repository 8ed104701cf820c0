//! Cloud Assistant invocations: `InvokeCommand`, `DescribeInvocations`,
//! `DescribeInvocationResults` and `StopInvocation` (`docs/api-notes.md#invokecommand`,
//! `#reading-invocations`).
//!
//! Following many invocations: `DescribeInvocations` takes one `InvokeId` (no list), so the
//! status of several is read with one call per page of the region's records instead, narrowed
//! by `InvokeStatus`, `Timed`, `CommandId` or `InstanceId` and paged by `MaxResults` (at most
//! 50) and `NextToken`; each record carries every instance's state.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize, Serializer};

use super::calls::{api_calls, idempotent_calls};
use super::paging::{PageInfo, PageRequest};
use super::params::json_text;
use super::response::unwrap_list;
use super::secret::{SecretString, REDACTED};
use alicloud_api::vocabulary::{CommandType, InstanceStatus, InvocationStatus, RepeatMode, Reported};

/// How `CommandContent` and `Output` are encoded in answers (Base64 unless asked otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ContentEncoding {
    PlainText,
    #[default]
    Base64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the output is not valid Base64")]
pub struct OutputDecodeError;

impl ContentEncoding {
    /// The text of an `Output` (or `CommandContent`) sent in this encoding; bytes that are not
    /// UTF-8 (a command may print anything) become U+FFFD.
    pub fn decode(self, text: &str) -> Result<String, OutputDecodeError> {
        match self {
            Self::PlainText => Ok(text.to_owned()),
            Self::Base64 => STANDARD
                .decode(text)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .map_err(|_| OutputDecodeError),
        }
    }
}

/// `Debug` shows parameter names only: their values are often passwords.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvokeCommandRequest {
    /// `None` = the client's region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    pub command_id: String,
    #[serde(rename = "InstanceId")]
    pub instance_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// Sent as the JSON text of the map; an empty map is not sent (omitting the parameter is
    /// how the API is told "no custom parameters").
    #[serde(serialize_with = "json_text", skip_serializing_if = "no_parameters")]
    pub parameters: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_password_name: Option<String>,
    /// As configured: one of [`RepeatMode::NAMES`], checked by the caller (an unknown mode is
    /// the API's to refuse, `InvalidRepeatMode.NotFound`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_mode: Option<String>,
    /// Seconds each run may take, 10 to 86400; the command's own when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// `Process` or `ProcessTree`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// Tags on the invocation, sent as `Tag.N.Key` / `Tag.N.Value`.
    #[serde(
        rename = "Tag",
        serialize_with = "tag_list",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub tags: BTreeMap<String, String>,
    /// Idempotence token; generated when `None`, and the same on every retry of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

/// A map of tags as the RepeatList of `{Key, Value}` structs the API takes.
fn tag_list<S: Serializer>(tags: &BTreeMap<String, String>, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Pair<'a> {
        key: &'a str,
        value: &'a str,
    }
    serializer.collect_seq(tags.iter().map(|(key, value)| Pair { key, value }))
}

impl fmt::Debug for InvokeCommandRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parameters = self.parameters.as_ref().map(|map| {
            map.keys()
                .map(|name| (name, REDACTED))
                .collect::<BTreeMap<_, _>>()
        });
        f.debug_struct("InvokeCommandRequest")
            .field("region_id", &self.region_id)
            .field("command_id", &self.command_id)
            .field("instance_ids", &self.instance_ids)
            .field("timed", &self.timed)
            .field("frequency", &self.frequency)
            .field("parameters", &parameters)
            .field("username", &self.username)
            .field("windows_password_name", &self.windows_password_name)
            .field("repeat_mode", &self.repeat_mode)
            .field("timeout", &self.timeout)
            .field("working_dir", &self.working_dir)
            .field("termination_mode", &self.termination_mode)
            .field("container_id", &self.container_id)
            .field("container_name", &self.container_name)
            .field("tags", &self.tags)
            .field("client_token", &self.client_token)
            .finish()
    }
}

fn no_parameters(parameters: &Option<BTreeMap<String, String>>) -> bool {
    parameters.as_ref().is_none_or(BTreeMap::is_empty)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct InvokeCommandResponse {
    pub request_id: String,
    pub invoke_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeInvocationsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoke_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_type: Option<CommandType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// The overall status to select, e.g. `Running` to follow every unfinished invocation
    /// in one paged call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoke_status: Option<InvocationStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_mode: Option<RepeatMode>,
    /// Output is only sent when asked for (with `InvokeId` or `InstanceId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_output: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<ContentEncoding>,
    #[serde(flatten)]
    pub page: PageRequest,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeInvocationsResponse {
    pub request_id: String,
    #[serde(flatten)]
    pub page: PageInfo,
    #[serde(deserialize_with = "unwrap_list")]
    pub invocations: Vec<Invocation>,
}

/// One invocation as `DescribeInvocations` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Invocation {
    pub invoke_id: String,
    pub command_id: String,
    pub command_name: String,
    pub command_type: Reported<CommandType>,
    pub command_description: String,
    /// Base64 unless `ContentEncoding=PlainText` was asked for.
    pub command_content: String,
    /// The JSON text of the custom parameters; secret, like the values it holds.
    pub parameters: SecretString,
    pub username: String,
    pub working_dir: String,
    pub timeout: Option<i64>,
    pub timed: bool,
    pub frequency: String,
    pub repeat_mode: Reported<RepeatMode>,
    /// The overall status (`Pending`, `Running`, `Success`, `Failed`, `PartialFailed`, ...).
    pub invocation_status: Reported<InvocationStatus>,
    /// The legacy overall status.
    pub invoke_status: Reported<InvocationStatus>,
    pub creation_time: String,
    pub container_id: String,
    pub container_name: String,
    pub termination_mode: String,
    #[serde(deserialize_with = "unwrap_list")]
    pub tags: Vec<Tag>,
    #[serde(deserialize_with = "unwrap_list")]
    pub invoke_instances: Vec<InvokeInstance>,
}

/// A tag as answers spell it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Tag {
    pub tag_key: String,
    pub tag_value: String,
}

/// The per-instance state of an invocation (of a periodic one: its latest run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct InvokeInstance {
    pub instance_id: String,
    /// `Pending`, `Running`, `Success`, `Failed`, `Timeout`, `Scheduled`, `Cancelled`, ...
    pub invocation_status: Reported<InstanceStatus>,
    /// The legacy spelling.
    pub instance_invoke_status: Reported<InstanceStatus>,
    pub exit_code: Option<i64>,
    /// In the encoding asked for (see [`ContentEncoding::decode`]); empty unless
    /// `IncludeOutput`. Secret: a command may print anything.
    pub output: SecretString,
    /// Bytes of output beyond what the API keeps (24 KB).
    pub dropped: Option<i64>,
    pub error_code: String,
    pub error_info: String,
    pub repeats: Option<i64>,
    pub timed: bool,
    pub creation_time: String,
    pub start_time: String,
    pub finish_time: String,
    pub stop_time: String,
    pub update_time: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeInvocationResultsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoke_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoke_record_status: Option<InvocationStatus>,
    /// Every past run of a periodic invocation, not just the latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_history: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<ContentEncoding>,
    #[serde(flatten)]
    pub page: PageRequest,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeInvocationResultsResponse {
    pub request_id: String,
    pub invocation: InvocationResultPage,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct InvocationResultPage {
    #[serde(flatten)]
    pub page: PageInfo,
    #[serde(deserialize_with = "unwrap_list")]
    pub invocation_results: Vec<InvocationResult>,
}

/// One instance's run of an invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct InvocationResult {
    pub invoke_id: String,
    pub command_id: String,
    pub instance_id: String,
    pub invocation_status: Reported<InstanceStatus>,
    /// The legacy spelling.
    pub invoke_record_status: Reported<InstanceStatus>,
    pub exit_code: Option<i64>,
    /// In the encoding asked for (see [`ContentEncoding::decode`]); secret, as above.
    pub output: SecretString,
    pub dropped: Option<i64>,
    pub error_code: String,
    pub error_info: String,
    pub repeats: Option<i64>,
    pub username: String,
    pub start_time: String,
    /// `FinishedTime` here, `FinishTime` in DescribeInvocations.
    pub finished_time: String,
    pub stop_time: String,
    pub container_id: String,
    pub container_name: String,
    pub termination_mode: String,
    #[serde(deserialize_with = "unwrap_list")]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StopInvocationRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    pub invoke_id: String,
    /// Empty = every instance of the invocation.
    #[serde(rename = "InstanceId")]
    pub instance_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct StopInvocationResponse {
    pub request_id: String,
}

idempotent_calls! {
    /// Runs a command. A `ClientToken` is always sent: the caller's, or one generated here
    /// once for this call, so a retry after a lost response cannot start the command twice.
    invoke_command(InvokeCommandRequest) -> InvokeCommandResponse = "InvokeCommand";
}

api_calls! {
    describe_invocations(DescribeInvocationsRequest) -> DescribeInvocationsResponse = "DescribeInvocations";
    describe_invocation_results(DescribeInvocationResultsRequest) -> DescribeInvocationResultsResponse =
        "DescribeInvocationResults";
    stop_invocation(StopInvocationRequest) -> StopInvocationResponse = "StopInvocation";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::to_params;

    #[test]
    fn invoke_request_flattens_as_the_reference_says() {
        let request = InvokeCommandRequest {
            region_id: Some("cn-hangzhou".into()),
            command_id: "c-1".into(),
            instance_ids: vec!["i-a".into(), "i-b".into()],
            timed: Some(true),
            frequency: Some("0 */20 * * * *".into()),
            parameters: Some(BTreeMap::from([("name".to_owned(), "Jack".to_owned())])),
            username: Some("root".into()),
            client_token: Some("tok-1".into()),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        let got: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("RegionId", "cn-hangzhou"),
                ("CommandId", "c-1"),
                ("InstanceId.1", "i-a"),
                ("InstanceId.2", "i-b"),
                ("Timed", "true"),
                ("Frequency", "0 */20 * * * *"),
                ("Parameters", r#"{"name":"Jack"}"#),
                ("Username", "root"),
                ("ClientToken", "tok-1"),
            ]
        );
    }

    #[test]
    fn newer_parameters_flatten_with_tags_as_a_struct_list() {
        let request = InvokeCommandRequest {
            command_id: "c-1".into(),
            instance_ids: vec!["i-a".into()],
            repeat_mode: Some("Period".into()),
            timeout: Some(600),
            working_dir: Some("/srv".into()),
            termination_mode: Some("ProcessTree".into()),
            container_id: Some("docker://ab".into()),
            container_name: Some("web".into()),
            tags: BTreeMap::from([
                ("team".to_owned(), "ops".to_owned()),
                ("a".to_owned(), String::new()),
            ]),
            client_token: Some("t".into()),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        let got: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("CommandId", "c-1"),
                ("InstanceId.1", "i-a"),
                ("RepeatMode", "Period"),
                ("Timeout", "600"),
                ("WorkingDir", "/srv"),
                ("TerminationMode", "ProcessTree"),
                ("ContainerId", "docker://ab"),
                ("ContainerName", "web"),
                ("Tag.1.Key", "a"),
                ("Tag.1.Value", ""),
                ("Tag.2.Key", "team"),
                ("Tag.2.Value", "ops"),
                ("ClientToken", "t"),
            ]
        );
    }

    #[test]
    fn output_decodes_in_either_encoding() {
        assert_eq!(ContentEncoding::default().decode("aGk="), Ok("hi".into()));
        assert_eq!(ContentEncoding::Base64.decode("/w=="), Ok("\u{fffd}".into()));
        assert_eq!(
            ContentEncoding::Base64.decode("not base64!"),
            Err(OutputDecodeError)
        );
        assert_eq!(ContentEncoding::PlainText.decode("hi"), Ok("hi".into()));
    }

    #[test]
    fn debug_shows_parameter_names_not_values() {
        let request = InvokeCommandRequest {
            parameters: Some(BTreeMap::from([("password".to_owned(), "hunter2".to_owned())])),
            ..Default::default()
        };
        let text = format!("{request:?}");
        assert!(text.contains("password"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn empty_parameters_are_not_sent() {
        let request = InvokeCommandRequest {
            command_id: "c-1".into(),
            instance_ids: vec!["i-a".into()],
            parameters: Some(BTreeMap::new()),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        assert!(params.iter().all(|(k, _)| k != "Parameters"));
    }

    #[test]
    fn describe_invocations_response_shape() {
        let body = r#"{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":10,
          "Invocations":{"Invocation":[{"InvokeId":"t-1","CommandId":"c-1","Parameters":"{\"pw\":\"hunter2\"}",
            "InvocationStatus":"Success","Timed":false,"Timeout":60,
            "InvokeInstances":{"InvokeInstance":[{"InstanceId":"i-a","InvocationStatus":"Success",
              "ExitCode":0,"Output":"aGk=","Dropped":0,"Repeats":1}]}}]}}"#;
        let parsed: DescribeInvocationsResponse = serde_json::from_str(body).unwrap();
        let invocation = &parsed.invocations[0];
        assert_eq!(invocation.invoke_id, "t-1");
        assert_eq!(invocation.invocation_status, InvocationStatus::Success);
        assert_eq!(
            invocation.invoke_instances[0].invocation_status,
            InstanceStatus::Success
        );
        assert_eq!(invocation.timeout, Some(60));
        assert_eq!(invocation.invoke_instances[0].exit_code, Some(0));
        assert_eq!(invocation.invoke_instances[0].output.expose(), "aGk=");
        assert_eq!(invocation.parameters.expose(), r#"{"pw":"hunter2"}"#);
        assert!(!format!("{parsed:?}").contains("hunter2"));
    }

    #[test]
    fn invocation_results_shape() {
        let body = r#"{"RequestId":"R","Invocation":{"TotalCount":1,"NextToken":"n",
          "InvocationResults":{"InvocationResult":[{"InvokeId":"t-1","InstanceId":"i-a",
          "InvocationStatus":"Failed","ExitCode":2,"FinishedTime":"2024-01-01T00:00:00Z",
          "Output":"c2VjcmV0","Tags":{"Tag":[{"TagKey":"k","TagValue":"v"}]}}]}}}"#;
        let parsed: DescribeInvocationResultsResponse = serde_json::from_str(body).unwrap();
        let result = &parsed.invocation.invocation_results[0];
        assert_eq!(result.exit_code, Some(2));
        assert!(result.invocation_status.is(InstanceStatus::is_failure));
        assert_eq!(result.finished_time, "2024-01-01T00:00:00Z");
        assert_eq!(parsed.invocation.page.next_token, "n");
        assert_eq!(
            result.tags,
            [Tag {
                tag_key: "k".into(),
                tag_value: "v".into()
            }]
        );
        assert_eq!(
            ContentEncoding::Base64.decode(result.output.expose()),
            Ok("secret".into())
        );
        assert!(
            !format!("{result:?}").contains("c2VjcmV0"),
            "output stays out of Debug"
        );
    }

    #[test]
    fn sparse_answers_are_accepted() {
        let parsed: DescribeInvocationsResponse = serde_json::from_str(r#"{"RequestId":"R"}"#).unwrap();
        assert!(parsed.invocations.is_empty());
        let invocation: Invocation = serde_json::from_str(r#"{"InvokeId":"t-1"}"#).unwrap();
        assert_eq!(invocation.timeout, None);
        assert!(invocation.invoke_instances.is_empty());
        // A status newer than this crate is kept as sent, not refused.
        let newer: InvokeInstance = serde_json::from_str(r#"{"InvocationStatus":"Paused"}"#).unwrap();
        assert_eq!(newer.invocation_status, Reported::Unknown("Paused".into()));
    }

    #[test]
    fn encodings_serialize_as_the_api_spells_them() {
        let request = DescribeInvocationsRequest {
            invoke_id: Some("t-1".into()),
            invoke_status: Some(InvocationStatus::Running),
            include_output: Some(true),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        assert!(params.contains(&("ContentEncoding".into(), "PlainText".into())));
        assert!(params.contains(&("IncludeOutput".into(), "true".into())));
        assert!(params.contains(&("InvokeStatus".into(), "Running".into())));
    }
}
