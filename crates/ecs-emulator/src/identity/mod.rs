//! The emulator's identity services: STS (`AssumeRole`, `AssumeRoleWithOIDC`,
//! `GetCallerIdentity`, API 2015-04-01 on the same port as ECS, told apart by `Version`) and
//! the ECS metadata service (`/latest/...`, token-protected). Both issue temporary keys
//! that sign ECS calls until they expire; after that the gateway answers
//! `InvalidSecurityToken.Expired`.

pub mod jwt;
pub mod metadata;
pub mod sts;

use std::fmt;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::{json, Value};

use super::auth::keys::{AccessKey, KeyStore};

/// The account of the emulator's RAM users (a role's ARN names its own).
pub const ACCOUNT_ID: &str = "1234567890123456";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("expected ARN or ARN=KEY_ID[,KEY_ID...] with an ARN like acs:ram::ACCOUNT:role/NAME")]
    Role,
    #[error("expected ARN,ISSUER,AUDIENCE with non-empty parts")]
    OidcProvider,
}

/// A role STS lets callers assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub arn: String,
    /// Access key ids whose users may assume it; `None` = any caller.
    pub trusted: Option<Vec<String>>,
}

impl Role {
    /// `ARN` (anyone may assume it) or `ARN=KEY_ID,KEY_ID` (only these access keys).
    pub fn parse(spec: &str) -> Result<Self, SpecError> {
        let (arn, trusted) = match spec.split_once('=') {
            Some((arn, ids)) => {
                let ids: Vec<String> = ids.split(',').map(str::to_string).collect();
                if ids.iter().any(String::is_empty) {
                    return Err(SpecError::Role);
                }
                (arn, Some(ids))
            }
            None => (spec, None),
        };
        role_name(arn).ok_or(SpecError::Role)?;
        Ok(Self {
            arn: arn.to_string(),
            trusted,
        })
    }

    fn trusts(&self, access_key_id: &str) -> bool {
        self.trusted
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| id == access_key_id))
    }
}

/// `acs:ram::ACCOUNT:role/NAME` → (ACCOUNT, NAME).
fn role_name(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("acs:ram::")?;
    let (account, name) = rest.split_once(":role/")?;
    (!account.is_empty() && !name.is_empty()).then_some((account, name))
}

/// An OIDC identity provider registered in RAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProvider {
    pub arn: String,
    pub issuer: String,
    pub audience: String,
}

impl OidcProvider {
    /// `ARN,ISSUER,AUDIENCE`.
    pub fn parse(spec: &str) -> Result<Self, SpecError> {
        let parts: Vec<&str> = spec.split(',').collect();
        match parts.as_slice() {
            [arn, issuer, audience] if ![arn, issuer, audience].iter().any(|p| p.is_empty()) => Ok(Self {
                arn: (*arn).to_string(),
                issuer: (*issuer).to_string(),
                audience: (*audience).to_string(),
            }),
            _ => Err(SpecError::OidcProvider),
        }
    }
}

/// What the identity services know, fixed for a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityConfig {
    pub roles: Vec<Role>,
    pub oidc_providers: Vec<OidcProvider>,
    /// The RAM role of the emulated instance, served by the metadata service.
    pub ecs_role: Option<String>,
    /// Lifetime of every issued key, whatever was asked (short sessions for tests).
    pub session_seconds: Option<u32>,
}

/// The identity services' state: their configuration and the key store they issue into.
pub struct Identity {
    config: IdentityConfig,
    keys: KeyStore,
    metadata_tokens: metadata::Tokens,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// Issues into `keys`, which the authenticator shares.
    pub fn new(config: IdentityConfig, keys: KeyStore) -> Self {
        Self {
            config,
            keys,
            metadata_tokens: metadata::Tokens::default(),
        }
    }

    fn role(&self, arn: &str) -> Option<&Role> {
        self.config.roles.iter().find(|r| r.arn == arn)
    }

    /// A fresh temporary key of `principal`, accepted from now on for `seconds` (or the
    /// configured session length). Expiry is whole seconds, as the API reports it.
    fn issue(&self, principal: String, seconds: u32, now: DateTime<Utc>) -> AccessKey {
        let seconds = self.config.session_seconds.unwrap_or(seconds);
        let expires = now.trunc_subsecs(0) + Duration::seconds(i64::from(seconds));
        let random = || uuid::Uuid::new_v4().simple().to_string();
        let key = AccessKey::new(
            format!("STS.NU{}", &random()[..20]),
            random(),
            Some(format!("CAIS{}{}", random(), random())),
        )
        .temporary(principal, expires);
        self.keys.issue(key.clone(), now);
        key
    }
}

/// The `Credentials` object of STS answers and the metadata service.
fn credentials_json(key: &AccessKey) -> Value {
    json!({
        "AccessKeyId": key.id(),
        "AccessKeySecret": key.secret(),
        "SecurityToken": key.token().unwrap_or_default(),
        "Expiration": key.expires().map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_provider_specs() {
        let open = Role::parse("acs:ram::1:role/deploy").unwrap();
        assert!(open.trusts("anyone"));
        let closed = Role::parse("acs:ram::1:role/deploy=AK1,AK2").unwrap();
        assert!(closed.trusts("AK2") && !closed.trusts("AK3"));
        for bad in [
            "deploy",
            "acs:ram::1:role/",
            "acs:ram::1:role/x=",
            "acs:ram::1:role/x=A,",
        ] {
            assert_eq!(Role::parse(bad), Err(SpecError::Role), "{bad}");
        }
        let provider =
            OidcProvider::parse("acs:ram::1:oidc-provider/ci,https://issuer.test,sts.aliyuncs.com").unwrap();
        assert_eq!(provider.issuer, "https://issuer.test");
        assert!(OidcProvider::parse("a,b").is_err() && OidcProvider::parse("a,,c").is_err());
    }

    #[test]
    fn issued_keys_expire_in_whole_seconds_and_honour_the_override() {
        let keys = KeyStore::new(vec![]);
        let config = IdentityConfig {
            session_seconds: Some(5),
            ..Default::default()
        };
        let identity = Identity::new(config, keys.clone());
        let now = Utc::now();
        let key = identity.issue("arn".into(), 3600, now);
        assert_eq!(key.expires(), Some(now.trunc_subsecs(0) + Duration::seconds(5)));
        assert!(key.id().starts_with("STS.") && key.token().is_some_and(|t| t.starts_with("CAIS")));
        assert_eq!(
            keys.get(key.id()).map(|k| k.secret().to_string()),
            Some(key.secret().to_string())
        );
    }
}
