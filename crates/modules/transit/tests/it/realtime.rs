use chrono::{DateTime, Duration, Utc};
use hromada_transit::realtime::StopStatus;
use hromada_transit::realtime::proto::{
    FeedEntity, FeedHeader, FeedMessage, Position, StopTimeEvent, StopTimeRelationship, StopTimeUpdate, TripDescriptor,
    TripRelationship, TripUpdate, VehicleDescriptor, VehiclePosition,
};
use hromada_transit::{Arrival, Feed, Realtime, next_departures};
use prost::Message;

use crate::support::*;

fn encode(produced: DateTime<Utc>, entity: Vec<FeedEntity>) -> Vec<u8> {
    let header = FeedHeader {
        gtfs_realtime_version: "2.0".into(),
        timestamp: Some(produced.timestamp() as u64),
        ..Default::default()
    };
    FeedMessage { header, entity }.encode_to_vec()
}

fn update(trip_id: &str, stops: Vec<StopTimeUpdate>) -> TripUpdate {
    TripUpdate {
        trip: TripDescriptor { trip_id: Some(trip_id.into()), ..Default::default() },
        stop_time_update: stops,
        ..Default::default()
    }
}

fn entity(trip_update: TripUpdate) -> FeedEntity {
    FeedEntity {
        id: trip_update.trip.trip_id.clone().unwrap_or_default(),
        trip_update: Some(trip_update),
        ..Default::default()
    }
}

fn delay(seconds: i32) -> Option<StopTimeEvent> {
    Some(StopTimeEvent { delay: Some(seconds), ..Default::default() })
}

fn at_sequence(sequence: u32) -> StopTimeUpdate {
    StopTimeUpdate { stop_sequence: Some(sequence), ..Default::default() }
}

fn relationship(sequence: u32, r: StopTimeRelationship) -> StopTimeUpdate {
    StopTimeUpdate { schedule_relationship: Some(r as i32), ..at_sequence(sequence) }
}

/// Decodes what a producer sent half a minute before `now`.
fn realtime(now: DateTime<Utc>, updates: Vec<TripUpdate>) -> Realtime {
    let bytes = encode(now - Duration::seconds(30), updates.into_iter().map(entity).collect());
    Realtime::decode(&bytes, now).expect("decodes")
}

/// (trip, local time, realtime?) of the first `n` departures.
fn board(
    feed: &Feed,
    stop_id: &str,
    now: DateTime<Utc>,
    n: usize,
    rt: Option<&Realtime>,
) -> Vec<(String, String, bool)> {
    next_departures(feed, stop(feed, stop_id), now, n, rt)
        .iter()
        .map(|a: &Arrival<'_>| (a.trip.id.clone(), a.local_time().format("%H:%M").to_string(), a.realtime))
        .collect()
}

fn row(trip: &str, at: &str, realtime: bool) -> (String, String, bool) {
    (trip.to_owned(), at.to_owned(), realtime)
}

#[test]
fn a_delay_holds_for_the_following_stops() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let rt = realtime(now, vec![update("r7-0800", vec![StopTimeUpdate { departure: delay(120), ..at_sequence(1) }])]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:02", true)]);
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:13", true)]);
    assert_eq!(board(&feed, "C", now, 1, Some(&rt)), [row("r7-0800", "08:22", true)]);
    let arrival = &next_departures(&feed, stop(&feed, "B"), now, 1, Some(&rt))[0];
    assert_eq!(arrival.delay(), 120);
    assert_eq!(arrival.minutes, 18);
    // Other trips are not touched.
    assert_eq!(board(&feed, "A", now, 2, Some(&rt))[1], row("t12-f", "17:00", false));
}

#[test]
fn a_later_update_replaces_the_delay() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let stops = vec![
        StopTimeUpdate { departure: delay(120), ..at_sequence(1) },
        StopTimeUpdate { arrival: delay(60), ..at_sequence(2) },
    ];
    let rt = realtime(now, vec![update("r7-0800", stops)]);
    // Arrives 08:11, leaves a minute late too (the arrival's delay stands for the departure).
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:12", true)]);
    assert_eq!(board(&feed, "C", now, 1, Some(&rt)), [row("r7-0800", "08:21", true)]);
}

