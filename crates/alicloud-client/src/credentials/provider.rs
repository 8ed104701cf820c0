//! The credential provider every request asks for its signing credentials: fixed ones,
//! none (anonymous STS calls), or temporary ones from a source, cached and refreshed before
//! they expire. One refresh serves every concurrent request: the cache sits behind an async
//! mutex held across the fetch, so requests arriving meanwhile wait for its result. A failed
//! fetch is that result too: every request waiting for it, and every request in the
//! [`FAILURE_HOLD`] after it, gets the same error instead of asking a broken or hanging source
//! again, so a source that fails costs one fetch's time, not one per request.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use tokio::sync::Mutex;

use super::error::CredentialError;
use super::temporary::Temporary;
use super::Credentials;

/// Refresh this long before expiry at most (the official SDKs' 180 s)...
const MAX_MARGIN_SECONDS: i64 = 180;
/// ...and at most this fraction of the lifetime, so that short sessions are still used.
const MARGIN_DIVISOR: i32 = 4;
/// How long a failed fetch answers for the source: long enough for the requests of one
/// Terraform operation to share it, short enough that a later one tries again.
const FAILURE_HOLD: std::time::Duration = std::time::Duration::from_secs(30);

/// A source of temporary credentials.
#[async_trait]
pub(crate) trait Fetch: Send + Sync {
    async fn fetch(&self) -> Result<Temporary, CredentialError>;
}

/// Hands out the credentials to sign with. Cheap to clone; clones share the cache.
#[derive(Clone)]
pub struct CredentialProvider {
    kind: Arc<Kind>,
}

enum Kind {
    Fixed(Credentials),
    Anonymous,
    Refreshing(Refreshing),
}

struct Refreshing {
    source: Box<dyn Fetch>,
    cache: Mutex<Cache>,
    fetches: AtomicU64,
}

#[derive(Default)]
struct Cache {
    issued: Option<Cached>,
    /// The last fetch's error, answered until the instant it holds.
    failed: Option<(CredentialError, Instant)>,
}

struct Cached {
    credentials: Credentials,
    refresh_at: Option<DateTime<Utc>>,
}

impl CredentialProvider {
    pub fn fixed(credentials: Credentials) -> Self {
        Self::of(Kind::Fixed(credentials))
    }

    /// No credentials: requests go unsigned (`AssumeRoleWithOIDC`).
    pub fn anonymous() -> Self {
        Self::of(Kind::Anonymous)
    }

    pub(crate) fn refreshing(source: impl Fetch + 'static) -> Self {
        Self::of(Kind::Refreshing(Refreshing {
            source: Box::new(source),
            cache: Mutex::new(Cache::default()),
            fetches: AtomicU64::new(0),
        }))
    }

    fn of(kind: Kind) -> Self {
        Self { kind: Arc::new(kind) }
    }

    /// The credentials to sign the next request with; `None` for anonymous requests.
    pub async fn current(&self) -> Result<Option<Credentials>, CredentialError> {
        let refreshing = match &*self.kind {
            Kind::Fixed(credentials) => return Ok(Some(credentials.clone())),
            Kind::Anonymous => return Ok(None),
            Kind::Refreshing(refreshing) => refreshing,
        };
        let mut cache = refreshing.cache.lock().await;
        let now = Utc::now();
        let valid = |c: &&Cached| c.refresh_at.is_none_or(|at| now < at);
        if let Some(cached) = cache.issued.as_ref().filter(valid) {
            return Ok(Some(cached.credentials.clone()));
        }
        if let Some((error, _)) = cache.failed.as_ref().filter(|(_, until)| Instant::now() < *until) {
            return Err(error.clone());
        }
        refreshing.fetches.fetch_add(1, Ordering::Relaxed);
        let fresh = match refreshing.source.fetch().await {
            Ok(fresh) => fresh,
            Err(error) => {
                cache.failed = Some((error.clone(), Instant::now() + FAILURE_HOLD));
                return Err(error);
            }
        };
        let credentials = fresh.credentials.clone();
        *cache = Cache {
            issued: Some(Cached {
                credentials: fresh.credentials,
                refresh_at: fresh.expiration.map(|expiry| expiry - margin(expiry - now)),
            }),
            failed: None,
        };
        Ok(Some(credentials))
    }

    /// Drops `used` from the cache after the server refused it as expired, so the next
    /// request fetches anew; a no-op when another request has refreshed already.
    pub async fn invalidate(&self, used: &Credentials) {
        if let Kind::Refreshing(refreshing) = &*self.kind {
            let mut cache = refreshing.cache.lock().await;
            if cache.issued.as_ref().is_some_and(|c| &c.credentials == used) {
                cache.issued = None;
            }
        }
    }

