//! `rate(<n><unit>)`: a fixed interval between consecutive runs, 60 seconds to 7 days.

use std::time::Duration;

use super::error::FrequencyError;

const MIN_SECONDS: u64 = 60;
const MAX_SECONDS: u64 = 7 * 86_400;

/// A validated `rate(...)` interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    seconds: u64,
}

impl Rate {
    pub fn interval(&self) -> Duration {
        Duration::from_secs(self.seconds)
    }

    pub fn seconds(&self) -> u64 {
        self.seconds
    }
}

/// Parses the text between `rate(` and `)`.
pub(crate) fn parse_rate(inner: &str) -> Result<Rate, FrequencyError> {
    let syntax = || FrequencyError::RateSyntax(inner.to_owned());
    let split = inner
        .len()
        .checked_sub(1)
        .filter(|&at| at > 0)
        .ok_or_else(syntax)?;
    let (digits, unit) = (
        inner.get(..split).ok_or_else(syntax)?,
        inner.get(split..).ok_or_else(syntax)?,
    );
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax());
    }
    let unit_seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(syntax()),
    };
    // Too many digits to fit u64 is certainly more than 7 days.
    let seconds = digits
        .parse::<u64>()
        .ok()
        .and_then(|count| count.checked_mul(unit_seconds))
        .ok_or_else(|| FrequencyError::RateTooLong(inner.to_owned()))?;
    if seconds < MIN_SECONDS {
        return Err(FrequencyError::RateTooShort(inner.to_owned()));
    }
    if seconds > MAX_SECONDS {
        return Err(FrequencyError::RateTooLong(inner.to_owned()));
    }
    Ok(Rate { seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_each_unit_within_bounds() {
        assert_eq!(parse_rate("5m").map(|r| r.seconds()), Ok(300));
        assert_eq!(parse_rate("60s").map(|r| r.seconds()), Ok(60));
        assert_eq!(
            parse_rate("2h").map(|r| r.interval()),
            Ok(Duration::from_secs(7_200))
        );
        assert_eq!(parse_rate("7d").map(|r| r.seconds()), Ok(604_800));
        assert_eq!(parse_rate("604800s").map(|r| r.seconds()), Ok(604_800));
        assert_eq!(parse_rate("01m").map(|r| r.seconds()), Ok(60));
    }

    #[test]
    fn rejects_intervals_outside_bounds() {
        assert_eq!(
            parse_rate("30s").unwrap_err().to_string(),
            "rate(30s) is below the minimum interval of 60 seconds"
        );
        assert_eq!(parse_rate("0m"), Err(FrequencyError::RateTooShort("0m".into())));
        assert_eq!(
            parse_rate("8d").unwrap_err().to_string(),
            "rate(8d) exceeds the maximum of 7 days"
        );
        assert_eq!(
            parse_rate("604801s"),
            Err(FrequencyError::RateTooLong("604801s".into()))
        );
        assert_eq!(
            parse_rate("99999999999999999999999d"),
            Err(FrequencyError::RateTooLong("99999999999999999999999d".into()))
        );
    }

    #[test]
    fn rejects_malformed_rates() {
        for bad in [
            "", "m", "5", "5M", "5 m", " 5m", "-5m", "+5m", "5.5m", "5w", "five m", "5mm", "５m",
        ] {
            assert_eq!(
                parse_rate(bad),
                Err(FrequencyError::RateSyntax(bad.to_owned())),
                "{bad:?}"
            );
        }
    }
}
