//! Counters served by `GET /_emulator/stats`, so tests can see what reached the emulator
//! (for instance that a retried InvokeCommand did not create a second invocation).

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Every RPC request received, authenticated or not.
    pub requests: u64,
    /// Authenticated requests per action.
    pub actions: BTreeMap<String, u64>,
    /// Error answers per code.
    pub errors: BTreeMap<String, u64>,
    /// Authenticated requests signed with signature 1.0 and with V3.
    pub signature_v1: u64,
    pub signature_v3: u64,
    pub invoke_command_calls: u64,
    pub invocations_created: u64,
    pub idempotent_replays: u64,
    pub throttled: u64,
    pub dispatch_errors: u64,
    pub lost_responses: u64,
    pub dropped_connections: u64,
}
