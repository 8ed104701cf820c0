//! Authentication of every RPC request: V1 (`Signature` parameter) or V3 (`Authorization:
//! ACS3-HMAC-SHA256 ...`), then the timestamp window and the nonce replay cache, both shared
//! by the two schemes.

pub(crate) mod keys;
mod nonce;
mod timestamp;
mod v1;
pub mod v3;

use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::errors::ApiError;
use super::request::RpcRequest;
use keys::KeyStore;
use nonce::NonceCache;

/// How a request was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Signature 1.0: `Signature` parameter, HMAC-SHA1.
    V1,
    /// `Authorization: ACS3-HMAC-SHA256 ...`.
    V3,
}

/// What a verified request established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub scheme: Scheme,
    pub access_key_id: String,
    pub action: String,
    pub version: String,
    pub nonce: String,
    pub timestamp: String,
}

#[derive(Debug)]
pub struct Authenticator {
    keys: KeyStore,
    nonces: Mutex<NonceCache>,
}

impl Authenticator {
    pub fn new(keys: KeyStore) -> Self {
        Self {
            keys,
            nonces: Mutex::new(NonceCache::default()),
        }
    }

    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    pub fn authenticate(&self, req: &RpcRequest, now: DateTime<Utc>) -> Result<Verified, ApiError> {
        let verified = match req.header("authorization").filter(|v| v.starts_with("ACS3-")) {
            Some(authorization) => v3::verify(req, authorization, &self.keys)?,
            None => v1::verify(&req.method, &req.params, &self.keys)?,
        };
        let expired = self
            .keys
            .get(&verified.access_key_id)
            .and_then(|k| k.expires())
            .is_some_and(|at| at <= now);
        if expired {
            return Err(ApiError::SecurityTokenExpired);
        }
        timestamp::check(&verified.timestamp, now)?;
        let mut nonces = self
            .nonces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !nonces.insert(&verified.access_key_id, &verified.nonce, now) {
            return Err(ApiError::SignatureNonceUsed);
        }
        Ok(verified)
    }
}
