//! The public entry points on the documented examples, each rejection, and property tests.

use proptest::prelude::*;

use super::*;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn message(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn documented_cron_examples_parse() {
    let cases: [(&str, Option<u64>, Option<TimeZone>); 5] = [
        ("0 */20 * * * ?", Some(1_200), None),
        (
            "0 15 10 ? * * 2022 Asia/Shanghai",
            Some(86_400),
            Some(TimeZone::Iana(chrono_tz::Tz::Asia__Shanghai)),
        ),
        (
            "0 0/30 10-11 * * ? 2022 GMT+8:00",
            Some(1_800),
            Some(TimeZone::Offset { minutes: 480 }),
        ),
        ("0 0/5 14 * 10 ? 2022/2 UTC", Some(300), Some(TimeZone::Utc)),
        // The InvokeCommand reference's example, with `*` in both day fields.
        ("0 */20 * * * *", Some(1_200), None),
    ];
    for (text, interval, zone) in cases {
        let schedule = parse(text).unwrap();
        assert!(matches!(schedule, Schedule::Cron(_)), "{text}");
        assert_eq!(schedule.min_interval_seconds(), interval, "{text}");
        assert_eq!(schedule.time_zone(), zone.as_ref(), "{text}");
    }
}

#[test]
fn documented_rate_and_at_examples_parse() {
    let rate = parse("rate(5m)").unwrap();
    assert!(matches!(rate, Schedule::Rate(r) if r.seconds() == 300));
    assert_eq!((rate.min_interval_seconds(), rate.time_zone()), (Some(300), None));

    let at = parse("at(2022-06-06 13:15:30 Asia/Shanghai)").unwrap();
    assert!(matches!(at, Schedule::At(a) if a.local().to_string() == "2022-06-06 13:15:30"));
    assert_eq!(at.min_interval_seconds(), None);
    assert_eq!(
        at.time_zone(),
        Some(&TimeZone::Iana(chrono_tz::Tz::Asia__Shanghai))
    );
    assert_eq!(
        parse("at(2022-06-06 13:15:30)").unwrap().time_zone(),
        Some(&TimeZone::Utc)
    );
}

#[test]
fn whitespace_between_fields_is_tolerated_around_the_value_refused() {
    assert_eq!(
        parse("0   */20  * * *   ?").unwrap(),
        parse("0 */20 * * * ?").unwrap()
    );
    for padded in [
        " rate(5m)",
        "rate(5m) ",
        "0 */20 * * * ?\n",
        "\tat(2030-01-01 00:00:00)",
        " ",
    ] {
        assert_eq!(
            parse(padded),
            Err(FrequencyError::SurroundingWhitespace),
            "{padded:?}"
        );
    }
    assert_eq!(
        parse("at(2022-06-06   13:15:30  UTC)").unwrap(),
        parse("at(2022-06-06 13:15:30)").unwrap()
    );
}

#[test]
fn rejections_say_what_and_why() {
    let cases = [
        ("", "frequency is empty; expected rate(<n><s|m|h|d>), at(yyyy-MM-dd HH:mm:ss[ <tz>]) or a cron expression"),
        ("Rate(5m)", "unknown frequency form 'Rate(5m)'; expected rate(<n><s|m|h|d>), at(yyyy-MM-dd HH:mm:ss[ <tz>]) or a cron expression"),
        ("rate(5m", "rate(5m) is malformed; expected rate(<integer><unit>) with unit s, m, h or d, e.g. rate(5m)"),
        ("rate(5 m)", "rate(5 m) is malformed; expected rate(<integer><unit>) with unit s, m, h or d, e.g. rate(5m)"),
        ("rate(30s)", "rate(30s) is below the minimum interval of 60 seconds"),
        ("rate(8d)", "rate(8d) exceeds the maximum of 7 days"),
        ("at(2024-02-30 00:00:00)", "at(...): invalid date 2024-02-30"),
        ("at(2024-02-01 25:00:00)", "at(...): invalid time 25:00:00; hours must be 00-23, minutes and seconds 00-59"),
        ("at(2024-02-01)", "at(2024-02-01) is malformed; expected at(yyyy-MM-dd HH:mm:ss[ <time zone>]), e.g. at(2022-06-06 13:15:30 Asia/Shanghai)"),
        ("at(2100-01-01 00:00:00)", "at(...): year 2100 is out of range 1970-2099"),
        ("61 * * * * ?", "cron field 'second' value 61 is out of range 0-59"),
        ("0 60 * * * ?", "cron field 'minute' value 60 is out of range 0-59"),
        ("0 0 24 * * ?", "cron field 'hour' value 24 is out of range 0-23"),
        ("0 0 0 32 * ?", "cron field 'day-of-month' value 32 is out of range 1-31"),
        ("0 0 0 * 13 ?", "cron field 'month' value 13 is out of range 1-12"),
        ("0 0 0 ? * 8", "cron field 'day-of-week' value 8 is out of range 1-7"),
        ("0 0 0 * * ? 1969", "cron field 'year' value 1969 is out of range 1970-2099"),
        ("0 0 008 * * ?", "cron field 'hour' number '008' has more than one leading zero (write e.g. 08, not 008)"),
        ("0 0 0 * JANUARY ?", "cron field 'month' item 'JANUARY' is invalid: expected a month 1-12 or JAN-DEC in *, a range a-b, a step */s, a/s or a-b/s, or a list"),
        ("0 0 0 1,L * ?", "cron field 'day-of-month' item '1,L' is invalid: L and W must stand alone as L, L-n, LW or nW"),
        ("0 0 0 ? * 1,5L", "cron field 'day-of-week' item '1,5L' is invalid: L and # must stand alone as L, nL or n#k"),
        ("0 0 0 ? * ?", "cron fields 'day-of-month' and 'day-of-week' are both '?'; at most one of them may be '?'"),
        ("0 0 23-1 * * ?", "cron field 'hour' range 23-1 is reversed; the start must not exceed the end"),
        ("0 */61 * * * ?", "cron field 'minute' step in '*/61' must be between 1 and 60"),
        ("0 0 0 30 2 ?", "cron expression never fires: no calendar day matches its day-of-month, month, day-of-week and year fields"),
        ("0,5 * * * * ?", "runs can be 5 seconds apart; Cloud Assistant requires at least 10 seconds between runs"),
        ("0 0 0 * * ? CST", "unknown time zone 'CST'; use an IANA name such as Asia/Shanghai, an offset such as GMT+8:00, or UTC"),
        ("0 0 0 * * ? GMT+08:00", "time zone offset 'GMT+08:00' is invalid; write GMT+H:MM or GMT-H:MM with hours 0-14 (0-12 west) without a leading zero and minutes 00, 30 or 45, e.g. GMT+8:00"),
        ("0 0 0 * *", "cron expression has 5 fields; expected 6 or 7 (second minute hour day-of-month month day-of-week [year]), optionally followed by a time zone"),
    ];
    for (text, expected) in cases {
        assert_eq!(message(text), expected, "{text:?}");
    }
}

#[test]
fn parse_as_of_rejects_schedules_without_future_runs() {
    let now = utc("2025-06-01T00:00:00Z");
    assert!(parse_as_of("rate(5m)", now).is_ok());
    assert!(parse_as_of("0 */20 * * * ?", now).is_ok());
    assert!(parse_as_of("0 0/5 14 * 10 ? 2022/2 UTC", now).is_ok());
    assert!(matches!(
        parse_as_of("0 15 10 ? * * 2022 Asia/Shanghai", now),
        Err(FrequencyError::CronInPast(last)) if last == "2022-12-31 10:15:00"
    ));
    assert_eq!(
        parse_as_of("at(2022-06-06 13:15:30 Asia/Shanghai)", now).unwrap_err().to_string(),
        "at(2022-06-06 13:15:30 Asia/Shanghai) is in the past; a one-time run must be scheduled in the future"
    );
    assert!(parse_as_of("at(2025-06-01 00:00:00)", now).is_ok());
    // Zones are exact: 07:59 in Shanghai is 23:59 UTC the day before.
    assert!(matches!(
        parse_as_of("at(2025-06-01 07:59:59 Asia/Shanghai)", now),
        Err(FrequencyError::AtInPast(_))
    ));
    assert!(parse_as_of("at(2025-06-01 08:00:00 Asia/Shanghai)", now).is_ok());
    assert!(matches!(
        parse_as_of("0 0 7 * * ? 2025 Asia/Shanghai", utc("2025-12-30T23:00:01Z")),
        Err(FrequencyError::CronInPast(_))
    ));
    assert!(parse_as_of("0 0 7 * * ? 2025 Asia/Shanghai", utc("2025-12-30T23:00:00Z")).is_ok());
    // Syntax errors win over the clock check.
    assert_eq!(
        parse_as_of("rate(1s)", now),
        Err(FrequencyError::RateTooShort("1s".into()))
    );
}

#[test]
fn timeout_must_fit_between_runs() {
    let every_minute = parse("rate(1m)").unwrap();
    assert!(every_minute.check_timeout(60).is_ok());
    assert_eq!(
        every_minute.check_timeout(61).unwrap_err().to_string(),
        "the run timeout of 61 seconds exceeds the 60 seconds between runs"
    );
    assert!(parse("*/10 * * * * ?").unwrap().check_timeout(11).is_err());
    assert!(parse("at(2030-01-01 00:00:00)")
        .unwrap()
        .check_timeout(86_400)
        .is_ok());
}

fn zone() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" UTC".to_owned()),
        Just(" Asia/Shanghai".to_owned()),
        Just(" America/Argentina/Buenos_Aires".to_owned()),
        (
            0u8..=11,
            prop::sample::select(vec!["00", "30", "45"]),
            prop::sample::select(vec!['+', '-'])
        )
            .prop_map(|(hour, minutes, sign)| format!(" GMT{sign}{hour}:{minutes}")),
    ]
}

