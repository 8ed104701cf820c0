//! Each instance's outcome of an invocation, as `results` holds it (output decoded from the
//! API's Base64), whether an instance failed, and the one error that lists every failed
//! instance with the tail of its output. Parameter values are scrubbed from an instance's
//! output (and error text) as a whole, before it is cut into lines or bounded, by the
//! client's [`Redactor`] (whole values, each line of them, Base64; short values only as
//! whole tokens); the message around it, which holds no parameter, is never touched.

use std::collections::BTreeMap;

use alicloud_client::redact::Redactor;
use alicloud_client::{ContentEncoding, InstanceStatus, Invocation, InvocationStatus, InvokeInstance};
use tfplug::{Attr, Attribute, NestedObject, Type};

use crate::invocation::state::parse_parameters;

tfplug::model! {
    /// One element of `results`: one instance's (latest) run.
    pub struct InstanceResult {
        instance_id: String,
        invocation_status: String,
        exit_code: i64,
        output: String,
        dropped: i64,
        error_code: String,
        error_info: String,
        start_time: String,
        finish_time: String,
        repeats: i64,
    }
}

/// The schema of `results`: a list of [`InstanceResult`] objects, of which only `output` is
/// sensitive, so exit codes and statuses show in plans and outputs.
pub fn nested_object() -> NestedObject {
    let field = |name: &str, ty: Type, markdown: &str| Attribute::computed(name, ty).describe(markdown);
    NestedObject::list([
        field("instance_id", Type::String, "The instance (`InstanceId`)."),
        field(
            "invocation_status",
            Type::String,
            "The run's status on the instance (`InvocationStatus`): `Success`, `Failed`, `Running`, ...",
        ),
        field(
            "exit_code",
            Type::Number,
            "The command's exit code; null until the run has finished.",
        ),
        field(
            "output",
            Type::String,
            "The command's output, decoded; the API keeps the first 24 KB. Sensitive: commands print \
             their parameters.",
        )
        .sensitive(),
        field("dropped", Type::Number, "Bytes of output the API cut past 24 KB."),
        field(
            "error_code",
            Type::String,
            "Why the run failed to start or finish, if it did (`ErrorCode`).",
        ),
        field(
            "error_info",
            Type::String,
            "The error's text (`ErrorInfo`), parameter values scrubbed.",
        ),
        field("start_time", Type::String, "When the run started (`StartTime`)."),
        field(
            "finish_time",
            Type::String,
            "When the run finished (`FinishTime`).",
        ),
        field(
            "repeats",
            Type::Number,
            "How many times the command has run on the instance (`Repeats`).",
        ),
    ])
}

/// Lines of an instance's output quoted in the error.
const TAIL_LINES: usize = 5;
/// Bytes of an instance's output quoted in the error at most (the API keeps 24 KB, on one
/// line if the command prints so).
const TAIL_BYTES: usize = 2048;

/// Whether nothing more happens to this instance's run (a status this provider does not know
/// yet is not taken for an end).
pub fn is_finished(instance: &InvokeInstance) -> bool {
    instance.invocation_status.is(InstanceStatus::is_finished)
}

/// Whether every instance of `record` has finished.
pub fn all_finished(record: &Invocation) -> bool {
    !record.invoke_instances.is_empty() && record.invoke_instances.iter().all(is_finished)
}

/// Whether a periodic invocation has reached its schedule (or ended already).
pub fn scheduled(record: &Invocation) -> bool {
    record.invocation_status == InvocationStatus::Scheduled || all_finished(record)
}

fn failed(instance: &InvokeInstance) -> bool {
    instance.invocation_status.is(InstanceStatus::is_failure) || instance.exit_code.is_some_and(|c| c != 0)
}

/// The instances of `record` that failed.
pub fn failures(record: &Invocation) -> Vec<&InvokeInstance> {
    record.invoke_instances.iter().filter(|i| failed(i)).collect()
}

/// The output's text (Base64 in answers; text that does not decode is kept as sent) with
/// every value of `redactor` scrubbed, whole, before anything cuts it into lines.
fn scrubbed_output(instance: &InvokeInstance, redactor: &Redactor) -> String {
    let raw = instance.output.expose();
    let text = ContentEncoding::Base64
        .decode(raw)
        .unwrap_or_else(|_| raw.to_string());
    // Past 24 KB the API cut the output, maybe inside a value.
    if instance.dropped.is_some_and(|d| d > 0) {
        redactor.scrub_cut_values(&text)
    } else {
        redactor.scrub_values(&text)
    }
}

/// The exit code of the run the record shows, once it has one: the API answers `0` for a run
/// still pending or running, which must not read as a success.
fn exit_code(instance: &InvokeInstance) -> Attr<i64> {
    let ran = match instance.invocation_status.known() {
        // A periodic invocation between runs shows its last run, if it has had one.
        Some(InstanceStatus::Scheduled) => instance.repeats.is_some_and(|r| r > 0),
        Some(status) => !status.is_under_way(),
        None => true,
    };
    if ran {
        Attr::from_option(instance.exit_code)
    } else {
        Attr::Null
    }
}

