//! What was created, as each side records it: the InvokeIds in Terraform's state, in the
//! emulator's state file, and the ones a diagnostic names for `terraform import`; plus the
//! configuration of many invocations the fault and load tests apply.

use std::collections::BTreeSet;
use std::path::Path;

use super::{header, Workspace};
use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1, LINUX_2};

pub const ADDRESS: &str = "alicloud_ecs_command_invocation.fleet";

/// A provider block with `provider_args`, and `count` invocations of the deploy command, each
/// with its own parameter value so every one is told apart by its arguments.
pub fn fleet(count: usize, provider_args: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{\n{provider_args}\n}}\n\
         resource \"alicloud_ecs_command_invocation\" \"fleet\" {{\n  count = {count}\n  \
         command_id = \"{DEPLOY}\"\n  instance_ids = [\"{LINUX_1}\", \"{LINUX_2}\"]\n  \
         parameters = {{ version = \"v${{count.index}}\", env = \"fault\" }}\n}}\n",
        header()
    )
}

/// The InvokeIds of every `alicloud_ecs_command_invocation` in the workspace's state.
pub fn state_ids(ws: &Workspace) -> Vec<String> {
    let out = ws
        .command(&["state", "pull"])
        .output()
        .expect("terraform state pull");
    assert!(out.status.success(), "state pull failed");
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return Vec::new();
    }
    let state: serde_json::Value = serde_json::from_str(&text).expect("state is JSON");
    let mut ids = Vec::new();
    for resource in state["resources"].as_array().into_iter().flatten() {
        if resource["type"] != "alicloud_ecs_command_invocation" {
            continue;
        }
        for instance in resource["instances"].as_array().into_iter().flatten() {
            if let Some(id) = instance["attributes"]["invoke_id"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

/// The first resource's object in `terraform show -json` (sensitive values included), and
/// whether the state marks it tainted.
pub fn resource(ws: &Workspace) -> (serde_json::Value, bool) {
    let shown: serde_json::Value = serde_json::from_str(&ws.ok(&["show", "-json"])).expect("show -json");
    let item = shown["values"]["root_module"]["resources"][0].clone();
    let tainted = item["tainted"].as_bool().unwrap_or(false);
    (item["values"].clone(), tainted)
}

/// The InvokeIds in an emulator state file (`--state FILE`); none before the first change.
pub fn emulator_ids(state_file: &Path) -> Vec<String> {
    if !state_file.exists() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(state_file).expect("emulator state file");
    let durable: serde_json::Value = serde_json::from_str(&text).expect("state file is JSON");
    durable["Invocations"]
        .as_array()
        .expect("Invocations")
        .iter()
        .map(|i| i["InvokeId"].as_str().expect("InvokeId").to_string())
        .collect()
}

/// The InvokeIds named by `terraform import ADDRESS REGION:t-...` lines of a diagnostic.
pub fn import_hints(text: &str) -> Vec<String> {
    text.split("terraform import ADDRESS ")
        .skip(1)
        .filter_map(|rest| {
            let id = rest.split_whitespace().next()?.split_once(':')?.1;
            id.starts_with("t-").then(|| id.to_string())
        })
        .collect()
}

/// `ids` without repeats, asserting there were none.
pub fn distinct(ids: &[String]) -> BTreeSet<String> {
    let set: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "an InvokeId appears twice: {ids:?}");
    set
}

/// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes.
pub fn plan_exit_code(ws: &Workspace) -> i32 {
    let out = ws.run(&["plan", "-detailed-exitcode", "-input=false"]);
    out.status.code().expect("exit code")
}
