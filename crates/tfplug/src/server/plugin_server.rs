//! A bound plugin server: listener and TLS ready, handshake line known, services assembled.
//! Usable in-process (tests) as well as from `serve`, which adds the process-level parts.

use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use super::certificate::{self, CertificateError};
use super::client_verifier::{ClientCertError, PinnedClientCert};
use super::config::ServeConfig;
use super::controller::{Controller, Stdio};
use super::handshake::{Address, HandshakeLine};
use super::incoming;
use super::listener::{ListenError, Listener};
use super::proto::plugin::grpc_controller_server::GrpcControllerServer;
use super::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use super::proto::tfplugin6::provider_server::ProviderServer;
use super::service::ProviderService;
use super::tls::{self, TlsSetupError};
use crate::provider::Provider;

/// terraform-plugin-go's limit both ways; large states must not hit tonic's 4 MiB default.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Listen(#[from] ListenError),
    #[error(transparent)]
    ClientCert(#[from] ClientCertError),
    #[error(transparent)]
    Certificate(#[from] CertificateError),
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

pub struct PluginServer {
    listener: Listener,
    tls: Option<(TlsAcceptor, Vec<u8>)>,
}

impl PluginServer {
    /// Prepares TLS (when Terraform sent its certificate) and binds. Needs a tokio runtime.
    pub fn bind(config: &ServeConfig) -> Result<PluginServer, ServeError> {
        let tls = match &config.client_cert_pem {
            Some(pem) => {
                let client = PinnedClientCert::from_pem(pem)?;
                let identity = certificate::generate()?;
                let server_config = tls::server_config(&identity, client)?;
                Some((
                    TlsAcceptor::from(Arc::new(server_config)),
                    identity.cert_der.to_vec(),
                ))
            }
            None => None,
        };
        let listener = Listener::bind(&config.transport)?;
        Ok(PluginServer { listener, tls })
    }

    pub fn address(&self) -> &Address {
        self.listener.address()
    }

    pub fn handshake_line(&self) -> HandshakeLine {
        HandshakeLine {
            address: self.listener.address().clone(),
            server_cert_der: self.tls.as_ref().map(|(_, der)| der.clone()),
        }
    }

    /// Serves until `shutdown` is cancelled (by `GRPCController/Shutdown` or the caller),
    /// then drains in-flight calls and returns.
    pub async fn run(
        self,
        provider: Arc<dyn Provider>,
        shutdown: CancellationToken,
    ) -> Result<(), ServeError> {
        let (mut health_reporter, health) = tonic_health::server::health_reporter();
        health_reporter
            .set_service_status("plugin", ServingStatus::Serving)
            .await;
        let provider = ProviderServer::new(ProviderService::new(provider))
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE);
        let connections = incoming::connections(
            self.listener,
            self.tls.map(|(acceptor, _)| acceptor),
            shutdown.clone(),
        );
        Server::builder()
            .add_service(health)
            .add_service(GrpcControllerServer::new(Controller::new(shutdown.clone())))
            .add_service(GrpcStdioServer::new(Stdio::new(shutdown.clone())))
            .add_service(provider)
            .serve_with_incoming_shutdown(connections, shutdown.cancelled())
            .await?;
        Ok(())
    }
}
