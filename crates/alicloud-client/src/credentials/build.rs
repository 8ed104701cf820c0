//! Turns a [`CredentialSpec`] into a working [`CredentialProvider`]: the STS clients for the
//! role sources (sharing the ECS client's machinery: signing, retries, redaction), the
//! metadata service and credentials URI clients. Nothing is sent here.

use reqwest::Url;

use super::imds::{Imds, DEFAULT_METADATA_ENDPOINT, METADATA_TIMEOUT};
use super::spec::CredentialSpec;
use super::sts::{AssumeRole, AssumeRoleWithOidc, STS_API};
use super::uri::CredentialsUri;
use super::CredentialProvider;
use crate::client::{ClientConfig, EcsClient, LogSink};
use crate::endpoint::{check_plain_http, Endpoint};
use crate::error::{ClientError, ConfigError};
use crate::retry::RetryPolicy;
use crate::setting::Setting;
use crate::warning::ConfigWarning;

/// What building a provider needs besides the spec.
#[derive(Clone, Default)]
pub struct BuildContext {
    /// Sent as `RegionId` with STS calls too.
    pub region: String,
    /// STS endpoint override; `None` = `https://sts.aliyuncs.com`.
    pub sts_endpoint: Option<String>,
    /// Metadata service override; `None` = `http://100.100.100.200`.
    pub metadata_endpoint: Option<String>,
    /// Plain http to a non-loopback STS endpoint or credentials URI (the ECS client's opt-in).
    pub allow_insecure_http: bool,
    /// Retries and log lines of the STS calls, as the ECS client's.
    pub retry: RetryPolicy,
    pub log: Option<LogSink>,
}

impl CredentialProvider {
    /// The provider for `spec`; what the caller should show (plain http allowed by opt-in)
    /// is added to `warnings`.
    pub fn build(
        spec: &CredentialSpec,
        ctx: &BuildContext,
        warnings: &mut Vec<ConfigWarning>,
    ) -> Result<Self, ConfigError> {
        Ok(match spec {
            CredentialSpec::Static(credentials) => Self::fixed(credentials.clone()),
            CredentialSpec::AssumeRole { base, role } => Self::refreshing(AssumeRole {
                sts: sts_client(Self::build(base, ctx, warnings)?, ctx)?,
                role: role.clone(),
            }),
            CredentialSpec::Oidc(spec) => Self::refreshing(AssumeRoleWithOidc {
                sts: sts_client(Self::anonymous(), ctx)?,
                spec: spec.clone(),
            }),
            CredentialSpec::EcsRole { role_name } => {
                let default = Url::parse(DEFAULT_METADATA_ENDPOINT)
                    .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
                // The metadata service speaks plain http by design (a link-local address).
                let endpoint = Endpoint::for_service(
                    Setting::MetadataEndpoint,
                    ctx.metadata_endpoint.as_deref(),
                    default,
                    true,
                )?;
                Self::refreshing(Imds {
                    base: endpoint.url().clone(),
                    role_name: role_name.clone(),
                    http: plain_http()?,
                })
            }
            CredentialSpec::Uri { uri } => {
                let (uri, shown) = parse_uri(uri)?;
                let setting = Setting::CredentialsUri;
                if check_plain_http(setting, &uri, &shown, ctx.allow_insecure_http)? {
                    warnings.push(ConfigWarning::InsecureHttp {
                        setting,
                        endpoint: shown,
                    });
                }
                Self::refreshing(CredentialsUri {
                    uri,
                    http: plain_http()?,
                })
            }
        })
    }
}

fn sts_client(credentials: CredentialProvider, ctx: &BuildContext) -> Result<EcsClient, ConfigError> {
    let mut config = ClientConfig::new(credentials, ctx.region.clone());
    config.api = STS_API;
    config.endpoint = ctx.sts_endpoint.clone();
    config.allow_insecure_http = ctx.allow_insecure_http;
    config.retry = ctx.retry.clone();
    config.log = ctx.log.clone();
    EcsClient::new(config).map_err(|e| match e {
        ClientError::Config(config) => config,
        other => ConfigError::HttpClient(other.to_string()),
    })
}

/// A client for the local credential services: no proxy (they are on this host or link
/// local), no redirects, a short timeout.
fn plain_http() -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(METADATA_TIMEOUT)
        .build()
        .map_err(|e| ConfigError::HttpClient(e.to_string()))
}

/// The URI, and how it may be shown: without user info or query, either may hold a credential.
fn parse_uri(given: &str) -> Result<(Url, String), ConfigError> {
    let bare = given.split(['?', '#']).next().unwrap_or_default();
    let shown = match bare.split_once("://") {
        Some((scheme, rest)) => format!(
            "{scheme}://{}",
            rest.rsplit_once('@').map_or(rest, |(_, host)| host)
        ),
        None => bare.rsplit_once('@').map_or(bare, |(_, host)| host).to_owned(),
    };
    let invalid = |reason: &str| ConfigError::InvalidEndpoint {
        setting: Setting::CredentialsUri,
        endpoint: shown.clone(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(given).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("expected an http:// or https:// URL with a host"));
    }
    Ok((url, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_uris_are_refused_without_echoing_credentials() {
        for given in ["ftp://127.0.0.1/creds", "not a url", "http://"] {
            assert!(parse_uri(given).is_err(), "{given}");
        }
        let err = parse_uri("file://user:pw-secret@host/creds").unwrap_err();
        assert!(!err.to_string().contains("pw-secret"), "{err}");
        let (url, shown) = parse_uri("http://127.0.0.1:8500/creds?x=1").unwrap();
        assert_eq!(
            (url.path(), shown.as_str()),
            ("/creds", "http://127.0.0.1:8500/creds")
        );
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        let spec = CredentialSpec::Uri {
            uri: "http://user:pw-secret@10.0.0.8:8500/creds?token=t-secret".into(),
        };
        let mut warnings = Vec::new();
        let err = CredentialProvider::build(&spec, &BuildContext::default(), &mut warnings).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::InsecureEndpoint {
                setting: Setting::CredentialsUri,
                ..
            }
        ));
        assert!(!err.to_string().contains("secret"), "{err}");
        let allowed = BuildContext {
            allow_insecure_http: true,
            ..BuildContext::default()
        };
        CredentialProvider::build(&spec, &allowed, &mut warnings).unwrap();
        assert!(matches!(
            warnings.as_slice(),
            [ConfigWarning::InsecureHttp { .. }]
        ));
        let loopback = CredentialSpec::Uri {
            uri: "http://127.0.0.1:8500/creds".into(),
        };
        CredentialProvider::build(&loopback, &BuildContext::default(), &mut warnings).unwrap();
        assert_eq!(warnings.len(), 1);
    }
}
