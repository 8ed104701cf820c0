//! Credentials: the access key pair that signs a request, the plan of where to get it
//! ([`CredentialSpec`]), where it came from ([`CredentialSource`]) and the provider that hands
//! out current credentials, refreshing temporary ones before they expire ([`CredentialProvider`]).

mod build;
mod error;
mod imds;
mod provider;
mod spec;
mod sts;
mod temporary;
mod uri;

use std::fmt;
use std::path::PathBuf;

use super::secret::SecretString;
use super::setting::Origin;

pub use build::BuildContext;
pub use error::CredentialError;
pub use provider::CredentialProvider;
pub use spec::{CredentialSpec, OidcSpec, OidcToken, RoleSpec};
pub use sts::{CallerIdentity, STS_API};

/// An access key pair, plus the security token when the pair is temporary (STS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: SecretString,
    pub security_token: Option<SecretString>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<SecretString>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// The same pair as STS credentials: the token is sent (and signed) as `SecurityToken`.
    pub fn with_security_token(mut self, token: impl Into<SecretString>) -> Self {
        self.security_token = Some(token.into());
        self
    }
}

/// Where the credentials were found, for the provider to log (never the values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// The explicitly given access key pair.
    Arguments,
    /// Environment variables; the access key came from the named one.
    Environment(&'static str),
    /// A profile of the Alibaba Cloud CLI configuration file.
    Profile { name: String, path: PathBuf },
    /// `AssumeRoleWithOIDC` with a token; the provider ARN came from `origin`.
    Oidc { origin: Origin },
    /// The ECS metadata service, for the instance's RAM role named in `origin`.
    EcsRole { origin: Origin },
    /// A credentials URI, from `origin`.
    Uri { origin: Origin },
    /// `AssumeRole` of `role_arn`, signed with credentials from `base`.
    AssumeRole {
        role_arn: String,
        base: Box<CredentialSource>,
    },
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Arguments => f.write_str("explicit settings"),
            Self::Environment(var) => write!(f, "environment ({var})"),
            Self::Profile { name, path } => write!(f, "profile {name:?} in {}", path.display()),
            Self::Oidc { origin } => write!(f, "AssumeRoleWithOIDC ({origin})"),
            Self::EcsRole { origin } => write!(f, "ECS metadata service ({origin})"),
            Self::Uri { origin } => write!(f, "credentials URI ({origin})"),
            Self::AssumeRole { role_arn, base } => write!(f, "AssumeRole {role_arn} with {base}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::new("LTAI-id", "the-secret").with_security_token("CAIS-token");
        let text = format!("{creds:?}");
        assert!(text.contains("LTAI-id"));
        assert!(!text.contains("the-secret"), "{text}");
        assert!(!text.contains("CAIS-token"), "{text}");
    }
}
