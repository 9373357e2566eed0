//! The departure board of a stop: the next vehicles, by timetable and by realtime prediction.

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, Utc};
use hromada_kernel::clock::kyiv_time;
use serde::Serialize;

use crate::feed::{Feed, Route, Stop, StopIdx, Trip, TripIdx};
use crate::realtime::{Prediction, Realtime, Run};
use crate::schedule::{ActiveServices, ServiceDay};

/// How far ahead a board looks.
pub const HORIZON: Duration = Duration::hours(24);
/// How late a vehicle may run and still be looked for: with realtime on, runs scheduled up to this long
/// ago are checked for a delay that brings them after "now".
pub const MAX_LATENESS: Duration = Duration::minutes(30);

/// One vehicle due at a stop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arrival<'f> {
    pub route: &'f Route,
    pub trip: &'f Trip,
    /// The stop served: the asked one, or one of its platforms when a station was asked.
    pub stop: &'f Stop,
    pub headsign: &'f str,
    /// The service date of the run; the day before the calendar date for a run past midnight.
    pub service_date: NaiveDate,
    /// By the timetable: the departure, or the arrival where the trip ends.
    pub scheduled: DateTime<Utc>,
    /// The realtime prediction, or the timetable when there is none.
    pub predicted: DateTime<Utc>,
    /// Whether `predicted` comes from realtime data.
    pub realtime: bool,
    /// Whole minutes from now until `predicted`.
    pub minutes: i64,
    /// For a frequency-based trip without exact times: its headway in seconds. The times are then only
    /// indicative ("every N minutes").
    pub headway: Option<u32>,
    /// The trip ends at this stop.
    pub terminates: bool,
}

impl Arrival<'_> {
    /// Seconds late (negative: early).
    pub fn delay(&self) -> i64 {
        (self.predicted - self.scheduled).num_seconds()
    }

    /// The predicted time on Kyiv's clocks.
    pub fn local_time(&self) -> NaiveDateTime {
        kyiv_time(self.predicted)
    }
}

/// A run of a trip calling at a stop, before realtime is applied.
struct Call {
    run: Run,
    stop_time: usize,
    headway: Option<u32>,
}

/// The next `limit` vehicles calling at `stop` (and at its platforms, when it is a station) from `now`,
/// in order of predicted time.
///
/// Runs of every service day that can still be under way are looked at: the previous days' runs past
/// midnight, today's, and the next ones within [`HORIZON`]. Each stop's timed calls are found by a binary
/// search in its visits sorted by time; frequency-based trips are expanded from their headway windows
/// only as far as needed. Realtime data is used only when fresh; cancelled runs and skipped stops are
/// left out. A run whose realtime prediction moves it behind later runs may be missed when those fill
/// the `limit` first.
pub fn next_departures<'f>(
    feed: &'f Feed,
    stop: StopIdx,
    now: DateTime<Utc>,
    limit: usize,
    realtime: Option<&Realtime>,
) -> Vec<Arrival<'f>> {
    if limit == 0 || feed.stop(stop).is_none() {
        return Vec::new();
    }
    let realtime = realtime.filter(|rt| rt.is_fresh(now));
    let lateness = if realtime.is_some() { MAX_LATENESS.num_seconds() } else { 0 };
    let mut stops = vec![stop];
    stops.extend(feed.children(stop).iter().map(|c| StopIdx(*c)));

    let today = kyiv_time(now).date();
    let days_back = u64::from(feed.latest_time() / 86_400);
    let first_day = today.checked_sub_days(Days::new(days_back)).unwrap_or(today);
    let mut board = Board { feed, now, realtime, arrivals: Vec::new() };
    // Up to the day after tomorrow: on the eve of a clock change a service day starts at 23:00 the
    // evening before, inside a 24-hour horizon.
    let last_day = today.checked_add_days(Days::new(2)).unwrap_or(today);
    for date in first_day.iter_days().take_while(|d| *d <= last_day) {
        let day = ServiceDay::new(date);
        let now_secs = day.seconds_to(now);
        let (from, to) = (now_secs - lateness, now_secs + HORIZON.num_seconds());
        if to < 0 || from > i64::from(feed.latest_time()) {
            continue;
        }
        let active = ActiveServices::on(feed.services(), date);
        if active.is_empty() {
            continue;
        }
        let window = Window { from: clamp(from), to: clamp(to), limit };
        for &s in &stops {
            board.timed_calls(s, day, &active, &window);
            board.headway_calls(s, day, &active, &window);
        }
    }

    let mut arrivals = board.arrivals;
    arrivals.sort_by(|a, b| {
        (a.predicted, a.scheduled, a.route.display_name()).cmp(&(b.predicted, b.scheduled, b.route.display_name()))
    });
    arrivals.truncate(limit);
    arrivals
}

