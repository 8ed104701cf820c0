//! STS on the emulator's port (API 2015-04-01, told apart from ECS by `Version`):
//! `AssumeRole` (signed; the role must exist and trust the caller), `AssumeRoleWithOIDC`
//! (unsigned; the token must match a configured OIDC provider) and `GetCallerIdentity`.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{credentials_json, jwt, role_name, Identity, ACCOUNT_ID};
use crate::errors::ApiError;
use crate::log;
use crate::params::Params;
use crate::request::RpcRequest;
use crate::response;
use crate::service::Emulator;

pub const STS_VERSION: &str = "2015-04-01";
const HOST: &str = "sts.aliyuncs.com";
const DURATION_SECONDS: std::ops::RangeInclusive<u32> = 900..=43_200;
const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// Whether a request is for STS rather than ECS.
pub fn is_sts(req: &RpcRequest) -> bool {
    req.params.get("Version") == Some(STS_VERSION)
}

/// Answers an STS request with a status and a JSON body, counted in the stats like ECS calls.
pub fn handle(emulator: &Emulator, req: &RpcRequest) -> (u16, String) {
    let now = Utc::now();
    let request_id = response::request_id();
    let action = req.params.non_empty("Action").unwrap_or("-").to_string();
    let identity = emulator.identity();
    let outcome = match action.as_str() {
        "AssumeRoleWithOIDC" => assume_role_with_oidc(identity, &req.params, now),
        "AssumeRole" | "GetCallerIdentity" => {
            emulator
                .auth()
                .authenticate(req, now)
                .and_then(|verified| match action.as_str() {
                    "AssumeRole" => assume_role(identity, &verified.access_key_id, &req.params, now),
                    _ => caller_identity(identity, &verified.access_key_id),
                })
        }
        _ => Err(ApiError::InvalidAction),
    };
    let (status, body, code) = match outcome {
        Ok(fields) => (200, response::success(&request_id, fields), "-".to_string()),
        Err(error) => (
            error.status(),
            response::error(&request_id, HOST, &error),
            error.code().into_owned(),
        ),
    };
    {
        let mut state = emulator.lock();
        state.stats.requests += 1;
        *state.stats.actions.entry(action.clone()).or_default() += 1;
        if code != "-" {
            *state.stats.errors.entry(code.clone()).or_default() += 1;
        }
    }
    log::line(format_args!(
        "{} {} action={action} status={status} code={code} request_id={request_id}",
        req.method, req.path
    ));
    (status, body)
}

fn required<'a>(params: &'a Params, name: &'static str) -> Result<&'a str, ApiError> {
    params.non_empty(name).ok_or(ApiError::MissingParameter(name))
}

fn duration(params: &Params) -> Result<u32, ApiError> {
    match params.non_empty("DurationSeconds") {
        None => Ok(DEFAULT_DURATION_SECONDS),
        Some(text) => text
            .parse()
            .ok()
            .filter(|d| DURATION_SECONDS.contains(d))
            .ok_or(ApiError::InvalidParameter("DurationSeconds")),
    }
}

/// The session name rule of STS: 2 to 64 of letters, digits, `.`, `@`, `-`, `_`.
fn session_name(params: &Params) -> Result<&str, ApiError> {
    let name = required(params, "RoleSessionName")?;
    let valid = (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'@' | b'-' | b'_'));
    valid
        .then_some(name)
        .ok_or(ApiError::InvalidParameter("RoleSessionName"))
}

/// Issues the role's credentials: the answer shared by both assume actions.
fn assumed(
    identity: &Identity,
    role_arn: &str,
    session: &str,
    seconds: u32,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let (account, name) = role_name(role_arn).unwrap_or((ACCOUNT_ID, role_arn));
    let principal = format!("acs:ram::{account}:assumed-role/{name}/{session}");
    let key = identity.issue(principal.clone(), seconds, now);
    let mut fields = Map::new();
    fields.insert("Credentials".into(), credentials_json(&key));
    fields.insert(
        "AssumedRoleUser".into(),
        json!({ "Arn": principal, "AssumedRoleId": format!("3{}:{session}", &key.id()[6..18]) }),
    );
    fields
}

fn assume_role(
    identity: &Identity,
    caller: &str,
    params: &Params,
    now: DateTime<Utc>,
) -> Result<Map<String, Value>, ApiError> {
    let arn = required(params, "RoleArn")?;
    let session = session_name(params)?;
    let seconds = duration(params)?;
    let role = identity
        .role(arn)
        .ok_or_else(|| ApiError::RoleNotFound(arn.to_string()))?;
    if !role.trusts(caller) {
        return Err(ApiError::NoPermission);
    }
    Ok(assumed(identity, arn, session, seconds, now))
}

fn assume_role_with_oidc(
    identity: &Identity,
    params: &Params,
    now: DateTime<Utc>,
) -> Result<Map<String, Value>, ApiError> {
    let provider_arn = required(params, "OIDCProviderArn")?;
    let arn = required(params, "RoleArn")?;
    let token = required(params, "OIDCToken")?;
    let session = session_name(params)?;
    let seconds = duration(params)?;
    let provider = identity
        .config
        .oidc_providers
        .iter()
        .find(|p| p.arn == provider_arn)
        .ok_or(ApiError::OidcProviderNotFound)?;
    let claims = jwt::check(token, provider, now)?;
    identity
        .role(arn)
        .ok_or_else(|| ApiError::RoleNotFound(arn.to_string()))?;
    let mut fields = assumed(identity, arn, session, seconds, now);
    fields.insert(
        "OIDCTokenInfo".into(),
        json!({ "Issuer": claims.issuer, "Subject": claims.subject, "ClientIds": claims.audience.join(",") }),
    );
    Ok(fields)
}

fn caller_identity(identity: &Identity, caller: &str) -> Result<Map<String, Value>, ApiError> {
    let key = identity.keys.get(caller).ok_or(ApiError::AccessKeyNotFound)?;
    let (arn, kind) = match key.principal() {
        Some(role) => (role.to_string(), "AssumedRoleUser"),
        None => (format!("acs:ram::{ACCOUNT_ID}:user/{caller}"), "RAMUser"),
    };
    let mut fields = Map::new();
    fields.insert("AccountId".into(), json!(ACCOUNT_ID));
    fields.insert("UserId".into(), json!(caller));
    fields.insert("Arn".into(), json!(arn));
    fields.insert("IdentityType".into(), json!(kind));
    fields.insert("PrincipalId".into(), json!(caller));
    Ok(fields)
}
