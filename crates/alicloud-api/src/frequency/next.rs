//! When a schedule runs: the first run after a given instant, and the sequence of runs of an
//! invocation created at a given instant (what the emulator plays out).
//!
//! `rate(...)` runs one interval after creation, then every interval (start to start);
//! `at(...)` runs once; cron runs at each matching wall-clock time of its zone. A cron
//! expression without a zone is read in the instance's system zone, which for the emulator's
//! instances is UTC. A wall-clock time that a DST change skips does not run; one it repeats
//! runs at its first occurrence.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone as _, Utc};

use super::{Schedule, TimeZone};

/// The first run of an invocation created at `created` strictly after `after`.
pub fn next_run(schedule: &Schedule, created: DateTime<Utc>, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let after = after.max(created);
    match schedule {
        Schedule::Rate(rate) => {
            let interval = i64::try_from(rate.seconds()).ok()?.checked_mul(1000)?;
            let elapsed = (after - created).num_milliseconds();
            let runs_so_far = elapsed.checked_div(interval)?;
            created.checked_add_signed(Duration::milliseconds(
                runs_so_far.checked_add(1)?.checked_mul(interval)?,
            ))
        }
        Schedule::At(at) => to_utc(Some(at.time_zone()), at.local()).filter(|run| *run > after),
        Schedule::Cron(cron) => {
            let zone = cron.time_zone();
            let mut local = to_local(zone, after)?;
            loop {
                local = cron.next_local_after(local)?;
                if let Some(run) = to_utc(zone, local).filter(|run| *run > after) {
                    return Some(run);
                }
            }
        }
    }
}

/// Every run of an invocation created at `created`, in order (endless for most schedules).
pub fn runs(schedule: &Schedule, created: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + '_ {
    std::iter::successors(next_run(schedule, created, created), move |last| {
        next_run(schedule, created, *last)
    })
}

fn to_local(zone: Option<&TimeZone>, at: DateTime<Utc>) -> Option<NaiveDateTime> {
    Some(zone.map_or_else(|| at.naive_utc(), |zone| zone.local_time(at)))
}

/// The instant a wall-clock time names in `zone`: `None` for a time a DST change skips; the
/// earlier instant for one it repeats (a run fires once).
fn to_utc(zone: Option<&TimeZone>, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone {
        None | Some(TimeZone::Utc) => Some(local.and_utc()),
        Some(TimeZone::Offset { minutes }) => local
            .checked_sub_signed(Duration::minutes((*minutes).into()))
            .map(|utc| utc.and_utc()),
        Some(TimeZone::Iana(tz)) => match tz.from_local_datetime(&local) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
            LocalResult::None => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frequency::parse;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn first(frequency: &str, created: &str, count: usize) -> Vec<String> {
        let schedule = parse(frequency).unwrap();
        runs(&schedule, utc(created))
            .take(count)
            .map(|t| t.to_rfc3339())
            .collect()
    }

    #[test]
    fn rate_runs_one_interval_after_creation_then_every_interval() {
        assert_eq!(
            first("rate(5m)", "2024-05-01T12:00:00.250Z", 3),
            [
                "2024-05-01T12:05:00.250+00:00",
                "2024-05-01T12:10:00.250+00:00",
                "2024-05-01T12:15:00.250+00:00"
            ]
        );
        let schedule = parse("rate(1m)").unwrap();
        let created = utc("2024-05-01T12:00:00Z");
        assert_eq!(
            next_run(&schedule, created, utc("2024-05-01T12:02:00Z")),
            Some(utc("2024-05-01T12:03:00Z")),
            "strictly after"
        );
        assert_eq!(
            next_run(&schedule, created, utc("2024-05-01T11:00:00Z")),
            Some(utc("2024-05-01T12:01:00Z")),
            "never before creation"
        );
    }

    #[test]
    fn at_runs_once_in_its_zone() {
        assert_eq!(
            first("at(2024-05-01 20:30:00 Asia/Shanghai)", "2024-05-01T12:00:00Z", 5),
            ["2024-05-01T12:30:00+00:00"]
        );
        assert_eq!(
            first("at(2024-05-01 12:30:00 GMT-7:00)", "2024-05-01T12:00:00Z", 5),
            ["2024-05-01T19:30:00+00:00"]
        );
        assert!(first("at(2024-05-01 11:00:00)", "2024-05-01T12:00:00Z", 5).is_empty());
    }

    #[test]
    fn cron_runs_at_wall_clock_times_of_its_zone() {
        assert_eq!(
            first("0 */20 * * * ?", "2024-05-01T12:05:00Z", 3),
            [
                "2024-05-01T12:20:00+00:00",
                "2024-05-01T12:40:00+00:00",
                "2024-05-01T13:00:00+00:00"
            ]
        );
        assert_eq!(
            first("0 0 9 * * ? Asia/Shanghai", "2024-05-01T12:00:00Z", 2),
            ["2024-05-02T01:00:00+00:00", "2024-05-03T01:00:00+00:00"]
        );
        assert_eq!(
            first("0 0/30 10-11 * * ? 2099 GMT+8:00", "2099-12-31T03:00:00Z", 5),
            ["2099-12-31T03:30:00+00:00"]
        );
    }

    #[test]
    fn daylight_saving_gaps_are_skipped_and_repeats_run_once() {
        // Berlin skips 02:00-03:00 on 2024-03-31 and repeats 02:00-03:00 on 2024-10-27.
        assert_eq!(
            first("0 30 2 * * ? Europe/Berlin", "2024-03-30T12:00:00Z", 2),
            ["2024-04-01T00:30:00+00:00", "2024-04-02T00:30:00+00:00"]
        );
        assert_eq!(
            first("0 30 2 * * ? Europe/Berlin", "2024-10-26T12:00:00Z", 2),
            ["2024-10-27T00:30:00+00:00", "2024-10-28T01:30:00+00:00"]
        );
    }
}
