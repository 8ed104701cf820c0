//! The plugin server driven as Terraform drives it: handshake line, mutual TLS with a
//! go-plugin style P-521 client certificate, tfplugin6 calls, go-plugin side services and
//! shutdown. In-process servers serve a toy provider; the binary tests run the real one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{Duration as Span, Utc};
use grpc::client_cert::ClientCert;
use grpc::toy::{self, ToyProvider, THING};
use test_support::grpc;
use tfplug::msgpack;
use tfplug::server::proto::plugin::grpc_stdio_client::GrpcStdioClient;
use tfplug::server::proto::plugin::Empty;
use tfplug::server::proto::tfplugin6 as pb;
use tfplug::server::{ServeConfig, Transport, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, NETWORK_VAR};
use tfplug::Type;
use tfplug::Value;
use tokio::time::timeout;

const PROMPTLY: Duration = Duration::from_secs(2);

fn dynamic(value: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(value, ty).unwrap(),
        json: Vec::new(),
    })
}

fn undynamic(value: Option<pb::DynamicValue>, ty: &Type) -> Value {
    let value = value.expect("a DynamicValue");
    assert!(value.json.is_empty(), "replies are msgpack");
    msgpack::decode(&value.msgpack, ty).unwrap()
}

fn thing(name: &str, id: Value) -> Value {
    let mut object = Value::null_object(&toy::thing_type());
    object.set_attr("name", Value::string(name));
    object.set_attr("id", id);
    object
}

/// As configured: the computed `id` is null.
fn config_of(name: &str) -> Value {
    thing(name, Value::Null)
}

/// As planned for a create: the computed `id` is unknown.
fn planned_of(name: &str) -> Value {
    thing(name, Value::Unknown)
}

fn errors(diagnostics: &[pb::Diagnostic]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| d.summary.as_str())
        .collect()
}

fn step_names(path: &pb::AttributePath) -> Vec<String> {
    use pb::attribute_path::step::Selector;
    path.steps
        .iter()
        .map(|s| match &s.selector {
            Some(Selector::AttributeName(n)) => n.clone(),
            Some(Selector::ElementKeyString(k)) => format!("[{k:?}]"),
            Some(Selector::ElementKeyInt(i)) => format!("[{i}]"),
            None => "?".into(),
        })
        .collect()
}

#[tokio::test]
async fn schema_validation_and_shutdown_over_mutual_tls() {
    let client_cert = ClientCert::generate(Span::hours(1));
    let (provider, _) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&client_cert)));
    assert!(server.line.starts_with("1|6|unix|"), "{}", server.line);
    assert!(std::path::Path::new(&server.handshake.address).exists());

    let channel = grpc::mtls_channel(&server.handshake, &client_cert);
    let mut client = grpc::provider_client(channel.clone());

    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(schema.diagnostics.is_empty());
    let provider_block = schema.provider.unwrap().block.unwrap();
    assert_eq!(provider_block.attributes[0].name, "region");
    let resource = &schema.resource_schemas[THING];
    assert_eq!(resource.version, 1);
    let block = resource.block.as_ref().unwrap();
    let name = block.attributes.iter().find(|a| a.name == "name").unwrap();
    assert!(name.required);
    assert_eq!(name.r#type, br#""string""#);
    assert_eq!(name.description, "The thing's name.\n\n- Must not be empty.");
    assert!(
        block
            .attributes
            .iter()
            .find(|a| a.name == "tags")
            .unwrap()
            .sensitive
    );
    let capabilities = schema.server_capabilities.unwrap();
    assert!(capabilities.plan_destroy && capabilities.get_provider_schema_optional);

    let valid = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: THING.into(),
            config: dynamic(&config_of("a"), &toy::thing_type()),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(valid.diagnostics.is_empty(), "{:?}", valid.diagnostics);

    let invalid = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: THING.into(),
            config: dynamic(&config_of(""), &toy::thing_type()),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&invalid.diagnostics), ["Empty name"]);
    assert_eq!(
        step_names(invalid.diagnostics[0].attribute.as_ref().unwrap()),
        ["name"]
    );

    grpc::controller_client(channel).shutdown(Empty {}).await.unwrap();
    let finished = timeout(PROMPTLY, server.task)
        .await
        .expect("server stops promptly");
    finished.unwrap().unwrap();
    assert!(
        !std::path::Path::new(&server.handshake.address).exists(),
        "socket file removed"
    );
}

