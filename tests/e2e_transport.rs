//! Transport rules under the real Terraform CLI: an HTTPS endpoint whose certificate is not
//! trusted fails with a clear error (verification cannot be turned off, and no request is
//! sent over the connection); plain HTTP to a host that is not loopback is refused when the
//! provider is configured, before any network use, unless `allow_insecure_http = true`,
//! which shows a warning.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use support::{header, squash, Emulator, Workspace, DEMO_ACCESS_KEY, DEMO_SECRET};

const UPTIME: &str = "c-hz01emuuptime0001";
const LINUX_1: &str = "i-bp1emulinux000001";

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

/// A TLS server on loopback with a self-signed certificate for 127.0.0.1; counts the
/// connections it accepted and the ones over which any request byte arrived.
struct SelfSigned {
    port: u16,
    connections: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

impl SelfSigned {
    fn start() -> SelfSigned {
        let certified =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
                .expect("self-signed certificate");
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
                let mut byte = [0u8; 1];
                // The handshake runs inside this read; it fails when the client refuses the
                // certificate.
                if matches!(tls.read(&mut byte), Ok(n) if n > 0) {
                    served.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        SelfSigned {
            port,
            connections,
            requests,
        }
    }
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
