//! GTFS-Realtime: delays, skipped stops, cancelled trips and vehicle positions.
//!
//! A [`Realtime`] is decoded from one fetch of a feed's TripUpdates and/or VehiclePositions. It keeps the
//! updates as the producer sent them, keyed by trip id, and resolves them against the timetable only
//! when asked about one stop of one run of a trip ([`Realtime::predict`]), following the spec:
//!
//! - an update gives a delay (or an absolute time, which wins) at its stop, and that delay holds for the
//!   following stops until the next update; a trip-level delay holds until the first stop update;
//! - a SKIPPED stop is not served, and the delay before it carries on past it;
//! - NO_DATA ends the prediction until the next update;
//! - a CANCELED (or DELETED) trip runs nowhere.
//!
//! Data older than [`Realtime::max_age`] — by the feed's header timestamp, or by a trip update's own
//! timestamp — is ignored, so a stalled producer falls back to the timetable instead of showing
//! frozen predictions. DIFFERENTIAL feeds are read as full datasets.

pub mod proto;

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hromada_kernel::GeoPoint;
use prost::Message;
use serde::{Deserialize, Serialize};

use crate::feed::{Feed, TripIdx};
use crate::schedule::{ServiceDay, parse_date, parse_time};

/// How old realtime data may be before it is ignored, unless [`Realtime::with_max_age`] says otherwise.
pub const DEFAULT_MAX_AGE: Duration = Duration::minutes(5);

#[derive(Debug, thiserror::Error)]
pub enum RealtimeError {
    #[error("not a GTFS-Realtime message: {0}")]
    Decode(#[from] prost::DecodeError),
}

/// One fetch of a GTFS-Realtime feed.
#[derive(Debug, Clone)]
pub struct Realtime {
    timestamp: DateTime<Utc>,
    fetched_at: DateTime<Utc>,
    max_age: Duration,
    trips: HashMap<String, Vec<TripRealtime>>,
    vehicles: Vec<Vehicle>,
    skipped_entities: usize,
}

/// What the feed says about one run of a trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripRealtime {
    /// The service date of the run, when the producer gave it.
    pub start_date: Option<NaiveDate>,
    /// The run's first departure (seconds of the service day): tells runs of a frequency-based trip apart.
    pub start_time: Option<u32>,
    pub cancelled: bool,
    pub timestamp: Option<DateTime<Utc>>,
    /// Trip-level delay in seconds.
    pub delay: Option<i32>,
    /// In the producer's order, which the spec wants to be the trip's order.
    pub stops: Vec<StopUpdate>,
    pub vehicle_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopUpdate {
    pub stop_sequence: Option<u32>,
    pub stop_id: Option<String>,
    pub arrival: Option<Event>,
    pub departure: Option<Event>,
    pub relationship: StopRelationship,
}

/// A predicted arrival or departure: a delay against the timetable, or an absolute time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub delay: Option<i32>,
    pub time: Option<DateTime<Utc>>,
}

impl Event {
    /// The delay this event means against a scheduled moment; an absolute time wins over a delay.
    fn delay_against(self, scheduled: DateTime<Utc>) -> Option<i64> {
        match (self.time, self.delay) {
            (Some(time), _) => Some((time - scheduled).num_seconds()),
            (None, Some(delay)) => Some(i64::from(delay)),
            (None, None) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopRelationship {
    Scheduled,
    Skipped,
    NoData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopStatus {
    IncomingAt,
    StoppedAt,
    InTransitTo,
}

/// Where a vehicle is, from a VehiclePosition entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: Option<String>,
    pub label: Option<String>,
    pub trip_id: Option<String>,
    pub route_id: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub location: Option<GeoPoint>,
    /// Degrees clockwise from north.
    pub bearing: Option<f32>,
    /// Metres per second.
    pub speed: Option<f32>,
    pub stop_id: Option<String>,
    pub stop_sequence: Option<u32>,
    pub status: StopStatus,
    pub timestamp: Option<DateTime<Utc>>,
}

/// One journey of a trip on one service day: what a passenger at a stop waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub trip: TripIdx,
    pub day: ServiceDay,
    /// For a run of a frequency-based trip, how much later than the trip's template it starts.
    pub shift: u32,
}

/// What realtime says of one stop of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prediction {
    /// No realtime information: go by the timetable.
    Scheduled,
    Estimated {
        arrival: DateTime<Utc>,
        departure: DateTime<Utc>,
    },
    /// The vehicle will not stop here.
    Skipped,
    /// The run was cancelled.
    Cancelled,
}

fn seconds(posix: u64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(i64::try_from(posix).ok()?, 0)
}

impl Realtime {
    /// Decodes a FeedMessage fetched at `fetched_at`.
    pub fn decode(bytes: &[u8], fetched_at: DateTime<Utc>) -> Result<Self, RealtimeError> {
        Ok(Self::from_message(proto::FeedMessage::decode(bytes)?, fetched_at))
    }

