//! Section 6: 200 waited invocations (`wait_for_completion`, each run about 1 s in the
//! emulator, `-parallelism=10`): the `DescribeInvocations` calls the provider's one watcher
//! made, and how long after an invocation's last instance finished its resource completed.
//!
//! The finish is the emulator's schedule (created + pending + run time); the creation and
//! completion moments are the provider's own log lines ("invocation created", the last
//! "invocation progress"), read from Terraform's log with its millisecond timestamps.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::setup::{Result, Setup};
use crate::terraform::{Emulator, Workspace};

pub const WAITED: usize = 200;
/// The emulator's defaults: `--pending-ms 100`, `--run-delay-ms 1000`.
const RUN: Duration = Duration::from_millis(1_100);

pub struct Completion {
    pub invocations: usize,
    pub describe_calls: u64,
    /// Poll rounds of the watcher (its "poll round" log lines).
    pub rounds: u64,
    /// Finish → resource complete, one per invocation.
    pub lag: Vec<Duration>,
}

pub fn config() -> String {
    r#"terraform {
  required_providers {
    alicloud = {
      source  = "local/alicloud"
      version = "0.1.0"
    }
  }
}

variable "n" {
  type = number
}

provider "alicloud" {}

resource "alicloud_ecs_command_invocation" "w" {
  count        = var.n
  command_id   = "c-hz01emuuptime0001"
  instance_ids = ["i-bp1emulinux000001"]
}
"#
    .to_string()
}

/// One apply of `count` waited invocations from an empty state.
pub fn measure(setup: &Setup, dir: &Workspace<'_>, count: usize) -> Result<Completion> {
    let emulator = Emulator::start(&setup.emulator)?;
    let log = setup.scratch.path().join("completion.log");
    let _ = std::fs::remove_file(&log);
    let log_path = log.display().to_string();
    let n = format!("n={count}");
    dir.apply_with_env(
        &["-var", &n],
        &emulator,
        &[("TF_LOG_PROVIDER", "debug"), ("TF_LOG_PATH", &log_path)],
    )?;
    let describe_calls = emulator.action_count("DescribeInvocations");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    Ok(Completion {
        invocations: count,
        describe_calls,
        rounds: text.lines().filter(|l| l.contains("poll round")).count() as u64,
        lag: lags(&text),
    })
}

/// Per invocation: (last progress line) − (created line) − the run's scheduled length.
fn lags(log: &str) -> Vec<Duration> {
    let mut created: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut done: HashMap<String, DateTime<Utc>> = HashMap::new();
    for line in log.lines() {
        let (Some(at), Some(id)) = (timestamp(line), field(line, "invoke_id")) else {
            continue;
        };
        if line.contains("invocation created") {
            created.insert(id, at);
        } else if line.contains("invocation progress") {
            done.insert(id, at);
        }
    }
    created
        .iter()
        .filter_map(|(id, start)| {
            let end = done.get(id)?;
            let total = (*end - *start).to_std().ok()?;
            Some(total.saturating_sub(RUN))
        })
        .collect()
}

fn timestamp(line: &str) -> Option<DateTime<Utc>> {
    let first = line.split_whitespace().next()?;
    DateTime::parse_from_rfc3339(first)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn field(line: &str, name: &str) -> Option<String> {
    let start = line.find(&format!("{name}="))? + name.len() + 1;
    let rest = &line[start..];
    Some(rest.split_whitespace().next()?.trim_matches('"').to_string())
}

/// The report's rows for section 6.
pub fn rows(result: &Completion) -> String {
    let mut lag = result.lag.clone();
    lag.sort();
    let median = lag.get(lag.len() / 2).copied().unwrap_or_default();
    let worst = lag.last().copied().unwrap_or_default();
    let budget = result.invocations as u64 + result.rounds;
    format!(
        "\n## 6. Waited invocations\n\n\
         {n} invocations, each run about 1 s in the emulator, `terraform apply -parallelism=10`, \
         `wait_for_completion = true`.\n\n\
         | measurement | value | target | met |\n|---|---|---|---|\n\
         | `DescribeInvocations` calls in all ({rounds} poll rounds) | {calls} | one batched status call per round plus one output read per invocation (≤ {budget}), not one per invocation per round | {met_calls} |\n\
         | last instance finished → resource complete, median ({measured} measured) | {median} ms | < 1000 ms, within one poll interval (≤ 3 s) | {met_lag} |\n\
         | same, worst | {worst} ms | | |\n",
        n = result.invocations,
        calls = result.describe_calls,
        rounds = result.rounds,
        measured = lag.len(),
        median = median.as_millis(),
        worst = worst.as_millis(),
        met_calls = crate::report::verdict(result.describe_calls <= budget),
        met_lag = crate::report::verdict(!lag.is_empty() && median < Duration::from_secs(1)),
    )
}
