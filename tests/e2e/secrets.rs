//! Secret hygiene under the real Terraform CLI with `TF_LOG=trace`: the access key secret,
//! the STS token and the values of `parameters` never appear in Terraform's log file, its
//! stdout or its stderr, across validate, plan, apply, refresh, import and destroy, with the
//! credentials given in the provider block (sensitive variables) or in the environment.
//! Retries and error answers are provoked so their log lines are covered too.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use base64::Engine;
use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1};

use test_support::e2e::{header, squash, Emulator, Workspace};

const ACCESS_KEY: &str = "STS.e2eaccesskey";
const SECRET: &str = "sts-secret-5b1e2d0c";
const TOKEN: &str = "sts-token-9c8d7e6f1a";
/// Parameter values: one plain, one that changes under every encoding.
const PARAM_PLAIN: &str = "param-secret-4a7b9e";
const PARAM_ODD: &str = "p@ss w/rd&=+%x";

/// Every form a secret could travel in: as is, percent-encoded (once and twice), as JSON
/// text and in Base64.
fn forms(secret: &str) -> Vec<String> {
    let once = alicloud_client::signature::percent_encode(secret);
    let twice = alicloud_client::signature::percent_encode(&once);
    let json = serde_json::to_string(secret).expect("json");
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    vec![
        secret.to_string(),
        once,
        twice,
        json.trim_matches('"').to_string(),
        b64,
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in [SECRET, TOKEN, PARAM_PLAIN, PARAM_ODD] {
        for form in forms(secret) {
            assert!(
                !text.contains(&form),
                "{what} leaks {form:?} (a form of a secret)"
            );
        }
    }
}

fn resource() -> String {
    format!(
        "resource \"alicloud_ecs_command_invocation\" \"secret\" {{\n  command_id = \"{DEPLOY}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n  parameters = {{ version = \"{PARAM_PLAIN}\", env = {:?} }}\n}}\n",
        PARAM_ODD
    )
}

/// Credentials through sensitive variables set from `TF_VAR_*`.
fn in_provider_block(emulator: &Emulator, log: &std::path::Path) -> Workspace {
    let config = format!(
        "{}\nvariable \"access_key\" {{\n  type = string\n  sensitive = true\n}}\n\
         variable \"secret_key\" {{\n  type = string\n  sensitive = true\n}}\n\
         variable \"security_token\" {{\n  type = string\n  sensitive = true\n}}\n\
         provider \"alicloud\" {{\n  region = \"cn-hangzhou\"\n  access_key = var.access_key\n  \
         secret_key = var.secret_key\n  security_token = var.security_token\n  \
         endpoints {{\n    ecs = \"{}\"\n  }}\n}}\n{}",
        header(),
        emulator.endpoint,
        resource()
    );
    Workspace::new(&config)
        .env("TF_VAR_access_key", ACCESS_KEY)
        .env("TF_VAR_secret_key", SECRET)
        .env("TF_VAR_security_token", TOKEN)
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", log.to_str().expect("path"))
}

fn in_environment(emulator: &Emulator, log: &std::path::Path) -> Workspace {
    let config = format!("{}\nprovider \"alicloud\" {{}}\n{}", header(), resource());
    Workspace::new(&config)
        .env("ALICLOUD_ACCESS_KEY", ACCESS_KEY)
        .env("ALICLOUD_SECRET_KEY", SECRET)
        .env("ALICLOUD_SECURITY_TOKEN", TOKEN)
        .env("ALICLOUD_REGION", "cn-hangzhou")
        .env("ALICLOUD_ECS_ENDPOINT", &emulator.endpoint)
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", log.to_str().expect("path"))
}

/// Runs every command that touches the provider; each one's output is checked, then the log.
fn lifecycle(ws: &Workspace, log: &std::path::Path) {
    let address = "alicloud_ecs_command_invocation.secret";
    ws.init();
    let validate = ws.ok(&["validate"]);
    assert_clean("validate", &validate);
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(
        squash(&plan).contains("+ parameters = (sensitive value)"),
        "{plan}"
    );
    assert_clean("plan", &plan);
    assert_clean("apply", &ws.ok(&["apply", "-auto-approve", "-input=false"]));
    assert_clean(
        "refresh",
        &ws.ok(&["apply", "-refresh-only", "-auto-approve", "-input=false"]),
    );
    assert_clean("refresh", &ws.ok(&["refresh", "-input=false"]));
    let shown = ws.ok(&["state", "show", address]);
    assert_clean("state show", &shown);
    let invoke_id = shown
        .lines()
        .find_map(|l| l.trim().strip_prefix("invoke_id"))
        .and_then(|rest| rest.split('"').nth(1))
        .expect("invoke_id in state")
        .to_string();
    ws.ok(&["state", "rm", address]);
    assert_clean(
        "import",
        &ws.ok(&[
            "import",
            "-input=false",
            address,
            &format!("cn-hangzhou:{invoke_id}"),
        ]),
    );
    assert_clean("destroy", &ws.ok(&["destroy", "-auto-approve", "-input=false"]));

    let text = std::fs::read_to_string(log).expect("TF_LOG_PATH file");
    // The log is Terraform's full trace with the provider's own lines in it: the check can fail.
    for expected in [
        "ECS InvokeCommand attempt 1",
        "ECS InvokeCommand attempt 2",
        "invocation created",
        "invocation read",
        invoke_id.as_str(),
        "SecurityToken=<redacted>",
        "Parameters=<redacted>",
    ] {
        assert!(text.contains(expected), "the log lacks {expected:?}");
    }
    assert_clean("TF_LOG_PATH file", &text);
}

/// An emulator that also accepts the STS pair (with its token), loses the first
/// InvokeCommand answer and throttles the first read, so retries and errors are logged.
fn emulator() -> Emulator {
    Emulator::start(&[
        "--access-key",
        &format!("{ACCESS_KEY}:{SECRET}:{TOKEN}"),
        "--lost-response",
        "1@InvokeCommand",
        "--throttle",
        "1@DescribeInvocations",
        "--run-delay-ms",
        "50",
    ])
}

#[test]
fn no_secret_in_output_or_trace_log_with_credentials_in_the_provider_block() {
    let emulator = emulator();
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("terraform.log");
    lifecycle(&in_provider_block(&emulator, &log), &log);
}

#[test]
fn no_secret_in_output_or_trace_log_with_credentials_in_the_environment() {
    let emulator = emulator();
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("terraform.log");
    lifecycle(&in_environment(&emulator, &log), &log);
}
