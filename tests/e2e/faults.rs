//! Faults under the real Terraform CLI: answers lost after the work was done, connections
//! dropped, throttling bursts, answers slower than the read timeout, the emulator restarted
//! in the middle of an apply, and Terraform interrupted with SIGINT. After each, the
//! invocations the emulator holds are exactly the ones in Terraform's state (none duplicated,
//! none lost): a create whose outcome stayed unknown adopts its one match, or the error names
//! the ones to import.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::thread::sleep;
use std::time::Duration;

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1};
use test_support::e2e::records::{
    distinct, emulator_ids, fleet, import_hints, plan_exit_code, resource, state_ids, ADDRESS,
};
use test_support::e2e::{header, squash, Emulator, Workspace};
use test_support::wait;

/// Short timeouts keep the unknown-outcome cases fast.
const QUICK: &str = "  client_read_timeout = 1000\n  max_retry_timeout = 3";

struct Run {
    emulator: Emulator,
    ws: Workspace,
    state_file: tempfile::TempDir,
}

impl Run {
    /// An emulator with a state file and `faults`, and a workspace applying `count`
    /// invocations with `provider_args`.
    fn new(count: usize, provider_args: &str, faults: &[&str]) -> Run {
        let state_file = tempfile::tempdir().expect("temp dir");
        let args = with_state(&state_file, faults);
        let emulator = Emulator::start(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let ws = Workspace::new(&fleet(count, provider_args)).against(&emulator);
        ws.init();
        Run {
            emulator,
            ws,
            state_file,
        }
    }

    fn created(&self) -> Vec<String> {
        emulator_ids(&self.state_file.path().join("state.json"))
    }

    /// Every invocation the emulator holds is in state once, and there are `count` of them.
    fn assert_exact(&self, count: usize) {
        let in_state = distinct(&state_ids(&self.ws));
        let created = distinct(&self.created());
        assert_eq!(in_state, created, "state and emulator disagree");
        assert_eq!(created.len(), count);
        assert_eq!(
            plan_exit_code(&self.ws),
            0,
            "a plan after the faults shows no changes"
        );
    }

    fn apply(&self) -> String {
        self.ws.ok(&["apply", "-auto-approve", "-input=false"])
    }

    /// `terraform apply` in the background, in a process group of its own (as a terminal
    /// starts it), its output going to a file.
    fn spawn_apply(&self) -> (Child, File) {
        let log = tempfile::tempfile().expect("output file");
        let child = self
            .ws
            .command(&["apply", "-auto-approve", "-input=false", "-no-color"])
            .process_group(0)
            .stdout(Stdio::from(log.try_clone().expect("clone")))
            .stderr(Stdio::from(log.try_clone().expect("clone")))
            .spawn()
            .expect("start terraform apply");
        (child, log)
    }

    fn stats(&self, key: &str) -> u64 {
        self.emulator.admin_get("/_emulator/stats")[key]
            .as_u64()
            .unwrap_or(0)
    }
}

fn with_state(dir: &tempfile::TempDir, faults: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--state".to_string(),
        dir.path().join("state.json").display().to_string(),
        "--run-delay-ms".to_string(),
        "100".to_string(),
    ];
    args.extend(faults.iter().map(|s| s.to_string()));
    args
}

fn read_all(mut file: File) -> String {
    use std::io::{Read, Seek};
    let mut text = String::new();
    file.rewind().expect("rewind");
    file.read_to_string(&mut text).expect("read output");
    text
}

#[test]
fn lost_answers_after_commit_are_replayed_not_run_again() {
    let run = Run::new(4, "", &["--lost-response", "3@InvokeCommand"]);
    run.apply();
    assert_eq!(run.stats("lost_responses"), 3);
    assert_eq!(
        run.stats("idempotent_replays"),
        3,
        "each retry reused its ClientToken"
    );
    assert_eq!(run.stats("invoke_command_calls"), 7);
    run.assert_exact(4);
}

#[test]
fn dropped_connections_are_replayed_not_run_again() {
    let run = Run::new(4, "", &["--drop-connection", "3@InvokeCommand"]);
    run.apply();
    assert_eq!(run.stats("dropped_connections"), 3);
    assert_eq!(run.stats("idempotent_replays"), 3);
    run.assert_exact(4);
}

#[test]
fn a_throttling_burst_is_ridden_out() {
    let run = Run::new(8, "", &["--throttle", "16@InvokeCommand"]);
    run.apply();
    assert_eq!(run.stats("throttled"), 16);
    assert_eq!(run.stats("idempotent_replays"), 0, "a throttled call did nothing");
    run.assert_exact(8);
}

