//! Cloud Assistant's `Frequency` parameter: `rate(...)`, `at(...)` or a cron expression, parsed
//! and validated the way InvokeCommand does, so the emulator can answer
//! `InvalidParam.Frequency` and the provider can reject a bad schedule at plan time.
//!
//! [`parse`] checks everything that does not depend on the clock; [`parse_as_of`] also rejects
//! schedules with no run left after a given instant.

mod at;
mod cron;
mod error;
mod next;
mod rate;
mod timezone;

use chrono::{DateTime, Utc};

pub use self::at::AtTime;
pub use self::cron::{CronSchedule, MIN_CRON_INTERVAL_SECONDS};
pub use self::error::{CronField, FrequencyError};
pub use self::next::{next_run, runs};
pub use self::rate::Rate;
pub use self::timezone::TimeZone;

/// A valid `Frequency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    Cron(CronSchedule),
    Rate(Rate),
    At(AtTime),
}

impl Schedule {
    /// The smallest time between two consecutive runs; `None` for a schedule that runs once.
    pub fn min_interval_seconds(&self) -> Option<u64> {
        match self {
            Self::Cron(cron) => cron.min_interval_seconds(),
            Self::Rate(rate) => Some(rate.seconds()),
            Self::At(_) => None,
        }
    }

    /// The zone the schedule is read in: `None` for `rate(...)` (zone-free) and for cron without
    /// a zone (the instance's system zone); UTC for `at(...)` without a zone.
    pub fn time_zone(&self) -> Option<&TimeZone> {
        match self {
            Self::Cron(cron) => cron.time_zone(),
            Self::Rate(_) => None,
            Self::At(at) => Some(at.time_zone()),
        }
    }

    /// A run may not last longer than the time to the next run: fails when `timeout_seconds`
    /// exceeds [`Schedule::min_interval_seconds`].
    pub fn check_timeout(&self, timeout_seconds: u64) -> Result<(), FrequencyError> {
        match self.min_interval_seconds() {
            Some(interval) if timeout_seconds > interval => Err(FrequencyError::TimeoutExceedsInterval {
                timeout: timeout_seconds,
                interval,
            }),
            _ => Ok(()),
        }
    }
}

/// Parses and validates a `Frequency` value. Whitespace around it is refused: the reference
/// does not say the service trims it, and a schedule read differently than written is worse
/// than an error.
pub fn parse(text: &str) -> Result<Schedule, FrequencyError> {
    if text.is_empty() {
        return Err(FrequencyError::Empty);
    }
    if text.trim() != text {
        return Err(FrequencyError::SurroundingWhitespace);
    }
    if let Some(inner) = text.strip_prefix("rate(") {
        let inner = inner
            .strip_suffix(')')
            .ok_or_else(|| FrequencyError::RateSyntax(inner.to_owned()))?;
        return rate::parse_rate(inner).map(Schedule::Rate);
    }
    if let Some(inner) = text.strip_prefix("at(") {
        let inner = inner
            .strip_suffix(')')
            .ok_or_else(|| FrequencyError::AtSyntax(inner.to_owned()))?;
        return at::parse_at(inner).map(Schedule::At);
    }
    if let Some(first) = text.split(' ').next().filter(|first| first.contains('(')) {
        return Err(FrequencyError::UnknownForm(first.to_owned()));
    }
    cron::parse_cron(text).map(Schedule::Cron)
}

/// [`parse`], then reject a schedule whose runs are all before `now`: an `at(...)` in the past,
/// or a cron expression whose year field has ended. Exact for every zone given (IANA zones with
/// their DST rules); a cron expression without a zone runs in the instance's zone, unknown here,
/// so it is rejected only when past in every zone (UTC-12).
pub fn parse_as_of(text: &str, now: DateTime<Utc>) -> Result<Schedule, FrequencyError> {
    let schedule = parse(text)?;
    match &schedule {
        Schedule::Cron(cron) => cron.check_not_past(now)?,
        Schedule::At(at) => at.check_not_past(now)?,
        Schedule::Rate(_) => {}
    }
    Ok(schedule)
}

#[cfg(test)]
mod tests;
