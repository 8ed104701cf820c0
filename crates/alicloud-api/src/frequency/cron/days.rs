//! Which calendar days a cron expression fires on (day-of-month, month, day-of-week and year
//! together), and a scan of all those days for the facts the validator needs.
//!
//! When neither day field is `?` both must match (as in Spring, not the OR of Unix cron): the
//! InvokeCommand reference's own example `0 */20 * * * *` uses `*` for both, which reads the
//! same either way (`docs/api-notes.md#frequency`).

use chrono::{Datelike, NaiveDate, Weekday};

use super::field::{DayOfMonth, DayOfWeek, ValueSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Days {
    /// `None` for `?`.
    pub day_of_month: Option<DayOfMonth>,
    pub month: ValueSet,
    /// `None` for `?`.
    pub day_of_week: Option<DayOfWeek>,
    /// All of 1970-2099 when the expression has no year field.
    pub years: ValueSet,
}

/// What a scan of every firing day found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DaySummary {
    pub last: NaiveDate,
    /// Fewest days between two firing days; `None` when only one day fires.
    pub min_gap_days: Option<u32>,
}

impl Days {
    pub fn matches(&self, date: NaiveDate) -> bool {
        self.years.contains(u16::try_from(date.year()).unwrap_or(0))
            && self.month.contains(u16::try_from(date.month()).unwrap_or(0))
            && self.day_matches(date, days_in_month(date))
    }

    /// Visits every day of the selected years and months in order; `None` when no day fires.
    /// At most 130 years, and the calendar repeats within them, so the gap is exact.
    pub fn summary(&self) -> Option<DaySummary> {
        let mut previous: Option<NaiveDate> = None;
        let mut min_gap_days: Option<u32> = None;
        for &year in self.years.values() {
            for &month in self.month.values() {
                let Some(first) = NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), 1) else {
                    continue;
                };
                let last_day = days_in_month(first);
                let month_days = first.iter_days().take(last_day as usize);
                for date in month_days.filter(|date| self.day_matches(*date, last_day)) {
                    if let Some(previous) = previous {
                        let gap = u32::try_from((date - previous).num_days()).unwrap_or(u32::MAX);
                        min_gap_days = Some(min_gap_days.map_or(gap, |min| min.min(gap)));
                    }
                    previous = Some(date);
                }
            }
        }
        previous.map(|last| DaySummary { last, min_gap_days })
    }

    fn day_matches(&self, date: NaiveDate, last_day: u32) -> bool {
        let day = date.day();
        let dom_ok = match &self.day_of_month {
            None => true,
            Some(DayOfMonth::Days(days)) => days.contains(u16::try_from(day).unwrap_or(0)),
            Some(DayOfMonth::Last { offset }) => day + u32::from(*offset) == last_day,
            Some(DayOfMonth::LastWeekday) => Some(day) == weekday_near(date, last_day, last_day),
            Some(DayOfMonth::NearestWeekday(target)) => {
                Some(day) == weekday_near(date, u32::from(*target), last_day)
            }
        };
        let weekday = u16::try_from(date.weekday().number_from_monday()).unwrap_or(0);
        let dow_ok = match &self.day_of_week {
            None => true,
            Some(DayOfWeek::Days(days)) => days.contains(weekday),
            Some(DayOfWeek::LastOfMonth(target)) => weekday == *target && day + 7 > last_day,
            Some(DayOfWeek::Nth { weekday: target, nth }) => {
                weekday == *target && (day - 1) / 7 + 1 == u32::from(*nth)
            }
        };
        dom_ok && dow_ok
    }
}

/// The Monday-to-Friday nearest to day `target` of `date`'s month, staying inside the month;
/// `None` when the month has no such day.
fn weekday_near(date: NaiveDate, target: u32, last_day: u32) -> Option<u32> {
    if target > last_day {
        return None;
    }
    let weekday = date.with_day(target)?.weekday();
    Some(match weekday {
        Weekday::Sat if target == 1 => 3,
        Weekday::Sat => target - 1,
        Weekday::Sun if target == last_day => target - 2,
        Weekday::Sun => target + 1,
        _ => target,
    })
}

