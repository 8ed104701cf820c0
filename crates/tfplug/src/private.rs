//! An object's private state: the protocol's `private` bytes, which Terraform keeps beside
//! the object's state, hands back on every read, plan and apply of it, and never shows. The
//! framework stores a JSON object there so that each concern owns one key; bytes it did not
//! write (another version's, or none at all) pass through untouched until a key is set.

use serde_json::{Map, Value as Json};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Private {
    bytes: Vec<u8>,
}

impl Private {
    /// The bytes Terraform sent (empty for a new object).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Private { bytes }
    }

    /// The bytes to send back.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The keys set so far; none when the bytes are not a JSON object.
    fn entries(&self) -> Map<String, Json> {
        serde_json::from_slice(&self.bytes).unwrap_or_default()
    }

    pub fn get(&self, key: &str) -> Option<Json> {
        self.entries().remove(key)
    }

    /// Sets `key`; bytes that held no JSON object are replaced.
    pub fn set(&mut self, key: &str, value: Json) {
        let mut entries = self.entries();
        entries.insert(key.to_string(), value);
        self.store(entries);
    }

    /// Removes `key`; with no key left, no bytes are kept.
    pub fn remove(&mut self, key: &str) {
        let mut entries = self.entries();
        if entries.remove(key).is_some() {
            self.store(entries);
        }
    }

    fn store(&mut self, entries: Map<String, Json>) {
        self.bytes = if entries.is_empty() {
            Vec::new()
        } else {
            Json::Object(entries).to_string().into_bytes()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_the_bytes() {
        let mut private = Private::default();
        assert_eq!(private.get("a"), None);
        private.set("a", Json::Bool(true));
        private.set("b", Json::from("x"));
        let mut again = Private::from_bytes(private.into_bytes());
        assert_eq!(again.get("a"), Some(Json::Bool(true)));
        again.remove("a");
        assert_eq!(again.get("a"), None);
        assert_eq!(again.get("b"), Some(Json::from("x")));
        again.remove("b");
        assert!(again.into_bytes().is_empty(), "no key left, no bytes");
    }

    #[test]
    fn bytes_not_written_here_pass_through_until_a_key_is_set() {
        let mut opaque = Private::from_bytes(b"opaque".to_vec());
        assert_eq!(opaque.get("a"), None);
        opaque.remove("a");
        assert_eq!(opaque.clone().into_bytes(), b"opaque");
        opaque.set("a", Json::Bool(true));
        assert_eq!(opaque.into_bytes(), br#"{"a":true}"#);
    }
}
