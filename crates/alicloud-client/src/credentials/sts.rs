//! STS (API 2015-04-01, RPC, signature 1.0 like ECS) through the same client as ECS:
//! `AssumeRole` signed with base credentials, `AssumeRoleWithOIDC` unsigned (the OIDC token
//! is the proof), and `GetCallerIdentity` to see who a set of credentials is.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::error::CredentialError;
use super::provider::Fetch;
use super::spec::{OidcSpec, OidcToken, RoleSpec};
use super::temporary::{Issued, Temporary};
use crate::client::EcsClient;
use crate::error::ClientError;
use crate::files::{read_text, FileError, MAX_CONFIG_FILE_BYTES};
use crate::request::Api;
use crate::setting::Setting;

/// The STS API; its public endpoint is central.
pub const STS_API: Api = Api {
    product: "STS",
    version: "2015-04-01",
    endpoint_setting: Setting::StsEndpoint,
    central_host: Some("sts.aliyuncs.com"),
};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleRequest<'a> {
    role_arn: &'a str,
    role_session_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleWithOidcRequest<'a> {
    #[serde(rename = "OIDCProviderArn")]
    provider_arn: &'a str,
    role_arn: &'a str,
    #[serde(rename = "OIDCToken")]
    token: &'a str,
    role_session_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_seconds: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssumedResponse {
    credentials: Issued,
}

/// Who a set of credentials is, per `GetCallerIdentity`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[derive(Default)]
pub struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
    pub identity_type: String,
    pub principal_id: String,
}

impl EcsClient {
    /// `GetCallerIdentity`, on a client built for [`STS_API`].
    pub async fn get_caller_identity(&self) -> Result<CallerIdentity, ClientError> {
        #[derive(Serialize)]
        struct Empty {}
        self.call("GetCallerIdentity", &Empty {}).await
    }
}

/// `AssumeRole` of a role with the base credentials of `sts`.
pub(crate) struct AssumeRole {
    pub sts: EcsClient,
    pub role: RoleSpec,
}

#[async_trait]
impl Fetch for AssumeRole {
    async fn fetch(&self) -> Result<Temporary, CredentialError> {
        let role = &self.role;
        let request = AssumeRoleRequest {
            role_arn: &role.role_arn,
            role_session_name: &role.session_name,
            policy: role.policy.as_deref(),
            duration_seconds: role.duration_seconds,
            external_id: role.external_id.as_deref(),
        };
        let answer = self.sts.call("AssumeRole", &request).await;
        issued(&role.role_arn, answer)
    }
}

/// `AssumeRoleWithOIDC`; the token file is read afresh each time (it rotates).
pub(crate) struct AssumeRoleWithOidc {
    pub sts: EcsClient,
    pub spec: OidcSpec,
}

#[async_trait]
impl Fetch for AssumeRoleWithOidc {
    async fn fetch(&self) -> Result<Temporary, CredentialError> {
        let spec = &self.spec;
        let token = match &spec.token {
            OidcToken::Value(token) => token.expose().to_owned(),
            OidcToken::File(path) => {
                let text = read_text(path, MAX_CONFIG_FILE_BYTES).map_err(CredentialError::Token)?;
                // An empty file (a token not written yet) is named here, not sent to STS.
                match text.trim() {
                    "" => return Err(CredentialError::Token(FileError::Empty(path.clone()))),
                    token => token.to_owned(),
                }
            }
        };
        let request = AssumeRoleWithOidcRequest {
            provider_arn: &spec.provider_arn,
            role_arn: &spec.role.role_arn,
            token: &token,
            role_session_name: &spec.role.session_name,
            policy: spec.role.policy.as_deref(),
            duration_seconds: spec.role.duration_seconds,
        };
        let answer = self.sts.call("AssumeRoleWithOIDC", &request).await;
        issued(&spec.role.role_arn, answer)
    }
}

fn issued(
    role_arn: &str,
    answer: Result<AssumedResponse, ClientError>,
) -> Result<Temporary, CredentialError> {
    let sts = |error| CredentialError::Sts {
        role_arn: role_arn.to_owned(),
        error,
    };
    answer
        .map_err(sts)?
        .credentials
        .into_temporary()
        .map_err(|detail| {
            sts(ClientError::UnexpectedResponse {
                action: "AssumeRole",
                status: 200,
                detail,
            })
        })
}
