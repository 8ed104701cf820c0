//! The grammar of one cron field: lists of numbers (or month/weekday names), ranges `a-b`, steps
//! `*/s`, `a/s`, `a-b/s`, and the day-of-month (`L`, `L-n`, `LW`, `nW`) and day-of-week (`L`,
//! `nL`, `n#k`) specials. `?` is decided by the caller, which knows which fields allow it.

use crate::frequency::error::{CronField, FrequencyError};

/// The allowed values and names of one field.
pub(crate) struct FieldSpec {
    pub field: CronField,
    pub min: u16,
    pub max: u16,
    /// Case-insensitive names for `min`, `min + 1`, ...
    pub names: &'static [&'static str],
}

pub(crate) const SECOND: FieldSpec = FieldSpec {
    field: CronField::Second,
    min: 0,
    max: 59,
    names: &[],
};
pub(crate) const MINUTE: FieldSpec = FieldSpec {
    field: CronField::Minute,
    min: 0,
    max: 59,
    names: &[],
};
pub(crate) const HOUR: FieldSpec = FieldSpec {
    field: CronField::Hour,
    min: 0,
    max: 23,
    names: &[],
};
pub(crate) const DAY_OF_MONTH: FieldSpec = FieldSpec {
    field: CronField::DayOfMonth,
    min: 1,
    max: 31,
    names: &[],
};
pub(crate) const MONTH: FieldSpec = FieldSpec {
    field: CronField::Month,
    min: 1,
    max: 12,
    names: &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ],
};
/// Cloud Assistant numbers days of the week 1 = Monday ... 7 = Sunday.
pub(crate) const DAY_OF_WEEK: FieldSpec = FieldSpec {
    field: CronField::DayOfWeek,
    min: 1,
    max: 7,
    names: &["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
};
pub(crate) const YEAR: FieldSpec = FieldSpec {
    field: CronField::Year,
    min: 1970,
    max: 2099,
    names: &[],
};

const ITEM_GRAMMAR: &str =
    "expected *, a number, a range a-b, a step */s, a/s or a-b/s, or a comma-separated list of these";
const DOM_SPECIALS_ALONE: &str = "L and W must stand alone as L, L-n, LW or nW";
const DOW_SPECIALS_ALONE: &str = "L and # must stand alone as L, nL or n#k";

/// A sorted set of distinct field values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueSet(Vec<u16>);

impl ValueSet {
    pub fn contains(&self, value: u16) -> bool {
        self.0.binary_search(&value).is_ok()
    }

    pub fn values(&self) -> &[u16] {
        &self.0
    }

    /// `max - min`; 0 for a single value.
    pub fn span(&self) -> u16 {
        match (self.0.first(), self.0.last()) {
            (Some(first), Some(last)) => last - first,
            _ => 0,
        }
    }

    /// The smallest difference between neighbouring values, `None` with fewer than two values.
    pub fn min_step(&self) -> Option<u16> {
        self.0
            .windows(2)
            .filter_map(|pair| pair.get(1).zip(pair.first()))
            .map(|(b, a)| b - a)
            .min()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DayOfMonth {
    Days(ValueSet),
    /// `L` (offset 0) or `L-n`: the last day of the month minus `n`.
    Last {
        offset: u16,
    },
    /// `LW`: the last Monday-to-Friday of the month.
    LastWeekday,
    /// `nW`: the Monday-to-Friday nearest to day `n`, without leaving the month.
    NearestWeekday(u16),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DayOfWeek {
    /// 1 = Monday ... 7 = Sunday.
    Days(ValueSet),
    /// `nL`: the last such weekday of the month.
    LastOfMonth(u16),
    /// `n#k`: the k-th (1-5) such weekday of the month.
    Nth { weekday: u16, nth: u16 },
}

/// Parses a plain field: a comma-separated list of `*`, numbers, ranges and steps.
pub(crate) fn parse_values(spec: &FieldSpec, token: &str) -> Result<ValueSet, FrequencyError> {
    let mut values = Vec::new();
    for item in token.split(',') {
        parse_item(spec, item, &mut values)?;
    }
    values.sort_unstable();
    values.dedup();
    Ok(ValueSet(values))
}

/// Parses a day-of-month field that is not `?`.
pub(crate) fn parse_day_of_month(token: &str) -> Result<DayOfMonth, FrequencyError> {
    let spec = &DAY_OF_MONTH;
    if token == "L" {
        return Ok(DayOfMonth::Last { offset: 0 });
    }
    if token == "LW" {
        return Ok(DayOfMonth::LastWeekday);
    }
    if let Some(offset) = token.strip_prefix("L-").filter(|offset| is_plain(offset)) {
        return match parse_digits(spec, token, offset)? {
            offset @ 1..=30 => Ok(DayOfMonth::Last { offset }),
            _ => Err(invalid(spec, token, "the n in L-n must be 1-30")),
        };
    }
    if let Some(day) = token.strip_suffix('W').filter(|day| is_plain(day)) {
        return Ok(DayOfMonth::NearestWeekday(parse_number(spec, token, day)?));
    }
    if token.contains(['L', 'W']) {
        return Err(invalid(spec, token, DOM_SPECIALS_ALONE));
    }
    parse_values(spec, token).map(DayOfMonth::Days)
}

/// Parses a day-of-week field that is not `?`.
pub(crate) fn parse_day_of_week(token: &str) -> Result<DayOfWeek, FrequencyError> {
    let spec = &DAY_OF_WEEK;
    if token == "L" {
        return Ok(DayOfWeek::Days(ValueSet(vec![spec.max])));
    }
    if let Some(weekday) = token.strip_suffix('L').filter(|day| is_plain(day)) {
        return Ok(DayOfWeek::LastOfMonth(parse_number(spec, token, weekday)?));
    }
    if let Some((weekday, nth)) = token
        .split_once('#')
        .filter(|(day, nth)| is_plain(day) && is_plain(nth))
    {
        let weekday = parse_number(spec, token, weekday)?;
        let nth = parse_digits(spec, token, nth)?;
        if !(1..=5).contains(&nth) {
            return Err(invalid(spec, token, "the occurrence k in n#k must be 1-5"));
        }
        return Ok(DayOfWeek::Nth { weekday, nth });
    }
    if token.contains(['L', '#']) {
        return Err(invalid(spec, token, DOW_SPECIALS_ALONE));
    }
    parse_values(spec, token).map(DayOfWeek::Days)
}

/// A lone number or name, the only operand the `L`, `W` and `#` forms take.
fn is_plain(text: &str) -> bool {
    !text.contains([',', '-', '/', '*', '?', 'L', 'W', '#'])
}

fn parse_item(spec: &FieldSpec, item: &str, values: &mut Vec<u16>) -> Result<(), FrequencyError> {
    if item == "?" {
        return Err(invalid(
            spec,
            item,
            "'?' is only allowed alone in day-of-month or day-of-week",
        ));
    }
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, Some(parse_step(spec, item, step)?)),
        None => (item, None),
    };
    let (start, end) = if range == "*" {
        (spec.min, spec.max)
    } else if let Some((start, end)) = range.split_once('-') {
        let (start, end) = (parse_number(spec, item, start)?, parse_number(spec, item, end)?);
        if start > end {
            return Err(FrequencyError::ReversedRange {
                field: spec.field,
                item: item.to_owned(),
            });
        }
        (start, end)
    } else {
        let start = parse_number(spec, item, range)?;
        (start, if step.is_some() { spec.max } else { start })
    };
    values.extend((start..=end).step_by(usize::from(step.unwrap_or(1))));
    Ok(())
}

/// A step must be 1 at least and at most the number of values the field has.
fn parse_step(spec: &FieldSpec, item: &str, text: &str) -> Result<u16, FrequencyError> {
    let count = spec.max - spec.min + 1;
    match parse_digits(spec, item, text)? {
        step @ 1.. if step <= count => Ok(step),
        _ => Err(FrequencyError::StepOutOfRange {
            field: spec.field,
            item: item.to_owned(),
            max: count,
        }),
    }
}

/// A value of the field: a name, or digits within the field's range.
fn parse_number(spec: &FieldSpec, item: &str, text: &str) -> Result<u16, FrequencyError> {
    if let Some(index) = spec.names.iter().position(|name| name.eq_ignore_ascii_case(text)) {
        return u16::try_from(index)
            .map(|index| spec.min + index)
            .map_err(|_| out_of_range(spec, text));
    }
    let value = parse_digits(spec, item, text)?;
    if !(spec.min..=spec.max).contains(&value) {
        return Err(out_of_range(spec, text));
    }
    Ok(value)
}

/// Plain digits with at most one leading zero; values too large for `u16` are out of range.
fn parse_digits(spec: &FieldSpec, item: &str, text: &str) -> Result<u16, FrequencyError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        let reason = if spec.names.is_empty() {
            ITEM_GRAMMAR
        } else if spec.field == CronField::Month {
            "expected a month 1-12 or JAN-DEC in *, a range a-b, a step */s, a/s or a-b/s, or a list"
        } else {
            "expected a weekday 1-7 or MON-SUN in *, a range a-b, a step */s, a/s or a-b/s, or a list"
        };
        return Err(invalid(spec, item, reason));
    }
    if text.len() > 2 && text.starts_with("00") {
        return Err(FrequencyError::LeadingZeros {
            field: spec.field,
            number: text.to_owned(),
        });
    }
    text.parse().map_err(|_| out_of_range(spec, text))
}

