//! InvokeCommand's rules, as the API reference states them
//! (`docs/api-notes.md#invokecommand-limits`): how many instances and custom
//! parameters one call takes, the lengths of `Username` and `WindowsPasswordName`, the size of
//! content and parameters together, the daily quota, and the newer parameters (`Timeout`,
//! `WorkingDir`, `TerminationMode`, `ContainerId`, `ContainerName`, `Tag.N`), with what a run's
//! `Output` keeps. `RepeatMode` is in [`crate::vocabulary`]. Pure rules, shared by the emulator
//! (which answers the codes named here) and the provider's plan-time checks.

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
/// InvokeCommand calls per region per day (`Invocation.ExceedQuota`).
pub const DAILY_INVOKE_QUOTA: u32 = 5000;

/// The size the 16 KB rule ([`crate::command::MAX_ENCODED_CONTENT_BYTES`],
/// `CmdContent.ExceedLimit`) measures: the command content as stored (Base64, as
/// `DescribeCommands` returns it) plus the Base64 of the `Parameters` JSON text sent.
pub fn encoded_content_size(content_base64: &str, parameters_json: Option<&str>) -> usize {
    content_base64.len() + parameters_json.map_or(0, |json| STANDARD.encode(json).len())
}

/// `TerminationMode`, what a stop or a timeout ends (`InvalidTerminationMode.NotFound`).
pub const TERMINATION_MODES: [&str; 2] = ["Process", "ProcessTree"];
/// `Timeout` in seconds (`InvalidParameter`).
pub const MIN_TIMEOUT_SECONDS: u64 = 10;
pub const MAX_TIMEOUT_SECONDS: u64 = 86_400;
/// `WorkingDir`: at most 200 characters (`InvalidParameter.WorkingDir`).
pub const MAX_WORKING_DIR_CHARS: usize = 200;
/// `Tag.N`: N is 1 to 20.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_KEY_CHARS: usize = 64;
pub const MAX_TAG_VALUE_CHARS: usize = 128;
/// A tag key may not start with these (reserved for Alibaba Cloud's own tags).
pub const RESERVED_TAG_KEY_PREFIXES: [&str; 2] = ["aliyun", "acs:"];
/// Longer `Output` is cut to this many bytes; `Dropped` counts the rest.
pub const MAX_OUTPUT_BYTES: usize = 24 * 1024;

const CONTAINER_ID_PREFIXES: [&str; 3] = ["docker://", "containerd://", "cri-o://"];
const CONTAINER_ID_HEX_CHARS: usize = 64;
/// Docker's rule for a container name (the API reference gives none; unverified).
const MAX_CONTAINER_NAME_CHARS: usize = 255;

/// `ContainerId`: 64 hexadecimal characters, optionally after `docker://`, `containerd://` or
/// `cri-o://` (`InvalidContainerId.Malformed`).
pub fn is_container_id(text: &str) -> bool {
    let id = CONTAINER_ID_PREFIXES
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(text);
    id.len() == CONTAINER_ID_HEX_CHARS && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `ContainerName`: a letter or digit, then letters, digits, `_`, `.` or `-`, at most 255
/// characters (`InvalidContainerName.Malformed`).
pub fn is_container_name(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && text.len() <= MAX_CONTAINER_NAME_CHARS
}

/// Why a `Tag.N` pair is refused; each names the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("at most {MAX_TAGS} tags")]
    TooMany,
    #[error("a tag key must not be empty")]
    EmptyKey,
    #[error("a tag key is at most {MAX_TAG_KEY_CHARS} characters")]
    KeyTooLong,
    #[error("a tag key must not start with `aliyun` or `acs:`")]
    ReservedKey,
    #[error("a tag key must not contain `http://` or `https://`")]
    KeyWithUrl,
    #[error("a tag value is at most {MAX_TAG_VALUE_CHARS} characters")]
    ValueTooLong,
    #[error("tag keys must be unique")]
    DuplicateKey,
}

