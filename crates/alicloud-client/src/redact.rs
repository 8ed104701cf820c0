//! Secret hygiene for everything the client prints: parameter lists rendered for logs hide
//! sensitive parameters by name, and free text (server messages, response excerpts) is
//! scrubbed of every known secret value in every encoding it may travel in.

use super::secret::REDACTED;
use super::signature::percent_encode;

/// Parameters whose values are never shown: the request signature, the STS token, the
/// command's custom parameters (which routinely carry passwords) and the OIDC token.
pub const SENSITIVE_PARAMS: [&str; 4] = ["Signature", "SecurityToken", "Parameters", "OIDCToken"];

/// The server's `SignatureDoesNotMatch` message ends with its string-to-sign, which holds
/// every parameter (token and `Parameters` included), so that tail is always dropped.
const STRING_TO_SIGN_MARKER: &str = "string to sign is:";

/// Renders parameters as `name=value&...` for debugging, with sensitive values replaced by
/// `<redacted>`.
pub fn render_params<'a, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let rendered: Vec<String> = params
        .into_iter()
        .map(|(name, value)| {
            if SENSITIVE_PARAMS.contains(&name) {
                format!("{name}={REDACTED}")
            } else {
                format!("{name}={value}")
            }
        })
        .collect();
    rendered.join("&")
}

/// Removes known secret values from free text.
#[derive(Clone, Default)]
pub struct Redactor {
    needles: Vec<String>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a secret value. Its percent-encoded, doubly percent-encoded (as inside a
    /// string-to-sign) and JSON-escaped forms are registered too.
    pub fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let once = percent_encode(secret);
        let twice = percent_encode(&once);
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json_inner = json
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or_default()
            .to_owned();
        for form in [secret.to_owned(), once, twice, json_inner] {
            if !form.is_empty() && !self.needles.contains(&form) {
                self.needles.push(form);
            }
        }
        // Longest first, so a value containing another is replaced whole.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// Registers a sensitive request parameter: the whole value and, for the JSON text of
    /// `Parameters`, each string value inside it (a message may quote a single one).
    pub fn add_param_value(&mut self, value: &str) {
        self.add(value);
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(value) {
            for inner in map.values() {
                if let serde_json::Value::String(text) = inner {
                    self.add(text);
                }
            }
        }
    }

    /// The text with every registered secret replaced by `<redacted>`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = match text.split_once(STRING_TO_SIGN_MARKER) {
            Some((head, _)) => format!("{head}{STRING_TO_SIGN_MARKER} {REDACTED}"),
            None => text.to_owned(),
        };
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        out
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} values)", self.needles.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_params_hide_sensitive_values() {
        let params = [
            ("Action", "InvokeCommand"),
            ("Parameters", r#"{"password":"p@ss w0rd"}"#),
            ("SecurityToken", "CAIS-token"),
            ("Signature", "abc="),
            ("AccessKeyId", "LTAI-id"),
        ];
        let text = render_params(params);
        assert_eq!(
            text,
            "Action=InvokeCommand&Parameters=<redacted>&SecurityToken=<redacted>\
             &Signature=<redacted>&AccessKeyId=LTAI-id"
        );
    }

    #[test]
    fn scrub_removes_raw_encoded_and_json_forms() {
        let mut redactor = Redactor::new();
        redactor.add("s3cr3t/key+=");
        redactor.add_param_value(r#"{"password":"p@ss w0rd \"q\"","user":"bob"}"#);
        for leak in [
            "raw s3cr3t/key+= here",
            "encoded s3cr3t%2Fkey%2B%3D here",
            "twice s3cr3t%252Fkey%252B%253D here",
            "value p@ss w0rd \"q\" here",
            "json p@ss w0rd \\\"q\\\" here",
            "pct p%40ss%20w0rd%20%22q%22 here",
        ] {
            let out = redactor.scrub(leak);
            assert!(!out.contains("s3cr3t"), "{out}");
            assert!(!out.contains("w0rd"), "{out}");
            assert!(out.contains(REDACTED), "{out}");
        }
    }

    #[test]
    fn scrub_cuts_the_servers_string_to_sign() {
        let redactor = Redactor::new();
        let message = "Specified signature is not matched with our calculation. \
                       server string to sign is:POST&%2F&Parameters%3D%257B...";
        let out = redactor.scrub(message);
        assert!(out.ends_with("server string to sign is: <redacted>"), "{out}");
        assert!(!out.contains("Parameters"));
    }

    #[test]
    fn empty_values_are_not_registered() {
        let mut redactor = Redactor::new();
        redactor.add("");
        assert_eq!(redactor.scrub("nothing secret"), "nothing secret");
    }
}
