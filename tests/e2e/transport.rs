//! Transport rules under the real Terraform CLI: an HTTPS endpoint whose certificate is not
//! trusted fails with a clear error (verification cannot be turned off, and no request is
//! sent over the connection), while one signed by a CA of the system's trust store
//! (`SSL_CERT_FILE`) is accepted; `https://` to a plain-HTTP port is named a protocol mismatch
//! without retries; plain HTTP to a host that is not loopback is refused when the
//! provider is configured, before any network use, unless `allow_insecure_http = true`,
//! which shows a warning.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ecs_emulator::fixtures::ids::{LINUX_1, UPTIME};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use test_support::e2e::{header, squash, Emulator, Workspace, DEMO_ACCESS_KEY, DEMO_SECRET};

fn config(provider_args: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{\n{provider_args}\n}}\n\
         resource \"alicloud_ecs_command_invocation\" \"one\" {{\n  command_id = \"{UPTIME}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n}}\n",
        header()
    )
}

fn credentials(ws: Workspace) -> Workspace {
    ws.env("ALICLOUD_ACCESS_KEY", DEMO_ACCESS_KEY)
        .env("ALICLOUD_SECRET_KEY", DEMO_SECRET)
        .env("ALICLOUD_REGION", "cn-hangzhou")
}

/// What the TLS server answers every request with: a final API error, so a call that gets
/// through the handshake ends at once with a recognisable message.
const TLS_ANSWER: &str = r#"{"RequestId":"R-TLS","Code":"Forbidden.RAM","Message":"answered over TLS"}"#;

/// A TLS server on loopback with a self-signed certificate for 127.0.0.1; counts the
/// connections it accepted and the ones over which any request byte arrived, and answers
/// each request with [`TLS_ANSWER`].
struct SelfSigned {
    port: u16,
    /// The certificate in PEM, to trust it through `SSL_CERT_FILE`.
    pem: String,
    connections: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

impl SelfSigned {
    fn start() -> SelfSigned {
        let certified =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
                .expect("self-signed certificate");
        let pem = certified.cert.pem();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
        let config =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("protocol versions")
                .with_no_client_auth()
                .with_single_cert(vec![certified.cert.der().clone()], key)
                .expect("server config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (connections, requests) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (seen, served) = (Arc::clone(&connections), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                seen.fetch_add(1, Ordering::SeqCst);
                let Ok(connection) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                    continue;
                };
                let mut tls = rustls::StreamOwned::new(connection, stream);
                // The handshake runs inside the first read; it fails when the client refuses
                // the certificate.
                if read_request(&mut tls) {
                    served.fetch_add(1, Ordering::SeqCst);
                    let _ = write!(
                        tls,
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{TLS_ANSWER}",
                        TLS_ANSWER.len()
                    );
                    let _ = tls.flush();
                }
            }
        });
        SelfSigned {
            port,
            pem,
            connections,
            requests,
        }
    }
}

/// Reads one HTTP request (headers and a `Content-Length` body); false when nothing arrived.
fn read_request(stream: &mut impl Read) -> bool {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_string())
                })
                .and_then(|value| value.parse::<usize>().ok())
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                break;
            }
        }
    }
    !received.is_empty()
}

#[test]
fn an_untrusted_certificate_fails_clearly() {
    let server = SelfSigned::start();
    let ws = credentials(Workspace::new(&config(""))).env(
        "ALICLOUD_ECS_ENDPOINT",
        &format!("https://127.0.0.1:{}", server.port),
    );
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(out.contains("certificate"), "{out}");
    assert!(out.contains("UnknownIssuer"), "{out}");
    assert!(out.contains("cannot be turned off"), "{out}");
    assert!(
        server.connections.load(Ordering::SeqCst) >= 1,
        "the endpoint was reached"
    );
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        0,
        "no request travels over an untrusted connection"
    );
}

