//! The rules of booking, pure: opening hours as intervals of a day, a week of them, the slots a
//! day offers, what may be booked or cancelled when, the statuses of a visit and its check-in code.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use hromada_kernel::clock::{from_kyiv_time, kyiv_time};
use serde::{Deserialize, Serialize};

/// Opening hours of one stretch of a day, in minutes after local midnight: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Interval {
    pub start: u16,
    pub end: u16,
}

/// Opening hours for each weekday, Monday first.
pub type Week = [Vec<Interval>; 7];

fn minutes(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once([':', '.'])?;
    let (h, m): (u16, u16) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

/// Reads `08:00-12:00, 13:00-17:00` (empty: closed). Intervals must not overlap.
pub fn parse_hours(text: &str) -> Result<Vec<Interval>, &'static str> {
    const INVALID: &str = "booking-invalid-hours";
    let mut out = vec![];
    for part in text.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once(['-', '–', '—']).ok_or(INVALID)?;
        let (start, end) = (minutes(a).ok_or(INVALID)?, minutes(b).ok_or(INVALID)?);
        if start >= end {
            return Err(INVALID);
        }
        out.push(Interval { start, end });
    }
    out.sort();
    if out.windows(2).any(|w| w[0].end > w[1].start) {
        return Err(INVALID);
    }
    Ok(out)
}

pub fn format_hours(hours: &[Interval]) -> String {
    let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    hours.iter().map(|i| format!("{}-{}", hm(i.start), hm(i.end))).collect::<Vec<_>>().join(", ")
}

/// The hours of a day: its exception when there is one (empty: closed that day), closed on a
/// public holiday, otherwise the week's hours for its weekday.
pub fn day_hours<'a>(
    week: &'a Week,
    exception: Option<&'a [Interval]>,
    holiday: bool,
    day: NaiveDate,
) -> &'a [Interval] {
    match exception {
        Some(hours) => hours,
        None if holiday => &[],
        None => &week[day.weekday().num_days_from_monday() as usize],
    }
}

/// The starts of the day's slots, in minutes after local midnight: each slot fits its interval.
pub fn slot_starts(hours: &[Interval], slot_minutes: u16) -> Vec<u16> {
    let step = slot_minutes.max(1);
    hours.iter().flat_map(|i| (i.start..i.end).step_by(step as usize).filter(move |s| s + step <= i.end)).collect()
}

/// A slot's start as an instant: local (Kyiv) date and minutes after midnight.
pub fn slot_instant(day: NaiveDate, minute: u16) -> DateTime<Utc> {
    from_kyiv_time(day.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(i64::from(minute)))
}

/// The local date an instant falls on.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    kyiv_time(at).date()
}

/// How a resource is booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub slot_minutes: u16,
    /// How many days ahead slots open, today included.
    pub horizon_days: u16,
    /// A resident cancels or moves a visit up to this long before it.
    pub cancel_before_minutes: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { slot_minutes: 15, horizon_days: 14, cancel_before_minutes: 120 }
    }
}

impl Rules {
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = vec![];
        if !(5..=240).contains(&self.slot_minutes) {
            out.push(("slot_minutes", "booking-invalid-slot"));
        }
        if !(1..=120).contains(&self.horizon_days) {
            out.push(("horizon_days", "booking-invalid-horizon"));
        }
        if self.cancel_before_minutes > 7 * 24 * 60 {
            out.push(("cancel_before_minutes", "booking-invalid-cancel"));
        }
        out
    }

    /// The local dates slots are open on, from today.
    pub fn days(&self, now: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
        local_day(now).iter_days().take(usize::from(self.horizon_days))
    }
}

/// Why a slot cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It has begun or is over.
    Past,
    /// It is beyond the days that are open for booking.
    TooFar,
    /// It is not one of the day's slots.
    NoSuchSlot,
    /// Somebody has it.
    Taken,
    /// The person already has a visit coming to this resource.
    AlreadyBooked,
    /// Too late to cancel or move.
    TooLate,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Past => "booking-refused-past",
            Refusal::TooFar => "booking-refused-too-far",
            Refusal::NoSuchSlot => "booking-refused-no-slot",
            Refusal::Taken => "booking-refused-taken",
            Refusal::AlreadyBooked => "booking-refused-already",
            Refusal::TooLate => "booking-refused-too-late",
        }
    }
}

