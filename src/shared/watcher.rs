//! The provider process's one watcher of invocations in flight: whatever waits on an
//! invocation (a resource's create, an action) subscribes to it here, and one poll loop
//! serves them all.
//!
//! Each round reads the status of every watched invocation of a region together: the
//! region's unfinished records (`DescribeInvocations` with `InvokeStatus=Running`, which
//! takes in `Pending` and `Scheduled`, in pages of 50). A watched invocation missing from
//! those pages has finished (or its record is gone): it is read once more, by its
//! `InvokeId` with `IncludeOutput`, which gives its final state and every instance's output.
//! A record that read does not find either is not given up at once: the API may list a new
//! invocation only a moment after `InvokeCommand` answered, so it is looked for again each
//! round, and only once it has been missing for [`LISTING_GRACE`] is it published as gone.
//! The interval starts short and backs off while nothing new is watched; sleeps end at once
//! on StopProvider (the client's cancellation token), and every call goes through the
//! client's retry policy (throttling, lost answers). A read that still fails is published as
//! such (each subscriber decides whether to keep waiting) and tried again next round.
//!
//! API: [`Watcher::watch`] returns a [`Watch`], whose [`Progress`] changes as the record
//! does (each instance's status, the final record); dropping the `Watch` unsubscribes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tokio::time::Instant;

use crate::invocation::results::{all_finished, scheduled};
use crate::shared::{logs, pages};
use alicloud_client::{ClientError, DescribeInvocationsRequest, EcsClient, Invocation, InvocationStatus};

/// First interval; it grows by half each round up to `SLOWEST`.
const FASTEST: Duration = Duration::from_millis(200);
const SLOWEST: Duration = Duration::from_secs(3);
const PAGE_SIZE: u32 = 50;
/// Pages read per region per round at most (2500 unfinished records).
const MAX_PAGES: usize = 50;
/// How long a record may be missing from the API's answers before it counts as gone: the
/// service may list a new invocation a few seconds after `InvokeCommand` answered.
pub const LISTING_GRACE: Duration = Duration::from_secs(15);

/// When waiting ends: a one-shot invocation when every instance has finished, a periodic one
/// once it is scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    Finished,
    Scheduled,
}

/// What the watcher knows of one invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Not there yet; the record as last read, if any.
    Waiting(Option<Invocation>),
    /// Reached (`Until`); for a finished one the record holds every instance's output.
    Done(Invocation),
    /// The API has not returned the record for [`LISTING_GRACE`] (it never listed it, or the
    /// record expired); the last one read, if any.
    Gone(Option<Invocation>),
    /// The last round could not read it (after the client's retries); the last record read,
    /// if any. Polling goes on.
    Unreadable { last: Option<Invocation>, error: String },
}

impl Progress {
    pub fn is_final(&self) -> bool {
        matches!(self, Progress::Done(_) | Progress::Gone(_))
    }

    /// The record as last read.
    pub fn record(&self) -> Option<&Invocation> {
        match self {
            Progress::Waiting(record) | Progress::Gone(record) => record.as_ref(),
            Progress::Unreadable { last, .. } => last.as_ref(),
            Progress::Done(record) => Some(record),
        }
    }
}

type Key = (String, String);

struct Entry {
    until: Until,
    sender: watch::Sender<Progress>,
    /// Subscriptions still held; the entry goes with the last.
    holders: usize,
}

struct Shared {
    client: EcsClient,
    watched: Mutex<HashMap<Key, Entry>>,
    /// Whether the poll loop runs (it ends when nothing is watched).
    polling: Mutex<bool>,
    /// A new subscription: poll soon.
    arrived: Notify,
}

/// Cheap to clone; clones share the one loop.
#[derive(Clone)]
pub struct Watcher {
    shared: Arc<Shared>,
}

/// One subscription. Dropping it stops watching (for this subscriber).
pub struct Watch {
    shared: Arc<Shared>,
    key: Key,
    receiver: watch::Receiver<Progress>,
}

