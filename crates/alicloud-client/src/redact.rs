//! Secret hygiene for everything the client and the provider print: parameter lists rendered
//! for logs hide sensitive parameters by name, and free text (server messages, response
//! excerpts, an instance's output) is scrubbed of every known secret value, as a whole and
//! line by line, in every encoding it may travel in.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

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

/// A value (or line of a value) shorter than this many characters is too short to be a
/// secret by itself and too likely to occur by chance (`e`, `80`, `prod`): it is replaced only
/// where it stands as a whole token, never inside an identifier or a word.
pub const SHORT_VALUE_CHARS: usize = 6;

/// Characters that continue a token: a short value next to one of them is part of something
/// longer (an InvokeId `t-...`, an instance ID, a word) and is left alone.
fn continues_token(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// One form of a secret to look for.
#[derive(Clone)]
struct Needle {
    text: String,
    /// Replaced only as a whole token (see [`SHORT_VALUE_CHARS`]).
    whole_token: bool,
}

/// Removes known secret values from free text.
///
/// Each value is looked for as a whole and, when it spans lines (a PEM key, `\r\n` text),
/// line by line too (each line trimmed; lines without a letter or digit are skipped), so that
/// text cut into lines or echoed with other line endings does not show it piecewise. Each of
/// these is looked for as given, percent-encoded (once and twice, as inside a
/// string-to-sign), JSON-escaped and Base64-encoded.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so a value containing another is replaced whole.
    needles: Vec<Needle>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// A redactor for every value of `values`.
    pub fn of_values<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut redactor = Self::new();
        for value in values {
            redactor.add(value);
        }
        redactor
    }

    /// Registers a secret value, its lines and their encoded forms.
    pub fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        self.add_piece(secret);
        if secret.contains(['\n', '\r']) {
            for line in secret.split(['\n', '\r']).map(str::trim) {
                if line.chars().any(char::is_alphanumeric) {
                    self.add_piece(line);
                }
            }
        }
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.text.len()));
    }

    /// Registers one piece (a whole value or one line of it) in every form it may travel in.
    fn add_piece(&mut self, piece: &str) {
        let whole_token = piece.chars().count() < SHORT_VALUE_CHARS;
        let once = percent_encode(piece);
        let twice = percent_encode(&once);
        let json = serde_json::to_string(piece).unwrap_or_default();
        let json_inner = json
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or_default()
            .to_owned();
        let base64 = STANDARD.encode(piece);
        for text in [piece.to_owned(), once, twice, json_inner, base64] {
            if !text.is_empty() && !self.needles.iter().any(|n| n.text == text) {
                self.needles.push(Needle { text, whole_token });
            }
        }
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

    /// A server's text with its string-to-sign cut off and every registered secret replaced
    /// by `<redacted>`.
    pub fn scrub(&self, text: &str) -> String {
        match text.split_once(STRING_TO_SIGN_MARKER) {
            Some((head, _)) => self.scrub_values(&format!("{head}{STRING_TO_SIGN_MARKER} {REDACTED}")),
            None => self.scrub_values(text),
        }
    }

    /// The text with every registered secret replaced by `<redacted>`.
    pub fn scrub_values(&self, text: &str) -> String {
        self.needles.iter().fold(text.to_owned(), |acc, needle| {
            if !acc.contains(needle.text.as_str()) {
                acc
            } else if needle.whole_token {
                replace_tokens(&acc, &needle.text)
            } else {
                acc.replace(needle.text.as_str(), REDACTED)
            }
        })
    }

    /// The same for text that was cut short (an output past the API's 24 KB): the start of
    /// a secret the cut split is replaced too, where the text ends with at least
    /// [`SHORT_VALUE_CHARS`] characters that begin one.
    pub fn scrub_cut_values(&self, text: &str) -> String {
        let mut out = self.scrub_values(text);
        let split = self
            .needles
            .iter()
            .flat_map(|needle| {
                needle
                    .text
                    .char_indices()
                    .skip(SHORT_VALUE_CHARS)
                    .map(|(at, _)| &needle.text[..at])
            })
            .filter(|start| out.ends_with(start))
            .map(str::len)
            .max();
        if let Some(len) = split {
            out.truncate(out.len() - len);
            out.push_str(REDACTED);
        }
        out
    }
}

