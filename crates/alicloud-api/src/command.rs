//! The rules of a command's definition and content (`CreateCommand`, `ModifyCommand`, and
//! `RunCommand`'s inline content; `docs/api-notes.md#commands`): name, description and working-directory lengths,
//! the timeout range and its default, the content size and the `{{name}}` placeholder
//! grammar. `Type` is [`crate::vocabulary::CommandType`]. Pure rules, shared by the emulator
//! (which answers the codes named here) and the provider's plan-time checks.

use std::ops::Range;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Command content, once Base64-encoded, with the parameters InvokeCommand adds: 16 KB
/// (`CmdContent.ExceedLimit`).
pub const MAX_ENCODED_CONTENT_BYTES: usize = 16 * 1024;
/// `RunCommand` with `KeepCommand=false` (a command not kept): Base64 content and parameters
/// together up to 24 KB (`CmdContent.ExceedLimit`).
pub const MAX_RUN_COMMAND_ENCODED_BYTES: usize = 24 * 1024;
/// A command's `Timeout` when `CreateCommand` was given none: 60 seconds.
pub const DEFAULT_COMMAND_TIMEOUT_SECONDS: u64 = 60;
/// `Name`: 1 to 128 characters (`CmdName.ExceedLimit`).
pub const MAX_NAME_CHARS: usize = 128;
/// `Description`: at most 512 characters (`CmdDesc.ExceedLimit`).
pub const MAX_DESCRIPTION_CHARS: usize = 512;
/// `WorkingDir`, `Timeout`: the same rules as InvokeCommand's (`InvalidParameter.WorkingDir`,
/// `InvalidParameter`).
pub use super::invoke_command::{MAX_TIMEOUT_SECONDS, MAX_WORKING_DIR_CHARS, MIN_TIMEOUT_SECONDS};
/// Distinct custom parameters a command defines: at most 20 (`CmdParamCount.ExceedLimit`;
/// the limit is documented, the code's name is unverified).
pub const MAX_PARAMETERS: usize = 20;
/// A custom parameter name: at most 64 bytes (`CmdParamName.ExceedLimit`).
pub const MAX_PARAMETER_NAME_BYTES: usize = 64;
/// `{{ACS::...}}`: the built-ins the agent fills in, never custom parameters.
pub const BUILTIN_PREFIX: &str = "ACS::";

/// One `{{...}}` in a command's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// Byte range of the whole placeholder, braces included.
    pub range: Range<usize>,
    /// What is inside the braces, white space trimmed (the API ignores it).
    pub inner: &'a str,
}

/// Each `{{...}}` in the content, in order; an unclosed `{{` is plain text.
pub fn placeholders(content: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = content
        .get(from..)
        .and_then(|rest| rest.find("{{"))
        .map(|at| at + from)
    {
        let Some(close) = content
            .get(open + 2..)
            .and_then(|rest| rest.find("}}"))
            .map(|at| at + open + 2)
        else {
            break;
        };
        found.push(Placeholder {
            range: open..close + 2,
            inner: content.get(open + 2..close).unwrap_or_default().trim(),
        });
        from = close + 2;
    }
    found
}

/// A valid custom parameter name: letters, digits, `-` and `_`, 1 to 64 bytes.
pub fn is_parameter_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_PARAMETER_NAME_BYTES
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The custom parameter names the content defines, in order of first use; built-ins and
/// anything that is not a valid name are not parameters.
pub fn parameter_names(content: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for placeholder in placeholders(content) {
        let name = placeholder.inner;
        if is_parameter_name(name) && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// Why the placeholders of a parameter-enabled command are refused; each names its code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    /// `CmdParam.EmptyKey`
    #[error("a placeholder `{{{{}}}}` has no name")]
    EmptyName,
    /// `CmdParamName.ExceedLimit`
    #[error("placeholder name `{0}` is longer than {MAX_PARAMETER_NAME_BYTES} characters")]
    NameTooLong(String),
    /// `CmdParam.InvalidParamName`
    #[error("placeholder name `{0}` may hold only letters, digits, `-` and `_` (or be an `ACS::` built-in)")]
    InvalidName(String),
    /// `CmdParamCount.ExceedLimit`
    #[error("the content defines {0} custom parameters; at most {MAX_PARAMETERS} are allowed")]
    TooMany(usize),
}

impl PlaceholderError {
    /// The API error code the rule prevents.
    pub fn code(&self) -> &'static str {
        match self {
            PlaceholderError::EmptyName => "CmdParam.EmptyKey",
            PlaceholderError::NameTooLong(_) => "CmdParamName.ExceedLimit",
            PlaceholderError::InvalidName(_) => "CmdParam.InvalidParamName",
            PlaceholderError::TooMany(_) => "CmdParamCount.ExceedLimit",
        }
    }
}

