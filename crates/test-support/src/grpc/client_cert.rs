//! Terraform's client certificate as go-plugin makes it: self-signed ECDSA P-521 (signed
//! ECDSA-with-SHA-512), CN and SAN `localhost`, O `HashiCorp`, CA flag, key usages
//! DigitalSignature|KeyEncipherment|KeyAgreement|CertSign, EKU clientAuth+serverAuth,
//! random positive serial, NotBefore now-30 s. rcgen's ring backend cannot make P-521
//! certificates, so the DER is assembled here and signed with the `p521` crate.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Datelike, Duration, Utc};
use p521::ecdsa::signature::Signer;
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};

const OID_ECDSA_SHA512: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_SECP521R1: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_COMMON_NAME: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x03];
const OID_ORGANIZATION: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x0a];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x13];
const OID_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0f];
const OID_EXT_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x25];
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x11];
const OID_CLIENT_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
const OID_SERVER_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const TRUE: &[u8] = &[0x01, 0x01, 0xff];

pub struct ClientCert {
    pub der: Vec<u8>,
    pub key: SigningKey,
}

impl ClientCert {
    /// Valid from 30 s ago for `lifetime`.
    pub fn generate(lifetime: Duration) -> ClientCert {
        let now = Utc::now();
        Self::with_validity(now - Duration::seconds(30), now + lifetime)
    }

    pub fn with_validity(not_before: DateTime<Utc>, not_after: DateTime<Utc>) -> ClientCert {
        let key = SigningKey::random(&mut rand::rngs::OsRng);
        let tbs = tbs_certificate(&key, not_before, not_after);
        let signature: Signature = key.sign(&tbs);
        let der = seq(&[
            tbs,
            seq(&[OID_ECDSA_SHA512.to_vec()]),
            bit_string(signature.to_der().as_bytes()),
        ]);
        ClientCert { der, key }
    }

    pub fn pem(&self) -> String {
        let body = STANDARD.encode(&self.der);
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    }
}

fn tbs_certificate(key: &SigningKey, not_before: DateTime<Utc>, not_after: DateTime<Utc>) -> Vec<u8> {
    let mut serial = rand::random::<[u8; 16]>();
    serial[0] = (serial[0] & 0x7f) | 0x01;
    let name = seq(&[
        set(&[seq(&[OID_ORGANIZATION.to_vec(), tlv(0x0c, b"HashiCorp")])]),
        set(&[seq(&[OID_COMMON_NAME.to_vec(), tlv(0x0c, b"localhost")])]),
    ]);
    let point = VerifyingKey::from(key).to_encoded_point(false);
    let spki = seq(&[
        seq(&[OID_EC_PUBLIC_KEY.to_vec(), OID_SECP521R1.to_vec()]),
        bit_string(point.as_bytes()),
    ]);
    // DigitalSignature (bit 0), KeyEncipherment (2), KeyAgreement (4), CertSign (5).
    let key_usage = vec![0x03, 0x02, 0x02, 0xac];
    let extensions = seq(&[
        extension(OID_KEY_USAGE, true, key_usage),
        extension(
            OID_EXT_KEY_USAGE,
            false,
            seq(&[OID_CLIENT_AUTH.to_vec(), OID_SERVER_AUTH.to_vec()]),
        ),
        extension(OID_BASIC_CONSTRAINTS, true, seq(&[TRUE.to_vec()])),
        extension(OID_SUBJECT_ALT_NAME, false, seq(&[tlv(0x82, b"localhost")])),
    ]);
    seq(&[
        tlv(0xa0, &tlv(0x02, &[2])),
        tlv(0x02, &serial),
        seq(&[OID_ECDSA_SHA512.to_vec()]),
        name.clone(),
        seq(&[time(not_before), time(not_after)]),
        name,
        spki,
        tlv(0xa3, &extensions),
    ])
}

fn extension(oid: &[u8], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid.to_vec()];
    if critical {
        parts.push(TRUE.to_vec());
    }
    parts.push(tlv(0x04, &value));
    seq(&parts)
}

/// UTCTime before 2050, GeneralizedTime from then on (RFC 5280).
fn time(at: DateTime<Utc>) -> Vec<u8> {
    if at.year() < 2050 {
        tlv(0x17, at.format("%y%m%d%H%M%SZ").to_string().as_bytes())
    } else {
        tlv(0x18, at.format("%Y%m%d%H%M%SZ").to_string().as_bytes())
    }
}

fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}