    pub fn from_message(message: proto::FeedMessage, fetched_at: DateTime<Utc>) -> Self {
        let timestamp = message.header.timestamp.and_then(seconds).unwrap_or(fetched_at);
        let mut realtime = Self {
            timestamp,
            fetched_at,
            max_age: DEFAULT_MAX_AGE,
            trips: HashMap::new(),
            vehicles: Vec::new(),
            skipped_entities: 0,
        };
        for entity in message.entity {
            if entity.is_deleted == Some(true) {
                continue;
            }
            let mut used = false;
            if let Some(update) = entity.trip_update {
                used |= realtime.add_trip_update(update);
            }
            if let Some(position) = entity.vehicle {
                realtime.vehicles.push(vehicle(position));
                used = true;
            }
            if !used {
                realtime.skipped_entities += 1;
            }
        }
        realtime
    }

    fn add_trip_update(&mut self, update: proto::TripUpdate) -> bool {
        let descriptor = update.trip;
        // Trips added outside the timetable have no stop times to show here.
        let Some(trip_id) = descriptor.trip_id.filter(|id| !id.is_empty()) else { return false };
        let relationship = descriptor.schedule_relationship.and_then(|r| proto::TripRelationship::try_from(r).ok());
        let cancelled =
            matches!(relationship, Some(proto::TripRelationship::Canceled | proto::TripRelationship::Deleted));
        let event = |e: Option<proto::StopTimeEvent>| {
            e.map(|e| Event { delay: e.delay, time: e.time.and_then(|t| DateTime::from_timestamp(t, 0)) })
                .filter(|e| e.delay.is_some() || e.time.is_some())
        };
        let stops = update
            .stop_time_update
            .into_iter()
            .filter(|u| u.stop_sequence.is_some() || u.stop_id.is_some())
            .map(|u| StopUpdate {
                relationship: match u.schedule_relationship.and_then(|r| proto::StopTimeRelationship::try_from(r).ok())
                {
                    Some(proto::StopTimeRelationship::Skipped) => StopRelationship::Skipped,
                    Some(proto::StopTimeRelationship::NoData) => StopRelationship::NoData,
                    _ => StopRelationship::Scheduled,
                },
                stop_sequence: u.stop_sequence,
                stop_id: u.stop_id,
                arrival: event(u.arrival),
                departure: event(u.departure),
            })
            .collect();
        self.trips.entry(trip_id).or_default().push(TripRealtime {
            start_date: descriptor.start_date.as_deref().and_then(parse_date),
            start_time: descriptor.start_time.as_deref().and_then(parse_time),
            cancelled,
            timestamp: update.timestamp.and_then(seconds),
            delay: update.delay,
            stops,
            vehicle_label: update.vehicle.and_then(|v| v.label.or(v.id)),
        });
        true
    }

    /// Ignore data older than `max_age` instead of [`DEFAULT_MAX_AGE`].
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    pub fn max_age(&self) -> Duration {
        self.max_age
    }

    /// When the data was produced: the header's timestamp, or else when it was fetched.
    pub fn timestamp(&self) -> DateTime<Utc> {
        self.timestamp
    }

    pub fn fetched_at(&self) -> DateTime<Utc> {
        self.fetched_at
    }

    /// Whether the data is recent enough to be shown at `now`.
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        now - self.timestamp <= self.max_age
    }

    /// Entities that were neither a usable trip update nor a vehicle position.
    pub fn skipped_entities(&self) -> usize {
        self.skipped_entities
    }

    pub fn trip_updates(&self, trip_id: &str) -> &[TripRealtime] {
        self.trips.get(trip_id).map_or(&[], Vec::as_slice)
    }

    pub fn vehicles(&self) -> &[Vehicle] {
        &self.vehicles
    }

