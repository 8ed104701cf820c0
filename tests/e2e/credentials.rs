//! The credential sources a pipeline uses, end to end with the real Terraform CLI against
//! the emulator's ECS, STS and metadata service (loopback only): `assume_role`,
//! `assume_role_with_oidc`, `ecs_role_name`, `credentials_uri` and the profile modes
//! `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, each from HCL or the environment; an
//! apply that outlives its session; a role the base credentials may not assume; secrets
//! under `TF_LOG=trace`; special files refused; the error listing every place looked; an
//! environment role beside explicit keys ignored with a warning and two explicit sources
//! refused; a hanging STS or credentials URI asked once per process; keys trimmed or refused;
//! plain http to a credentials URI off loopback refused; auth refusals naming the source and
//! the fix; an empty OIDC token file named.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ecs_emulator::fixtures::ids::{LINUX_1, UPTIME};
use ecs_emulator::mint_unsigned;
use test_support::e2e::{header, squash, Emulator, Workspace, DEMO_ACCESS_KEY, DEMO_SECRET};

const ROLE: &str = "acs:ram::1234567890123456:role/deploy";
const NEXT_ROLE: &str = "acs:ram::1234567890123456:role/next";
const PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ci";
const ISSUER: &str = "https://ci.example.test";
const AUDIENCE: &str = "sts.aliyuncs.com";

fn invocation() -> String {
    format!(
        "resource \"alicloud_ecs_command_invocation\" \"run\" {{\n  command_id = \"{UPTIME}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n}}\n"
    )
}

/// A configuration whose provider block holds `body`, with the ECS and STS endpoints on
/// `emulator` and `region` set.
fn config(emulator: &Emulator, body: &str) -> String {
    config_on(&emulator.endpoint, &emulator.endpoint, body, &invocation())
}

/// [`config`] with any endpoints and resources.
fn config_on(ecs: &str, sts: &str, body: &str, resources: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{\n  region = \"cn-hangzhou\"\n  endpoints {{\n    ecs = \"{ecs}\"\n    \
         sts = \"{sts}\"\n  }}\n{body}\n}}\n{resources}",
        header(),
    )
}

/// The demo access key pair, in HCL.
fn keys_in_hcl(secret: &str) -> String {
    format!("  access_key = \"{DEMO_ACCESS_KEY}\"\n  secret_key = {secret}\n")
}

/// A workspace with an empty HOME (no profile file unless a test writes one).
fn workspace(main_tf: &str, home: &tempfile::TempDir) -> Workspace {
    Workspace::new(main_tf).env("HOME", home.path().to_str().expect("home path"))
}

fn apply(ws: &Workspace) -> String {
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false"])
}

