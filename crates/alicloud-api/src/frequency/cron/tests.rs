//! Cron parsing end to end, and the analytic minimum interval checked against a brute-force
//! enumeration of runs.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use super::field::{DayOfMonth, DayOfWeek};
use super::*;
use crate::frequency::CronField;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn interval(text: &str) -> Option<u64> {
    parse_cron(text).unwrap().min_interval_seconds()
}

#[test]
fn field_count_year_and_zone_are_told_apart() {
    assert_eq!(parse_cron("0 0 12 * * ?").unwrap().time_zone(), None);
    assert_eq!(parse_cron("0 0 12 * * ? 2030").unwrap().time_zone(), None);
    assert_eq!(
        parse_cron("0 0 12 * * ? UTC").unwrap().time_zone(),
        Some(&TimeZone::Utc)
    );
    assert_eq!(
        parse_cron("0 0 12 * * ? */2 Europe/Paris").unwrap().time_zone(),
        Some(&TimeZone::Iana(chrono_tz::Tz::Europe__Paris))
    );
    assert_eq!(
        parse_cron("0 0 12 * *").unwrap_err().to_string(),
        "cron expression has 5 fields; expected 6 or 7 (second minute hour day-of-month month day-of-week \
         [year]), optionally followed by a time zone"
    );
    assert_eq!(
        parse_cron("0 0 12 * * ? 2030 2031"),
        Err(FrequencyError::CronFieldCount(8))
    );
    assert_eq!(
        parse_cron("0 0 12 * * ? 2030 UTC x"),
        Err(FrequencyError::CronFieldCount(9))
    );
    assert_eq!(
        parse_cron("0 0 12 * * ? UTC 2030"),
        Err(FrequencyError::CronFieldCount(8))
    );
    assert!(matches!(
        parse_cron("0 0 12 * * ? Nowhere"),
        Err(FrequencyError::UnknownTimeZone { .. })
    ));
}

#[test]
fn question_mark_rules() {
    assert!(parse_cron("0 0 12 ? * MON").is_ok());
    assert!(parse_cron("0 0 12 1 * ?").is_ok());
    assert!(parse_cron("0 0 12 * * *").is_ok());
    assert_eq!(parse_cron("0 0 12 ? * ?"), Err(FrequencyError::BothQuestionMarks));
    assert!(matches!(
        parse_cron("? 0 12 * * ?"),
        Err(FrequencyError::InvalidItem { .. })
    ));
    assert!(matches!(
        parse_cron("0 0 12 * ? *"),
        Err(FrequencyError::InvalidItem { .. })
    ));
    assert!(matches!(
        parse_cron("0 0 12 1,? * *"),
        Err(FrequencyError::InvalidItem { .. })
    ));
}

#[test]
fn schedules_that_never_fire_are_rejected() {
    assert_eq!(parse_cron("0 0 0 30 FEB ?"), Err(FrequencyError::NeverFires));
    assert_eq!(parse_cron("0 0 0 31 4,6,9,11 ?"), Err(FrequencyError::NeverFires));
    assert_eq!(
        parse_cron("0 0 0 29 2 ? 2100/1"),
        Err(FrequencyError::OutOfRange {
            field: CronField::Year,
            value: "2100".into(),
            min: 1970,
            max: 2099,
        })
    );
    assert_eq!(parse_cron("0 0 0 29 2 ? 2023"), Err(FrequencyError::NeverFires));
    assert!(parse_cron("0 0 0 29 2 ? 2024").is_ok());
}

#[test]
fn intervals_of_common_schedules() {
    assert_eq!(interval("0 */20 * * * ?"), Some(1_200));
    assert_eq!(interval("*/10 * * * * ?"), Some(10));
    assert_eq!(interval("0 0 9 ? * MON-FRI"), Some(86_400));
    assert_eq!(interval("0 0 9 ? * MON"), Some(7 * 86_400));
    assert_eq!(interval("0 0 9 ? * FRI,MON"), Some(3 * 86_400));
    assert_eq!(interval("0 0 0 1 * ?"), Some(28 * 86_400));
    assert_eq!(interval("0 0 0 1 1 ? 2030"), None);
    assert_eq!(interval("0 0 0 1 1 ? 2030,2032"), Some(730 * 86_400));
}

#[test]
fn ten_second_rule_counts_wrap_arounds() {
    assert_eq!(
        parse_cron("0,5 * * * * ?").unwrap_err().to_string(),
        "runs can be 5 seconds apart; Cloud Assistant requires at least 10 seconds between runs"
    );
    assert_eq!(parse_cron("0,55 * * * * ?"), Err(FrequencyError::TooFrequent(5)));
    assert_eq!(parse_cron("*/11 * * * * ?"), Err(FrequencyError::TooFrequent(5)));
    assert_eq!(parse_cron("* * * * * ?"), Err(FrequencyError::TooFrequent(1)));
    assert_eq!(
        parse_cron("0,59 0,59 * * * ?"),
        Err(FrequencyError::TooFrequent(1))
    );
    assert_eq!(parse_cron("58,59 * * * * ?"), Err(FrequencyError::TooFrequent(1)));
    // 23:59:55 then midnight, but only when two consecutive days fire.
    assert_eq!(
        parse_cron("0,55 59,0 23,0 * * ?"),
        Err(FrequencyError::TooFrequent(5))
    );
    assert_eq!(interval("0,55 59,0 23,0 ? * MON,WED"), Some(55));
    assert_eq!(interval("50 59 23 * * ?"), Some(86_400));
    assert_eq!(interval("0,50 * * * * ?"), Some(10));
}

