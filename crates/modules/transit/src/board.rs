//! What a stop's board shows, for the pages, the display JSON, the API and the chatbot alike.

use crate::store::Loaded;
use crate::{StopIdx, next_departures};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One departure as residents read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Departure {
    /// The route's number or name.
    pub route: String,
    pub headsign: String,
    /// Local (Kyiv) time, `HH:MM`, as expected now.
    pub time: String,
    /// The timetable's time when it differs.
    pub scheduled: Option<String>,
    pub minutes: i64,
    /// The time comes from the vehicle's realtime data.
    pub realtime: bool,
    /// Minutes late (negative: early), when realtime says so.
    pub delay_minutes: Option<i64>,
    /// The vehicle runs every so many minutes rather than at exact times.
    pub every_minutes: Option<u32>,
}

fn hm(at: DateTime<Utc>) -> String {
    hromada_kernel::clock::kyiv_time(at).format("%H:%M").to_string()
}

pub fn departures(loaded: &Loaded, stop: StopIdx, now: DateTime<Utc>, limit: usize) -> Vec<Departure> {
    next_departures(&loaded.feed, stop, now, limit, loaded.realtime.as_ref())
        .into_iter()
        .filter(|a| !a.terminates)
        .map(|a| {
            let delay = a.delay();
            Departure {
                route: a.route.display_name().to_owned(),
                headsign: a.headsign.to_owned(),
                time: hm(a.predicted),
                scheduled: (a.realtime && hm(a.scheduled) != hm(a.predicted)).then(|| hm(a.scheduled)),
                minutes: a.minutes.max(0),
                realtime: a.realtime,
                delay_minutes: (a.realtime && delay != 0).then_some(delay / 60),
                every_minutes: a.headway.map(|h| h / 60),
            }
        })
        .collect()
}
