//! Retry timing: capped exponential backoff with full jitter, bounded by a total deadline,
//! and the per-attempt timeouts.

use std::time::Duration;

use rand::Rng;

/// How hard a call tries. One logical call makes at most `max_attempts` attempts and never
/// runs past `deadline`, waits included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    /// Cap of the first wait; each further wait doubles the cap.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Total time for the call, all attempts and waits included.
    pub deadline: Duration,
    /// Time for one attempt, from connecting to the last byte of the body.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The longest wait after the `failed_attempts`-th failure (1-based):
    /// `min(max_backoff, initial_backoff * 2^(failed_attempts - 1))`.
    pub fn backoff_cap(&self, failed_attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(failed_attempts.saturating_sub(1));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// Full jitter: a uniform draw from `[0, backoff_cap]`, which spreads clients that were
    /// throttled together.
    pub fn backoff<R: Rng + ?Sized>(&self, failed_attempts: u32, rng: &mut R) -> Duration {
        let cap = self.backoff_cap(failed_attempts);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.gen_range(0..=nanos))
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            ..RetryPolicy::default()
        }
    }

    #[test]
    fn caps_double_then_saturate() {
        let p = policy();
        let caps: Vec<u128> = (1..=7).map(|n| p.backoff_cap(n).as_millis()).collect();
        assert_eq!(caps, [100, 200, 400, 800, 1600, 2000, 2000]);
        assert_eq!(p.backoff_cap(0), Duration::from_millis(100));
        assert_eq!(p.backoff_cap(u32::MAX), Duration::from_secs(2));
    }

    #[test]
    fn jittered_waits_stay_within_bounds_and_spread() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(7);
        for attempt in 1..=10 {
            let cap = p.backoff_cap(attempt);
            let draws: Vec<Duration> = (0..500).map(|_| p.backoff(attempt, &mut rng)).collect();
            assert!(draws.iter().all(|d| *d <= cap), "attempt {attempt}");
            assert!(
                draws.iter().any(|d| *d < cap / 4),
                "attempt {attempt}: no low draws"
            );
            assert!(
                draws.iter().any(|d| *d > cap * 3 / 4),
                "attempt {attempt}: no high draws"
            );
        }
    }

    #[test]
    fn zero_backoff_is_allowed() {
        let p = RetryPolicy {
            initial_backoff: Duration::ZERO,
            ..policy()
        };
        assert_eq!(p.backoff(3, &mut rand::thread_rng()), Duration::ZERO);
    }
}
