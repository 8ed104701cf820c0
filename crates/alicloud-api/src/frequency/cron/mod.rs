//! Cron expressions: `<second> <minute> <hour> <day-of-month> <month> <day-of-week> [<year>][ <tz>]`,
//! fields separated by one or more spaces. Besides each field's grammar, a schedule must fire at
//! least once and never twice within 10 seconds.

mod days;
mod field;
mod gap;
mod next;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};

use self::days::Days;
use self::field::{
    parse_day_of_month, parse_day_of_week, parse_values, ValueSet, HOUR, MINUTE, MONTH, SECOND, YEAR,
};
use super::error::FrequencyError;
use super::timezone::{earliest_local_now, parse_time_zone, TimeZone};

/// Cloud Assistant's minimum time between two runs of a cron schedule.
pub const MIN_CRON_INTERVAL_SECONDS: u64 = 10;

/// A validated cron schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronSchedule {
    second: ValueSet,
    minute: ValueSet,
    hour: ValueSet,
    days: Days,
    time_zone: Option<TimeZone>,
    min_interval_seconds: Option<u64>,
    /// The last run before the year range ends, in the schedule's zone.
    last_run: NaiveDateTime,
}

impl CronSchedule {
    /// The zone given in the expression; `None` means the instance's system time zone.
    pub fn time_zone(&self) -> Option<&TimeZone> {
        self.time_zone.as_ref()
    }

    /// The smallest possible time between two consecutive runs (wall-clock, ignoring DST
    /// shifts); `None` when the schedule fires only once.
    pub fn min_interval_seconds(&self) -> Option<u64> {
        self.min_interval_seconds
    }

    /// Whether the schedule fires at this wall-clock time in its zone.
    pub fn matches(&self, local: NaiveDateTime) -> bool {
        let time_part = |value: u32| u16::try_from(value).unwrap_or(u16::MAX);
        self.second.contains(time_part(local.second()))
            && self.minute.contains(time_part(local.minute()))
            && self.hour.contains(time_part(local.hour()))
            && self.days.matches(local.date())
    }

    /// Fails when every run is before `now` (only possible with a year field); without a zone,
    /// before `now` in every zone.
    pub(crate) fn check_not_past(&self, now: DateTime<Utc>) -> Result<(), FrequencyError> {
        if self.last_run < earliest_local_now(self.time_zone.as_ref(), now) {
            return Err(FrequencyError::CronInPast(
                self.last_run.format("%Y-%m-%d %H:%M:%S").to_string(),
            ));
        }
        Ok(())
    }
}

/// Parses and validates a whole cron expression (already trimmed).
pub(crate) fn parse_cron(text: &str) -> Result<CronSchedule, FrequencyError> {
    let tokens: Vec<&str> = text.split(' ').filter(|token| !token.is_empty()).collect();
    let looks_like_zone = |token: &&str| token.starts_with(|c: char| c.is_ascii_alphabetic());
    let (fields, rest) = tokens.split_at(tokens.len().min(6));
    let (year, zone) = match rest {
        [] => (None, None),
        [zone] if looks_like_zone(zone) => (None, Some(*zone)),
        [year] => (Some(*year), None),
        [year, zone] if looks_like_zone(zone) => (Some(*year), Some(*zone)),
        _ => return Err(FrequencyError::CronFieldCount(tokens.len())),
    };
    let [second, minute, hour, day_of_month, month, day_of_week] = fields else {
        return Err(FrequencyError::CronFieldCount(tokens.len()));
    };

    let second = parse_values(&SECOND, second)?;
    let minute = parse_values(&MINUTE, minute)?;
    let hour = parse_values(&HOUR, hour)?;
    let day_of_month = optional_day(day_of_month, parse_day_of_month)?;
    let month = parse_values(&MONTH, month)?;
    let day_of_week = optional_day(day_of_week, parse_day_of_week)?;
    let years = parse_values(&YEAR, year.unwrap_or("*"))?;
    if day_of_month.is_none() && day_of_week.is_none() {
        return Err(FrequencyError::BothQuestionMarks);
    }
    let time_zone = zone.map(parse_time_zone).transpose()?;

    let days = Days {
        day_of_month,
        month,
        day_of_week,
        years,
    };
    let summary = days.summary().ok_or(FrequencyError::NeverFires)?;
    let min_interval_seconds = gap::min_interval_seconds(&second, &minute, &hour, summary.min_gap_days);
    if let Some(gap) = min_interval_seconds.filter(|&gap| gap < MIN_CRON_INTERVAL_SECONDS) {
        return Err(FrequencyError::TooFrequent(gap));
    }
    let last_time = [&hour, &minute, &second].map(|set| set.values().last().copied().map(u32::from));
    let last_run = match last_time {
        [Some(h), Some(m), Some(s)] => summary.last.and_hms_opt(h, m, s),
        _ => None,
    }
    .ok_or(FrequencyError::NeverFires)?;
    Ok(CronSchedule {
        second,
        minute,
        hour,
        days,
        time_zone,
        min_interval_seconds,
        last_run,
    })
}

/// `?` means "no constraint from this field".
fn optional_day<T>(
    token: &str,
    parse: fn(&str) -> Result<T, FrequencyError>,
) -> Result<Option<T>, FrequencyError> {
    if token == "?" {
        Ok(None)
    } else {
        parse(token).map(Some)
    }
}

#[cfg(test)]
mod tests;
