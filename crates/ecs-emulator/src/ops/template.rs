//! Command content templates: the API's placeholder rules (shared with the provider, in
//! `alicloud_api::command`) mapped to the emulator's errors, and rendering of `{{name}}`
//! custom parameters and `{{ACS::...}}` built-ins.

use crate::errors::ApiError;
use alicloud_api::command::{
    self, check_placeholders, is_parameter_name, placeholders, PlaceholderError, BUILTIN_PREFIX,
};

/// The custom parameter names a command defines, in order of first use.
pub fn parameter_names(content: &str) -> Vec<String> {
    command::parameter_names(content)
}

/// CreateCommand's and ModifyCommand's checks of the placeholders when parameters are enabled.
pub fn validate_names(content: &str) -> Result<(), ApiError> {
    check_placeholders(content).map_err(|error| match error {
        PlaceholderError::EmptyName => ApiError::CmdParamEmptyKey,
        PlaceholderError::NameTooLong(_) => ApiError::CmdParamNameExceedLimit,
        PlaceholderError::InvalidName(_) => ApiError::CmdParamInvalidName,
        PlaceholderError::TooMany(_) => ApiError::CmdParamCountExceedLimit,
    })
}

/// Replaces custom parameters by their values (an omitted one by the empty string) and
/// built-ins by theirs; anything else is left as written.
pub fn render(content: &str, values: &[(String, String)], builtins: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(content.len());
    let mut last = 0;
    for placeholder in placeholders(content) {
        let inner = placeholder.inner;
        let replacement = match inner.strip_prefix(BUILTIN_PREFIX) {
            Some(builtin) => builtins
                .iter()
                .find(|(name, _)| *name == builtin)
                .map(|(_, v)| *v),
            None if is_parameter_name(inner) => Some(
                values
                    .iter()
                    .find(|(name, _)| name == inner)
                    .map_or("", |(_, v)| v.as_str()),
            ),
            None => None,
        };
        if let Some(value) = replacement {
            out.push_str(content.get(last..placeholder.range.start).unwrap_or_default());
            out.push_str(value);
            last = placeholder.range.end;
        }
    }
    out.push_str(content.get(last..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn renders_parameters_and_builtins() {
        let content = "echo deploying {{version}} to {{ env }} on {{ACS::InstanceId}} {{missing}} {{ $x }} {{ACS::Nope}}";
        let out = render(
            content,
            &values(&[("version", "1.2"), ("env", "prod")]),
            &[("InstanceId", "i-1")],
        );
        assert_eq!(out, "echo deploying 1.2 to prod on i-1  {{ $x }} {{ACS::Nope}}");
    }

    #[test]
    fn create_command_name_rules() {
        assert_eq!(validate_names("{{ok}} {{ACS::InstanceId}}"), Ok(()));
        assert_eq!(validate_names("{{ }}"), Err(ApiError::CmdParamEmptyKey));
        assert_eq!(validate_names("{{a b}}"), Err(ApiError::CmdParamInvalidName));
        assert_eq!(
            validate_names(&format!("{{{{{}}}}}", "n".repeat(65))),
            Err(ApiError::CmdParamNameExceedLimit)
        );
        let many: String = (0..21).map(|i| format!("{{{{p{i}}}}}")).collect();
        assert_eq!(validate_names(&many), Err(ApiError::CmdParamCountExceedLimit));
    }
}
