//! What this provider process created in this run: the InvokeIds other resources already
//! hold, and how many `InvokeCommand` calls are still under way. A create whose outcome is
//! unknown looks for its invocation among the ones nobody claims, once the others settled.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;

pub struct Ledger {
    claimed: Mutex<HashSet<String>>,
    in_flight: watch::Sender<usize>,
}

impl Default for Ledger {
    fn default() -> Self {
        Self {
            claimed: Mutex::default(),
            in_flight: watch::Sender::new(0),
        }
    }
}

/// Counts one `InvokeCommand` as under way until dropped.
pub struct InFlight<'a> {
    ledger: &'a Ledger,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.ledger.in_flight.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl Ledger {
    pub fn begin(&self) -> InFlight<'_> {
        self.in_flight.send_modify(|n| *n += 1);
        InFlight { ledger: self }
    }

    /// Records an InvokeId as some resource's; `false` when it already was.
    pub fn claim(&self, invoke_id: &str) -> bool {
        self.claimed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(invoke_id.to_string())
    }

    pub fn is_claimed(&self, invoke_id: &str) -> bool {
        self.claimed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(invoke_id)
    }

    /// Waits until no `InvokeCommand` is under way, or `limit` passed; `true` when settled.
    pub async fn settled(&self, limit: Duration) -> bool {
        let mut watcher = self.in_flight.subscribe();
        tokio::time::timeout(limit, watcher.wait_for(|n| *n == 0))
            .await
            .is_ok_and(|waited| waited.is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_claimed_once() {
        let ledger = Ledger::default();
        assert!(!ledger.is_claimed("t-1"));
        assert!(ledger.claim("t-1"));
        assert!(!ledger.claim("t-1"));
        assert!(ledger.is_claimed("t-1"));
    }

    #[tokio::test]
    async fn settles_when_the_last_call_ends() {
        let ledger = Ledger::default();
        assert!(ledger.settled(Duration::from_millis(10)).await);
        let first = ledger.begin();
        let second = ledger.begin();
        assert!(!ledger.settled(Duration::from_millis(10)).await);
        drop(first);
        assert!(!ledger.settled(Duration::from_millis(10)).await);
        drop(second);
        assert!(ledger.settled(Duration::from_millis(10)).await);
    }
}
