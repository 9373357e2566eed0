use hromada_kernel::GeoPoint;
use hromada_transit::{Feed, nearest_stops, search_stops};

use crate::support::*;

fn ids(feed: &Feed, found: &[hromada_transit::StopIdx]) -> Vec<String> {
    found.iter().filter_map(|s| feed.stop(*s)).map(|s| s.id.clone()).collect()
}

#[test]
fn stops_are_found_by_the_starts_of_their_words() {
    let feed = town();
    for query in ["слов'янська", "Словʼянська", "СЛОВЯНСЬКА", "площа слов", "пл сл"]
    {
        assert_eq!(ids(&feed, &search_stops(&feed, query, 5)), ["B"], "{query}");
    }
    assert_eq!(ids(&feed, &search_stops(&feed, "центр", 5)), ["C"]);
    assert!(search_stops(&feed, "лісова", 5).is_empty());
    assert!(search_stops(&feed, "  ", 5).is_empty());
}

#[test]
fn a_station_stands_for_its_platforms_in_search() {
    let feed = town();
    assert_eq!(ids(&feed, &search_stops(&feed, "майдан", 5)), ["S"]);
}

#[test]
fn exact_names_come_first() {
    let stops = "stop_id,stop_name,stop_lat,stop_lon
A,Вокзал,50.4410,30.4880
B,Центр,50.4450,30.5000
C,Центральний ринок,50.4480,30.5150
D,Площа Центральна,50.4500,30.5200
";
    let feed = import_with(&[("stops.txt", Some(stops)), ("frequencies.txt", None)]).feed;
    assert_eq!(ids(&feed, &search_stops(&feed, "центр", 5)), ["B", "C", "D"]);
    assert_eq!(ids(&feed, &search_stops(&feed, "центр", 2)), ["B", "C"]);
}

#[test]
fn nearest_stops_come_with_their_distance() {
    let feed = town();
    let maidan = GeoPoint::new(50.4501, 30.5234).expect("point");
    let near = nearest_stops(&feed, maidan, 5, 700.0);
    // Platforms, not the station itself; metres by the haversine formula.
    assert_eq!(ids(&feed, &near.iter().map(|(s, _)| *s).collect::<Vec<_>>()), ["S1", "S2", "C"]);
    let metres: Vec<i64> = near.iter().map(|(_, d)| d.round() as i64).collect();
    assert_eq!(metres, [13, 18, 639]);
    assert_eq!(nearest_stops(&feed, maidan, 5, 500.0).len(), 2);
    assert_eq!(nearest_stops(&feed, maidan, 1, 500.0).len(), 1);
    assert!(nearest_stops(&feed, GeoPoint::new(49.84, 24.03).expect("point"), 5, 1_000.0).is_empty());
}
