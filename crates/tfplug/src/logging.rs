//! Provider logging as Terraform reads it: one hclog JSON object per line on stderr, filtered
//! by `TF_LOG_PROVIDER`, else `TF_LOG` (off when neither is set). The level is read once; a
//! disabled call costs one atomic load and builds nothing.
//!
//! Never pass secrets (credentials, signatures, command parameter values, resource values) as
//! a message or field: Terraform writes these lines to its log file.

use std::fmt;
use std::io::Write;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value as Json};

/// hclog levels, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    /// The name hclog's JSON parser expects in `@level` (`warn`, not `warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// A key/value pair attached to a log line.
pub type Field<'a> = (&'a str, &'a dyn fmt::Display);

/// The threshold Terraform's own rules give for these variable values: `TF_LOG_PROVIDER`
/// wins over `TF_LOG`; unset, empty or `OFF` means no logging; `JSON` and unrecognised
/// values mean everything (as Terraform treats them).
pub fn threshold_from(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> Option<Level> {
    let setting = [tf_log_provider, tf_log]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())?;
    match setting.to_ascii_uppercase().as_str() {
        "OFF" => None,
        "DEBUG" => Some(Level::Debug),
        "INFO" => Some(Level::Info),
        "WARN" => Some(Level::Warn),
        "ERROR" => Some(Level::Error),
        _ => Some(Level::Trace),
    }
}

fn threshold() -> Option<Level> {
    static THRESHOLD: OnceLock<Option<Level>> = OnceLock::new();
    *THRESHOLD.get_or_init(|| {
        let provider = std::env::var("TF_LOG_PROVIDER").ok();
        let core = std::env::var("TF_LOG").ok();
        threshold_from(provider.as_deref(), core.as_deref())
    })
}

/// Whether a line at `level` would be written; use it to skip building costly fields.
pub fn enabled(level: Level) -> bool {
    threshold().is_some_and(|min| level >= min)
}

/// One hclog JSON line (without the newline). `@timestamp` has exactly six fractional
/// digits, the only layout go-plugin's parser accepts.
pub fn format_line(
    level: Level,
    module: &str,
    message: &str,
    fields: &[Field<'_>],
    at: DateTime<Utc>,
) -> String {
    let mut object = Map::new();
    object.insert("@level".into(), Json::from(level.as_str()));
    object.insert("@message".into(), Json::from(message));
    object.insert("@module".into(), Json::from(module));
    object.insert(
        "@timestamp".into(),
        Json::from(at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
    );
    for (key, value) in fields {
        object.insert((*key).to_string(), Json::from(value.to_string()));
    }
    Json::Object(object).to_string()
}

/// Writes one line at `level` when enabled. `module` names the emitter (`tfplug.server`,
/// `provider`, ...).
pub fn log(level: Level, module: &str, message: &str, fields: &[Field<'_>]) {
    if !enabled(level) {
        return;
    }
    let mut line = format_line(level, module, message, fields, Utc::now());
    line.push('\n');
    // A broken stderr must not take the provider down; the line is simply lost.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

pub fn trace(module: &str, message: &str, fields: &[Field<'_>]) {
    log(Level::Trace, module, message, fields);
}

pub fn debug(module: &str, message: &str, fields: &[Field<'_>]) {
    log(Level::Debug, module, message, fields);
}

pub fn warn(module: &str, message: &str, fields: &[Field<'_>]) {
    log(Level::Warn, module, message, fields);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn provider_setting_wins_over_core_setting() {
        assert_eq!(threshold_from(Some("WARN"), Some("TRACE")), Some(Level::Warn));
        assert_eq!(threshold_from(Some("off"), Some("TRACE")), None);
        assert_eq!(threshold_from(None, Some("debug")), Some(Level::Debug));
        assert_eq!(threshold_from(Some(""), Some("INFO")), Some(Level::Info));
    }

    #[test]
    fn unset_means_off_and_unrecognised_means_trace() {
        assert_eq!(threshold_from(None, None), None);
        assert_eq!(threshold_from(None, Some("")), None);
        assert_eq!(threshold_from(None, Some("JSON")), Some(Level::Trace));
        assert_eq!(threshold_from(None, Some("loud")), Some(Level::Trace));
        assert_eq!(threshold_from(Some("ERROR"), None), Some(Level::Error));
    }

    #[test]
    fn line_is_an_hclog_json_object() {
        let at =
            Utc.with_ymd_and_hms(2021, 6, 8, 10, 11, 12).unwrap() + chrono::Duration::microseconds(123_456);
        let count = 3;
        let line = format_line(
            Level::Warn,
            "provider",
            "created \"thing\"",
            &[("id", &"abc"), ("count", &count)],
            at,
        );
        assert_eq!(
            line,
            r#"{"@level":"warn","@message":"created \"thing\"","@module":"provider","@timestamp":"2021-06-08T10:11:12.123456Z","id":"abc","count":"3"}"#
        );
    }

    #[test]
    fn timestamp_keeps_six_digits_on_a_whole_second() {
        let at = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        let line = format_line(Level::Trace, "m", "x", &[], at);
        assert!(
            line.contains(r#""@timestamp":"2024-01-02T03:04:05.000000Z""#),
            "{line}"
        );
    }
}