/// `results` for `record`, one element per instance in the record's order. Every parameter
/// value is scrubbed from `output` and `error_info` before they are stored: the values the
/// record says the invocation ran with and the `hidden` ones sent write-only (which the record
/// does not return). Parameter values are secrets here, and a stored value can still reach a
/// log or a plan (`error_info` shows in plans; Terraform 1.0 logs nested values it should mark).
pub fn results(record: &Invocation, hidden: &BTreeMap<String, String>) -> Vec<InstanceResult> {
    let ran_with = parse_parameters(record.parameters.expose()).unwrap_or_default();
    let redactor = scrubber([hidden, &ran_with]);
    let text = |s: &str| if s.is_empty() { Attr::Null } else { Attr::known(s) };
    record
        .invoke_instances
        .iter()
        .map(|i| InstanceResult {
            instance_id: Attr::known(i.instance_id.as_str()),
            invocation_status: Attr::known(i.invocation_status.as_str()),
            exit_code: exit_code(i),
            output: Attr::Known(scrubbed_output(i, &redactor)),
            dropped: Attr::Known(i.dropped.unwrap_or(0)),
            error_code: text(&i.error_code),
            error_info: text(&redactor.scrub_values(&i.error_info)),
            start_time: text(&i.start_time),
            finish_time: text(&i.finish_time),
            repeats: Attr::from_option(i.repeats),
        })
        .collect()
}

/// What removes every value of these parameter maps from an instance's text.
fn scrubber<'a>(maps: impl IntoIterator<Item = &'a BTreeMap<String, String>>) -> Redactor {
    Redactor::of_values(maps.into_iter().flat_map(|m| m.values()).map(String::as_str))
}

/// The end of `output` quoted in the error: its last [`TAIL_LINES`] lines, of which at most
/// the last [`TAIL_BYTES`] bytes (cut on a character boundary); the heading says which.
fn tail(output: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = output.lines().collect();
    let last = &lines[lines.len().saturating_sub(TAIL_LINES)..];
    let joined = last.join("\n");
    if joined.trim().is_empty() {
        return None;
    }
    if joined.len() <= TAIL_BYTES {
        return Some((format!("last {} line(s) of output", last.len()), joined));
    }
    let mut cut = joined.len() - TAIL_BYTES;
    while !joined.is_char_boundary(cut) {
        cut += 1;
    }
    Some((
        format!("last {} bytes of output", joined.len() - cut),
        format!("...{}", &joined[cut..]),
    ))
}

