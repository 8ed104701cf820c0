//! go-plugin's startup contract: the magic cookie that proves Terraform launched us, the
//! protocol-version negotiation, and the one handshake line printed on stdout.

use std::fmt;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;

pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's own protocol version (first field of the handshake line).
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol this server speaks.
pub const APP_PROTOCOL_VERSION: u32 = 6;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    #[error(
        "This binary is a Terraform provider plugin. It is not meant to be run directly:\n\
         Terraform starts it when a configuration uses the provider.\n\
         (To debug it, run it with --debug and follow the instructions it prints.)"
    )]
    NotLaunchedByTerraform,
    #[error(
        "Terraform offered plugin protocol versions [{offered}], but this provider speaks only \
         protocol version {APP_PROTOCOL_VERSION}. Use Terraform 1.0 or later."
    )]
    UnsupportedProtocol { offered: String },
}

/// Accepts only the exact cookie Terraform sets in the child's environment.
pub fn check_magic_cookie(value: Option<&str>) -> Result<(), HandshakeError> {
    match value {
        Some(MAGIC_COOKIE_VALUE) => Ok(()),
        _ => Err(HandshakeError::NotLaunchedByTerraform),
    }
}

/// Picks the protocol version to answer from `PLUGIN_PROTOCOL_VERSIONS` (a comma list in
/// random order). Without the variable, go-plugin falls back to the plugin's own version.
pub fn negotiate_protocol(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let Some(offered) = offered.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(APP_PROTOCOL_VERSION);
    };
    let speaks_ours = offered
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(APP_PROTOCOL_VERSION));
    if speaks_ours {
        Ok(APP_PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::UnsupportedProtocol {
            offered: offered.to_string(),
        })
    }
}

/// Where the server listens, as the handshake line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(String),
    Tcp(std::net::SocketAddr),
}

impl Address {
    pub fn network(&self) -> &'static str {
        match self {
            Address::Unix(_) => "unix",
            Address::Tcp(_) => "tcp",
        }
    }

    pub fn address(&self) -> String {
        match self {
            Address::Unix(path) => path.clone(),
            Address::Tcp(addr) => addr.to_string(),
        }
    }
}

/// `CORE|APP|NETWORK|ADDRESS|grpc|CERT`: exactly six fields, since go-plugin 1.4 (Terraform
/// 1.0) splits into at most six and would glue a seventh onto the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeLine {
    pub address: Address,
    /// DER of the server certificate; `None` when serving plaintext.
    pub server_cert_der: Option<Vec<u8>>,
}

impl fmt::Display for HandshakeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cert = self
            .server_cert_der
            .as_deref()
            .map(encode_server_cert)
            .unwrap_or_default();
        write!(
            f,
            "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{}|{}|grpc|{cert}",
            self.address.network(),
            self.address.address()
        )
    }
}

/// The certificate as go-plugin's client decodes it: DER in standard base64 without padding.
pub fn encode_server_cert(der: &[u8]) -> String {
    STANDARD_NO_PAD.encode(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert_eq!(check_magic_cookie(Some(MAGIC_COOKIE_VALUE)), Ok(()));
        assert_eq!(
            check_magic_cookie(None),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
        assert_eq!(
            check_magic_cookie(Some("d602bf8f")),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
    }

    #[test]
    fn answers_six_whatever_the_order() {
        assert_eq!(negotiate_protocol(Some("5,6")), Ok(6));
        assert_eq!(negotiate_protocol(Some("6,5")), Ok(6));
        assert_eq!(negotiate_protocol(Some(" 6 ")), Ok(6));
        assert_eq!(negotiate_protocol(None), Ok(6));
    }

    #[test]
    fn refuses_when_six_is_not_offered() {
        let err = negotiate_protocol(Some("4,5")).unwrap_err();
        assert_eq!(
            err,
            HandshakeError::UnsupportedProtocol {
                offered: "4,5".into()
            }
        );
        assert!(err.to_string().contains("[4,5]"));
        assert!(negotiate_protocol(Some("16")).is_err());
    }

    #[test]
    fn unix_line_has_six_fields_and_unpadded_cert() {
        // 4 bytes encode to 6 characters plus "==" when padded.
        let line = HandshakeLine {
            address: Address::Unix("/tmp/plugin42".into()),
            server_cert_der: Some(vec![0xde, 0xad, 0xbe, 0xef]),
        };
        assert_eq!(line.to_string(), "1|6|unix|/tmp/plugin42|grpc|3q2+7w");
    }

    #[test]
    fn plaintext_tcp_line_ends_with_empty_cert_field() {
        let line = HandshakeLine {
            address: Address::Tcp("127.0.0.1:10000".parse().unwrap()),
            server_cert_der: None,
        };
        assert_eq!(line.to_string(), "1|6|tcp|127.0.0.1:10000|grpc|");
        assert_eq!(line.to_string().split('|').count(), 6);
    }

    #[test]
    fn cert_encoding_round_trips_without_padding() {
        for len in 0..8 {
            let der: Vec<u8> = (0..len).map(|i| i as u8 * 37).collect();
            let text = encode_server_cert(&der);
            assert!(!text.contains('='));
            assert_eq!(STANDARD_NO_PAD.decode(&text).unwrap(), der);
        }
    }
}
