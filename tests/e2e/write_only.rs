//! `parameters_wo` under the real Terraform CLI: on 1.11.4 and 1.15.5 the secret reaches the
//! emulator (its record holds the parameter) and appears nowhere Terraform writes: not in the
//! plan output, `terraform show -json`, the state file or a `TF_LOG=trace` log; a new
//! `parameters_wo_version` replaces the invocation; destroy plans stay right with
//! `plan_destroy` on; a failing run printing a multi-line value shows no line of it in the
//! error or `results`. On 1.0.3, which would store the value, validate refuses it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::path::Path;

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1};
use test_support::e2e::secrets::{assert_no_key_line, printing_the_key, PEM};
use test_support::e2e::{header, newest_terraform_path, pinned_terraform_path, squash, Emulator, Workspace};

const SECRET: &str = "wo-secret-3c9e1f7a";

/// The secret comes from a variable, as it would in use: ephemeral (Terraform 1.10+) where
/// it can be, since Terraform keeps any other variable's value in a saved plan.
fn config(version: u32, ephemeral: bool) -> String {
    let kind = if ephemeral { "ephemeral" } else { "sensitive" };
    format!(
        "{}\nprovider \"alicloud\" {{}}\nvariable \"secret\" {{\n  type = string\n  {kind} = true\n}}\n\
         resource \"alicloud_ecs_command_invocation\" \"deploy\" {{\n  command_id = \"{DEPLOY}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n  parameters_wo = {{ version = var.secret }}\n  \
         parameters_wo_version = {version}\n}}\n",
        header()
    )
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} holds the write-only secret");
}

fn workspace(emulator: &Emulator, terraform: &'static Path, log: &Path) -> Workspace {
    Workspace::new(&config(1, true))
        .against(emulator)
        .on_terraform(terraform)
        .env("TF_VAR_secret", SECRET)
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", log.to_str().expect("path"))
}

/// The whole lifecycle on one Terraform that has write-only attributes.
fn secret_stays_out_of_plan_state_and_logs(terraform: &'static Path) {
    let emulator = Emulator::start(&[]);
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("trace.log");
    let ws = workspace(&emulator, terraform, &log);
    ws.init();
    let plan = ws.ok(&["plan", "-out=tfplan"]);
    assert!(plan.contains("1 to add"), "{plan}");
    assert_clean("plan output", &plan);
    assert_clean("saved plan JSON", &ws.ok(&["show", "-json", "tfplan"]));
    assert_clean("apply output", &ws.ok(&["apply", "tfplan"]));

    let state = std::fs::read_to_string(ws.dir.path().join("terraform.tfstate")).unwrap();
    assert_clean("state file", &state);
    let shown: serde_json::Value = serde_json::from_str(&ws.ok(&["show", "-json"])).unwrap();
    assert_clean("show -json", &shown.to_string());
    let values = &shown["values"]["root_module"]["resources"][0]["values"];
    assert!(values["parameters_wo"].is_null(), "{values}");
    assert!(values["parameters"].is_null(), "{values}");
    assert_eq!(values["parameters_wo_version"], "1");

    // The secret did reach the API, as the command's `version` parameter.
    let invoke_id = values["invoke_id"].as_str().expect("invoke_id").to_string();
    let sent: serde_json::Value = serde_json::from_str(&emulator.invocation_parameters(&invoke_id)).unwrap();
    assert_eq!(sent["version"], SECRET);
    assert_eq!(emulator.invoke_counts(), (1, 1));

    // A refresh learns nothing from the record: the next plan is clean.
    let again = ws.ok(&["plan", "-detailed-exitcode"]);
    assert!(again.contains("No changes"), "{again}");

    // A new version is a new invocation, with the same secret.
    ws.write("main.tf", &config(2, true));
    let bumped = squash(&ws.ok(&["plan"]));
    assert!(bumped.contains("must be replaced"), "{bumped}");
    assert!(bumped.contains("1 to add, 0 to change, 1 to destroy"), "{bumped}");
    assert_clean("replacement plan", &bumped);

    // Destroy plans are made by the provider now (plan_destroy): one to destroy, no remote rule.
    let destroy_plan = ws.ok(&["plan", "-destroy"]);
    assert!(destroy_plan.contains("1 to destroy"), "{destroy_plan}");
    ws.ok(&["destroy", "-auto-approve"]);
    assert_eq!(emulator.invoke_counts(), (1, 1), "destroy runs nothing");

    assert_clean("trace log", &std::fs::read_to_string(&log).unwrap());
}

#[test]
fn write_only_secret_on_terraform_1_11() {
    secret_stays_out_of_plan_state_and_logs(write_only_terraform_path());
}

#[test]
fn write_only_secret_on_terraform_1_15() {
    secret_stays_out_of_plan_state_and_logs(newest_terraform_path());
}

/// A failing run that prints a multi-line write-only value (with `\r\n`): no line of it in
/// the apply's error or in `results` in state.
#[test]
fn a_multi_line_secret_stays_out_of_the_failure_tail_and_results() {
    let emulator = Emulator::start(&[
        "--run-delay-ms",
        "300",
        "--instance-outcome",
        &printing_the_key(LINUX_1),
    ]);
    let ws = Workspace::new(&config(1, true))
        .against(&emulator)
        .on_terraform(newest_terraform_path())
        .env("TF_VAR_secret", PEM);
    ws.init();
    let out = ws.fails(&["apply", "-auto-approve", "-input=false"]);
    assert!(squash(&out).contains("fatal: key rejected"), "the tail: {out}");
    assert_no_key_line("the apply's error", &out);
    let state = std::fs::read_to_string(ws.dir.path().join("terraform.tfstate")).unwrap();
    assert!(state.contains("fatal: key rejected"), "results in state: {state}");
    assert_no_key_line("the state", &state);
}

/// The machine's Terraform (1.11.4 here, from `scripts/terraform.sh`), whatever `$TERRAFORM`
/// says; it must know write-only attributes.
fn write_only_terraform_path() -> &'static Path {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/terraform.sh");
        let out = std::process::Command::new(script)
            .output()
            .expect("scripts/terraform.sh runs");
        let path = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let version = std::process::Command::new(&path)
            .arg("version")
            .output()
            .expect("terraform version");
        let version = String::from_utf8_lossy(&version.stdout).to_string();
        assert!(
            !version.contains("Terraform v1.0.") && !version.contains("Terraform v1.10."),
            "write-only attributes need Terraform 1.11 or later on PATH, found: {version}"
        );
        path
    })
}

#[test]
fn refused_at_validate_on_terraform_1_0() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&config(1, false))
        .against(&emulator)
        .on_terraform(pinned_terraform_path())
        .env("TF_VAR_secret", SECRET);
    ws.init();
    let refused = squash(&ws.fails(&["apply", "-auto-approve"]));
    assert!(
        refused.contains("Write-only attribute needs a newer Terraform"),
        "{refused}"
    );
    assert!(refused.contains("Terraform 1.11 or later"), "{refused}");
    assert!(refused.contains("parameters_wo"), "{refused}");
    assert_clean("the refusal", &refused);
    assert_eq!(emulator.invoke_counts(), (0, 0));
    assert!(
        !ws.dir.path().join("terraform.tfstate").exists() || {
            let state = std::fs::read_to_string(ws.dir.path().join("terraform.tfstate")).unwrap();
            !state.contains(SECRET)
        }
    );
}