#[test]
fn an_absolute_time_wins_and_sets_the_delay_after_it() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let time =
        Some(StopTimeEvent { time: Some(kyiv(2026, 8, 25, 8, 15).timestamp()), delay: Some(0), ..Default::default() });
    let rt = realtime(now, vec![update("r7-0800", vec![StopTimeUpdate { departure: time, ..at_sequence(2) }])]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:00", false)], "no update before B");
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:15", true)]);
    assert_eq!(board(&feed, "C", now, 1, Some(&rt)), [row("r7-0800", "08:24", true)]);
}

#[test]
fn updates_may_name_the_stop_instead_of_the_sequence() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let by_id = StopTimeUpdate { stop_id: Some("B".into()), departure: delay(-60), ..Default::default() };
    let rt = realtime(now, vec![update("r7-0800", vec![by_id])]);
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:10", true)]);
}

#[test]
fn a_trip_level_delay_holds_until_the_first_stop_update() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let mut trip = update("r7-0800", vec![StopTimeUpdate { departure: delay(0), ..at_sequence(3) }]);
    trip.delay = Some(180);
    let rt = realtime(now, vec![trip]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:03", true)]);
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:14", true)]);
    assert_eq!(board(&feed, "C", now, 1, Some(&rt)), [row("r7-0800", "08:20", true)]);
}

#[test]
fn no_data_ends_the_prediction() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let stops =
        vec![StopTimeUpdate { departure: delay(120), ..at_sequence(1) }, relationship(2, StopTimeRelationship::NoData)];
    let rt = realtime(now, vec![update("r7-0800", stops)]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:02", true)]);
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:11", false)]);
    assert_eq!(board(&feed, "C", now, 1, Some(&rt)), [row("r7-0800", "08:20", false)]);
}

#[test]
fn a_skipped_stop_is_left_out_and_the_delay_carries_past_it() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let stops = vec![
        StopTimeUpdate { departure: delay(120), ..at_sequence(1) },
        relationship(2, StopTimeRelationship::Skipped),
    ];
    let rt = realtime(now, vec![update("r7-0800", stops)]);
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-2350", "00:10", false)]);
    assert_eq!(board(&feed, "C", now, 1, Some(&rt)), [row("r7-0800", "08:22", true)]);
}

#[test]
fn a_cancelled_trip_is_not_shown() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let mut trip = update("r7-0800", vec![]);
    trip.trip.schedule_relationship = Some(TripRelationship::Canceled as i32);
    let rt = realtime(now, vec![trip]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("t12-f", "17:00", false)]);
    assert_eq!(board(&feed, "A", now, 1, None), [row("r7-0800", "08:00", false)]);
}

#[test]
fn stale_realtime_is_ignored() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let produced = now - Duration::minutes(10);
    let bytes = encode(
        produced,
        vec![entity(update("r7-0800", vec![StopTimeUpdate { departure: delay(120), ..at_sequence(1) }]))],
    );
    let rt = Realtime::decode(&bytes, now).expect("decodes");
    assert_eq!(rt.timestamp(), DateTime::from_timestamp(produced.timestamp(), 0).expect("time"));
    assert!(!rt.is_fresh(now));
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:00", false)]);

    let patient = rt.with_max_age(Duration::minutes(15));
    assert!(patient.is_fresh(now));
    assert_eq!(board(&feed, "A", now, 1, Some(&patient)), [row("r7-0800", "08:02", true)]);
}

#[test]
fn a_trip_update_stale_by_its_own_timestamp_is_ignored() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let mut trip = update("r7-0800", vec![StopTimeUpdate { departure: delay(120), ..at_sequence(1) }]);
    trip.timestamp = Some((now - Duration::minutes(20)).timestamp() as u64);
    let rt = realtime(now, vec![trip]);
    assert!(rt.is_fresh(now));
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:00", false)]);
}

