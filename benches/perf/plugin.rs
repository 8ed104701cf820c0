//! A provider binary launched as Terraform launches it (magic cookie, protocol versions, port
//! range, a fresh P-521 client certificate), and its schema fetched over mutual TLS with the
//! same raw gRPC call for both protocols (5 for the Go provider, 6 for ours).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::{Buf, BufMut, Bytes};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;
use tonic::Status;

use crate::grpc::client_cert::ClientCert;
use crate::grpc::connect::{self, Handshake};
use crate::grpc::tls_client;
use crate::setup::{BenchError, Context, Result};

const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A launched provider; killed when dropped.
pub struct Plugin {
    child: Child,
    pub protocol: u32,
    pub handshake: Handshake,
    client_cert: ClientCert,
    pub spawned_at: Instant,
    /// From spawn to the handshake line read.
    pub startup: Duration,
}

impl Plugin {
    /// Spawns `binary` with Terraform's environment and reads its handshake line.
    pub fn launch(binary: &Path, tmpdir: &Path) -> Result<Plugin> {
        // Terraform makes a certificate per plugin client before it starts the plugin.
        let client_cert = ClientCert::generate(chrono::Duration::hours(1));
        let mut command = Command::new(binary);
        command
            .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
            .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
            .env("PLUGIN_MIN_PORT", "10000")
            .env("PLUGIN_MAX_PORT", "25000")
            .env("PLUGIN_CLIENT_CERT", client_cert.pem())
            .env("TMPDIR", tmpdir)
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let started = Instant::now();
        let mut child = command
            .spawn()
            .context(|| format!("starting {}", binary.display()))?;
        let mut line = String::new();
        let read = match child.stdout.take() {
            Some(stdout) => BufReader::new(stdout).read_line(&mut line),
            None => Ok(0),
        };
        let startup = started.elapsed();
        if read.is_err() || line.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(BenchError::Failed(format!(
                "{} printed no handshake line",
                binary.display()
            )));
        }
        let (protocol, handshake) = connect::parse_any_handshake(&line);
        Ok(Plugin {
            child,
            protocol,
            handshake,
            client_cert,
            spawned_at: started,
            startup,
        })
    }

    /// A lazily connecting channel with Terraform's side of AutoMTLS.
    pub fn channel(&self) -> Channel {
        let tls = self
            .handshake
            .server_cert_der
            .clone()
            .map(|der| tls_client::client_config(&self.client_cert, der));
        connect::channel(&self.handshake, tls)
    }

    /// One `GetProviderSchema` (protocol 6) or `GetSchema` (protocol 5) call; returns the size
    /// of the encoded answer.
    pub async fn get_schema(&self, channel: Channel) -> Result<usize> {
        let path = match self.protocol {
            5 => "/tfplugin5.Provider/GetSchema",
            _ => "/tfplugin6.Provider/GetProviderSchema",
        };
        let mut grpc = tonic::client::Grpc::new(channel);
        grpc.ready()
            .await
            .map_err(|e| BenchError::Failed(format!("connecting to the plugin: {e}")))?;
        // Both requests are empty messages, which encode to zero bytes.
        let answer = grpc
            .unary(
                tonic::Request::new(Bytes::new()),
                http::uri::PathAndQuery::from_static(path),
                RawCodec,
            )
            .await
            .map_err(|status| BenchError::Failed(format!("{path}: {status}")))?;
        Ok(answer.into_inner().len())
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Messages as their encoded bytes, so one client serves both protocol versions.
#[derive(Debug, Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = Bytes;
    type Decode = Bytes;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }

    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Bytes;
    type Error = Status;

    fn encode(&mut self, item: Bytes, dst: &mut EncodeBuf<'_>) -> std::result::Result<(), Status> {
        dst.put(item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Bytes;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> std::result::Result<Option<Bytes>, Status> {
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}
