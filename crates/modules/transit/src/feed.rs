//! The timetable in memory: agencies, routes, stops, trips, stop times, services and frequencies.
//!
//! Rows refer to each other by `u32` indices instead of string ids, and the stop times are stored as
//! columns ordered by trip: a million stop times take 21 MB, and their index by stop 8 MB more. The
//! indexes that make lookups fast are rebuilt from the rows and are never serialised.

use std::collections::HashMap;
use std::ops::Range;

use hromada_kernel::GeoPoint;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::schedule::Service;
use crate::stops::normalize;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// Position of an agency in [`Feed::agencies`].
    AgencyIdx
);
index_type!(
    /// Position of a route in [`Feed::routes`].
    RouteIdx
);
index_type!(
    /// Position of a stop in [`Feed::stops`].
    StopIdx
);
index_type!(
    /// Position of a trip in [`Feed::trips`].
    TripIdx
);
index_type!(
    /// Position of a service in [`Feed::services`].
    ServiceIdx
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub url: String,
    pub timezone: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub id: String,
    pub agency: Option<AgencyIdx>,
    /// The number on the vehicle, e.g. "7" or "Тр 12".
    pub short_name: String,
    pub long_name: String,
    /// GTFS `route_type`, basic (0–12) or extended (100–1700).
    pub route_type: u16,
    /// `RRGGBB`, upper case, as in the feed.
    pub colour: Option<String>,
    pub text_colour: Option<String>,
}

/// What kind of vehicle serves a route, from basic and extended GTFS route types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Tram,
    Metro,
    Rail,
    Bus,
    Ferry,
    CableTram,
    AerialLift,
    Funicular,
    Trolleybus,
    Monorail,
    Other,
}

impl Route {
    /// The short name, or the long one when there is no number.
    pub fn display_name(&self) -> &str {
        if self.short_name.is_empty() { &self.long_name } else { &self.short_name }
    }

    pub fn mode(&self) -> Mode {
        match self.route_type {
            0 | 900..=999 => Mode::Tram,
            1 | 401..=402 | 500..=599 => Mode::Metro,
            2 | 100..=199 | 300..=399 | 400 | 403..=404 => Mode::Rail,
            3 | 200..=299 | 700..=799 => Mode::Bus,
            4 | 1000..=1099 | 1200..=1299 => Mode::Ferry,
            5 => Mode::CableTram,
            6 | 1300..=1399 => Mode::AerialLift,
            7 | 1400..=1499 => Mode::Funicular,
            11 | 800..=899 => Mode::Trolleybus,
            12 | 405 => Mode::Monorail,
            _ => Mode::Other,
        }
    }
}

/// GTFS `location_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationType {
    /// A stop or platform where vehicles stop.
    Stop,
    /// A station grouping platforms (its children).
    Station,
    Entrance,
    GenericNode,
    BoardingArea,
}

impl LocationType {
    pub(crate) fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Stop,
            1 => Self::Station,
            2 => Self::Entrance,
            3 => Self::GenericNode,
            4 => Self::BoardingArea,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub id: String,
    /// The short code on the stop's sign, if any.
    pub code: Option<String>,
    pub name: String,
    /// `None` only for stops the feed gave no valid coordinates (reported on import).
    pub location: Option<GeoPoint>,
    pub location_type: LocationType,
    pub parent: Option<StopIdx>,
}

/// A half-open range of rows in one of the feed's tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }

    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trip {
    pub id: String,
    pub route: RouteIdx,
    pub service: ServiceIdx,
    pub headsign: String,
    pub short_name: Option<String>,
    /// GTFS `direction_id`, 0 or 1.
    pub direction: Option<u8>,
    /// This trip's rows in [`Feed::stop_times`], in stop sequence order.
    pub stop_times: Span,
    /// This trip's rows in [`Feed::frequencies`]; empty for a trip with fixed times.
    pub frequencies: Span,
}