/// Seconds of a service day to look at, `[from, to]`, and how many arrivals to find there.
struct Window {
    from: u32,
    to: u32,
    limit: usize,
}

fn clamp(seconds: i64) -> u32 {
    seconds.clamp(0, i64::from(u32::MAX)) as u32
}

/// The arrivals found so far.
struct Board<'f, 'r> {
    feed: &'f Feed,
    now: DateTime<Utc>,
    realtime: Option<&'r Realtime>,
    arrivals: Vec<Arrival<'f>>,
}

impl Board<'_, '_> {
    /// Adds the call if it is still to come; says whether it was.
    fn add(&mut self, call: Call) -> bool {
        match arrival(self.feed, call, self.now, self.realtime) {
            Some(arrival) if arrival.predicted >= self.now => {
                self.arrivals.push(arrival);
                true
            }
            _ => false,
        }
    }

    /// Calls of trips with fixed times, from the stop's visits sorted by time. The scan stops after
    /// `limit` arrivals still to come: later ones cannot make the board.
    fn timed_calls(&mut self, stop: StopIdx, day: ServiceDay, active: &ActiveServices, window: &Window) {
        let feed = self.feed;
        let st = feed.stop_times();
        let visits = feed.visits(stop);
        let first = visits.partition_point(|v| v.departure < window.from);
        let mut found = 0;
        for visit in &visits[first..] {
            if visit.departure > window.to || found >= window.limit {
                break;
            }
            let row = visit.stop_time as usize;
            let trip = TripIdx(st.trip[row]);
            if feed.trip(trip).is_some_and(|t| active.contains(t.service.0))
                && self.add(Call { run: Run { trip, day, shift: 0 }, stop_time: row, headway: None })
            {
                found += 1;
            }
        }
    }

    /// Calls of frequency-based trips, generated run by run from the headway windows as far as needed.
    fn headway_calls(&mut self, stop: StopIdx, day: ServiceDay, active: &ActiveServices, window: &Window) {
        let feed = self.feed;
        let st = feed.stop_times();
        for &row in feed.headway_visits(stop) {
            let row = row as usize;
            let trip = TripIdx(st.trip[row]);
            if !feed.trip(trip).is_some_and(|t| active.contains(t.service.0)) {
                continue;
            }
            let Some(template_start) = feed.trip_stop_times(trip).next().map(|first| st.departure[first]) else {
                continue;
            };
            // How long after the run's first departure it calls here.
            let offset = st.departure[row].saturating_sub(template_start);
            for frequency in feed.trip_frequencies(trip) {
                let mut found = 0;
                for start in frequency.runs_from(window.from.saturating_sub(offset)) {
                    if start.saturating_add(offset) > window.to || found >= window.limit {
                        break;
                    }
                    let shift = start.saturating_sub(template_start);
                    let headway = (!frequency.exact_times).then_some(frequency.headway);
                    if self.add(Call { run: Run { trip, day, shift }, stop_time: row, headway }) {
                        found += 1;
                    }
                }
            }
        }
    }
}

fn arrival<'f>(feed: &'f Feed, call: Call, now: DateTime<Utc>, realtime: Option<&Realtime>) -> Option<Arrival<'f>> {
    let st = feed.stop_times();
    let trip = feed.trip(call.run.trip)?;
    let terminates = trip.stop_times.range().last() == Some(call.stop_time);
    let time = if terminates { st.arrival[call.stop_time] } else { st.departure[call.stop_time] };
    let scheduled = call.run.day.at(time.saturating_add(call.run.shift));
    let (predicted, is_realtime) = match realtime.map(|rt| rt.predict(feed, &call.run, call.stop_time, now)) {
        Some(Prediction::Cancelled | Prediction::Skipped) => return None,
        Some(Prediction::Estimated { arrival, departure }) => (if terminates { arrival } else { departure }, true),
        Some(Prediction::Scheduled) | None => (scheduled, false),
    };
    Some(Arrival {
        route: feed.route(trip.route)?,
        trip,
        stop: feed.stop(StopIdx(st.stop[call.stop_time]))?,
        headsign: feed.headsign(call.run.trip),
        service_date: call.run.day.date,
        scheduled,
        predicted,
        realtime: is_realtime,
        minutes: (predicted - now).num_seconds().max(0) / 60,
        headway: call.headway,
        terminates,
    })
}
