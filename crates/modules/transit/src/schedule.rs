//! Service days and the service calendar.
//!
//! GTFS times are seconds since "noon minus 12 h" of a service date, on the agency's clocks. Noon is
//! never inside a clock change, so that moment is well defined even on the two days a year when Kyiv
//! moves its clocks: it is 23:00 of the previous evening in spring and 01:00 in autumn. A trip at
//! `25:10:00` therefore belongs to the day before the one its wheels roll on.
//!
//! The arithmetic goes through the kernel's Kyiv clock helpers (the EU summer-time rule), so no time-zone
//! database is needed. Every feed is read on Kyiv time: this crate serves Ukrainian communities.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use hromada_kernel::clock::from_kyiv_time;
use serde::{Deserialize, Serialize};

/// One service date and the moment its GTFS clock starts ("noon minus 12 h" in Kyiv).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceDay {
    pub date: NaiveDate,
    origin: DateTime<Utc>,
}

impl ServiceDay {
    pub fn new(date: NaiveDate) -> Self {
        let noon = from_kyiv_time(date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)));
        Self { date, origin: noon - Duration::hours(12) }
    }

    /// The moment "noon minus 12 h" of this service date.
    pub fn origin(&self) -> DateTime<Utc> {
        self.origin
    }

    /// The moment a GTFS time (seconds, may pass 24:00:00) of this service day names.
    pub fn at(&self, seconds: u32) -> DateTime<Utc> {
        self.origin + Duration::seconds(i64::from(seconds))
    }

    /// Seconds from this day's origin to `moment`; negative before it.
    pub fn seconds_to(&self, moment: DateTime<Utc>) -> i64 {
        (moment - self.origin).num_seconds()
    }
}

/// A GTFS time, `H:MM:SS` or `HH:MM:SS`, in seconds. Hours may pass 24 (trips after midnight); past
/// a week the value is taken for a typo.
pub fn parse_time(raw: &str) -> Option<u32> {
    let mut parts = raw.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || h.is_empty() || h.len() > 3 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(h) && digits(m) && digits(s)) {
        return None;
    }
    let (h, m, s): (u32, u32, u32) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    (h < 7 * 24 && m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

/// Seconds as a GTFS time, `HH:MM:SS` (hours may pass 24).
pub fn format_time(seconds: u32) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// A GTFS date, `YYYYMMDD`.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y%m%d").ok()
}

/// Days of the week a service runs, bit 0 = Monday … bit 6 = Sunday.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weekdays(pub u8);

impl Weekdays {
    pub fn contains(self, date: NaiveDate) -> bool {
        self.0 & (1 << date.weekday().num_days_from_monday()) != 0
    }
}

/// When a service (`service_id`) runs: a weekly pattern between two dates (calendar.txt) with dates
/// added or removed (calendar_dates.txt). Either part may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub weekly: Option<WeeklyPattern>,
    /// Sorted dates on which the service runs although the weekly pattern says not.
    pub added: Vec<NaiveDate>,
    /// Sorted dates on which the service does not run although the weekly pattern says it does.
    pub removed: Vec<NaiveDate>,
}

/// A row of calendar.txt: weekdays between two dates, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyPattern {
    pub days: Weekdays,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Service {
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), weekly: None, added: Vec::new(), removed: Vec::new() }
    }

    /// Whether the service runs on a service date. An exception wins over the weekly pattern.
    pub fn runs_on(&self, date: NaiveDate) -> bool {
        if self.removed.binary_search(&date).is_ok() {
            return false;
        }
        if self.added.binary_search(&date).is_ok() {
            return true;
        }
        self.weekly.is_some_and(|w| w.start <= date && date <= w.end && w.days.contains(date))
    }
}

/// The services running on one service date, as a bitset over the feed's services.
#[derive(Debug, Clone)]
pub struct ActiveServices {
    bits: Vec<u64>,
}

impl ActiveServices {
    pub fn on(services: &[Service], date: NaiveDate) -> Self {
        let mut bits = vec![0u64; services.len().div_ceil(64)];
        for (i, service) in services.iter().enumerate() {
            if service.runs_on(date) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        Self { bits }
    }

    pub fn contains(&self, service: u32) -> bool {
        let i = service as usize;
        self.bits.get(i / 64).is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_kernel::clock::kyiv_time;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn times_parse_past_midnight_and_reject_nonsense() {
        assert_eq!(parse_time("8:05:00"), Some(8 * 3600 + 300));
        assert_eq!(parse_time(" 25:10:00 "), Some(25 * 3600 + 600));
        assert_eq!(parse_time("00:00:00"), Some(0));
        for bad in ["", "8:5:00", "08:60:00", "08:00", "08:00:00:00", "ab:00:00", "-1:00:00", "9999:00:00", "08:00:0x"]
        {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(format_time(25 * 3600 + 600 + 7), "25:10:07");
    }

    #[test]
    fn dates_parse_only_as_yyyymmdd() {
        assert_eq!(parse_date("20260329"), Some(date(2026, 3, 29)));
        assert_eq!(parse_date("2026-03-29"), None);
        assert_eq!(parse_date("20260230"), None);
    }

    #[test]
    fn the_service_day_starts_at_noon_minus_twelve_hours() {
        // An ordinary winter day: midnight local.
        let day = ServiceDay::new(date(2026, 1, 15));
        assert_eq!(kyiv_time(day.origin()), date(2026, 1, 15).and_hms_opt(0, 0, 0).expect("time"));
        // Spring forward (29 March 2026): the origin is 23:00 the evening before, so 08:00:00 is still
        // eight on the wall clock.
        let spring = ServiceDay::new(date(2026, 3, 29));
        assert_eq!(kyiv_time(spring.origin()), date(2026, 3, 28).and_hms_opt(23, 0, 0).expect("time"));
        assert_eq!(kyiv_time(spring.at(8 * 3600)), date(2026, 3, 29).and_hms_opt(8, 0, 0).expect("time"));
        // Fall back (25 October 2026): the origin is 01:00.
        let autumn = ServiceDay::new(date(2026, 10, 25));
        assert_eq!(kyiv_time(autumn.origin()), date(2026, 10, 25).and_hms_opt(1, 0, 0).expect("time"));
        assert_eq!(kyiv_time(autumn.at(8 * 3600)), date(2026, 10, 25).and_hms_opt(8, 0, 0).expect("time"));
    }

    #[test]
    fn exceptions_win_over_the_weekly_pattern() {
        let mut service = Service::new("weekdays");
        service.weekly =
            Some(WeeklyPattern { days: Weekdays(0b001_1111), start: date(2026, 1, 1), end: date(2026, 12, 31) });
        service.removed = vec![date(2026, 8, 24)]; // Independence Day, a Monday
        service.added = vec![date(2026, 8, 29)]; // a Saturday worked instead
        assert!(service.runs_on(date(2026, 8, 25)));
        assert!(!service.runs_on(date(2026, 8, 24)));
        assert!(service.runs_on(date(2026, 8, 29)));
        assert!(!service.runs_on(date(2026, 8, 30)));
        assert!(!service.runs_on(date(2027, 1, 4)), "after the end date");

        let active = ActiveServices::on(&[service.clone(), Service::new("never")], date(2026, 8, 25));
        assert!(active.contains(0));
        assert!(!active.contains(1));
        assert!(!active.contains(99));
    }
}