/// Pick-up and drop-off are possible at a stop time unless a flag says otherwise.
pub const NO_PICKUP: u8 = 1;
pub const NO_DROP_OFF: u8 = 2;

/// All stop times of the feed as columns, sorted by trip and then stop sequence. Times are seconds of
/// the service day (see [`crate::schedule`]); stops without times in the feed were interpolated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopTimes {
    pub trip: Vec<u32>,
    pub stop: Vec<u32>,
    pub arrival: Vec<u32>,
    pub departure: Vec<u32>,
    pub sequence: Vec<u32>,
    /// [`NO_PICKUP`] and [`NO_DROP_OFF`] bits.
    pub flags: Vec<u8>,
}

impl StopTimes {
    pub fn len(&self) -> usize {
        self.trip.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trip.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<StopTime> {
        Some(StopTime {
            trip: TripIdx(*self.trip.get(i)?),
            stop: StopIdx(*self.stop.get(i)?),
            arrival: *self.arrival.get(i)?,
            departure: *self.departure.get(i)?,
            sequence: *self.sequence.get(i)?,
            flags: *self.flags.get(i)?,
        })
    }

    pub(crate) fn push(&mut self, row: StopTime) {
        self.trip.push(row.trip.0);
        self.stop.push(row.stop.0);
        self.arrival.push(row.arrival);
        self.departure.push(row.departure);
        self.sequence.push(row.sequence);
        self.flags.push(row.flags);
    }
}

/// One row of [`StopTimes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopTime {
    pub trip: TripIdx,
    pub stop: StopIdx,
    pub arrival: u32,
    pub departure: u32,
    pub sequence: u32,
    pub flags: u8,
}

/// A headway window of frequencies.txt: the trip's pattern starts every `headway` seconds from `start`
/// while before `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frequency {
    pub trip: TripIdx,
    pub start: u32,
    pub end: u32,
    pub headway: u32,
    /// `exact_times = 1`: runs start exactly on the headway; otherwise the times are only indicative.
    pub exact_times: bool,
}

impl Frequency {
    /// The start times of the runs whose first departure is at or after `from`, lazily.
    pub fn runs_from(&self, from: u32) -> impl Iterator<Item = u32> + use<> {
        let headway = self.headway.max(1);
        let first = if from <= self.start {
            self.start
        } else {
            let k = (from - self.start).div_ceil(headway);
            self.start.saturating_add(k.saturating_mul(headway))
        };
        let end = self.end;
        (0..).map_while(move |k: u32| {
            let start = first.checked_add(k.checked_mul(headway)?)?;
            (start < end).then_some(start)
        })
    }
}

/// Everything stored of a feed; [`Feed`] adds the indexes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedData {
    pub agencies: Vec<Agency>,
    pub routes: Vec<Route>,
    pub stops: Vec<Stop>,
    pub services: Vec<Service>,
    pub trips: Vec<Trip>,
    pub stop_times: StopTimes,
    pub frequencies: Vec<Frequency>,
}

/// A GTFS feed in memory, indexed for departure boards, stop search and realtime matching.
///
/// It serialises as its [`FeedData`] (the indexes are rebuilt on deserialising), so it can be kept as
/// a blob or a JSON document.
#[derive(Debug, Clone)]
pub struct Feed {
    data: FeedData,
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    stop_by_id: HashMap<String, u32>,
    trip_by_id: HashMap<String, u32>,
    route_by_id: HashMap<String, u32>,
    /// Per stop, its timed stop times sorted by departure: `visits[visit_start[s]..visit_start[s + 1]]`.
    visit_start: Vec<u32>,
    visits: Vec<Visit>,
    /// Per stop, stop times of frequency-based trips, expanded at query time.
    headway_start: Vec<u32>,
    headway_visits: Vec<u32>,
    /// Per station, its child stops.
    child_start: Vec<u32>,
    children: Vec<u32>,
    /// Stop names folded for search ([`normalize`]).
    search_names: Vec<String>,
    /// The latest time of day in the feed, to know how many service days back can still be running.
    latest_time: u32,
}

