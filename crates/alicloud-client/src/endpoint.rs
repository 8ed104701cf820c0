//! Where requests go: the public endpoint of a region (`docs/api-notes.md#endpoints`), or an
//! override given as a full base URL or a bare host (meaning `https://HOST`). Plain `http://` is
//! accepted only for loopback hosts unless the caller opts in, and then it comes with a warning.

use std::net::IpAddr;

use reqwest::Url;

use super::error::ConfigError;
use super::setting::Setting;

/// Regions the official SDKs send to the central endpoint instead of `ecs.<region>`
/// (ECSSDK's map; the `ecs-cn-hangzhou` entries are rewritten to central as Terraform does).
const CENTRAL_ENDPOINT_REGIONS: [&str; 15] = [
    "cn-north-2-gov-1",
    "ap-northeast-2-pop",
    "cn-beijing-finance-pop",
    "cn-beijing-gov-1",
    "cn-hangzhou-finance",
    "cn-hongkong-finance-pop",
    "cn-shanghai-inner",
    "cn-shenzhen-inner",
    "cn-wuhan",
    "cn-yushanfang",
    "cn-zhangbei",
    "rus-west-1-pop",
    "cn-shanghai-finance-1",
    "cn-shenzhen-finance-1",
    "cn-fujian",
];

const CENTRAL_HOST: &str = "ecs.aliyuncs.com";

/// A validated endpoint: the base URL (path `/`) every RPC call is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: Url,
    loopback: bool,
    warning: Option<String>,
}

impl Endpoint {
    /// Resolves the ECS endpoint for `region`, or validates `override_url` when given.
    pub fn resolve(
        override_url: Option<&str>,
        region: &str,
        allow_insecure_http: bool,
    ) -> Result<Self, ConfigError> {
        // The region is validated even with an override: it is still sent as `RegionId`.
        let regional = region_url(region)?;
        Self::for_service(Setting::EcsEndpoint, override_url, regional, allow_insecure_http)
    }

    /// The endpoint of any RPC service: `override_url` validated when given, else `default`.
    pub fn for_service(
        setting: Setting,
        override_url: Option<&str>,
        default: Url,
        allow_insecure_http: bool,
    ) -> Result<Self, ConfigError> {
        let url = match override_url.map(str::trim).filter(|s| !s.is_empty()) {
            Some(given) => parse_override(setting, given)?,
            None => default,
        };
        let loopback = url.host_str().is_some_and(is_loopback_host);
        let warning = check_plain_http(setting, &url, url.as_str(), allow_insecure_http)?.then(|| {
            format!(
                "{setting} {url} uses plain http: signed requests and command parameters travel \
                 unencrypted"
            )
        });
        Ok(Self {
            url,
            loopback,
            warning,
        })
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether the host is 127.0.0.0/8, ::1 or localhost.
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// Set when plain http to a non-loopback host was allowed by opt-in.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }
}

/// The public endpoint of a region, `https://ecs.<region>.aliyuncs.com/` unless the region
/// is served by the central endpoint.
pub fn region_url(region: &str) -> Result<Url, ConfigError> {
    let valid = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(ConfigError::InvalidRegion(region.to_owned()));
    }
    let host = if CENTRAL_ENDPOINT_REGIONS.contains(&region) {
        CENTRAL_HOST.to_owned()
    } else {
        format!("ecs.{region}.aliyuncs.com")
    };
    Url::parse(&format!("https://{host}/")).map_err(|e| ConfigError::InvalidRegion(format!("{region} ({e})")))
}