#[test]
fn matches_checks_time_and_day() {
    let cron = parse_cron("0 0/30 10-11 ? * MON 2024").unwrap();
    let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
    assert!(cron.matches(at("2024-03-04 10:30:00")));
    assert!(cron.matches(at("2024-03-04 11:00:00")));
    assert!(!cron.matches(at("2024-03-04 12:00:00")));
    assert!(!cron.matches(at("2024-03-04 10:30:01")));
    assert!(!cron.matches(at("2024-03-05 10:30:00")));
    assert!(!cron.matches(at("2025-03-03 10:30:00")));
}

#[test]
fn past_check_looks_at_the_last_run() {
    let cron = parse_cron("0 15 10 ? * * 2022 GMT+8:00").unwrap();
    assert!(cron.check_not_past(utc("2022-12-31T02:15:00Z")).is_ok());
    assert_eq!(
        cron.check_not_past(utc("2022-12-31T02:15:01Z"))
            .unwrap_err()
            .to_string(),
        "cron expression has no run after the current time; its last run is at 2022-12-31 10:15:00"
    );
    // The year 2022/2 still fires in 2026.
    assert!(parse_cron("0 0/5 14 * 10 ? 2022/2 UTC")
        .unwrap()
        .check_not_past(utc("2025-06-01T00:00:00Z"))
        .is_ok());
    // Without a zone the instance's offset is unknown: certainly past only 12 hours later.
    let cron = parse_cron("0 0 0 1 1 ? 2030").unwrap();
    assert!(cron.check_not_past(utc("2030-01-01T11:59:59Z")).is_ok());
    assert!(cron.check_not_past(utc("2030-01-01T12:00:01Z")).is_err());
    assert!(parse_cron("0 0 0 * * ?")
        .unwrap()
        .check_not_past(utc("2099-01-01T00:00:00Z"))
        .is_ok());
}

/// Every run in `days` consecutive days from 2024-01-01 (a Monday), found by testing each
/// second of a day against the field sets and each day against the weekday set.
fn brute_force_min_gap(second: &str, minute: &str, hour: &str, weekdays: &[u32], days: i64) -> Option<u64> {
    let (second, minute, hour) = (
        parse_values(&SECOND, second).unwrap(),
        parse_values(&MINUTE, minute).unwrap(),
        parse_values(&HOUR, hour).unwrap(),
    );
    let times: Vec<i64> = (0..86_400i64)
        .filter(|t| {
            hour.contains((t / 3_600) as u16)
                && minute.contains((t / 60 % 60) as u16)
                && second.contains((t % 60) as u16)
        })
        .collect();
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let runs: Vec<i64> = (0..days)
        .filter(|day| {
            weekdays.contains(
                &(start + chrono::Duration::days(*day))
                    .weekday()
                    .number_from_monday(),
            )
        })
        .flat_map(|day| times.iter().map(move |t| day * 86_400 + t))
        .collect();
    runs.windows(2).map(|pair| (pair[1] - pair[0]) as u64).min()
}

fn item(min: u16, max: u16) -> impl Strategy<Value = String> {
    let pair = (min..=max, min..=max).prop_map(|(a, b)| (a.min(b), a.max(b)));
    let steps = 1..=max - min + 1;
    prop_oneof![
        3 => (min..=max).prop_map(|value| value.to_string()),
        1 => pair.clone().prop_map(|(a, b)| format!("{a}-{b}")),
        1 => (min..=max, steps.clone()).prop_map(|(a, step)| format!("{a}/{step}")),
        1 => steps.clone().prop_map(|step| format!("*/{step}")),
        1 => (pair, steps).prop_map(|((a, b), step)| format!("{a}-{b}/{step}")),
        1 => Just("*".to_owned()),
    ]
}

fn field(min: u16, max: u16) -> impl Strategy<Value = String> {
    prop::collection::vec(item(min, max), 1..=3).prop_map(|items| items.join(","))
}

