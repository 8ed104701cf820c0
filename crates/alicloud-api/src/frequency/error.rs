//! Everything that can be wrong with a `Frequency` value, worded so a user can fix it: each
//! message names the offending piece and the rule it breaks.

use std::fmt;

/// A position in a cron expression, named as Alibaba's documentation names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CronField {
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

impl fmt::Display for CronField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Second => "second",
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::DayOfMonth => "day-of-month",
            Self::Month => "month",
            Self::DayOfWeek => "day-of-week",
            Self::Year => "year",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrequencyError {
    #[error("frequency is empty; expected rate(<n><s|m|h|d>), at(yyyy-MM-dd HH:mm:ss[ <tz>]) or a cron expression")]
    Empty,
    #[error(
        "frequency has spaces or line breaks before or after it; remove them (fields inside a cron \
         expression are separated by spaces, the value itself must not start or end with one)"
    )]
    SurroundingWhitespace,
    #[error(
        "unknown frequency form '{0}'; expected rate(<n><s|m|h|d>), at(yyyy-MM-dd HH:mm:ss[ <tz>]) \
         or a cron expression"
    )]
    UnknownForm(String),

    #[error("rate({0}) is malformed; expected rate(<integer><unit>) with unit s, m, h or d, e.g. rate(5m)")]
    RateSyntax(String),
    #[error("rate({0}) is below the minimum interval of 60 seconds")]
    RateTooShort(String),
    #[error("rate({0}) exceeds the maximum of 7 days")]
    RateTooLong(String),

    #[error("at({0}) is malformed; expected at(yyyy-MM-dd HH:mm:ss[ <time zone>]), e.g. at(2022-06-06 13:15:30 Asia/Shanghai)")]
    AtSyntax(String),
    #[error("at(...): invalid date {0}")]
    AtInvalidDate(String),
    #[error("at(...): invalid time {0}; hours must be 00-23, minutes and seconds 00-59")]
    AtInvalidTime(String),
    #[error("at(...): year {0} is out of range 1970-2099")]
    AtYearOutOfRange(i32),
    #[error("at({0}) is in the past; a one-time run must be scheduled in the future")]
    AtInPast(String),

    #[error(
        "cron expression has {0} fields; expected 6 or 7 (second minute hour day-of-month month \
         day-of-week [year]), optionally followed by a time zone"
    )]
    CronFieldCount(usize),
    #[error("cron field '{field}' value {value} is out of range {min}-{max}")]
    OutOfRange {
        field: CronField,
        value: String,
        min: u16,
        max: u16,
    },
    #[error(
        "cron field '{field}' number '{number}' has more than one leading zero (write e.g. 08, not 008)"
    )]
    LeadingZeros { field: CronField, number: String },
    #[error("cron field '{field}' item '{item}' is invalid: {reason}")]
    InvalidItem {
        field: CronField,
        item: String,
        reason: &'static str,
    },
    #[error("cron field '{field}' range {item} is reversed; the start must not exceed the end")]
    ReversedRange { field: CronField, item: String },
    #[error("cron field '{field}' step in '{item}' must be between 1 and {max}")]
    StepOutOfRange {
        field: CronField,
        item: String,
        max: u16,
    },
    #[error("cron fields 'day-of-month' and 'day-of-week' are both '?'; at most one of them may be '?'")]
    BothQuestionMarks,
    #[error("cron expression never fires: no calendar day matches its day-of-month, month, day-of-week and year fields")]
    NeverFires,
    #[error("runs can be {0} seconds apart; Cloud Assistant requires at least 10 seconds between runs")]
    TooFrequent(u64),
    #[error("cron expression has no run after the current time; its last run is at {0}")]
    CronInPast(String),

    #[error(
        "unknown time zone '{name}'{}; use an IANA name such as Asia/Shanghai, an offset such as \
         GMT+8:00, or UTC",
        did_you_mean(.suggestion)
    )]
    UnknownTimeZone {
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error(
        "time zone offset '{0}' is invalid; write GMT+H:MM or GMT-H:MM with hours 0-14 (0-12 west) without \
         a leading zero and minutes 00, 30 or 45, e.g. GMT+8:00"
    )]
    InvalidGmtOffset(String),

    #[error("the run timeout of {timeout} seconds exceeds the {interval} seconds between runs")]
    TimeoutExceedsInterval { timeout: u64, interval: u64 },
}

fn did_you_mean(suggestion: &Option<&'static str>) -> String {
    suggestion
        .map(|name| format!(" (did you mean {name}?)"))
        .unwrap_or_default()
}
