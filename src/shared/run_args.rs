//! The run arguments the invocation resource and the `alicloud_ecs_run_command` action share,
//! each with the API rules that keep its error code away, written once. Each caller adds its
//! own description and plan modifiers; `kind` says whether the argument is also computed.

use alicloud_client::api::invoke_command::{
    MAX_INSTANCES, MAX_PARAMETERS, MAX_PARAMETER_KEY_CHARS, MAX_TIMEOUT_SECONDS, MAX_USERNAME_CHARS,
    MAX_WINDOWS_PASSWORD_NAME_CHARS, MAX_WORKING_DIR_CHARS, MIN_TIMEOUT_SECONDS,
};
use tfplug::validators::{
    each, int_between, length_at_most, length_between, map_keys, not_empty, size_at_most, size_between,
    unique_items,
};
use tfplug::{Attribute, Type};

/// How an argument is declared: `Attribute::optional` or `Attribute::optional_computed`.
pub type Kind = fn(&str, Type) -> Attribute;

pub fn instance_ids() -> Attribute {
    Attribute::required("instance_ids", Type::list(Type::String))
        .validate(size_between(1, MAX_INSTANCES)) // InstanceIds.ExceedLimit
        .validate(each(not_empty()))
        .validate(unique_items())
}

pub fn region_id(kind: Kind) -> Attribute {
    kind("region_id", Type::String).validate(not_empty())
}

/// `parameters`, and the resource's write-only `parameters_wo` under the same rules.
pub fn parameters(name: &str) -> Attribute {
    Attribute::optional(name, Type::map(Type::String))
        .sensitive()
        .validate(size_at_most(MAX_PARAMETERS)) // ParameterCount.ExceedLimit
        .validate(map_keys(length_between(1, MAX_PARAMETER_KEY_CHARS))) // ParameterKey.ExceedLimit
}

pub fn username() -> Attribute {
    Attribute::optional("username", Type::String)
        .validate(length_at_most(MAX_USERNAME_CHARS)) // Username.ExceedLimit
        // The API reads "" as the default user and records its name, so "" would differ
        // from every refresh: leave `username` out instead.
        .validate(not_empty())
}

pub fn windows_password_name() -> Attribute {
    Attribute::optional("windows_password_name", Type::String)
        .validate(not_empty())
        .validate(length_at_most(MAX_WINDOWS_PASSWORD_NAME_CHARS)) // WindowsPasswordName.ExceedLimit
}

pub fn timeout(kind: Kind) -> Attribute {
    kind("timeout", Type::Number).validate(int_between(
        MIN_TIMEOUT_SECONDS as i64,
        MAX_TIMEOUT_SECONDS as i64,
    )) // InvalidParameter
}

pub fn working_dir(kind: Kind) -> Attribute {
    kind("working_dir", Type::String)
        .validate(not_empty())
        .validate(length_at_most(MAX_WORKING_DIR_CHARS)) // InvalidParameter.WorkingDir
}
