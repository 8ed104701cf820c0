//! Builds one signed attempt of an RPC call (`docs/api-notes.md#requests-and-signature`): the
//! common parameters with a fresh nonce and timestamp, the signature over every parameter, and the
//! split between query string and form body.

use chrono::Utc;
use uuid::Uuid;

use super::credentials::Credentials;
use super::params::Params;
use super::setting::Setting;
use super::signature::{percent_encode, signature_for};

pub const API_VERSION: &str = "2014-05-26";

/// An RPC API: its name for logs, its version, and where its public endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    pub product: &'static str,
    pub version: &'static str,
    /// The setting that overrides its endpoint (named in endpoint errors).
    pub endpoint_setting: Setting,
    /// `Some(host)`: one central endpoint; `None`: `ecs.<region>.aliyuncs.com` and friends.
    pub central_host: Option<&'static str>,
}

/// ECS, API 2014-05-26, regional endpoints.
pub const ECS_API: Api = Api {
    product: "ECS",
    version: API_VERSION,
    endpoint_setting: Setting::EcsEndpoint,
    central_host: None,
};

/// The HTTP method of RPC calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HttpMethod {
    /// Common parameters in the query, API parameters in a form body (what Terraform's
    /// Alibaba provider sends).
    #[default]
    Post,
    /// Every parameter in the query.
    Get,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "POST",
            Self::Get => "GET",
        }
    }
}

/// The per-attempt values that make a signature unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub nonce: String,
    /// UTC, `yyyy-MM-ddTHH:mm:ssZ`.
    pub timestamp: String,
}

impl Stamp {
    pub fn fresh() -> Self {
        Self {
            nonce: Uuid::new_v4().to_string(),
            timestamp: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }
}

/// One signed attempt, ready to send.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    pub method: HttpMethod,
    /// Query parameters, `Signature` last.
    pub query: Params,
    /// Form body parameters (POST only).
    pub body: Params,
    pub signature: String,
}

impl SignedRequest {
    /// The percent-encoded query string.
    pub fn query_string(&self) -> String {
        encode_pairs(&self.query)
    }

    /// The `application/x-www-form-urlencoded` body, `None` for GET.
    pub fn body_string(&self) -> Option<String> {
        match self.method {
            HttpMethod::Post => Some(encode_pairs(&self.body)),
            HttpMethod::Get => None,
        }
    }

