//! Time in the API's formats: records keep Unix milliseconds, answers show UTC
//! `yyyy-MM-ddTHH:mm:ssZ`, quotas count per UTC day.

use chrono::{DateTime, Utc};

pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// `yyyy-MM-ddTHH:mm:ssZ`; an out-of-range value prints as the epoch.
pub fn format_ms(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The same, or the empty string for "not yet", as the API shows unset times.
pub fn format_opt(ms: Option<i64>) -> String {
    ms.map(format_ms).unwrap_or_default()
}

/// The UTC day a quota counter belongs to.
pub fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_ms(1_456_231_584_999), "2016-02-23T12:46:24Z");
        assert_eq!(format_opt(None), "");
        let at = DateTime::from_timestamp(1_456_231_584, 0).unwrap();
        assert_eq!((millis(at), day(at).as_str()), (1_456_231_584_000, "2016-02-23"));
    }
}