/// Whether `at` is a slot that may be booked now: one of its day's slots, not begun, within
/// the horizon.
pub fn check_slot(rules: &Rules, hours: &[Interval], at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Refusal> {
    if at <= now {
        return Err(Refusal::Past);
    }
    let day = local_day(at);
    if !rules.days(now).any(|d| d == day) {
        return Err(Refusal::TooFar);
    }
    if !slot_starts(hours, rules.slot_minutes).into_iter().any(|m| slot_instant(day, m) == at) {
        return Err(Refusal::NoSuchSlot);
    }
    Ok(())
}

/// Whether staff may seat a walk-in at `at`: one of today's slots that is not over yet.
pub fn check_walk_in(rules: &Rules, hours: &[Interval], at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Refusal> {
    let day = local_day(at);
    if day != local_day(now) || at + Duration::minutes(i64::from(rules.slot_minutes)) <= now {
        return Err(Refusal::Past);
    }
    if !slot_starts(hours, rules.slot_minutes).into_iter().any(|m| slot_instant(day, m) == at) {
        return Err(Refusal::NoSuchSlot);
    }
    Ok(())
}

/// Whether the resident may still cancel or move a visit.
pub fn may_cancel(rules: &Rules, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now + Duration::minutes(i64::from(rules.cancel_before_minutes)) <= starts_at
}

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Booked,
    Arrived,
    Served,
    NoShow,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Booked, Status::Arrived, Status::Served, Status::NoShow, Status::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            Status::Booked => "booked",
            Status::Arrived => "arrived",
            Status::Served => "served",
            Status::NoShow => "no_show",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What staff may mark a visit as next.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::Booked => &[Status::Arrived, Status::NoShow, Status::Cancelled],
            Status::Arrived => &[Status::Served, Status::NoShow],
            Status::NoShow => &[Status::Arrived],
            Status::Served | Status::Cancelled => &[],
        }
    }
}

/// Letters and digits that are not mistaken for each other when read out at a counter.
const CODE_ALPHABET: &[u8] = b"ABCDEFHKMNPRSTUXYZ2345679";

/// A check-in code from random bytes: six characters of [`CODE_ALPHABET`].
pub fn check_in_code(random: [u8; 6]) -> String {
    random.iter().map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char).collect()
}

