//! A resource's days as residents and staff see them: which slots each open day has and
//! which of them are free, from the week's hours, the days that differ, the public holidays
//! and the visits already booked.

use crate::domain::{self, Interval};
use crate::store::{self, Resource};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hromada_db::core::holidays;
use hromada_db::{Db, DbResult};
use hromada_kernel::CommunityId;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct Slot {
    pub at: DateTime<Utc>,
    /// Minutes after local midnight, for showing the time.
    pub minute: u16,
    pub free: bool,
}

#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    /// The day's slots that have not begun.
    pub slots: Vec<Slot>,
    pub note: String,
}

impl Day {
    pub fn free(&self) -> usize {
        self.slots.iter().filter(|s| s.free).count()
    }
}

/// The hours of each of `days`, with the exception's note where there is one.
async fn hours_of(
    db: &Db,
    community: CommunityId,
    r: &Resource,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<HashMap<NaiveDate, (Vec<Interval>, String)>> {
    let calendar = holidays::calendar(db).await?;
    let exceptions: HashMap<NaiveDate, store::Exception> =
        store::exceptions(db, community, r.id, from, to).await?.into_iter().map(|e| (e.day, e)).collect();
    Ok(from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| {
            let exception = exceptions.get(&d);
            let hours =
                domain::day_hours(&r.week.0, exception.map(|e| e.hours.0.as_slice()), calendar.is_holiday(d), d);
            (d, (hours.to_vec(), exception.map(|e| e.note.clone()).unwrap_or_default()))
        })
        .collect())
}

/// The hours of one day.
pub async fn hours_on(db: &Db, community: CommunityId, r: &Resource, day: NaiveDate) -> DbResult<Vec<Interval>> {
    Ok(hours_of(db, community, r, day, day).await?.remove(&day).map(|(h, _)| h).unwrap_or_default())
}

/// The open days from `from` to `to` (local dates), each with its slots after `now`.
pub async fn days(
    db: &Db,
    community: CommunityId,
    r: &Resource,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> DbResult<Vec<Day>> {
    let hours = hours_of(db, community, r, from, to).await?;
    let start = domain::slot_instant(from, 0);
    let end = domain::slot_instant(to, 0) + Duration::days(2);
    let taken: HashSet<DateTime<Utc>> = store::taken(db, community, r.id, start, end).await?.into_iter().collect();
    let slot_minutes = r.rules().slot_minutes;
    let mut out = vec![];
    for date in from.iter_days().take_while(|d| *d <= to) {
        let Some((intervals, note)) = hours.get(&date) else { continue };
        let slots: Vec<Slot> = domain::slot_starts(intervals, slot_minutes)
            .into_iter()
            .map(|minute| {
                let at = domain::slot_instant(date, minute);
                Slot { at, minute, free: !taken.contains(&at) }
            })
            .filter(|s| s.at > now)
            .collect();
        if !slots.is_empty() || !note.is_empty() {
            out.push(Day { date, slots, note: note.clone() });
        }
    }
    Ok(out)
}

/// The days residents may book now: today and the horizon after it.
pub async fn open_days(db: &Db, community: CommunityId, r: &Resource, now: DateTime<Utc>) -> DbResult<Vec<Day>> {
    let rules = r.rules();
    let from = domain::local_day(now);
    let to = rules.days(now).last().unwrap_or(from);
    days(db, community, r, from, to, now).await
}

/// `HH:MM` of minutes after midnight.
pub fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}