/// `text` with each occurrence of `needle` that stands as a whole token replaced.
fn replace_tokens(text: &str, needle: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find(needle) {
        let at = from + found;
        let end = at + needle.len();
        let alone = !text[..at].chars().next_back().is_some_and(continues_token)
            && !text[end..].chars().next().is_some_and(continues_token);
        if alone {
            out.push_str(&text[copied..at]);
            out.push_str(REDACTED);
            copied = end;
            from = end;
        } else {
            // Not a token here: look again from the next character.
            from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[copied..]);
    out
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

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\nBKcwggSjAgEAAoIBAQC7\r\nAb==\r\n-----END PRIVATE KEY-----\r\n";

    #[test]
    fn a_multi_line_value_is_scrubbed_whole_and_line_by_line() {
        let redactor = Redactor::of_values([PEM]);
        let whole = redactor.scrub_values(&format!("key: {PEM}done"));
        assert_eq!(whole, "key: <redacted>done");
        // Echoed with other line endings and indentation, or cut into lines: no line shows.
        let echoed = PEM.replace("\r\n", "\n    ");
        let out = redactor.scrub_values(&echoed);
        for line in ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "BKcwggSjAgEAAoIBAQC7", "Ab=="] {
            assert!(!out.contains(line), "{out}");
        }
        let b64 = redactor.scrub_values(&STANDARD.encode("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
        assert_eq!(b64, REDACTED, "a line's Base64");
        assert_eq!(redactor.scrub_values(&STANDARD.encode(PEM)), REDACTED);
    }

    #[test]
    fn short_values_are_scrubbed_only_as_whole_tokens() {
        let redactor = Redactor::of_values(["e", "prod"]);
        let text = "Invocation t-hz0e1 on i-bp1e: deployed to prod-eu, env=prod, \"e\" e\nprod";
        assert_eq!(
            redactor.scrub_values(text),
            "Invocation t-hz0e1 on i-bp1e: deployed to prod-eu, env=<redacted>, \"<redacted>\" <redacted>\n<redacted>"
        );
        // Their Base64 by the same rule.
        assert_eq!(redactor.scrub_values("x=ZQ== yZQ=="), "x=<redacted> yZQ==");
        // A value of the threshold length is scrubbed anywhere.
        let long = Redactor::of_values(["s3cr3t"]);
        assert_eq!(long.scrub_values("xs3cr3ty"), "x<redacted>y");
    }

    #[test]
    fn token_matching_looks_past_a_match_inside_a_word() {
        let redactor = Redactor::of_values(["ab"]);
        assert_eq!(
            redactor.scrub_values("aab ab abab é ab"),
            "aab <redacted> abab é <redacted>"
        );
        assert_eq!(redactor.scrub_values("ab"), REDACTED);
    }

    #[test]
    fn the_start_of_a_secret_split_by_a_cut_is_scrubbed() {
        let redactor = Redactor::of_values(["hunter2-token", "ab"]);
        let cut = |text: &str| redactor.scrub_cut_values(text);
        assert_eq!(cut("using hunter2-tok"), "using <redacted>");
        assert_eq!(
            cut("using hunter2-token and hunte"),
            "using <redacted> and hunte",
            "5 characters"
        );
        assert_eq!(cut("using hunter"), "using <redacted>", "6 characters");
        assert_eq!(cut("a"), "a");
        assert_eq!(cut("x ab"), "x <redacted>");
    }

    #[test]
    fn a_server_message_quoting_one_line_of_a_parameter_is_scrubbed() {
        let mut redactor = Redactor::new();
        let parameters = serde_json::json!({ "key": PEM, "env": "e" }).to_string();
        redactor.add_param_value(&parameters);
        let message = "RequestId 4E5A-e1: value \"BKcwggSjAgEAAoIBAQC7\" of e is invalid";
        assert_eq!(
            redactor.scrub(message),
            "RequestId 4E5A-e1: value \"<redacted>\" of <redacted> is invalid"
        );
    }
}
