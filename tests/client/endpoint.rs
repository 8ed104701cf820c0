//! Endpoint security and configuration end to end: certificates are always verified, plain
//! http needs loopback or an explicit opt-in, and the settings chain reaches a live server.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::HashMap;
use std::sync::Arc;

use alicloud_client::{
    ClientConfig, ClientError, ConfigError, DescribeCommandsRequest, EcsClient, LogLevel, ProviderSettings,
    TransportKind,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use test_support::fake_ecs::{FakeEcs, ACCESS_KEY_ID, ACCESS_KEY_SECRET};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A TLS server on 127.0.0.1 with a self-signed certificate; returns its port.
async fn self_signed_server() -> u16 {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = acceptor.accept(stream).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let port = self_signed_server().await;
    let server = FakeEcs::start(vec![]).await;
    let mut config = server.config();
    config.endpoint = Some(format!("https://127.0.0.1:{port}"));
    let err = EcsClient::new(config)
        .unwrap()
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap_err();
    let ClientError::Transport { kind, detail, .. } = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert_eq!(*kind, TransportKind::Certificate);
    assert!(detail.to_lowercase().contains("certificate"), "{detail}");
    assert!(!err.is_retryable(), "the same certificate would be refused again");
}

#[tokio::test]
async fn plain_http_to_a_remote_host_needs_an_opt_in_and_warns() {
    let server = FakeEcs::start(vec![]).await;
    let mut config = server.config();
    config.endpoint = Some("http://ecs.cn-hangzhou.aliyuncs.com".into());
    let err = EcsClient::new(config.clone()).unwrap_err();
    assert!(
        matches!(err, ClientError::Config(ConfigError::InsecureEndpoint { .. })),
        "{err:?}"
    );

    config.allow_insecure_http = true;
    let warnings = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = warnings.clone();
    config.log = Some(Arc::new(move |level: LogLevel, line: &str| {
        if level == LogLevel::Warn {
            sink.lock().unwrap().push(line.to_owned());
        }
    }));
    let client = EcsClient::new(config).unwrap();
    assert!(client.warning().is_some_and(|w| w.contains("plain http")));
    assert_eq!(warnings.lock().unwrap().len(), 1);
    assert_eq!(server.requests(), 0, "building a client sends nothing");
}

#[tokio::test]
async fn loopback_http_needs_no_opt_in() {
    let server = FakeEcs::start(vec![]).await;
    let client = server.client();
    assert_eq!(client.warning(), None);
    client
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_settings_chain_reaches_the_endpoint_from_the_environment() {
    let server = FakeEcs::start(vec![]).await;
    let env: HashMap<String, String> = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET),
        ("ALICLOUD_REGION", "cn-shanghai"),
        ("ALICLOUD_ECS_ENDPOINT", &server.url()),
        ("HOME", "/nonexistent"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let config = ClientConfig::from_settings(&ProviderSettings::default(), &env).unwrap();
    let client = EcsClient::new(config).unwrap();
    assert_eq!(client.region(), "cn-shanghai");
    assert_eq!(client.endpoint().as_str(), format!("{}/", server.url()));
    client
        .describe_commands(&DescribeCommandsRequest::default())
        .await
        .unwrap();
    let seen = server.seen();
    assert!(seen[0].signature_ok);
    assert_eq!(seen[0].param("RegionId"), Some("cn-shanghai"));
}
