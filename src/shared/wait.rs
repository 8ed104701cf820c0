//! The one wait on an invocation, for a create and for the action: it follows the invocation
//! through the provider's watcher until it is reached (`Until`), gone, unreadable, past the
//! deadline, or until Terraform stops the provider, and shows every change to an observer
//! (the action's progress lines; a create only waits).

use std::future::pending;
use std::time::Duration;

use alicloud_client::Invocation;
use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use crate::shared::watcher::{Progress, Until, Watcher};

/// How a wait ended.
#[derive(Debug)]
pub enum Waited {
    Done(Invocation),
    /// The API stopped returning the record, or never did (`LISTING_GRACE`).
    Gone(Option<Invocation>),
    /// Terraform stopped the provider (Ctrl-C), or the caller's cancellation fired.
    Stopped(Option<Invocation>),
    TimedOut(Option<Invocation>),
    /// Its progress could not be read, even after the client's retries (a missing
    /// permission, an outage longer than `max_retry_timeout`).
    Unreadable {
        last: Option<Invocation>,
        error: String,
    },
}

/// What a wait shows its progress to.
#[async_trait]
pub trait Observer: Send {
    /// The record as last read, each time the watcher has news (and once at the start).
    async fn changed(&mut self, _record: Option<&Invocation>) {}

    /// How often `tick` is called while nothing ends the wait; never unless given.
    fn every(&self) -> Option<Duration> {
        None
    }

    async fn tick(&mut self, _record: Option<&Invocation>) {}
}

/// An observer that only waits.
impl Observer for () {}

/// How long a wait may take and what else stops it.
pub struct Bounds<'a> {
    pub until: Until,
    /// `None`: as long as it takes.
    pub limit: Option<Duration>,
    /// A cancellation besides the provider's own stop (the action's dropped stream).
    pub cancel: Option<&'a CancellationToken>,
}

pub async fn wait(
    watcher: &Watcher,
    region: &str,
    invoke_id: &str,
    bounds: Bounds<'_>,
    observer: &mut dyn Observer,
) -> Waited {
    let mut watch = watcher.watch(region, invoke_id, bounds.until);
    let deadline = async {
        match bounds.limit {
            Some(limit) => tokio::time::sleep(limit).await,
            None => pending().await,
        }
    };
    tokio::pin!(deadline);
    let cancelled = async {
        match bounds.cancel {
            Some(cancel) => cancel.cancelled().await,
            None => pending().await,
        }
    };
    tokio::pin!(cancelled);
    let every = observer.every();
    let mut next_tick = every.map(|every| tokio::time::Instant::now() + every);
    loop {
        let now = watch.progress();
        observer.changed(now.record()).await;
        match now {
            Progress::Done(record) => return Waited::Done(record),
            Progress::Gone(last) => return Waited::Gone(last),
            Progress::Unreadable { last, error } => return Waited::Unreadable { last, error },
            Progress::Waiting(_) => {}
        }
        let tick = async {
            match next_tick {
                Some(at) => tokio::time::sleep_until(at).await,
                None => pending().await,
            }
        };
        tokio::select! {
            changed = watch.changed() => if changed.is_none() {
                return Waited::Stopped(watch.progress().record().cloned());
            },
            () = &mut cancelled => return Waited::Stopped(watch.progress().record().cloned()),
            () = &mut deadline => return Waited::TimedOut(watch.progress().record().cloned()),
            () = tick => {
                next_tick = next_tick.zip(every).map(|(at, every)| at + every);
                observer.tick(watch.progress().record()).await;
            }
        }
    }
}
