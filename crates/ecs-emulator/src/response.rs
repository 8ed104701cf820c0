//! Answer bodies: success objects with `RequestId` first, and the error object
//! `{"RequestId","HostId","Code","Message","Recommend"}` of the ECS gateway.

use serde_json::{json, Map, Value};

use super::errors::ApiError;

/// A fresh request id in the API's shape (upper-case UUID).
pub fn request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string().to_ascii_uppercase()
}

pub fn success(request_id: &str, fields: Map<String, Value>) -> String {
    let mut body = Map::with_capacity(fields.len() + 1);
    body.insert("RequestId".into(), json!(request_id));
    body.extend(fields);
    Value::Object(body).to_string()
}

pub fn error(request_id: &str, host_id: &str, error: &ApiError) -> String {
    let code = error.code();
    json!({
        "RequestId": request_id,
        "HostId": host_id,
        "Code": code,
        "Message": error.to_string(),
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Ecs&requestId={request_id}"),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let mut fields = Map::new();
        fields.insert("InvokeId".into(), json!("t-1"));
        assert_eq!(success("R", fields), r#"{"RequestId":"R","InvokeId":"t-1"}"#);
        let body: Value =
            serde_json::from_str(&error("R", "ecs.aliyuncs.com", &ApiError::InstanceNotFound)).unwrap();
        assert_eq!(body["Code"], "InvalidInstance.NotFound");
        assert_eq!(body["Message"], "The specified instance does not exist.");
        assert_eq!(body["HostId"], "ecs.aliyuncs.com");
        assert!(body["Recommend"]
            .as_str()
            .unwrap()
            .contains("q=InvalidInstance.NotFound"));
        let id = request_id();
        assert_eq!((id.len(), id.to_ascii_uppercase()), (36, id.clone()));
    }
}