fn out_of_range(spec: &FieldSpec, value: &str) -> FrequencyError {
    FrequencyError::OutOfRange {
        field: spec.field,
        value: value.to_owned(),
        min: spec.min,
        max: spec.max,
    }
}

fn invalid(spec: &FieldSpec, item: &str, reason: &'static str) -> FrequencyError {
    FrequencyError::InvalidItem {
        field: spec.field,
        item: item.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(spec: &FieldSpec, token: &str) -> Vec<u16> {
        parse_values(spec, token).unwrap().values().to_vec()
    }

    #[test]
    fn expands_lists_ranges_and_steps() {
        assert_eq!(values(&SECOND, "0"), [0]);
        assert_eq!(values(&MINUTE, "*/20"), [0, 20, 40]);
        assert_eq!(values(&MINUTE, "0/30"), [0, 30]);
        assert_eq!(values(&HOUR, "10-11"), [10, 11]);
        assert_eq!(values(&HOUR, "8-18/4,23,0"), [0, 8, 12, 16, 23]);
        assert_eq!(values(&SECOND, "5,5,1"), [1, 5]);
        assert_eq!(values(&SECOND, "50/60"), [50]);
        assert_eq!(values(&YEAR, "2022/2").first(), Some(&2022));
        assert_eq!(values(&YEAR, "2022/2").last(), Some(&2098));
        assert_eq!(values(&YEAR, "*").len(), 130);
        assert_eq!(values(&DAY_OF_MONTH, "*").len(), 31);
    }

    #[test]
    fn accepts_names_case_insensitively() {
        assert_eq!(values(&MONTH, "JAN-MAR,dec"), [1, 2, 3, 12]);
        assert_eq!(values(&MONTH, "Jul/3"), [7, 10]);
        assert_eq!(values(&DAY_OF_WEEK, "MON-FRI"), [1, 2, 3, 4, 5]);
        assert_eq!(values(&DAY_OF_WEEK, "sat,SUN"), [6, 7]);
        assert!(parse_values(&SECOND, "JAN").is_err());
        assert!(parse_values(&DAY_OF_WEEK, "MONDAY").is_err());
    }

    #[test]
    fn allows_one_leading_zero_only() {
        assert_eq!(values(&HOUR, "08"), [8]);
        assert_eq!(values(&SECOND, "00"), [0]);
        assert_eq!(
            values(&MINUTE, "*/05"),
            [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]
        );
        assert_eq!(
            parse_values(&HOUR, "008").unwrap_err().to_string(),
            "cron field 'hour' number '008' has more than one leading zero (write e.g. 08, not 008)"
        );
        assert!(matches!(
            parse_values(&SECOND, "000"),
            Err(FrequencyError::LeadingZeros { .. })
        ));
        assert!(matches!(
            parse_values(&MINUTE, "0/005"),
            Err(FrequencyError::LeadingZeros { .. })
        ));
    }

    #[test]
    fn rejects_out_of_range_values_with_the_field_range() {
        assert_eq!(
            parse_values(&SECOND, "61").unwrap_err().to_string(),
            "cron field 'second' value 61 is out of range 0-59"
        );
        assert_eq!(
            parse_values(&HOUR, "1-24").unwrap_err().to_string(),
            "cron field 'hour' value 24 is out of range 0-23"
        );
        assert_eq!(
            parse_values(&DAY_OF_MONTH, "0").unwrap_err().to_string(),
            "cron field 'day-of-month' value 0 is out of range 1-31"
        );
        assert!(matches!(
            parse_values(&MONTH, "13"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_values(&DAY_OF_WEEK, "0"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_values(&DAY_OF_WEEK, "8"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_values(&YEAR, "1969"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_values(&YEAR, "2100"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_values(&SECOND, "99999999999"),
            Err(FrequencyError::OutOfRange { .. })
        ));
    }

    #[test]
    fn rejects_malformed_items() {
        for bad in [
            "", ",", "1,", "-", "1-", "-1", "1-2-3", "*/", "/5", "1/2/3", "a", "1.5", "**", " 1", "+1",
        ] {
            assert!(
                matches!(
                    parse_values(&SECOND, bad),
                    Err(FrequencyError::InvalidItem { .. })
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_values(&SECOND, "?").unwrap_err().to_string(),
            "cron field 'second' item '?' is invalid: '?' is only allowed alone in day-of-month or day-of-week"
        );
        assert_eq!(
            parse_values(&HOUR, "20-4").unwrap_err().to_string(),
            "cron field 'hour' range 20-4 is reversed; the start must not exceed the end"
        );
        assert_eq!(
            parse_values(&MINUTE, "*/0").unwrap_err().to_string(),
            "cron field 'minute' step in '*/0' must be between 1 and 60"
        );
        assert!(matches!(
            parse_values(&MONTH, "1/13"),
            Err(FrequencyError::StepOutOfRange { .. })
        ));
    }

    #[test]
    fn parses_day_of_month_specials() {
        assert_eq!(parse_day_of_month("L"), Ok(DayOfMonth::Last { offset: 0 }));
        assert_eq!(parse_day_of_month("L-3"), Ok(DayOfMonth::Last { offset: 3 }));
        assert_eq!(parse_day_of_month("LW"), Ok(DayOfMonth::LastWeekday));
        assert_eq!(parse_day_of_month("15W"), Ok(DayOfMonth::NearestWeekday(15)));
        assert_eq!(
            parse_day_of_month("1,15"),
            Ok(DayOfMonth::Days(ValueSet(vec![1, 15])))
        );
        assert_eq!(
            parse_day_of_month("L-31").unwrap_err().to_string(),
            "cron field 'day-of-month' item 'L-31' is invalid: the n in L-n must be 1-30"
        );
        assert!(matches!(
            parse_day_of_month("L-0"),
            Err(FrequencyError::InvalidItem { .. })
        ));
        assert!(matches!(
            parse_day_of_month("32W"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        for bad in ["1,L", "L,1", "1-L", "W", "1WW", "LL", "WL", "L-", "1-5W", "l"] {
            assert!(parse_day_of_month(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parses_day_of_week_specials() {
        assert_eq!(parse_day_of_week("L"), Ok(DayOfWeek::Days(ValueSet(vec![7]))));
        assert_eq!(parse_day_of_week("5L"), Ok(DayOfWeek::LastOfMonth(5)));
        assert_eq!(parse_day_of_week("FRIL"), Ok(DayOfWeek::LastOfMonth(5)));
        assert_eq!(
            parse_day_of_week("1#2"),
            Ok(DayOfWeek::Nth { weekday: 1, nth: 2 })
        );
        assert_eq!(
            parse_day_of_week("SUN#5"),
            Ok(DayOfWeek::Nth { weekday: 7, nth: 5 })
        );
        assert_eq!(
            parse_day_of_week("1#6").unwrap_err().to_string(),
            "cron field 'day-of-week' item '1#6' is invalid: the occurrence k in n#k must be 1-5"
        );
        assert!(matches!(
            parse_day_of_week("8L"),
            Err(FrequencyError::OutOfRange { .. })
        ));
        for bad in [
            "1,5L", "L,1", "1#", "#1", "1#1#1", "1#1L", "LL", "1-5L", "W", "1#0",
        ] {
            assert!(parse_day_of_week(bad).is_err(), "{bad:?}");
        }
    }
}
