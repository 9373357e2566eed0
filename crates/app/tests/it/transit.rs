//! SMART stops through their pages: staff upload a GTFS timetable (bad rows reported), residents
//! find a stop and see its next departures, the display board and its JSON; realtime delays show
//! while fresh and expire; a new timetable replaces the old; the poller and the chatbot work.

use chrono::{DateTime, Duration, TimeZone, Utc};
use hromada_kernel::{FixedClock, Role};
use hromada_testkit::{Browser, Options, TestApp, spawn_apps_with};
use hromada_transit::realtime::proto::{
    FeedEntity, FeedHeader, FeedMessage, StopTimeEvent, StopTimeUpdate, TripDescriptor, TripUpdate,
};
use prost::Message;
use std::sync::Arc;

/// Monday 30 November 2026, 09:03 in Kyiv.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 3, 0).unwrap()
}

const STOPS: &str = "stop_id,stop_name,stop_lat,stop_lon\n\
    rynok,Ринок,48.9500,38.4900\n\
    tsentr,Центральна площа,48.9550,38.4950\n\
    park,Парк,48.9600,38.5000\n";

fn feed(stops: &str, extra_stop_time: &str) -> Vec<u8> {
    let stop_times = format!(
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
         t1,09:00:00,09:00:00,rynok,1\nt1,09:05:00,09:05:00,tsentr,2\nt1,09:10:00,09:10:00,park,3\n\
         t2,09:10:00,09:10:00,rynok,1\nt2,09:15:00,09:15:00,tsentr,2\nt2,09:20:00,09:20:00,park,3\n\
         t3,25:10:00,25:10:00,rynok,1\nt3,25:15:00,25:15:00,tsentr,2\n{extra_stop_time}"
    );
    hromada_transit::testing::gtfs_zip(&[
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\na,Перевізник,https://example.ua,Europe/Kyiv\n"),
        ("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nr5,a,5,Ринок — Парк,3\n"),
        ("trips.txt", "route_id,service_id,trip_id,trip_headsign\nr5,weekdays,t1,Парк\nr5,weekdays,t2,Парк\nr5,weekdays,t3,Центр\n"),
        ("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nweekdays,1,1,1,1,1,0,0,20260101,20271231\n"),
        ("stops.txt", stops),
        ("stop_times.txt", &stop_times),
    ])
    .unwrap()
}

fn delay(trip: &str, seconds: i32, produced: DateTime<Utc>) -> Vec<u8> {
    let update = TripUpdate {
        trip: TripDescriptor { trip_id: Some(trip.into()), ..Default::default() },
        stop_time_update: vec![StopTimeUpdate {
            stop_sequence: Some(1),
            departure: Some(StopTimeEvent { delay: Some(seconds), ..Default::default() }),
            arrival: Some(StopTimeEvent { delay: Some(seconds), ..Default::default() }),
            ..Default::default()
        }],
        ..Default::default()
    };
    let header = FeedHeader {
        gtfs_realtime_version: "2.0".into(),
        timestamp: Some(produced.timestamp() as u64),
        ..Default::default()
    };
    FeedMessage { header, entity: vec![FeedEntity { id: "1".into(), trip_update: Some(update), ..Default::default() }] }
        .encode_to_vec()
}

async fn staff(app: &TestApp, slug: &str) -> (hromada_db::core::communities::Community, Browser) {
    let c = app.community(slug).await;
    app.user(&c, &format!("cnap@{slug}.test"), &[Role::CnapStaff]).await;
    let b = app.signed_in(&c, &format!("cnap@{slug}.test")).await;
    (c, b)
}

