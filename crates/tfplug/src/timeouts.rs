//! The `timeouts { create = "30m" }` block Terraform users know: its schema, its model, and
//! its durations (`"30s"`, `"1.5h"`, `"1h30m"`, Go's `time.ParseDuration` form).

use std::time::Duration;

use super::context::ValueContext;
use super::diagnostics::Diagnostics;
use super::schema::{Attribute, Block, NestedBlock, Validator};
use super::types::Type;
use super::value::Value;

crate::model! {
    /// The `timeouts` block, as a resource's model holds it.
    pub struct Timeouts {
        create: String,
    }
}

impl Timeouts {
    /// The block, with `create` described by `create` (what the resource waits for, and its
    /// default). `non_positive_hint` tells what to write instead of a zero or negative duration.
    pub fn block(create: &str, non_positive_hint: &'static str) -> NestedBlock {
        NestedBlock::single(
            "timeouts",
            Block::new("How long apply may take.").attribute(
                Attribute::optional("create", Type::String)
                    .describe(create)
                    .validate(ValidDuration { non_positive_hint }),
            ),
        )
    }

    /// The configured `create` duration; `None` when left out (or refused by validation).
    pub fn create(&self) -> Option<Duration> {
        self.create.get().and_then(|text| parse_duration(text).ok())
    }
}

/// Why a `timeouts` duration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum DurationError {
    #[error("is not a duration")]
    Malformed,
    #[error("has no unit after {0:?}")]
    MissingUnit(String),
    #[error("has the unknown unit {0:?}")]
    UnknownUnit(String),
    #[error("gives the unit {0:?} more than once, or after a smaller one")]
    UnitOutOfOrder(String),
    #[error("is negative: apply cannot wait less than no time")]
    Negative,
    #[error("is zero: apply would give up before it could finish")]
    Zero,
    #[error("is longer than the longest wait (about 292 years)")]
    TooLong,
}

/// Units in Go's `time.ParseDuration`, largest first, with their length in nanoseconds.
const UNITS: [(&str, u128); 8] = [
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ns", 1),
];

/// A duration as Terraform users write them, in Go's `time.ParseDuration` form: numbers,
/// decimals allowed, each with a unit (`"90s"`, `"1.5h"`, `"300ms"`, `"2h45m30.5s"`). Go also
/// adds up a unit given twice (`"1h1h"`) and reads units in any order; that is almost always a
/// typo here, so each unit must come once, largest first. Written by hand because no crate
/// refuses those. Zero and negative durations parse, and are refused with what they mean.
fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    match rest {
        "" => return Err(DurationError::Malformed),
        // Go's one unitless duration.
        "0" => return Err(DurationError::Zero),
        _ => {}
    }
    let mut total: u128 = 0;
    // The last unit read: the next one must be smaller.
    let mut previous: Option<usize> = None;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return Err(DurationError::Malformed);
        }
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        if unit.is_empty() {
            return Err(DurationError::MissingUnit(number.to_string()));
        }
        let index = UNITS
            .iter()
            .position(|(name, _)| *name == unit)
            .ok_or_else(|| DurationError::UnknownUnit(unit.to_string()))?;
        // `us`, `µs` and `μs` are one unit.
        let rank = UNITS[index].1;
        if previous.is_some_and(|last| UNITS[last].1 <= rank) {
            return Err(DurationError::UnitOutOfOrder(unit.to_string()));
        }
        previous = Some(index);
        total = total
            .checked_add(scaled(whole, fraction, rank).ok_or(DurationError::TooLong)?)
            .ok_or(DurationError::TooLong)?;
        rest = next;
    }
    let nanos = u64::try_from(total).map_err(|_| DurationError::TooLong)?;
    match (nanos, negative) {
        (0, _) => Err(DurationError::Zero),
        (_, true) => Err(DurationError::Negative),
        (nanos, false) => Ok(Duration::from_nanos(nanos)),
    }
}

/// `whole.fraction` units of `unit_nanos` each, in nanoseconds (digits beyond a nanosecond
/// are dropped, as Go does); `None` on overflow.
fn scaled(whole: &str, fraction: &str, unit_nanos: u128) -> Option<u128> {
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut nanos = whole.checked_mul(unit_nanos)?;
    let mut scale = unit_nanos;
    for digit in fraction.bytes() {
        scale /= 10;
        nanos = nanos.checked_add(u128::from(digit - b'0') * scale)?;
    }
    Some(nanos)
}

/// Attribute rule: a positive duration `parse_duration` reads.
struct ValidDuration {
    non_positive_hint: &'static str,
}

impl Validator for ValidDuration {
    fn description(&self) -> String {
        "a duration: numbers, decimals allowed, each with a unit (`h`, `m`, `s`, `ms`, `us`, `ns`), \
         each unit once and largest first, e.g. `\"90s\"`, `\"1.5h\"`, `\"1h30m\"`, `\"300ms\"`"
            .to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        if let Err(error) = parse_duration(text) {
            let hint = match error {
                DurationError::Negative | DurationError::Zero => self.non_positive_hint.to_string(),
                _ => format!("`{}` must be {}.", ctx.path, self.description()),
            };
            diags.error_at(
                ctx.path.clone(),
                "Invalid duration",
                format!("{} {error}. {hint}", ctx.show(value)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_writes_them() {
        let ok = |text: &str| parse_duration(text).unwrap();
        assert_eq!(ok("90s"), Duration::from_secs(90));
        assert_eq!(ok("1h30m"), Duration::from_secs(5400));
        assert_eq!(ok("10m"), Duration::from_secs(600));
        assert_eq!(ok("1.5h"), Duration::from_secs(5400));
        assert_eq!(ok("300ms"), Duration::from_millis(300));
        assert_eq!(ok("2h45m30.5s"), Duration::from_millis(9_930_500));
        assert_eq!(ok("+.5m"), Duration::from_secs(30));
        assert_eq!(ok("1\u{b5}s"), Duration::from_micros(1));
        assert_eq!(ok("1m1us1ns"), Duration::from_nanos(60_000_001_001));
    }

    #[test]
    fn each_refusal_says_what_is_wrong() {
        use DurationError::*;
        for (text, error) in [
            ("", Malformed),
            ("s", Malformed),
            (".s", Malformed),
            ("1..5s", Malformed),
            ("10", MissingUnit("10".into())),
            ("5d", UnknownUnit("d".into())),
            ("1h1h", UnitOutOfOrder("h".into())),
            ("30m1h", UnitOutOfOrder("h".into())),
            ("1us1\u{b5}s", UnitOutOfOrder("\u{b5}s".into())),
            ("0s", Zero),
            ("0", Zero),
            ("-5s", Negative),
            ("-0s", Zero),
            ("9999999h", TooLong),
        ] {
            assert_eq!(parse_duration(text), Err(error), "{text}");
        }
    }
}
