//! Request timestamps (`Timestamp` for V1, `x-acs-date` for V3): ISO 8601 UTC, accepted
//! within 15 minutes either side of the server clock.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

use crate::errors::ApiError;

/// How far a request's clock may be from the server's.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Parses `yyyy-MM-ddTHH:mm:ssZ` (fractional seconds tolerated) and checks the window.
pub fn check(value: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    let parsed = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.fZ")
        .map_err(|_| ApiError::TimestampFormat)?
        .and_utc();
    if (now - parsed).abs() > WINDOW {
        return Err(ApiError::TimestampExpired);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn accepts_within_window() {
        let now = at("2024-05-01T12:00:00Z");
        assert!(check("2024-05-01T12:00:00Z", now).is_ok());
        assert!(check("2024-05-01T11:45:00Z", now).is_ok());
        assert!(check("2024-05-01T12:14:59.123Z", now).is_ok());
    }

    #[test]
    fn rejects_outside_window() {
        let now = at("2024-05-01T12:00:00Z");
        assert_eq!(
            check("2024-05-01T11:44:59Z", now),
            Err(ApiError::TimestampExpired)
        );
        assert_eq!(
            check("2024-05-01T12:15:01Z", now),
            Err(ApiError::TimestampExpired)
        );
    }

    #[test]
    fn rejects_other_formats() {
        let now = at("2024-05-01T12:00:00Z");
        for bad in [
            "2024-05-01 12:00:00",
            "2024-05-01T12:00:00+08:00",
            "1714564800",
            "",
            "mock date",
        ] {
            assert_eq!(check(bad, now), Err(ApiError::TimestampFormat), "{bad}");
        }
    }
}
