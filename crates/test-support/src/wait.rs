//! Waiting for a condition, polled with a deadline, where a fixed sleep would only hope that
//! the condition holds by then: a test waits as long as a loaded machine needs and no longer.
//! Where the emulator's clock drives what a test waits for, advance it instead.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a condition is checked.
const POLL: Duration = Duration::from_millis(20);

/// Polls `done` until it holds; fails the test, naming `what`, once `limit` has passed.
pub fn until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(POLL);
    }
}

/// [`until`] for async tests.
pub async fn until_async<F, Fut>(what: &str, limit: Duration, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(POLL).await;
    }
}
