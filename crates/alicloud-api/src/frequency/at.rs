//! `at(yyyy-MM-dd HH:mm:ss[ <tz>])`: a single run at a wall-clock time, UTC unless a zone is given.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::error::FrequencyError;
use super::timezone::{earliest_local_now, parse_time_zone, TimeZone};

const MIN_YEAR: i32 = 1970;
const MAX_YEAR: i32 = 2099;

/// A validated `at(...)` time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtTime {
    local: NaiveDateTime,
    time_zone: TimeZone,
}

impl AtTime {
    /// The wall-clock time of the run in [`AtTime::time_zone`].
    pub fn local(&self) -> NaiveDateTime {
        self.local
    }

    /// The zone given, or UTC when none was.
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// Fails when the run is before `now` in its zone.
    pub(crate) fn check_not_past(&self, now: DateTime<Utc>) -> Result<(), FrequencyError> {
        if self.local < earliest_local_now(Some(&self.time_zone), now) {
            return Err(FrequencyError::AtInPast(format!(
                "{} {}",
                self.local.format("%Y-%m-%d %H:%M:%S"),
                self.time_zone
            )));
        }
        Ok(())
    }
}

/// Parses the text between `at(` and `)`.
pub(crate) fn parse_at(inner: &str) -> Result<AtTime, FrequencyError> {
    let syntax = || FrequencyError::AtSyntax(inner.to_owned());
    let mut parts = inner.split(' ').filter(|part| !part.is_empty());
    let (date, time) = (parts.next().ok_or_else(syntax)?, parts.next().ok_or_else(syntax)?);
    let zone = parts.next();
    if parts.next().is_some() {
        return Err(syntax());
    }
    let [year, month, day] = split_digits(date, '-', [4, 2, 2]).ok_or_else(syntax)?;
    let [hour, minute, second] = split_digits(time, ':', [2, 2, 2]).ok_or_else(syntax)?;
    let year = i32::try_from(year).map_err(|_| syntax())?;
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| FrequencyError::AtInvalidDate(date.to_owned()))?;
    let time = NaiveTime::from_hms_opt(hour, minute, second)
        .ok_or_else(|| FrequencyError::AtInvalidTime(time.to_owned()))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(FrequencyError::AtYearOutOfRange(year));
    }
    let time_zone = zone.map(parse_time_zone).transpose()?.unwrap_or(TimeZone::Utc);
    Ok(AtTime {
        local: date.and_time(time),
        time_zone,
    })
}

/// Splits `text` on `separator` into exactly three all-digit parts of the given widths.
fn split_digits(text: &str, separator: char, widths: [usize; 3]) -> Option<[u32; 3]> {
    let mut parts = text.split(separator);
    let mut values = [0u32; 3];
    for (value, width) in values.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *value = part.parse().ok()?;
    }
    parts.next().is_none().then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn parses_the_documented_example() {
        let at = parse_at("2022-06-06 13:15:30 Asia/Shanghai").unwrap();
        assert_eq!(at.local().to_string(), "2022-06-06 13:15:30");
        assert_eq!(at.time_zone().to_string(), "Asia/Shanghai");
    }

    #[test]
    fn defaults_to_utc_and_tolerates_extra_spaces() {
        let at = parse_at("2024-02-29  00:00:00").unwrap();
        assert_eq!(at.time_zone(), &TimeZone::Utc);
        assert_eq!(at.local().to_string(), "2024-02-29 00:00:00");
        assert_eq!(
            parse_at("2024-02-29 23:59:59   GMT-7:00")
                .unwrap()
                .time_zone()
                .to_string(),
            "GMT-7:00"
        );
    }

    #[test]
    fn rejects_impossible_dates_and_times() {
        assert_eq!(
            parse_at("2024-02-30 00:00:00").unwrap_err().to_string(),
            "at(...): invalid date 2024-02-30"
        );
        assert_eq!(
            parse_at("2023-02-29 00:00:00"),
            Err(FrequencyError::AtInvalidDate("2023-02-29".into()))
        );
        assert_eq!(
            parse_at("2023-13-01 00:00:00"),
            Err(FrequencyError::AtInvalidDate("2023-13-01".into()))
        );
        assert_eq!(
            parse_at("2023-00-10 00:00:00"),
            Err(FrequencyError::AtInvalidDate("2023-00-10".into()))
        );
        assert_eq!(
            parse_at("2023-01-01 24:00:00"),
            Err(FrequencyError::AtInvalidTime("24:00:00".into()))
        );
        assert_eq!(
            parse_at("2023-01-01 12:60:00"),
            Err(FrequencyError::AtInvalidTime("12:60:00".into()))
        );
        assert_eq!(
            parse_at("2023-01-01 12:00:60"),
            Err(FrequencyError::AtInvalidTime("12:00:60".into()))
        );
        assert_eq!(
            parse_at("1969-12-31 23:59:59"),
            Err(FrequencyError::AtYearOutOfRange(1969))
        );
        assert_eq!(
            parse_at("2100-01-01 00:00:00"),
            Err(FrequencyError::AtYearOutOfRange(2100))
        );
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "2022-06-06",
            "2022-6-06 13:15:30",
            "2022-06-06T13:15:30",
            "2022-06-06 13:15",
            "22-06-06 13:15:30",
            "2022-06-06 13:15:30 UTC extra",
            "2022/06/06 13:15:30",
            "2022-06-06 1:15:30",
            "+022-06-06 13:15:30",
            "2022-06-06 13:15:30.5",
        ] {
            assert_eq!(
                parse_at(bad),
                Err(FrequencyError::AtSyntax(bad.to_owned())),
                "{bad:?}"
            );
        }
        assert!(matches!(
            parse_at("2022-06-06 13:15:30 CST"),
            Err(FrequencyError::UnknownTimeZone { .. })
        ));
    }

    #[test]
    fn past_check_is_exact_for_every_zone() {
        let now = utc("2024-06-01T12:00:00Z");
        assert!(parse_at("2024-06-01 12:00:00")
            .unwrap()
            .check_not_past(now)
            .is_ok());
        assert_eq!(
            parse_at("2024-06-01 11:59:59")
                .unwrap()
                .check_not_past(now)
                .unwrap_err()
                .to_string(),
            "at(2024-06-01 11:59:59 UTC) is in the past; a one-time run must be scheduled in the future"
        );
        // 19:59 at GMT+8 is 11:59 UTC.
        assert!(parse_at("2024-06-01 19:59:00 GMT+8:00")
            .unwrap()
            .check_not_past(now)
            .is_err());
        assert!(parse_at("2024-06-01 20:00:00 GMT+8:00")
            .unwrap()
            .check_not_past(now)
            .is_ok());
        // Shanghai is UTC+8; New York is UTC-4 in June (daylight saving time).
        assert!(parse_at("2024-06-01 20:00:00 Asia/Shanghai")
            .unwrap()
            .check_not_past(now)
            .is_ok());
        assert!(parse_at("2024-06-01 19:59:59 Asia/Shanghai")
            .unwrap()
            .check_not_past(now)
            .is_err());
        assert!(parse_at("2024-06-01 08:00:00 America/New_York")
            .unwrap()
            .check_not_past(now)
            .is_ok());
        assert!(parse_at("2024-06-01 07:59:59 America/New_York")
            .unwrap()
            .check_not_past(now)
            .is_err());
    }
}
