//! `ContentEncoding`: command content and output travel as Base64 unless `PlainText` is asked
//! for; an unknown value means Base64, as the API documents.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::params::Params;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncoding {
    Base64,
    PlainText,
}

impl ContentEncoding {
    pub fn from_params(params: &Params) -> Self {
        match params.non_empty("ContentEncoding") {
            Some(v) if v.eq_ignore_ascii_case("PlainText") => Self::PlainText,
            _ => Self::Base64,
        }
    }

    pub fn encode(self, text: &str) -> String {
        match self {
            Self::Base64 => STANDARD.encode(text),
            Self::PlainText => text.to_string(),
        }
    }

    /// Decodes content sent in this encoding; `None` if it is not valid Base64 or UTF-8.
    pub fn decode(self, text: &str) -> Option<String> {
        match self {
            Self::PlainText => Some(text.to_string()),
            Self::Base64 => String::from_utf8(STANDARD.decode(text).ok()?).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_by_default() {
        let p = Params::decode("ContentEncoding=Weird", None);
        assert_eq!(ContentEncoding::from_params(&p), ContentEncoding::Base64);
        assert_eq!(ContentEncoding::Base64.encode("uptime"), "dXB0aW1l");
        assert_eq!(
            ContentEncoding::Base64.decode("dXB0aW1l").as_deref(),
            Some("uptime")
        );
        assert_eq!(ContentEncoding::Base64.decode("not base64!"), None);
        let p = Params::decode("ContentEncoding=plaintext", None);
        assert_eq!(ContentEncoding::from_params(&p).encode("x"), "x");
    }
}
