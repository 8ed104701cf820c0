//! Schema rules for the newer `InvokeCommand` arguments, each over `invoke_command` (the API's
//! own rules, shared with the emulator) and named beside the error code it keeps away:
//! container ids and names, tags, and how `timed`, `repeat_mode` and `frequency` agree.

use alicloud_client::api::invoke_command::{check_tags, is_container_id, is_container_name, TagError};
use alicloud_client::RepeatMode;
use tfplug::{Diagnostics, Validator, Value, ValueContext};

/// `container_id`: 64 hex characters, optionally after a runtime prefix
/// (`InvalidContainerId.Malformed`).
pub struct ContainerId;

impl Validator for ContainerId {
    fn description(&self) -> String {
        "64 hexadecimal characters, optionally prefixed `docker://`, `containerd://` or `cri-o://`"
            .to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        if !is_container_id(text) {
            diags.error_at(
                ctx.path.clone(),
                "Invalid container_id",
                format!(
                    "{} is not a container ID: {}. The API would answer InvalidContainerId.Malformed.",
                    ctx.show(value),
                    self.description()
                ),
            );
        }
    }
}

/// `container_name` (`InvalidContainerName.Malformed`).
pub struct ContainerName;

impl Validator for ContainerName {
    fn description(&self) -> String {
        "a letter or digit, then letters, digits, `_`, `.` or `-`, at most 255 characters".to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        if !is_container_name(text) {
            diags.error_at(
                ctx.path.clone(),
                "Invalid container_name",
                format!(
                    "{} is not a container name: {}. The API would answer InvalidContainerName.Malformed.",
                    ctx.show(value),
                    self.description()
                ),
            );
        }
    }
}

/// `tags` (`NumberExceed.Tags`, `MissingParameter.TagKey`, `InvalidTagKey.Malformed`,
/// `InvalidTagValue.Malformed`; an HCL map cannot hold `Duplicate.TagKey`).
pub struct Tags;

fn tag_code(error: TagError) -> &'static str {
    match error {
        TagError::TooMany => "NumberExceed.Tags",
        TagError::EmptyKey => "MissingParameter.TagKey",
        TagError::KeyTooLong | TagError::ReservedKey | TagError::KeyWithUrl => "InvalidTagKey.Malformed",
        TagError::ValueTooLong => "InvalidTagValue.Malformed",
        TagError::DuplicateKey => "Duplicate.TagKey",
    }
}

impl Validator for Tags {
    fn description(&self) -> String {
        "at most 20 tags; keys 1 to 64 characters, not starting with `aliyun` or `acs:`, without \
         `http://` or `https://`; values at most 128 characters"
            .to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Value::Map(entries) = value else { return };
        let pairs = entries
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)));
        if let Err(error) = check_tags(pairs) {
            diags.error_at(
                ctx.path.clone(),
                "Invalid tags",
                format!(
                    "{error} ({}). The API would answer {}.",
                    self.description(),
                    tag_code(error)
                ),
            );
        }
    }
}

/// Block rule: `timed`, `repeat_mode` and `frequency` agree. `timed = true` is the `Period`
/// mode; `Period` needs a schedule (`MissingParam.Frequency`) and so `timed = true`.
pub struct RepeatModeAgrees;

impl Validator for RepeatModeAgrees {
    fn description(&self) -> String {
        "`timed = true` goes with `repeat_mode = \"Period\"` (its default), and `Period` needs \
         `timed = true` and `frequency`"
            .to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let get = |name: &str| value.attr(name).unwrap_or(&Value::Null);
        let (Some(mode), timed) = (get("repeat_mode").as_str(), get("timed")) else {
            return;
        };
        if timed.is_unknown() {
            return;
        }
        let timed = timed.as_bool() == Some(true);
        let problem = match (timed, mode == RepeatMode::Period.as_str()) {
            (true, false) => format!("`timed = true` runs on `frequency`, which is `Period`, not {mode:?}"),
            (false, true) => "`Period` runs on `frequency`: set `timed = true`".to_string(),
            _ => return,
        };
        diags.error_at(
            ctx.child("repeat_mode").path,
            "repeat_mode disagrees with timed",
            format!(
                "{problem}. Rule: {}. The API would answer MissingParam.Frequency or run another \
                 mode than the one configured.",
                self.description()
            ),
        );
    }
}

/// Block rule: a container is reached without a user or working directory of the host
/// (`InvalidParameter`: the API refuses the combination).
pub struct ContainerAlone;

impl Validator for ContainerAlone {
    fn description(&self) -> String {
        "`container_id` and `container_name` cannot be used with `username` or `working_dir`".to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        // Unknown is checked once known (`working_dir` left out is unknown until apply).
        let set = |name: &str| value.attr(name).is_some_and(|v| !v.is_null() && !v.is_unknown());
        let container = ["container_id", "container_name"].into_iter().find(|n| set(n));
        let host = ["username", "working_dir"].into_iter().find(|n| set(n));
        if let (Some(container), Some(host)) = (container, host) {
            diags.error_at(
                ctx.child(container).path,
                "Container with a host setting",
                format!(
                    "`{container}` is set together with `{host}`: {}.",
                    self.description()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::AttributePath;

    fn errors(validator: &dyn Validator, value: &Value) -> Vec<String> {
        let mut diags = Diagnostics::new();
        let ctx = ValueContext::attribute(AttributePath::default(), false);
        validator.validate(value, &ctx, &mut diags);
        diags.iter().map(|d| d.detail.clone()).collect()
    }

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn container_ids_and_names() {
        let id = format!("docker://{}", "a".repeat(64));
        assert!(errors(&ContainerId, &id.as_str().into()).is_empty());
        assert!(errors(&ContainerId, &"abc".into())[0].contains("InvalidContainerId.Malformed"));
        assert!(errors(&ContainerName, &"web-1".into()).is_empty());
        assert!(errors(&ContainerName, &"-web".into())[0].contains("InvalidContainerName.Malformed"));
    }

    #[test]
    fn tags_name_their_code() {
        let tags = |k: &str| Value::Map([(k.to_string(), Value::from("v"))].into());
        assert!(errors(&Tags, &tags("team")).is_empty());
        assert!(errors(&Tags, &tags("aliyun:x"))[0].contains("InvalidTagKey.Malformed"));
        let many = Value::Map((0..21).map(|i| (format!("k{i}"), Value::from(""))).collect());
        assert!(errors(&Tags, &many)[0].contains("NumberExceed.Tags"));
    }

    #[test]
    fn timed_and_repeat_mode_agree() {
        let check = |timed: Value, mode: &str| {
            errors(
                &RepeatModeAgrees,
                &object(&[("timed", timed), ("repeat_mode", mode.into())]),
            )
        };
        assert!(check(Value::Bool(true), "Period").is_empty());
        assert!(check(Value::Null, "Once").is_empty());
        assert!(check(Value::Null, "EveryReboot").is_empty());
        assert_eq!(check(Value::Bool(true), "Once").len(), 1);
        assert_eq!(check(Value::Bool(false), "Period").len(), 1);
        assert!(check(Value::Unknown, "Period").is_empty());
    }

    #[test]
    fn containers_exclude_host_settings() {
        let id = Value::from("a".repeat(64).as_str());
        assert!(errors(&ContainerAlone, &object(&[("container_id", id.clone())])).is_empty());
        let both = object(&[("container_id", id), ("working_dir", "/srv".into())]);
        assert!(errors(&ContainerAlone, &both)[0].contains("`working_dir`"));
    }
}
