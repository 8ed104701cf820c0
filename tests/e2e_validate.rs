//! End to end with the real Terraform CLI, no endpoint needed: the schema Terraform reads
//! (every attribute of the contract, secrets marked sensitive) and each static rule refused
//! by `terraform validate`, on the right attribute, without credentials.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod support;

use support::{header, squash, Workspace};

fn workspace(resources: &str) -> Workspace {
    let ws = Workspace::new(&format!("{}\nprovider \"alicloud\" {{}}\n{resources}", header()));
    ws.init();
    ws
}

#[test]
fn schema_shows_every_contract_attribute_and_marks_secrets_sensitive() {
    let ws = workspace("");
    let out = ws.ok(&["providers", "schema", "-json"]);
    let schema: serde_json::Value = serde_json::from_str(out.trim()).expect("schema JSON");
    let provider = &schema["provider_schemas"]["registry.terraform.io/local/alicloud"];
    let provider_attrs = &provider["provider"]["block"]["attributes"];
    for name in ["region", "access_key", "secret_key", "security_token"] {
        assert!(
            provider_attrs[name].is_object(),
            "provider argument {name} missing"
        );
    }
    for secret in ["access_key", "secret_key", "security_token"] {
        assert_eq!(
            provider_attrs[secret]["sensitive"], true,
            "{secret} must be sensitive"
        );
    }
    assert!(
        provider["provider"]["block"]["block_types"]["endpoints"]["block"]["attributes"]["ecs"].is_object()
    );

    let resource = &provider["resource_schemas"]["alicloud_ecs_command_invocation"]["block"]["attributes"];
    let expect = [
        ("command_id", "required"),
        ("instance_ids", "required"),
        ("region_id", "computed"),
        ("timed", "computed"),
        ("frequency", "optional"),
        ("parameters", "optional"),
        ("username", "optional"),
        ("windows_password_name", "optional"),
        ("id", "computed"),
        ("invoke_id", "computed"),
        ("invocation_status", "computed"),
    ];
    for (name, flag) in expect {
        assert_eq!(
            resource[name][flag], true,
            "{name} should be {flag}: {}",
            resource[name]
        );
    }
    assert_eq!(resource["parameters"]["sensitive"], true);
    assert_eq!(
        resource["instance_ids"]["type"],
        serde_json::json!(["list", "string"])
    );
    assert_eq!(
        resource["parameters"]["type"],
        serde_json::json!(["map", "string"])
    );
}

#[test]
fn a_valid_configuration_validates_without_credentials() {
    let ws = workspace(
        r#"
resource "alicloud_ecs_command_invocation" "ok" {
  command_id   = "c-1"
  instance_ids = ["i-1", "i-2"]
  timed        = true
  frequency    = "0 */20 * * * *"
  parameters   = { version = "1.4.2", empty = "" }
  username     = "deploy"
  windows_password_name = "pw"
}
"#,
    );
    ws.ok(&["validate"]);
}

/// One resource per rule; validate must name each attribute and rule (and API code where
/// the rule stands for one), and never print the sensitive value.
#[test]
fn each_static_rule_is_refused_by_validate() {
    let ids_51: Vec<String> = (0..51).map(|i| format!("\"i-{i}\"")).collect();
    let params_11: Vec<String> = (0..11).map(|i| format!("k{i} = \"v\"")).collect();
    let long_key = "k".repeat(65);
    let long_user = "u".repeat(256);
    let cases = [
        ("empty_command", "command_id = \"\"\n instance_ids = [\"i-1\"]", "command_id", "must not be empty"),
        ("no_instances", "command_id = \"c-1\"\n instance_ids = []", "instance_ids", "1 to 50"),
        ("too_many", &format!("command_id = \"c-1\"\n instance_ids = [{}]", ids_51.join(",")), "instance_ids", "1 to 50"),
        ("duplicate", "command_id = \"c-1\"\n instance_ids = [\"i-1\", \"i-1\"]", "instance_ids", "duplicates"),
        ("timed_no_freq", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n timed = true", "frequency", "required when `timed`"),
        ("bad_cron", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n timed = true\n frequency = \"0,5 * * * * ?\"", "frequency", "at least 10 seconds"),
        ("bad_rate", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n timed = true\n frequency = \"rate(30s)\"", "frequency", "minimum interval of 60 seconds"),
        ("bad_at", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n timed = true\n frequency = \"at(2024-02-30 10:00:00)\"", "frequency", "invalid date"),
        ("params_11", &format!("command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n parameters = {{ {} }}", params_11.join("\n")), "parameters", "at most 10"),
        ("long_key", &format!("command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n parameters = {{ {long_key} = var.secret }}"), "parameters", "1 to 64 characters"),
        ("long_user", &format!("command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n username = \"{long_user}\""), "username", "255"),
        ("empty_user", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n username = \"\"", "username", "must not be empty"),
        ("null_instance", "command_id = \"c-1\"\n instance_ids = [null]", "instance_ids[0]", "must not contain null items"),
        ("null_among", "command_id = \"c-1\"\n instance_ids = [null, \"i-x\"]", "instance_ids[0]", "must not contain null items"),
        ("pw_alone", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n windows_password_name = \"pw\"", "windows_password_name", "together with `username`"),
    ];
    for (name, body, attribute, rule) in cases {
        let ws = workspace(&format!(
            "variable \"secret\" {{\n  default   = \"topsecret-value\"\n  sensitive = true\n}}\n\
             resource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n {body}\n}}\n"
        ));
        let out = squash(&ws.fails(&["validate"]));
        assert!(
            out.contains(attribute),
            "{name}: expected attribute {attribute} in:\n{out}"
        );
        assert!(out.contains(rule), "{name}: expected rule {rule:?} in:\n{out}");
        assert!(
            !out.contains("topsecret-value"),
            "{name}: a sensitive value leaked:\n{out}"
        );
    }
}