impl Watcher {
    /// A watcher polling through `client` (the provider's stoppable one).
    pub fn new(client: EcsClient) -> Watcher {
        Watcher {
            shared: Arc::new(Shared {
                client,
                watched: Mutex::new(HashMap::new()),
                polling: Mutex::new(false),
                arrived: Notify::new(),
            }),
        }
    }

    /// Starts following `invoke_id` in `region` (already watched: shares that subscription).
    pub fn watch(&self, region: &str, invoke_id: &str, until: Until) -> Watch {
        let key = (region.to_string(), invoke_id.to_string());
        let receiver = {
            let mut watched = lock(&self.shared.watched);
            let entry = watched.entry(key.clone()).or_insert_with(|| Entry {
                until,
                sender: watch::Sender::new(Progress::Waiting(None)),
                holders: 0,
            });
            entry.holders += 1;
            entry.sender.subscribe()
        };
        self.shared.arrived.notify_one();
        let start = {
            let mut polling = lock(&self.shared.polling);
            !std::mem::replace(&mut *polling, true)
        };
        if start {
            tokio::spawn(poll_loop(self.shared.clone()));
        }
        Watch {
            shared: self.shared.clone(),
            key,
            receiver,
        }
    }
}

impl Watch {
    pub fn progress(&self) -> Progress {
        self.receiver.borrow().clone()
    }

