//! What DescribeInvocations and DescribeInvocationResults both show of an invocation: the
//! per-instance fields they share, the effective username, the Parameters text.

use serde_json::{json, Map, Value};

use super::encoding::ContentEncoding;
use super::object;
use crate::model::{CommandType, InstanceRun, Invocation, OsType};
use crate::progress::RunView;
use crate::time::format_opt;

/// The user a run executes as: the one asked for, else `root` on Linux, `System` on Windows.
pub fn username(invocation: &Invocation) -> &str {
    match (invocation.username.as_str(), OsType::of(invocation.command_type)) {
        ("", OsType::Linux) => "root",
        ("", OsType::Windows) => "System",
        (name, _) => name,
    }
}

/// The working directory a run uses: the one asked for, else the platform's default.
pub fn working_dir(invocation: &Invocation) -> &str {
    match (invocation.working_dir.as_str(), invocation.command_type) {
        ("", CommandType::RunShellScript) => "/root",
        ("", _) => "C:\\Windows\\system32",
        (dir, _) => dir,
    }
}

/// The custom parameters as the JSON object text the API returns (`{}` when none).
pub fn parameters_text(invocation: &Invocation) -> String {
    let map: Map<String, Value> = invocation
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    Value::Object(map).to_string()
}

/// The `Tags` object: `{"Tag": [{"TagKey", "TagValue"}]}`.
pub fn tags(invocation: &Invocation) -> Value {
    let tags: Vec<Value> = invocation
        .tags
        .iter()
        .map(|(key, value)| json!({ "TagKey": key, "TagValue": value }))
        .collect();
    json!({ "Tag": tags })
}

/// Fields of one instance's run common to both Describe calls.
pub fn run_fields(
    run: &InstanceRun,
    view: &RunView,
    encoding: ContentEncoding,
    include_output: bool,
) -> Map<String, Value> {
    let output = if include_output {
        encoding.encode(view.output)
    } else {
        String::new()
    };
    object(json!({
        "InstanceId": run.instance_id,
        "InvocationStatus": view.status.as_str(),
        "ExitCode": view.exit_code,
        "Output": output,
        "Dropped": view.dropped,
        "ErrorCode": view.error_code,
        "ErrorInfo": view.error_info,
        "Repeats": view.repeats,
        "StartTime": format_opt(view.start_ms),
        "StopTime": format_opt(view.stop_ms),
        "OssOutputStatus": "",
        "OssOutputUri": "",
        "OssOutputErrorCode": "",
        "OssOutputErrorInfo": "",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RepeatMode;

    fn invocation(command_type: CommandType, username: &str) -> Invocation {
        Invocation {
            invoke_id: "t-1".into(),
            region_id: "r".into(),
            command_id: "c".into(),
            command_name: "n".into(),
            command_type,
            command_description: String::new(),
            command_content: String::new(),
            parameters: vec![("b".into(), "2".into()), ("a".into(), "\"q\"".into())],
            username: username.into(),
            windows_password_name: String::new(),
            working_dir: String::new(),
            timeout: 60,
            repeat_mode: RepeatMode::Once,
            frequency: String::new(),
            termination_mode: String::new(),
            container_id: String::new(),
            container_name: String::new(),
            tags: vec![("k".into(), "v".into())],
            created_ms: 0,
            runs: vec![],
            expired: false,
        }
    }

    #[test]
    fn defaults_by_platform() {
        assert_eq!(username(&invocation(CommandType::RunShellScript, "")), "root");
        assert_eq!(
            username(&invocation(CommandType::RunPowerShellScript, "")),
            "System"
        );
        assert_eq!(username(&invocation(CommandType::RunBatScript, "admin")), "admin");
        assert_eq!(working_dir(&invocation(CommandType::RunShellScript, "")), "/root");
    }

    #[test]
    fn tags_as_the_api_nests_them() {
        assert_eq!(
            tags(&invocation(CommandType::RunShellScript, "")).to_string(),
            r#"{"Tag":[{"TagKey":"k","TagValue":"v"}]}"#
        );
    }

    #[test]
    fn parameters_keep_order_and_escape() {
        assert_eq!(
            parameters_text(&invocation(CommandType::RunShellScript, "")),
            r#"{"b":"2","a":"\"q\""}"#
        );
    }
}