/// The error's detail: every failed instance with status, exit code, error code and info and
/// the tail of its output, parameter values scrubbed from the output and the error info.
pub fn failure_report(record: &Invocation, parameters: &BTreeMap<String, String>) -> String {
    let redactor = scrubber([parameters]);
    let failed = failures(record);
    let mut text = format!(
        "Invocation {} finished with {} of {} instances failed (overall status {}):\n",
        record.invoke_id,
        failed.len(),
        record.invoke_instances.len(),
        record.invocation_status
    );
    for instance in failed {
        let exit = instance
            .exit_code
            .map_or_else(|| "none".to_string(), |c| c.to_string());
        text.push_str(&format!(
            "\n- {}: status {}, exit code {exit}",
            instance.instance_id, instance.invocation_status
        ));
        if !instance.error_code.is_empty() || !instance.error_info.is_empty() {
            text.push_str(&format!(
                ", error {} ({})",
                instance.error_code,
                redactor.scrub_values(&instance.error_info)
            ));
        }
        // Scrubbed whole before it is cut, so no line or piece of a value survives the cut.
        match tail(&scrubbed_output(instance, &redactor)) {
            Some((heading, tail)) => {
                text.push_str(&format!("\n  {heading}:\n    {}", tail.replace('\n', "\n    ")));
            }
            None => text.push_str("\n  (no output)"),
        }
        if let Some(dropped) = instance.dropped.filter(|d| *d > 0) {
            text.push_str(&format!(
                "\n  ({dropped} later bytes dropped: the API keeps only the first 24 KB of output)"
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_client::{SecretString, REDACTED};
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    fn instance(id: &str, status: &str, exit: i64, output: &str) -> InvokeInstance {
        InvokeInstance {
            instance_id: id.into(),
            invocation_status: status.into(),
            exit_code: Some(exit),
            output: SecretString::new(STANDARD.encode(output)),
            ..Default::default()
        }
    }

    fn record(instances: Vec<InvokeInstance>) -> Invocation {
        Invocation {
            invoke_id: "t-1".into(),
            invocation_status: "PartialFailed".into(),
            invoke_instances: instances,
            ..Default::default()
        }
    }

    #[test]
    fn the_model_matches_the_schema_and_only_output_is_sensitive() {
        let object = nested_object().object;
        assert_eq!(tfplug::check_model::<InstanceResult>(&object), Ok(()));
        let sensitive: Vec<&str> = object
            .attributes
            .iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(sensitive, ["output"]);
    }

    #[test]
    fn stored_text_holds_no_parameter_value() {
        let mut failed = instance("i-a", "Failed", 1, "echo hunter2-token\n");
        failed.error_info = "cannot read hunter2-token or cleartext-wo".into();
        let mut ran = record(vec![failed]);
        ran.parameters = SecretString::new(r#"{"token":"hunter2-token"}"#.to_string());
        let hidden = BTreeMap::from([("wo".to_string(), "cleartext-wo".to_string())]);
        let stored = &results(&ran, &hidden)[0];
        assert_eq!(
            stored.error_info,
            Attr::Known(format!("cannot read {REDACTED} or {REDACTED}"))
        );
        assert_eq!(stored.output, Attr::Known(format!("echo {REDACTED}\n")));
    }

    #[test]
    fn results_decode_the_output() {
        let got = results(
            &record(vec![instance("i-a", "Success", 0, "ok\n")]),
            &BTreeMap::new(),
        );
        assert_eq!(got[0].output, Attr::known("ok\n"));
        assert_eq!(got[0].exit_code, Attr::Known(0));
        assert_eq!(got[0].error_code, Attr::Null);
    }

    #[test]
    fn finished_and_failed() {
        let done = record(vec![
            instance("i-a", "Success", 0, ""),
            instance("i-b", "Failed", 3, ""),
        ]);
        assert!(all_finished(&done));
        assert_eq!(failures(&done).len(), 1);
        let running = record(vec![instance("i-a", "Running", 0, "")]);
        assert!(!all_finished(&running));
        assert_eq!(
            results(&running, &BTreeMap::new())[0].exit_code,
            Attr::Null,
            "no exit code yet"
        );
        let odd = record(vec![instance("i-a", "Success", 2, "")]);
        assert_eq!(failures(&odd).len(), 1, "a non-zero exit code fails");
    }

    #[test]
    fn the_report_lists_failures_without_parameter_values() {
        let secret = "hunter2-token";
        let output = format!("a\nb\nc\nd\ne\nf\nusing {secret}\n{}\n", STANDARD.encode(secret));
        let done = record(vec![
            instance("i-a", "Success", 0, "fine"),
            instance("i-b", "Failed", 3, &output),
        ]);
        let parameters = BTreeMap::from([("token".to_string(), secret.to_string())]);
        let report = failure_report(&done, &parameters);
        assert!(report.contains("i-b: status Failed, exit code 3"), "{report}");
        assert!(!report.contains("i-a:"), "{report}");
        assert!(report.contains(&format!("using {REDACTED}")), "{report}");
        assert!(
            !report.contains(secret) && !report.contains(&STANDARD.encode(secret)),
            "{report}"
        );
        assert!(!report.contains("\n    a\n"), "only the tail: {report}");
    }

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";

    #[test]
    fn a_multi_line_value_leaves_no_line_in_the_tail_or_the_results() {
        // Printed with `\r\n`, its last lines in the tail: scrubbed before the cut.
        let output = format!("start\r\n{}\r\nfailed\r\n", PEM.replace('\n', "\r\n"));
        let done = record(vec![instance("i-b", "Failed", 1, &output)]);
        let parameters = BTreeMap::from([("key".to_string(), PEM.to_string())]);
        let report = failure_report(&done, &parameters);
        let stored = results(&done, &parameters)[0]
            .output
            .get()
            .cloned()
            .unwrap_or_default();
        for text in [&report, &stored] {
            for line in PEM.lines().filter(|l| !l.starts_with("-----")) {
                assert!(!text.contains(line), "{text}");
            }
            assert!(text.contains("failed"), "{text}");
        }
    }

    #[test]
    fn a_one_character_value_leaves_the_message_alone() {
        let done = record(vec![instance("i-be", "Failed", 1, "the value e is wrong\n")]);
        let parameters = BTreeMap::from([("x".to_string(), "e".to_string())]);
        let report = failure_report(&done, &parameters);
        assert!(
            report.starts_with("Invocation t-1 finished with 1 of 1 instances failed"),
            "{report}"
        );
        assert!(report.contains("- i-be: status Failed, exit code 1"), "{report}");
        assert!(
            report.contains(&format!("the value {REDACTED} is wrong")),
            "{report}"
        );
    }

    #[test]
    fn the_tail_is_bounded_and_the_dropped_bytes_are_the_later_ones() {
        let mut long = instance("i-b", "Failed", 1, &format!("{}\n", "é".repeat(12_000)));
        long.dropped = Some(5_424);
        let report = failure_report(&record(vec![long]), &BTreeMap::new());
        assert!(report.len() < TAIL_BYTES + 400, "{}", report.len());
        assert!(
            report.contains("last 2048 bytes of output:\n    ...é"),
            "{report}"
        );
        assert!(
            report.contains("(5424 later bytes dropped: the API keeps only the first 24 KB of output)"),
            "{report}"
        );
        // Cut on a character boundary: a cut inside a character starts after it.
        let odd = format!("{}x", "é".repeat(1_025));
        assert_eq!(
            tail(&odd).map(|(h, _)| h),
            Some("last 2047 bytes of output".to_string())
        );
        assert_eq!(
            tail("a\nb"),
            Some(("last 2 line(s) of output".to_string(), "a\nb".to_string()))
        );
        assert_eq!(tail("\n \n"), None);
    }
}