/// The checks of `CreateCommand` / `ModifyCommand` on the placeholders when parameters are
/// enabled, in the API's order: each placeholder, then how many distinct names there are.
pub fn check_placeholders(content: &str) -> Result<(), PlaceholderError> {
    for placeholder in placeholders(content) {
        let name = placeholder.inner;
        if name.is_empty() {
            return Err(PlaceholderError::EmptyName);
        }
        if name.starts_with(BUILTIN_PREFIX) {
            continue;
        }
        if name.len() > MAX_PARAMETER_NAME_BYTES {
            return Err(PlaceholderError::NameTooLong(name.to_string()));
        }
        if !is_parameter_name(name) {
            return Err(PlaceholderError::InvalidName(name.to_string()));
        }
    }
    let count = parameter_names(content).len();
    if count > MAX_PARAMETERS {
        return Err(PlaceholderError::TooMany(count));
    }
    Ok(())
}

/// The length of `bytes` bytes once Base64-encoded (padded).
pub fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// Whether the content, once Base64-encoded as the API stores it, fits the 16 KB
/// (`CmdContent.ExceedLimit`).
pub fn content_fits(content: &str) -> bool {
    STANDARD.encode(content).len() <= MAX_ENCODED_CONTENT_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_order_without_builtins_or_duplicates() {
        assert_eq!(
            parameter_names("{{b}} {{a}} {{ b }} {{ACS::RegionId}} {{x y}}"),
            ["b", "a"]
        );
        assert!(parameter_names("no placeholders {{ unclosed").is_empty());
        let found = placeholders("x {{ a }} y");
        assert_eq!(
            found,
            [Placeholder {
                range: 2..9,
                inner: "a"
            }]
        );
    }

    #[test]
    fn placeholder_rules_name_their_codes() {
        assert_eq!(check_placeholders("{{ok}} {{ACS::InstanceId}} {{a-b_9}}"), Ok(()));
        let code = |content: &str| check_placeholders(content).map_err(|e| e.code());
        assert_eq!(code("{{ }}"), Err("CmdParam.EmptyKey"));
        assert_eq!(code("{{a b}}"), Err("CmdParam.InvalidParamName"));
        assert_eq!(code("{{a.b}}"), Err("CmdParam.InvalidParamName"));
        assert_eq!(
            code(&format!("{{{{{}}}}}", "n".repeat(65))),
            Err("CmdParamName.ExceedLimit")
        );
        assert_eq!(check_placeholders(&format!("{{{{{}}}}}", "n".repeat(64))), Ok(()));
        let names = |n: usize| (0..n).map(|i| format!("{{{{p{i}}}}}")).collect::<String>();
        assert_eq!(check_placeholders(&names(20)), Ok(()));
        assert_eq!(check_placeholders(&names(21)), Err(PlaceholderError::TooMany(21)));
        // The same name used twice counts once.
        assert_eq!(check_placeholders(&format!("{}{}", names(20), names(20))), Ok(()));
    }

    #[test]
    fn content_size_is_measured_in_base64() {
        // 12288 bytes encode to exactly 16384.
        assert!(content_fits(&"a".repeat(12_288)));
        assert!(!content_fits(&"a".repeat(12_289)));
        assert_eq!(base64_len("echo hi".len()), "ZWNobyBoaQ==".len());
    }
}
