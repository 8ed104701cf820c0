//! The plugin server: go-plugin handshake, AutoMTLS, side services and the tfplugin6
//! `Provider` service mapped onto the framework's `Provider`/`Resource`/`DataSource`/`Action` traits.
//!
//! A provider binary's `main` is just `tfplug::server::serve(MyProvider::new())`.
//! `PluginServer` serves in-process for tests and embedding.

mod action_rpcs;
mod catalog;
mod certificate;
mod client_verifier;
mod config;
mod controller;
mod convert_diagnostics;
mod convert_schema;
mod data_source_rpcs;
mod dynamic_value;
mod handshake;
mod identity_rpcs;
mod incoming;
mod lifecycle;
mod listener;
mod p521_signature;
mod plugin_server;
mod process;
pub mod proto;
mod provider_rpcs;
mod reattach;
mod resource_rpcs;
mod serve;
mod service;
mod stream;
mod tls;
mod unsupported;

pub use client_verifier::ClientCertError;
pub use config::{ConfigError, ServeConfig, NETWORK_VAR};
// What other crates use, or meet in a public signature; the rest stays inside the server.
pub use handshake::{Address, HandshakeError, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
pub use listener::{ListenError, Transport};
/// ring's signature algorithms plus ECDSA P-521 (what Go's TLS stack checks): for clients that
/// must verify a go-plugin peer's P-521 certificate, such as the benchmark's.
pub use p521_signature::algorithms as tls_verification_algorithms;
pub use plugin_server::{PluginServer, ServeError};
pub use serve::serve;
