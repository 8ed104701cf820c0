//! Credentials from a local sidecar URL: `GET` answers the JSON of
//! [`super::temporary::Issued`] (`Code` optional, `Success` when present).

use async_trait::async_trait;
use reqwest::Url;

use super::error::CredentialError;
use super::provider::Fetch;
use super::temporary::{send_capped, Issued, Temporary};

pub(crate) struct CredentialsUri {
    pub uri: Url,
    pub http: reqwest::Client,
}

impl CredentialsUri {
    /// The URI without user info or query, which may hold a credential of their own.
    fn shown(&self) -> String {
        let mut shown = self.uri.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        shown.set_query(None);
        shown.to_string()
    }
}

#[async_trait]
impl Fetch for CredentialsUri {
    async fn fetch(&self) -> Result<Temporary, CredentialError> {
        let failed = |detail: String| CredentialError::Uri {
            uri: self.shown(),
            detail,
        };
        let body = send_capped(self.http.get(self.uri.clone()))
            .await
            .map_err(failed)?;
        Issued::parse(&body)
            .and_then(Issued::into_temporary)
            .map_err(failed)
    }
}
