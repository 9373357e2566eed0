use hromada_transit::testing::{gtfs_zip, write_gtfs_zip};
use hromada_transit::{Feed, ImportError, LocationType, Mode, ProblemKind, Severity, import};

use crate::support::*;

#[test]
fn the_town_imports_whole() {
    let feed = town();
    assert_eq!(feed.agencies().len(), 1);
    assert_eq!(feed.stops().len(), 6);
    assert_eq!(feed.routes().len(), 2);
    assert_eq!(feed.trips().len(), 4);
    assert_eq!(feed.stop_times().len(), 11);
    assert_eq!(feed.frequencies().len(), 2);
    assert_eq!(feed.services().len(), 2);

    let route = &feed.routes()[0];
    assert_eq!((route.short_name.as_str(), route.colour.as_deref(), route.mode()), ("7", Some("FF0000"), Mode::Bus));
    assert_eq!(feed.routes()[1].mode(), Mode::Trolleybus);

    let station = stop(&feed, "S");
    assert_eq!(feed.stop(station).map(|s| s.location_type), Some(LocationType::Station));
    assert_eq!(feed.children(station).len(), 2);
    assert_eq!(feed.stop(stop(&feed, "S1")).and_then(|s| s.parent), Some(station));
    assert_eq!(feed.stop(stop(&feed, "A")).and_then(|s| s.code.as_deref()), Some("101"));

    // Stop times are stored in sequence order, and past-midnight times are kept as GTFS has them.
    let late = feed.trip_by_id("r7-2350").expect("trip");
    let rows = feed.trip_stop_times(late);
    assert_eq!(feed.stop_times().departure[rows.clone()], [23 * 3600 + 3000, 24 * 3600 + 600, 24 * 3600 + 1800]);
    // The weekend trip has no headsign: its last stop names it.
    assert_eq!(feed.headsign(feed.trip_by_id("r7-we-0900").expect("trip")), "Центр");
    assert_eq!(feed.latest_time(), 24 * 3600 + 1800);
}

#[test]
fn bad_rows_are_skipped_and_reported_with_their_line() {
    let stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence
r7-0800,08:00:00,08:00:00,A,1
r7-0800,08:10:00,08:11:00,NOWHERE,2
r7-0800,8:5:00,08:12:00,B,3
r7-0800,07:00:00,07:00:00,C,4
r7-0800,08:20:00,08:20:00,C,5
r7-0800,08:30:00,08:30:00,C,5
ghost,08:00:00,08:00:00,A,1
r7-2350,23:50:00,23:50:00,A,1
r7-2350,24:10:00,24:10:00,B,2
";
    let imported = import_with(&[("stop_times.txt", Some(stop_times))]);
    let report = &imported.report;
    let found = |key: &str| {
        report.problems.iter().find(|p| p.key() == key).map(|p| (p.file.as_str(), p.line)).unwrap_or_default()
    };
    assert_eq!(found("unknown_stop"), ("stop_times.txt", Some(3)));
    assert_eq!(found("bad_time"), ("stop_times.txt", Some(4)));
    assert_eq!(found("times_go_backwards"), ("stop_times.txt", Some(5)));
    assert_eq!(found("duplicate_stop_sequence"), ("stop_times.txt", Some(7)));
    assert_eq!(found("unknown_trip"), ("stop_times.txt", Some(8)));
    // The weekend trip lost its stop times altogether: said, not hidden.
    assert_eq!(report.count("trip_without_stop_times"), 2);
    assert!(report.errors().all(|p| p.severity() == Severity::Error));

    let feed = &imported.feed;
    let kept = feed.trip_stop_times(feed.trip_by_id("r7-0800").expect("trip"));
    assert_eq!(feed.stop_times().sequence[kept], [1, 5]);
    assert_eq!(report.rows.get("stop_times.txt"), Some(&9));
    let text = report.problems.iter().find(|p| p.key() == "bad_time").map(ToString::to_string);
    assert_eq!(text.as_deref(), Some("stop_times.txt:4: arrival_time \"8:5:00\" is not a time HH:MM:SS, row skipped"));
}

