//! Time zones accepted after `at(...)` and cron expressions: IANA `Area/Location` names (from a
//! built-in list, tzdata 2025b, so no tz database ships in the binary), `GMT+H:MM`/`GMT-H:MM`
//! offsets, and `UTC`. Other abbreviations (`CST`, `GMT`, `EST5EDT`...) are rejected.

use std::fmt;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::error::FrequencyError;

/// Sorted (bytewise), one name per line: every zone and link of tzdata containing a `/`.
const IANA_ZONES: &str = include_str!("iana_zones.txt");

/// Real-world UTC offsets lie within these bounds; used when the offset of a zone is unknown.
const MAX_WEST_HOURS: u8 = 12;
const MAX_EAST_HOURS: u8 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    Utc,
    /// `GMT+8:00` is `Offset { minutes: 480 }`.
    Offset {
        minutes: i16,
    },
    /// A name from the IANA tz database, e.g. `Asia/Shanghai`.
    Iana(&'static str),
}

impl TimeZone {
    /// The fixed offset from UTC in seconds, or `None` for IANA zones (which may observe DST).
    pub fn fixed_offset_seconds(&self) -> Option<i32> {
        match self {
            Self::Utc => Some(0),
            Self::Offset { minutes } => Some(i32::from(*minutes) * 60),
            Self::Iana(_) => None,
        }
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Utc => f.write_str("UTC"),
            Self::Offset { minutes } => {
                let sign = if *minutes < 0 { '-' } else { '+' };
                let abs = minutes.unsigned_abs();
                write!(f, "GMT{sign}{}:{:02}", abs / 60, abs % 60)
            }
            Self::Iana(name) => f.write_str(name),
        }
    }
}

/// Parses a time zone token. Names are case-sensitive, as in the tz database.
pub(crate) fn parse_time_zone(text: &str) -> Result<TimeZone, FrequencyError> {
    if text == "UTC" {
        return Ok(TimeZone::Utc);
    }
    if let Some(offset) = text.strip_prefix("GMT").filter(|rest| !rest.is_empty()) {
        return parse_gmt_offset(offset).ok_or_else(|| FrequencyError::InvalidGmtOffset(text.to_owned()));
    }
    if let Some(name) = find_iana(text) {
        return Ok(TimeZone::Iana(name));
    }
    let suggestion = IANA_ZONES.lines().find(|name| name.eq_ignore_ascii_case(text));
    Err(FrequencyError::UnknownTimeZone {
        name: text.to_owned(),
        suggestion,
    })
}

fn find_iana(text: &str) -> Option<&'static str> {
    IANA_ZONES.lines().find(|name| *name == text)
}