/// Answers slower than `client_read_timeout`: each attempt is abandoned after the emulator
/// did the work, and the retries carry the same ClientToken; once answers are fast again the
/// retry gets the first attempt's InvokeId.
#[test]
fn answers_slower_than_the_read_timeout_are_replayed() {
    let run = Run::new(
        1,
        "  client_read_timeout = 500\n  max_retry_timeout = 60",
        &["--latency-ms", "1500@InvokeCommand"],
    );
    let (mut child, log) = run.spawn_apply();
    wait::until(
        "a retry of the slow InvokeCommand",
        Duration::from_secs(30),
        || run.stats("idempotent_replays") >= 1,
    );
    run.emulator.admin_post("/_emulator/faults", "{}");
    let status = child.wait().expect("terraform apply");
    let out = read_all(log);
    assert!(status.success(), "{out}");
    assert_eq!(run.stats("invocations_created"), 1);
    run.assert_exact(1);
}

/// When every attempt fails after the request may have taken effect, the one invocation with
/// the resource's arguments is adopted: the apply succeeds with a warning naming it, waits for
/// it, and the next apply (the faults still on) runs nothing.
#[test]
fn unknown_outcome_adopts_the_one_match_and_never_runs_it_again() {
    for faults in [
        ["--lost-response", "100@InvokeCommand"],
        ["--drop-connection", "100@InvokeCommand"],
        ["--latency-ms", "5000@InvokeCommand"],
    ] {
        let run = Run::new(1, QUICK, &faults);
        let out = squash(&run.apply());
        let created = run.created();
        assert_eq!(
            created.len(),
            1,
            "{faults:?}: one invocation, however many attempts"
        );
        assert!(
            out.contains("Warning: InvokeCommand outcome unknown: invocation adopted"),
            "{faults:?}: {out}"
        );
        assert!(
            out.contains(&format!("invocation {} is the only one", created[0])),
            "{faults:?}: {out}"
        );
        assert!(out.contains(&format!("with {ADDRESS}[0]")), "{faults:?}: {out}");
        assert!(out.contains("terraform state rm ADDRESS"), "{faults:?}: {out}");
        assert_eq!(state_ids(&run.ws), created, "{faults:?}");
        let (values, tainted) = resource(&run.ws);
        assert!(!tainted, "{faults:?}");
        assert_eq!(values["invocation_status"], "Success", "{faults:?}: waited on");
        assert_eq!(values["results"].as_array().map(Vec::len), Some(2), "{faults:?}");

        let again = run.apply();
        assert!(!again.contains("Warning"), "{faults:?}: {again}");
        assert_eq!(run.stats("invocations_created"), 1, "{faults:?}");
        run.assert_exact(1);
    }
}

