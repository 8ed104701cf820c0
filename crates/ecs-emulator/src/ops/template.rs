//! Command content templates: `{{name}}` custom parameters (whitespace inside the braces is
//! ignored) and the `{{ACS::...}}` built-ins the agent fills in. Finding the placeholders is
//! `alicloud_api::template`'s (the provider reads them too); checking and rendering are here.

use crate::errors::ApiError;
pub use alicloud_api::template::parameter_names;
use alicloud_api::template::{is_name, placeholders, BUILTIN_PREFIX, MAX_NAME};

/// CreateCommand's checks of the placeholders when parameters are enabled.
pub fn validate_names(content: &str) -> Result<(), ApiError> {
    for (_, inner) in placeholders(content) {
        if inner.is_empty() {
            return Err(ApiError::CmdParamEmptyKey);
        }
        if inner.starts_with(BUILTIN_PREFIX) {
            continue;
        }
        if inner.len() > MAX_NAME {
            return Err(ApiError::CmdParamNameExceedLimit);
        }
        if !is_name(inner) {
            return Err(ApiError::CmdParamInvalidName);
        }
    }
    Ok(())
}

/// Replaces custom parameters by their values (an omitted one by the empty string) and
/// built-ins by theirs; anything else is left as written.
pub fn render(content: &str, values: &[(String, String)], builtins: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(content.len());
    let mut last = 0;
    for (range, inner) in placeholders(content) {
        let replacement = match inner.strip_prefix(BUILTIN_PREFIX) {
            Some(builtin) => builtins
                .iter()
                .find(|(name, _)| *name == builtin)
                .map(|(_, v)| *v),
            None if is_name(inner) => Some(
                values
                    .iter()
                    .find(|(name, _)| name == inner)
                    .map_or("", |(_, v)| v.as_str()),
            ),
            None => None,
        };
        if let Some(value) = replacement {
            out.push_str(content.get(last..range.start).unwrap_or_default());
            out.push_str(value);
            last = range.end;
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
    }
}