#[test]
fn a_trip_whose_service_is_unknown_is_skipped() {
    let trips = "route_id,service_id,trip_id,trip_headsign
r7,wk,r7-0800,Центр
r7,holidays,r7-2350,Центр
nope,wk,r7-we-0900,Центр
";
    let imported = import_with(&[("trips.txt", Some(trips)), ("frequencies.txt", None)]);
    let report = &imported.report;
    let problem = report.problems.iter().find(|p| p.key() == "unknown_service").expect("reported");
    assert_eq!(problem.line, Some(3));
    assert!(matches!(&problem.kind, ProblemKind::UnknownService { service_id, .. } if service_id == "holidays"));
    assert_eq!(report.count("unknown_route"), 1);
    // Their stop times are reported too, one by one.
    assert_eq!(report.count("unknown_trip"), 3 + 3 + 2);
    assert_eq!(imported.feed.trips().len(), 1);
}

#[test]
fn stops_without_coordinates_are_kept_with_a_warning() {
    let stops = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
A,Вокзал,50.4410,30.4880,,
B,Слов’янська площа,,,,
C,Центр,0,0,,
S,Майдан,50.4501,30.5234,1,
S1,Майдан,50.4502,30.5235,0,S
S2,Майдан,91,30.5232,0,A
";
    let imported = import_with(&[("stops.txt", Some(stops))]);
    let report = &imported.report;
    assert_eq!(report.count("missing_coordinates"), 3, "{report:#?}");
    assert_eq!(report.count("unknown_parent"), 1, "a platform's parent must be a station");
    assert!(
        report.problems.iter().filter(|p| p.key() == "missing_coordinates").all(|p| p.severity() == Severity::Warning)
    );
    assert_eq!(imported.feed.stops().len(), 6);
    assert_eq!(imported.feed.stop(stop(&imported.feed, "B")).map(|s| s.location), Some(None));
}

#[test]
fn missing_files_and_columns_are_reported() {
    let imported = import_with(&[("agency.txt", None), ("frequencies.txt", None)]);
    let problem = imported.report.problems.iter().find(|p| p.key() == "missing_file").expect("reported");
    assert_eq!((problem.file.as_str(), problem.line), ("agency.txt", None));
    assert_eq!(imported.feed.routes().len(), 2, "routes stay without their agency");

    let imported = import_with(&[("calendar.txt", None), ("calendar_dates.txt", None)]);
    assert_eq!(imported.report.count("no_calendar"), 1);
    assert_eq!(imported.report.count("unknown_service"), 4);

    let routes = "route_id,route_short_name\nr7,7\n";
    let imported = import_with(&[("routes.txt", Some(routes))]);
    let problem = imported.report.problems.iter().find(|p| p.key() == "missing_column").expect("reported");
    assert_eq!(problem.kind, ProblemKind::MissingColumn { column: "route_type".into() });
    assert!(imported.feed.routes().is_empty());
}

#[test]
fn bad_calendar_rows_are_reported() {
    let calendar = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
wk,1,1,1,1,1,0,0,20260101,20261231
we,0,0,0,0,0,1,yes,20260101,20261231
x,0,0,0,0,0,1,1,2026-01-01,20261231
";
    let dates = "service_id,date,exception_type\nwk,20260824,3\nwk,20261301,2\n";
    let imported = import_with(&[("calendar.txt", Some(calendar)), ("calendar_dates.txt", Some(dates))]);
    let report = &imported.report;
    assert_eq!(report.count("bad_value"), 2, "{report:#?}");
    assert_eq!(report.count("bad_date"), 2);
    assert_eq!(report.count("unknown_service"), 1, "the weekend trip lost its service");
}

#[test]
fn fatal_problems_are_errors() {
    assert!(matches!(import::from_bytes(b"not a zip at all"), Err(ImportError::NotZip(_))));
    let no_stops = zip_with(&[("stops.txt", None)]);
    assert!(matches!(import::from_bytes(&no_stops), Err(ImportError::NoStops)));
    assert!(matches!(
        import::from_path(std::path::Path::new("/nonexistent/feed.zip"), |_, _| {}),
        Err(ImportError::Read { .. })
    ));
}

