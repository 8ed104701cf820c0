//! Where credentials come from, as plain data: what the configuration chain decides and
//! what [`super::CredentialProvider::build`] turns into working sources.

use std::path::PathBuf;

use super::Credentials;
use crate::secret::SecretString;

/// Default `RoleSessionName` when none is set (the official provider's).
pub const DEFAULT_SESSION_NAME: &str = "terraform";

/// A credential source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSpec {
    /// A fixed access key pair (with a token: fixed STS credentials).
    Static(Credentials),
    /// STS `AssumeRole` of `role`, signed with credentials from `base`.
    AssumeRole {
        base: Box<CredentialSpec>,
        role: RoleSpec,
    },
    /// STS `AssumeRoleWithOIDC`, unsigned: the token is the proof.
    Oidc(OidcSpec),
    /// The ECS metadata service, for the instance's RAM role.
    EcsRole { role_name: String },
    /// A local URL answering with temporary credentials.
    Uri { uri: String },
}

/// What `AssumeRole` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    pub role_arn: String,
    pub session_name: String,
    pub policy: Option<String>,
    /// `DurationSeconds`; `None` = the service's default (3600).
    pub duration_seconds: Option<u32>,
    pub external_id: Option<String>,
}

impl RoleSpec {
    pub fn new(role_arn: impl Into<String>) -> Self {
        Self {
            role_arn: role_arn.into(),
            session_name: DEFAULT_SESSION_NAME.to_owned(),
            policy: None,
            duration_seconds: None,
            external_id: None,
        }
    }
}

/// The OIDC token: a file re-read at every refresh (ACK's RRSA rotates it), or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OidcToken {
    File(PathBuf),
    Value(SecretString),
}

/// What `AssumeRoleWithOIDC` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSpec {
    pub provider_arn: String,
    pub token: OidcToken,
    pub role: RoleSpec,
}
