//! V3 signature verification (`ACS3-HMAC-SHA256`): the `Authorization` header, the
//! canonical request over the client's `SignedHeaders`, and the body hash.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::params::Params;
use crate::request::RpcRequest;
use alicloud_api::signature::{percent_encode, signatures_match};

use super::keys::KeyStore;
use super::v1::check_token;
use super::{Scheme, Verified};

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers that must be covered by the signature whenever they are sent.
const MUST_SIGN: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// The parts of `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub credential: String,
    pub signed_headers: String,
    pub signature: String,
}

impl Authorization {
    pub fn parse(value: &str) -> Result<Self, ApiError> {
        let incomplete = |why: &str| ApiError::IncompleteSignature(why.to_string());
        let rest = value
            .strip_prefix(ALGORITHM)
            .filter(|rest| rest.starts_with(' '))
            .ok_or_else(|| incomplete("The Authorization algorithm must be ACS3-HMAC-SHA256."))?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let (name, value) = part
                .trim()
                .split_once('=')
                .ok_or_else(|| incomplete("Malformed Authorization."))?;
            let slot = match name {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => continue,
            };
            *slot = Some(value.to_string()).filter(|v| !v.is_empty());
        }
        match (credential, signed_headers, signature) {
            (Some(credential), Some(signed_headers), Some(signature)) => Ok(Self {
                credential,
                signed_headers: signed_headers.to_ascii_lowercase(),
                signature,
            }),
            _ => Err(incomplete(
                "Authorization needs Credential, SignedHeaders and Signature.",
            )),
        }
    }
}

/// Canonical query: every query parameter, name and value encoded, sorted, `k=v` joined by `&`.
pub fn canonical_query(query: &Params) -> String {
    let mut pairs: Vec<(String, String)> = query
        .pairs()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `METHOD\nURI\nQUERY\nHEADERS\nSIGNED\nHASH` with each header as `name:value\n`.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &Params,
    headers: &[(String, String)],
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let canonical_headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        canonical_query(query)
    )
}

pub fn string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    )
}

