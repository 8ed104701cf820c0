//! Dials a plugin server the way go-plugin does: parse the handshake line, connect to the
//! unix socket or TCP address, TLS when the line carries a certificate, HTTP/2 gRPC on top.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpStream, UnixStream};
use tokio_rustls::TlsConnector;
use tonic::codegen::http::Uri;
use tonic::transport::{Channel, Endpoint};

/// The fields go-plugin's client reads from the handshake line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    pub network: String,
    pub address: String,
    pub server_cert_der: Option<Vec<u8>>,
}

/// Parses `1|6|NETWORK|ADDRESS|grpc|CERT` strictly: exactly six fields.
pub fn parse_handshake(line: &str) -> Handshake {
    let (app_version, handshake) = parse_any_handshake(line);
    assert_eq!(app_version, 6, "app protocol version");
    handshake
}

/// Parses `1|APP|NETWORK|ADDRESS|grpc|CERT` of any plugin protocol version (a Go provider
/// answers 5); returns that version with the dialing fields.
pub fn parse_any_handshake(line: &str) -> (u32, Handshake) {
    let fields: Vec<&str> = line.trim_end_matches('\n').split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line {line:?}");
    assert_eq!(fields[0], "1", "core protocol version");
    let app_version = fields[1].parse().expect("app protocol version is a number");
    assert!(fields[2] == "unix" || fields[2] == "tcp", "network {}", fields[2]);
    assert_eq!(fields[4], "grpc");
    let server_cert_der = (!fields[5].is_empty()).then(|| {
        assert!(!fields[5].contains('='), "certificate must be unpadded");
        STANDARD_NO_PAD
            .decode(fields[5])
            .expect("certificate is standard base64")
    });
    let handshake = Handshake {
        network: fields[2].to_string(),
        address: fields[3].to_string(),
        server_cert_der,
    };
    (app_version, handshake)
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

#[derive(Clone)]
struct Connector {
    handshake: Handshake,
    tls: Option<Arc<ClientConfig>>,
}

type Connection = TokioIo<Box<dyn Io>>;

impl tonic::codegen::Service<Uri> for Connector {
    type Response = Connection;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Connection>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: Uri) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { this.dial().await })
    }
}

impl Connector {
    async fn dial(self) -> io::Result<Connection> {
        let raw: Box<dyn Io> = match self.handshake.network.as_str() {
            "unix" => Box::new(UnixStream::connect(&self.handshake.address).await?),
            _ => Box::new(TcpStream::connect(&self.handshake.address).await?),
        };
        let stream: Box<dyn Io> = match self.tls {
            None => raw,
            Some(config) => {
                let name = ServerName::try_from("localhost").unwrap();
                let tls = TlsConnector::from(config).connect(name, raw).await?;
                if tls.get_ref().1.alpn_protocol() != Some(&b"h2"[..]) {
                    return Err(io::Error::other("server did not select ALPN h2"));
                }
                Box::new(tls)
            }
        };
        Ok(TokioIo::new(stream))
    }
}

/// A channel that fails its first call (not its construction) when the transport fails.
pub fn channel(handshake: &Handshake, tls: Option<Arc<ClientConfig>>) -> Channel {
    Endpoint::from_static("http://localhost").connect_with_connector_lazy(Connector {
        handshake: handshake.clone(),
        tls,
    })
}
