//! `make install` and `make dist` (their scripts, fed this build's provider): the installed
//! provider is found by the real Terraform CLI with no CLI configuration at all and applies
//! a configuration using `assume_role_with_oidc` against the emulator, as the README shows;
//! the dist layout is the registry's (zip, manifest declaring protocol 6.0, SHA256SUMS); and
//! every snippet of the README, run as written (`install/readme.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod readme;

use std::path::Path;
use std::process::Command;

use ecs_emulator::fixtures::ids::{LINUX_1, UPTIME};
use test_support::e2e::{combined, terraform_path, Emulator, PROVIDER_VERSION};

const ROLE: &str = "acs:ram::1234567890123456:role/deploy";
const PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ci";
const ISSUER: &str = "https://ci.example.test";

fn script(name: &str) -> Command {
    let mut command = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts").join(name));
    command.env("PROVIDER_BIN", env!("CARGO_BIN_EXE_terraform-provider-alicloud"));
    command
}

#[test]
fn installed_provider_applies_with_oidc_and_no_cli_configuration() {
    let home = tempfile::tempdir().expect("home");
    let out = script("install.sh")
        .env("HOME", home.path())
        .output()
        .expect("install.sh");
    assert!(out.status.success(), "{}", combined(&out));
    let installed = home.path().join(format!(
        ".terraform.d/plugins/registry.terraform.io/local/alicloud/{PROVIDER_VERSION}/linux_amd64/terraform-provider-alicloud_v{PROVIDER_VERSION}"
    ));
    assert!(installed.is_file(), "{}", installed.display());

    let emulator = Emulator::start(&[
        "--role",
        ROLE,
        "--oidc-provider",
        &format!("{PROVIDER_ARN},{ISSUER},sts.aliyuncs.com"),
    ]);
    let work = tempfile::tempdir().expect("work dir");
    let token = ecs_emulator::mint_unsigned(ISSUER, "sts.aliyuncs.com", "ci", 4_102_444_800);
    std::fs::write(work.path().join("token.jwt"), token).expect("token");
    std::fs::write(
        work.path().join("main.tf"),
        format!(
            "terraform {{\n  required_providers {{\n    alicloud = {{ source = \"local/alicloud\", version = \"{PROVIDER_VERSION}\" }}\n  }}\n}}\n\
             provider \"alicloud\" {{\n  region = \"cn-hangzhou\"\n  endpoints {{\n    ecs = \"{e}\"\n    sts = \"{e}\"\n  }}\n  \
             assume_role_with_oidc {{\n    oidc_provider_arn = \"{PROVIDER_ARN}\"\n    role_arn = \"{ROLE}\"\n    oidc_token_file = \"token.jwt\"\n  }}\n}}\n\
             resource \"alicloud_ecs_command_invocation\" \"hello\" {{\n  command_id = \"{UPTIME}\"\n  instance_ids = [\"{LINUX_1}\"]\n}}\n",
            e = emulator.endpoint
        ),
    )
    .expect("main.tf");
    let terraform = |args: &[&str]| {
        let out = Command::new(terraform_path())
            .args(args)
            .current_dir(work.path())
            .env("HOME", home.path())
            .env_remove("TF_CLI_CONFIG_FILE")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_LOG")
            .env_remove("ALICLOUD_ACCESS_KEY")
            .env_remove("ALICLOUD_SECRET_KEY")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .expect("terraform");
        assert!(out.status.success(), "terraform {args:?}:\n{}", combined(&out));
    };
    terraform(&["init", "-input=false", "-no-color"]);
    terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(emulator.invoke_counts().0, 1);
    assert!(emulator.action_count("AssumeRoleWithOIDC") >= 1);
}

#[test]
fn dist_writes_the_registry_release_layout() {
    let dist = tempfile::tempdir().expect("dist");
    let out = script("dist.sh")
        .env("DIST_DIR", dist.path())
        .output()
        .expect("dist.sh");
    assert!(out.status.success(), "{}", combined(&out));
    let name = format!("terraform-provider-alicloud_{PROVIDER_VERSION}");
    let zip = dist.path().join(format!("{name}_linux_amd64.zip"));
    let listing = Command::new("unzip")
        .arg("-Z1")
        .arg(&zip)
        .output()
        .expect("unzip");
    assert_eq!(
        String::from_utf8_lossy(&listing.stdout).trim(),
        format!("terraform-provider-alicloud_v{PROVIDER_VERSION}")
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.path().join(format!("{name}_manifest.json"))).expect("manifest"),
    )
    .expect("manifest JSON");
    assert_eq!(
        manifest["metadata"]["protocol_versions"],
        serde_json::json!(["6.0"])
    );
    let check = Command::new("sha256sum")
        .args(["--check", &format!("{name}_SHA256SUMS")])
        .current_dir(dist.path())
        .output()
        .expect("sha256sum");
    assert!(check.status.success(), "{}", combined(&check));
    let sums = std::fs::read_to_string(dist.path().join(format!("{name}_SHA256SUMS"))).expect("sums");
    assert_eq!(sums.lines().count(), 2, "{sums}");
}
