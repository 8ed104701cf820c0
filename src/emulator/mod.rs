//! The Cloud Assistant emulator: a local stand-in for the ECS RPC endpoint (API 2014-05-26,
//! JSON answers), faithful to the API reference, used by the tests and the demo.
//!
//! `start` binds and serves a `Config`; the binary `alicloud-ecs-emulator` wraps it with the
//! command line of `cli`.

pub mod admin;
pub mod auth;
pub mod cli;
pub mod config;
pub mod errors;
pub mod faults;
pub mod fixtures;
pub mod identity;
pub mod log;
pub mod model;
pub mod ops;
pub mod params;
pub mod persist;
pub mod progress;
pub mod request;
pub mod response;
pub mod server;
pub mod service;
pub mod state;
pub mod stats;
pub mod store;
pub mod time;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use auth::keys::KeyStore;
use auth::Authenticator;
pub use config::Config;
use faults::Faults;
use identity::Identity;
use persist::{Persister, StateError};
use service::Emulator;
use state::State;
use stats::Stats;
use store::Store;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A serving emulator; dropping it leaves the server running until the runtime ends.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Running {
    /// The bound address (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn stop(self) {
        // The loop may already be gone; either way it stops.
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}

/// Loads the state file (if any), binds, and serves in a background task.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let Config {
        listen,
        access_keys,
        fixtures,
        state_file,
        settings,
        faults,
        fault_seed,
        identity,
    } = config;
    let persister = state_file.map(Persister::new);
    let durable = persister.as_ref().map(Persister::load).transpose()?.flatten();
    let restored = durable.as_ref().map_or(0, |d| d.invocations.len());
    let store = Store::new(fixtures, durable);
    let keys = KeyStore::new(access_keys);
    log::line(format_args!(
        "accepting access key ids: {}",
        keys.ids().join(", ")
    ));
    log::line(format_args!(
        "serving regions (instances): {}; {} invocations restored{}",
        fixtures_summary(&store),
        restored,
        if persister.is_some() {
            ", state file enabled"
        } else {
            ""
        }
    ));
    let state = State {
        store,
        faults: Faults::new(faults, fault_seed),
        stats: Stats::default(),
    };
    let identity = Identity::new(identity, keys.clone());
    let emulator = Arc::new(Emulator::new(
        Authenticator::new(keys),
        identity,
        settings,
        state,
        persister,
    ));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| StartError::Bind { addr: listen, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Bind { addr: listen, source })?;
    let (shutdown, stopped) = oneshot::channel();
    let task = tokio::spawn(server::serve(listener, emulator, async {
        let _ = stopped.await;
    }));
    Ok(Running { addr, shutdown, task })
}

fn fixtures_summary(store: &Store) -> String {
    store
        .regions()
        .map(|r| format!("{r} ({})", store.instances(r).count()))
        .collect::<Vec<_>>()
        .join(", ")
}
