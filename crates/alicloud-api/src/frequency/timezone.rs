//! Time zones accepted after `at(...)` and cron expressions: IANA `Area/Location` names (the tz
//! database that `chrono-tz` compiles in, so their offsets and DST rules are real), `GMT+H:MM`/`GMT-H:MM`
//! offsets, and `UTC`. Other abbreviations (`CST`, `GMT`, `EST5EDT`...) are rejected.

use std::fmt;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::error::FrequencyError;

/// Real-world UTC offsets lie within these bounds; the westernmost stands in for the
/// instance's own zone, which is unknown before the command runs.
const MAX_WEST_HOURS: u8 = 12;
const MAX_EAST_HOURS: u8 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    Utc,
    /// `GMT+8:00` is `Offset { minutes: 480 }`.
    Offset {
        minutes: i16,
    },
    /// A zone of the IANA tz database, e.g. `Asia/Shanghai`.
    Iana(Tz),
}

impl TimeZone {
    /// The wall-clock time in this zone at the instant `now` (with DST for IANA zones).
    pub fn local_time(&self, now: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Self::Utc => now.naive_utc(),
            Self::Offset { minutes } => now.naive_utc() + Duration::minutes(i64::from(*minutes)),
            Self::Iana(zone) => now.with_timezone(zone).naive_local(),
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
            Self::Iana(zone) => f.write_str(zone.name()),
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
    // Only `Area/Location` names: the database's bare names are the abbreviations refused above.
    if !text.contains('/') {
        return Err(unknown(text, None));
    }
    if let Ok(zone) = text.parse::<Tz>() {
        return Ok(TimeZone::Iana(zone));
    }
    let suggestion = Tz::from_str_insensitive(text).ok().map(|zone| zone.name());
    Err(unknown(text, suggestion))
}

fn unknown(name: &str, suggestion: Option<&'static str>) -> FrequencyError {
    FrequencyError::UnknownTimeZone {
        name: name.to_owned(),
        suggestion,
    }
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

/// The earliest wall-clock time it can be right now in `zone`: exact for a given zone; for no
/// zone (the instance's own, unknown here) the westernmost offset, so "in the past" then only
/// ever means certainly in the past.
pub(crate) fn earliest_local_now(zone: Option<&TimeZone>, now: DateTime<Utc>) -> NaiveDateTime {
    match zone {
        Some(zone) => zone.local_time(now),
        None => now.naive_utc() - Duration::hours(i64::from(MAX_WEST_HOURS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_knows_recent_zones_and_links() {
        // Zones added in tzdata 2022 and links kept for old names.
        for name in [
            "America/Ciudad_Juarez",
            "Europe/Kyiv",
            "Europe/Kiev",
            "US/Pacific",
        ] {
            assert_eq!(parse_time_zone(name).map(|z| z.to_string()).as_deref(), Ok(name));
        }
    }

    #[test]
    fn accepts_iana_names_offsets_and_utc() {
        assert_eq!(
            parse_time_zone("Asia/Shanghai"),
            Ok(TimeZone::Iana(Tz::Asia__Shanghai))
        );
        assert_eq!(
            parse_time_zone("America/Argentina/Buenos_Aires")
                .map(|z| z.to_string())
                .as_deref(),
            Ok("America/Argentina/Buenos_Aires")
        );
        assert_eq!(
            parse_time_zone("Etc/GMT-8"),
            Ok(TimeZone::Iana(Tz::Etc__GMTMinus8))
        );
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
    fn earliest_local_now_is_exact_for_every_zone_and_westernmost_without_one() {
        let at = |zone: Option<&str>, now: &str| {
            let now = DateTime::parse_from_rfc3339(now).unwrap().with_timezone(&Utc);
            let zone = zone.map(|z| parse_time_zone(z).unwrap());
            earliest_local_now(zone.as_ref(), now).to_string()
        };
        let winter = "2024-01-01T00:00:00Z";
        assert_eq!(at(Some("UTC"), winter), "2024-01-01 00:00:00");
        assert_eq!(at(Some("GMT+8:00"), winter), "2024-01-01 08:00:00");
        assert_eq!(at(Some("GMT-9:30"), winter), "2023-12-31 14:30:00");
        assert_eq!(at(Some("Asia/Shanghai"), winter), "2024-01-01 08:00:00");
        assert_eq!(at(Some("Asia/Kathmandu"), winter), "2024-01-01 05:45:00");
        // Daylight saving time: New York is UTC-5 in winter, UTC-4 in summer.
        assert_eq!(at(Some("America/New_York"), winter), "2023-12-31 19:00:00");
        assert_eq!(
            at(Some("America/New_York"), "2024-07-01T00:00:00Z"),
            "2024-06-30 20:00:00"
        );
        assert_eq!(at(None, winter), "2023-12-31 12:00:00");
    }
}
