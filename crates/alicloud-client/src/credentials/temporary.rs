//! Temporary credentials as the metadata service, a credentials URI and STS hand them out:
//! `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and an `Expiration` in UTC.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;

use super::Credentials;
use crate::client::describe_transport;
use crate::secret::SecretString;

/// Answers of the metadata service and credential URIs are a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Sends a plain HTTP request and reads its answer, capped; errors name the cause (a
/// timeout, a refused connection) and never carry the URL.
pub(crate) async fn send_capped(request: reqwest::RequestBuilder) -> Result<Vec<u8>, String> {
    let failed = |e: reqwest::Error| {
        let (kind, detail) = describe_transport(e);
        format!("{kind} error: {detail}")
    };
    let mut response = request.send().await.map_err(failed)?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_ANSWER_BYTES {
            return Err(format!("answer larger than {MAX_ANSWER_BYTES} bytes"));
        }
    }
    Ok(body)
}

/// Credentials with the moment they stop working (`None`: they do not expire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Temporary {
    pub credentials: Credentials,
    pub expiration: Option<DateTime<Utc>>,
}

/// The JSON shape shared by STS's `Credentials` object, the metadata service and credentials
/// URIs (the last two add `Code`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Issued {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: SecretString,
    #[serde(default)]
    security_token: SecretString,
    #[serde(default)]
    expiration: Option<String>,
}

impl Issued {
    /// Parses a body; the error names the problem, never the body (it holds secrets).
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(body).map_err(|e| {
            format!(
                "not the credentials JSON (line {}, column {})",
                e.line(),
                e.column()
            )
        })
    }

    /// Checks `Code` (when sent) and that the pair is complete.
    pub fn into_temporary(self) -> Result<Temporary, String> {
        if let Some(code) = self.code.as_deref().filter(|c| *c != "Success") {
            return Err(format!("answered Code {code:?} instead of \"Success\""));
        }
        if self.access_key_id.is_empty() || self.access_key_secret.is_empty() {
            return Err("the answer lacks AccessKeyId or AccessKeySecret".to_owned());
        }
        let mut credentials = Credentials::new(self.access_key_id, self.access_key_secret);
        if !self.security_token.is_empty() {
            credentials = credentials.with_security_token(self.security_token);
        }
        let expiration = self
            .expiration
            .filter(|e| !e.is_empty())
            .map(|e| parse_expiration(&e))
            .transpose()?;
        Ok(Temporary {
            credentials,
            expiration,
        })
    }
}

/// `yyyy-MM-ddTHH:mm:ssZ` (also accepted: RFC 3339 with fractions or an offset).
pub fn parse_expiration(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ") {
        return Ok(naive.and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("Expiration {text:?} is not a UTC time like 2024-01-01T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_answer() {
        let body = br#"{"Code":"Success","AccessKeyId":"STS.a","AccessKeySecret":"s","SecurityToken":"t",
            "Expiration":"2030-01-02T03:04:05Z","LastUpdated":"2030-01-02T02:04:05Z"}"#;
        let got = Issued::parse(body).unwrap().into_temporary().unwrap();
        assert_eq!(got.credentials.access_key_id, "STS.a");
        assert_eq!(got.credentials.security_token, Some("t".into()));
        assert_eq!(got.expiration.unwrap().to_rfc3339(), "2030-01-02T03:04:05+00:00");
    }

    #[test]
    fn failures_never_quote_the_body() {
        let err = Issued::parse(b"{\"AccessKeySecret\": \"leak").err().unwrap();
        assert!(!err.contains("leak"), "{err}");
        let failed = Issued::parse(br#"{"Code":"Failed","AccessKeySecret":"leak"}"#).unwrap();
        assert!(failed.into_temporary().unwrap_err().contains("Failed"));
        let half = Issued::parse(br#"{"AccessKeyId":"a"}"#).unwrap();
        assert!(half.into_temporary().is_err());
        assert!(parse_expiration("tomorrow").is_err());
    }
}
