//! The transit module on top of the engine: where the timetable and realtime data are stored,
//! the pages, the officials' side, the API, the chatbot's flow, the realtime poller and the
//! demo timetable.

use crate::report::Report;
use crate::store;
use futures::future::BoxFuture;
use hromada_db::core::communities::{self, Community};
use hromada_db::{Db, DbError, Migration, migration};
use hromada_kernel::{CommunityId, Lang, Permission};
use hromada_web::AppState;
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, Module, NavItem, SeedContext, SitemapEntry};
use hromada_web::state::AppStateBuilder;
use hromada_web::templates::TemplateSources;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub struct Transit;

/// The key under which this module keeps its tables and settings.
pub const KEY: &str = "transit";

/// Where realtime data comes from and how long it stays good.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RealtimeSettings {
    /// A GTFS-Realtime TripUpdates (and VehiclePositions) URL polled every half minute; empty: none.
    pub realtime_url: String,
    /// Realtime data older than this is ignored and the timetable shown instead.
    pub max_age_minutes: u32,
}

impl Default for RealtimeSettings {
    fn default() -> Self {
        Self { realtime_url: String::new(), max_age_minutes: 5 }
    }
}

pub fn settings(community: &Community) -> RealtimeSettings {
    serde_json::from_value(community.statute_of(KEY).clone()).unwrap_or_default()
}

/// The community's timetable with realtime data as fresh as its settings allow; `None` when no
/// timetable was imported.
pub async fn loaded(state: &AppState, community: &Community) -> hromada_web::AppResult<Option<Arc<store::Loaded>>> {
    let max_age = chrono::Duration::minutes(i64::from(settings(community).max_age_minutes));
    store::loaded(&state.db, community.id, max_age).await.map_err(|e| hromada_web::AppError::unexpected(e.to_string()))
}

#[derive(Debug)]
pub enum FeedImportError {
    Feed(crate::ImportError),
    Db(DbError),
}

/// Reads a GTFS archive and, when it can be read at all, stores it in place of the community's
/// timetable; bad rows are skipped and listed in the report. `progress(done, total)` follows the
/// rows read.
pub async fn import_feed(
    db: &Db,
    community: CommunityId,
    archive: Vec<u8>,
    now: chrono::DateTime<chrono::Utc>,
    progress: impl FnMut(u64, u64) + Send + 'static,
) -> Result<Report, FeedImportError> {
    let (archive, imported) = tokio::task::spawn_blocking(move || {
        let imported = crate::import::read_zip(std::io::Cursor::new(&archive), progress);
        (archive, imported)
    })
    .await
    // Reading never panics on input; if it did, the panic is the bug to see.
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    let imported = imported.map_err(FeedImportError::Feed)?;
    store::save_feed(db, community, &archive, &imported.feed, &imported.report, now)
        .await
        .map_err(FeedImportError::Db)?;
    Ok(imported.report)
}

/// Fetches every community's realtime URL once; gives how many messages were stored.
pub async fn poll(state: &AppState) -> anyhow::Result<usize> {
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?;
    let mut stored = 0;
    for c in communities::list(&state.db).await? {
        let url = settings(&c).realtime_url;
        if url.is_empty() {
            continue;
        }
        let fetched = async {
            let response = http.get(&url).send().await?.error_for_status()?;
            anyhow::Ok(response.bytes().await?)
        }
        .await;
        match fetched {
            Ok(bytes) if crate::Realtime::decode(&bytes, state.now()).is_ok() => {
                store::save_realtime(&state.db, c.id, &bytes, state.now()).await?;
                stored += 1;
            }
            Ok(_) => tracing::warn!(community = %c.slug, "the realtime feed is not a GTFS-Realtime message"),
            Err(e) => tracing::warn!(community = %c.slug, error = %e, "the realtime feed could not be fetched"),
        }
    }
    Ok(stored)
}

