//! End to end with the real Terraform CLI: apply waits for the invocation and stores
//! `results`; a failing instance fails the apply (tainted, InvokeId in state, no parameter
//! value in the message, not even a line of a multi-line one; a one-character value leaves
//! the message alone; a long output quoted bounded) unless `on_failure = "continue"`;
//! `wait_for_completion = false`; the create timeout; progress that cannot be read; Ctrl-C
//! while waiting (and the failure that followed, reported by the next plan and apply until
//! run again or accepted); throttled and lost polls; a record listed late, never listed, or
//! expiring while waiting; a periodic invocation; one watcher batching the polls of many
//! invocations; secrets absent from `TF_LOG=trace`; a version 0 state upgrading without a diff;
//! exit codes and statuses shown and used in outputs as they are, `output` alone sensitive,
//! and a state written while `results` was sensitive as a whole read with no re-run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1, LINUX_2};
use test_support::e2e::records::{resource, state_ids};
use test_support::e2e::secrets::{assert_no_key_line, printing_the_key, PEM};
use test_support::e2e::{header, squash, Emulator, Workspace};
use test_support::wait;

/// A parameter value the command echoes: it must never be shown.
const SECRET: &str = "s3cr3t-v4lue";

fn config(extra: &str) -> String {
    config_with_version(&format!("{SECRET:?}"), extra)
}

/// The configuration with `version` given as the HCL string `version`.
fn config_with_version(version: &str, extra: &str) -> String {
    format!(
        "{}\nprovider \"alicloud\" {{}}\n\
         resource \"alicloud_ecs_command_invocation\" \"run\" {{\n  command_id = \"{DEPLOY}\"\n  \
         instance_ids = [\"{LINUX_1}\", \"{LINUX_2}\"]\n  parameters = {{ version = {version}, env = \"staging\" }}\n{extra}}}\n",
        header()
    )
}

fn workspace(emulator: &Emulator, extra: &str) -> Workspace {
    workspace_of(emulator, &config(extra))
}

fn workspace_of(emulator: &Emulator, main_tf: &str) -> Workspace {
    let ws = Workspace::new(main_tf).against(emulator);
    ws.init();
    ws
}

fn apply(ws: &Workspace) -> String {
    ws.ok(&["apply", "-auto-approve", "-input=false"])
}

fn result_of<'a>(values: &'a serde_json::Value, instance: &str) -> &'a serde_json::Value {
    values["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["instance_id"] == instance)
        .expect("a result per instance")
}

fn outcome(instance: &str, spec: &str) -> String {
    format!("{instance}:{spec}")
}

#[test]
fn success_on_all_instances_stores_decoded_results() {
    let echo = outcome(LINUX_1, "exit=0,output=deployed fine");
    let emulator = Emulator::start(&["--run-delay-ms", "800", "--instance-outcome", &echo]);
    let ws = workspace(&emulator, "");
    apply(&ws);
    let (values, tainted) = resource(&ws);
    assert!(!tainted);
    assert_eq!(values["invocation_status"], "Success");
    let first = result_of(&values, LINUX_1);
    assert_eq!(first["output"], "deployed fine", "decoded from Base64: {first}");
    assert_eq!(first["exit_code"], 0);
    assert_eq!(result_of(&values, LINUX_2)["invocation_status"], "Success");
    let state = ws.ok(&["state", "show", "alicloud_ecs_command_invocation.run"]);
    assert!(
        state.contains("results") && state.contains("sensitive"),
        "{state}"
    );
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(
        !plan.contains("must be replaced") && !plan.contains("will be updated"),
        "{plan}"
    );
}

