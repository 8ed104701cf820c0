//! Parallel load: 200 invocations in one configuration, applied with Terraform's default
//! parallelism (10) while the emulator throttles 30% of all requests. Nothing is duplicated
//! or lost, and the next plan shows no changes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::time::Instant;

use test_support::e2e::records::{distinct, emulator_ids, fleet, plan_exit_code, state_ids};
use test_support::e2e::{Emulator, Workspace};

const COUNT: usize = 200;

#[test]
fn two_hundred_invocations_under_throttling() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state_file = dir.path().join("state.json");
    let emulator = Emulator::start(&[
        "--state",
        state_file.to_str().expect("path"),
        "--throttle-fraction",
        "0.3",
        "--run-delay-ms",
        "100",
    ]);
    let ws = Workspace::new(&fleet(COUNT, "")).against(&emulator);
    ws.init();

    let started = Instant::now();
    let out = ws.ok(&["apply", "-auto-approve", "-input=false"]);
    let apply_time = started.elapsed();
    assert!(out.contains(&format!("{COUNT} added")), "{out}");

    let stats = emulator.admin_get("/_emulator/stats");
    let in_state = distinct(&state_ids(&ws));
    let created = distinct(&emulator_ids(&state_file));
    assert_eq!(in_state.len(), COUNT);
    assert_eq!(in_state, created, "every invocation made is in state, once");
    assert_eq!(stats["invocations_created"], COUNT as u64);
    assert!(
        stats["throttled"].as_u64().unwrap_or(0) > 50,
        "throttling was in force: {stats}"
    );

    let started = Instant::now();
    assert_eq!(plan_exit_code(&ws), 0, "the next plan shows no changes");
    let plan_time = started.elapsed();
    let stats = emulator.admin_get("/_emulator/stats");
    assert_eq!(stats["invocations_created"], COUNT as u64);
    // Figures for docs/reliability.md (shown with --nocapture).
    println!(
        "load: {COUNT} created in {apply_time:?} (apply), plan after it {plan_time:?}; \
         requests {}, throttled {}, InvokeCommand calls {}",
        stats["requests"], stats["throttled"], stats["invoke_command_calls"]
    );
}