fn oidc_emulator(extra: &[&str]) -> Emulator {
    let mut args = vec![
        "--role".to_string(),
        ROLE.to_string(),
        "--oidc-provider".to_string(),
        format!("{PROVIDER_ARN},{ISSUER},{AUDIENCE}"),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Emulator::start(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// An `assume_role_with_oidc` block for ROLE, reading the token from `token_file`.
fn oidc_block(token_file: &str) -> String {
    format!(
        "  assume_role_with_oidc {{\n    oidc_provider_arn = \"{PROVIDER_ARN}\"\n    role_arn = \"{ROLE}\"\n    \
         oidc_token_file = \"{token_file}\"\n  }}"
    )
}

fn token() -> String {
    mint_unsigned(
        ISSUER,
        AUDIENCE,
        "repo:example/pipeline",
        chrono::Utc::now().timestamp() + 3600,
    )
}

#[test]
fn assume_role_in_hcl_and_in_the_environment() {
    let emulator = Emulator::start(&["--role", ROLE]);
    let home = tempfile::tempdir().expect("home");
    let body = format!("  assume_role {{\n    role_arn = \"{ROLE}\"\n    session_name = \"pipeline\"\n  }}");
    let ws = workspace(&config(&emulator, &body), &home).against(&emulator);
    apply(&ws);
    // Plan and apply run in two provider processes: one session each.
    let from_hcl = emulator.action_count("AssumeRole");
    assert!(from_hcl >= 1);
    assert_eq!(emulator.invoke_counts().0, 1);

    let ws = workspace(&config(&emulator, ""), &home)
        .against(&emulator)
        .env("ALICLOUD_ASSUME_ROLE_ARN", ROLE);
    apply(&ws);
    assert!(emulator.action_count("AssumeRole") > from_hcl);
}

#[test]
fn assume_role_with_oidc_from_a_token_file_in_hcl_and_in_the_environment() {
    let emulator = oidc_emulator(&[]);
    let home = tempfile::tempdir().expect("home");
    let body = oidc_block("token.jwt");
    let ws = workspace(&config(&emulator, &body), &home);
    ws.write("token.jwt", &token());
    apply(&ws);
    let from_hcl = emulator.action_count("AssumeRoleWithOIDC");
    assert!(from_hcl >= 1);

    let ws = workspace(&config(&emulator, ""), &home)
        .env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER_ARN)
        .env("ALIBABA_CLOUD_ROLE_ARN", ROLE);
    ws.write("token.jwt", &token());
    let path = ws.dir.path().join("token.jwt");
    let ws = ws.env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", path.to_str().expect("path"));
    apply(&ws);
    assert!(emulator.action_count("AssumeRoleWithOIDC") > from_hcl);
    assert_eq!(
        emulator.action_count("AssumeRole"),
        0,
        "the OIDC role is not assumed again"
    );
}

#[test]
fn a_token_for_another_audience_is_refused_with_a_clear_error() {
    let emulator = oidc_emulator(&[]);
    let home = tempfile::tempdir().expect("home");
    let body = oidc_block("token.jwt");
    let ws = workspace(&config(&emulator, &body), &home);
    let later = chrono::Utc::now().timestamp() + 3600;
    ws.write("token.jwt", &mint_unsigned(ISSUER, "someone-else", "s", later));
    ws.init();
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("AuthenticationFail.OIDCToken.Invalid"), "{out}");
    assert!(out.contains("audience"), "{out}");
    assert_eq!(emulator.invoke_counts().0, 0);
}

#[test]
fn ecs_role_name_through_the_token_protected_metadata_service() {
    let emulator = Emulator::start(&["--ecs-role", "instance-role"]);
    let home = tempfile::tempdir().expect("home");
    let body = format!(
        "  ecs_role_name = \"instance-role\"\n  ecs_metadata_endpoint = \"{}\"",
        emulator.endpoint
    );
    apply(&workspace(&config(&emulator, &body), &home));
    let from_hcl = emulator.action_count("MetadataCredentials");
    assert!(from_hcl >= 1);
    assert_eq!(
        emulator.action_count("MetadataToken"),
        from_hcl,
        "a session token before each fetch"
    );

    let ws = workspace(&config(&emulator, ""), &home)
        .env("ALIBABA_CLOUD_ECS_METADATA", "instance-role")
        .env("ALIBABA_CLOUD_IMDS_ENDPOINT", &emulator.endpoint);
    apply(&ws);
    assert!(emulator.action_count("MetadataCredentials") > from_hcl);
    assert_eq!(emulator.invoke_counts().0, 2);
}

/// A credentials sidecar on loopback answering a fixed STS triple; counts its requests.
struct Sidecar {
    url: String,
    hits: Arc<AtomicU64>,
}

const SIDECAR_ID: &str = "STS.sidecar";
const SIDECAR_SECRET: &str = "sidecar-secret-51c0de";
const SIDECAR_TOKEN: &str = "sidecar-token-8e2f4a";

fn sidecar() -> Sidecar {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind sidecar");
    let url = format!("http://{}/credentials", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            counter.fetch_add(1, Ordering::SeqCst);
            let body = format!(
                "{{\"Code\":\"Success\",\"AccessKeyId\":\"{SIDECAR_ID}\",\"AccessKeySecret\":\"{SIDECAR_SECRET}\",\
                 \"SecurityToken\":\"{SIDECAR_TOKEN}\",\"Expiration\":\"2099-01-01T00:00:00Z\"}}"
            );
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Sidecar { url, hits }
}

fn sidecar_emulator(extra: &[&str]) -> Emulator {
    let key = format!("{SIDECAR_ID}:{SIDECAR_SECRET}:{SIDECAR_TOKEN}");
    let mut args = vec!["--access-key", key.as_str()];
    args.extend_from_slice(extra);
    Emulator::start(&args)
}

#[test]
fn credentials_uri_in_hcl_and_in_the_environment() {
    let sidecar = sidecar();
    let emulator = sidecar_emulator(&[]);
    let home = tempfile::tempdir().expect("home");
    let body = format!("  credentials_uri = \"{}\"", sidecar.url);
    apply(&workspace(&config(&emulator, &body), &home));
    let after_hcl = sidecar.hits.load(Ordering::SeqCst);
    assert!(after_hcl >= 1);
    apply(&workspace(&config(&emulator, ""), &home).env("ALIBABA_CLOUD_CREDENTIALS_URI", &sidecar.url));
    assert!(sidecar.hits.load(Ordering::SeqCst) > after_hcl);
    assert_eq!(emulator.invoke_counts().0, 2);
}

#[test]
fn profiles_in_role_modes() {
    let emulator = Emulator::start(&["--role", ROLE, "--role", NEXT_ROLE, "--ecs-role", "instance-role"]);
    let home = tempfile::tempdir().expect("home");
    let profiles = format!(
        r#"{{"current":"role","profiles":[
          {{"name":"role","mode":"RamRoleArn","access_key_id":"{DEMO_ACCESS_KEY}","access_key_secret":"{DEMO_SECRET}",
            "ram_role_arn":"{ROLE}","ram_session_name":"profile","region_id":"cn-hangzhou"}},
          {{"name":"chain","mode":"ChainableRamRoleArn","source_profile":"role","ram_role_arn":"{NEXT_ROLE}"}},
          {{"name":"ecs","mode":"EcsRamRole","ram_role_name":"instance-role"}}]}}"#
    );
    let run = |profile: &str| {
        let body = format!("  shared_credentials_file = \"profiles.json\"\n  profile = \"{profile}\"");
        let ws = workspace(&config(&emulator, &body), &home)
            .env("ALIBABA_CLOUD_IMDS_ENDPOINT", &emulator.endpoint);
        ws.write("profiles.json", &profiles);
        apply(&ws);
        (
            emulator.action_count("AssumeRole"),
            emulator.action_count("MetadataCredentials"),
        )
    };
    let (role, _) = run("role");
    assert!(role >= 1);
    // A chain assumes both roles, in each provider process.
    let (chain, _) = run("chain");
    assert_eq!(chain - role, 2 * role);
    let (after_ecs, metadata) = run("ecs");
    assert_eq!(after_ecs, chain);
    assert!(metadata >= 1);
    assert_eq!(emulator.invoke_counts().0, 3);
}