/// A timed stop time as seen from its stop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Visit {
    pub departure: u32,
    pub stop_time: u32,
}

impl Feed {
    /// Checks the rows' cross references ([`FeedData::check`]) and indexes them.
    pub fn new(data: FeedData) -> Result<Self, InvalidFeed> {
        data.check()?;
        Ok(Self::indexed(data))
    }

    /// Indexes rows known to be consistent, as the importer leaves them.
    pub(crate) fn indexed(data: FeedData) -> Self {
        let index = Index::build(&data);
        Self { data, index }
    }

    pub fn data(&self) -> &FeedData {
        &self.data
    }

    pub fn into_data(self) -> FeedData {
        self.data
    }

    pub fn agencies(&self) -> &[Agency] {
        &self.data.agencies
    }
    pub fn routes(&self) -> &[Route] {
        &self.data.routes
    }
    pub fn stops(&self) -> &[Stop] {
        &self.data.stops
    }
    pub fn services(&self) -> &[Service] {
        &self.data.services
    }
    pub fn trips(&self) -> &[Trip] {
        &self.data.trips
    }
    pub fn stop_times(&self) -> &StopTimes {
        &self.data.stop_times
    }
    pub fn frequencies(&self) -> &[Frequency] {
        &self.data.frequencies
    }

    pub fn stop(&self, stop: StopIdx) -> Option<&Stop> {
        self.data.stops.get(stop.index())
    }
    pub fn route(&self, route: RouteIdx) -> Option<&Route> {
        self.data.routes.get(route.index())
    }
    pub fn trip(&self, trip: TripIdx) -> Option<&Trip> {
        self.data.trips.get(trip.index())
    }

    pub fn stop_by_id(&self, id: &str) -> Option<StopIdx> {
        self.index.stop_by_id.get(id).copied().map(StopIdx)
    }
    pub fn trip_by_id(&self, id: &str) -> Option<TripIdx> {
        self.index.trip_by_id.get(id).copied().map(TripIdx)
    }
    pub fn route_by_id(&self, id: &str) -> Option<RouteIdx> {
        self.index.route_by_id.get(id).copied().map(RouteIdx)
    }

    /// The stop times of a trip, in stop sequence order, as row numbers in [`Feed::stop_times`].
    pub fn trip_stop_times(&self, trip: TripIdx) -> Range<usize> {
        self.trip(trip).map_or(0..0, |t| t.stop_times.range())
    }

    /// The headway windows of a trip (empty for a trip with fixed times).
    pub fn trip_frequencies(&self, trip: TripIdx) -> &[Frequency] {
        self.trip(trip).and_then(|t| self.data.frequencies.get(t.frequencies.range())).unwrap_or(&[])
    }

    /// The platforms of a station; empty for anything else.
    pub fn children(&self, station: StopIdx) -> &[u32] {
        slice_of(&self.index.child_start, &self.index.children, station.index())
    }

    /// The trip's headsign, or else the name of its last stop.
    pub fn headsign(&self, trip: TripIdx) -> &str {
        let Some(t) = self.trip(trip) else { return "" };
        if !t.headsign.is_empty() {
            return &t.headsign;
        }
        t.stop_times
            .range()
            .last()
            .and_then(|last| self.data.stop_times.stop.get(last))
            .and_then(|s| self.data.stops.get(*s as usize))
            .map_or("", |s| s.name.as_str())
    }

    /// The largest time of day (seconds) in the feed, including headway windows.
    pub fn latest_time(&self) -> u32 {
        self.index.latest_time
    }

    pub(crate) fn visits(&self, stop: StopIdx) -> &[Visit] {
        slice_of(&self.index.visit_start, &self.index.visits, stop.index())
    }

