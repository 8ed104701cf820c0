//! The fields `CreateCommand` and `ModifyCommand` share, each read and checked against the
//! rules of `alicloud_api::command` with the code the API answers.

use super::parameters;
use super::template;
use crate::errors::ApiError;
use crate::params::Params;
use alicloud_api::command::{
    MAX_DESCRIPTION_CHARS, MAX_ENCODED_CONTENT_BYTES, MAX_NAME_CHARS, MAX_TIMEOUT_SECONDS,
    MAX_WORKING_DIR_CHARS, MIN_TIMEOUT_SECONDS,
};

/// `Name`, when given (`CmdName.ExceedLimit`).
pub fn name(params: &Params) -> Result<Option<&str>, ApiError> {
    let name = params.non_empty("Name");
    if name.is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
        return Err(ApiError::CmdNameExceedLimit);
    }
    Ok(name)
}

/// `Description`, when given (`CmdDesc.ExceedLimit`).
pub fn description(params: &Params) -> Result<Option<&str>, ApiError> {
    let description = params.non_empty("Description");
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        return Err(ApiError::CmdDescExceedLimit);
    }
    Ok(description)
}

/// `WorkingDir`, when given (`InvalidParameter.WorkingDir`).
pub fn working_dir(params: &Params) -> Result<Option<&str>, ApiError> {
    let working_dir = params.non_empty("WorkingDir");
    if working_dir.is_some_and(|w| w.chars().count() > MAX_WORKING_DIR_CHARS) {
        return Err(ApiError::WorkingDirInvalid);
    }
    Ok(working_dir)
}

/// `Timeout` in seconds, when given (`InvalidParameter`).
pub fn timeout(params: &Params) -> Result<Option<u64>, ApiError> {
    let timeout = params.u64("Timeout")?;
    if timeout.is_some_and(|t| !(MIN_TIMEOUT_SECONDS..=MAX_TIMEOUT_SECONDS).contains(&t)) {
        return Err(ApiError::InvalidParameter("Timeout"));
    }
    Ok(timeout)
}

/// Decoded content within the size limit (`CmdContent.ExceedLimit`), its placeholders checked
/// when parameters are enabled.
pub fn check_content(content: &str, enable_parameter: bool) -> Result<(), ApiError> {
    parameters::check_size(content, None, MAX_ENCODED_CONTENT_BYTES)?;
    if enable_parameter {
        template::validate_names(content)?;
    }
    Ok(())
}
