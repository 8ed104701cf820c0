//! Cloud Assistant invocations: `InvokeCommand`, `DescribeInvocations`,
//! `DescribeInvocationResults` and `StopInvocation` (fact sheet 4, 5.1-5.3).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::EcsClient;
use super::error::ClientError;
use super::paging::{PageInfo, PageRequest};
use super::params::json_text;
use super::response::unwrap_list;
use super::secret::{SecretString, REDACTED};

/// How `CommandContent` and `Output` are encoded in answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ContentEncoding {
    PlainText,
    Base64,
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
    /// Idempotence token; generated when `None`, and the same on every retry of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
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
    pub command_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoke_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timed: Option<bool>,
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
    pub command_type: String,
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
    pub repeat_mode: String,
    /// The overall status (`Pending`, `Running`, `Success`, `Failed`, `PartialFailed`, ...).
    pub invocation_status: String,
    /// The legacy overall status.
    pub invoke_status: String,
    pub creation_time: String,
    #[serde(deserialize_with = "unwrap_list")]
    pub invoke_instances: Vec<InvokeInstance>,
}

/// The per-instance state of an invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct InvokeInstance {
    pub instance_id: String,
    pub invocation_status: String,
    pub instance_invoke_status: String,
    pub exit_code: Option<i64>,
    pub output: String,
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
    pub invoke_record_status: Option<String>,
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
    pub invocation_status: String,
    pub invoke_record_status: String,
    pub exit_code: Option<i64>,
    pub output: String,
    pub dropped: Option<i64>,
    pub error_code: String,
    pub error_info: String,
    pub repeats: Option<i64>,
    pub username: String,
    pub start_time: String,
    pub finished_time: String,
    pub stop_time: String,
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

impl EcsClient {
    /// Runs a command. A `ClientToken` is always sent: the caller's, or one generated here
    /// once for this call, so a retry after a lost response cannot start the command twice.
    pub async fn invoke_command(
        &self,
        request: &InvokeCommandRequest,
    ) -> Result<InvokeCommandResponse, ClientError> {
        let mut request = request.clone();
        request
            .client_token
            .get_or_insert_with(|| Uuid::new_v4().to_string());
        self.call("InvokeCommand", &request).await
    }

    pub async fn describe_invocations(
        &self,
        request: &DescribeInvocationsRequest,
    ) -> Result<DescribeInvocationsResponse, ClientError> {
        self.call("DescribeInvocations", request).await
    }

    pub async fn describe_invocation_results(
        &self,
        request: &DescribeInvocationResultsRequest,
    ) -> Result<DescribeInvocationResultsResponse, ClientError> {
        self.call("DescribeInvocationResults", request).await
    }

    pub async fn stop_invocation(
        &self,
        request: &StopInvocationRequest,
    ) -> Result<StopInvocationResponse, ClientError> {
        self.call("StopInvocation", request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::to_params;

    #[test]
    fn invoke_request_flattens_per_the_seed() {
        let request = InvokeCommandRequest {
            region_id: Some("cn-hangzhou".into()),
            command_id: "c-1".into(),
            instance_ids: vec!["i-a".into(), "i-b".into()],
            timed: Some(true),
            frequency: Some("0 */20 * * * *".into()),
            parameters: Some(BTreeMap::from([("name".to_owned(), "Jack".to_owned())])),
            username: Some("root".into()),
            windows_password_name: None,
            client_token: Some("tok-1".into()),
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
        assert_eq!(invocation.timeout, Some(60));
        assert_eq!(invocation.invoke_instances[0].exit_code, Some(0));
        assert_eq!(invocation.invoke_instances[0].output, "aGk=");
        assert_eq!(invocation.parameters.expose(), r#"{"pw":"hunter2"}"#);
        assert!(!format!("{parsed:?}").contains("hunter2"));
    }

    #[test]
    fn invocation_results_shape() {
        let body = r#"{"RequestId":"R","Invocation":{"TotalCount":1,"NextToken":"n",
          "InvocationResults":{"InvocationResult":[{"InvokeId":"t-1","InstanceId":"i-a",
          "InvocationStatus":"Failed","ExitCode":2,"FinishedTime":"2024-01-01T00:00:00Z"}]}}}"#;
        let parsed: DescribeInvocationResultsResponse = serde_json::from_str(body).unwrap();
        let result = &parsed.invocation.invocation_results[0];
        assert_eq!(result.exit_code, Some(2));
        assert_eq!(result.finished_time, "2024-01-01T00:00:00Z");
        assert_eq!(parsed.invocation.page.next_token, "n");
    }

    #[test]
    fn sparse_answers_are_accepted() {
        let parsed: DescribeInvocationsResponse = serde_json::from_str(r#"{"RequestId":"R"}"#).unwrap();
        assert!(parsed.invocations.is_empty());
        let invocation: Invocation = serde_json::from_str(r#"{"InvokeId":"t-1"}"#).unwrap();
        assert_eq!(invocation.timeout, None);
        assert!(invocation.invoke_instances.is_empty());
    }

    #[test]
    fn encodings_serialize_as_the_api_spells_them() {
        let request = DescribeInvocationsRequest {
            invoke_id: Some("t-1".into()),
            include_output: Some(true),
            content_encoding: Some(ContentEncoding::PlainText),
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        assert!(params.contains(&("ContentEncoding".into(), "PlainText".into())));
        assert!(params.contains(&("IncludeOutput".into(), "true".into())));
    }
}
