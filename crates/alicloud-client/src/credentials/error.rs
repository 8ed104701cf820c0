//! Why a credential source could not hand out credentials at request time.

use thiserror::Error;

use crate::error::ClientError;
use crate::files::FileError;

#[derive(Debug, Clone, Error)]
pub enum CredentialError {
    /// An STS call failed (the error says which and why: `NoPermission`, an expired token...).
    #[error("role {role_arn}: {error}")]
    Sts { role_arn: String, error: ClientError },
    #[error("ECS metadata service {endpoint}: {detail}")]
    Metadata { endpoint: String, detail: String },
    #[error("credentials URI {uri}: {detail}")]
    Uri { uri: String, detail: String },
    #[error("OIDC token: {0}")]
    Token(FileError),
}

impl CredentialError {
    /// The API code behind an STS failure.
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Self::Sts { error, .. } => error.api_code(),
            _ => None,
        }
    }
}