#[test]
fn untimed_stops_are_interpolated_and_untimed_ends_refused() {
    let stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence
r7-0800,08:00:00,08:00:00,A,10
r7-0800,,,B,20
r7-0800,,,S1,25
r7-0800,08:30:00,08:30:00,C,30
r7-2350,23:50:00,23:50:00,A,1
r7-2350,,,B,2
";
    let imported = import_with(&[("stop_times.txt", Some(stop_times))]);
    let feed = &imported.feed;
    let rows = feed.trip_stop_times(feed.trip_by_id("r7-0800").expect("trip"));
    assert_eq!(feed.stop_times().arrival[rows], [8 * 3600, 8 * 3600 + 600, 8 * 3600 + 1200, 8 * 3600 + 1800]);
    let problem = imported.report.problems.iter().find(|p| p.key() == "untimed_trip_end").expect("reported");
    assert_eq!(problem.line, Some(6));
    assert!(feed.trip_stop_times(feed.trip_by_id("r7-2350").expect("trip")).is_empty());
}

#[test]
fn byte_order_marks_folders_and_crlf_are_read() {
    let stops =
        "\u{feff}stop_id,stop_name,stop_lat,stop_lon\r\nA,Вокзал,50.4410,30.4880\r\n\r\nB,Центр,50.4480,30.5150\r\n";
    let bytes = gtfs_zip(&[("gtfs/stops.txt", stops), ("__MACOSX/gtfs/._stops.txt", "junk")]).expect("zip");
    let imported = import::from_bytes(&bytes).expect("imports");
    assert_eq!(imported.feed.stops().len(), 2);
    assert_eq!(imported.feed.stops()[1].name, "Центр");
    // Only stops.txt: every other required file is missing.
    assert_eq!(imported.report.count("missing_file"), 4);
}

#[test]
fn malformed_csv_rows_do_not_stop_the_import() {
    let stops: &[u8] =
        b"stop_id,stop_name,stop_lat,stop_lon\nA,Vokzal,50.4,30.4\nB,\xff\xfe,50.4,30.5\nC,Tsentr,50.4,30.6\n";
    let bytes = write_gtfs_zip(std::io::Cursor::new(Vec::new()), [("stops.txt", stops)]).expect("zip").into_inner();
    let imported = import::from_bytes(&bytes).expect("imports");
    let ids: Vec<&str> = imported.feed.stops().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["A", "C"]);
    let problem = imported.report.problems.iter().find(|p| p.key() == "malformed_row").expect("reported");
    assert_eq!(problem.line, Some(3));

    let routes = "route_id,route_short_name,route_type\nr1,\"unterminated,3\nr2,2,3\n";
    let imported = import_with(&[("routes.txt", Some(routes))]);
    assert_eq!(imported.report.count("missing_value"), 1, "{:#?}", imported.report);
}

#[test]
fn progress_counts_rows_up_to_the_total() {
    let bytes = zip_with(&[]);
    let mut calls = Vec::new();
    let imported =
        import::read_zip(std::io::Cursor::new(bytes), |done, total| calls.push((done, total))).expect("imports");
    let rows: u64 = imported.report.rows.values().sum();
    assert_eq!(calls.last(), Some(&(rows, rows)));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn a_feed_survives_serialisation() {
    let feed = town();
    let json = serde_json::to_string(&feed).expect("serialises");
    let back: Feed = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back.data(), feed.data());
    assert_eq!(back.stop_by_id("B"), feed.stop_by_id("B"));
    assert_eq!(back.children(stop(&back, "S")).len(), 2);

    // A stored feed pointing past its own rows is refused instead of indexed.
    let mut data = feed.into_data();
    data.stop_times.stop[0] = 99;
    let json = serde_json::to_string(&data).expect("serialises");
    assert!(serde_json::from_str::<Feed>(&json).is_err());
    data.stop_times.stop[0] = 0;
    assert!(Feed::new(data.clone()).is_ok());
    data.stop_times.sequence.swap(0, 1);
    assert!(Feed::new(data).is_err(), "stop times out of sequence order");
}