#[tokio::test]
async fn a_timetable_is_uploaded_and_stops_show_their_next_departures_with_realtime() {
    let clock = Arc::new(FixedClock::new(now()));
    for app in spawn_apps_with(Options { clock: Some(clock.clone()), ..Default::default() }).await {
        clock.set(now());
        let bk = app.backend;
        let (c, b) = staff(&app, "tr").await;
        let visitor = app.browser();
        assert!(visitor.get("/c/tr/transit").await.html().contains("Розклад руху ще не завантажено"), "[{bk}]");
        let admin = "/c/tr/admin/transit";
        let junk =
            b.submit_files(admin, &format!("{admin}/feed"), &[], &[("feed", "x.zip", b"not a zip".to_vec())]).await;
        assert_eq!(junk.status, 422, "[{bk}]");
        assert!(junk.html().contains("Це не архів GTFS"), "[{bk}]");
        let archive = feed(STOPS, "t2,09:12:00,09:12:00,nowhere,4\n");
        let sent = b.submit_files(admin, &format!("{admin}/feed"), &[], &[("feed", "gtfs.zip", archive)]).await;
        assert_eq!(sent.status, 303, "[{bk}] {}", sent.html());
        let overview = b.get(admin).await.html();
        assert!(overview.contains("<dd>3</dd>") && overview.contains("unknown_stop"), "[{bk}] {overview}");
        assert!(overview.contains("stop nowhere is not in stops.txt"), "[{bk}] the bad row is listed");

        // Find the stop by a word, and near a point.
        let found = visitor.get("/c/tr/transit?q=ринок").await.html();
        assert!(found.contains("/c/tr/transit/stops/rynok"), "[{bk}] {found}");
        let near = visitor.get("/c/tr/transit?lat=48.9551&lon=38.4951").await.html();
        assert!(near.contains("Центральна площа") && near.contains("м</li>"), "[{bk}]");
        let points = visitor.get("/c/tr/transit/stops.json?bbox=38.4,48.9,38.6,49.0&zoom=14").await.json();
        assert_eq!(points["clusters"].as_array().unwrap().len(), 3, "[{bk}]");

        // 09:03: t1 has left the market; t2 at 09:10 is next, in seven minutes.
        let page = visitor.get("/c/tr/transit/stops/rynok").await.html();
        let (next, tomorrow) = (page.find("09:10").expect("t2"), page.find("09:00").expect("tomorrow's t1"));
        assert!(next < tomorrow && page.contains("7 хвилин"), "[{bk}] {page}");
        // A resident's page never reloads under them; the unattended display board does, by itself.
        assert!(!page.contains("http-equiv=\"refresh\""), "[{bk}]");
        let board = visitor.get("/c/tr/transit/stops/rynok/board").await.html();
        assert!(board.contains("http-equiv=\"refresh\" content=\"20\"") && board.contains(">09:03<"), "[{bk}] {board}");
        let json = visitor.get("/c/tr/transit/stops/rynok/departures.json").await.json();
        assert_eq!(json["departures"][0]["time"], "09:10", "[{bk}] {json}");
        assert_eq!(json["departures"][0]["realtime"], false, "[{bk}]");
        // The trip at 25:10 runs after midnight, counted on Monday's service day.
        let late = json["departures"].as_array().unwrap().iter().any(|d| d["time"] == "01:10");
        assert!(late, "[{bk}] {json}");
        let api = visitor.get("/c/tr/api/v1/transit/stops/rynok/departures").await.json();
        assert_eq!(api[0]["route"], "5", "[{bk}]");

        // Realtime: t2 runs four minutes late, until the data goes stale.
        let message = delay("t2", 240, now());
        let rt = b.submit_files(admin, &format!("{admin}/realtime"), &[], &[("message", "rt.pb", message)]).await;
        assert_eq!(rt.status, 303, "[{bk}] {}", rt.html());
        let json = visitor.get("/c/tr/transit/stops/rynok/departures.json").await.json();
        assert_eq!(
            (json["departures"][0]["time"].as_str(), json["departures"][0]["realtime"].as_bool()),
            (Some("09:14"), Some(true)),
            "[{bk}] {json}"
        );
        assert!(visitor.get("/c/tr/transit/stops/rynok").await.html().contains("запізнюється на 4 хв"), "[{bk}]");
        clock.advance(Duration::minutes(6));
        let stale = visitor.get("/c/tr/transit/stops/rynok/departures.json").await.json();
        assert_eq!(stale["departures"][0]["realtime"], false, "[{bk}] stale data is ignored: {stale}");
        assert_eq!(stale["departures"][0]["time"], "09:10", "[{bk}]");

        // A new timetable replaces the old one: the market stop is gone.
        let smaller =
            "stop_id,stop_name,stop_lat,stop_lon\ntsentr,Центральна площа,48.9550,38.4950\npark,Парк,48.9600,38.5000\n";
        let archive = feed(smaller, "");
        let again = b.submit_files(admin, &format!("{admin}/feed"), &[], &[("feed", "gtfs.zip", archive)]).await;
        assert_eq!(again.status, 303, "[{bk}]");
        assert_eq!(visitor.get("/c/tr/transit/stops/rynok").await.status, 404, "[{bk}]");
        assert_eq!(visitor.get("/c/tr/transit/stops/tsentr").await.status, 200, "[{bk}]");
        // Another community has none of it.
        app.community("other").await;
        assert_eq!(visitor.get("/c/other/transit/stops/tsentr").await.status, 404, "[{bk}]");
        let _ = c;
    }
}

#[tokio::test]
async fn the_poller_fetches_realtime_and_the_chatbot_tells_the_nearest_stops() {
    let clock = Arc::new(FixedClock::new(now()));
    for app in spawn_apps_with(Options { clock: Some(clock.clone()), ..Default::default() }).await {
        clock.set(now());
        let bk = app.backend;
        let (c, b) = staff(&app, "rt").await;
        hromada_transit::import_feed(&app.db, c.id, feed(STOPS, ""), app.now(), |_, _| {}).await.unwrap();
        // A realtime server on a local port.
        let message = delay("t2", 120, now());
        let served = axum::Router::new().route(
            "/rt.pb",
            axum::routing::get(move || {
                let body = message.clone();
                async move { body }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
        let admin = "/c/rt/admin/transit";
        let bad = b
            .submit(admin, &format!("{admin}/settings"), &[("realtime_url", "ftp://x"), ("max_age_minutes", "5")])
            .await;
        assert_eq!(bad.status, 422, "[{bk}]");
        let url = format!("http://{addr}/rt.pb");
        let saved =
            b.submit(admin, &format!("{admin}/settings"), &[("realtime_url", &url), ("max_age_minutes", "5")]).await;
        assert_eq!(saved.status, 303, "[{bk}] {}", saved.html());
        assert_eq!(hromada_transit::poll(&app.state).await.unwrap(), 1, "[{bk}]");
        let json = app.browser().get("/c/rt/transit/stops/rynok/departures.json").await.json();
        assert_eq!(json["departures"][0]["time"], "09:12", "[{bk}] {json}");

        // The chatbot: a location gives the nearest stops with their departures.
        let r = app.browser();
        let page = "/c/rt/chat";
        let asked = r.submit(page, page, &[("press", "transit|start")]).await;
        let asked = hromada_testkit::browser::decode_entities(&r.follow(asked).await.body);
        assert!(asked.contains("Надішліть геолокацію"), "[{bk}]");
        let told = r.submit(page, page, &[("lat", "48.9501"), ("lon", "38.4901")]).await;
        let told = hromada_testkit::browser::decode_entities(&r.follow(told).await.body);
        let at = told.rfind("🚏 Ринок").expect("the nearest stop first");
        assert!(told[at..].contains("5 → Парк: 09:12"), "[{bk}] {}", &told[at..]);
    }
}