impl Module for Transit {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![migration!(KEY, 1, "0001_transit")]
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "transit",
            "index.html",
            "stop.html",
            "board.html",
            "departures.html",
            "admin.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![
            (Lang::Uk, include_str!("../locales/uk/transit.ftl")),
            (Lang::En, include_str!("../locales/en/transit.ftl")),
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        crate::web::routes()
    }

    fn admin_routes(&self) -> axum::Router<AppState> {
        crate::admin::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        crate::api::routes()
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "transit-nav", path: "/transit" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection {
            label: "transit-admin-nav",
            path: "/admin/transit",
            permission: Permission::ManageServices,
        }]
    }

    fn start(&self, builder: &mut AppStateBuilder) {
        builder.jobs.push(hromada_web::state::Job {
            name: "transit.realtime",
            every: std::time::Duration::from_secs(30),
            run: Arc::new(|state| Box::pin(async move { poll(&state).await.map(|_| ()) })),
        });
    }

    fn sitemap<'a>(
        &'a self,
        _db: &'a Db,
        _community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<SitemapEntry>>> {
        Box::pin(async move { Ok(vec![SitemapEntry { path: "/transit".into(), modified: None }]) })
    }

    fn chat_flows(&self) -> Vec<Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![Arc::new(crate::bot::TransitInChat)]
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            if !ctx.main || store::summary(ctx.db, ctx.community.id).await?.is_some() {
                return Ok(());
            }
            let map = hromada_web::map::settings(ctx.community);
            let archive = demo_feed(map.center_lat, map.center_lon)?;
            import_feed(ctx.db, ctx.community.id, archive, ctx.clock.now(), |_, _| {})
                .await
                .map_err(|e| anyhow::anyhow!("the demo timetable: {e:?}"))?;
            Ok(())
        })
    }
}

/// A small town's timetable around a point: a bus and a trolleybus through six stops, every
/// 10 and 15 minutes from early morning to late night, every day for years.
pub fn demo_feed(lat: f64, lon: f64) -> anyhow::Result<Vec<u8>> {
    let stops = [
        ("vokzal", "Вокзал", 0.000, 0.000),
        ("rynok", "Ринок", 0.004, 0.003),
        ("tsentr", "Центральна площа", 0.008, 0.006),
        ("likarnia", "Лікарня", 0.011, 0.010),
        ("shkola", "Школа № 3", 0.006, 0.012),
        ("park", "Парк «Шевченківський»", 0.002, 0.015),
    ];
    let mut stops_txt = String::from("stop_id,stop_code,stop_name,stop_lat,stop_lon\n");
    for (i, (id, name, dlat, dlon)) in stops.iter().enumerate() {
        stops_txt.push_str(&format!("{id},{},\"{name}\",{:.6},{:.6}\n", 100 + i, lat + dlat, lon + dlon));
    }
    let mut stop_times = String::from("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    let lines: [(&str, &[&str]); 4] = [
        ("bus1-there", &["vokzal", "rynok", "tsentr", "likarnia"]),
        ("bus1-back", &["likarnia", "tsentr", "rynok", "vokzal"]),
        ("tb12-there", &["vokzal", "tsentr", "shkola", "park"]),
        ("tb12-back", &["park", "shkola", "tsentr", "vokzal"]),
    ];
    for (trip, route) in lines {
        for (i, stop) in route.iter().enumerate() {
            let t = format!("06:{:02}:00", i * 4);
            stop_times.push_str(&format!("{trip},{t},{t},{stop},{}\n", i + 1));
        }
    }
    let files = [
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nmte,Міське транспортне підприємство,https://example.ua,Europe/Kyiv\n".to_owned()),
        ("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nbus1,mte,1,Вокзал — Лікарня,3\ntb12,mte,12,Вокзал — Парк,11\n".to_owned()),
        ("trips.txt", "route_id,service_id,trip_id,trip_headsign\nbus1,daily,bus1-there,Лікарня\nbus1,daily,bus1-back,Вокзал\ntb12,daily,tb12-there,Парк\ntb12,daily,tb12-back,Вокзал\n".to_owned()),
        ("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\ndaily,1,1,1,1,1,1,1,20250101,20351231\n".to_owned()),
        ("frequencies.txt", "trip_id,start_time,end_time,headway_secs,exact_times\nbus1-there,06:00:00,23:00:00,600,1\nbus1-back,06:00:00,23:00:00,600,1\ntb12-there,06:00:00,23:00:00,900,1\ntb12-back,06:00:00,23:00:00,900,1\n".to_owned()),
        ("stops.txt", stops_txt),
        ("stop_times.txt", stop_times),
    ];
    let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    Ok(crate::testing::gtfs_zip(&pairs)?)
}
