//! What a run on an instance does, when the fixtures (`"Run": {...}`) or the flag
//! `--instance-outcome ID:KEY=VALUE,...` say so: its exit code, what it prints, and how long it
//! takes. Without one a run prints the command as rendered, exits 0 and takes `--run-delay-ms`.
//! So a test can make one instance fail, run past its `Timeout`, or print more than the API
//! keeps.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    #[error(
        "--instance-outcome {0}: expected ID:KEY=VALUE[,KEY=VALUE...] with keys exit, run-ms, \
         output-bytes and output (last: its value is the rest of the flag)"
    )]
    Syntax(String),
    #[error("--instance-outcome {spec}: {key} must be {what}")]
    Value {
        spec: String,
        key: String,
        what: &'static str,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RunOutcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    /// Printed instead of the rendered command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The output repeated (or cut) to exactly this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<usize>,
    /// How long each run takes, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_ms: Option<i64>,
}

impl RunOutcome {
    /// `ID:KEY=VALUE[,KEY=VALUE...]`, e.g. `i-a:exit=2,run-ms=15000,output=disk full`.
    pub fn parse_flag(spec: &str) -> Result<(String, Self), OutcomeError> {
        let syntax = || OutcomeError::Syntax(spec.to_owned());
        let (id, mut rest) = spec
            .split_once(':')
            .filter(|(id, _)| !id.is_empty())
            .ok_or_else(syntax)?;
        let mut outcome = Self::default();
        while !rest.is_empty() {
            let (key, value_and_more) = rest.split_once('=').ok_or_else(syntax)?;
            if key == "output" {
                outcome.output = Some(value_and_more.to_owned());
                break;
            }
            let (value, more) = value_and_more.split_once(',').unwrap_or((value_and_more, ""));
            let bad = |what| OutcomeError::Value {
                spec: spec.to_owned(),
                key: key.to_owned(),
                what,
            };
            match key {
                "exit" => outcome.exit_code = Some(value.parse().map_err(|_| bad("an integer"))?),
                "run-ms" => {
                    let ms: u32 = value.parse().map_err(|_| bad("a number of milliseconds"))?;
                    outcome.run_ms = Some(ms.into());
                }
                "output-bytes" => {
                    outcome.output_bytes = Some(value.parse().map_err(|_| bad("a number of bytes"))?)
                }
                _ => return Err(syntax()),
            }
            rest = more;
        }
        Ok((id.to_owned(), outcome))
    }

    /// Fields set in `other` win.
    pub fn merge(&mut self, other: Self) {
        self.exit_code = other.exit_code.or(self.exit_code);
        self.output = other.output.or(self.output.take());
        self.output_bytes = other.output_bytes.or(self.output_bytes);
        self.run_ms = other.run_ms.or(self.run_ms);
    }

    /// What a run prints, given the command as rendered for the instance.
    pub fn output(&self, rendered: String) -> String {
        let base = self.output.clone().unwrap_or(rendered);
        let Some(size) = self.output_bytes else {
            return base;
        };
        let unit = if base.is_empty() { "x" } else { base.as_str() };
        let mut text = unit.repeat(size / unit.len() + 1);
        let mut end = size;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_specs() {
        let (id, o) = RunOutcome::parse_flag("i-a:exit=2,run-ms=1500,output-bytes=10,output=a,b=c").unwrap();
        assert_eq!(id, "i-a");
        assert_eq!(
            o,
            RunOutcome {
                exit_code: Some(2),
                output: Some("a,b=c".into()),
                output_bytes: Some(10),
                run_ms: Some(1500),
            }
        );
        assert_eq!(RunOutcome::parse_flag("i-a:").unwrap().1, RunOutcome::default());
        for bad in [
            "i-a",
            ":exit=1",
            "i-a:exit",
            "i-a:color=red",
            "i-a:exit=x",
            "i-a:run-ms=-5",
        ] {
            assert!(RunOutcome::parse_flag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn output_sizes() {
        let o = RunOutcome {
            output_bytes: Some(7),
            ..Default::default()
        };
        assert_eq!(o.output("abc".into()), "abcabca");
        assert_eq!(o.output(String::new()), "xxxxxxx");
        let wide = RunOutcome {
            output: Some("é".into()),
            output_bytes: Some(3),
            ..Default::default()
        };
        assert_eq!(wide.output("ignored".into()), "é");
        assert_eq!(RunOutcome::default().output("uptime".into()), "uptime");
    }

    #[test]
    fn merge_keeps_unset_fields() {
        let mut o = RunOutcome {
            exit_code: Some(1),
            output: Some("x".into()),
            ..Default::default()
        };
        o.merge(RunOutcome {
            exit_code: Some(4),
            run_ms: Some(9),
            ..Default::default()
        });
        assert_eq!(
            (o.exit_code, o.output.as_deref(), o.run_ms),
            (Some(4), Some("x"), Some(9))
        );
    }
}
