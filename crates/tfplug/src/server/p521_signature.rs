//! ECDSA P-521 with SHA-512 for rustls' certificate and handshake-signature checks. ring
//! lacks P-521, and Terraform's client certificate uses exactly that key, so the ring provider's
//! algorithms are extended with this one (backed by the pure-Rust `p521` crate).

use std::sync::OnceLock;

use p521::ecdsa::signature::Verifier;
use p521::ecdsa::{Signature, VerifyingKey};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use rustls::SignatureScheme;

#[derive(Debug)]
struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let key = VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature = Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}

static ECDSA_P521_SHA512: EcdsaP521Sha512 = EcdsaP521Sha512;
static P521_ONLY: [&dyn SignatureVerificationAlgorithm; 1] = [&ECDSA_P521_SHA512];

/// ring's verification algorithms plus `ecdsa_secp521r1_sha512`.
pub fn algorithms() -> &'static WebPkiSupportedAlgorithms {
    static ALGORITHMS: OnceLock<WebPkiSupportedAlgorithms> = OnceLock::new();
    ALGORITHMS.get_or_init(|| {
        let ring = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        let mut all = ring.all.to_vec();
        all.push(&ECDSA_P521_SHA512);
        let mut mapping = ring.mapping.to_vec();
        mapping.push((SignatureScheme::ECDSA_NISTP521_SHA512, &P521_ONLY));
        // Built once per process; the 'static slices rustls wants are leaked on purpose.
        WebPkiSupportedAlgorithms {
            all: Vec::leak(all),
            mapping: Vec::leak(mapping),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use p521::ecdsa::signature::Signer;
    use p521::ecdsa::SigningKey;

    #[test]
    fn verifies_p521_signatures_and_rejects_tampering() {
        let key = SigningKey::random(&mut rand::rngs::OsRng);
        let public = VerifyingKey::from(&key).to_encoded_point(false);
        let signature: Signature = key.sign(b"handshake transcript");
        let der = signature.to_der();

        let alg = &ECDSA_P521_SHA512;
        assert!(alg
            .verify_signature(public.as_bytes(), b"handshake transcript", der.as_bytes())
            .is_ok());
        assert!(alg
            .verify_signature(public.as_bytes(), b"another transcript", der.as_bytes())
            .is_err());
        assert!(alg
            .verify_signature(&public.as_bytes()[1..], b"handshake transcript", der.as_bytes())
            .is_err());
    }

    #[test]
    fn advertises_p521_next_to_rings_schemes() {
        let schemes = algorithms().supported_schemes();
        assert!(schemes.contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
        assert!(schemes.contains(&SignatureScheme::ECDSA_NISTP256_SHA256));
        assert!(schemes.contains(&SignatureScheme::ED25519));
    }
}