    /// Whether the credentials come from a source that can issue new ones.
    pub fn is_refreshing(&self) -> bool {
        matches!(&*self.kind, Kind::Refreshing(_))
    }

    /// How many times the source was asked for credentials (fixed ones: zero).
    pub fn fetches(&self) -> u64 {
        match &*self.kind {
            Kind::Refreshing(refreshing) => refreshing.fetches.load(Ordering::Relaxed),
            _ => 0,
        }
    }
}

/// How long before expiry a refresh is due, for credentials valid for `lifetime`.
fn margin(lifetime: Duration) -> Duration {
    (lifetime / MARGIN_DIVISOR)
        .min(Duration::seconds(MAX_MARGIN_SECONDS))
        .max(Duration::zero())
}

impl From<Credentials> for CredentialProvider {
    fn from(credentials: Credentials) -> Self {
        Self::fixed(credentials)
    }
}

impl fmt::Debug for CredentialProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            Kind::Fixed(credentials) => f.debug_tuple("Fixed").field(credentials).finish(),
            Kind::Anonymous => f.write_str("Anonymous"),
            Kind::Refreshing(_) => f.write_str("Refreshing"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;

    use super::*;

    /// Issues `key-N` valid for `lifetime`, slowly, so concurrent callers overlap.
    struct Counter {
        issued: AtomicU32,
        lifetime: Duration,
    }

    #[async_trait]
    impl Fetch for Counter {
        async fn fetch(&self) -> Result<Temporary, CredentialError> {
            let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Ok(Temporary {
                credentials: Credentials::new(format!("key-{n}"), "secret").with_security_token("tok"),
                expiration: Some(Utc::now() + self.lifetime),
            })
        }
    }

    fn provider(lifetime: Duration) -> CredentialProvider {
        CredentialProvider::refreshing(Counter {
            issued: AtomicU32::new(0),
            lifetime,
        })
    }

    #[tokio::test]
    async fn concurrent_requests_share_one_fetch() {
        let provider = provider(Duration::hours(1));
        let calls = (0..16).map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.current().await.unwrap().unwrap().access_key_id })
        });
        for call in calls {
            assert_eq!(call.await.unwrap(), "key-1");
        }
        assert_eq!(provider.fetches(), 1);
    }

    #[tokio::test]
    async fn refreshes_before_expiry_and_after_invalidation() {
        // Valid for 400 ms: refreshed once 300 ms have passed (a quarter is the margin).
        let provider = provider(Duration::milliseconds(400));
        let first = provider.current().await.unwrap().unwrap();
        assert_eq!(provider.current().await.unwrap().unwrap(), first);
        tokio::time::sleep(std::time::Duration::from_millis(350)).await;
        let second = provider.current().await.unwrap().unwrap();
        assert_eq!(second.access_key_id, "key-2");
        assert!(provider.is_refreshing());
        provider.invalidate(&first).await;
        assert_eq!(
            provider.current().await.unwrap().unwrap(),
            second,
            "stale invalidation is a no-op"
        );
        provider.invalidate(&second).await;
        assert_eq!(provider.current().await.unwrap().unwrap().access_key_id, "key-3");
        assert_eq!(provider.fetches(), 3);
    }

    /// Fails after a while, counting its fetches.
    struct Broken {
        tried: AtomicU32,
    }

    #[async_trait]
    impl Fetch for Broken {
        async fn fetch(&self) -> Result<Temporary, CredentialError> {
            self.tried.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Err(CredentialError::Uri {
                uri: "http://127.0.0.1:1/".into(),
                detail: "timeout".into(),
            })
        }
    }

    #[tokio::test]
    async fn a_failed_fetch_answers_every_waiting_and_following_request() {
        let provider = CredentialProvider::refreshing(Broken {
            tried: AtomicU32::new(0),
        });
        let calls = (0..8).map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.current().await.unwrap_err().to_string() })
        });
        for call in calls {
            assert!(call.await.unwrap().contains("timeout"));
        }
        assert!(provider.current().await.is_err());
        assert_eq!(provider.fetches(), 1, "one fetch for all, within the hold");
    }

    #[test]
    fn margin_is_capped() {
        assert_eq!(margin(Duration::hours(1)), Duration::seconds(180));
        assert_eq!(margin(Duration::seconds(8)), Duration::seconds(2));
        assert_eq!(margin(Duration::seconds(-5)), Duration::zero());
    }

    #[tokio::test]
    async fn fixed_and_anonymous() {
        let fixed = CredentialProvider::from(Credentials::new("a", "b"));
        assert_eq!(fixed.current().await.unwrap().unwrap().access_key_id, "a");
        assert!(!fixed.is_refreshing());
        assert_eq!(CredentialProvider::anonymous().current().await.unwrap(), None);
    }
}