/// The TLS handshake failed, so the call never reached a service.
fn refused(status: &tonic::Status) -> bool {
    matches!(status.code(), tonic::Code::Unavailable | tonic::Code::Unknown)
        && status.message().contains("transport")
}

#[tokio::test]
async fn refuses_clients_without_terraforms_certificate() {
    let terraform_cert = ClientCert::generate(Span::hours(1));
    let (provider, _) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&terraform_cert)));

    let impostor = ClientCert::generate(Span::hours(1));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &impostor));
    let status = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap_err();
    assert!(refused(&status), "{status}");

    // A plaintext client gets nowhere either.
    let mut plain = grpc::provider_client(grpc::connect::channel(&server.handshake, None));
    assert!(plain
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .is_err());

    // The genuine client still works afterwards.
    let mut genuine = grpc::provider_client(grpc::mtls_channel(&server.handshake, &terraform_cert));
    genuine
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap();
    server.shutdown.cancel();
    timeout(PROMPTLY, server.task).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn refuses_terraforms_certificate_outside_its_validity() {
    let now = Utc::now();
    let expired = ClientCert::with_validity(now - Span::hours(2), now - Span::hours(1));
    let (provider, _) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&expired)));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &expired));
    let status = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap_err();
    assert!(refused(&status), "{status}");
    server.shutdown.cancel();
}

