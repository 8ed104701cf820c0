//! Signature version 1.0 (HMAC-SHA1) for RPC-style calls, exactly as Alibaba documents it.
//! Both the client (to sign) and the emulator (to verify) use this one implementation; the
//! published known-answer vector below keeps the two from agreeing on a bug.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Percent-encodes per Alibaba's RFC 3986 variant: only `A-Z a-z 0-9 - _ . ~` stay as they
/// are; every other UTF-8 byte becomes `%XY` with upper-case hex (space is `%20`, `*` is `%2A`).
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// The canonicalized query string: every parameter except `Signature`, names and values
/// encoded, sorted by encoded name, joined with `&`. Empty values are kept as `name=`.
pub fn canonical_query<'a, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut pairs: Vec<(String, String)> = params
        .into_iter()
        .filter(|(name, _)| *name != "Signature")
        .map(|(name, value)| (percent_encode(name), percent_encode(value)))
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// `METHOD&%2F&pct(canonical query)`.
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    format!(
        "{}&{}&{}",
        method,
        percent_encode("/"),
        percent_encode(canonical_query)
    )
}

/// Base64(HMAC-SHA1(secret + "&", string to sign)).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Signs a whole request: the signature over `params` (query and form body together).
pub fn signature_for<'a, I>(method: &str, secret: &str, params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    sign(secret, &string_to_sign(method, &canonical_query(params)))
}

/// Compares two signatures in constant time, so a verifier does not leak how much matched.
pub fn signatures_match(expected: &str, given: &str) -> bool {
    subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), given.as_bytes()).into()
}

/// Alibaba's published DescribeRegions example: these parameters, GET, secret `testsecret`,
/// give `OLeaidS1JvxuMvnyHOwuJ+uX5qY=`. Public so that every signer's and verifier's tests,
/// in any crate, check against the same published vector.
pub const DESCRIBE_REGIONS: [(&str, &str); 8] = [
    ("AccessKeyId", "testid"),
    ("Action", "DescribeRegions"),
    ("Format", "XML"),
    ("SignatureMethod", "HMAC-SHA1"),
    ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
    ("SignatureVersion", "1.0"),
    ("Timestamp", "2016-02-23T12:46:24Z"),
    ("Version", "2014-05-26"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_describe_regions_vector() {
        let canon = canonical_query(DESCRIBE_REGIONS);
        assert_eq!(
            canon,
            "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
             &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
        );
        assert_eq!(
            string_to_sign("GET", &canon),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            signature_for("GET", "testsecret", DESCRIBE_REGIONS),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
        assert_eq!(
            signature_for("POST", "testsecret", DESCRIBE_REGIONS),
            "MxbnVAM4w6sft9xjVpe/GCKueuk="
        );
    }

    #[test]
    fn sdk_vector_signs_empty_values_and_token() {
        let mut params = vec![
            ("AccessKeyId", "accessKeyId"),
            ("Action", ""),
            ("Format", "JSON"),
            ("RegionId", "regionId"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "MOCK_UUID"),
            ("SignatureType", ""),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "mock date"),
            ("Version", ""),
        ];
        assert_eq!(
            signature_for("GET", "accessKeySecret", params.clone()),
            "7loPmFjvDnzOVnQeQNj85S6nFGY="
        );
        params.push(("SecurityToken", "accessKeyStsToken"));
        assert_eq!(
            signature_for("GET", "accessKeySecret", params),
            "5Nxdcler+ihqWqv0Hr2On4PsBf4="
        );
    }

    #[test]
    fn invoke_command_vector_with_json_and_repeat_list() {
        let params = [
            ("AccessKeyId", "testid"),
            ("Action", "InvokeCommand"),
            ("Format", "JSON"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
            ("RegionId", "cn-hangzhou"),
            ("CommandId", "c-hz0jdfwcsr0001"),
            ("InstanceId.1", "i-bp1aaaa"),
            ("InstanceId.2", "i-bp1bbbb"),
            ("Parameters", r#"{"name":"Jack Ma"}"#),
            ("RepeatMode", "Once"),
            ("Timeout", "60"),
        ];
        assert_eq!(
            signature_for("GET", "testsecret", params),
            "8gzEyEg0nkpFjK8KcERzR3Ss35g="
        );
        assert_eq!(
            signature_for("POST", "testsecret", params),
            "8/COR0oQRGzSoK0xLP3qKHJdthw="
        );
        let mut with_token = params.to_vec();
        with_token.push(("SecurityToken", "CAIS-test-token"));
        assert_eq!(
            signature_for("POST", "testsecret", with_token),
            "1I1rAWNKYIyCBSkYfxsVcJHAkok="
        );
    }

    #[test]
    fn encoding_edge_cases() {
        assert_eq!(percent_encode("a b*c~d!e"), "a%20b%2Ac~d%21e");
        assert_eq!(percent_encode("测试"), "%E6%B5%8B%E8%AF%95");
        assert_eq!(percent_encode(r#"{"k":"v"}"#), "%7B%22k%22%3A%22v%22%7D");
        assert_eq!(percent_encode("-_.~AZaz09"), "-_.~AZaz09");
        assert_eq!(percent_encode("+/="), "%2B%2F%3D");
    }

    #[test]
    fn signature_parameter_is_never_signed() {
        let base = [("A", "1"), ("B", "2")];
        let with_sig = [("A", "1"), ("Signature", "x"), ("B", "2")];
        assert_eq!(canonical_query(base), canonical_query(with_sig));
    }

    #[test]
    fn constant_time_compare() {
        assert!(signatures_match("abc=", "abc="));
        assert!(!signatures_match("abc=", "abd="));
        assert!(!signatures_match("abc=", "abc"));
    }
}