/// Lower-case hex HMAC-SHA256 keyed with the raw secret.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn payload_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// Checks everything but the nonce and the date window, which the caller owns.
pub fn verify(req: &RpcRequest, authorization: &str, keys: &KeyStore) -> Result<Verified, ApiError> {
    let auth = Authorization::parse(authorization)?;
    let names: Vec<&str> = auth.signed_headers.split(';').collect();
    for (name, common) in [
        ("x-acs-action", "Action"),
        ("x-acs-version", "Version"),
        ("x-acs-date", "Timestamp"),
        ("x-acs-signature-nonce", "SignatureNonce"),
    ] {
        if req.header(name).filter(|v| !v.is_empty()).is_none() {
            return Err(ApiError::MissingCommon(common));
        }
    }
    for name in MUST_SIGN
        .iter()
        .copied()
        .chain(req.header("x-acs-security-token").map(|_| "x-acs-security-token"))
    {
        if !names.contains(&name) {
            return Err(ApiError::IncompleteSignature(format!(
                "The header {name} must be signed."
            )));
        }
    }
    let mut headers = Vec::with_capacity(names.len());
    for name in &names {
        let value = req
            .header(name)
            .ok_or_else(|| ApiError::IncompleteSignature(format!("The signed header {name} is missing.")))?;
        headers.push((name.to_string(), value.to_string()));
    }
    headers.sort();
    let body_hash = payload_hash(&req.body);
    if req.header("x-acs-content-sha256") != Some(body_hash.as_str()) {
        return Err(ApiError::IncompleteSignature(
            "x-acs-content-sha256 does not match the request body.".into(),
        ));
    }
    let key = keys.get(&auth.credential).ok_or(ApiError::AccessKeyNotFound)?;
    let canonical = canonical_request(
        &req.method,
        &req.path,
        &req.query,
        &headers,
        &auth.signed_headers,
        &body_hash,
    );
    let string_to_sign = string_to_sign(&canonical);
    if !signatures_match(
        &sign(key.secret(), &string_to_sign),
        &auth.signature.to_ascii_lowercase(),
    ) {
        return Err(ApiError::SignatureDoesNotMatch(string_to_sign));
    }
    check_token(&key, req.header("x-acs-security-token").filter(|t| !t.is_empty()))?;
    let header = |name| req.header(name).unwrap_or_default().to_string();
    Ok(Verified {
        scheme: Scheme::V3,
        access_key_id: key.id().to_string(),
        action: header("x-acs-action"),
        version: header("x-acs-version"),
        nonce: header("x-acs-signature-nonce"),
        timestamp: header("x-acs-date"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::keys::AccessKey;
    use http::HeaderMap;

    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const SIGNED: &str =
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

    fn official_request(signature: &str) -> RpcRequest {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", EMPTY_HASH),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
        ] {
            headers.insert(name, value.parse().unwrap());
        }
        let auth =
            format!("{ALGORITHM} Credential=YourAccessKeyId,SignedHeaders={SIGNED},Signature={signature}");
        headers.insert("authorization", auth.parse().unwrap());
        RpcRequest::new(
            "POST",
            "/",
            "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
            headers,
            Vec::new(),
        )
    }

    fn keys() -> KeyStore {
        KeyStore::new(vec![AccessKey::new(
            "YourAccessKeyId",
            "YourAccessKeySecret",
            None,
        )])
    }

    const OFFICIAL_SIGNATURE: &str = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";

    #[test]
    fn official_vector_intermediate_values() {
        let req = official_request(OFFICIAL_SIGNATURE);
        let headers: Vec<(String, String)> = SIGNED
            .split(';')
            .map(|n| (n.to_string(), req.header(n).unwrap().to_string()))
            .collect();
        let canonical = canonical_request("POST", "/", &req.query, &headers, SIGNED, EMPTY_HASH);
        let sts = string_to_sign(&canonical);
        assert_eq!(
            sts,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(sign("YourAccessKeySecret", &sts), OFFICIAL_SIGNATURE);
    }

    #[test]
    fn official_vector_verifies() {
        let req = official_request(OFFICIAL_SIGNATURE);
        let verified = verify(&req, req.header("authorization").unwrap(), &keys()).unwrap();
        assert_eq!(verified.action, "RunInstances");
        assert_eq!(verified.access_key_id, "YourAccessKeyId");
        assert_eq!(verified.timestamp, "2023-10-26T10:22:32Z");
    }

    #[test]
    fn wrong_signature_reports_string_to_sign() {
        let bad = OFFICIAL_SIGNATURE.replace('0', "1");
        let req = official_request(&bad);
        let err = verify(&req, req.header("authorization").unwrap(), &keys()).unwrap_err();
        assert_eq!(err.code(), "SignatureDoesNotMatch");
        assert!(err.to_string().ends_with(
            "server string to sign is:ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        ));
    }

    #[test]
    fn body_must_match_its_hash() {
        let mut req = official_request(OFFICIAL_SIGNATURE);
        req.body = b"RegionId=cn-hangzhou".to_vec();
        let err = verify(&req, req.header("authorization").unwrap(), &keys()).unwrap_err();
        assert_eq!(err.code(), "IncompleteSignature");
    }

    #[test]
    fn required_headers_must_be_signed() {
        let req = official_request(OFFICIAL_SIGNATURE);
        let auth = format!(
            "{ALGORITHM} Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-signature-nonce;x-acs-version,Signature=00"
        );
        let err = verify(&req, &auth, &keys()).unwrap_err();
        assert_eq!(
            err,
            ApiError::IncompleteSignature("The header x-acs-date must be signed.".into())
        );
    }

    #[test]
    fn malformed_authorization_headers() {
        for bad in [
            "ACS3-HMAC-SHA1 Credential=a,SignedHeaders=host,Signature=00",
            "ACS3-HMAC-SHA256Credential=a,SignedHeaders=host,Signature=00",
            "ACS3-HMAC-SHA256 Credential=a,Signature=00",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=",
            "ACS3-HMAC-SHA256 garbage",
        ] {
            assert!(
                matches!(Authorization::parse(bad), Err(ApiError::IncompleteSignature(_))),
                "{bad}"
            );
        }
        let parsed = Authorization::parse(
            "ACS3-HMAC-SHA256 Credential=a, SignedHeaders=Host;X-Acs-Date, Signature=ff",
        )
        .unwrap();
        assert_eq!(parsed.signed_headers, "host;x-acs-date");
    }
}
