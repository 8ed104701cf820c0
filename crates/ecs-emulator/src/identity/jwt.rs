//! The shape checks `AssumeRoleWithOIDC` makes of its token: a JWT of three Base64url parts
//! whose header names an `alg` and whose claims carry `iss`, `aud` and `exp`, matching the
//! OIDC provider and not expired. Signatures are not verified (the emulator holds no
//! issuer keys), so tests mint unsigned tokens (`alg: none`, empty third part).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::OidcProvider;
use crate::errors::ApiError;

/// STS refuses longer tokens.
const MAX_TOKEN_CHARS: usize = 10_000;

/// The claims STS reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub issuer: String,
    pub subject: String,
    pub audience: Vec<String>,
}

fn part(text: &str) -> Result<Vec<u8>, ApiError> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| ApiError::OidcTokenInvalid("a part is not Base64url"))
}

fn object(text: &str, what: &'static str) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice(&part(text)?) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::OidcTokenInvalid(what)),
    }
}

/// Checks `token` against `provider` at `now`.
pub fn check(token: &str, provider: &OidcProvider, now: DateTime<Utc>) -> Result<Claims, ApiError> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(ApiError::OidcTokenInvalid("longer than 10000 characters"));
    }
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(ApiError::OidcTokenInvalid("not three Base64url parts"));
    };
    let header = object(header, "the header is not a JSON object")?;
    if !header.get("alg").is_some_and(Value::is_string) {
        return Err(ApiError::OidcTokenInvalid("the header names no alg"));
    }
    part(signature)?;
    let claims = object(payload, "the claims are not a JSON object")?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string);
    let issuer = text("iss").ok_or(ApiError::OidcTokenInvalid("no iss claim"))?;
    let audience: Vec<String> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return Err(ApiError::OidcTokenInvalid("no aud claim")),
    };
    let expires = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(ApiError::OidcTokenInvalid("no exp claim"))?;
    if issuer != provider.issuer {
        return Err(ApiError::OidcTokenInvalid(
            "the issuer is not the OIDC provider's",
        ));
    }
    if !audience.contains(&provider.audience) {
        return Err(ApiError::OidcTokenInvalid(
            "the audience is not the OIDC provider's client id",
        ));
    }
    if expires <= now.timestamp() {
        return Err(ApiError::OidcTokenExpired);
    }
    Ok(Claims {
        issuer,
        subject: text("sub").unwrap_or_default(),
        audience,
    })
}

/// An unsigned token with these claims, for tests and demos.
pub fn mint_unsigned(issuer: &str, audience: &str, subject: &str, expires: i64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = serde_json::json!({ "iss": issuer, "aud": audience, "sub": subject, "exp": expires });
    format!("{header}.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> OidcProvider {
        OidcProvider::parse("acs:ram::1:oidc-provider/ci,https://issuer.test,sts.aliyuncs.com").unwrap()
    }

    #[test]
    fn a_well_formed_token_passes() {
        let now = Utc::now();
        let token = mint_unsigned(
            "https://issuer.test",
            "sts.aliyuncs.com",
            "repo:x",
            now.timestamp() + 60,
        );
        let claims = check(&token, &provider(), now).unwrap();
        assert_eq!(claims.subject, "repo:x");
    }

    #[test]
    fn shape_issuer_audience_and_expiry_are_checked() {
        let now = Utc::now();
        let later = now.timestamp() + 60;
        let code = |token: &str| check(token, &provider(), now).unwrap_err().code().into_owned();
        assert_eq!(code("a.b"), "AuthenticationFail.OIDCToken.Invalid");
        assert_eq!(code("!!.??.x"), "AuthenticationFail.OIDCToken.Invalid");
        let other_issuer = mint_unsigned("https://evil.test", "sts.aliyuncs.com", "s", later);
        assert!(check(&other_issuer, &provider(), now)
            .unwrap_err()
            .to_string()
            .contains("issuer"));
        let other_audience = mint_unsigned("https://issuer.test", "someone-else", "s", later);
        assert!(check(&other_audience, &provider(), now)
            .unwrap_err()
            .to_string()
            .contains("audience"));
        let expired = mint_unsigned(
            "https://issuer.test",
            "sts.aliyuncs.com",
            "s",
            now.timestamp() - 1,
        );
        assert_eq!(code(&expired), "AuthenticationFail.OIDCToken.Expired");
        let no_exp = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(br#"{"iss":"https://issuer.test","aud":"sts.aliyuncs.com"}"#)
        );
        assert!(check(&no_exp, &provider(), now)
            .unwrap_err()
            .to_string()
            .contains("exp"));
    }
}
