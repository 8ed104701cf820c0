//! Helpers for driving the plugin server as Terraform does: go-plugin's client certificate,
//! the TLS client, dialing from the handshake line, and a toy provider.

pub mod client_cert;
pub mod connect;
pub mod tls_client;
pub mod toy;

use std::sync::Arc;

use tfplug::server::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tfplug::server::proto::tfplugin6::provider_client::ProviderClient;
use tfplug::server::{PluginServer, ServeConfig, ServeError, Transport};
use tfplug::Provider;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

use client_cert::ClientCert;
use connect::Handshake;

/// A server running in this process on a unix socket in its own temp dir.
pub struct InProcess {
    pub line: String,
    pub handshake: Handshake,
    pub shutdown: CancellationToken,
    pub task: JoinHandle<Result<(), ServeError>>,
    pub dir: tempfile::TempDir,
}

pub fn unix_config(dir: &tempfile::TempDir, client_cert: Option<&ClientCert>) -> ServeConfig {
    ServeConfig {
        transport: Transport::Unix {
            dir: dir.path().to_path_buf(),
        },
        client_cert_pem: client_cert.map(ClientCert::pem),
    }
}

pub fn start(
    provider: impl Provider,
    config_for: impl FnOnce(&tempfile::TempDir) -> ServeConfig,
) -> InProcess {
    let dir = tempfile::tempdir().unwrap();
    let server = PluginServer::bind(&config_for(&dir)).unwrap();
    let line = server.handshake_line().to_string();
    let handshake = connect::parse_handshake(&line);
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(server.run(Arc::new(provider), shutdown.clone()));
    InProcess {
        line,
        handshake,
        shutdown,
        task,
        dir,
    }
}

/// A channel presenting `client` and trusting the certificate from the handshake line.
pub fn mtls_channel(handshake: &Handshake, client: &ClientCert) -> Channel {
    let server_cert = handshake
        .server_cert_der
        .clone()
        .expect("handshake carries a certificate");
    connect::channel(handshake, Some(tls_client::client_config(client, server_cert)))
}

pub fn provider_client(channel: Channel) -> ProviderClient<Channel> {
    ProviderClient::new(channel)
        .max_decoding_message_size(256 << 20)
        .max_encoding_message_size(256 << 20)
}

pub fn controller_client(channel: Channel) -> GrpcControllerClient<Channel> {
    GrpcControllerClient::new(channel)
}