#[test]
fn an_apply_that_outlives_its_session_refreshes_the_credentials() {
    // Sessions of 2 s; every ECS answer takes 1.2 s, so the apply's calls outlive a session.
    let emulator = Emulator::start(&[
        "--role",
        ROLE,
        "--sts-session-seconds",
        "2",
        "--latency-ms",
        "1200",
    ]);
    let home = tempfile::tempdir().expect("home");
    let body = format!("  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}");
    let ws = workspace(&config(&emulator, &body), &home).against(&emulator);
    apply(&ws);
    let assumed = emulator.action_count("AssumeRole");
    assert!(
        assumed >= 3,
        "one session cannot cover the apply, yet AssumeRole ran {assumed} time(s)"
    );
    assert_eq!(emulator.invoke_counts().0, 1);
}

#[test]
fn a_role_the_base_credentials_may_not_assume() {
    let emulator = Emulator::start(&["--role", &format!("{ROLE}=someone-else")]);
    let home = tempfile::tempdir().expect("home");
    let body = format!("  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}");
    let ws = workspace(&config(&emulator, &body), &home).against(&emulator);
    ws.init();
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("cannot obtain credentials"), "{out}");
    assert!(out.contains(&format!("role {ROLE}")), "{out}");
    assert!(out.contains("NoPermission"), "{out}");
    assert_eq!(emulator.invoke_counts().0, 0);
}