#[test]
fn a_failing_instance_fails_the_apply_keeps_it_tainted_and_the_next_plan_replaces_it() {
    let fail = outcome(
        LINUX_2,
        &format!("exit=3,output=line one\nusing {SECRET}\nfatal: disk full"),
    );
    let emulator = Emulator::start(&["--run-delay-ms", "300", "--instance-outcome", &fail]);
    let ws = workspace(&emulator, "");
    let out = ws.fails(&["apply", "-auto-approve", "-input=false"]);
    let text = squash(&out);
    assert!(text.contains("Command failed on 1 of 2 instances"), "{out}");
    assert!(
        text.contains(&format!("{LINUX_2}: status Failed, exit code 3")),
        "{out}"
    );
    assert!(text.contains("fatal: disk full"), "the output tail: {out}");
    assert!(
        !text.contains(&format!("{LINUX_1}: status")),
        "only failed instances: {out}"
    );
    assert!(!out.contains(SECRET), "a parameter value was shown: {out}");
    assert!(text.contains("using <redacted>"), "{out}");
    let (values, tainted) = resource(&ws);
    assert!(tainted, "the failed invocation is tainted");
    assert!(values["invoke_id"].as_str().unwrap().starts_with("t-"));
    assert_eq!(result_of(&values, LINUX_2)["exit_code"], 3);
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(plan.contains("is tainted, so must be replaced"), "{plan}");
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

#[test]
fn on_failure_continue_keeps_the_apply_green_and_untainted() {
    let fail = outcome(LINUX_2, "exit=3,output=nope");
    let emulator = Emulator::start(&["--run-delay-ms", "300", "--instance-outcome", &fail]);
    let ws = workspace(&emulator, "  on_failure = \"continue\"\n");
    let out = apply(&ws);
    assert!(
        squash(&out).contains("Command failed on 1 of 2 instances"),
        "a warning: {out}"
    );
    let (values, tainted) = resource(&ws);
    assert!(!tainted);
    assert_eq!(values["invocation_status"], "PartialFailed");
    assert_eq!(result_of(&values, LINUX_2)["exit_code"], 3);
}

#[test]
fn a_multi_line_secret_shows_no_line_in_the_failure_tail() {
    for (extra, fails) in [("", true), ("  on_failure = \"continue\"\n", false)] {
        let emulator = Emulator::start(&[
            "--run-delay-ms",
            "300",
            "--instance-outcome",
            &printing_the_key(LINUX_2),
        ]);
        let ws = workspace_of(&emulator, &config_with_version(&format!("{PEM:?}"), extra));
        let out = if fails {
            ws.fails(&["apply", "-auto-approve", "-input=false"])
        } else {
            apply(&ws)
        };
        let text = squash(&out);
        assert!(text.contains("Command failed on 1 of 2 instances"), "{out}");
        assert!(text.contains("fatal: key rejected"), "the tail: {out}");
        assert_no_key_line("the apply's output", &out);
    }
}

#[test]
fn a_one_character_value_leaves_the_invoke_id_and_the_message_intact() {
    let fail = outcome(LINUX_2, "exit=3,output=version e is not deployable");
    let emulator = Emulator::start(&["--run-delay-ms", "300", "--instance-outcome", &fail]);
    let ws = workspace_of(&emulator, &config_with_version("\"e\"", ""));
    let text = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    let (values, _) = resource(&ws);
    let invoke_id = values["invoke_id"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "Invocation {invoke_id} finished with 1 of 2 instances failed (overall status PartialFailed)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{LINUX_2}: status Failed, exit code 3")),
        "{text}"
    );
    assert!(text.contains("version <redacted> is not deployable"), "{text}");
}

#[test]
fn a_long_output_is_quoted_bounded_and_the_later_bytes_are_said_dropped() {
    let fail = outcome(LINUX_2, "exit=1,output-bytes=30000,output=x");
    let emulator = Emulator::start(&["--run-delay-ms", "300", "--instance-outcome", &fail]);
    let ws = workspace(&emulator, "");
    let out = ws.fails(&["apply", "-auto-approve", "-input=false"]);
    assert!(
        !out.contains(&"x".repeat(2_100)),
        "at most 2 KB of output quoted: {out}"
    );
    let text = squash(&out);
    assert!(text.contains("last 2048 bytes of output"), "{out}");
    assert!(
        text.contains("(5424 later bytes dropped: the API keeps only the first 24 KB of output)"),
        "{out}"
    );
    let (values, _) = resource(&ws);
    assert_eq!(result_of(&values, LINUX_2)["dropped"], 5424);
}

