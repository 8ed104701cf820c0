//! The credential sources a pipeline uses, end to end with the real Terraform CLI against
//! the emulator's ECS, STS and metadata service (loopback only): `assume_role`,
//! `assume_role_with_oidc`, `ecs_role_name`, `credentials_uri` and the profile modes
//! `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, each from HCL or the environment; an
//! apply that outlives its session; a role the base credentials may not assume; secrets
//! under `TF_LOG=trace`; special files refused; the error listing every place looked.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ecs_emulator::mint_unsigned;
use support::{header, squash, Emulator, Workspace, DEMO_ACCESS_KEY, DEMO_SECRET};

const ROLE: &str = "acs:ram::1234567890123456:role/deploy";
const NEXT_ROLE: &str = "acs:ram::1234567890123456:role/next";
const PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ci";
const ISSUER: &str = "https://ci.example.test";
const AUDIENCE: &str = "sts.aliyuncs.com";
const UPTIME: &str = "c-hz01emuuptime0001";
const LINUX_1: &str = "i-bp1emulinux000001";

fn invocation() -> String {
    format!(
        "resource \"alicloud_ecs_command_invocation\" \"run\" {{\n  command_id = \"{UPTIME}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n}}\n"
    )
}

/// A configuration whose provider block holds `body`, with the ECS and STS endpoints on
/// `emulator` and `region` set.
fn config(emulator: &Emulator, body: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{\n  region = \"cn-hangzhou\"\n  endpoints {{\n    ecs = \"{e}\"\n    \
         sts = \"{e}\"\n  }}\n{body}\n}}\n{}",
        header(),
        invocation(),
        e = emulator.endpoint
    )
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
    let body = format!(
        "  assume_role_with_oidc {{\n    oidc_provider_arn = \"{PROVIDER_ARN}\"\n    role_arn = \"{ROLE}\"\n    \
         oidc_token_file = \"token.jwt\"\n  }}"
    );
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
    let body = format!(
        "  assume_role_with_oidc {{\n    oidc_provider_arn = \"{PROVIDER_ARN}\"\n    role_arn = \"{ROLE}\"\n    \
         oidc_token_file = \"token.jwt\"\n  }}"
    );
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
    let body = format!(
        "  assume_role_with_oidc {{\n    oidc_provider_arn = \"{PROVIDER_ARN}\"\n    role_arn = \"{ROLE}\"\n    \
         oidc_token_file = \"/dev/zero\"\n  }}"
    );
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