pub(crate) fn parse_override(setting: Setting, given: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint {
        setting,
        endpoint: given.to_owned(),
        reason: reason.to_owned(),
    };
    let url = if given.contains("://") {
        Url::parse(given).map_err(|e| invalid(&e.to_string()))?
    } else {
        if given.contains(['/', '?', '#', '@']) || given.contains(char::is_whitespace) {
            return Err(invalid("a bare host may not contain a path, query or user info"));
        }
        Url::parse(&format!("https://{given}")).map_err(|e| invalid(&e.to_string()))?
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().unwrap_or_default().is_empty() {
        return Err(invalid("no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: whatever was put there is likely a credential.
        return Err(ConfigError::InvalidEndpoint {
            setting,
            endpoint: format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default()),
            reason: "user info is not allowed in the endpoint".to_owned(),
        });
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("RPC endpoints take no path, query or fragment"));
    }
    Ok(url)
}

/// The plain-http rule of every address requests or credentials travel to: `http://` to a
/// host that is not loopback is refused unless `allow_insecure_http`; `Ok(true)` when it was
/// allowed that way (the caller warns). `shown` is the address as errors may print it.
pub(crate) fn check_plain_http(
    setting: Setting,
    url: &Url,
    shown: &str,
    allow_insecure_http: bool,
) -> Result<bool, ConfigError> {
    if url.scheme() != "http" || url.host_str().is_some_and(is_loopback_host) {
        return Ok(false);
    }
    if !allow_insecure_http {
        return Err(ConfigError::InsecureEndpoint {
            setting,
            endpoint: shown.to_owned(),
        });
    }
    Ok(true)
}

pub(crate) fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") || bare.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_of(override_url: Option<&str>, region: &str) -> String {
        Endpoint::resolve(override_url, region, false)
            .unwrap()
            .url()
            .to_string()
    }

    #[test]
    fn regions_map_to_public_endpoints() {
        assert_eq!(
            url_of(None, "cn-hangzhou"),
            "https://ecs.cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(
            url_of(None, "eu-central-1"),
            "https://ecs.eu-central-1.aliyuncs.com/"
        );
        assert_eq!(url_of(None, "cn-wuhan"), "https://ecs.aliyuncs.com/");
        assert_eq!(url_of(None, "cn-shanghai-finance-1"), "https://ecs.aliyuncs.com/");
    }

    #[test]
    fn bad_regions_are_rejected() {
        for region in [
            "",
            "CN-HANGZHOU",
            "cn-hangzhou/evil",
            "cn hangzhou",
            "x.example.com",
        ] {
            assert!(
                matches!(
                    Endpoint::resolve(None, region, false),
                    Err(ConfigError::InvalidRegion(_))
                ),
                "{region:?}"
            );
        }
    }

    #[test]
    fn full_url_overrides() {
        assert_eq!(
            url_of(Some("http://127.0.0.1:8080"), "cn-hangzhou"),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            url_of(Some("https://ecs-vpc.cn-hangzhou.aliyuncs.com"), "cn-hangzhou"),
            "https://ecs-vpc.cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(
            url_of(Some("https://ecs.aliyuncs.com/"), "cn-beijing"),
            "https://ecs.aliyuncs.com/"
        );
    }

    #[test]
    fn bare_host_means_https() {
        assert_eq!(
            url_of(Some("ecs-vpc.cn-hangzhou.aliyuncs.com"), "cn-hangzhou"),
            "https://ecs-vpc.cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(
            url_of(Some("localhost:8443"), "cn-hangzhou"),
            "https://localhost:8443/"
        );
    }

    #[test]
    fn malformed_overrides_are_rejected() {
        for given in [
            "ftp://example.com",
            "https://",
            "https://example.com/path",
            "https://example.com/?q=1",
            "example.com/path",
            "ex ample.com",
        ] {
            assert!(
                matches!(
                    Endpoint::resolve(Some(given), "cn-hangzhou", true),
                    Err(ConfigError::InvalidEndpoint { .. })
                ),
                "{given}"
            );
        }
    }

    #[test]
    fn user_info_is_rejected_without_echoing_it() {
        let err =
            Endpoint::resolve(Some("https://ak:sk-secret@example.com"), "cn-hangzhou", false).unwrap_err();
        assert!(!err.to_string().contains("sk-secret"), "{err}");
    }

    #[test]
    fn plain_http_allowed_for_loopback_only() {
        for host in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000",
            "http://localhost:1",
        ] {
            let endpoint = Endpoint::resolve(Some(host), "cn-hangzhou", false).unwrap();
            assert!(endpoint.is_loopback(), "{host}");
            assert_eq!(endpoint.warning(), None);
        }
        for host in [
            "http://ecs.cn-hangzhou.aliyuncs.com",
            "http://10.0.0.1:8080",
            "http://128.0.0.1",
        ] {
            assert!(
                matches!(
                    Endpoint::resolve(Some(host), "cn-hangzhou", false),
                    Err(ConfigError::InsecureEndpoint { .. })
                ),
                "{host}"
            );
        }
    }

    #[test]
    fn insecure_opt_in_warns() {
        let endpoint = Endpoint::resolve(Some("http://10.0.0.1:8080"), "cn-hangzhou", true).unwrap();
        assert!(!endpoint.is_loopback());
        assert!(endpoint.warning().unwrap().contains("plain http"));
        let https = Endpoint::resolve(Some("https://10.0.0.1"), "cn-hangzhou", true).unwrap();
        assert_eq!(https.warning(), None);
    }
}
