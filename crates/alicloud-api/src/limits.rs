//! InvokeCommand's limits, as the API reference states them. The provider checks them at plan
//! time and the emulator enforces them, so both read the numbers and the size rule from here.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// `InstanceId.N`: N is 1 to 50 (`InstanceIds.ExceedLimit`).
pub const MAX_INSTANCES: usize = 50;
/// Custom parameters passed to one invocation: 0 to 10 (`ParameterCount.ExceedLimit`).
pub const MAX_PARAMETERS: usize = 10;
/// A parameter name: 1 to 64 characters (`ParameterKey.ExceedLimit`).
pub const MAX_PARAMETER_KEY_CHARS: usize = 64;
/// `Username`: at most 255 characters (`Username.ExceedLimit`).
pub const MAX_USERNAME_CHARS: usize = 255;
/// `WindowsPasswordName`: at most 255 characters (`WindowsPasswordName.ExceedLimit`).
pub const MAX_WINDOWS_PASSWORD_NAME_CHARS: usize = 255;
/// A command's `Timeout` when `CreateCommand` was given none: 60 seconds.
pub const DEFAULT_COMMAND_TIMEOUT_SECONDS: u64 = 60;
/// Command content and parameters together, once Base64-encoded: 16 KB (`CmdContent.ExceedLimit`).
pub const MAX_ENCODED_CONTENT_BYTES: usize = 16 * 1024;
/// `RunCommand` with `KeepCommand=false` (a command not kept): Base64 content and parameters
/// together up to 24 KB (`CmdContent.ExceedLimit`).
pub const MAX_RUN_COMMAND_ENCODED_BYTES: usize = 24 * 1024;
/// InvokeCommand calls per region per day (`Invocation.ExceedQuota`).
pub const DAILY_INVOKE_QUOTA: u32 = 5000;

/// The size the 16 KB rule measures: the command content as stored (Base64, as
/// `DescribeCommands` returns it) plus the Base64 of the `Parameters` JSON text sent.
pub fn encoded_content_size(content_base64: &str, parameters_json: Option<&str>) -> usize {
    content_base64.len() + parameters_json.map_or(0, |json| STANDARD.encode(json).len())
}

/// The length of `bytes` bytes once Base64-encoded (padded).
pub fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_counts_stored_content_and_encoded_parameters() {
        // "{}" is 2 bytes, 4 once Base64-encoded.
        assert_eq!(encoded_content_size("ZWNobyBoaQ==", Some("{}")), 12 + 4);
        assert_eq!(encoded_content_size("ZWNobyBoaQ==", None), 12);
        assert_eq!(base64_len("echo hi".len()), "ZWNobyBoaQ==".len());
    }
}