fn forms(secret: &str) -> Vec<String> {
    use base64::Engine;
    let once = alicloud_client::signature::percent_encode(secret);
    let twice = alicloud_client::signature::percent_encode(&once);
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    vec![secret.to_string(), once, twice, b64]
}

#[test]
fn no_secret_or_token_under_trace() {
    let sidecar = sidecar();
    let emulator = sidecar_emulator(&[
        "--role",
        ROLE,
        "--oidc-provider",
        &format!("{PROVIDER_ARN},{ISSUER},{AUDIENCE}"),
    ]);
    let home = tempfile::tempdir().expect("home");
    let logs = tempfile::tempdir().expect("logs");
    let oidc_token = token();
    // The sidecar's credentials assume a role; then an inline OIDC token from a variable.
    let chained = format!(
        "  credentials_uri = \"{}\"\n  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}",
        sidecar.url
    );
    let inline = format!(
        "  assume_role_with_oidc {{\n    oidc_provider_arn = \"{PROVIDER_ARN}\"\n    role_arn = \"{ROLE}\"\n    \
         oidc_token = var.oidc_token\n  }}"
    );
    let variable = "variable \"oidc_token\" {\n  type = string\n  sensitive = true\n}\n";
    for (name, body, action) in [
        ("chained", chained, "AssumeRole"),
        ("inline", inline, "AssumeRoleWithOIDC"),
    ] {
        let log = logs.path().join(format!("{name}.log"));
        let ws = workspace(&format!("{variable}{}", config(&emulator, &body)), &home)
            .env("TF_VAR_oidc_token", &oidc_token)
            .env("TF_LOG", "trace")
            .env("TF_LOG_PATH", log.to_str().expect("path"));
        let mut seen = apply(&ws);
        seen.push_str(&ws.ok(&["destroy", "-auto-approve", "-input=false"]));
        seen.push_str(&std::fs::read_to_string(&log).expect("trace log"));
        // The provider's own lines are in the trace, so the checks below can fail.
        assert!(
            seen.contains("ECS InvokeCommand attempt 1"),
            "{name}: no provider line in the trace"
        );
        assert!(
            seen.contains(&format!("STS {action} attempt 1")),
            "{name}: no STS line in the trace"
        );
        for secret in [SIDECAR_SECRET, SIDECAR_TOKEN, oidc_token.as_str(), DEMO_SECRET] {
            for form in forms(secret) {
                assert!(
                    !seen.contains(&form),
                    "{name}: {form:?} (a form of a secret) leaked"
                );
            }
        }
        // Every issued security token starts with CAIS; none may show.
        assert!(!seen.contains("CAIS"), "{name}: an issued security token leaked");
        assert!(
            emulator.action_count(action) >= 1,
            "{name}: {action} was not used"
        );
    }
}

#[test]
fn special_files_are_refused_at_once() {
    let emulator = oidc_emulator(&[]);
    let home = tempfile::tempdir().expect("home");
    for device in ["/dev/zero", "/dev/urandom"] {
        let body = format!("  shared_credentials_file = \"{device}\"\n  profile = \"default\"");
        let ws = workspace(&config(&emulator, &body), &home);
        ws.init();
        let out = squash(&ws.fails(&["plan", "-input=false"]));
        assert!(out.contains(&format!("{device} is not a regular file")), "{out}");
    }
    let body = oidc_block("/dev/zero");
    let ws = workspace(&config(&emulator, &body), &home);
    ws.init();
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(
        out.contains("OIDC token: /dev/zero is not a regular file"),
        "{out}"
    );
    assert_eq!(emulator.action_count("AssumeRoleWithOIDC"), 0);
}