/// The day fields read independently of `days.rs`: by searching the month's days rather than
/// by arithmetic on the day number.
fn reference_day_matches(dom: Option<&DayOfMonth>, dow: Option<&DayOfWeek>, date: NaiveDate) -> bool {
    let month: Vec<NaiveDate> = (1..=31).filter_map(|day| date.with_day(day)).collect();
    let weekday = |d: &NaiveDate| d.weekday().number_from_monday();
    let is_workday = |d: &&NaiveDate| weekday(d) <= 5;
    let dom_ok = match dom {
        None => true,
        Some(DayOfMonth::Days(days)) => days.contains(date.day() as u16),
        Some(DayOfMonth::Last { offset }) => month.len() as u32 == date.day() + u32::from(*offset),
        Some(DayOfMonth::LastWeekday) => month.iter().rfind(is_workday) == Some(&date),
        Some(DayOfMonth::NearestWeekday(target)) => {
            let target = i64::from(*target);
            target <= month.len() as i64
                && month
                    .iter()
                    .filter(is_workday)
                    .min_by_key(|d| (i64::from(d.day()) - target).abs())
                    == Some(&date)
        }
    };
    let same_weekday = |target: u16| month.iter().filter(move |d| weekday(d) == u32::from(target));
    let dow_ok = match dow {
        None => true,
        Some(DayOfWeek::Days(days)) => days.contains(weekday(&date) as u16),
        Some(DayOfWeek::LastOfMonth(target)) => same_weekday(*target).next_back() == Some(&date),
        Some(DayOfWeek::Nth { weekday, nth }) => {
            same_weekday(*weekday).nth(usize::from(*nth) - 1) == Some(&date)
        }
    };
    dom_ok && dow_ok
}

fn day_of_month_token() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => field(1, 31),
        1 => Just("?".to_owned()),
        1 => Just("L".to_owned()),
        1 => Just("LW".to_owned()),
        1 => (1u16..=30).prop_map(|offset| format!("L-{offset}")),
        1 => (1u16..=31).prop_map(|day| format!("{day}W")),
    ]
}

fn day_of_week_token() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => field(1, 7),
        2 => Just("?".to_owned()),
        1 => Just("L".to_owned()),
        1 => (1u16..=7).prop_map(|day| format!("{day}L")),
        1 => (1u16..=7, 1u16..=5).prop_map(|(day, nth)| format!("{day}#{nth}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// The analytic minimum interval (or the 10-second rejection) equals the smallest gap
    /// between consecutive runs enumerated over two weeks.
    #[test]
    fn min_interval_matches_brute_force(
        second in field(0, 59),
        minute in field(0, 59),
        hour in field(0, 23),
        weekdays in prop::collection::btree_set(1u32..=7, 1..=7),
    ) {
        let weekday_list: Vec<u32> = weekdays.iter().copied().collect();
        let dow = weekday_list.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let expected = brute_force_min_gap(&second, &minute, &hour, &weekday_list, 15);
        let result = parse_cron(&format!("{second} {minute} {hour} ? * {dow}"));
        match expected {
            Some(gap) if gap < MIN_CRON_INTERVAL_SECONDS => {
                prop_assert_eq!(result, Err(FrequencyError::TooFrequent(gap)));
            }
            _ => prop_assert_eq!(result.map(|cron| cron.min_interval_seconds()), Ok(expected)),
        }
    }

    /// Day fields (with L, W and #), months and years against every day of 2023-2025.
    #[test]
    fn day_fields_match_a_reference_reading(
        dom in day_of_month_token(),
        dow in day_of_week_token(),
        month in field(1, 12),
        hour in field(0, 23),
        years in (2023u16..=2025, 2023u16..=2025).prop_map(|(a, b)| (a.min(b), a.max(b))),
    ) {
        prop_assume!(dom != "?" || dow != "?");
        let text = format!("0 0 {hour} {dom} {month} {dow} {}-{}", years.0, years.1);
        let day_of_month = (dom != "?").then(|| parse_day_of_month(&dom).unwrap());
        let day_of_week = (dow != "?").then(|| parse_day_of_week(&dow).unwrap());
        let (months, hours) = (parse_values(&MONTH, &month).unwrap(), parse_values(&HOUR, &hour).unwrap());
        let first = NaiveDate::from_ymd_opt(i32::from(years.0), 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(i32::from(years.1), 12, 31).unwrap();
        let firing: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|date| *date <= last)
            .filter(|date| months.contains(date.month() as u16))
            .filter(|date| reference_day_matches(day_of_month.as_ref(), day_of_week.as_ref(), *date))
            .collect();
        let runs: Vec<i64> = firing
            .iter()
            .flat_map(|date| hours.values().iter().map(move |h| (*date - first).num_days() * 86_400 + i64::from(*h) * 3_600))
            .collect();
        let expected = runs.windows(2).map(|pair| (pair[1] - pair[0]) as u64).min();
        match parse_cron(&text) {
            Err(error) => prop_assert!(firing.is_empty() && error == FrequencyError::NeverFires, "{}: {}", text, error),
            Ok(cron) => {
                prop_assert_eq!(cron.min_interval_seconds(), expected, "{}", text);
                let first_hour = hours.values().first().copied().map(u32::from).unwrap();
                for date in first.iter_days().take_while(|date| *date <= last) {
                    let fires = firing.binary_search(&date).is_ok();
                    prop_assert_eq!(cron.matches(date.and_hms_opt(first_hour, 0, 0).unwrap()), fires, "{} on {}", text, date);
                }
            }
        }
    }
}
