//! Authenticates Terraform: the TLS client must present exactly the certificate Terraform put
//! in `PLUGIN_CLIENT_CERT`. rustls' stock verifier cannot do this (the certificate is a
//! self-signed CA used as a leaf, with a P-521 key ring cannot check), so the certificate is
//! pinned byte for byte, its validity window checked, and the handshake signature verified
//! with ring's algorithms plus P-521.

use rustls::client::danger::HandshakeSignatureValid;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, Error, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, UnixTime};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::p521_signature;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClientCertError {
    #[error("PLUGIN_CLIENT_CERT holds no PEM CERTIFICATE block")]
    NoCertificate,
    #[error("PLUGIN_CLIENT_CERT is not a valid X.509 certificate: {0}")]
    Invalid(String),
}

#[derive(Debug)]
pub struct PinnedClientCert {
    expected: CertificateDer<'static>,
    not_before: u64,
    not_after: u64,
}

impl PinnedClientCert {
    /// Reads the first `CERTIFICATE` block of the PEM text Terraform passes.
    pub fn from_pem(pem: &str) -> Result<Self, ClientCertError> {
        let der = CertificateDer::pem_slice_iter(pem.as_bytes())
            .next()
            .ok_or(ClientCertError::NoCertificate)?
            .map_err(|e| ClientCertError::Invalid(e.to_string()))?;
        Self::from_der(der)
    }

    pub fn from_der(expected: CertificateDer<'static>) -> Result<Self, ClientCertError> {
        let (_, cert) =
            X509Certificate::from_der(&expected).map_err(|e| ClientCertError::Invalid(e.to_string()))?;
        let validity = cert.validity();
        // A window before 1970 clamps to 0; nothing is presented before then.
        let not_before = u64::try_from(validity.not_before.timestamp()).unwrap_or(0);
        let not_after = u64::try_from(validity.not_after.timestamp()).unwrap_or(0);
        Ok(PinnedClientCert {
            expected,
            not_before,
            not_after,
        })
    }

    fn check_pinned(&self, presented: &CertificateDer<'_>) -> Result<(), Error> {
        if presented.as_ref() == self.expected.as_ref() {
            Ok(())
        } else {
            Err(Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn client_auth_mandatory(&self) -> bool {
        true
    }

    /// Empty: Go's client then sends its certificate whatever its issuer.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        self.check_pinned(end_entity)?;
        let now = now.as_secs();
        if now < self.not_before {
            return Err(Error::InvalidCertificate(CertificateError::NotValidYet));
        }
        if now > self.not_after {
            return Err(Error::InvalidCertificate(CertificateError::Expired));
        }
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.check_pinned(cert)?;
        rustls::crypto::verify_tls12_signature(message, cert, dss, p521_signature::algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.check_pinned(cert)?;
        rustls::crypto::verify_tls13_signature(message, cert, dss, p521_signature::algorithms())
    }

    /// Must include `ecdsa_secp521r1_sha512`: Go's client silently sends no certificate when
    /// the server's CertificateRequest lists no scheme its key can sign with.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        p521_signature::algorithms().supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::certificate;

    fn pinned() -> (PinnedClientCert, CertificateDer<'static>) {
        let identity = certificate::generate().unwrap();
        let pinned = PinnedClientCert::from_der(identity.cert_der.clone()).unwrap();
        (pinned, identity.cert_der)
    }

    fn unix_now() -> UnixTime {
        UnixTime::now()
    }

    #[test]
    fn accepts_only_the_pinned_certificate() {
        let (pinned, der) = pinned();
        assert!(pinned.verify_client_cert(&der, &[], unix_now()).is_ok());
        let other = certificate::generate().unwrap().cert_der;
        assert_eq!(
            pinned.verify_client_cert(&other, &[], unix_now()).unwrap_err(),
            Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure)
        );
    }

    #[test]
    fn enforces_the_validity_window() {
        let (pinned, der) = pinned();
        let before = UnixTime::since_unix_epoch(std::time::Duration::from_secs(pinned.not_before - 1));
        assert_eq!(
            pinned.verify_client_cert(&der, &[], before).unwrap_err(),
            Error::InvalidCertificate(CertificateError::NotValidYet)
        );
        let after = UnixTime::since_unix_epoch(std::time::Duration::from_secs(pinned.not_after + 1));
        assert_eq!(
            pinned.verify_client_cert(&der, &[], after).unwrap_err(),
            Error::InvalidCertificate(CertificateError::Expired)
        );
    }

    #[test]
    fn reads_pem_and_rejects_garbage() {
        let (_, der) = pinned();
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &der)
        );
        let from_pem = PinnedClientCert::from_pem(&pem).unwrap();
        assert_eq!(from_pem.expected, der);
        assert_eq!(
            PinnedClientCert::from_pem("hello").unwrap_err(),
            ClientCertError::NoCertificate
        );
        let bogus = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            PinnedClientCert::from_pem(bogus),
            Err(ClientCertError::Invalid(_))
        ));
    }

    #[test]
    fn demands_a_certificate_from_any_issuer_and_offers_p521() {
        let (pinned, _) = pinned();
        assert!(pinned.offer_client_auth() && pinned.client_auth_mandatory());
        assert!(pinned.root_hint_subjects().is_empty());
        assert!(pinned
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }
}
