//! The ECS metadata service in token-protected mode
//! (`docs/api-notes.md#instance-metadata-service-token-mode`): `PUT /latest/api/token` for a
//! session token, then the RAM role's credentials from
//! `/latest/meta-data/ram/security-credentials/ROLE` with that token. Without a token there is no
//! fallback to the unprotected mode.

use std::time::Duration;

use async_trait::async_trait;
use reqwest::Url;

use super::error::CredentialError;
use super::provider::Fetch;
use super::temporary::{send_capped, Issued, Temporary};

/// The metadata service of every ECS instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200/";
/// Lifetime asked for the session token (the SDKs' value).
const TOKEN_TTL_SECONDS: &str = "21600";
/// The service answers locally in milliseconds; anything slow means it is not there.
pub const METADATA_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct Imds {
    pub base: Url,
    pub role_name: String,
    pub http: reqwest::Client,
}

impl Imds {
    fn failed(&self, detail: impl Into<String>) -> CredentialError {
        CredentialError::Metadata {
            endpoint: self.base.to_string(),
            detail: detail.into(),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder, what: &str) -> Result<Vec<u8>, CredentialError> {
        send_capped(request)
            .await
            .map_err(|detail| self.failed(format!("{what}: {detail}")))
    }

    fn url(&self, path: &str) -> Result<Url, CredentialError> {
        self.base.join(path).map_err(|e| self.failed(e.to_string()))
    }
}

#[async_trait]
impl Fetch for Imds {
    async fn fetch(&self) -> Result<Temporary, CredentialError> {
        let token_request = self
            .http
            .put(self.url("latest/api/token")?)
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS);
        let token = self.send(token_request, "session token").await?;
        let token = String::from_utf8(token).map_err(|_| self.failed("session token is not text"))?;
        let path = format!(
            "latest/meta-data/ram/security-credentials/{}",
            alicloud_api::signature::percent_encode(&self.role_name)
        );
        let credentials_request = self
            .http
            .get(self.url(&path)?)
            .header("X-aliyun-ecs-metadata-token", token.trim());
        let what = format!("credentials of RAM role {:?}", self.role_name);
        let body = self.send(credentials_request, &what).await?;
        Issued::parse(&body)
            .and_then(Issued::into_temporary)
            .map_err(|detail| self.failed(format!("{what}: {detail}")))
    }
}