#[test]
fn no_credentials_anywhere_lists_every_place_looked() {
    let emulator = Emulator::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let ws = workspace(&config(&emulator, ""), &home);
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    for place in [
        "no Alibaba Cloud credentials found",
        "provider arguments access_key and secret_key",
        "provider arguments assume_role_with_oidc.oidc_provider_arn and assume_role_with_oidc.role_arn and assume_role_with_oidc.oidc_token_file",
        "provider arguments ecs_role_name",
        "provider arguments credentials_uri",
        "ALICLOUD_ACCESS_KEY/ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        "ALICLOUD_ECS_ROLE_NAME/ALIBABA_CLOUD_ECS_METADATA",
        "ALIBABA_CLOUD_CREDENTIALS_URI/ALICLOUD_CREDENTIALS_URI",
        "config.json (not found)",
    ] {
        assert!(out.contains(place), "{out}\nlacks {place}");
    }
}

#[test]
fn an_environment_role_beside_keys_in_hcl_is_ignored_with_a_warning() {
    let emulator = Emulator::start(&["--role", ROLE]);
    let home = tempfile::tempdir().expect("home");
    let body = keys_in_hcl(&format!("\"{DEMO_SECRET}\""));
    // As ACK RRSA or a pipeline sets them: they must not change the credentials the keys name.
    let pipeline_token = "CAIS-pipeline-token-5e1f";
    let ws = workspace(&config(&emulator, &body), &home)
        .env("ALIBABA_CLOUD_ROLE_ARN", ROLE)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", pipeline_token);
    let out = squash(&apply(&ws));
    assert!(
        out.contains("Warning: Environment security token not used"),
        "{out}"
    );
    assert!(!out.contains(pipeline_token), "{out}");
    assert!(out.contains("Warning: Environment role not assumed"), "{out}");
    assert!(
        out.contains(&format!(
            "Environment variable ALIBABA_CLOUD_ROLE_ARN asks to assume role {ROLE}"
        )),
        "{out}"
    );
    assert_eq!(emulator.action_count("AssumeRole"), 0, "the keys sign the calls");
    assert_eq!(emulator.invoke_counts().0, 1);
}

#[test]
fn keys_in_hcl_beside_another_explicit_source_are_refused() {
    let emulator = Emulator::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let keys = keys_in_hcl(&format!("\"{DEMO_SECRET}\""));
    for (other, named) in [
        ("  ecs_role_name = \"instance-role\"", "ecs_role_name"),
        ("  assume_role_with_oidc {}", "the assume_role_with_oidc block"),
    ] {
        let ws = workspace(&config(&emulator, &format!("{keys}{other}")), &home);
        ws.init();
        let out = squash(&ws.fails(&["plan", "-input=false"]));
        assert!(
            out.contains(&format!(
                "access_key and secret_key and {named} are each set in the provider block"
            )),
            "{out}"
        );
    }
    assert_eq!(emulator.invoke_counts().0, 0);
}

/// A loopback listener that accepts connections and never answers; counts them.
fn black_hole() -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let accepted = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (url, accepted)
}

/// Three invocations, planned in parallel: each needs credentials.
fn three_invocations() -> String {
    format!(
        "resource \"alicloud_ecs_command_invocation\" \"run\" {{\n  count = 3\n  command_id = \"{UPTIME}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n}}\n"
    )
}