    /// Every parameter sent, query and body, for (redacted) logging.
    pub fn all_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query
            .iter()
            .chain(&self.body)
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Signs `action` with `api_params`. The signature covers the union of query and body;
/// without credentials the request goes unsigned (`AssumeRoleWithOIDC`).
pub fn sign_request(
    api: &Api,
    action: &str,
    api_params: &Params,
    credentials: Option<&Credentials>,
    method: HttpMethod,
    stamp: &Stamp,
) -> SignedRequest {
    let mut common: Params = vec![
        ("Action".into(), action.into()),
        ("Version".into(), api.version.into()),
        ("Format".into(), "JSON".into()),
    ];
    if let Some(credentials) = credentials {
        common.push(("AccessKeyId".into(), credentials.access_key_id.clone()));
        common.push(("SignatureMethod".into(), "HMAC-SHA1".into()));
        common.push(("SignatureVersion".into(), "1.0".into()));
    }
    common.push(("SignatureNonce".into(), stamp.nonce.clone()));
    common.push(("Timestamp".into(), stamp.timestamp.clone()));
    if let Some(token) = credentials.and_then(|c| c.security_token.as_ref()) {
        common.push(("SecurityToken".into(), token.expose().to_owned()));
    }
    let signature = credentials.map(|credentials| {
        signature_for(
            method.as_str(),
            credentials.access_key_secret.expose(),
            common
                .iter()
                .chain(api_params)
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
    });
    let (mut query, body) = match method {
        HttpMethod::Post => (common, api_params.clone()),
        HttpMethod::Get => (
            common.into_iter().chain(api_params.iter().cloned()).collect(),
            Params::new(),
        ),
    };
    if let Some(signature) = &signature {
        query.push(("Signature".into(), signature.clone()));
    }
    SignedRequest {
        method,
        query,
        body,
        signature: signature.unwrap_or_default(),
    }
}

fn encode_pairs(pairs: &Params) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector_params() -> Params {
        [
            ("RegionId", "cn-hangzhou"),
            ("CommandId", "c-hz0jdfwcsr0001"),
            ("InstanceId.1", "i-bp1aaaa"),
            ("InstanceId.2", "i-bp1bbbb"),
            ("Parameters", r#"{"name":"Jack Ma"}"#),
            ("RepeatMode", "Once"),
            ("Timeout", "60"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    }

    fn vector_stamp() -> Stamp {
        Stamp {
            nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf".into(),
            timestamp: "2016-02-23T12:46:24Z".into(),
        }
    }

    #[test]
    fn post_matches_the_invoke_command_vector() {
        let creds = Credentials::new("testid", "testsecret");
        let signed = sign_request(
            &ECS_API,
            "InvokeCommand",
            &vector_params(),
            Some(&creds),
            HttpMethod::Post,
            &vector_stamp(),
        );
        assert_eq!(signed.signature, "8/COR0oQRGzSoK0xLP3qKHJdthw=");
        let query = signed.query_string();
        assert!(query.starts_with("Action=InvokeCommand&Version=2014-05-26&Format=JSON&AccessKeyId=testid"));
        assert!(
            query.ends_with("&Signature=8%2FCOR0oQRGzSoK0xLP3qKHJdthw%3D"),
            "{query}"
        );
        assert!(!query.contains("CommandId"), "API params belong in the body");
        let body = signed.body_string().unwrap();
        assert!(body.starts_with("RegionId=cn-hangzhou&CommandId=c-hz0jdfwcsr0001&InstanceId.1=i-bp1aaaa"));
        assert!(
            body.contains("Parameters=%7B%22name%22%3A%22Jack%20Ma%22%7D"),
            "{body}"
        );
    }

    #[test]
    fn get_matches_the_vector_and_has_no_body() {
        let creds = Credentials::new("testid", "testsecret");
        let signed = sign_request(
            &ECS_API,
            "InvokeCommand",
            &vector_params(),
            Some(&creds),
            HttpMethod::Get,
            &vector_stamp(),
        );
        assert_eq!(signed.signature, "8gzEyEg0nkpFjK8KcERzR3Ss35g=");
        assert_eq!(signed.body_string(), None);
        assert!(signed.query_string().contains("CommandId=c-hz0jdfwcsr0001"));
    }

    #[test]
    fn security_token_is_sent_and_signed() {
        let creds = Credentials::new("testid", "testsecret").with_security_token("CAIS-test-token");
        let signed = sign_request(
            &ECS_API,
            "InvokeCommand",
            &vector_params(),
            Some(&creds),
            HttpMethod::Post,
            &vector_stamp(),
        );
        assert_eq!(signed.signature, "1I1rAWNKYIyCBSkYfxsVcJHAkok=");
        assert!(signed.query_string().contains("SecurityToken=CAIS-test-token"));
    }

    #[test]
    fn without_credentials_nothing_is_signed() {
        let signed = sign_request(
            &ECS_API,
            "AssumeRoleWithOIDC",
            &vector_params(),
            None,
            HttpMethod::Post,
            &vector_stamp(),
        );
        let query = signed.query_string();
        assert!(
            !query.contains("Signature=") && !query.contains("AccessKeyId"),
            "{query}"
        );
        assert!(query.contains("SignatureNonce="), "{query}");
    }

    #[test]
    fn fresh_stamps_are_unique_and_well_formed() {
        let (a, b) = (Stamp::fresh(), Stamp::fresh());
        assert_ne!(a.nonce, b.nonce);
        assert!(Uuid::parse_str(&a.nonce).is_ok());
        let ts = a.timestamp.as_bytes();
        assert_eq!(ts.len(), 20, "{}", a.timestamp);
        assert!(chrono::NaiveDateTime::parse_from_str(&a.timestamp, "%Y-%m-%dT%H:%M:%SZ").is_ok());
        assert_eq!(ts.last(), Some(&b'Z'));
    }
}
