//! Accepted credentials: access key pairs, optionally bound to an STS security token, and the
//! documented demo pair used when none is configured. Secrets never show in `Debug`.

use std::collections::HashMap;
use std::fmt;

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
}

impl AccessKey {
    pub fn new(id: impl Into<String>, secret: impl Into<String>, token: Option<String>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
            token,
        }
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
            .finish()
    }
}

/// The credentials the emulator accepts, by access key id.
#[derive(Debug, Clone, Default)]
pub struct KeyStore {
    keys: HashMap<String, AccessKey>,
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
        }
    }

    pub fn get(&self, id: &str) -> Option<&AccessKey> {
        self.keys.get(id)
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
    fn demo_pair_only_without_keys() {
        assert!(KeyStore::new(vec![]).get(DEMO_ACCESS_KEY_ID).is_some());
        let store = KeyStore::new(vec![AccessKey::new("AK", "SK", None)]);
        assert!(store.get(DEMO_ACCESS_KEY_ID).is_none());
        assert_eq!(store.ids(), ["AK"]);
    }
}
