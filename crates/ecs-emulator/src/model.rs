//! The emulated resources: instances, commands and invocations, as fixtures and the state
//! file spell them (PascalCase, like the API). Times are Unix milliseconds.

use serde::{Deserialize, Serialize};

pub use super::outcome::RunOutcome;
pub use alicloud_api::vocabulary::{CommandType, RepeatMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OsType {
    Linux,
    Windows,
}

impl OsType {
    pub fn as_str(self) -> &'static str {
        match self {
            OsType::Linux => "linux",
            OsType::Windows => "windows",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "linux" => Some(OsType::Linux),
            "windows" => Some(OsType::Windows),
            _ => None,
        }
    }

    /// Where a command of this type runs: Bat and PowerShell on Windows, shell on Linux.
    pub fn of(command_type: CommandType) -> Self {
        if command_type.runs_on_windows() {
            OsType::Windows
        } else {
            OsType::Linux
        }
    }
}

/// The instance states of DescribeInstances; only `Running` instances accept commands.
pub const INSTANCE_STATUSES: [&str; 5] = ["Pending", "Running", "Starting", "Stopping", "Stopped"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    pub instance_id: String,
    #[serde(default)]
    pub instance_name: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub zone_id: String,
    #[serde(rename = "OSType")]
    pub os_type: OsType,
    #[serde(rename = "OSName", default)]
    pub os_name: String,
    pub status: String,
    #[serde(default)]
    pub instance_type: String,
    #[serde(default)]
    pub image_id: String,
    #[serde(default)]
    pub private_ip_address: String,
    #[serde(default)]
    pub vpc_id: String,
    #[serde(default)]
    pub v_switch_id: String,
    #[serde(default)]
    pub creation_time: String,
    /// What runs on this instance do (fixtures `Run`, flag `--instance-outcome`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<RunOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Command {
    pub command_id: String,
    #[serde(default)]
    pub region_id: String,
    pub name: String,
    #[serde(rename = "Type")]
    pub command_type: CommandType,
    /// Plain text (the API's Base64 is applied on the way out).
    pub command_content: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub working_dir: String,
    #[serde(default = "default_timeout")]
    pub timeout: u64,
    #[serde(default)]
    pub enable_parameter: bool,
    #[serde(default)]
    pub creation_time: String,
}

fn default_timeout() -> u64 {
    alicloud_api::command::DEFAULT_COMMAND_TIMEOUT_SECONDS
}

/// One instance's share of an invocation, fixed at creation; what it shows at a given time is
/// derived by `progress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceRun {
    pub instance_id: String,
    /// What each run prints: the command as rendered for this instance, unless an outcome
    /// says otherwise.
    pub output: String,
    pub exit_code: i64,
    /// When a one-shot run leaves `Pending` and starts.
    pub start_ms: i64,
    /// How long each run takes; longer than the timeout means it times out.
    pub run_ms: i64,
    pub stop_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Invocation {
    pub invoke_id: String,
    pub region_id: String,
    pub command_id: String,
    pub command_name: String,
    pub command_type: CommandType,
    pub command_description: String,
    pub command_content: String,
    /// Custom parameters in the order given (values are secrets: never logged).
    pub parameters: Vec<(String, String)>,
    pub username: String,
    pub windows_password_name: String,
    pub working_dir: String,
    pub timeout: u64,
    pub repeat_mode: RepeatMode,
    pub frequency: String,
    #[serde(default)]
    pub termination_mode: String,
    #[serde(default)]
    pub container_id: String,
    #[serde(default)]
    pub container_name: String,
    /// `Tag.N` pairs in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    pub created_ms: i64,
    pub runs: Vec<InstanceRun>,
    /// Forced out of the record set (admin `expire`), as if retention had passed.
    #[serde(default)]
    pub expired: bool,
}
