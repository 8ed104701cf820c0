//! The ECS metadata service in token-protected mode: `PUT /latest/api/token` with
//! `X-aliyun-ecs-metadata-token-ttl-seconds` (1 to 21600) answers a session token; every
//! `GET` needs it in `X-aliyun-ecs-metadata-token` (401 without). Served: the role list
//! `/latest/meta-data/ram/security-credentials/` and the role's temporary credentials.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;
use serde_json::json;

use super::{credentials_json, Identity, ACCOUNT_ID};
use crate::log;
use crate::service::Emulator;

pub const PREFIX: &str = "/latest/";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const MAX_TTL_SECONDS: i64 = 21_600;
/// Lifetime of the role's credentials unless the emulator is told otherwise.
const CREDENTIALS_SECONDS: u32 = 3600;

/// Session tokens handed out, with their expiry.
#[derive(Debug, Default)]
pub struct Tokens(Mutex<HashMap<String, DateTime<Utc>>>);

impl Tokens {
    fn issue(&self, ttl: i64, now: DateTime<Utc>) -> String {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let mut tokens = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.retain(|_, expires| *expires > now);
        tokens.insert(token.clone(), now + Duration::seconds(ttl));
        token
    }

    fn valid(&self, token: &str, now: DateTime<Utc>) -> bool {
        let tokens = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.get(token).is_some_and(|expires| *expires > now)
    }
}

/// Answers a metadata request with a status and a body.
pub fn handle(emulator: &Emulator, method: &str, path: &str, headers: &HeaderMap) -> (u16, String) {
    let now = Utc::now();
    let identity = emulator.identity();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let (what, status, body) = match (method, path) {
        ("PUT", "/latest/api/token") => {
            match header("x-aliyun-ecs-metadata-token-ttl-seconds").and_then(|t| t.parse::<i64>().ok()) {
                Some(ttl) if (1..=MAX_TTL_SECONDS).contains(&ttl) => {
                    ("MetadataToken", 200, identity.metadata_tokens.issue(ttl, now))
                }
                _ => (
                    "MetadataToken",
                    400,
                    "invalid X-aliyun-ecs-metadata-token-ttl-seconds".into(),
                ),
            }
        }
        ("GET", _)
            if !header("x-aliyun-ecs-metadata-token")
                .is_some_and(|t| identity.metadata_tokens.valid(t, now)) =>
        {
            (
                "MetadataCredentials",
                401,
                "a valid X-aliyun-ecs-metadata-token is required".into(),
            )
        }
        ("GET", _) => match path.strip_prefix(CREDENTIALS_PATH) {
            Some(role) => credentials(identity, role, now),
            None => ("MetadataCredentials", 404, "not found".into()),
        },
        _ => ("MetadataCredentials", 405, "method not allowed".into()),
    };
    {
        let mut state = emulator.lock();
        state.stats.requests += 1;
        *state.stats.actions.entry(what.to_string()).or_default() += 1;
    }
    log::line(format_args!("{method} {path} metadata status={status}"));
    (status, body)
}

fn credentials(identity: &Identity, role: &str, now: DateTime<Utc>) -> (&'static str, u16, String) {
    let what = "MetadataCredentials";
    match (&identity.config.ecs_role, role) {
        (Some(name), "") => (what, 200, name.clone()),
        (Some(name), asked) if asked == name => {
            let principal = format!("acs:ram::{ACCOUNT_ID}:assumed-role/{name}/ecs-instance");
            let key = identity.issue(principal, CREDENTIALS_SECONDS, now);
            let mut body = credentials_json(&key);
            body["Code"] = json!("Success");
            body["LastUpdated"] = json!(now.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            (what, 200, body.to_string())
        }
        _ => (what, 404, "no such RAM role on this instance".into()),
    }
}
