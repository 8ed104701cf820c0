//! The server's own certificate for AutoMTLS, made fresh at each start on go-plugin's
//! template, which is what Terraform's Go client verifies against
//! (`docs/plugin-protocol-notes.md#automtls`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
    IsCa, KeyPair, KeyUsagePurpose, SerialNumber, PKCS_ECDSA_P256_SHA256,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Clock skew tolerated between Terraform and the plugin (go-plugin back-dates by 30 s).
const BACKDATE: Duration = Duration::from_secs(30);
/// go-plugin's lifetime: 262 980 hours, about 30 years.
const LIFETIME: Duration = Duration::from_secs(262_980 * 3600);

#[derive(Debug, thiserror::Error)]
#[error("cannot generate the plugin's TLS certificate: {0}")]
pub struct CertificateError(#[from] rcgen::Error);

/// A certificate and the key that signs the handshake with it.
pub struct ServerIdentity {
    pub cert_der: CertificateDer<'static>,
    pub key_der: PrivateKeyDer<'static>,
}

/// Self-signed P-256 certificate for `localhost`: SAN DNS `localhost` (the name Go checks),
/// CN `localhost`, O `HashiCorp`, CA flag, go-plugin's key usages, both extended key usages,
/// valid from 30 s ago, positive random 128-bit serial (Go >= 1.23 refuses negative ones).
pub fn generate() -> Result<ServerIdentity, CertificateError> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "localhost");
    name.push(DnType::OrganizationName, "HashiCorp");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    // rcgen writes the serial as a positive integer whatever its top bit.
    params.serial_number = Some(SerialNumber::from_slice(&rand::random::<[u8; 16]>()));
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let epoch = date_time_ymd(1970, 1, 1);
    params.not_before = epoch + since_epoch.saturating_sub(BACKDATE);
    params.not_after = epoch + since_epoch + LIFETIME;
    let cert = params.self_signed(&key)?;
    Ok(ServerIdentity {
        cert_der: cert.der().clone(),
        key_der: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::extensions::GeneralName;
    use x509_parser::prelude::*;

    #[test]
    fn follows_go_plugins_template() {
        let identity = generate().unwrap();
        let (_, cert) = X509Certificate::from_der(&identity.cert_der).unwrap();

        let san = cert.subject_alternative_name().unwrap().unwrap();
        assert_eq!(san.value.general_names, vec![GeneralName::DNSName("localhost")]);
        let cn: Vec<_> = cert
            .subject()
            .iter_common_name()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(cn, ["localhost"]);
        let org: Vec<_> = cert
            .subject()
            .iter_organization()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(org, ["HashiCorp"]);
        assert_eq!(cert.subject(), cert.issuer());

        assert!(cert.basic_constraints().unwrap().unwrap().value.ca);
        let usage = cert.key_usage().unwrap().unwrap().value;
        assert!(usage.digital_signature() && usage.key_encipherment());
        assert!(usage.key_agreement() && usage.key_cert_sign());
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.client_auth && eku.server_auth);

        assert!(cert.raw_serial()[0] & 0x80 == 0 || cert.raw_serial()[0] == 0);
        assert!(cert.serial > 0u32.into());

        let now = ASN1Time::now().timestamp();
        let not_before = cert.validity().not_before.timestamp();
        assert!(
            (25..=40).contains(&(now - not_before)),
            "not_before {not_before}, now {now}"
        );
        let years = (cert.validity().not_after.timestamp() - now) / (365 * 24 * 3600);
        assert_eq!(years, 30);

        let spki = cert.public_key();
        assert_eq!(spki.algorithm.algorithm, oid_registry::OID_KEY_TYPE_EC_PUBLIC_KEY);
    }

    #[test]
    fn each_start_gets_a_new_key_and_serial() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a.cert_der, b.cert_der);
    }
}