#[test]
fn a_hanging_credential_source_is_asked_once_for_every_resource() {
    let emulator = Emulator::start(&["--role", ROLE]);
    let home = tempfile::tempdir().expect("home");
    // One STS attempt per fetch (a 1 s deadline), so attempts count fetches.
    let (sts, sts_connections) = black_hole();
    let body = format!(
        "{}  max_retry_timeout = 1\n  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}",
        keys_in_hcl(&format!("\"{DEMO_SECRET}\""))
    );
    let ws = workspace(
        &config_on(&emulator.endpoint, &sts, &body, &three_invocations()),
        &home,
    );
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(out.contains(&format!("role {ROLE}")), "{out}");
    assert!(out.contains("timeout"), "the cause is kept: {out}");
    assert_eq!(
        sts_connections.load(Ordering::SeqCst),
        1,
        "one fetch for three resources"
    );

    let (uri, uri_connections) = black_hole();
    let body = format!("  credentials_uri = \"{uri}/credentials\"");
    let ws = workspace(
        &config_on(
            &emulator.endpoint,
            &emulator.endpoint,
            &body,
            &three_invocations(),
        ),
        &home,
    );
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        out.contains(&format!("credentials URI {uri}/credentials: timeout error")),
        "{out}"
    );
    assert!(!out.contains("error sending request\""), "{out}");
    assert_eq!(
        uri_connections.load(Ordering::SeqCst),
        1,
        "one fetch for three resources"
    );
    assert_eq!(emulator.invoke_counts().0, 0);
}

#[test]
fn a_secret_with_a_trailing_newline_is_trimmed_and_blank_keys_are_refused() {
    let emulator = Emulator::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let ws = workspace(&config(&emulator, &keys_in_hcl("file(\"secret.txt\")")), &home);
    ws.write("secret.txt", &format!("{DEMO_SECRET}\n"));
    let out = squash(&apply(&ws));
    assert!(
        out.contains("Warning: White space removed from a credential"),
        "{out}"
    );
    assert!(
        out.contains("secret_key (from provider argument secret_key) ends with a newline"),
        "{out}"
    );
    assert!(!out.contains(DEMO_SECRET), "{out}");
    assert_eq!(emulator.invoke_counts().0, 1);

    let ws = workspace(&config(&emulator, ""), &home)
        .env("ALICLOUD_ACCESS_KEY", "   ")
        .env("ALICLOUD_SECRET_KEY", DEMO_SECRET);
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        out.contains("invalid access_key (from environment variable ALICLOUD_ACCESS_KEY): it is blank"),
        "{out}"
    );
    assert_eq!(emulator.invoke_counts().0, 1);
}

#[test]
fn a_plain_http_credentials_uri_off_loopback_is_refused() {
    let sidecar = sidecar();
    let emulator = sidecar_emulator(&[]);
    let home = tempfile::tempdir().expect("home");
    // An IPv4-mapped address is not a loopback host by the rule, yet reaches only this host.
    let uri = sidecar.url.replace("127.0.0.1", "[::ffff:127.0.0.1]");
    let body = format!("  credentials_uri = \"{uri}\"");
    let ws = workspace(&config(&emulator, &body), &home);
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        out.contains("uses plain http to a non-loopback host") && out.contains("credentials_uri"),
        "{out}"
    );
    assert!(out.contains("allow_insecure_http = true"), "{out}");
    assert_eq!(sidecar.hits.load(Ordering::SeqCst), 0, "nothing was fetched");

    // With the opt-in it is used, and the warning says so.
    let body = format!("{body}\n  allow_insecure_http = true");
    let out = squash(&apply(&workspace(&config(&emulator, &body), &home)));
    assert!(out.contains("Warning: Insecure credentials URI"), "{out}");
    assert!(sidecar.hits.load(Ordering::SeqCst) >= 1);
}

