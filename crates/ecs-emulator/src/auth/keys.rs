//! Accepted credentials: access key pairs, optionally bound to an STS security token, the
//! documented demo pair used when none is configured, and the temporary keys the emulator's
//! STS and metadata service issue (they expire). Secrets never show in `Debug`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

/// The demo access key id accepted when no `--access-key` is given.
pub const DEMO_ACCESS_KEY_ID: &str = "LTAI5tDemoAccessKey";
/// The demo secret (public on purpose: the emulator holds nothing worth protecting).
pub const DEMO_ACCESS_KEY_SECRET: &str = "demo-secret-not-for-production";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeySpecError {
    #[error("access key must be ID:SECRET or ID:SECRET:TOKEN with non-empty parts")]
    Malformed,
}

/// One accepted credential. A key with a token accepts only requests that carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    id: String,
    secret: String,
    token: Option<String>,
    /// Issued keys stop working at this moment.
    expires: Option<DateTime<Utc>>,
    /// Who the key is, for `GetCallerIdentity` (an assumed role's ARN); `None` = a RAM user.
    principal: Option<String>,
}

impl AccessKey {
    pub fn new(id: impl Into<String>, secret: impl Into<String>, token: Option<String>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
            token,
            expires: None,
            principal: None,
        }
    }

    /// A temporary key of `principal`, valid until `expires`.
    pub fn temporary(mut self, principal: String, expires: DateTime<Utc>) -> Self {
        self.principal = Some(principal);
        self.expires = Some(expires);
        self
    }

    pub fn expires(&self) -> Option<DateTime<Utc>> {
        self.expires
    }

    pub fn principal(&self) -> Option<&str> {
        self.principal.as_deref()
    }

    /// Parses `ID:SECRET` or `ID:SECRET:TOKEN`.
    pub fn parse(spec: &str) -> Result<Self, KeySpecError> {
        let mut parts = spec.splitn(3, ':');
        let id = parts
            .next()
            .filter(|s| !s.is_empty())
            .ok_or(KeySpecError::Malformed)?;
        let secret = parts
            .next()
            .filter(|s| !s.is_empty())
            .ok_or(KeySpecError::Malformed)?;
        let token = match parts.next() {
            Some("") => return Err(KeySpecError::Malformed),
            other => other.map(str::to_string),
        };
        Ok(Self::new(id, secret, token))
    }

    pub fn demo() -> Self {
        Self::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, None)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("expires", &self.expires)
            .finish()
    }
}

/// The credentials the emulator accepts, by access key id. Clones share the issued keys.
#[derive(Debug, Clone, Default)]
pub struct KeyStore {
    keys: HashMap<String, AccessKey>,
    issued: Arc<Mutex<HashMap<String, AccessKey>>>,
}

impl KeyStore {
    /// The given keys, or the demo pair when the list is empty.
    pub fn new(keys: Vec<AccessKey>) -> Self {
        let keys = if keys.is_empty() {
            vec![AccessKey::demo()]
        } else {
            keys
        };
        Self {
            keys: keys.into_iter().map(|k| (k.id.clone(), k)).collect(),
            issued: Arc::default(),
        }
    }

    /// A configured or issued key (expired ones too: the caller tells them apart).
    pub fn get(&self, id: &str) -> Option<AccessKey> {
        if let Some(key) = self.keys.get(id) {
            return Some(key.clone());
        }
        self.issued().get(id).cloned()
    }

    /// Accepts a temporary key from now on, dropping the ones that have expired long ago.
    pub fn issue(&self, key: AccessKey, now: DateTime<Utc>) {
        let mut issued = self.issued();
        let forgotten = now - chrono::Duration::hours(1);
        issued.retain(|_, k| k.expires.is_none_or(|at| at > forgotten));
        issued.insert(key.id.clone(), key);
    }

    fn issued(&self) -> std::sync::MutexGuard<'_, HashMap<String, AccessKey>> {
        self.issued.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Key ids, sorted, for the startup log.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.keys.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs_and_triples() {
        let k = AccessKey::parse("AK:SK").unwrap();
        assert_eq!((k.id(), k.secret(), k.token()), ("AK", "SK", None));
        let k = AccessKey::parse("STS.x:SK:CAIS:tok").unwrap();
        assert_eq!(k.token(), Some("CAIS:tok"));
        for bad in ["", "AK", "AK:", ":SK", "AK:SK:"] {
            assert_eq!(AccessKey::parse(bad), Err(KeySpecError::Malformed), "{bad}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let text = format!("{:?}", AccessKey::parse("AK:topsecret:tokenvalue").unwrap());
        assert!(
            !text.contains("topsecret") && !text.contains("tokenvalue"),
            "{text}"
        );
    }

    #[test]
    fn issued_keys_are_shared_by_clones() {
        let store = KeyStore::new(vec![]);
        let now = Utc::now();
        store.clone().issue(
            AccessKey::new("STS.x", "s", Some("t".into())).temporary("arn".into(), now),
            now,
        );
        assert_eq!(store.get("STS.x").and_then(|k| k.expires()), Some(now));
    }

    #[test]
    fn demo_pair_only_without_keys() {
        assert!(KeyStore::new(vec![]).get(DEMO_ACCESS_KEY_ID).is_some());
        let store = KeyStore::new(vec![AccessKey::new("AK", "SK", None)]);
        assert!(store.get(DEMO_ACCESS_KEY_ID).is_none());
        assert_eq!(store.ids(), ["AK"]);
    }
}