    pub(crate) fn headway_visits(&self, stop: StopIdx) -> &[u32] {
        slice_of(&self.index.headway_start, &self.index.headway_visits, stop.index())
    }

    pub(crate) fn search_names(&self) -> &[String] {
        &self.index.search_names
    }
}

fn slice_of<'a, T>(starts: &[u32], items: &'a [T], i: usize) -> &'a [T] {
    match (starts.get(i), starts.get(i + 1)) {
        (Some(&a), Some(&b)) => items.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Groups `(key, value)` pairs by key into compressed rows (CSR): `values[starts[k]..starts[k + 1]]`.
fn group_by_key<T: Copy>(keys: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> (Vec<u32>, Vec<T>) {
    let mut starts = vec![0u32; keys + 1];
    for (k, _) in pairs.clone() {
        if k < keys {
            starts[k + 1] += 1;
        }
    }
    for k in 0..keys {
        starts[k + 1] += starts[k];
    }
    let mut fill = starts.clone();
    let mut values: Vec<Option<T>> = vec![None; starts[keys] as usize];
    for (k, v) in pairs {
        if k < keys {
            values[fill[k] as usize] = Some(v);
            fill[k] += 1;
        }
    }
    (starts, values.into_iter().flatten().collect())
}

impl Index {
    fn build(data: &FeedData) -> Self {
        let ids = |it: &mut dyn Iterator<Item = &String>| {
            it.enumerate().map(|(i, id)| (id.clone(), i as u32)).collect::<HashMap<_, _>>()
        };
        let stop_by_id = ids(&mut data.stops.iter().map(|s| &s.id));
        let trip_by_id = ids(&mut data.trips.iter().map(|t| &t.id));
        let route_by_id = ids(&mut data.routes.iter().map(|r| &r.id));

        let st = &data.stop_times;
        let frequency_based = |trip: u32| data.trips.get(trip as usize).is_some_and(|t| !t.frequencies.is_empty());
        // A vehicle that neither picks up nor sets down here only passes by: it has no place on the board.
        let stops_here = |i: usize| st.flags[i] & (NO_PICKUP | NO_DROP_OFF) != NO_PICKUP | NO_DROP_OFF;

        let timed = (0..st.len())
            .filter(|&i| stops_here(i) && !frequency_based(st.trip[i]))
            .map(|i| (st.stop[i] as usize, Visit { departure: st.departure[i], stop_time: i as u32 }));
        let (visit_start, mut visits) = group_by_key(data.stops.len(), timed);
        for s in 0..data.stops.len() {
            let range = visit_start[s] as usize..visit_start[s + 1] as usize;
            visits[range].sort_unstable_by_key(|v| (v.departure, v.stop_time));
        }

        let headway = (0..st.len())
            .filter(|&i| stops_here(i) && frequency_based(st.trip[i]))
            .map(|i| (st.stop[i] as usize, i as u32));
        let (headway_start, headway_visits) = group_by_key(data.stops.len(), headway);

        let parents = data.stops.iter().enumerate().filter_map(|(i, s)| s.parent.map(|p| (p.index(), i as u32)));
        let (child_start, children) = group_by_key(data.stops.len(), parents);

        let latest_stop_time = st.departure.iter().chain(&st.arrival).copied().max().unwrap_or(0);
        let latest_run = data
            .frequencies
            .iter()
            .map(|f| {
                let trip = data.trips.get(f.trip.index());
                let template = trip.map(|t| t.stop_times.range()).unwrap_or(0..0);
                let first = template.clone().next().and_then(|i| st.departure.get(i)).copied().unwrap_or(0);
                let last = template.last().and_then(|i| st.arrival.get(i)).copied().unwrap_or(0);
                f.end.saturating_add(last.saturating_sub(first))
            })
            .max()
            .unwrap_or(0);

        Self {
            stop_by_id,
            trip_by_id,
            route_by_id,
            visit_start,
            visits,
            headway_start,
            headway_visits,
            child_start,
            children,
            search_names: data.stops.iter().map(|s| normalize(&s.name)).collect(),
            latest_time: latest_stop_time.max(latest_run),
        }
    }
}

impl Serialize for Feed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Feed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Feed::new(FeedData::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Rows that refer to rows that are not there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("inconsistent feed: {0}")]
pub struct InvalidFeed(String);

impl FeedData {
    /// Checks the cross references and the order of stop times, so that a stored feed that was tampered
    /// with or truncated is refused rather than indexed out of bounds.
    pub fn check(&self) -> Result<(), InvalidFeed> {
        let invalid = |why: &str| Err(InvalidFeed(why.to_owned()));
        let st = &self.stop_times;
        let n = st.trip.len();
        if [st.stop.len(), st.arrival.len(), st.departure.len(), st.sequence.len(), st.flags.len()]
            .iter()
            .any(|l| *l != n)
        {
            return invalid("stop time columns differ in length");
        }
        let (stops, trips) = (self.stops.len() as u32, self.trips.len() as u32);
        if st.stop.iter().any(|s| *s >= stops) || st.trip.iter().any(|t| *t >= trips) {
            return invalid("a stop time refers to a missing stop or trip");
        }
        if self.stops.iter().any(|s| s.parent.is_some_and(|p| p.0 >= stops)) {
            return invalid("a stop refers to a missing parent");
        }
        for (i, trip) in self.trips.iter().enumerate() {
            let bad_span = |span: Span, len: usize| span.start as usize + span.len as usize > len;
            if trip.route.index() >= self.routes.len()
                || trip.service.index() >= self.services.len()
                || bad_span(trip.stop_times, n)
                || bad_span(trip.frequencies, self.frequencies.len())
                || trip.stop_times.range().any(|r| st.trip[r] != i as u32)
                || st.sequence[trip.stop_times.range()].windows(2).any(|w| w[0] >= w[1])
            {
                return invalid(&format!("trip {} refers to missing rows", trip.id));
            }
        }
        let unsorted = |dates: &[chrono::NaiveDate]| dates.windows(2).any(|w| w[0] > w[1]);
        if self.services.iter().any(|s| unsorted(&s.added) || unsorted(&s.removed)) {
            return invalid("a service's exception dates are not sorted");
        }
        if self.frequencies.iter().any(|f| f.trip.0 >= trips || f.headway == 0) {
            return invalid("a frequency refers to a missing trip or has no headway");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_stay_inside_their_window() {
        let f = Frequency { trip: TripIdx(0), start: 6 * 3600, end: 7 * 3600, headway: 600, exact_times: true };
        let runs: Vec<u32> = f.runs_from(0).collect();
        assert_eq!(runs, (0..6).map(|k| 6 * 3600 + k * 600).collect::<Vec<_>>());
        assert_eq!(f.runs_from(6 * 3600 + 1).next(), Some(6 * 3600 + 600));
        assert_eq!(f.runs_from(7 * 3600).next(), None);
    }

    #[test]
    fn routes_name_their_mode() {
        let route = |t| Route {
            id: "r".into(),
            agency: None,
            short_name: String::new(),
            long_name: "Вокзал — Центр".into(),
            route_type: t,
            colour: None,
            text_colour: None,
        };
        assert_eq!(route(11).mode(), Mode::Trolleybus);
        assert_eq!(route(800).mode(), Mode::Trolleybus);
        assert_eq!(route(3).mode(), Mode::Bus);
        assert_eq!(route(0).mode(), Mode::Tram);
        assert_eq!(route(3).display_name(), "Вокзал — Центр");
    }

    #[test]
    fn grouping_keeps_every_pair_under_its_key() {
        let (starts, values) = group_by_key(3, [(2, 'a'), (0, 'b'), (2, 'c')].into_iter());
        assert_eq!(starts, vec![0, 1, 1, 3]);
        assert_eq!(values, vec!['b', 'a', 'c']);
    }
}
