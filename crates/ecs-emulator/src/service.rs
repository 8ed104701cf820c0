//! The request pipeline behind the HTTP server: authentication, routing, throttling, the
//! operation under the state lock, the after-commit faults, the state file, the added
//! latency and the log line.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Map, Value};

use super::auth::{Authenticator, Scheme};
use super::errors::ApiError;
use super::identity::Identity;
use super::log;
use super::ops::{self, OpContext, Settings};
use super::persist::Persister;
use super::request::RpcRequest;
use super::response;
use super::state::State;

/// What the server does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Answer {
        status: u16,
        body: String,
    },
    /// Close the connection without answering.
    Drop,
}

#[derive(Debug)]
pub struct Emulator {
    auth: Authenticator,
    identity: Identity,
    settings: Settings,
    state: Mutex<State>,
    persister: Option<Persister>,
}

/// The durable state as file contents, with the store version it was taken at.
type Snapshot = (u64, Vec<u8>);

/// What happened to a request that got past authentication.
enum Outcome {
    Done(Map<String, Value>),
    Failed(ApiError),
    Dropped,
}

impl Emulator {
    pub fn new(
        auth: Authenticator,
        identity: Identity,
        settings: Settings,
        state: State,
        persister: Option<Persister>,
    ) -> Self {
        Self {
            auth,
            identity,
            settings,
            state: Mutex::new(state),
            persister,
        }
    }

    pub fn auth(&self) -> &Authenticator {
        &self.auth
    }

    /// STS and the metadata service.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub async fn handle_rpc(&self, req: RpcRequest) -> Reply {
        let started = Instant::now();
        let request_id = response::request_id();
        let host_id = req.header("host").unwrap_or("ecs.aliyuncs.com").to_string();
        let (action, outcome, snapshot) = self.process(&req);
        if let Some((version, bytes)) = snapshot {
            self.persist(version, bytes).await;
        }
        let latency = self.lock().faults.latency_ms(action.as_deref());
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        let region = req.params.non_empty("RegionId").unwrap_or("-");
        let (reply, code) = match outcome {
            Outcome::Done(fields) => (
                Reply::Answer {
                    status: 200,
                    body: response::success(&request_id, fields),
                },
                "-".into(),
            ),
            Outcome::Failed(error) => {
                let body = response::error(&request_id, &host_id, &error);
                (
                    Reply::Answer {
                        status: error.status(),
                        body,
                    },
                    error.code().into_owned(),
                )
            }
            Outcome::Dropped => (Reply::Drop, "connection-dropped".into()),
        };
        let status = match &reply {
            Reply::Answer { status, .. } => status.to_string(),
            Reply::Drop => "-".into(),
        };
        log::line(format_args!(
            "{} {} action={} region={region} status={status} code={code} request_id={request_id} ms={}",
            req.method,
            req.path,
            action.as_deref().unwrap_or("-"),
            started.elapsed().as_millis()
        ));
        reply
    }

    /// Runs a request; returns its action (once known), what happened, and a snapshot of the
    /// durable state if it changed.
    fn process(&self, req: &RpcRequest) -> (Option<String>, Outcome, Option<Snapshot>) {
        let now = Utc::now();
        self.lock().stats.requests += 1;
        if req.method != "GET" && req.method != "POST" {
            return (
                None,
                self.failed(ApiError::UnsupportedHttpMethod(req.method.clone())),
                None,
            );
        }
        let verified = match self.auth.authenticate(req, now) {
            Ok(verified) => verified,
            Err(error) => return (None, self.failed(error), None),
        };
        let action = verified.action;
        let handler = match ops::route(&action, &verified.version) {
            Ok(handler) => handler,
            Err(error) => return (Some(action), self.failed(error), None),
        };
        let mut state = self.lock();
        match verified.scheme {
            Scheme::V1 => state.stats.signature_v1 += 1,
            Scheme::V3 => state.stats.signature_v3 += 1,
        }
        *state.stats.actions.entry(action.clone()).or_default() += 1;
        if action == "InvokeCommand" {
            state.stats.invoke_command_calls += 1;
        }
        let version = state.store.version();
        let outcome = if state.faults.throttle(&action) {
            state.stats.throttled += 1;
            Outcome::Failed(ApiError::Throttling)
        } else {
            let now = now + chrono::Duration::milliseconds(state.clock_offset_ms);
            let mut ctx = OpContext {
                state: &mut state,
                settings: &self.settings,
                now,
            };
            match handler(&mut ctx, &req.params) {
                Err(error) => Outcome::Failed(error),
                Ok(_) if state.faults.lost_response(&action) => {
                    state.stats.lost_responses += 1;
                    Outcome::Failed(ApiError::InternalError)
                }
                Ok(_) if state.faults.drop_connection(&action) => {
                    state.stats.dropped_connections += 1;
                    Outcome::Dropped
                }
                Ok(fields) => Outcome::Done(fields),
            }
        };
        if let Outcome::Failed(error) = &outcome {
            *state.stats.errors.entry(error.code().into_owned()).or_default() += 1;
        }
        let snapshot = self.snapshot(&state, version);
        (Some(action), outcome, snapshot)
    }

    fn failed(&self, error: ApiError) -> Outcome {
        *self
            .lock()
            .stats
            .errors
            .entry(error.code().into_owned())
            .or_default() += 1;
        Outcome::Failed(error)
    }

    /// The durable state as file contents, if it changed since `before` and is kept on disk.
    pub fn snapshot(&self, state: &State, before: u64) -> Option<Snapshot> {
        let version = state.store.version();
        if self.persister.is_none() || version == before {
            return None;
        }
        match serde_json::to_vec_pretty(state.store.durable()) {
            Ok(bytes) => Some((version, bytes)),
            Err(e) => {
                log::line(format_args!("cannot serialise state: {e}"));
                None
            }
        }
    }

    pub async fn persist(&self, version: u64, bytes: Vec<u8>) {
        if let Some(persister) = &self.persister {
            if let Err(e) = persister.save(version, bytes).await {
                log::line(format_args!("{e}"));
            }
        }
    }
}