/// Temporary credentials the emulator issued and no longer accepts.
fn expired_credentials(emulator: &Emulator) -> alicloud_client::Credentials {
    use alicloud_client::{
        AssumeRoleSettings, ClientConfig, DescribeInstancesRequest, EcsClient, ProviderSettings,
    };
    let settings = ProviderSettings {
        access_key: Some(DEMO_ACCESS_KEY.into()),
        secret_key: Some(DEMO_SECRET.into()),
        region: Some("cn-hangzhou".into()),
        ecs_endpoint: Some(emulator.endpoint.clone()),
        sts_endpoint: Some(emulator.endpoint.clone()),
        assume_role: Some(AssumeRoleSettings {
            role_arn: Some(ROLE.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let nothing = |_: &str| None::<String>;
    let config = ClientConfig::from_settings(&settings, &nothing).expect("config");
    let issued = runtime
        .block_on(config.credentials.current())
        .expect("AssumeRole")
        .expect("credentials");
    let mut frozen = ClientConfig::new(issued.clone(), "cn-hangzhou");
    frozen.endpoint = Some(emulator.endpoint.clone());
    frozen.retry.max_attempts = 1;
    let frozen = EcsClient::new(frozen).expect("client");
    // Issued for one second (--sts-session-seconds 1): wait until the emulator refuses them.
    for _ in 0..100 {
        let answer = runtime.block_on(frozen.describe_instances(&DescribeInstancesRequest::default()));
        if answer.is_err_and(|e| e.api_code() == Some("InvalidSecurityToken.Expired")) {
            return issued;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the issued credentials never expired");
}

#[test]
fn auth_refusals_name_the_credential_source_and_the_fix() {
    let emulator = Emulator::start(&["--role", ROLE, "--sts-session-seconds", "1"]);
    let home = tempfile::tempdir().expect("home");
    let wrong = "not-the-secret-3b1d";
    let plan_fails = |ws: Workspace| {
        ws.init();
        squash(&ws.fails(&["plan", "-input=false"]))
    };

    let body = keys_in_hcl(&format!("\"{wrong}\""));
    let out = plan_fails(workspace(&config(&emulator, &body), &home));
    assert!(out.contains("SignatureDoesNotMatch"), "{out}");
    assert!(
        out.contains("The access key secret does not match the access key id: check that the provider arguments access_key and secret_key hold"),
        "{out}"
    );
    assert!(!out.contains(wrong), "{out}");

    // The same keys refused by STS when they assume a role: the keys are named, not the role.
    let body = format!("{body}  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}");
    let out = plan_fails(workspace(&config(&emulator, &body), &home));
    assert!(
        out.contains(&format!("role {ROLE}")) && out.contains("SignatureDoesNotMatch"),
        "{out}"
    );
    assert!(
        out.contains("check that the provider arguments access_key and secret_key hold"),
        "{out}"
    );

    let ws = workspace(&config(&emulator, ""), &home)
        .env("ALICLOUD_ACCESS_KEY", "LTAI5tUnknownKey0000")
        .env("ALICLOUD_SECRET_KEY", wrong);
    let out = plan_fails(ws);
    assert!(out.contains("InvalidAccessKeyId.NotFound"), "{out}");
    assert!(
        out.contains("Alibaba Cloud does not know this access key id")
            && out.contains("check environment variable ALICLOUD_ACCESS_KEY"),
        "{out}"
    );

    let expired = expired_credentials(&emulator);
    let token = expired
        .security_token
        .as_ref()
        .expect("token")
        .expose()
        .to_string();
    let body = format!(
        "  access_key = \"{}\"\n  secret_key = \"{}\"\n  security_token = \"{token}\"",
        expired.access_key_id,
        expired.access_key_secret.expose()
    );
    let out = plan_fails(workspace(&config(&emulator, &body), &home));
    assert!(out.contains("InvalidSecurityToken.Expired"), "{out}");
    assert!(out.contains("The security token has expired"), "{out}");
    assert!(!out.contains(&token), "{out}");
    assert_eq!(emulator.invoke_counts().0, 0);
}

#[test]
fn an_empty_oidc_token_file_is_refused_naming_the_file() {
    let emulator = oidc_emulator(&[]);
    let home = tempfile::tempdir().expect("home");
    let body = oidc_block("token.jwt");
    let ws = workspace(&config(&emulator, &body), &home);
    ws.write("token.jwt", "\n");
    ws.init();
    let out = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(out.contains("OIDC token: token.jwt is empty"), "{out}");
    assert_eq!(
        emulator.action_count("AssumeRoleWithOIDC"),
        0,
        "nothing sent to STS"
    );
}
