//! The rustls server configuration for AutoMTLS: our fresh certificate, Terraform's pinned
//! client certificate required, TLS 1.2/1.3 on ring, ALPN `h2` (grpc-go >= 1.67 insists).

use std::sync::Arc;

use rustls::ServerConfig;

use super::certificate::ServerIdentity;
use super::client_verifier::PinnedClientCert;

#[derive(Debug, thiserror::Error)]
#[error("cannot set up TLS: {0}")]
pub struct TlsSetupError(#[from] rustls::Error);

pub fn server_config(
    identity: &ServerIdentity,
    client: PinnedClientCert,
) -> Result<ServerConfig, TlsSetupError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)?
        .with_client_cert_verifier(Arc::new(client))
        .with_single_cert(vec![identity.cert_der.clone()], identity.key_der.clone_key())?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}