/// A number as written: sometimes with its one allowed leading zero.
fn number(min: u16, max: u16) -> impl Strategy<Value = String> {
    (min..=max, any::<bool>()).prop_map(|(value, zero)| {
        if zero {
            format!("0{value}")
        } else {
            value.to_string()
        }
    })
}

fn values(min: u16, max: u16) -> impl Strategy<Value = String> {
    let range = (min..=max, min..=max).prop_map(|(a, b)| (a.min(b), a.max(b)));
    let step = 1..=max - min + 1;
    let item = prop_oneof![
        number(min, max),
        range.clone().prop_map(|(a, b)| format!("{a}-{b}")),
        (number(min, max), step.clone()).prop_map(|(a, s)| format!("{a}/{s}")),
        (range, step).prop_map(|((a, b), s)| format!("{a}-{b}/{s}")),
        Just("*".to_owned()),
    ];
    prop::collection::vec(item, 1..=3).prop_map(|items| items.join(","))
}

/// Day fields that fire every month: days up to 28, L, LW, nW, or weekday forms.
fn days() -> impl Strategy<Value = String> {
    let day_of_month = prop_oneof![
        values(1, 28),
        Just("L".to_owned()),
        Just("LW".to_owned()),
        (1u16..=28).prop_map(|day| format!("{day}W")),
        (1u16..=27).prop_map(|offset| format!("L-{offset}")),
    ];
    let day_of_week = prop_oneof![
        values(1, 7),
        Just("MON-FRI".to_owned()),
        Just("L".to_owned()),
        (1u16..=7).prop_map(|day| format!("{day}L")),
        (1u16..=7, 1u16..=4).prop_map(|(day, nth)| format!("{day}#{nth}")),
    ];
    prop_oneof![
        day_of_month.prop_map(|dom| format!("{dom} * ?")),
        day_of_week.prop_map(|dow| format!("? * {dow}")),
        (values(1, 12), values(1, 28)).prop_map(|(month, dom)| format!("{dom} {month} ?")),
    ]
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }

    /// Well-formed but wrong values (any number, any unit, dates and fields out of range)
    /// are refused with a message, never a panic or an overflow.
    #[test]
    fn wrong_values_are_explained(
        n in any::<u64>(),
        unit in "[a-zA-Z]{0,2}",
        date in (any::<i32>(), any::<u32>(), any::<u32>()),
        field in any::<i64>(),
    ) {
        for text in [
            format!("rate({n}{unit})"),
            format!("at({}-{:02}-{:02} 00:00:00)", date.0, date.1, date.2),
            format!("{field} 0 * * * ?"),
            format!("0 0 {field} ? * {n}"),
            format!("0 0 12 {field}W * ? {n}"),
        ] {
            if let Err(error) = parse(&text) {
                prop_assert!(!error.to_string().is_empty(), "{}", text);
            }
        }
    }

    #[test]
    fn cron_like_text_never_panics(text in "[0-9*/,?LW#\\-A-Za-z() :+]{0,48}") {
        let _ = parse(&text);
        let _ = parse_as_of(&text, utc("2030-01-01T00:00:00Z"));
    }

    /// One second per minute keeps runs 60 s apart; every other field is arbitrary but valid.
    #[test]
    fn valid_cron_expressions_parse(
        second in number(0, 59),
        minute in values(0, 59),
        hour in values(0, 23),
        days in days(),
        year in prop_oneof![Just(String::new()), values(1970, 2099).prop_map(|year| format!(" {year}"))],
        zone in zone(),
        gap in " {1,3}",
    ) {
        let text = format!("{second}{gap}{minute} {hour} {days}{year}{zone}");
        let schedule = parse(&text);
        prop_assert!(schedule.is_ok(), "{} -> {:?}", text, schedule);
        prop_assert!(schedule.ok().and_then(|s| s.min_interval_seconds()).is_none_or(|gap| gap >= 60));
    }

    #[test]
    fn valid_rates_parse(seconds in 60u64..=604_800) {
        for (unit, size) in [("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)] {
            if seconds % size == 0 {
                let text = format!("rate({}{unit})", seconds / size);
                prop_assert_eq!(parse(&text).ok().and_then(|s| s.min_interval_seconds()), Some(seconds));
            }
        }
    }

    #[test]
    fn valid_at_times_parse(
        date in (1970i32..=2099, 1u32..=12, 1u32..=31)
            .prop_filter_map("a real date", |(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d)),
        time in (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| chrono::NaiveTime::from_hms_opt(h, m, s).unwrap()),
        zone in zone(),
    ) {
        let text = format!("at({} {}{zone})", date.format("%Y-%m-%d"), time.format("%H:%M:%S"));
        let parsed = parse(&text);
        prop_assert!(matches!(&parsed, Ok(Schedule::At(at)) if at.local() == date.and_time(time)), "{} -> {:?}", text, parsed);
    }
}
