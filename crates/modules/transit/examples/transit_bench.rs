//! Figures for the transit engine, printed, never asserted:
//!
//! - next-arrival lookups on a synthetic feed of ~40,000 stop times (mean, p50, p99), without and
//!   with realtime data;
//! - importing a synthetic feed of ~1,000,000 stop times from a zip file (time, mean and peak rows/s),
//!   then lookups on it.
//!
//! `cargo run --release -p hromada-transit --example transit_bench` (`-- --small` skips the large feed).

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufWriter;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use hromada_kernel::clock::from_kyiv_time;
use hromada_transit::realtime::proto::{
    FeedEntity, FeedHeader, FeedMessage, StopTimeEvent, StopTimeUpdate, TripDescriptor, TripUpdate,
};
use hromada_transit::testing::write_gtfs_zip;
use hromada_transit::{Feed, Realtime, StopIdx, import, next_departures};
use prost::Message;

/// A small deterministic generator (xorshift64*), so that every run measures the same work.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The shape of a synthetic network: routes of `stops_per_route` stops out of `stops`, each run
/// `trips_per_route` times a day between 05:00 and 25:00, on weekday and weekend services.
struct Shape {
    stops: usize,
    routes: usize,
    stops_per_route: usize,
    trips_per_route: usize,
}

impl Shape {
    fn stop_times(&self) -> usize {
        self.routes * self.trips_per_route * self.stops_per_route
    }
}

fn synthetic_feed(shape: &Shape) -> Vec<(&'static str, String)> {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut stops = String::from("stop_id,stop_code,stop_name,stop_lat,stop_lon\n");
    for s in 0..shape.stops {
        let (lat, lon) = (50.35 + random.below(2000) as f64 / 10_000.0, 30.35 + random.below(3000) as f64 / 10_000.0);
        writeln!(stops, "s{s},{s},Зупинка {s},{lat:.5},{lon:.5}").ok();
    }
    let mut routes = String::from("route_id,agency_id,route_short_name,route_long_name,route_type\n");
    let mut trips = String::from("route_id,service_id,trip_id,trip_headsign,direction_id\n");
    let mut stop_times = String::with_capacity(shape.stop_times() * 40);
    stop_times.push_str("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    for r in 0..shape.routes {
        writeln!(routes, "r{r},a,{r},Маршрут {r},3").ok();
        let path: Vec<u64> = (0..shape.stops_per_route).map(|_| random.below(shape.stops as u64)).collect();
        let span = 20 * 3600 / shape.trips_per_route as u32;
        for k in 0..shape.trips_per_route {
            let service = if k % 5 == 4 { "daily" } else { "wk" };
            writeln!(trips, "r{r},{service},r{r}t{k},Кінцева {r},{}", k % 2).ok();
            let mut t = 5 * 3600 + k as u32 * span + random.below(u64::from(span)) as u32;
            for (sequence, stop) in path.iter().enumerate() {
                let (h, m, s) = (t / 3600, t / 60 % 60, t % 60);
                writeln!(stop_times, "r{r}t{k},{h:02}:{m:02}:{s:02},{h:02}:{m:02}:{s:02},s{stop},{}", sequence + 1)
                    .ok();
                t += 60 + random.below(120) as u32;
            }
        }
    }
    vec![
        (
            "agency.txt",
            "agency_id,agency_name,agency_url,agency_timezone\na,Перевізник,https://example.org,Europe/Kyiv\n".into(),
        ),
        ("stops.txt", stops),
        ("routes.txt", routes),
        (
            "calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n\
             wk,1,1,1,1,1,0,0,20260101,20271231\ndaily,1,1,1,1,1,1,1,20260101,20271231\n"
                .into(),
        ),
        ("calendar_dates.txt", "service_id,date,exception_type\nwk,20260824,2\n".into()),
        ("trips.txt", trips),
        ("stop_times.txt", stop_times),
    ]
}