#[tokio::test]
async fn stdio_stream_and_health_until_shutdown() {
    let client_cert = ClientCert::generate(Span::hours(1));
    let (provider, _) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&client_cert)));
    let channel = grpc::mtls_channel(&server.handshake, &client_cert);

    let health = tonic_health::pb::health_client::HealthClient::new(channel.clone())
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        health.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    let mut stdio = GrpcStdioClient::new(channel.clone())
        .stream_stdio(())
        .await
        .unwrap()
        .into_inner();
    assert!(
        timeout(Duration::from_millis(300), stdio.message())
            .await
            .is_err(),
        "stdio stays open and silent"
    );

    grpc::controller_client(channel).shutdown(Empty {}).await.unwrap();
    let end = timeout(PROMPTLY, stdio.message())
        .await
        .expect("stdio ends at shutdown");
    assert!(matches!(end, Ok(None) | Err(_)));
    timeout(PROMPTLY, server.task).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn plaintext_tcp_handshake_form() {
    let (provider, _) = ToyProvider::new();
    let server = grpc::start(provider, |_| ServeConfig {
        transport: Transport::Tcp {
            min_port: 10000,
            max_port: 25000,
        },
        client_cert_pem: None,
    });
    let port = server.handshake.address.strip_prefix("127.0.0.1:").unwrap();
    assert!((10000..=25000).contains(&port.parse::<u32>().unwrap()));
    assert_eq!(server.line, format!("1|6|tcp|127.0.0.1:{port}|grpc|"));

    let mut client = grpc::provider_client(grpc::connect::channel(&server.handshake, None));
    let metadata = client
        .get_metadata(pb::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = metadata.resources.iter().map(|r| r.type_name.as_str()).collect();
    assert_eq!(names, [THING]);
    server.shutdown.cancel();
    timeout(PROMPTLY, server.task).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn resource_lifecycle_create_read_import_delete() {
    let client_cert = ClientCert::generate(Span::hours(1));
    let (provider, record) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&client_cert)));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &client_cert));
    let ty = toy::thing_type();
    let null = dynamic(&Value::Null, &ty);

    let config = config_of("a");
    let plan = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: THING.into(),
            prior_state: null.clone(),
            proposed_new_state: dynamic(&config, &ty),
            config: dynamic(&config, &ty),
            prior_private: b"opaque".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&plan.diagnostics).is_empty(), "{:?}", plan.diagnostics);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(plan.planned_private, b"opaque");
    let planned = undynamic(plan.planned_state.clone(), &ty);
    assert_eq!(planned.attr_str("name"), Some("a"));
    assert!(
        planned.attr("id").unwrap().is_unknown(),
        "computed id is unknown until apply"
    );

    let created = client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: THING.into(),
            prior_state: null.clone(),
            planned_state: plan.planned_state.clone(),
            config: dynamic(&config, &ty),
            planned_private: b"opaque".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    assert_eq!(created.private, b"opaque");
    let state = undynamic(created.new_state, &ty);
    assert_eq!(state.attr_str("id"), Some("thing-a"));

    let read = client
        .read_resource(pb::read_resource::Request {
            type_name: THING.into(),
            current_state: dynamic(&state, &ty),
            private: b"kept".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(undynamic(read.new_state, &ty), state);
    assert_eq!(read.private, b"kept");

    let imported = client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: THING.into(),
            id: "thing-a".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(imported.imported_resources.len(), 1);
    let imported_resource = &imported.imported_resources[0];
    assert_eq!(imported_resource.type_name, THING);
    assert_eq!(
        undynamic(imported_resource.state.clone(), &ty).attr_str("id"),
        Some("thing-a")
    );

    let deleted = client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: THING.into(),
            prior_state: dynamic(&state, &ty),
            planned_state: null.clone(),
            config: null.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(deleted.diagnostics.is_empty(), "{:?}", deleted.diagnostics);
    assert_eq!(undynamic(deleted.new_state, &ty), Value::Null);
    assert!(record.objects.lock().unwrap().is_empty());

    // Deleting again fails: the prior state is kept so Terraform does not forget the object.
    let failed = client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: THING.into(),
            prior_state: dynamic(&state, &ty),
            planned_state: null.clone(),
            config: null,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&failed.diagnostics), ["Delete failed"]);
    assert_eq!(undynamic(failed.new_state, &ty), state);

    // Gone remotely: refresh answers null.
    let gone = client
        .read_resource(pb::read_resource::Request {
            type_name: THING.into(),
            current_state: dynamic(&state, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(undynamic(gone.new_state, &ty), Value::Null);
    server.shutdown.cancel();
}

#[tokio::test]
async fn apply_revalidates_and_keeps_partial_state() {
    let client_cert = ClientCert::generate(Span::hours(1));
    let (provider, record) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&client_cert)));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &client_cert));
    let ty = toy::thing_type();
    let null = dynamic(&Value::Null, &ty);

    // The name was unknown at plan time and turned out empty: nothing may be created.
    let rejected = client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: THING.into(),
            prior_state: null.clone(),
            planned_state: dynamic(&planned_of(""), &ty),
            config: dynamic(&config_of(""), &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&rejected.diagnostics), ["Empty name"]);
    assert_eq!(undynamic(rejected.new_state, &ty), Value::Null);
    assert!(record.objects.lock().unwrap().is_empty());

    let partial = client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: THING.into(),
            prior_state: null,
            planned_state: dynamic(&planned_of("half-made"), &ty),
            config: dynamic(&config_of("half-made"), &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&partial.diagnostics), ["Create failed halfway"]);
    assert_eq!(
        undynamic(partial.new_state, &ty).attr_str("id"),
        Some("thing-half-made")
    );
    server.shutdown.cancel();
}

