//! The smallest possible time between two consecutive runs of a cron expression, computed from
//! the field sets rather than by simulation.
//!
//! Runs within a day are the product hour × minute × second, the same every firing day. Two
//! neighbouring runs are either in the same minute (gap: the closest two seconds), in
//! neighbouring fired minutes (the last second of one to the first of the next), or on
//! neighbouring firing days (the last run of one to the first of the next). Neighbouring fired
//! minutes decompose the same way into the same hour or neighbouring hours.

use super::field::ValueSet;

const DAY_SECONDS: u64 = 86_400;

/// `None` when the expression fires at most once.
pub(crate) fn min_interval_seconds(
    second: &ValueSet,
    minute: &ValueSet,
    hour: &ValueSet,
    min_gap_days: Option<u32>,
) -> Option<u64> {
    let minute_gap_minutes = min_option(step(minute), step(hour).map(|hours| 60 * hours - span(minute)));
    let in_day = min_option(
        step(second),
        minute_gap_minutes.map(|minutes| 60 * minutes - span(second)),
    );
    let day_span = span(hour) * 3_600 + span(minute) * 60 + span(second);
    let across_days = min_gap_days.map(|days| u64::from(days) * DAY_SECONDS - day_span);
    min_option(in_day, across_days)
}

fn step(values: &ValueSet) -> Option<u64> {
    values.min_step().map(u64::from)
}

fn span(values: &ValueSet) -> u64 {
    u64::from(values.span())
}

fn min_option(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frequency::cron::field::{parse_values, HOUR, MINUTE, SECOND};

    fn gap(second: &str, minute: &str, hour: &str, days: Option<u32>) -> Option<u64> {
        min_interval_seconds(
            &parse_values(&SECOND, second).unwrap(),
            &parse_values(&MINUTE, minute).unwrap(),
            &parse_values(&HOUR, hour).unwrap(),
            days,
        )
    }

    #[test]
    fn gaps_within_a_minute() {
        assert_eq!(gap("0,5", "*", "*", Some(1)), Some(5));
        assert_eq!(gap("*/15", "*", "*", Some(1)), Some(15));
        assert_eq!(gap("*", "*", "*", Some(1)), Some(1));
    }

    #[test]
    fn gaps_wrap_across_minute_hour_and_day_boundaries() {
        // :55 then :00 of the next minute.
        assert_eq!(gap("0,55", "*", "*", Some(1)), Some(5));
        // 59 then 58 of the next minute.
        assert_eq!(gap("58,59", "*", "*", Some(1)), Some(1));
        assert_eq!(gap("59", "*", "*", Some(1)), Some(60));
        // 10:59:59 then 11:00:00.
        assert_eq!(gap("0,59", "0,59", "10,11", Some(1)), Some(1));
        assert_eq!(gap("0", "0,59", "10-11", None), Some(60));
        // 23:59:55 then 00:00:00 the next day, only if consecutive days fire.
        assert_eq!(gap("0,55", "0,59", "0,23", Some(1)), Some(5));
        assert_eq!(gap("55", "59", "23", Some(1)), Some(86_400));
        assert_eq!(gap("0", "0", "0", Some(7)), Some(7 * 86_400));
        assert_eq!(gap("0", "0", "0,23", Some(1)), Some(3_600));
        assert_eq!(gap("0", "0", "0,23", Some(2)), Some(82_800));
    }

    #[test]
    fn single_run_has_no_interval() {
        assert_eq!(gap("0", "0", "0", None), None);
        assert_eq!(gap("0,30", "0", "0", None), Some(30));
    }
}
