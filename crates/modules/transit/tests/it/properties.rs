use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc};
use hromada_kernel::clock::{from_kyiv_time, kyiv_time};
use hromada_transit::feed::{Frequency, TripIdx};
use hromada_transit::realtime::proto::{
    FeedEntity, FeedHeader, FeedMessage, StopTimeEvent, StopTimeUpdate, TripDescriptor, TripUpdate,
};
use hromada_transit::testing::gtfs_zip;
use hromada_transit::{Realtime, ServiceDay, import, next_departures};
use proptest::prelude::*;
use prost::Message;

use crate::support::*;

/// A service as the generator draws it, and when it runs by the rules of GTFS, written out plainly.
#[derive(Debug, Clone)]
struct DrawnService {
    days: u8,
    start: NaiveDate,
    end: NaiveDate,
    added: Vec<NaiveDate>,
    removed: Vec<NaiveDate>,
}

impl DrawnService {
    fn runs_on(&self, date: NaiveDate) -> bool {
        if self.removed.contains(&date) {
            return false;
        }
        if self.added.contains(&date) {
            return true;
        }
        let weekday = date.weekday().num_days_from_monday();
        self.start <= date && date <= self.end && self.days & (1 << weekday) != 0
    }
}

#[derive(Debug, Clone)]
struct DrawnTrip {
    service: usize,
    /// (stop, seconds of the service day), in order.
    calls: Vec<(usize, u32)>,
}

const BASE: (i32, u32, u32) = (2026, 3, 20);

fn base() -> NaiveDate {
    date(BASE.0, BASE.1, BASE.2)
}

fn day(offset: u64) -> NaiveDate {
    base().checked_add_days(Days::new(offset)).expect("date")
}

fn service() -> impl Strategy<Value = DrawnService> {
    (0u8..128, 0u64..10, 0u64..25, proptest::collection::vec(0u64..30, 0..4), proptest::collection::vec(0u64..30, 0..4))
        .prop_map(|(days, start, len, added, removed)| DrawnService {
            days,
            start: day(start),
            end: day(start + len),
            added: added.into_iter().map(day).collect(),
            removed: removed.into_iter().map(day).collect(),
        })
}

fn trip(services: usize) -> impl Strategy<Value = DrawnTrip> {
    (0..services, 0u32..30 * 60, proptest::collection::vec((0usize..3, 0u32..25), 2..5)).prop_map(
        |(service, start_minute, legs)| {
            let mut t = start_minute * 60;
            let calls = legs
                .into_iter()
                .map(|(stop, gap)| {
                    t += gap * 60;
                    (stop, t)
                })
                .collect();
            DrawnTrip { service, calls }
        },
    )
}

fn feed_zip(services: &[DrawnService], trips: &[DrawnTrip]) -> Vec<u8> {
    let ymd = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let mut calendar =
        String::from("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n");
    let mut dates = String::from("service_id,date,exception_type\n");
    for (i, s) in services.iter().enumerate() {
        let bits: Vec<String> = (0..7).map(|d| ((s.days >> d) & 1).to_string()).collect();
        calendar += &format!("s{i},{},{},{}\n", bits.join(","), ymd(s.start), ymd(s.end));
        for d in &s.added {
            dates += &format!("s{i},{},1\n", ymd(*d));
        }
        for d in &s.removed {
            dates += &format!("s{i},{},2\n", ymd(*d));
        }
    }
    let mut trips_txt = String::from("route_id,service_id,trip_id\n");
    let mut stop_times = String::from("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    for (i, t) in trips.iter().enumerate() {
        trips_txt += &format!("r,s{},t{i}\n", t.service);
        for (k, (stop, at)) in t.calls.iter().enumerate() {
            let time = hromada_transit::schedule::format_time(*at);
            stop_times += &format!("t{i},{time},{time},X{stop},{k}\n");
        }
    }
    let files = [
        ("agency.txt", AGENCY.to_owned()),
        (
            "stops.txt",
            "stop_id,stop_name,stop_lat,stop_lon\nX0,Нуль,50.40,30.40\nX1,Один,50.41,30.41\nX2,Два,50.42,30.42\n"
                .to_owned(),
        ),
        ("routes.txt", "route_id,route_short_name,route_type\nr,1,3\n".to_owned()),
        ("calendar.txt", calendar),
        ("calendar_dates.txt", dates),
        ("trips.txt", trips_txt),
        ("stop_times.txt", stop_times),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    gtfs_zip(&files).expect("zip")
}

/// Every departure at `stop` within a day of `now`, the slow way.
fn oracle(
    services: &[DrawnService],
    trips: &[DrawnTrip],
    stop: usize,
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<DateTime<Utc>> {
    let today = kyiv_time(now).date();
    let mut times = Vec::new();
    for back in -3i64..=3 {
        let date = today + Duration::days(back);
        let origin =
            from_kyiv_time(date.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))) - Duration::hours(12);
        for t in trips.iter().filter(|t| services[t.service].runs_on(date)) {
            for &(s, at) in &t.calls {
                let moment = origin + Duration::seconds(i64::from(at));
                if s == stop && now <= moment && moment <= now + Duration::hours(24) {
                    times.push(moment);
                }
            }
        }
    }
    times.sort();
    times.truncate(limit);
    times
}