fn write_zip(files: &[(&'static str, String)], path: &std::path::Path) -> std::io::Result<()> {
    let out = BufWriter::new(File::create(path)?);
    write_gtfs_zip(out, files.iter().map(|(n, t)| (*n, t.as_str())))?;
    Ok(())
}

/// A TripUpdate for every tenth trip: a delay at its third stop.
fn realtime_for(feed: &Feed, now: DateTime<Utc>, random: &mut Random) -> Realtime {
    let entity = feed
        .trips()
        .iter()
        .step_by(10)
        .map(|trip| FeedEntity {
            id: trip.id.clone(),
            trip_update: Some(TripUpdate {
                trip: TripDescriptor { trip_id: Some(trip.id.clone()), ..Default::default() },
                stop_time_update: vec![StopTimeUpdate {
                    stop_sequence: Some(3),
                    departure: Some(StopTimeEvent { delay: Some(random.below(600) as i32 - 60), ..Default::default() }),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let header = FeedHeader {
        gtfs_realtime_version: "2.0".into(),
        timestamp: Some(now.timestamp() as u64),
        ..Default::default()
    };
    let bytes = FeedMessage { header, entity }.encode_to_vec();
    Realtime::decode(&bytes, now).unwrap_or_else(|e| panic!("the generated realtime feed decodes: {e}"))
}

struct Figures {
    mean: Duration,
    p50: Duration,
    p99: Duration,
    max: Duration,
    arrivals: usize,
}

fn measure_lookups(feed: &Feed, lookups: usize, realtime: bool) -> Figures {
    let mut random = Random(42);
    let monday = from_kyiv_time(
        chrono::NaiveDate::from_ymd_opt(2026, 9, 7).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default(),
    );
    // Produced on Monday at midnight and trusted all week, so that every lookup applies it.
    let rt = realtime.then(|| realtime_for(feed, monday, &mut random).with_max_age(chrono::Duration::days(8)));
    let mut times = Vec::with_capacity(lookups);
    let mut arrivals = 0;
    for _ in 0..lookups {
        let stop = StopIdx(random.below(feed.stops().len() as u64) as u32);
        let now = monday + chrono::Duration::seconds(random.below(7 * 86_400) as i64);
        let started = Instant::now();
        let board = next_departures(feed, stop, now, 10, rt.as_ref());
        times.push(started.elapsed());
        arrivals += board.len();
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / lookups as u32;
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    Figures { mean, p50: at(0.5), p99: at(0.99), max: at(1.0), arrivals }
}

fn print_lookups(label: &str, feed: &Feed, lookups: usize) {
    for realtime in [false, true] {
        let f = measure_lookups(feed, lookups, realtime);
        println!(
            "  {label}, {:<13} {lookups} lookups of 10: mean {:>7.1} µs, p50 {:>7.1} µs, p99 {:>7.1} µs, max {:>7.1} µs ({:.1} arrivals per board)",
            if realtime { "with realtime" } else { "timetable" },
            micros(f.mean),
            micros(f.p50),
            micros(f.p99),
            micros(f.max),
            f.arrivals as f64 / lookups as f64,
        );
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let small_only = std::env::args().any(|a| a == "--small");
    let dir = std::env::temp_dir().join(format!("hromada-transit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;

    let small = Shape { stops: 400, routes: 20, stops_per_route: 20, trips_per_route: 100 };
    println!(
        "Feed of {} stop times ({} stops, {} trips):",
        small.stop_times(),
        small.stops,
        small.routes * small.trips_per_route
    );
    let path = dir.join("small.zip");
    write_zip(&synthetic_feed(&small), &path)?;
    let started = Instant::now();
    let imported = import::from_path(&path, |_, _| {})?;
    println!("  import {:.0} ms, {} problems", started.elapsed().as_secs_f64() * 1e3, imported.report.total());
    print_lookups("40k", &imported.feed, 20_000);

    if !small_only {
        let large = Shape { stops: 4_000, routes: 250, stops_per_route: 25, trips_per_route: 160 };
        println!(
            "Feed of {} stop times ({} stops, {} trips):",
            large.stop_times(),
            large.stops,
            large.routes * large.trips_per_route
        );
        let started = Instant::now();
        let files = synthetic_feed(&large);
        let path = dir.join("large.zip");
        write_zip(&files, &path)?;
        drop(files);
        let zip_size = std::fs::metadata(&path)?.len();
        println!(
            "  generated and zipped in {:.1} s ({:.1} MB zip)",
            started.elapsed().as_secs_f64(),
            zip_size as f64 / 1e6
        );

        // Rows per second over stretches of at least 50 ms, to find the peak without timer noise.
        let started = Instant::now();
        let (mut mark_rows, mut mark_time, mut peak) = (0u64, Instant::now(), 0f64);
        let imported = import::from_path(&path, |done, _total| {
            let elapsed = mark_time.elapsed();
            if elapsed >= Duration::from_millis(50) {
                peak = peak.max((done - mark_rows) as f64 / elapsed.as_secs_f64());
                (mark_rows, mark_time) = (done, Instant::now());
            }
        })?;
        let took = started.elapsed();
        let rows: u64 = imported.report.rows.values().sum();
        println!(
            "  import {:.2} s: {rows} rows, mean {:.0} rows/s, peak {:.0} rows/s, {} problems",
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64(),
            peak,
            imported.report.total()
        );
        let st = imported.feed.stop_times();
        let column_bytes = st.len() * (5 * 4 + 1);
        println!("  stop time columns {:.1} MB", column_bytes as f64 / 1e6);
        print_lookups("1M", &imported.feed, 5_000);
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