/// A certificate signed by a CA the system's store holds (here the store is `SSL_CERT_FILE`,
/// as a corporate CA would be installed) is trusted: the request reaches the server and its
/// answer comes back.
#[test]
fn a_certificate_from_the_system_trust_store_is_accepted() {
    let server = SelfSigned::start();
    let store = tempfile::NamedTempFile::new().expect("trust store file");
    std::fs::write(store.path(), &server.pem).expect("write trust store");
    let ws = credentials(Workspace::new(&config("")))
        .env(
            "ALICLOUD_ECS_ENDPOINT",
            &format!("https://127.0.0.1:{}", server.port),
        )
        .env("SSL_CERT_FILE", store.path().to_str().expect("path"));
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(out.contains("Forbidden.RAM"), "{out}");
    assert!(out.contains("answered over TLS"), "{out}");
    assert!(!out.contains("certificate"), "{out}");
    assert!(
        server.requests.load(Ordering::SeqCst) >= 1,
        "a request arrived over TLS"
    );
}

/// `http://ecs.invalid` resolves nowhere. HTTP_PROXY points at the emulator, so if anything
/// were sent it would arrive there (and no DNS lookup is ever made): the refusal must leave
/// it untouched; with the opt-in, the same requests go through, with a warning.
#[test]
fn plain_http_to_a_remote_host_needs_the_opt_in() {
    let emulator = Emulator::start(&[]);
    let proxied = |provider_args: &str| {
        let ws = credentials(Workspace::new(&config(provider_args)))
            .env("HTTP_PROXY", &emulator.endpoint)
            .env("http_proxy", &emulator.endpoint)
            .env("NO_PROXY", "")
            .env("no_proxy", "");
        ws.init();
        ws
    };
    let endpoint = "  endpoints {\n    ecs = \"http://ecs.invalid:80\"\n  }";

    let refused = proxied(endpoint);
    let validated = refused.ok(&["validate"]);
    assert!(validated.contains("Success"), "{validated}");
    let out = squash(&refused.fails(&["plan", "-input=false"]));
    assert!(out.contains("Invalid provider configuration"), "{out}");
    assert!(
        out.contains("http://ecs.invalid/ uses plain http to a non-loopback host; use https, or opt in"),
        "{out}"
    );
    assert!(
        out.contains("Nothing was sent. To accept it, set `allow_insecure_http = true`"),
        "{out}"
    );
    assert_eq!(
        emulator.admin_get("/_emulator/stats")["requests"],
        0,
        "refused before any network use"
    );

    let allowed = proxied(&format!("{endpoint}\n  allow_insecure_http = true"));
    let out = squash(&allowed.ok(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Warning: Insecure ECS endpoint"), "{out}");
    assert!(out.contains("uses plain http"), "{out}");
    assert!(out.contains("1 added"), "{out}");
    assert_eq!(
        emulator.invoke_counts(),
        (1, 1),
        "the opted-in requests went through"
    );
}

/// Loopback endpoints may use plain http without the opt-in (the emulator's case), and no
/// warning is shown for them.
#[test]
fn plain_http_to_loopback_is_accepted_quietly() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config("")).against(&emulator);
    ws.init();
    let out = ws.ok(&["plan", "-input=false"]);
    assert!(!out.contains("Warning"), "{out}");
}

/// A plain-HTTP server on loopback that answers whatever arrives, as any HTTP server answers
/// bytes it cannot parse (here a TLS ClientHello), and counts the connections.
fn plain_http_server() -> (u16, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let connections = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&connections);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 512];
            let _ = stream.read(&mut buffer);
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (port, connections)
}

/// `https://` to a port that speaks plain HTTP is named as such at once: one connection per
/// call, no retries (another attempt meets the same server).
#[test]
fn https_to_a_plain_http_port_is_named_a_protocol_mismatch() {
    let (port, connections) = plain_http_server();
    let ws = credentials(Workspace::new(&config("")))
        .env("ALICLOUD_ECS_ENDPOINT", &format!("https://127.0.0.1:{port}"));
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(out.contains("protocol mismatch"), "{out}");
    assert!(out.contains("answered without TLS"), "{out}");
    assert!(out.contains(&format!("http://127.0.0.1:{port}")), "{out}");
    // Plan reads the command and the instances: one attempt each.
    assert_eq!(
        connections.load(Ordering::SeqCst),
        2,
        "no call was retried: {out}"
    );
}
