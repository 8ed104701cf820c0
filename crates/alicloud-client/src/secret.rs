//! A string that never shows itself: access key secrets, security tokens and command
//! parameter values travel in this type so that `Debug`, `Display` and logs cannot leak them.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// What a redacted value renders as everywhere (logs, errors, `Debug`).
pub const REDACTED: &str = "<redacted>";

/// A secret string. The only way to read it is [`SecretString::expose`], which keeps every
/// use greppable.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The clear text, for signing or sending; never for formatting into messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretString({REDACTED})")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let secret = SecretString::new("hunter2-very-secret");
        assert_eq!(format!("{secret}"), REDACTED);
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(!format!("{:?}", Some(secret.clone())).contains("hunter2"));
        assert_eq!(secret.expose(), "hunter2-very-secret");
    }

    #[test]
    fn deserializes_from_a_json_string() {
        let secret: SecretString = serde_json::from_str(r#""{\"pw\":\"x\"}""#).unwrap();
        assert_eq!(secret.expose(), r#"{"pw":"x"}"#);
    }
}
