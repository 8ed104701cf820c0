//! The Cloud Assistant emulator: a local stand-in for the ECS RPC endpoint (API 2014-05-26,
//! JSON answers), faithful to the API reference, used by the tests and the demo.
//!
//! `start` binds and serves a `Config`; the binary `alicloud-ecs-emulator` wraps it with the
//! command line of `cli`.

mod admin;
pub mod auth;
pub mod cli;
mod config;
mod errors;
mod faults;
pub mod fixtures;
mod identity;
mod log;
mod model;
mod ops;
mod outcome;
pub mod params;
mod persist;
mod progress;
mod request;
mod response;
mod server;
mod service;
mod state;
mod stats;
mod status;
mod store;
mod time;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use auth::keys::KeyStore;
use auth::Authenticator;
pub use config::Config;
use faults::Faults;
/// Mints the unsigned OIDC tokens the emulator's `AssumeRoleWithOIDC` accepts (tests, demos).
pub use identity::jwt::mint_unsigned;
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
    #[error(
        "refusing to listen on {0}: it is not a loopback address and the admin endpoints have no \
         authentication; pass --allow-non-loopback to do it anyway"
    )]
    NonLoopback(SocketAddr),
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
        allow_non_loopback,
        header_read_timeout,
        identity,
    } = config;
    if let Some(warning) = check_listen(listen, allow_non_loopback)? {
        log::line(format_args!("{warning}"));
    }
    let persister = state_file.map(Persister::new);
    let durable = persister.as_ref().map(Persister::load).transpose()?.flatten();
    // Found out now, not at the first change a client makes.
    persister.as_ref().map(Persister::check_writable).transpose()?;
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
        clock_offset_ms: 0,
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
    let task = tokio::spawn(server::serve(listener, emulator, header_read_timeout, async {
        let _ = stopped.await;
    }));
    Ok(Running { addr, shutdown, task })
}

/// Loopback is fine; anything else only when allowed, and then with a warning to log.
fn check_listen(listen: SocketAddr, allowed: bool) -> Result<Option<String>, StartError> {
    match (listen.ip().is_loopback(), allowed) {
        (true, _) => Ok(None),
        (false, false) => Err(StartError::NonLoopback(listen)),
        (false, true) => Ok(Some(format!(
            "WARNING: listening on {listen}, reachable from other hosts; the admin endpoints \
             under /_emulator/ have no authentication"
        ))),
    }
}

fn fixtures_summary(store: &Store) -> String {
    store
        .regions()
        .map(|r| format!("{r} ({})", store.instances(r).count()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_loopback_needs_the_flag_and_warns() {
        let loopback: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(check_listen(loopback, false).unwrap(), None);
        assert_eq!(check_listen("[::1]:0".parse().unwrap(), false).unwrap(), None);
        assert!(matches!(check_listen(any, false), Err(StartError::NonLoopback(a)) if a == any));
        let warning = check_listen(any, true).unwrap().unwrap();
        assert!(warning.contains("0.0.0.0:8080") && warning.contains("no authentication"));
    }
}