#[test]
fn an_update_for_another_service_date_does_not_apply() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55);
    let mut yesterday = update("r7-0800", vec![StopTimeUpdate { departure: delay(120), ..at_sequence(1) }]);
    yesterday.trip.start_date = Some("20260824".into());
    let rt = realtime(now, vec![yesterday.clone()]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:00", false)]);
    let mut today = yesterday;
    today.trip.start_date = Some("20260825".into());
    let rt = realtime(now, vec![today]);
    assert_eq!(board(&feed, "A", now, 1, Some(&rt)), [row("r7-0800", "08:02", true)]);
}

#[test]
fn a_late_vehicle_scheduled_before_now_is_still_shown() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 8, 14);
    let rt = realtime(now, vec![update("r7-0800", vec![StopTimeUpdate { departure: delay(300), ..at_sequence(1) }])]);
    assert_eq!(board(&feed, "B", now, 1, Some(&rt)), [row("r7-0800", "08:16", true)]);
    assert_eq!(board(&feed, "B", now, 1, None), [row("r7-2350", "00:10", false)]);
}

#[test]
fn an_update_of_a_frequency_trip_applies_to_the_run_it_names() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 6, 5);
    let mut run = update("t12-f", vec![StopTimeUpdate { departure: delay(120), ..at_sequence(1) }]);
    run.trip.start_time = Some("06:10:00".into());
    let rt = realtime(now, vec![run]);
    assert_eq!(
        board(&feed, "A", now, 3, Some(&rt)),
        [row("t12-f", "06:12", true), row("t12-f", "06:20", false), row("t12-f", "06:30", false)]
    );
}

#[test]
fn vehicle_positions_are_decoded() {
    let now = kyiv(2026, 8, 25, 8, 5);
    let moving = VehiclePosition {
        trip: Some(TripDescriptor {
            trip_id: Some("r7-0800".into()),
            start_date: Some("20260825".into()),
            ..Default::default()
        }),
        vehicle: Some(VehicleDescriptor {
            id: Some("bus-17".into()),
            label: Some("АА 1234".into()),
            ..Default::default()
        }),
        position: Some(Position {
            latitude: 50.445,
            longitude: 30.5,
            bearing: Some(90.0),
            speed: Some(8.5),
            ..Default::default()
        }),
        current_stop_sequence: Some(2),
        stop_id: Some("B".into()),
        current_status: Some(1),
        timestamp: Some((now - Duration::seconds(20)).timestamp() as u64),
    };
    let parked = VehiclePosition {
        vehicle: Some(VehicleDescriptor { id: Some("bus-3".into()), ..Default::default() }),
        timestamp: Some((now - Duration::hours(2)).timestamp() as u64),
        ..Default::default()
    };
    let entities = [moving, parked]
        .into_iter()
        .enumerate()
        .map(|(i, v)| FeedEntity { id: i.to_string(), vehicle: Some(v), ..Default::default() })
        .collect();
    let rt = Realtime::decode(&encode(now, entities), now).expect("decodes");
    assert_eq!(rt.vehicles().len(), 2);
    let bus = &rt.vehicles()[0];
    assert_eq!(bus.label.as_deref(), Some("АА 1234"));
    assert_eq!(bus.trip_id.as_deref(), Some("r7-0800"));
    assert_eq!(bus.start_date, Some(date(2026, 8, 25)));
    assert_eq!(bus.status, StopStatus::StoppedAt);
    assert_eq!(bus.stop_sequence, Some(2));
    let location = bus.location.expect("located");
    assert!((location.lat - 50.445).abs() < 1e-5 && (location.lon - 30.5).abs() < 1e-5);
    let fresh: Vec<_> = rt.fresh_vehicles(now).filter_map(|v| v.id.as_deref()).collect();
    assert_eq!(fresh, ["bus-17"]);
}

#[test]
fn garbage_is_not_a_realtime_feed() {
    assert!(Realtime::decode(b"\xff\xff\xff\xff", Utc::now()).is_err());
    // A message with an entity that carries nothing usable is counted, not fatal.
    let now = Utc::now();
    let rt = Realtime::decode(&encode(now, vec![FeedEntity { id: "x".into(), ..Default::default() }]), now)
        .expect("decodes");
    assert_eq!(rt.skipped_entities(), 1);
}