fn days_in_month(date: NaiveDate) -> u32 {
    (28..=31)
        .rev()
        .find(|&day| date.with_day(day).is_some())
        .unwrap_or(28)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frequency::cron::field::{parse_day_of_month, parse_day_of_week, parse_values, MONTH, YEAR};

    fn days(dom: &str, month: &str, dow: &str, year: &str) -> Days {
        Days {
            day_of_month: (dom != "?").then(|| parse_day_of_month(dom).unwrap()),
            month: parse_values(&MONTH, month).unwrap(),
            day_of_week: (dow != "?").then(|| parse_day_of_week(dow).unwrap()),
            years: parse_values(&YEAR, year).unwrap(),
        }
    }

    fn firing(days: &Days, year: i32, month: u32) -> Vec<u32> {
        (1..=31)
            .filter_map(|day| NaiveDate::from_ymd_opt(year, month, day))
            .filter(|date| days.matches(*date))
            .map(|date| date.day())
            .collect()
    }

    #[test]
    fn day_of_month_specials_pick_the_right_days() {
        // March 2024 starts on a Friday; the 31st is a Sunday. February 2024 has 29 days.
        assert_eq!(firing(&days("L", "*", "?", "*"), 2024, 2), [29]);
        assert_eq!(firing(&days("L-2", "*", "?", "*"), 2024, 3), [29]);
        assert_eq!(firing(&days("LW", "*", "?", "*"), 2024, 3), [29]);
        assert_eq!(firing(&days("1W", "*", "?", "*"), 2024, 6), [3]); // June 1st 2024 is a Saturday
        assert_eq!(firing(&days("30W", "*", "?", "*"), 2024, 6), [28]); // June 30th is a Sunday
        assert_eq!(firing(&days("9W", "*", "?", "*"), 2024, 6), [10]); // June 9th is a Sunday
        assert_eq!(firing(&days("31W", "*", "?", "*"), 2024, 6), Vec::<u32>::new());
        assert_eq!(firing(&days("15,31", "*", "?", "*"), 2024, 4), [15]);
    }

    #[test]
    fn day_of_week_uses_monday_one_and_month_relative_forms() {
        // 2024-03-04 is a Monday.
        assert_eq!(firing(&days("?", "*", "1", "*"), 2024, 3), [4, 11, 18, 25]);
        assert_eq!(firing(&days("?", "*", "L", "*"), 2024, 3), [3, 10, 17, 24, 31]);
        assert_eq!(firing(&days("?", "*", "5L", "*"), 2024, 3), [29]);
        assert_eq!(firing(&days("?", "*", "MON#2", "*"), 2024, 3), [11]);
        assert_eq!(firing(&days("?", "*", "5#5", "*"), 2024, 3), [29]);
        assert_eq!(firing(&days("?", "*", "1#5", "*"), 2024, 3), Vec::<u32>::new());
    }

    #[test]
    fn both_day_fields_must_match() {
        assert_eq!(firing(&days("1-7", "*", "MON", "*"), 2024, 3), [4]);
        assert_eq!(firing(&days("*", "*", "*", "*"), 2024, 2).len(), 29);
        assert_eq!(firing(&days("*", "FEB", "*", "2024"), 2024, 3), Vec::<u32>::new());
    }

    #[test]
    fn summary_finds_the_last_day_and_the_smallest_gap() {
        let every_day = days("*", "*", "?", "*").summary().unwrap();
        assert_eq!(every_day.min_gap_days, Some(1));
        assert_eq!(every_day.last, NaiveDate::from_ymd_opt(2099, 12, 31).unwrap());
        assert_eq!(
            days("?", "*", "MON", "*").summary().unwrap().min_gap_days,
            Some(7)
        );
        assert_eq!(
            days("29", "FEB", "?", "*").summary().unwrap().min_gap_days,
            Some(1461)
        );
        assert_eq!(days("L", "*", "?", "*").summary().unwrap().min_gap_days, Some(28));
        // Dec 31st and Jan 1st are consecutive across a year boundary.
        assert_eq!(
            days("1,31", "JAN,DEC", "?", "*").summary().unwrap().min_gap_days,
            Some(1)
        );
        assert_eq!(
            days("1,31", "JAN,DEC", "?", "2030")
                .summary()
                .unwrap()
                .min_gap_days,
            Some(30)
        );
        let once = days("1", "JAN", "?", "2030").summary().unwrap();
        assert_eq!(
            (once.last, once.min_gap_days),
            (NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(), None)
        );
        assert_eq!(days("30", "FEB", "?", "*").summary(), None);
        assert_eq!(days("1", "*", "SUN#5", "*").summary(), None);
    }
}
