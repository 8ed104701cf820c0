//! Access key credentials and where they came from.

use std::fmt;
use std::path::PathBuf;

use super::secret::SecretString;

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
    /// The provider's `access_key`/`secret_key` arguments.
    Arguments,
    /// Environment variables; the access key came from the named one.
    Environment(&'static str),
    /// A profile of the Alibaba Cloud CLI configuration file.
    Profile { name: String, path: PathBuf },
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Arguments => f.write_str("provider arguments"),
            Self::Environment(var) => write!(f, "environment ({var})"),
            Self::Profile { name, path } => write!(f, "profile {name:?} in {}", path.display()),
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
