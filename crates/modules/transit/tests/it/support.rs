//! A small feed of one town, and helpers to vary it.

use chrono::{DateTime, NaiveDate, Utc};
use hromada_kernel::clock::from_kyiv_time;
use hromada_transit::testing::gtfs_zip;
use hromada_transit::{Feed, Imported, StopIdx, import};

pub const AGENCY: &str = "agency_id,agency_name,agency_url,agency_timezone
kp,Міський транспорт,https://transport.example,Europe/Kyiv
";

pub const STOPS: &str = "stop_id,stop_code,stop_name,stop_lat,stop_lon,location_type,parent_station
A,101,Вокзал,50.4410,30.4880,0,
B,102,Слов’янська площа,50.4450,30.5000,0,
C,103,Центр,50.4480,30.5150,0,
S,,Майдан,50.4501,30.5234,1,
S1,,Майдан,50.4502,30.5235,0,S
S2,,Майдан,50.4500,30.5232,0,S
";

pub const ROUTES: &str = "route_id,agency_id,route_short_name,route_long_name,route_type,route_color
r7,kp,7,Вокзал — Центр,3,ff0000
t12,kp,12,Вокзал — Майдан,11,
";

/// Weekdays and weekends of 2026.
pub const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
wk,1,1,1,1,1,0,0,20260101,20261231
we,0,0,0,0,0,1,1,20260101,20261231
";

/// Independence Day (Monday 24 August 2026) runs the weekend timetable.
pub const CALENDAR_DATES: &str = "service_id,date,exception_type
wk,20260824,2
we,20260824,1
";

pub const TRIPS: &str = "route_id,service_id,trip_id,trip_headsign,direction_id
r7,wk,r7-0800,Центр,0
r7,wk,r7-2350,Центр,0
r7,we,r7-we-0900,,0
t12,wk,t12-f,Майдан,0
";

pub const STOP_TIMES: &str = "trip_id,arrival_time,departure_time,stop_id,stop_sequence
r7-0800,08:00:00,08:00:00,A,1
r7-0800,08:10:00,08:11:00,B,2
r7-0800,08:20:00,08:20:00,C,3
r7-2350,23:50:00,23:50:00,A,1
r7-2350,24:10:00,24:10:00,B,2
r7-2350,24:30:00,24:30:00,C,3
r7-we-0900,09:00:00,09:00:00,A,1
r7-we-0900,09:10:00,09:10:00,B,2
r7-we-0900,09:20:00,09:20:00,C,3
t12-f,06:00:00,06:00:00,A,1
t12-f,06:05:00,06:05:00,S1,2
";

/// Every 10 minutes exactly in the morning; about every 15 minutes in the evening.
pub const FREQUENCIES: &str = "trip_id,start_time,end_time,headway_secs,exact_times
t12-f,06:00:00,07:00:00,600,1
t12-f,17:00:00,18:00:00,900,0
";

pub fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("agency.txt", AGENCY),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("calendar.txt", CALENDAR),
        ("calendar_dates.txt", CALENDAR_DATES),
        ("trips.txt", TRIPS),
        ("stop_times.txt", STOP_TIMES),
        ("frequencies.txt", FREQUENCIES),
    ]
}

/// The town's files with some replaced (or, with `None`, removed).
pub fn zip_with<'a>(changes: &[(&'a str, Option<&'a str>)]) -> Vec<u8> {
    let mut files: Vec<(&'a str, &'a str)> = files();
    for (name, text) in changes {
        files.retain(|(n, _)| n != name);
        if let Some(text) = text {
            files.push((name, text));
        }
    }
    gtfs_zip(&files).expect("zip in memory")
}

pub fn import_with(changes: &[(&str, Option<&str>)]) -> Imported {
    import::from_bytes(&zip_with(changes)).expect("the town's feed imports")
}

pub fn town() -> Feed {
    let imported = import_with(&[]);
    assert!(imported.report.is_clean(), "{:#?}", imported.report);
    imported.feed
}

pub fn stop(feed: &Feed, id: &str) -> StopIdx {
    feed.stop_by_id(id).expect("stop in the feed")
}

/// A moment on Kyiv's clocks.
pub fn kyiv(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    from_kyiv_time(date(y, m, d).and_hms_opt(h, min, 0).expect("valid time"))
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}
