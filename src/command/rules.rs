//! Rules of a command definition that span attributes or need more than a stock validator:
//! the content's size and placeholders (which depend on `enable_parameter`), the default of
//! `enable_parameter`, and fields `ModifyCommand` cannot clear.

use alicloud_client::api::command::{
    check_placeholders, content_fits, placeholders, MAX_ENCODED_CONTENT_BYTES,
};
use tfplug::{AttributePlan, Diagnostics, PlanModifier, Validator, Value, ValueContext};

/// `enable_parameter` left out: on when the content holds any `{{...}}` placeholder, since
/// placeholders (built-ins too) are only filled in a command with parameters enabled.
pub fn default_enable_parameter(content: &str) -> bool {
    !placeholders(content).is_empty()
}

/// Block rule on `command_content`: its Base64 within 16 KB (`CmdContent.ExceedLimit`), and
/// when parameters are enabled (or default to it) its placeholders valid
/// (`CmdParam.EmptyKey`, `CmdParam.InvalidParamName`, `CmdParamName.ExceedLimit`,
/// `CmdParamCount.ExceedLimit`).
pub struct ContentRules;

impl Validator for ContentRules {
    fn description(&self) -> String {
        format!(
            "`command_content` is at most {MAX_ENCODED_CONTENT_BYTES} bytes once Base64-encoded; with \
             parameters enabled, each `{{{{name}}}}` uses letters, digits, `-` and `_` (at most 64), at \
             most 20 names, `{{{{ACS::...}}}}` built-ins allowed"
        )
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(content) = value.attr_str("command_content") else {
            return;
        };
        let path = ctx.child("command_content").path;
        if !content_fits(content) {
            diags.error_at(
                path.clone(),
                "Command content too large",
                format!(
                    "`command_content` must be at most {MAX_ENCODED_CONTENT_BYTES} bytes once Base64-encoded \
                     (CmdContent.ExceedLimit); shorten the script."
                ),
            );
        }
        let enabled = match value.attr("enable_parameter") {
            Some(Value::Unknown) => return,
            Some(Value::Bool(enabled)) => *enabled,
            _ => default_enable_parameter(content),
        };
        if !enabled {
            return;
        }
        if let Err(error) = check_placeholders(content) {
            diags.error_at(
                path,
                "Invalid command parameter",
                format!(
                    "In `command_content`, {error} ({}). Custom parameter names use letters, digits, `-` \
                     and `_`; set `enable_parameter = false` to keep `{{{{...}}}}` as plain text.",
                    error.code()
                ),
            );
        }
    }
}

/// `ModifyCommand` leaves a field it is not given as it was, so a field removed from the
/// configuration can only be cleared by a new command.
pub struct ReplaceWhenCleared;

impl PlanModifier for ReplaceWhenCleared {
    fn description(&self) -> String {
        "Removing this value forces a new resource (`ModifyCommand` cannot clear it).".into()
    }

    fn modify(&self, attribute: &AttributePlan<'_>, planned: &mut Value, requires_replace: &mut bool) {
        if attribute.prior.is_some_and(|prior| !prior.is_null()) && planned.is_null() {
            *requires_replace = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_default_from_placeholders() {
        assert!(default_enable_parameter("echo {{name}}"));
        assert!(default_enable_parameter("echo {{ACS::InstanceId}}"));
        assert!(!default_enable_parameter("echo ${HOME} {unclosed"));
    }
}
