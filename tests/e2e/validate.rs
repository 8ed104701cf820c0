//! End to end with the real Terraform CLI, no endpoint needed: the schema Terraform reads
//! (every attribute of the contract, secrets marked sensitive) and each static rule refused
//! by `terraform validate`, on the right attribute, without credentials.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use test_support::e2e::{header, squash, Workspace};

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
        ("null_instance", "command_id = \"c-1\"\n instance_ids = [null]", "instance_ids[0]", "elements of `instance_ids` cannot be null"),
        ("null_among", "command_id = \"c-1\"\n instance_ids = [null, \"i-x\"]", "instance_ids[0]", "elements of `instance_ids` cannot be null"),
        ("pw_alone", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n windows_password_name = \"pw\"", "windows_password_name", "together with `username`"),
        ("empty_instance", "command_id = \"c-1\"\n instance_ids = [\"i-1\", \"\"]", "instance_ids[1]", "must not be empty"),
        ("empty_region", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n region_id = \"\"", "region_id", "must not be empty"),
        ("empty_pw", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n username = \"u\"\n windows_password_name = \"\"", "windows_password_name", "must not be empty"),
        ("empty_key", "command_id = \"c-1\"\n instance_ids = [\"i-1\"]\n parameters = { \"\" = var.secret }", "parameters", "1 to 64 characters"),
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

/// A null where a value is needed (a required argument, an element of a list or a map) is
/// refused by validate on the attribute, for both resources, instead of failing at apply or
/// as a provider bug; the same arguments unknown at validate pass.
#[test]
fn nulls_are_refused_by_validate_naming_the_attribute() {
    let ws = workspace(
        r#"
variable "ids" {
  type = list(string)
}
variable "team" {
  type = string
}
resource "alicloud_ecs_command_invocation" "null_command" {
  command_id   = null
  instance_ids = ["i-1"]
}
resource "alicloud_ecs_command_invocation" "null_instances" {
  command_id   = "c-1"
  instance_ids = null
}
resource "alicloud_ecs_command_invocation" "null_tag" {
  command_id   = "c-1"
  instance_ids = ["i-1"]
  tags         = { team = null }
}
resource "alicloud_ecs_command_invocation" "null_trigger" {
  command_id   = "c-1"
  instance_ids = ["i-1"]
  triggers     = { release = null }
}
resource "alicloud_ecs_command_invocation" "unknown_ok" {
  command_id   = "c-1"
  instance_ids = var.ids
  tags         = { team = var.team }
}
resource "alicloud_ecs_command" "null_name" {
  name            = null
  command_content = "echo hi"
  type            = "RunShellScript"
}
"#,
    );
    let out = squash(&ws.fails(&["validate"]));
    for (resource, detail) in [
        (
            "alicloud_ecs_command_invocation.null_command",
            "`command_id` is required and cannot be null.",
        ),
        (
            "alicloud_ecs_command_invocation.null_instances",
            "`instance_ids` is required and cannot be null.",
        ),
        (
            "alicloud_ecs_command_invocation.null_tag",
            "`tags[\"team\"]` is null: the elements of `tags` cannot be null.",
        ),
        (
            "alicloud_ecs_command_invocation.null_trigger",
            "`triggers[\"release\"]` is null: the elements of `triggers` cannot be null.",
        ),
        (
            "alicloud_ecs_command.null_name",
            "`name` is required and cannot be null.",
        ),
    ] {
        assert!(out.contains(&format!("with {resource},")), "{resource}:\n{out}");
        assert!(out.contains(detail), "{resource}: expected {detail:?} in:\n{out}");
    }
    assert!(
        !out.contains("unknown_ok"),
        "unknown values are checked at apply:\n{out}"
    );
    assert!(!out.contains("bug in the provider"), "{out}");
}