/// Checks one tag pair.
pub fn check_tag(key: &str, value: &str) -> Result<(), TagError> {
    if key.is_empty() {
        return Err(TagError::EmptyKey);
    }
    if key.chars().count() > MAX_TAG_KEY_CHARS {
        return Err(TagError::KeyTooLong);
    }
    if RESERVED_TAG_KEY_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return Err(TagError::ReservedKey);
    }
    if key.contains("http://") || key.contains("https://") {
        return Err(TagError::KeyWithUrl);
    }
    if value.chars().count() > MAX_TAG_VALUE_CHARS {
        return Err(TagError::ValueTooLong);
    }
    Ok(())
}

/// Checks a whole tag list: its length, each pair, and that keys are unique.
pub fn check_tags<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), TagError> {
    let mut seen = std::collections::HashSet::new();
    for (n, (key, value)) in tags.into_iter().enumerate() {
        if n >= MAX_TAGS {
            return Err(TagError::TooMany);
        }
        check_tag(key, value)?;
        if !seen.insert(key) {
            return Err(TagError::DuplicateKey);
        }
    }
    Ok(())
}

/// The part of `output` the API keeps and how many bytes it drops (cut on a character boundary).
pub fn kept_output(output: &str) -> (&str, usize) {
    let mut end = output.len().min(MAX_OUTPUT_BYTES);
    while !output.is_char_boundary(end) {
        end -= 1;
    }
    (output.get(..end).unwrap_or_default(), output.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_counts_stored_content_and_encoded_parameters() {
        // "{}" is 2 bytes, 4 once Base64-encoded.
        assert_eq!(encoded_content_size("ZWNobyBoaQ==", Some("{}")), 12 + 4);
        assert_eq!(encoded_content_size("ZWNobyBoaQ==", None), 12);
    }

    #[test]
    fn container_ids() {
        let hex = "0123456789abcdef".repeat(4);
        assert!(is_container_id(&hex));
        assert!(is_container_id(&format!("docker://{hex}")));
        assert!(is_container_id(&format!("containerd://{}", hex.to_uppercase())));
        assert!(is_container_id(&format!("cri-o://{hex}")));
        assert!(!is_container_id(&hex[1..]));
        assert!(!is_container_id(&format!("{hex}0")));
        assert!(!is_container_id(&format!("podman://{hex}")));
        assert!(!is_container_id(&"g".repeat(64)));
        assert!(!is_container_id(""));
    }

    #[test]
    fn container_names() {
        assert!(is_container_name("web-1") && is_container_name("a") && is_container_name("db_2.x"));
        assert!(!is_container_name("") && !is_container_name("-web") && !is_container_name("a b"));
        assert!(!is_container_name(&"a".repeat(256)));
    }

    #[test]
    fn tags() {
        assert_eq!(check_tag("env", ""), Ok(()));
        assert_eq!(check_tag("", "x"), Err(TagError::EmptyKey));
        assert_eq!(check_tag(&"k".repeat(65), ""), Err(TagError::KeyTooLong));
        assert_eq!(check_tag(&"k".repeat(64), &"v".repeat(128)), Ok(()));
        assert_eq!(check_tag("aliyun-x", ""), Err(TagError::ReservedKey));
        assert_eq!(check_tag("acs:x", ""), Err(TagError::ReservedKey));
        assert_eq!(check_tag("see https://x", ""), Err(TagError::KeyWithUrl));
        assert_eq!(check_tag("k", &"v".repeat(129)), Err(TagError::ValueTooLong));
        assert_eq!(check_tags([("a", "1"), ("a", "2")]), Err(TagError::DuplicateKey));
        let many: Vec<String> = (0..21).map(|n| format!("k{n}")).collect();
        assert_eq!(
            check_tags(many.iter().map(|k| (k.as_str(), ""))),
            Err(TagError::TooMany)
        );
        assert_eq!(check_tags(many.iter().take(20).map(|k| (k.as_str(), ""))), Ok(()));
    }

    #[test]
    fn output_is_cut_on_a_character_boundary() {
        assert_eq!(kept_output("hi"), ("hi", 0));
        let long = format!("{}é", "x".repeat(MAX_OUTPUT_BYTES - 1));
        let (kept, dropped) = kept_output(&long);
        assert_eq!((kept.len(), dropped), (MAX_OUTPUT_BYTES - 1, 2));
    }
}