    /// The next change of progress; `None` once StopProvider was called.
    pub async fn changed(&mut self) -> Option<Progress> {
        let cancel = self.shared.client.cancellation_token().clone();
        tokio::select! {
            changed = self.receiver.changed() => changed.ok().map(|()| self.progress()),
            () = cancel.cancelled() => None,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut watched = lock(&self.shared.watched);
        if let Some(entry) = watched.get_mut(&self.key) {
            entry.holders = entry.holders.saturating_sub(1);
            if entry.holders == 0 {
                watched.remove(&self.key);
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn poll_loop(shared: Arc<Shared>) {
    let cancel = shared.client.cancellation_token().clone();
    let mut interval = FASTEST;
    // Since when each watched invocation has been missing from the API's answers.
    let mut missing: HashMap<Key, Instant> = HashMap::new();
    loop {
        let pending: Vec<(Key, Until)> = {
            let watched = lock(&shared.watched);
            let pending: Vec<_> = watched
                .iter()
                .filter(|(_, e)| !e.sender.borrow().is_final())
                .map(|(k, e)| (k.clone(), e.until))
                .collect();
            if pending.is_empty() {
                // Under the lock of `watched`: a `watch` now sees the loop gone and starts one.
                *lock(&shared.polling) = false;
                return;
            }
            pending
        };
        let in_flight = pending.len();
        logs::debug("poll round", &[("in_flight", &in_flight)]);
        missing.retain(|key, _| pending.iter().any(|(watched, _)| watched == key));
        poll_round(&shared, &pending, &mut missing).await;
        // A new subscription shortens the wait to the shortest interval, without polling at
        // once: invocations created close together share their rounds.
        let pause = tokio::time::sleep(interval);
        tokio::pin!(pause);
        tokio::select! {
            () = &mut pause => interval = (interval * 3 / 2).min(SLOWEST),
            () = shared.arrived.notified() => {
                interval = FASTEST;
                pause.as_mut().reset(tokio::time::Instant::now() + FASTEST);
                tokio::select! {
                    () = pause => {}
                    () = cancel.cancelled() => {}
                }
            }
            () = cancel.cancelled() => {}
        }
        if cancel.is_cancelled() {
            *lock(&shared.polling) = false;
            return;
        }
    }
}

/// One round: the unfinished records of each region, then a final read of each watched
/// invocation no longer among them.
async fn poll_round(shared: &Shared, pending: &[(Key, Until)], missing: &mut HashMap<Key, Instant>) {
    let regions: HashSet<&str> = pending.iter().map(|((r, _), _)| r.as_str()).collect();
    for region in regions {
        let in_region = pending.iter().filter(|((r, _), _)| r == region);
        let unfinished = match unfinished(&shared.client, region).await {
            Ok(unfinished) => unfinished,
            Err(error) => {
                logs::warn(
                    "listing unfinished invocations failed",
                    &[("region_id", &region), ("error", &error.to_string())],
                );
                for ((r, invoke_id), _) in in_region {
                    if let Some(progress) = unreadable(shared, r, invoke_id, &error) {
                        publish(shared, r, invoke_id, progress);
                    }
                }
                continue;
            }
        };
        for (key, until) in in_region {
            let (r, invoke_id) = key;
            let progress = match unfinished.get(invoke_id) {
                Some(record) => {
                    missing.remove(key);
                    if *until == Until::Scheduled && scheduled(record) {
                        Progress::Done(record.clone())
                    } else {
                        Progress::Waiting(Some(record.clone()))
                    }
                }
                None => match final_read(&shared.client, r, invoke_id).await {
                    Ok(Some(record)) => {
                        missing.remove(key);
                        if reached(&record, *until) {
                            Progress::Done(record)
                        } else {
                            Progress::Waiting(Some(record))
                        }
                    }
                    Ok(None) => {
                        let since = *missing.entry(key.clone()).or_insert_with(Instant::now);
                        let last = current(shared, r, invoke_id);
                        if since.elapsed() < LISTING_GRACE {
                            Progress::Waiting(last)
                        } else {
                            Progress::Gone(last)
                        }
                    }
                    Err(error) => {
                        logs::warn(
                            "invocation read failed",
                            &[("invoke_id", &invoke_id), ("error", &error.to_string())],
                        );
                        match unreadable(shared, r, invoke_id, &error) {
                            Some(progress) => progress,
                            None => continue,
                        }
                    }
                },
            };
            publish(shared, r, invoke_id, progress);
        }
    }
}

fn reached(record: &Invocation, until: Until) -> bool {
    match until {
        Until::Finished => all_finished(record),
        Until::Scheduled => scheduled(record),
    }
}

/// What a failed read publishes. A read cut short by StopProvider says nothing: the
/// subscribers see the stop itself, which keeps an interrupted create untainted.
fn unreadable(shared: &Shared, region: &str, invoke_id: &str, error: &ClientError) -> Option<Progress> {
    // The client answers `Cancelled` only once its token is cancelled.
    let stopped = shared.client.cancellation_token().is_cancelled();
    (!stopped).then(|| Progress::Unreadable {
        last: current(shared, region, invoke_id),
        error: error.to_string(),
    })
}

fn current(shared: &Shared, region: &str, invoke_id: &str) -> Option<Invocation> {
    let watched = lock(&shared.watched);
    let entry = watched.get(&(region.to_string(), invoke_id.to_string()))?;
    let record = entry.sender.borrow().record().cloned();
    record
}

fn publish(shared: &Shared, region: &str, invoke_id: &str, progress: Progress) {
    let watched = lock(&shared.watched);
    if let Some(entry) = watched.get(&(region.to_string(), invoke_id.to_string())) {
        entry.sender.send_if_modified(|now| {
            let changed = *now != progress;
            if changed {
                let status = progress.record().map_or("", |r| r.invocation_status.as_str());
                logs::debug(
                    "invocation progress",
                    &[("invoke_id", &invoke_id), ("status", &status)],
                );
                *now = progress;
            }
            changed
        });
    }
}

/// The region's unfinished invocations by `InvokeId` (no output).
async fn unfinished(client: &EcsClient, region: &str) -> Result<HashMap<String, Invocation>, ClientError> {
    let listed = pages::collect(PAGE_SIZE, MAX_PAGES, |page| {
        let request = DescribeInvocationsRequest {
            region_id: Some(region.to_string()),
            invoke_status: Some(InvocationStatus::Running),
            page,
            ..Default::default()
        };
        async move {
            let answer = client.describe_invocations(&request).await?;
            Ok((answer.invocations, answer.page))
        }
    })
    .await?;
    Ok(listed.into_iter().map(|i| (i.invoke_id.clone(), i)).collect())
}

/// The record of one invocation with every instance's output; `None` when the API no
/// longer returns it.
pub async fn final_read(
    client: &EcsClient,
    region: &str,
    invoke_id: &str,
) -> Result<Option<Invocation>, ClientError> {
    let request = DescribeInvocationsRequest {
        region_id: Some(region.to_string()),
        invoke_id: Some(invoke_id.to_string()),
        include_output: Some(true),
        ..Default::default()
    };
    let found = client.describe_invocations(&request).await?;
    Ok(found.invocations.into_iter().find(|i| i.invoke_id == invoke_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_client::{ClientConfig, Credentials, InvokeCommandRequest, RetryPolicy};

    const KEY_ID: &str = "watcher-test-key";
    const KEY_SECRET: &str = "watcher-test-secret";

    /// The emulator in this process, with `flags` as on its command line.
    async fn emulator(flags: &[&str]) -> ecs_emulator::Running {
        let key = format!("{KEY_ID}:{KEY_SECRET}");
        let args = ["alicloud-ecs-emulator", "--access-key", key.as_str()]
            .into_iter()
            .chain(flags.iter().copied());
        let config = ecs_emulator::cli::parse(args).expect("flags parse");
        ecs_emulator::start(config).await.expect("emulator starts")
    }

    fn client(emulator: &ecs_emulator::Running, deadline: Duration) -> EcsClient {
        let mut config = ClientConfig::new(Credentials::new(KEY_ID, KEY_SECRET), "cn-hangzhou");
        config.endpoint = Some(format!("http://{}", emulator.addr()));
        config.retry = RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(20),
            deadline,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(1),
        };
        EcsClient::new(config).expect("client")
    }

    async fn invoke(client: &EcsClient) -> String {
        let request = InvokeCommandRequest {
            command_id: "c-hz01emuuptime0001".into(),
            instance_ids: vec!["i-bp1emulinux000001".into()],
            ..Default::default()
        };
        client.invoke_command(&request).await.expect("invoked").invoke_id
    }

    #[tokio::test]
    async fn a_read_that_still_fails_after_the_retries_is_published() {
        let emulator = emulator(&["--throttle", "1000@DescribeInvocations"]).await;
        let client = client(&emulator, Duration::from_millis(300));
        let invoke_id = invoke(&client).await;
        let watcher = Watcher::new(client);
        let mut watch = watcher.watch("cn-hangzhou", &invoke_id, Until::Finished);
        let unreadable = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                match watch.changed().await {
                    Some(Progress::Unreadable { error, .. }) => return error,
                    Some(_) => {}
                    None => panic!("stopped"),
                }
            }
        })
        .await
        .expect("published in time");
        assert!(unreadable.contains("Throttling"), "{unreadable}");
        assert!(!watch.progress().is_final(), "polling goes on");
    }

    /// The API lists the new invocation only after a while: it is waited for, not gone.
    #[tokio::test]
    async fn a_record_listed_late_is_waited_for() {
        let emulator = emulator(&["--hide-new-ms", "1500", "--run-delay-ms", "100"]).await;
        let client = client(&emulator, Duration::from_secs(5));
        let invoke_id = invoke(&client).await;
        let watcher = Watcher::new(client);
        let mut watch = watcher.watch("cn-hangzhou", &invoke_id, Until::Finished);
        let ended = tokio::time::timeout(LISTING_GRACE, async {
            while !watch.progress().is_final() {
                assert!(watch.changed().await.is_some(), "stopped");
            }
            watch.progress()
        })
        .await
        .expect("finished within the grace");
        assert!(
            matches!(&ended, Progress::Done(r) if r.invoke_id == invoke_id),
            "{ended:?}"
        );
    }

    #[tokio::test]
    async fn a_read_cut_short_by_stop_provider_publishes_nothing() {
        let emulator = emulator(&["--latency-ms", "10000@DescribeInvocations"]).await;
        let client = client(&emulator, Duration::from_secs(60));
        let invoke_id = invoke(&client).await;
        let watcher = Watcher::new(client.clone());
        let mut watch = watcher.watch("cn-hangzhou", &invoke_id, Until::Finished);
        // The first round's listing is now waiting on the slow answer.
        tokio::time::sleep(Duration::from_millis(300)).await;
        client.cancellation_token().cancel();
        assert_eq!(watch.changed().await, None, "subscribers see the stop");
        // Time for the poll loop to see its read cancelled: it must not call that unreadable.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(watch.progress(), Progress::Waiting(None));
    }
}
