use chrono::{DateTime, SubsecRound, Utc};
use std::sync::{Arc, Mutex};

/// The source of "now". Stored timestamps are cut to microseconds so that they read back
/// equal from SQLite and PostgreSQL alike.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that stands still until moved; for tests and demos of deadlines.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at.trunc_subsecs(6))))
    }

    /// Puts the clock at `at`, as a test that runs on each backend in turn needs.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at.trunc_subsecs(6);
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// The time on Kyiv's clocks (EET, EEST in summer). Ukraine follows the EU's summer-time rule,
/// so no time-zone database is needed.
pub fn kyiv_time(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    let offset = if is_summer_time(t) { 3 } else { 2 };
    (t + chrono::Duration::hours(offset)).naive_utc()
}

/// The moment a time on Kyiv's clocks names, e.g. what an official typed in a
/// `datetime-local` field. In the autumn hour that repeats, the earlier one is taken.
pub fn from_kyiv_time(local: chrono::NaiveDateTime) -> DateTime<Utc> {
    use chrono::TimeZone;
    let summer = Utc.from_utc_datetime(&(local - chrono::Duration::hours(3)));
    if is_summer_time(summer) { summer } else { Utc.from_utc_datetime(&(local - chrono::Duration::hours(2))) }
}

/// `YYYY-MM-DDTHH:MM` (a `datetime-local` field's value) on Kyiv's clocks.
pub fn parse_kyiv_input(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(from_kyiv_time)
}

/// EU summer time: from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
fn is_summer_time(t: DateTime<Utc>) -> bool {
    use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(t.year(), month, 31).expect("valid date");
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().expect("valid date");
        }
        Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).expect("valid time"))
    };
    t >= last_sunday(3) && t < last_sunday(10)
}

#[cfg(test)]
mod kyiv_tests {
    use super::*;

    #[test]
    fn kyiv_keeps_eet_in_winter_and_eest_in_summer() {
        let winter = "2026-11-29T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(kyiv_time(winter).to_string(), "2026-11-29 12:00:00");
        let summer = "2026-07-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(kyiv_time(summer).to_string(), "2026-07-01 13:00:00");
        // The switch in March 2026 is on the 29th at 01:00 UTC.
        let before = "2026-03-29T00:59:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(kyiv_time(before).to_string(), "2026-03-29 02:59:00");
        let after = "2026-03-29T01:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(kyiv_time(after).to_string(), "2026-03-29 04:00:00");
    }

    #[test]
    fn a_typed_kyiv_time_names_the_same_moment_back() {
        for utc in ["2026-11-29T10:00:00Z", "2026-07-01T10:00:00Z", "2026-03-29T01:00:00Z"] {
            let t = utc.parse::<DateTime<Utc>>().unwrap();
            assert_eq!(from_kyiv_time(kyiv_time(t)), t, "{utc}");
        }
        let t = parse_kyiv_input("2026-12-01T09:30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T07:30:00+00:00");
        assert_eq!(parse_kyiv_input("01.12.2026 09:30"), None);
    }
}
