//! Signature version 1.0 verification: the common parameters, then HMAC-SHA1 over the union
//! of query and form parameters with the request line's method (`alicloud_api::signature`).

use crate::errors::ApiError;
use crate::params::Params;
use alicloud_api::signature;

use super::keys::{AccessKey, KeyStore};
use super::{Scheme, Verified};

/// Common parameters every V1 request carries, in the order they are checked.
const REQUIRED: [&str; 8] = [
    "Action",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
];

/// Checks everything but the nonce and the timestamp window, which the caller owns.
pub fn verify(method: &str, params: &Params, keys: &KeyStore) -> Result<Verified, ApiError> {
    for name in REQUIRED {
        if params.non_empty(name).is_none() {
            return Err(ApiError::MissingCommon(name));
        }
    }
    let get = |name| params.non_empty(name).unwrap_or_default();
    if get("SignatureMethod") != "HMAC-SHA1" {
        return Err(ApiError::IncompleteSignature(
            "SignatureMethod must be HMAC-SHA1.".into(),
        ));
    }
    if get("SignatureVersion") != "1.0" {
        return Err(ApiError::IncompleteSignature(
            "SignatureVersion must be 1.0.".into(),
        ));
    }
    if params.non_empty("SignatureType").is_some() {
        return Err(ApiError::IncompleteSignature(
            "Only access key signing is supported.".into(),
        ));
    }
    let key = keys.get(get("AccessKeyId")).ok_or(ApiError::AccessKeyNotFound)?;
    let string_to_sign = signature::string_to_sign(method, &signature::canonical_query(params.pairs()));
    let expected = signature::sign(key.secret(), &string_to_sign);
    if !signature::signatures_match(&expected, get("Signature")) {
        return Err(ApiError::SignatureDoesNotMatch(string_to_sign));
    }
    check_token(&key, params.non_empty("SecurityToken"))?;
    Ok(Verified {
        scheme: Scheme::V1,
        access_key_id: key.id().to_string(),
        action: get("Action").to_string(),
        version: get("Version").to_string(),
        nonce: get("SignatureNonce").to_string(),
        timestamp: get("Timestamp").to_string(),
    })
}

/// A key bound to a token accepts only that token; a plain key accepts none.
pub fn check_token(key: &AccessKey, given: Option<&str>) -> Result<(), ApiError> {
    match (key.token(), given) {
        (None, None) => Ok(()),
        (Some(_), None) => Err(ApiError::MissingSecurityToken),
        (Some(expected), Some(given)) if signature::signatures_match(expected, given) => Ok(()),
        _ => Err(ApiError::SecurityTokenMismatch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn official_params() -> Vec<(&'static str, &'static str)> {
        alicloud_api::signature::DESCRIBE_REGIONS.to_vec()
    }

    fn keys() -> KeyStore {
        KeyStore::new(vec![AccessKey::new("testid", "testsecret", None)])
    }

    #[test]
    fn accepts_the_published_vector_for_get_and_post() {
        let mut params = official_params();
        params.push(("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="));
        let verified = verify("GET", &Params::from_pairs(params.clone()), &keys()).unwrap();
        assert_eq!(verified.action, "DescribeRegions");
        assert_eq!(verified.nonce, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        // The same signature does not hold for POST: the method is signed.
        let err = verify("POST", &Params::from_pairs(params), &keys()).unwrap_err();
        assert!(err.to_string().ends_with("server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"), "{err}");
        let mut params = official_params();
        params.push(("Signature", "MxbnVAM4w6sft9xjVpe/GCKueuk="));
        assert!(verify("POST", &Params::from_pairs(params), &keys()).is_ok());
    }

    #[test]
    fn empty_signature_type_is_signed_and_accepted() {
        let mut params = official_params();
        params.push(("SignatureType", ""));
        let sig = signature::signature_for("GET", "testsecret", params.clone());
        params.push(("Signature", &sig));
        assert!(verify("GET", &Params::from_pairs(params), &keys()).is_ok());
    }

    #[test]
    fn missing_common_parameters_are_named() {
        for name in REQUIRED {
            let mut params: Vec<_> = official_params()
                .into_iter()
                .filter(|(k, _)| *k != name)
                .collect();
            params.push(("Signature", "x"));
            if name == "Signature" {
                params.pop();
            }
            let err = verify("GET", &Params::from_pairs(params), &keys()).unwrap_err();
            assert_eq!(err, ApiError::MissingCommon(name));
        }
    }

    #[test]
    fn unknown_key_and_wrong_method() {
        let mut params = official_params();
        params.push(("Signature", "x"));
        let other = KeyStore::new(vec![AccessKey::new("someone", "else", None)]);
        assert_eq!(
            verify("GET", &Params::from_pairs(params.clone()), &other),
            Err(ApiError::AccessKeyNotFound)
        );
        params[3] = ("SignatureMethod", "HMAC-SHA256");
        assert!(matches!(
            verify("GET", &Params::from_pairs(params), &keys()),
            Err(ApiError::IncompleteSignature(_))
        ));
    }

    #[test]
    fn security_token_rules() {
        let sts = AccessKey::new("STS.id", "s", Some("tok".into()));
        let plain = AccessKey::new("id", "s", None);
        assert_eq!(check_token(&sts, Some("tok")), Ok(()));
        assert_eq!(check_token(&sts, None), Err(ApiError::MissingSecurityToken));
        assert_eq!(
            check_token(&sts, Some("other")),
            Err(ApiError::SecurityTokenMismatch)
        );
        assert_eq!(check_token(&plain, None), Ok(()));
        assert_eq!(
            check_token(&plain, Some("tok")),
            Err(ApiError::SecurityTokenMismatch)
        );
    }
}
