//! `ClientToken` idempotence: the same token with the same API parameters answers with the
//! first call's result and creates nothing; with other parameters it is a mismatch.

use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::params::Params;
use crate::store::{ClientToken, Store};
use alicloud_api::signature::canonical_query;

const MAX_TOKEN_LEN: usize = 64;

/// Parameters that change on every attempt (signing) or do not change what is asked.
const NOT_COMPARED: [&str; 14] = [
    "AccessKeyId",
    "Action",
    "ClientToken",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
    "OwnerAccount",
    "ResourceOwnerAccount",
];

/// The request's token, if any: at most 64 printable ASCII characters.
pub fn token(params: &Params) -> Result<Option<&str>, ApiError> {
    match params.non_empty("ClientToken") {
        Some(t) if t.len() > MAX_TOKEN_LEN || !t.bytes().all(|b| b.is_ascii_graphic()) => {
            Err(ApiError::ClientTokenMalformed)
        }
        other => Ok(other),
    }
}

fn fingerprint(params: &Params) -> String {
    let compared = params.pairs().filter(|(name, _)| !NOT_COMPARED.contains(name));
    hex::encode(Sha256::digest(canonical_query(compared).as_bytes()))
}

/// The earlier result for this token, or `None` when the request is new.
pub fn replay(
    store: &Store,
    action: &str,
    region: &str,
    params: &Params,
) -> Result<Option<String>, ApiError> {
    let Some(token) = token(params)? else {
        return Ok(None);
    };
    match store.client_token(action, region, token) {
        None => Ok(None),
        Some(seen) if seen.fingerprint == fingerprint(params) => Ok(Some(seen.result_id.clone())),
        Some(_) => Err(ApiError::IdempotentParameterMismatch),
    }
}

/// Remembers the result of a new request that carried a token.
pub fn remember(
    store: &mut Store,
    action: &str,
    region: &str,
    params: &Params,
    result_id: &str,
    now_ms: i64,
) {
    if let Ok(Some(token)) = token(params) {
        store.remember_token(ClientToken {
            action: action.to_string(),
            region_id: region.to_string(),
            token: token.to_string(),
            fingerprint: fingerprint(params),
            result_id: result_id.to_string(),
            created_ms: now_ms,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::Fixtures;

    #[test]
    fn same_token_same_params_replays_and_other_params_mismatch() {
        let mut store = Store::new(Fixtures::default_set(), None);
        let first = Params::decode("ClientToken=tok&CommandId=c-1&Timestamp=a&SignatureNonce=1", None);
        assert_eq!(replay(&store, "InvokeCommand", "r", &first), Ok(None));
        remember(&mut store, "InvokeCommand", "r", &first, "t-1", 0);
        let retry = Params::decode("ClientToken=tok&CommandId=c-1&Timestamp=b&SignatureNonce=2", None);
        assert_eq!(
            replay(&store, "InvokeCommand", "r", &retry),
            Ok(Some("t-1".into()))
        );
        let other = Params::decode("ClientToken=tok&CommandId=c-2", None);
        assert_eq!(
            replay(&store, "InvokeCommand", "r", &other),
            Err(ApiError::IdempotentParameterMismatch)
        );
        assert_eq!(replay(&store, "CreateCommand", "r", &other), Ok(None));
        assert_eq!(replay(&store, "InvokeCommand", "other-region", &other), Ok(None));
    }

    #[test]
    fn token_format() {
        assert_eq!(
            token(&Params::decode(&format!("ClientToken={}", "a".repeat(65)), None)),
            Err(ApiError::ClientTokenMalformed)
        );
        assert_eq!(
            token(&Params::decode("ClientToken=a%20b", None)),
            Err(ApiError::ClientTokenMalformed)
        );
        assert_eq!(token(&Params::decode("ClientToken=", None)), Ok(None));
    }
}
