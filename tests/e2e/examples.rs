//! Every configuration under `examples/` works as shipped: on Terraform 1.15.5 (the newest
//! features some of them show need it) against the emulator, `init`, `apply`, each action of
//! the example invoked, a clean plan, and `destroy`. An example that drifts from the provider
//! fails here, not in a user's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::path::Path;

use test_support::e2e::{Emulator, Workspace};

/// The `action "alicloud_ecs_run_command" "NAME"` blocks of `main`.
fn actions(main: &str) -> Vec<String> {
    main.lines()
        .filter_map(|line| line.strip_prefix("action \"alicloud_ecs_run_command\" \""))
        .filter_map(|rest| rest.split('"').next())
        .map(|name| format!("action.alicloud_ecs_run_command.{name}"))
        .collect()
}

#[test]
fn every_example_applies_plans_clean_and_destroys() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    let emulator = Emulator::start(&["--run-delay-ms", "100"]);
    for name in names {
        let main = std::fs::read_to_string(root.join(&name).join("main.tf")).unwrap();
        let ws = Workspace::new(&main).against(&emulator).on_newest_terraform();
        ws.init();
        ws.ok(&["apply", "-auto-approve", "-input=false"]);
        for action in actions(&main) {
            let out = ws.ok(&[
                "apply",
                "-auto-approve",
                "-input=false",
                &format!("-invoke={action}"),
            ]);
            assert!(out.contains("succeeded"), "{name}: {action}: {out}");
        }
        let plan = ws.ok(&["plan", "-input=false", "-detailed-exitcode"]);
        assert!(plan.contains("No changes"), "{name}: {plan}");
        ws.ok(&["destroy", "-auto-approve", "-input=false"]);
    }
}