/// `timeouts { create }` takes Go's duration forms; zero, negative and a unit given twice are
/// refused at validate, each saying what it is.
#[test]
fn create_timeouts_take_go_durations() {
    let resource = |name: &str, create: &str| {
        format!(
            "resource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n  command_id = \"c-1\"\n  \
             instance_ids = [\"i-1\"]\n  timeouts {{\n    create = \"{create}\"\n  }}\n}}\n"
        )
    };
    let accepted = ["1.5h", "300ms", "1h30m", "2h45m30.5s"]
        .iter()
        .enumerate()
        .map(|(i, create)| resource(&format!("ok{i}"), create))
        .collect::<String>();
    workspace(&accepted).ok(&["validate"]);

    let refused = [("zero", "0s"), ("negative", "-5s"), ("twice", "1h1h")]
        .iter()
        .map(|(name, create)| resource(name, create))
        .collect::<String>();
    let out = squash(&workspace(&refused).fails(&["validate"]));
    for expected in [
        "\"0s\" is zero: apply would give up before it could finish",
        "\"-5s\" is negative: apply cannot wait less than no time",
        "set `wait_for_completion = false`",
        "\"1h1h\" gives the unit \"h\" more than once, or after a smaller one",
        "each unit once and largest first",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    assert_eq!(out.matches("Invalid duration").count(), 3, "{out}");
}

/// A workspace whose provider block holds `body`, with one resource so that plan configures it.
fn provider_workspace(body: &str) -> Workspace {
    let ws = Workspace::new(&format!(
        "{}\nprovider \"alicloud\" {{\n{body}\n}}\n\
         resource \"alicloud_ecs_command_invocation\" \"x\" {{\n  command_id = \"c-1\"\n  instance_ids = [\"i-1\"]\n}}\n",
        header()
    ));
    ws.init();
    ws
}

/// Every static rule of the provider block, one block per rule: validate names the argument
/// (with its block) and the rule, and never prints a sensitive value.
#[test]
fn each_provider_block_rule_is_refused_by_validate() {
    let cases = [
        (
            "client_read_timeout = 99",
            "client_read_timeout",
            "from 100 to 600000; got 99",
        ),
        (
            "client_read_timeout = 600001",
            "client_read_timeout",
            "from 100 to 600000; got 600001",
        ),
        (
            "client_connect_timeout = 0",
            "client_connect_timeout",
            "from 100 to 600000; got 0",
        ),
        (
            "max_retry_timeout = 0",
            "max_retry_timeout",
            "from 1 to 3600; got 0",
        ),
        (
            "max_retry_timeout = 2.5",
            "max_retry_timeout",
            "from 1 to 3600; got 2.5",
        ),
        ("endpoints {\n ecs = \"\"\n }", "ecs", "must not be empty"),
        ("endpoints {\n sts = \"\"\n }", "sts", "must not be empty"),
        ("region = \"\"", "region", "1 to 64 characters"),
        ("access_key = \"\"", "access_key", "must not be empty"),
        (
            "assume_role {\n role_arn = \"\"\n }",
            "role_arn",
            "must not be empty",
        ),
        (
            "assume_role {\n role_arn = \"r\"\n session_expiration = 899\n }",
            "session_expiration",
            "got 899",
        ),
    ];
    for (body, attribute, rule) in cases {
        let out = squash(&provider_workspace(&format!("  {body}")).fails(&["validate"]));
        assert!(out.contains(attribute), "{body}: expected {attribute} in:\n{out}");
        assert!(out.contains(rule), "{body}: expected rule {rule:?} in:\n{out}");
    }
}

/// Endpoint rules need the whole block and are checked when the provider is configured:
/// `terraform plan` refuses a malformed endpoint and a plain-http one on a host that is not
/// loopback (without `allow_insecure_http`), naming the argument and sending nothing.
#[test]
fn endpoint_rules_are_refused_by_plan() {
    let keys = "  region = \"cn-hangzhou\"\n  access_key = \"ak\"\n  secret_key = \"topsecret-value\"";
    let cases = [
        ("endpoints {\n ecs = \"ftp://127.0.0.1:1\"\n }", "endpoints.ecs"),
        (
            "endpoints {\n ecs = \"http://ecs.invalid:80\"\n }",
            "allow_insecure_http",
        ),
        (
            "allow_insecure_http = false\n endpoints {\n ecs = \"http://ecs.invalid:80\"\n }",
            "allow_insecure_http",
        ),
    ];
    for (body, named) in cases {
        let ws = provider_workspace(&format!("{keys}\n  {body}"));
        let out = squash(&ws.fails(&["plan", "-input=false", "-refresh=false"]));
        assert!(out.contains("Invalid provider configuration"), "{body}:\n{out}");
        assert!(out.contains(named), "{body}: expected {named} in:\n{out}");
        assert!(
            !out.contains("topsecret-value"),
            "{body}: a secret leaked:\n{out}"
        );
    }
}
