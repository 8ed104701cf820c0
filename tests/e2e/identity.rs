//! Resource identity on Terraform 1.15.5: an invocation, and a command, made in one working
//! directory are imported into another with `import { identity = {...} }` (with and without
//! `region_id`), the state records the identity, and the next plan is clean. The old ID forms
//! keep working, and a malformed identity is refused with nothing made.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1};
use test_support::e2e::{header, squash, Emulator, Workspace};

fn invocation() -> String {
    format!(
        "{}\nprovider \"alicloud\" {{}}\nresource \"alicloud_ecs_command_invocation\" \"deploy\" {{\n  \
         command_id = \"{DEPLOY}\"\n  instance_ids = [\"{LINUX_1}\"]\n}}\n",
        header()
    )
}

fn command() -> String {
    format!(
        "{}\nprovider \"alicloud\" {{}}\nresource \"alicloud_ecs_command\" \"hello\" {{\n  \
         name = \"hello\"\n  type = \"RunShellScript\"\n  command_content = \"echo {{{{greeting}}}}\"\n}}\n",
        header()
    )
}

/// What one resource type's identity is made of.
struct Kind {
    config: fn() -> String,
    address: &'static str,
    /// The identity attribute holding the object's ID, and the state attribute that holds it.
    identity_id: &'static str,
    state_id: &'static str,
}

const INVOCATION: Kind = Kind {
    config: invocation,
    address: "alicloud_ecs_command_invocation.deploy",
    identity_id: "invoke_id",
    state_id: "invoke_id",
};

const COMMAND: Kind = Kind {
    config: command,
    address: "alicloud_ecs_command.hello",
    identity_id: "command_id",
    state_id: "id",
};

/// An object made through Terraform elsewhere; its ID.
fn existing(kind: &Kind, emulator: &Emulator) -> String {
    let ws = Workspace::new(&(kind.config)())
        .against(emulator)
        .on_newest_terraform();
    ws.init();
    ws.ok(&["apply", "-auto-approve"]);
    let shown: serde_json::Value = serde_json::from_str(&ws.ok(&["show", "-json"])).unwrap();
    shown["values"]["root_module"]["resources"][0]["values"][kind.state_id]
        .as_str()
        .unwrap()
        .to_string()
}

fn import_then_clean_plan(kind: &Kind, emulator: &Emulator, import_block: &str, id: &str) {
    let ws = Workspace::new(&format!("{}{import_block}", (kind.config)()))
        .against(emulator)
        .on_newest_terraform();
    ws.init();
    let plan = squash(&ws.ok(&["plan"]));
    assert!(
        plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "{plan}"
    );
    ws.ok(&["apply", "-auto-approve"]);
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.dir.path().join("terraform.tfstate")).unwrap())
            .unwrap();
    let instance = &state["resources"][0]["instances"][0];
    assert_eq!(instance["identity"][kind.identity_id], id, "{instance}");
    assert_eq!(instance["identity"]["region_id"], "cn-hangzhou", "{instance}");
    assert_eq!(instance["attributes"][kind.state_id], id);
    let again = ws.ok(&["plan", "-detailed-exitcode"]);
    assert!(again.contains("No changes"), "{again}");
}

/// Imports `kind`'s existing object by its full identity, by its ID alone (`region_id` is
/// optional: the provider's region) and by the `REGION:ID` form.
fn every_import_form(kind: &Kind) {
    let emulator = Emulator::start(&[]);
    let id = existing(kind, &emulator);
    let (to, field) = (kind.address, kind.identity_id);
    let full = format!(
        "import {{\n  to = {to}\n  identity = {{\n    region_id = \"cn-hangzhou\"\n    {field} = \"{id}\"\n  }}\n}}\n"
    );
    import_then_clean_plan(kind, &emulator, &full, &id);
    let bare = format!("import {{\n  to = {to}\n  identity = {{\n    {field} = \"{id}\"\n  }}\n}}\n");
    import_then_clean_plan(kind, &emulator, &bare, &id);
    // The ID forms still work, and now record the identity too.
    let by_id = format!("import {{\n  to = {to}\n  id = \"cn-hangzhou:{id}\"\n}}\n");
    import_then_clean_plan(kind, &emulator, &by_id, &id);
}

#[test]
fn an_invocation_imports_by_identity_then_plans_clean() {
    every_import_form(&INVOCATION);
}

#[test]
fn a_command_imports_by_identity_then_plans_clean() {
    every_import_form(&COMMAND);
}

#[test]
fn a_malformed_identity_is_refused() {
    let emulator = Emulator::start(&[]);
    for (kind, bad) in [(&INVOCATION, "not-an-invoke-id"), (&COMMAND, "t-notacommand")] {
        let block = format!(
            "import {{\n  to = {}\n  identity = {{\n    {} = \"{bad}\"\n  }}\n}}\n",
            kind.address, kind.identity_id
        );
        let ws = Workspace::new(&format!("{}{block}", (kind.config)()))
            .against(&emulator)
            .on_newest_terraform();
        ws.init();
        let refused = squash(&ws.fails(&["plan"]));
        assert!(refused.contains("Invalid import identity"), "{refused}");
    }
    assert_eq!(emulator.invoke_counts(), (0, 0));
    assert_eq!(emulator.action_count("CreateCommand"), 0);
}