#[tokio::test]
async fn provider_configuration_stop_and_unknown_types() {
    let client_cert = ClientCert::generate(Span::hours(1));
    let (provider, record) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&client_cert)));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &client_cert));
    let provider_type = toy::provider_schema().block.implied_type();
    let config = Value::Object(BTreeMap::from([(
        "region".to_string(),
        Value::string("cn-hangzhou"),
    )]));

    let validated = client
        .validate_provider_config(pb::validate_provider_config::Request {
            config: dynamic(&config, &provider_type),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(validated.diagnostics.is_empty());
    let configured = client
        .configure_provider(pb::configure_provider::Request {
            terraform_version: "1.0.11".into(),
            config: dynamic(&config, &provider_type),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(configured.diagnostics.is_empty());
    assert_eq!(
        *record.configured_with.lock().unwrap(),
        Some(("1.0.11".to_string(), config))
    );

    let stopped = client
        .stop_provider(pb::stop_provider::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stopped.error, "");
    assert_eq!(record.stops.load(Ordering::SeqCst), 1);

    // Terraform sends msgpack that does not fit the schema: a diagnostic, not a failure.
    let garbage = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: THING.into(),
            config: Some(pb::DynamicValue {
                msgpack: vec![0xc3],
                json: Vec::new(),
            }),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&garbage.diagnostics), ["Invalid configuration"]);

    let unknown = client
        .read_resource(pb::read_resource::Request {
            type_name: "toy_nothing".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&unknown.diagnostics), ["Unsupported resource type"]);
    assert!(unknown.diagnostics[0].detail.contains("toy_nothing"));

    let data = client
        .read_data_source(pb::read_data_source::Request {
            type_name: "toy_data".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&data.diagnostics), ["Unsupported data source"]);
    let functions = client
        .get_functions(pb::get_functions::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(functions.functions.is_empty() && functions.diagnostics.is_empty());
    let ephemeral = client
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "toy_secret".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        errors(&ephemeral.diagnostics),
        ["Unsupported ephemeral resource type"]
    );
    let identity = client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(identity.identity_schemas.is_empty());
    server.shutdown.cancel();
}

#[tokio::test]
async fn concurrent_calls_are_served_together() {
    let client_cert = ClientCert::generate(Span::hours(1));
    let (provider, _) = ToyProvider::new();
    let server = grpc::start(provider, |dir| grpc::unix_config(dir, Some(&client_cert)));
    let client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &client_cert));
    let calls = (0..16).map(|_| {
        let mut client = client.clone();
        tokio::spawn(async move {
            client
                .get_provider_schema(pb::get_provider_schema::Request {})
                .await
                .map(|r| r.into_inner().resource_schemas.len())
        })
    });
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 1);
    }
    server.shutdown.cancel();
}

// ---- The real binary, launched as Terraform launches it ----

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-alicloud");
const RESOURCE: &str = "alicloud_ecs_command_invocation";

/// The environment Terraform gives a provider (and nothing inherited that could change it).
fn terraform_launch(tmp: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TMPDIR", tmp)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Reads the first stdout line, as go-plugin does.
async fn handshake_of(child: &mut tokio::process::Child) -> String {
    use tokio::io::AsyncBufReadExt;
    let stdout = child.stdout.as_mut().unwrap();
    let mut line = String::new();
    timeout(
        Duration::from_secs(10),
        tokio::io::BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .expect("handshake in time")
    .unwrap();
    line
}

async fn shutdown_and_wait(channel: tonic::transport::Channel, child: &mut tokio::process::Child) {
    grpc::controller_client(channel).shutdown(Empty {}).await.unwrap();
    let status = timeout(PROMPTLY, child.wait())
        .await
        .expect("provider exits within 2 s of Shutdown")
        .unwrap();
    assert!(status.success(), "{status}");
}

fn resource_config(command_id: &str, instance_ids: &[&str]) -> Value {
    let mut config = Value::null_object(&resource_type());
    config.set_attr("command_id", Value::string(command_id));
    config.set_attr(
        "instance_ids",
        Value::List(instance_ids.iter().map(|id| Value::string(*id)).collect()),
    );
    config
}

fn resource_type() -> Type {
    use alicloud_provider::AlicloudProvider;
    use tfplug::Provider;
    let resources = AlicloudProvider::new().resources();
    let resource = resources.iter().find(|r| r.type_name() == RESOURCE).unwrap();
    resource.schema().block.implied_type()
}

#[tokio::test]
async fn binary_serves_terraform_over_mutual_tls_and_exits_promptly() {
    let tmp = tempfile::tempdir().unwrap();
    let client_cert = ClientCert::generate(Span::days(30 * 365));
    let mut child = terraform_launch(tmp.path())
        .env("PLUGIN_CLIENT_CERT", client_cert.pem())
        .env("TF_LOG_PROVIDER", "DEBUG")
        .spawn()
        .unwrap();

    let line = handshake_of(&mut child).await;
    assert!(line.ends_with('\n'));
    let handshake = grpc::connect::parse_handshake(&line);
    assert_eq!(handshake.network, "unix");
    assert!(handshake
        .address
        .starts_with(tmp.path().join("plugin").to_str().unwrap()));

    let channel = grpc::mtls_channel(&handshake, &client_cert);
    let mut client = grpc::provider_client(channel.clone());
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let provider_block = schema.provider.unwrap().block.unwrap();
    assert!(provider_block.attributes.iter().any(|a| a.name == "region"));
    assert!(schema.resource_schemas.contains_key(RESOURCE));

    let ty = resource_type();
    let valid = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: RESOURCE.into(),
            config: dynamic(&resource_config("c-123", &["i-1"]), &ty),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&valid.diagnostics).is_empty(), "{:?}", valid.diagnostics);
    let invalid = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: RESOURCE.into(),
            config: dynamic(&resource_config("", &[]), &ty),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    let mut paths: Vec<_> = invalid
        .diagnostics
        .iter()
        .map(|d| step_names(d.attribute.as_ref().unwrap()))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [["command_id"], ["instance_ids"]],
        "{:?}",
        invalid.diagnostics
    );
    assert_eq!(errors(&invalid.diagnostics).len(), 2);

    shutdown_and_wait(channel, &mut child).await;
    assert!(
        !std::path::Path::new(&handshake.address).exists(),
        "socket file removed"
    );

    // Logging: hclog JSON lines naming RPCs, never values.
    use tokio::io::AsyncReadExt;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?} is not JSON: {e}")))
        .collect();
    assert!(lines
        .iter()
        .any(|l| l["@message"] == "RPC received" && l["rpc"] == "ValidateResourceConfig"));
    for line in &lines {
        assert!(["debug", "info", "warn", "error"].contains(&line["@level"].as_str().unwrap()));
        assert!(line["@module"].is_string());
        let stamp = line["@timestamp"].as_str().unwrap();
        assert_eq!(
            stamp.split('.').nth(1).unwrap().trim_end_matches('Z').len(),
            6,
            "{stamp}"
        );
    }
    assert!(
        !stderr.contains("c-123") && !stderr.contains("i-1"),
        "values never logged"
    );
}

