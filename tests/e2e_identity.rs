//! Resource identity on Terraform 1.15.5: an invocation made in one working directory is
//! imported into another with `import { identity = {...} }` (with and without `region_id`),
//! the state records the identity, and the next plan is clean. The old ID form keeps working.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod support;

use support::{header, squash, Emulator, Workspace};

const DEPLOY: &str = "c-hz01emudeploy0001";
const LINUX_1: &str = "i-bp1emulinux000001";

fn resource() -> String {
    format!(
        "{}\nprovider \"alicloud\" {{}}\nresource \"alicloud_ecs_command_invocation\" \"deploy\" {{\n  \
         command_id = \"{DEPLOY}\"\n  instance_ids = [\"{LINUX_1}\"]\n}}\n",
        header()
    )
}

/// An invocation made through Terraform elsewhere; its InvokeId.
fn existing_invocation(emulator: &Emulator) -> String {
    let ws = Workspace::new(&resource())
        .against(emulator)
        .on_newest_terraform();
    ws.init();
    ws.ok(&["apply", "-auto-approve"]);
    let shown: serde_json::Value = serde_json::from_str(&ws.ok(&["show", "-json"])).unwrap();
    shown["values"]["root_module"]["resources"][0]["values"]["invoke_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn import_then_clean_plan(emulator: &Emulator, import_block: &str, invoke_id: &str) {
    let ws = Workspace::new(&format!("{}{import_block}", resource()))
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
    assert_eq!(instance["identity"]["invoke_id"], invoke_id, "{instance}");
    assert_eq!(instance["identity"]["region_id"], "cn-hangzhou", "{instance}");
    assert_eq!(instance["attributes"]["invoke_id"], invoke_id);
    let again = ws.ok(&["plan", "-detailed-exitcode"]);
    assert!(again.contains("No changes"), "{again}");
}

#[test]
fn import_by_identity_then_a_clean_plan() {
    let emulator = Emulator::start(&[]);
    let invoke_id = existing_invocation(&emulator);
    let full = format!(
        "import {{\n  to = alicloud_ecs_command_invocation.deploy\n  identity = {{\n    \
         region_id = \"cn-hangzhou\"\n    invoke_id = \"{invoke_id}\"\n  }}\n}}\n"
    );
    import_then_clean_plan(&emulator, &full, &invoke_id);
    // region_id is optional: the provider's region.
    let bare = format!(
        "import {{\n  to = alicloud_ecs_command_invocation.deploy\n  identity = {{\n    \
         invoke_id = \"{invoke_id}\"\n  }}\n}}\n"
    );
    import_then_clean_plan(&emulator, &bare, &invoke_id);
    // The ID forms still work, and now record the identity too.
    let by_id = format!(
        "import {{\n  to = alicloud_ecs_command_invocation.deploy\n  id = \"cn-hangzhou:{invoke_id}\"\n}}\n"
    );
    import_then_clean_plan(&emulator, &by_id, &invoke_id);
}

#[test]
fn a_malformed_identity_is_refused() {
    let emulator = Emulator::start(&[]);
    let block = "import {\n  to = alicloud_ecs_command_invocation.deploy\n  identity = {\n    \
                 invoke_id = \"not-an-invoke-id\"\n  }\n}\n";
    let ws = Workspace::new(&format!("{}{block}", resource()))
        .against(&emulator)
        .on_newest_terraform();
    ws.init();
    let refused = squash(&ws.fails(&["plan"]));
    assert!(refused.contains("Invalid import identity"), "{refused}");
    assert_eq!(emulator.invoke_counts(), (0, 0));
}