#[test]
fn without_waiting_apply_returns_while_the_command_runs() {
    let emulator = Emulator::start(&["--run-delay-ms", "600000"]);
    let ws = workspace(&emulator, "  wait_for_completion = false\n");
    apply(&ws);
    let (values, _) = resource(&ws);
    let status = values["invocation_status"].as_str().unwrap();
    assert!(["Pending", "Running"].contains(&status), "{status}");
    // The API answers exit code 0 for a run not over yet; results do not pass that on.
    for result in values["results"].as_array().unwrap() {
        assert!(result["exit_code"].is_null(), "{result}");
    }
}

#[test]
fn a_command_outliving_the_create_timeout_fails_with_its_invoke_id_in_state() {
    let emulator = Emulator::start(&["--run-delay-ms", "600000"]);
    let ws = workspace(&emulator, "  timeouts {\n    create = \"3s\"\n  }\n");
    let out = ws.fails(&["apply", "-auto-approve", "-input=false"]);
    let text = squash(&out);
    assert!(text.contains("Timed out waiting for the invocation"), "{out}");
    assert!(text.contains("may still be running"), "{out}");
    assert!(text.contains("StopInvocation"), "{out}");
    let (values, _) = resource(&ws);
    let id = values["invoke_id"].as_str().unwrap().to_string();
    assert!(text.contains(&id), "{out}");
}

/// Progress that cannot be read (every read throttled past the client's retries): the apply
/// fails at once, saying why, with the InvokeId in state, and nothing is started again.
#[test]
fn progress_that_cannot_be_read_fails_the_apply_with_the_invoke_id() {
    let emulator = Emulator::start(&[
        "--run-delay-ms",
        "600000",
        "--throttle",
        "100000@DescribeInvocations",
    ]);
    let main = config("").replace(
        "provider \"alicloud\" {}",
        "provider \"alicloud\" {\n  max_retry_timeout = 1\n}",
    );
    let ws = Workspace::new(&main).against(&emulator);
    ws.init();
    let started = Instant::now();
    let out = ws.fails(&["apply", "-auto-approve", "-input=false"]);
    let text = squash(&out);
    assert!(text.contains("Cannot follow the invocation"), "{out}");
    assert!(
        text.contains("cannot be read") && text.contains("Throttling"),
        "{out}"
    );
    assert!(
        text.contains("may still be running") && text.contains("StopInvocation"),
        "{out}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "failed at once, not at the create timeout"
    );
    let (values, tainted) = resource(&ws);
    assert!(text.contains(values["invoke_id"].as_str().unwrap()), "{out}");
    assert!(tainted);
    assert_eq!(emulator.action_count("InvokeCommand"), 1);
}

/// `terraform apply` interrupted with Ctrl-C (SIGINT to its process group, as a terminal
/// sends it) once the create waits for its invocation; the interrupted apply fails.
fn interrupt_while_waiting(ws: &Workspace, emulator: &Emulator) {
    let log = tempfile::tempfile().unwrap();
    let mut child = ws
        .command(&["apply", "-auto-approve", "-input=false", "-no-color"])
        .process_group(0)
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log.try_clone().unwrap()))
        .spawn()
        .unwrap();
    // The create reads its invocation's progress only once it waits for it.
    wait::until("the create to wait on its run", Duration::from_secs(60), || {
        emulator.action_count("DescribeInvocations") >= 1
    });
    let sent = std::process::Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(!child.wait().unwrap().success());
}

