//! Terraform's side of AutoMTLS: present the P-521 client certificate (signing with the
//! `p521` crate, since ring cannot), and trust exactly the server certificate from the
//! handshake line, as Go does when the leaf itself is the only root. Like Go, it verifies
//! P-521 handshake signatures too, so it also talks to Go plugins (the benchmark's null).

use std::sync::Arc;

use p521::ecdsa::signature::Signer as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::ResolvesClientCert;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::{CertifiedKey, Signer, SigningKey};
use rustls::{ClientConfig, DigitallySignedStruct, Error, SignatureAlgorithm, SignatureScheme};

use tfplug::server::tls_verification_algorithms;

use super::client_cert::ClientCert;

pub fn client_config(client: &ClientCert, server_cert_der: Vec<u8>) -> Arc<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = *tls_verification_algorithms();
    let certified = CertifiedKey::new(
        vec![CertificateDer::from(client.der.clone())],
        Arc::new(P521Key(Arc::new(client.key.clone()))),
    );
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer {
            cert: CertificateDer::from(server_cert_der),
            algorithms,
        }))
        .with_client_cert_resolver(Arc::new(P521Resolver(Arc::new(certified))));
    config.alpn_protocols = vec![b"h2".to_vec()];
    Arc::new(config)
}

#[derive(Debug)]
struct PinnedServer {
    cert: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let expected_name = ServerName::try_from("localhost").unwrap();
        if end_entity.as_ref() == self.cert.as_ref() && *server_name == expected_name {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(Error::General(
                "server presented an unexpected certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    /// P-521 first: a TLS 1.2 Go server (the null provider's Go 1.11) signs with the first
    /// ECDSA scheme the client lists, whatever its curve, and P-521 is checked with SHA-512.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        let mut schemes = self.algorithms.supported_schemes();
        schemes.sort_by_key(|scheme| *scheme != SignatureScheme::ECDSA_NISTP521_SHA512);
        schemes
    }
}

/// Like Go's client: sends the certificate only if the server accepts a P-521 signature.
#[derive(Debug)]
struct P521Resolver(Arc<CertifiedKey>);

impl ResolvesClientCert for P521Resolver {
    fn resolve(&self, _root_hints: &[&[u8]], schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        schemes
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
            .then(|| self.0.clone())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

struct P521Key(Arc<p521::ecdsa::SigningKey>);

impl std::fmt::Debug for P521Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("P521Key")
    }
}

impl SigningKey for P521Key {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
            .then(|| Box::new(P521Key(self.0.clone())) as Box<dyn Signer>)
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
}

impl Signer for P521Key {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let signature: p521::ecdsa::Signature = self.0.sign(message);
        Ok(signature.to_der().as_bytes().to_vec())
    }

    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::ECDSA_NISTP521_SHA512
    }
}