/// A GTFS-Realtime message giving the 08:00 trip a departure delay at each of its stops.
fn delays_of_the_0800(delays: &[i32], now: DateTime<Utc>) -> Vec<u8> {
    let stop_time_update = delays
        .iter()
        .enumerate()
        .map(|(k, d)| StopTimeUpdate {
            stop_sequence: Some(k as u32 + 1),
            departure: Some(StopTimeEvent { delay: Some(*d), ..Default::default() }),
            ..Default::default()
        })
        .collect();
    let trip = TripDescriptor { trip_id: Some("r7-0800".into()), ..Default::default() };
    let update = TripUpdate { trip, stop_time_update, ..Default::default() };
    let header = FeedHeader {
        gtfs_realtime_version: "2.0".into(),
        timestamp: Some(now.timestamp() as u64),
        ..Default::default()
    };
    let entity = vec![FeedEntity { id: "1".into(), trip_update: Some(update), ..Default::default() }];
    FeedMessage { header, entity }.encode_to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// The board equals the brute-force answer, comes out sorted and never shows the past, on random
    /// timetables around the spring clock change.
    #[test]
    fn the_board_matches_the_timetable(
        services in proptest::collection::vec(service(), 1..4),
        trip_seeds in proptest::collection::vec(trip(4), 1..12),
        stop in 0usize..3,
        minutes in 0i64..14 * 24 * 60,
        limit in 1usize..8,
    ) {
        let trips: Vec<DrawnTrip> = trip_seeds.into_iter().map(|mut t| { t.service %= services.len(); t }).collect();
        let imported = import::from_bytes(&feed_zip(&services, &trips)).expect("imports");
        prop_assert!(imported.report.errors().next().is_none(), "{:?}", imported.report);
        let feed = imported.feed;
        let now = from_kyiv_time(base().and_hms_opt(0, 0, 0).expect("midnight")) + Duration::minutes(minutes);
        let board = next_departures(&feed, feed.stop_by_id(&format!("X{stop}")).expect("stop"), now, limit, None);

        let times: Vec<DateTime<Utc>> = board.iter().map(|a| a.scheduled).collect();
        prop_assert_eq!(&times, &oracle(&services, &trips, stop, now, limit));
        prop_assert!(board.windows(2).all(|w| w[0].predicted <= w[1].predicted));
        prop_assert!(board.iter().all(|a| a.predicted >= now && a.minutes == (a.predicted - now).num_seconds() / 60));
    }

    /// With random delays and early runs, the board is still sorted by prediction and never in the past.
    #[test]
    fn predictions_stay_sorted_and_ahead(
        delays in proptest::collection::vec(-600i32..1800, 3),
        minutes in 0i64..24 * 60,
        limit in 1usize..6,
        stop in 0usize..3,
    ) {
        let feed = town();
        let now = kyiv(2026, 8, 25, 0, 0) + Duration::minutes(minutes);
        let rt = Realtime::decode(&delays_of_the_0800(&delays, now), now).expect("decodes");
        let stop_id = ["A", "B", "C"][stop];
        let board = next_departures(&feed, feed.stop_by_id(stop_id).expect("stop"), now, limit, Some(&rt));
        prop_assert!(board.len() <= limit);
        prop_assert!(board.windows(2).all(|w| w[0].predicted <= w[1].predicted));
        prop_assert!(board.iter().all(|a| a.predicted >= now));
        // Only the 08:00 run has realtime data, and each of its stops its own delay.
        for a in board.iter().filter(|a| a.realtime) {
            prop_assert_eq!(a.trip.id.as_str(), "r7-0800");
            prop_assert_eq!(a.delay(), i64::from(delays[stop]));
        }
    }

    /// Runs of a headway window start on the headway, inside the window, from the asked time on.
    #[test]
    fn frequency_runs_stay_in_their_window(
        start in 0u32..100_000,
        length in 1u32..50_000,
        headway in 1u32..5_000,
        from in 0u32..200_000,
    ) {
        let frequency = Frequency { trip: TripIdx(0), start, end: start + length, headway, exact_times: true };
        let runs: Vec<u32> = frequency.runs_from(from).collect();
        for run in &runs {
            prop_assert!(*run >= from && *run >= start && *run < start + length);
            prop_assert_eq!((run - start) % headway, 0);
        }
        prop_assert!(runs.windows(2).all(|w| w[1] - w[0] == headway));
        let expected =
            (0..).map(|k| start + k * headway).take_while(|r| *r < start + length).filter(|r| *r >= from).count();
        prop_assert_eq!(runs.len(), expected);
    }

    /// On any date, a daylight-saving day included, a time after the 03:00–04:00 change reads the same on
    /// Kyiv's wall clock as in the timetable.
    #[test]
    fn timetable_times_are_wall_clock_times(days in 0u64..20 * 366, seconds in 4 * 3600u32..24 * 3600) {
        let date = date(2020, 1, 1).checked_add_days(Days::new(days)).expect("date");
        let at = ServiceDay::new(date).at(seconds);
        let expected = date.and_hms_opt(seconds / 3600, seconds / 60 % 60, seconds % 60).expect("time");
        prop_assert_eq!(kyiv_time(at), expected);
    }

    /// Whatever the rows of stop_times.txt hold, the import keeps a consistent feed whose trips never go
    /// back in time.
    #[test]
    fn any_stop_times_import_consistently(rows in proptest::collection::vec(
        (prop::sample::select(vec!["r7-0800", "r7-2350", "ghost", ""]),
         prop::sample::select(vec!["08:00:00", "8:00:00", "24:10:00", "07:59:59", "", "25:99:00", "x"]),
         prop::sample::select(vec!["08:00:00", "09:00:00", "", "abc"]),
         prop::sample::select(vec!["A", "B", "C", "Z", ""]),
         prop::sample::select(vec!["1", "2", "3", "-1", "", "10"])), 0..30)) {
        let mut text = String::from("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
        for (trip, arrival, departure, stop, sequence) in &rows {
            text += &format!("{trip},{arrival},{departure},{stop},{sequence}\n");
        }
        let imported = import_with(&[("stop_times.txt", Some(&text))]);
        prop_assert!(imported.feed.data().check().is_ok());
        let st = imported.feed.stop_times();
        for trip in 0..imported.feed.trips().len() {
            let rows = imported.feed.trip_stop_times(TripIdx(trip as u32));
            for k in rows.start + 1..rows.end {
                prop_assert!(st.arrival[k] >= st.departure[k - 1] && st.sequence[k] > st.sequence[k - 1]);
            }
        }
        prop_assert_eq!(imported.report.rows.get("stop_times.txt").copied().unwrap_or(0), rows.len() as u64);
    }
}
