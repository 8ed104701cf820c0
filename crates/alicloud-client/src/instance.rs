//! `DescribeInstances`, trimmed to what targeting commands needs: id, status, OS, name.

use serde::{Deserialize, Serialize};

use super::calls::api_calls;
use super::paging::{PageInfo, PageRequest};
use super::params::json_text;
use super::response::unwrap_list;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeInstancesRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    /// Sent as a JSON array, as the API expects (`InstanceIds=["i-1","i-2"]`).
    #[serde(serialize_with = "json_text", skip_serializing_if = "Option::is_none")]
    pub instance_ids: Option<Vec<String>>,
    /// `Pending`, `Running`, `Starting`, `Stopping` or `Stopped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(flatten)]
    pub page: PageRequest,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeInstancesResponse {
    pub request_id: String,
    #[serde(flatten)]
    pub page: PageInfo,
    #[serde(deserialize_with = "unwrap_list")]
    pub instances: Vec<Instance>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Instance {
    pub instance_id: String,
    pub instance_name: String,
    pub status: String,
    /// `linux` or `windows`.
    #[serde(rename = "OSType")]
    pub os_type: String,
    #[serde(rename = "OSName")]
    pub os_name: String,
    pub region_id: String,
    pub zone_id: String,
}

api_calls! {
    describe_instances(DescribeInstancesRequest) -> DescribeInstancesResponse = "DescribeInstances";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::to_params;

    #[test]
    fn instance_ids_travel_as_a_json_array() {
        let request = DescribeInstancesRequest {
            instance_ids: Some(vec!["i-1".into(), "i-2".into()]),
            status: Some("Running".into()),
            page: PageRequest {
                page_size: Some(50),
                ..Default::default()
            },
            ..Default::default()
        };
        let params = to_params(&request).unwrap();
        assert_eq!(
            params,
            [
                ("InstanceIds".to_owned(), r#"["i-1","i-2"]"#.to_owned()),
                ("Status".to_owned(), "Running".to_owned()),
                ("PageSize".to_owned(), "50".to_owned()),
            ]
        );
    }

    #[test]
    fn describe_instances_response_shape() {
        let body = r#"{"RequestId":"R","TotalCount":1,"Instances":{"Instance":[
            {"InstanceId":"i-1","InstanceName":"web","Status":"Running","OSType":"linux",
             "OSName":"Alibaba Cloud Linux 3","RegionId":"cn-hangzhou","ZoneId":"cn-hangzhou-h"}]}}"#;
        let parsed: DescribeInstancesResponse = serde_json::from_str(body).unwrap();
        let instance = &parsed.instances[0];
        assert_eq!(instance.os_type, "linux");
        assert_eq!(instance.instance_name, "web");
        assert_eq!(instance.status, "Running");
    }
}