/// Moves the emulator's clock past every run the tests start.
fn finish_runs(emulator: &Emulator) {
    emulator.admin_post("/_emulator/clock", r#"{"AdvanceMs": 700000}"#);
}

#[test]
fn ctrl_c_while_waiting_keeps_the_invoke_id_and_runs_nothing_twice() {
    let emulator = Emulator::start(&["--run-delay-ms", "600000"]);
    let ws = workspace(&emulator, "");
    interrupt_while_waiting(&ws, &emulator);
    assert_eq!(state_ids(&ws).len(), 1, "the InvokeId is in state");
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(
        !plan.contains("must be replaced") && !plan.contains("will be created"),
        "{plan}"
    );
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

/// The private state Terraform keeps beside the invocation (Base64), if any.
fn private_state(ws: &Workspace) -> Option<String> {
    let pulled: serde_json::Value = serde_json::from_str(&ws.ok(&["state", "pull"])).unwrap();
    pulled["resources"][0]["instances"][0]["private"]
        .as_str()
        .map(str::to_string)
}

/// Ctrl-C while waiting, then every instance succeeds: the owed verdict is kept in private
/// state until a refresh sees the run end, then dropped with nothing said.
#[test]
fn a_success_after_ctrl_c_is_silent_and_owes_nothing_after_the_next_refresh() {
    let emulator = Emulator::start(&["--run-delay-ms", "600000"]);
    let ws = workspace(&emulator, LONG_TIMEOUT);
    interrupt_while_waiting(&ws, &emulator);
    assert!(private_state(&ws).is_some(), "the verdict is owed");
    finish_runs(&emulator);
    let out = ws.ok(&["apply", "-refresh-only", "-auto-approve", "-input=false"]);
    assert!(!out.contains("Command failed"), "{out}");
    assert_eq!(private_state(&ws), None, "nothing owed any more");
    assert_eq!(resource(&ws).0["invocation_status"], "Success");
}

const ADDRESS: &str = "alicloud_ecs_command_invocation.run";
/// Instance 2 fails 10 minutes in, echoing the secret parameter; `timeout` lets it run that long.
fn slow_failure() -> String {
    outcome(
        LINUX_2,
        &format!("exit=1,run-ms=600000,output=using {SECRET}\nfatal: disk full"),
    )
}
const LONG_TIMEOUT: &str = "  timeout = 3600\n";

/// The failure report of the run, as plan and apply show it, without the parameter value.
fn assert_reports_the_failure(out: &str) {
    let text = squash(out);
    assert!(text.contains("Command failed on 1 of 2 instances"), "{out}");
    assert!(
        text.contains(&format!("{LINUX_2}: status Failed, exit code 1")),
        "{out}"
    );
    assert!(text.contains("fatal: disk full"), "the output tail: {out}");
    assert!(!out.contains(SECRET), "a parameter value was shown: {out}");
}

/// Ctrl-C while waiting, then the command fails: the failure is not lost. Every plan and
/// apply stops with the report and the ways out, until the user runs it again (taint) or
/// accepts it (`on_failure = "continue"`: a warning, then silence). Nothing runs twice.
#[test]
fn a_failure_after_ctrl_c_stops_the_next_plan_until_run_again_or_accepted() {
    let emulator = Emulator::start(&["--instance-outcome", &slow_failure()]);
    let ws = workspace(&emulator, LONG_TIMEOUT);
    interrupt_while_waiting(&ws, &emulator);
    assert!(!resource(&ws).1, "interrupted, not tainted");
    finish_runs(&emulator);
    for command in [
        &["plan", "-input=false"][..],
        &["apply", "-auto-approve", "-input=false"],
    ] {
        let out = ws.fails(command);
        assert_reports_the_failure(&out);
        let text = squash(&out);
        assert!(text.contains("interrupted while waiting"), "{out}");
        assert!(
            text.contains("`terraform taint ADDRESS`"),
            "how to run it again: {out}"
        );
        assert!(
            text.contains("set `on_failure = \"continue\"` and apply"),
            "how to accept it: {out}"
        );
    }
    ws.ok(&["taint", ADDRESS]);
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(plan.contains("must be replaced"), "run again: {plan}");
    ws.ok(&["untaint", ADDRESS]);
    // Terraform plans the configuration before a destroy; without that refresh, it goes.
    let plan = ws.ok(&["plan", "-destroy", "-refresh=false", "-input=false"]);
    assert!(plan.contains("will be destroyed"), "{plan}");

    ws.write(
        "main.tf",
        &config(&format!("{LONG_TIMEOUT}  on_failure = \"continue\"\n")),
    );
    let out = apply(&ws);
    assert_reports_the_failure(&out);
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(!plan.contains("Command failed"), "accepted once: {plan}");
    assert_eq!(emulator.invoke_counts(), (1, 1), "nothing ran again");
}

/// The same under `on_failure = "continue"`: the next plan and apply warn, then it is told.
#[test]
fn a_failure_after_ctrl_c_under_continue_is_a_warning_once() {
    let emulator = Emulator::start(&["--instance-outcome", &slow_failure()]);
    let ws = workspace(&emulator, &format!("{LONG_TIMEOUT}  on_failure = \"continue\"\n"));
    interrupt_while_waiting(&ws, &emulator);
    finish_runs(&emulator);
    assert_reports_the_failure(&ws.ok(&["plan", "-input=false"]));
    assert_reports_the_failure(&apply(&ws));
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(!plan.contains("Command failed"), "told once: {plan}");
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

#[test]
fn throttled_and_lost_polls_are_retried() {
    let emulator = Emulator::start(&[
        "--run-delay-ms",
        "1000",
        "--throttle",
        "3@DescribeInvocations",
        "--lost-response",
        "2@DescribeInvocations",
    ]);
    let ws = workspace(&emulator, "");
    apply(&ws);
    let (values, _) = resource(&ws);
    assert_eq!(values["invocation_status"], "Success");
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

/// The service may list a new invocation only a moment after `InvokeCommand` answered: the
/// wait looks for it again and gets the run's real outcome.
#[test]
fn a_record_listed_late_is_waited_for() {
    let emulator = Emulator::start(&["--run-delay-ms", "500", "--hide-new-ms", "3000"]);
    let ws = workspace(&emulator, "");
    apply(&ws);
    let (values, tainted) = resource(&ws);
    assert!(!tainted);
    assert_eq!(values["invocation_status"], "Success");
    assert_eq!(result_of(&values, LINUX_1)["exit_code"], 0);
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

/// A record the API never lists: after the grace the apply fails, naming the InvokeId, and
/// the resource is kept tainted so the next plan shows the re-run.
#[test]
fn a_record_never_listed_fails_the_apply_tainted() {
    let emulator = Emulator::start(&["--hide-new-ms", "600000"]);
    let ws = workspace(&emulator, "");
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    let ids = state_ids(&ws);
    assert_eq!(ids.len(), 1, "the InvokeId is in state: {out}");
    assert!(out.contains("Invocation record not returned"), "{out}");
    assert!(
        out.contains(&format!("invocation {} in cn-hangzhou", ids[0])),
        "{out}"
    );
    assert!(out.contains("without ever listing it"), "{out}");
    let (_, tainted) = resource(&ws);
    assert!(tainted, "{out}");
    assert!(!out.contains(SECRET), "{out}");
    assert_eq!(emulator.invoke_counts(), (1, 1));
}

/// A record that expires while waiting: how the run ended is unknown, so the apply fails the
/// same way, saying what was last read.
#[test]
fn a_record_expiring_while_waiting_fails_the_apply_tainted() {
    let emulator = Emulator::start(&["--run-delay-ms", "600000", "--record-ttl", "2"]);
    let ws = workspace(&emulator, "");
    let out = squash(&ws.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Invocation record not returned"), "{out}");
    assert!(out.contains("after listing it as Running"), "{out}");
    assert_eq!(state_ids(&ws).len(), 1);
    let (values, tainted) = resource(&ws);
    assert!(tainted);
    assert_eq!(values["invocation_status"], "Running");
}

#[test]
fn a_periodic_invocation_waits_only_until_scheduled() {
    let emulator = Emulator::start(&[]);
    let ws = workspace(&emulator, "  timed = true\n  frequency = \"rate(5m)\"\n");
    apply(&ws);
    let (values, _) = resource(&ws);
    assert_eq!(values["invocation_status"], "Scheduled");
    assert_eq!(values["repeat_mode"], "Period");
    ws.ok(&["destroy", "-auto-approve", "-input=false"]);
}

#[test]
fn one_watcher_batches_the_polls_of_every_invocation() {
    let emulator = Emulator::start(&["--run-delay-ms", "3000"]);
    let body = format!(
        "{}\nprovider \"alicloud\" {{}}\n\
         resource \"alicloud_ecs_command_invocation\" \"many\" {{\n  count = 10\n  command_id = \"{DEPLOY}\"\n  \
         instance_ids = [\"{LINUX_1}\"]\n  parameters = {{ version = \"v${{count.index}}\", env = \"x\" }}\n}}\n",
        header()
    );
    let ws = Workspace::new(&body).against(&emulator);
    ws.init();
    ws.ok(&["apply", "-auto-approve", "-input=false", "-parallelism=10"]);
    let calls = emulator.action_count("DescribeInvocations");
    // One output read per invocation plus one batched status call per round (a dozen rounds
    // in 3 s), not one call per invocation per round (well over a hundred).
    assert!(calls <= 10 + 25, "{calls} DescribeInvocations calls");
}

#[test]
fn secrets_and_output_never_reach_the_log() {
    let printed = "OUTPUT-ONLY-IN-STATE";
    let echo = outcome(LINUX_2, &format!("exit=0,output={printed} {SECRET}"));
    let emulator = Emulator::start(&["--run-delay-ms", "300", "--instance-outcome", &echo]);
    let log = tempfile::NamedTempFile::new().unwrap();
    let ws = Workspace::new(&config(""))
        .against(&emulator)
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", log.path().to_str().unwrap());
    ws.init();
    let out = ws.ok(&["apply", "-auto-approve", "-input=false"]);
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-input=false"]);
    let logged = std::fs::read_to_string(log.path()).unwrap();
    assert!(
        logged.contains("DescribeInvocations"),
        "the trace log was written"
    );
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{printed} {SECRET}"));
    let secret_encoded = base64::engine::general_purpose::STANDARD.encode(SECRET);
    for needle in [SECRET, printed, encoded.as_str(), secret_encoded.as_str()] {
        assert!(!out.contains(needle), "{needle} reached the output");
        assert!(!logged.contains(needle), "{needle} reached the trace log");
    }
    let (values, _) = resource(&ws);
    assert!(result_of(&values, LINUX_2)["output"]
        .as_str()
        .unwrap()
        .contains(printed));
}

/// A state written before the completion attributes (schema version 0, none of them)
/// upgrades with no replacement and no re-run.
#[test]
fn a_version_0_state_upgrades_without_a_rerun() {
    let emulator = Emulator::start(&["--run-delay-ms", "100"]);
    let ws = workspace(&emulator, "");
    apply(&ws);
    rewrite_state(&ws, |instance| {
        instance["schema_version"] = 0.into();
        let attributes = instance["attributes"].as_object_mut().unwrap();
        for added in [
            "repeat_mode",
            "timeout",
            "working_dir",
            "termination_mode",
            "container_id",
            "container_name",
            "tags",
            "triggers",
            "wait_for_completion",
            "on_failure",
            "timeouts",
            "results",
        ] {
            attributes.remove(added);
        }
        if let Some(sensitive) = instance["sensitive_attributes"].as_array_mut() {
            sensitive.retain(|path| !path.to_string().contains("results"));
        }
    });
    // Terraform records the new sensitive `output` once (an update with no attribute
    // changed, which sends nothing to the API); nothing is replaced or run again.
    upgrades_without_a_rerun(&ws, &emulator);
}

/// Rewrites the first resource instance in the workspace's state file.
fn rewrite_state(ws: &Workspace, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = ws.dir.path().join("terraform.tfstate");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut state["resources"][0]["instances"][0]);
    std::fs::write(&path, state.to_string()).unwrap();
}

/// The first plan on a state an older release wrote replaces and creates nothing, its apply
/// runs nothing, and the plan after it is clean. Returns the first plan.
fn upgrades_without_a_rerun(ws: &Workspace, emulator: &Emulator) -> String {
    let first = ws.ok(&["plan", "-input=false", "-refresh=false"]);
    assert!(
        !first.contains("must be replaced") && !first.contains("will be created"),
        "{first}"
    );
    let calls = emulator.action_count("InvokeCommand");
    ws.ok(&["apply", "-auto-approve", "-input=false", "-refresh=false"]);
    assert_eq!(emulator.action_count("InvokeCommand"), calls, "nothing ran again");
    let plan = ws.ok(&["plan", "-input=false"]);
    assert!(plan.contains("No changes"), "{plan}");
    first
}

/// Outputs of the exit codes and statuses, with neither `sensitive = true` nor `nonsensitive()`.
const RESULT_OUTPUTS: &str = "output \"exit_codes\" {\n  value = { for r in alicloud_ecs_command_invocation.run.results : r.instance_id => r.exit_code }\n}\n\
output \"statuses\" {\n  value = alicloud_ecs_command_invocation.run.results[*].invocation_status\n}\n";

/// What a command prints: it must never be shown, in plans or in `terraform show`.
const PRINTED: &str = "printed-by-the-command";

/// `terraform output -json NAME`, checked not sensitive; its value.
fn plain_output(ws: &Workspace, name: &str) -> serde_json::Value {
    let shown: serde_json::Value = serde_json::from_str(&ws.ok(&["output", "-json"])).unwrap();
    assert_eq!(shown[name]["sensitive"], false, "{shown}");
    shown[name]["value"].clone()
}

/// Terraform 1.0 renders nested attributes in `terraform show` as empty objects and does not
/// mark their sensitive fields in expressions (Terraform 1.1 does).
fn before_terraform_1_1(ws: &Workspace) -> bool {
    ws.ok(&["version"]).contains("Terraform v1.0.")
}

#[test]
fn exit_codes_show_and_serve_outputs_while_the_output_stays_sensitive() {
    let printed = outcome(LINUX_1, &format!("exit=0,output={PRINTED}"));
    let emulator = Emulator::start(&["--run-delay-ms", "100", "--instance-outcome", &printed]);
    let ws = workspace_of(&emulator, &format!("{}{RESULT_OUTPUTS}", config("")));
    let applied = squash(&apply(&ws));
    assert!(
        applied.contains(&format!("exit_codes = {{ \"{LINUX_1}\" = 0 \"{LINUX_2}\" = 0 }}")),
        "{applied}"
    );
    assert_eq!(
        plain_output(&ws, "exit_codes"),
        serde_json::json!({ LINUX_1: 0, LINUX_2: 0 })
    );
    assert_eq!(
        plain_output(&ws, "statuses"),
        serde_json::json!(["Success", "Success"])
    );
    let old = before_terraform_1_1(&ws);
    let shown = squash(&ws.ok(&["show"]));
    if !old {
        assert!(
            shown.contains("exit_code = 0") && shown.contains("output = (sensitive value)"),
            "{shown}"
        );
    }
    // A plan that replaces the invocation shows each field it drops, `output` hidden.
    ws.write(
        "main.tf",
        &format!("{}{RESULT_OUTPUTS}", config("  triggers = { run = \"2\" }\n")),
    );
    let plan = squash(&ws.ok(&["plan", "-input=false"]));
    assert!(
        plan.contains("- exit_code = 0 -> null") && plan.contains("- output = (sensitive value)"),
        "{plan}"
    );
    for text in [&applied, &shown, &plan] {
        assert!(!text.contains(PRINTED) && !text.contains(SECRET), "{text}");
    }
    if !old {
        // `output` alone stays sensitive: an output of it must say so.
        let outs = "output \"outs\" {\n  value = alicloud_ecs_command_invocation.run.results[*].output\n}\n";
        ws.write("main.tf", &format!("{}{outs}", config("")));
        let refused = squash(&ws.fails(&["plan", "-input=false"]));
        assert!(refused.contains("Output refers to sensitive values"), "{refused}");
    }
}

/// A state written while `results` was sensitive as a whole (today's shape, schema version
/// 1) is read as it is: no replacement, no re-run; the exit codes then serve outputs.
#[test]
fn a_state_with_results_sensitive_as_a_whole_upgrades_without_a_rerun() {
    let emulator = Emulator::start(&["--run-delay-ms", "100"]);
    let ws = workspace(&emulator, "");
    apply(&ws);
    rewrite_state(&ws, |instance| {
        assert_eq!(instance["schema_version"], 1);
        // Terraform 1.1 and later recorded the schema's sensitive paths: the whole of
        // `results` then, each `output` now. Terraform 1.0 recorded none.
        let sensitive = instance["sensitive_attributes"].as_array_mut().unwrap();
        let of_results = |path: &serde_json::Value| path[0]["value"] == "results";
        if sensitive.iter().any(of_results) {
            sensitive.retain(|path| !of_results(path));
            sensitive.push(serde_json::json!([{ "type": "get_attr", "value": "results" }]));
        }
    });
    ws.write("main.tf", &format!("{}{RESULT_OUTPUTS}", config("")));
    let first = upgrades_without_a_rerun(&ws, &emulator);
    // Terraform 1.1 and later record the new sensitivity once, changing no value.
    if !before_terraform_1_1(&ws) {
        assert!(
            squash(&first).contains("will no longer be marked as sensitive"),
            "{first}"
        );
    }
    assert_eq!(
        plain_output(&ws, "exit_codes"),
        serde_json::json!({ LINUX_1: 0, LINUX_2: 0 })
    );
}

#[test]
fn the_newer_arguments_are_validated_naming_the_api_code() {
    let emulator = Emulator::start(&[]);
    let cases = [
        ("  repeat_mode = \"Sometimes\"\n", "repeat_mode"),
        (
            "  timed = true\n  frequency = \"rate(5m)\"\n  repeat_mode = \"Once\"\n",
            "repeat_mode",
        ),
        ("  container_id = \"abc\"\n", "InvalidContainerId.Malformed"),
        ("  container_name = \"-bad\"\n", "InvalidContainerName.Malformed"),
        ("  termination_mode = \"All\"\n", "termination_mode"),
        ("  timeout = 5\n", "timeout"),
        ("  tags = { \"aliyun:x\" = \"v\" }\n", "InvalidTagKey.Malformed"),
        (
            "  working_dir = \"/srv\"\n  container_name = \"web\"\n",
            "working_dir",
        ),
        ("  timeouts {\n    create = \"soon\"\n  }\n", "Invalid duration"),
    ];
    for (extra, expected) in cases {
        let ws = workspace(&emulator, extra);
        let out = ws.fails(&["validate"]);
        assert!(squash(&out).contains(expected), "{extra}: {out}");
    }
    assert_eq!(emulator.invoke_counts(), (0, 0));
}