/// A code as someone typed it: upper case, without spaces and dashes, Cyrillic look-alikes read
/// as the Latin letters printed on the slip.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'А' => 'A',
            'В' => 'B',
            'Е' => 'E',
            'К' => 'K',
            'М' => 'M',
            'Н' => 'H',
            'Р' => 'P',
            'С' => 'C',
            'Т' => 'T',
            'У' => 'Y',
            'Х' => 'X',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn iv(start: u16, end: u16) -> Interval {
        Interval { start, end }
    }

    #[test]
    fn hours_read_and_write_back() {
        let hours = parse_hours("13:00-17:00, 8:00–12:00").unwrap();
        assert_eq!(hours, vec![iv(480, 720), iv(780, 1020)]);
        assert_eq!(format_hours(&hours), "08:00-12:00, 13:00-17:00");
        assert_eq!(parse_hours("").unwrap(), vec![]);
        assert!(parse_hours("12:00-08:00").is_err());
        assert!(parse_hours("08:00-12:00, 11:00-13:00").is_err(), "overlap");
        assert!(parse_hours("вранці").is_err());
        assert!(parse_hours("08:00-25:00").is_err());
    }

    #[test]
    fn a_day_takes_its_exception_then_the_holiday_then_the_week() {
        let mut week: Week = Default::default();
        week[0] = vec![iv(480, 1020)];
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(day_hours(&week, None, false, monday), &[iv(480, 1020)]);
        assert!(day_hours(&week, None, true, monday).is_empty());
        let short = [iv(480, 600)];
        assert_eq!(day_hours(&week, Some(&short), true, monday), &short);
        assert!(day_hours(&week, None, false, monday.succ_opt().unwrap()).is_empty(), "Tuesday has no hours");
    }

    #[test]
    fn slots_fit_their_interval() {
        assert_eq!(slot_starts(&[iv(480, 540), iv(600, 625)], 20), vec![480, 500, 520, 600]);
    }

    #[test]
    fn slots_are_local_time_across_the_clock_change() {
        // Kyiv is UTC+2 in winter and UTC+3 in summer.
        let winter = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(slot_instant(winter, 9 * 60), Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0).unwrap());
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(slot_instant(summer, 9 * 60), Utc.with_ymd_and_hms(2026, 7, 1, 6, 0, 0).unwrap());
        assert_eq!(local_day(Utc.with_ymd_and_hms(2026, 12, 1, 22, 30, 0).unwrap()), winter.succ_opt().unwrap());
    }

    #[test]
    fn a_slot_is_bookable_only_ahead_within_the_horizon() {
        let rules = Rules { slot_minutes: 30, horizon_days: 2, cancel_before_minutes: 60 };
        let hours = [iv(480, 600)];
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 6, 45, 0).unwrap(); // 08:45 in Kyiv
        let today = local_day(now);
        let at = |day: NaiveDate, m: u16| slot_instant(day, m);
        assert_eq!(check_slot(&rules, &hours, at(today, 480), now), Err(Refusal::Past));
        assert_eq!(check_slot(&rules, &hours, at(today, 540), now), Ok(()));
        assert_eq!(check_slot(&rules, &hours, at(today, 545), now), Err(Refusal::NoSuchSlot));
        assert_eq!(check_slot(&rules, &hours, at(today, 600), now), Err(Refusal::NoSuchSlot), "ends at closing");
        let day_after = today.succ_opt().unwrap().succ_opt().unwrap();
        assert_eq!(check_slot(&rules, &hours, at(day_after, 480), now), Err(Refusal::TooFar));
        assert!(may_cancel(&rules, at(today, 600), now - Duration::minutes(15)));
        // A walk-in takes the slot under way, not one that is over or another day's.
        assert_eq!(check_walk_in(&rules, &hours, at(today, 510), now), Ok(()));
        assert_eq!(check_walk_in(&rules, &hours, at(today, 480), now), Err(Refusal::Past));
        assert_eq!(check_walk_in(&rules, &hours, at(today.succ_opt().unwrap(), 480), now), Err(Refusal::Past));
        assert!(!may_cancel(&rules, at(today, 540), now));
    }

    #[test]
    fn staff_move_a_visit_forward_only() {
        assert!(Status::Booked.next().contains(&Status::Arrived));
        assert!(Status::Served.next().is_empty());
        assert!(!Status::Cancelled.next().contains(&Status::Booked));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn codes_are_readable_and_typed_codes_normalised() {
        let code = check_in_code([0, 1, 2, 200, 254, 255]);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalize_code(" ак-3 мх "), "AK3MX");
    }

    proptest! {
        #[test]
        fn slots_never_overlap_and_stay_within_hours(
            raw in proptest::collection::vec((0u16..1400, 1u16..200), 0..4),
            slot in 5u16..120,
        ) {
            let text: Vec<String> = raw.iter().map(|(s, l)| {
                let e = (s + l).min(1440);
                format!("{:02}:{:02}-{:02}:{:02}", s / 60, s % 60, e / 60, e % 60)
            }).collect();
            if let Ok(hours) = parse_hours(&text.join(", ")) {
                let starts = slot_starts(&hours, slot);
                prop_assert!(starts.windows(2).all(|w| w[0] + slot <= w[1]));
                for s in &starts {
                    prop_assert!(hours.iter().any(|i| i.start <= *s && s + slot <= i.end));
                }
                let expected: u16 = hours.iter().map(|i| (i.end - i.start) / slot).sum();
                prop_assert_eq!(starts.len(), usize::from(expected));
            }
        }
    }
}
