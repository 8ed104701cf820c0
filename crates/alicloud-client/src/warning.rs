//! What the configuration chain accepted but its caller must hear about: environment
//! variables that were not allowed to change the credentials the explicit settings name, white
//! space removed around a key, plain http allowed by opt-in. Named neutrally, as
//! [`crate::ConfigError`] is; the caller renders them in its own terms.

use std::fmt;

use super::setting::{Origin, Setting};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigWarning {
    /// `var` asks to assume `role_arn`, but the explicit `chosen` setting names the
    /// credentials, so the role was not assumed.
    EnvironmentRoleIgnored {
        var: &'static str,
        role_arn: String,
        chosen: Setting,
    },
    /// `var` holds a security token, but the access key pair is explicit: the token is not
    /// sent with it (it belongs to other, temporary keys).
    EnvironmentTokenIgnored { var: &'static str },
    /// White space around a key was removed; `what` says where ("ends with a newline"), never
    /// what the value is.
    Trimmed {
        setting: Setting,
        origin: Origin,
        what: String,
    },
    /// Plain http to a host that is not loopback, allowed by opt-in.
    InsecureHttp { setting: Setting, endpoint: String },
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EnvironmentRoleIgnored {
                var,
                role_arn,
                chosen,
            } => write!(
                f,
                "environment variable {var} asks to assume role {role_arn}, but the explicit \
                 {chosen} names the credentials: the role is not assumed. Set the role explicitly \
                 to assume it, or unset {var}"
            ),
            Self::EnvironmentTokenIgnored { var } => write!(
                f,
                "environment variable {var} holds a security token, but the explicit access key \
                 pair is used without it; set the token explicitly too, or unset {var}"
            ),
            Self::Trimmed {
                setting,
                origin,
                what,
            } => write!(
                f,
                "the {setting} (from {origin}) {what}; it was removed, since no Alibaba Cloud key \
                 or token holds white space"
            ),
            Self::InsecureHttp { setting, endpoint } => write!(
                f,
                "{setting} {endpoint} uses plain http: credentials travel unencrypted"
            ),
        }
    }
}
