use chrono::NaiveTime;
use hromada_transit::{Arrival, next_departures};

use crate::support::*;

fn board(arrivals: &[Arrival<'_>]) -> Vec<(String, String, String)> {
    arrivals
        .iter()
        .map(|a| (a.trip.id.clone(), a.local_time().format("%d %H:%M").to_string(), a.stop.id.clone()))
        .collect()
}

fn row(trip: &str, at: &str, stop: &str) -> (String, String, String) {
    (trip.to_owned(), at.to_owned(), stop.to_owned())
}

#[test]
fn the_next_departures_come_in_time_order() {
    let feed = town();
    let now = kyiv(2026, 8, 25, 7, 55); // a Tuesday
    let arrivals = next_departures(&feed, stop(&feed, "A"), now, 3, None);
    assert_eq!(
        board(&arrivals),
        [row("r7-0800", "25 08:00", "A"), row("t12-f", "25 17:00", "A"), row("t12-f", "25 17:15", "A")]
    );
    let first = &arrivals[0];
    assert_eq!((first.route.short_name.as_str(), first.headsign, first.minutes), ("7", "Центр", 5));
    assert!(!first.realtime);
    assert_eq!(first.predicted, first.scheduled);
    assert_eq!(first.service_date, date(2026, 8, 25));
    assert_eq!(first.headway, None);
    // The evening runs are "about every 15 minutes".
    assert_eq!(arrivals[1].headway, Some(900));
}

#[test]
fn a_departure_at_this_very_minute_is_still_shown() {
    let feed = town();
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 8, 25, 8, 0), 1, None);
    assert_eq!(board(&arrivals), [row("r7-0800", "25 08:00", "A")]);
    assert_eq!(arrivals[0].minutes, 0);
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 8, 25, 8, 1), 1, None);
    assert_eq!(board(&arrivals), [row("t12-f", "25 17:00", "A")]);
}

#[test]
fn a_trip_past_midnight_belongs_to_the_previous_service_day() {
    let feed = town();
    // Wednesday five past midnight: Tuesday's 23:50 is due at B at 24:10:00.
    let arrivals = next_departures(&feed, stop(&feed, "B"), kyiv(2026, 8, 26, 0, 5), 1, None);
    assert_eq!(board(&arrivals), [row("r7-2350", "26 00:10", "B")]);
    assert_eq!(arrivals[0].service_date, date(2026, 8, 25));
    assert_eq!(arrivals[0].minutes, 5);

    // Tuesday five past midnight: Monday was a holiday without the weekday service, so no 23:50 ran.
    let arrivals = next_departures(&feed, stop(&feed, "B"), kyiv(2026, 8, 25, 0, 5), 1, None);
    assert_eq!(board(&arrivals), [row("r7-0800", "25 08:11", "B")]);
}

#[test]
fn calendar_dates_remove_and_add_service() {
    let feed = town();
    // Independence Day, a Monday: the weekday trips are removed, the weekend one added.
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 8, 24, 7, 55), 2, None);
    assert_eq!(board(&arrivals), [row("r7-we-0900", "24 09:00", "A"), row("t12-f", "25 06:00", "A")]);
    // An ordinary Saturday runs the weekend trip only.
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 8, 29, 7, 55), 1, None);
    assert_eq!(board(&arrivals), [row("r7-we-0900", "29 09:00", "A")]);
    // After the calendar ends nothing runs.
    assert!(next_departures(&feed, stop(&feed, "A"), kyiv(2027, 1, 5, 7, 55), 5, None).is_empty());
}

#[test]
fn frequency_trips_are_expanded_within_their_windows() {
    let feed = town();
    let arrivals = next_departures(&feed, stop(&feed, "S1"), kyiv(2026, 8, 25, 6, 12), 3, None);
    // The pattern reaches S1 five minutes after leaving A, every ten minutes from 06:00.
    assert_eq!(
        board(&arrivals),
        [row("t12-f", "25 06:15", "S1"), row("t12-f", "25 06:25", "S1"), row("t12-f", "25 06:35", "S1")]
    );
    assert!(arrivals.iter().all(|a| a.terminates && a.headway.is_none()));
    // The last morning run leaves A at 06:50 (07:00 is the window's end, not a run).
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 8, 25, 6, 41), 2, None);
    assert_eq!(board(&arrivals), [row("t12-f", "25 06:50", "A"), row("r7-0800", "25 08:00", "A")]);
}

#[test]
fn a_station_shows_the_departures_of_its_platforms() {
    let feed = town();
    let arrivals = next_departures(&feed, stop(&feed, "S"), kyiv(2026, 8, 25, 6, 12), 1, None);
    assert_eq!(board(&arrivals), [row("t12-f", "25 06:15", "S1")]);
}

#[test]
fn the_end_of_a_trip_shows_its_arrival() {
    let feed = town();
    let arrivals = next_departures(&feed, stop(&feed, "C"), kyiv(2026, 8, 25, 8, 0), 1, None);
    assert_eq!(board(&arrivals), [row("r7-0800", "25 08:20", "C")]);
    assert!(arrivals[0].terminates);
}

#[test]
fn vehicles_passing_without_stopping_are_not_shown() {
    let stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type
r7-0800,08:00:00,08:00:00,A,1,0,0
r7-0800,08:10:00,08:11:00,B,2,1,1
r7-0800,08:20:00,08:20:00,C,3,0,0
";
    let feed = import_with(&[("stop_times.txt", Some(stop_times)), ("frequencies.txt", None)]).feed;
    let arrivals = next_departures(&feed, stop(&feed, "B"), kyiv(2026, 8, 25, 8, 0), 5, None);
    assert!(arrivals.is_empty(), "{:?}", board(&arrivals));
}

#[test]
fn daylight_saving_days_keep_wall_clock_times() {
    let feed = town();
    // 29 March 2026: clocks go from 03:00 to 04:00. A Sunday, so take the weekend trip.
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 3, 29, 7, 0), 1, None);
    assert_eq!(arrivals[0].local_time().time(), NaiveTime::from_hms_opt(9, 0, 0).expect("time"));
    assert_eq!(arrivals[0].minutes, 120);
    // 25 October 2026: clocks go from 04:00 back to 03:00.
    let arrivals = next_departures(&feed, stop(&feed, "A"), kyiv(2026, 10, 25, 7, 0), 1, None);
    assert_eq!(arrivals[0].local_time().time(), NaiveTime::from_hms_opt(9, 0, 0).expect("time"));
    // The night before spring forward: Friday's 23:50 trip reaches B at 00:10 as usual.
    let arrivals = next_departures(&feed, stop(&feed, "B"), kyiv(2026, 3, 28, 0, 0), 1, None);
    assert_eq!(board(&arrivals), [row("r7-2350", "28 00:10", "B")]);
}

#[test]
fn nothing_is_asked_nothing_is_shown() {
    let feed = town();
    assert!(next_departures(&feed, stop(&feed, "A"), kyiv(2026, 8, 25, 7, 0), 0, None).is_empty());
    assert!(next_departures(&feed, hromada_transit::StopIdx(999), kyiv(2026, 8, 25, 7, 0), 5, None).is_empty());
}
