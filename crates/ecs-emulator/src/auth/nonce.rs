//! The replay cache: a `SignatureNonce` (or `x-acs-signature-nonce`) is accepted once per
//! access key. Entries outlive the timestamp window on both sides, after which a replay is
//! refused by the timestamp check anyway, so they can be forgotten.

use std::collections::{HashSet, VecDeque};

use chrono::{DateTime, Utc};

use super::timestamp::WINDOW;

#[derive(Debug, Default)]
pub struct NonceCache {
    seen: HashSet<(String, String)>,
    by_age: VecDeque<(DateTime<Utc>, (String, String))>,
}

impl NonceCache {
    /// Records the nonce; false if this key already used it.
    pub fn insert(&mut self, key_id: &str, nonce: &str, now: DateTime<Utc>) -> bool {
        while let Some((when, _)) = self.by_age.front() {
            if now - *when <= WINDOW * 2 {
                break;
            }
            if let Some((_, entry)) = self.by_age.pop_front() {
                self.seen.remove(&entry);
            }
        }
        let entry = (key_id.to_string(), nonce.to_string());
        if !self.seen.insert(entry.clone()) {
            return false;
        }
        self.by_age.push_back((now, entry));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn refuses_replays_per_key_and_forgets_old_ones() {
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut cache = NonceCache::default();
        assert!(cache.insert("AK", "n1", t0));
        assert!(!cache.insert("AK", "n1", t0 + TimeDelta::minutes(29)));
        assert!(cache.insert("OTHER", "n1", t0));
        assert!(cache.insert("AK", "n1", t0 + TimeDelta::minutes(31)));
    }
}