/// An identical invocation created moments earlier (here: a resource's, then forgotten with
/// `terraform state rm`) makes two matches: neither is adopted, both are named for import.
#[test]
fn unknown_outcome_with_several_matches_adopts_none() {
    let run = Run::new(1, QUICK, &[]);
    run.apply();
    let address = format!("{ADDRESS}[0]");
    run.ws.ok(&["state", "rm", &address]);
    run.emulator.admin_post(
        "/_emulator/faults",
        r#"{"lost_response":{"count":100,"action":"InvokeCommand"}}"#,
    );
    let out = squash(&run.ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Error: InvokeCommand outcome unknown"), "{out}");
    assert!(out.contains("2 of the invocations"), "{out}");
    assert!(!out.contains("invocation adopted"), "{out}");
    let created = run.created();
    assert_eq!(created.len(), 2);
    assert_eq!(distinct(&import_hints(&out)), distinct(&created), "{out}");
    assert!(state_ids(&run.ws).is_empty());
}

/// Every attempt fails with a 5xx that may hide a success, yet nothing was created: the error
/// says the command did not run.
#[test]
fn unknown_outcome_with_no_match_says_nothing_ran() {
    let run = Run::new(1, QUICK, &["--dispatch-error", "100"]);
    let out = squash(&run.ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Error: InvokeCommand outcome unknown"), "{out}");
    assert!(
        out.contains("the command did not run, and applying again is safe"),
        "{out}"
    );
    assert!(import_hints(&out).is_empty(), "{out}");
    assert!(run.created().is_empty());
    assert!(state_ids(&run.ws).is_empty());
    run.emulator.admin_post("/_emulator/faults", "{}");
    run.apply();
    run.assert_exact(1);
}

/// Throttled to the end: nothing was created, and the error says so and that applying again
/// is safe, without looking for an invocation to import.
#[test]
fn throttled_to_the_end_says_nothing_ran() {
    let run = Run::new(1, QUICK, &["--throttle", "100@InvokeCommand"]);
    let out = squash(&run.ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("InvokeCommand throttled: nothing ran"), "{out}");
    assert!(out.contains("Applying again later is safe"), "{out}");
    assert!(!out.contains("outcome unknown"), "{out}");
    assert!(import_hints(&out).is_empty(), "{out}");
    assert!(run.created().is_empty());
    run.emulator.admin_post("/_emulator/faults", "{}");
    run.apply();
    run.assert_exact(1);
}

/// `a` exists; an identical `b` is throttled until the retries run out. Nothing ran for `b`,
/// so the error must not offer `a`'s invocation for import as `b`'s.
#[test]
fn a_throttled_create_is_not_offered_another_resources_invocation() {
    let run = Run::new(1, QUICK, &[]);
    let twin = |name: &str| {
        format!(
            "resource \"alicloud_ecs_command_invocation\" \"{name}\" {{\n  command_id = \"{DEPLOY}\"\n  \
             instance_ids = [\"{LINUX_1}\"]\n  parameters = {{ version = \"1\", env = \"twin\" }}\n}}\n"
        )
    };
    let provider = format!("provider \"alicloud\" {{\n{QUICK}\n}}\n");
    run.ws
        .write("main.tf", &format!("{}{provider}{}", header(), twin("a")));
    run.apply();
    let held = state_ids(&run.ws);
    assert_eq!(held.len(), 1);

    run.ws.write(
        "main.tf",
        &format!("{}{provider}{}{}", header(), twin("a"), twin("b")),
    );
    run.emulator.admin_post(
        "/_emulator/faults",
        r#"{"throttle":{"count":1000,"action":"InvokeCommand"}}"#,
    );
    let out = squash(&run.ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("nothing ran"), "{out}");
    assert!(!out.contains("did take effect"), "{out}");
    assert!(import_hints(&out).is_empty(), "{out}");
    let error = out.split_once("Error:").map_or("", |(_, e)| e);
    assert!(!error.contains(&held[0]), "a's InvokeId offered for b: {out}");
    assert_eq!(run.created(), held, "only a's invocation exists");
}

/// The emulator is killed while Terraform applies 30 invocations and restarted on the same
/// port from its state file: the retries reach the new process with the same ClientTokens.
#[test]
fn emulator_restarted_mid_apply() {
    let mut run = Run::new(30, "", &["--latency-ms", "300@InvokeCommand"]);
    let port = run
        .emulator
        .endpoint
        .rsplit(':')
        .next()
        .expect("port")
        .to_string();
    let (mut child, log) = run.spawn_apply();
    wait::until("some invocations", Duration::from_secs(60), || {
        run.stats("invocations_created") >= 5
    });
    let args = with_state(&run.state_file, &["--latency-ms", "300@InvokeCommand"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run.emulator.kill();
    sleep(Duration::from_millis(300));
    run.emulator = Emulator::start_on(&format!("127.0.0.1:{port}"), &args);
    let status = child.wait().expect("terraform apply");
    let out = read_all(log);
    assert!(status.success(), "{out}");
    run.assert_exact(30);
}

/// Ctrl-C (SIGINT to Terraform's process group) while 20 invocations are being created: Terraform stops gracefully, every
/// invocation the emulator made is in state (a create already sent is settled, not
/// abandoned), and the next apply creates exactly the rest.
#[test]
fn interrupted_apply_loses_no_invocation() {
    let run = Run::new(20, "", &["--latency-ms", "400@InvokeCommand"]);
    let (mut child, log) = run.spawn_apply();
    wait::until("invocations in flight", Duration::from_secs(60), || {
        run.stats("invoke_command_calls") >= 3
    });
    // Ctrl-C in a terminal signals the whole foreground group: Terraform (and, for 1.0, the
    // panicwrap parent that re-runs it as a child) and the provider processes.
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let status = child.wait().expect("terraform apply");
    let out = read_all(log);
    assert!(
        !status.success(),
        "the interrupted apply reports it stopped: {out}"
    );
    let in_state = distinct(&state_ids(&run.ws));
    let created = distinct(&run.created());
    assert!(
        !created.is_empty() && created.len() < 20,
        "the interrupt came mid-apply: {created:?}"
    );
    assert_eq!(in_state, created, "every created invocation is in state:\n{out}");
    run.apply();
    run.assert_exact(20);
}

/// The timeout arguments are checked by `terraform validate`, each on its own line.
#[test]
fn timeout_arguments_are_validated() {
    let ws = Workspace::new(&fleet(
        1,
        "  client_read_timeout = 50\n  client_connect_timeout = 1.5\n  max_retry_timeout = 7200",
    ));
    ws.init();
    let out = squash(&ws.fails(&["validate"]));
    for expected in [
        "`client_read_timeout` must be a whole number from 100 to 600000; got 50.",
        "`client_connect_timeout` must be a whole number from 100 to 600000; got 1.5.",
        "`max_retry_timeout` must be a whole number from 1 to 3600; got 7200.",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
}