    /// The vehicles whose own position is fresh at `now` (a position without a timestamp goes by the
    /// feed's).
    pub fn fresh_vehicles(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Vehicle> {
        self.vehicles.iter().filter(move |v| self.is_fresh(now) && v.timestamp.is_none_or(|t| now - t <= self.max_age))
    }

    /// The update that describes `run`, if any: its service date and (for frequency-based trips) its
    /// start time must match when the producer gave them.
    fn update_for(&self, feed: &Feed, run: &Run, now: DateTime<Utc>) -> Option<&TripRealtime> {
        let trip = feed.trip(run.trip)?;
        let updates = self.trips.get(&trip.id)?;
        let frequency_based = !trip.frequencies.is_empty();
        let template_start =
            feed.trip_stop_times(run.trip).next().and_then(|i| feed.stop_times().departure.get(i).copied());
        updates.iter().find(|u| {
            let date_ok = u.start_date.is_none_or(|d| d == run.day.date);
            let run_ok =
                !frequency_based || u.start_time.is_some_and(|t| Some(t) == template_start.map(|s| s + run.shift));
            let fresh = u.timestamp.is_none_or(|t| now - t <= self.max_age);
            date_ok && run_ok && fresh
        })
    }

    /// What realtime says about the stop time `stop_time` (a row of [`Feed::stop_times`] belonging to
    /// `run.trip`) at `now`. Stale data, or a run the feed does not mention, gives
    /// [`Prediction::Scheduled`].
    pub fn predict(&self, feed: &Feed, run: &Run, stop_time: usize, now: DateTime<Utc>) -> Prediction {
        if !self.is_fresh(now) {
            return Prediction::Scheduled;
        }
        let Some(update) = self.update_for(feed, run, now) else { return Prediction::Scheduled };
        if update.cancelled {
            return Prediction::Cancelled;
        }
        let trip_rows = feed.trip_stop_times(run.trip);
        if !trip_rows.contains(&stop_time) {
            return Prediction::Scheduled;
        }
        let st = feed.stop_times();
        let scheduled = |row: usize| {
            let at = |t: u32| run.day.at(t.saturating_add(run.shift));
            (at(st.arrival[row]), at(st.departure[row]))
        };
        let sequences = &st.sequence[trip_rows.clone()];

        let mut delay = update.delay.map(i64::from);
        let mut searched_from = trip_rows.start;
        for stop_update in &update.stops {
            let row = match (stop_update.stop_sequence, stop_update.stop_id.as_deref()) {
                (Some(sequence), _) => sequences.binary_search(&sequence).ok().map(|k| trip_rows.start + k),
                (None, Some(stop_id)) => feed
                    .stop_by_id(stop_id)
                    .and_then(|stop| (searched_from..trip_rows.end).find(|&r| st.stop[r] == stop.0)),
                (None, None) => None,
            };
            let Some(row) = row else { continue };
            if row > stop_time {
                break;
            }
            searched_from = row + 1;
            let (arrival, departure) = scheduled(row);
            match stop_update.relationship {
                StopRelationship::Skipped if row == stop_time => return Prediction::Skipped,
                StopRelationship::Skipped => {}
                StopRelationship::NoData => delay = None,
                StopRelationship::Scheduled => {
                    let arrival_delay = stop_update.arrival.and_then(|e| e.delay_against(arrival));
                    let departure_delay = stop_update.departure.and_then(|e| e.delay_against(departure));
                    if row == stop_time {
                        let arrival_delay = arrival_delay.or(departure_delay).or(delay);
                        let departure_delay = departure_delay.or(arrival_delay);
                        return match (arrival_delay, departure_delay) {
                            (Some(a), Some(d)) => {
                                let arrival = arrival + Duration::seconds(a);
                                // A vehicle cannot leave before it arrives.
                                let departure = (departure + Duration::seconds(d)).max(arrival);
                                Prediction::Estimated { arrival, departure }
                            }
                            _ => Prediction::Scheduled,
                        };
                    }
                    if let Some(d) = departure_delay.or(arrival_delay) {
                        delay = Some(d);
                    }
                }
            }
        }
        match delay {
            Some(d) => {
                let (arrival, departure) = scheduled(stop_time);
                Prediction::Estimated {
                    arrival: arrival + Duration::seconds(d),
                    departure: departure + Duration::seconds(d),
                }
            }
            None => Prediction::Scheduled,
        }
    }
}

fn vehicle(position: proto::VehiclePosition) -> Vehicle {
    let trip = position.trip.unwrap_or_default();
    let descriptor = position.vehicle.unwrap_or_default();
    let status = match position.current_status.and_then(|s| proto::VehicleStopStatus::try_from(s).ok()) {
        Some(proto::VehicleStopStatus::IncomingAt) => StopStatus::IncomingAt,
        Some(proto::VehicleStopStatus::StoppedAt) => StopStatus::StoppedAt,
        _ => StopStatus::InTransitTo,
    };
    Vehicle {
        id: descriptor.id,
        label: descriptor.label,
        trip_id: trip.trip_id,
        route_id: trip.route_id,
        start_date: trip.start_date.as_deref().and_then(parse_date),
        location: position.position.as_ref().and_then(|p| GeoPoint::new(f64::from(p.latitude), f64::from(p.longitude))),
        bearing: position.position.as_ref().and_then(|p| p.bearing),
        speed: position.position.as_ref().and_then(|p| p.speed),
        stop_id: position.stop_id,
        stop_sequence: position.current_stop_sequence,
        status,
        timestamp: position.timestamp.and_then(seconds),
    }
}