/// `+8:00`, `-7:00`, `+5:45`: hour without leading zero, minutes 00/30/45.
fn parse_gmt_offset(text: &str) -> Option<TimeZone> {
    let (west, rest) = match text.as_bytes().first()? {
        b'+' => (false, text.get(1..)?),
        b'-' => (true, text.get(1..)?),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    let hours_ok = matches!(hours.len(), 1 | 2)
        && hours.bytes().all(|b| b.is_ascii_digit())
        && !(hours.len() == 2 && hours.starts_with('0'));
    if !hours_ok || !matches!(minutes, "00" | "30" | "45") {
        return None;
    }
    let hours: u8 = hours.parse().ok()?;
    let minutes: u8 = minutes.parse().ok()?;
    let limit = if west { MAX_WEST_HOURS } else { MAX_EAST_HOURS };
    if hours > limit || (hours == limit && minutes != 0) {
        return None;
    }
    let total = i16::from(hours) * 60 + i16::from(minutes);
    Some(TimeZone::Offset {
        minutes: if west { -total } else { total },
    })
}

/// The earliest wall-clock time it can be right now in `zone`. For an IANA zone, or no zone
/// (the instance's own), the offset is unknown without a tz database, so assume the westernmost
/// one: "in the past" then only ever means certainly in the past.
pub(crate) fn earliest_local_now(zone: Option<&TimeZone>, now: DateTime<Utc>) -> NaiveDateTime {
    let offset_seconds = zone
        .and_then(TimeZone::fixed_offset_seconds)
        .unwrap_or(-i32::from(MAX_WEST_HOURS) * 3600);
    now.naive_utc() + Duration::seconds(i64::from(offset_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_list_is_sorted_unique_and_complete_enough() {
        let names: Vec<&str> = IANA_ZONES.lines().collect();
        assert!(names.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(names.len() > 500);
        assert!(names.iter().all(|name| name.contains('/')));
    }

    #[test]
    fn accepts_iana_names_offsets_and_utc() {
        assert_eq!(
            parse_time_zone("Asia/Shanghai"),
            Ok(TimeZone::Iana("Asia/Shanghai"))
        );
        assert_eq!(
            parse_time_zone("America/Argentina/Buenos_Aires")
                .map(|z| z.to_string())
                .as_deref(),
            Ok("America/Argentina/Buenos_Aires")
        );
        assert_eq!(parse_time_zone("Etc/GMT-8"), Ok(TimeZone::Iana("Etc/GMT-8")));
        assert_eq!(parse_time_zone("UTC"), Ok(TimeZone::Utc));
        assert_eq!(parse_time_zone("GMT+8:00"), Ok(TimeZone::Offset { minutes: 480 }));
        assert_eq!(
            parse_time_zone("GMT-7:00"),
            Ok(TimeZone::Offset { minutes: -420 })
        );
        assert_eq!(parse_time_zone("GMT+5:45"), Ok(TimeZone::Offset { minutes: 345 }));
        assert_eq!(
            parse_time_zone("GMT-9:30"),
            Ok(TimeZone::Offset { minutes: -570 })
        );
        assert_eq!(
            parse_time_zone("GMT+14:00"),
            Ok(TimeZone::Offset { minutes: 840 })
        );
        assert_eq!(
            parse_time_zone("GMT+10:00").map(|z| z.to_string()).as_deref(),
            Ok("GMT+10:00")
        );
        assert_eq!(
            parse_time_zone("GMT-0:30").map(|z| z.to_string()).as_deref(),
            Ok("GMT-0:30")
        );
    }

    #[test]
    fn rejects_bad_offsets() {
        for bad in [
            "GMT+08:00",
            "GMT+8",
            "GMT8:00",
            "GMT+8:15",
            "GMT+8:0",
            "GMT+15:00",
            "GMT-13:00",
            "GMT+14:30",
            "GMT+:00",
            "GMT+a:00",
            "GMT++8:00",
            "GMT+",
        ] {
            assert_eq!(
                parse_time_zone(bad),
                Err(FrequencyError::InvalidGmtOffset(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_unknown_names_and_abbreviations_with_a_hint() {
        for bad in ["GMT", "CST", "EST5EDT", "Mars/Olympus", "Japan", "", "utc"] {
            assert!(
                matches!(parse_time_zone(bad), Err(FrequencyError::UnknownTimeZone { .. })),
                "{bad}"
            );
        }
        let err = parse_time_zone("asia/shanghai").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown time zone 'asia/shanghai' (did you mean Asia/Shanghai?); use an IANA name such as \
             Asia/Shanghai, an offset such as GMT+8:00, or UTC"
        );
    }

    #[test]
    fn earliest_local_now_uses_known_offsets_else_the_westernmost() {
        let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = |zone: Option<&TimeZone>| earliest_local_now(zone, now).to_string();
        assert_eq!(at(Some(&TimeZone::Utc)), "2024-01-01 00:00:00");
        assert_eq!(
            at(Some(&TimeZone::Offset { minutes: 480 })),
            "2024-01-01 08:00:00"
        );
        assert_eq!(at(Some(&TimeZone::Iana("Asia/Shanghai"))), "2023-12-31 12:00:00");
        assert_eq!(at(None), "2023-12-31 12:00:00");
    }
}
