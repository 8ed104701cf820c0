//! The message of a failed run, shared by the action and (later) the invocation resource's
//! completion watcher: every failed instance with its status, exit code, error code and the
//! tail of its output, with every parameter value scrubbed, raw and in Base64.

use std::collections::BTreeMap;

use alicloud_client::redact::Redactor;
use alicloud_client::InvokeInstance;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Lines of output kept at the end of each failed instance's report.
const TAIL_LINES: usize = 10;
/// And at most this many characters of them.
const TAIL_CHARS: usize = 800;

/// A redactor for the parameter values of a run, in every form they may be printed in.
pub fn parameter_redactor(parameters: &BTreeMap<String, String>) -> Redactor {
    let mut redactor = Redactor::new();
    for value in parameters.values() {
        redactor.add(value);
        redactor.add(&STANDARD.encode(value));
    }
    redactor
}

fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.trim_end().lines().collect();
    let kept = lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n");
    let skip = kept.chars().count().saturating_sub(TAIL_CHARS);
    kept.chars().skip(skip).collect()
}

/// Whether an instance's run ended well.
pub fn succeeded(instance: &InvokeInstance) -> bool {
    instance.invocation_status == "Success"
}

/// One paragraph per instance that did not succeed, output tails scrubbed (`output` must be
/// plain text, as asked with `ContentEncoding=PlainText`).
pub fn failure_report(invoke_id: &str, instances: &[InvokeInstance], redactor: &Redactor) -> String {
    let failed: Vec<&InvokeInstance> = instances.iter().filter(|i| !succeeded(i)).collect();
    let mut text = format!(
        "{} of {} instances did not succeed in invocation {invoke_id}:",
        failed.len(),
        instances.len()
    );
    for instance in failed {
        let exit = instance
            .exit_code
            .map_or_else(|| "none".to_string(), |code| code.to_string());
        let error = if instance.error_code.is_empty() {
            "-"
        } else {
            instance.error_code.as_str()
        };
        text.push_str(&format!(
            "\n\n{}: status {}, exit code {exit}, error code {error}",
            instance.instance_id, instance.invocation_status
        ));
        let output = tail(instance.output.expose());
        if !output.is_empty() {
            text.push_str("\noutput (last lines):\n");
            text.push_str(&redactor.scrub(&output));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(id: &str, status: &str, exit: i64, output: &str) -> InvokeInstance {
        InvokeInstance {
            instance_id: id.into(),
            invocation_status: status.into(),
            exit_code: Some(exit),
            output: output.into(),
            error_code: if status == "Success" {
                String::new()
            } else {
                "CommandFailed".into()
            },
            ..Default::default()
        }
    }

    #[test]
    fn names_every_failed_instance_with_a_scrubbed_tail() {
        let redactor = parameter_redactor(&[("token".to_string(), "s3cret".to_string())].into());
        let long: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let text = failure_report(
            "t-1",
            &[
                instance("i-ok", "Success", 0, "fine"),
                instance("i-a", "Failed", 3, &format!("{long}using s3cret and czNjcmV0")),
                instance("i-b", "Timeout", 137, ""),
            ],
            &redactor,
        );
        assert!(
            text.starts_with("2 of 3 instances did not succeed in invocation t-1"),
            "{text}"
        );
        assert!(
            text.contains("i-a: status Failed, exit code 3, error code CommandFailed"),
            "{text}"
        );
        assert!(text.contains("i-b: status Timeout, exit code 137"), "{text}");
        assert!(!text.contains("i-ok") && !text.contains("line 5\n"), "{text}");
        assert!(text.contains("line 29"), "{text}");
        assert!(!text.contains("s3cret") && !text.contains("czNjcmV0"), "{text}");
    }
}