#[tokio::test]
async fn binary_tcp_plaintext_form() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = terraform_launch(tmp.path())
        .env(NETWORK_VAR, "tcp")
        .spawn()
        .unwrap();
    let line = handshake_of(&mut child).await;
    let handshake = grpc::connect::parse_handshake(&line);
    let port: u16 = handshake
        .address
        .strip_prefix("127.0.0.1:")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(line, format!("1|6|tcp|127.0.0.1:{port}|grpc|\n"));
    assert!((10000..=25000).contains(&port));

    let channel = grpc::connect::channel(&handshake, None);
    let metadata = grpc::provider_client(channel.clone())
        .get_metadata(pb::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(metadata.resources.iter().any(|r| r.type_name == RESOURCE));
    shutdown_and_wait(channel, &mut child).await;
}

#[tokio::test]
async fn binary_starts_a_few_threads_whatever_the_core_count() {
    let tmp = tempfile::tempdir().unwrap();
    // tokio's default sizing honours this variable: it stands in for a 64-core machine.
    let mut child = terraform_launch(tmp.path())
        .env("TOKIO_WORKER_THREADS", "64")
        .spawn()
        .unwrap();
    handshake_of(&mut child).await;
    let pid = child.id().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let threads: usize = status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The main thread and at most four workers.
    assert!(threads <= 5, "{threads} threads at the handshake");
    child.kill().await.unwrap();
}

async fn run_to_exit(mut command: tokio::process::Command) -> std::process::Output {
    timeout(Duration::from_secs(10), command.output())
        .await
        .expect("exits at once")
        .unwrap()
}

#[tokio::test]
async fn binary_run_by_hand_explains_and_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let mut command = terraform_launch(tmp.path());
    command.env_remove(MAGIC_COOKIE_KEY);
    let output = run_to_exit(command).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Terraform provider plugin"), "{stderr}");
    assert!(stderr.contains("not meant to be run directly"), "{stderr}");
}

#[tokio::test]
async fn binary_refuses_terraform_without_protocol_6() {
    let tmp = tempfile::tempdir().unwrap();
    let mut command = terraform_launch(tmp.path());
    command.env("PLUGIN_PROTOCOL_VERSIONS", "4,5");
    let output = run_to_exit(command).await;
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no handshake line");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("[4,5]") && stderr.contains("protocol version 6"),
        "{stderr}"
    );
}
