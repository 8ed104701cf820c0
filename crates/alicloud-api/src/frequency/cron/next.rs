//! The next wall-clock time a cron schedule fires, searched day by day and, on a firing day,
//! straight to the first hour, minute and second after the bound (no second-by-second scan).

use chrono::{NaiveDateTime, NaiveTime, Timelike};

use super::field::ValueSet;
use super::CronSchedule;

impl CronSchedule {
    /// The first firing time strictly after `after`, both wall-clock in the schedule's zone;
    /// `None` once the year range has no run left.
    pub fn next_local_after(&self, after: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut date = after.date();
        let mut bound = Some(hms(after.time()));
        while date <= self.last_run.date() {
            if self.days.matches(date) {
                if let Some(time) = self.first_time_after(bound) {
                    return Some(date.and_time(time));
                }
            }
            bound = None;
            date = date.succ_opt()?;
        }
        None
    }

    /// The earliest time of day later than `bound` (any time of day when `None`).
    fn first_time_after(&self, bound: Option<[u16; 3]>) -> Option<NaiveTime> {
        let [hours, minutes, seconds] = [&self.hour, &self.minute, &self.second];
        let time = |h: u16, m: u16, s: u16| NaiveTime::from_hms_opt(h.into(), m.into(), s.into());
        let Some([bh, bm, bs]) = bound else {
            return time(first(hours)?, first(minutes)?, first(seconds)?);
        };
        for &h in hours.values().iter().filter(|&&h| h >= bh) {
            if h > bh {
                return time(h, first(minutes)?, first(seconds)?);
            }
            for &m in minutes.values().iter().filter(|&&m| m >= bm) {
                if m > bm {
                    return time(h, m, first(seconds)?);
                }
                if let Some(&s) = seconds.values().iter().find(|&&s| s > bs) {
                    return time(h, m, s);
                }
            }
        }
        None
    }
}

fn first(set: &ValueSet) -> Option<u16> {
    set.values().first().copied()
}

/// Whole seconds: a fraction never makes a time "later" for a schedule with 1 s resolution.
fn hms(time: NaiveTime) -> [u16; 3] {
    [time.hour(), time.minute(), time.second()].map(|v| u16::try_from(v).unwrap_or(u16::MAX))
}

#[cfg(test)]
mod tests {
    use super::super::parse_cron;
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn next(expr: &str, after: &str) -> Option<String> {
        parse_cron(expr)
            .unwrap()
            .next_local_after(at(after))
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn steps_through_seconds_minutes_hours_and_days() {
        assert_eq!(
            next("*/10 * * * * *", "2024-05-01 12:00:00").as_deref(),
            Some("2024-05-01 12:00:10")
        );
        assert_eq!(
            next("*/10 * * * * *", "2024-05-01 12:00:55").as_deref(),
            Some("2024-05-01 12:01:00")
        );
        assert_eq!(
            next("0 */20 * * * *", "2024-05-01 12:59:59").as_deref(),
            Some("2024-05-01 13:00:00")
        );
        assert_eq!(
            next("0 0 3 * * ?", "2024-05-01 03:00:00").as_deref(),
            Some("2024-05-02 03:00:00")
        );
        assert_eq!(
            next("0 0 3 * * ?", "2024-05-01 02:59:59").as_deref(),
            Some("2024-05-01 03:00:00")
        );
        assert_eq!(
            next("30 15 10 ? * MON", "2024-05-01 00:00:00").as_deref(),
            Some("2024-05-06 10:15:30")
        );
        assert_eq!(
            next("0 0 0 L * ?", "2024-02-01 00:00:00").as_deref(),
            Some("2024-02-29 00:00:00")
        );
    }

    #[test]
    fn ends_with_the_year_range() {
        assert_eq!(
            next("0 0 0 1 1 ? 2099", "2098-06-01 00:00:00").as_deref(),
            Some("2099-01-01 00:00:00")
        );
        assert_eq!(next("0 0 0 1 1 ? 2099", "2099-01-01 00:00:00"), None);
    }

    #[test]
    fn a_fraction_of_a_second_does_not_skip_the_next_second() {
        let after = at("2024-05-01 12:00:09") + chrono::Duration::milliseconds(500);
        let schedule = parse_cron("*/10 * * * * *").unwrap();
        assert_eq!(schedule.next_local_after(after), Some(at("2024-05-01 12:00:10")));
    }
}
