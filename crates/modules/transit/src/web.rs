//! The public side: find a stop by name or nearby, the stops' map, a stop's next departures,
//! the stop board for SMART stop displays and its JSON.

use crate::board::{self, Departure};
use crate::store::Loaded;
use crate::{StopIdx, nearest_stops, search_stops};
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hromada_kernel::GeoPoint;
use hromada_web::{AppError, AppResult, AppState, Page, Tenant, Value, context};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/transit", get(index))
        .route("/transit/stops.json", get(stop_points))
        .route("/transit/stops/{stop}", get(stop))
        .route("/transit/stops/{stop}/board", get(stop_board))
        .route("/transit/stops/{stop}/departures.json", get(stop_json))
}

/// Departures a stop's page lists.
const LIST: usize = 12;
/// Departures a display board shows: what fits in large type.
const BOARD: usize = 6;

pub async fn load(state: &AppState, tenant: &Tenant) -> AppResult<Option<Arc<Loaded>>> {
    crate::module::loaded(state, &tenant.community).await
}

/// A stop's address: its id from the feed, made safe for a path.
pub fn stop_path(loaded: &Loaded, stop: StopIdx) -> String {
    let id = loaded.feed.stop(stop).map(|s| s.id.as_str()).unwrap_or("");
    format!("/transit/stops/{}", hromada_web::page::urlencode(id))
}

fn stop_view(page: &Page, loaded: &Loaded, stop: StopIdx, distance: Option<f64>) -> Value {
    let s = loaded.feed.stop(stop);
    context! {
        name => s.map(|s| s.name.as_str()),
        code => s.and_then(|s| s.code.as_deref()),
        href => page.url(&stop_path(loaded, stop)),
        metres => distance.map(|d| d.round() as i64),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct IndexQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
}

async fn index(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<IndexQuery>,
) -> AppResult<Response> {
    let Some(loaded) = load(&state, &tenant).await? else {
        return page.render("transit/index.html", context! { loaded => false });
    };
    let query = q.q.trim();
    let found: Vec<Value> = if query.is_empty() {
        vec![]
    } else {
        search_stops(&loaded.feed, query, 20).into_iter().map(|s| stop_view(&page, &loaded, s, None)).collect()
    };
    let point = match (q.lat.trim().replace(',', ".").parse::<f64>(), q.lon.trim().replace(',', ".").parse::<f64>()) {
        (Ok(lat), Ok(lon)) => GeoPoint::new(lat, lon),
        _ => None,
    };
    let near: Vec<Value> = point
        .map(|p| {
            nearest_stops(&loaded.feed, p, 5, 3_000.0)
                .into_iter()
                .map(|(s, d)| stop_view(&page, &loaded, s, Some(d)))
                .collect()
        })
        .unwrap_or_default();
    page.render(
        "transit/index.html",
        context! {
            loaded => true, q => query, searched => !query.is_empty(), found => found,
            lat => q.lat.trim(), lon => q.lon.trim(), located => point.is_some(), near => near,
            map => hromada_web::map::context(&tenant.community), points => page.url("/transit/stops.json"),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct BboxQuery {
    bbox: String,
}

/// The stops inside the map's view, for the shared map script; at most a few hundred.
async fn stop_points(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<BboxQuery>,
) -> AppResult<Response> {
    let parts: Vec<f64> = q.bbox.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    let [west, south, east, north] = parts[..] else { return Err(AppError::NotFound) };
    let Some(loaded) = load(&state, &tenant).await? else { return Err(AppError::NotFound) };
    let points: Vec<serde_json::Value> = loaded
        .feed
        .stops()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.parent.is_none())
        .filter_map(|(i, s)| {
            let p = s.location?;
            (p.lat >= south && p.lat <= north && p.lon >= west && p.lon <= east).then(|| {
                let idx = StopIdx(i as u32);
                serde_json::json!({
                    "lat": p.lat, "lon": p.lon, "count": 1, "label": "●", "title": s.name,
                    "href": page.url(&stop_path(&loaded, idx)),
                })
            })
        })
        .take(400)
        .collect();
    let mut response = Json(serde_json::json!({ "clusters": points })).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}

fn find(loaded: &Loaded, id: &str) -> AppResult<StopIdx> {
    loaded.feed.stop_by_id(id).ok_or(AppError::NotFound)
}

fn departure_views(page: &Page, list: &[Departure]) -> Vec<Value> {
    list.iter()
        .map(|d| {
            context! {
                route => &d.route, headsign => &d.headsign, time => &d.time, scheduled => &d.scheduled,
                minutes => d.minutes, realtime => d.realtime, every => d.every_minutes,
                delay => d.delay_minutes.filter(|m| *m != 0),
                // Past an hour and a half the clock time says it better than a count of minutes.
                due => match d.minutes {
                    ..=0 => page.t("transit-now"),
                    1..=90 => page.t_count("transit-in-minutes", d.minutes),
                    _ => String::new(),
                },
            }
        })
        .collect()
}

async fn stop(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let loaded = load(&state, &tenant).await?.ok_or(AppError::NotFound)?;
    let idx = find(&loaded, &id)?;
    let list = board::departures(&loaded, idx, state.now(), LIST);
    let s = loaded.feed.stop(idx).ok_or(AppError::NotFound)?;
    page.render(
        "transit/stop.html",
        context! {
            stop => stop_view(&page, &loaded, idx, None), departures => departure_views(&page, &list),
            board => page.url(&format!("{}/board", stop_path(&loaded, idx))),
            json => page.url(&format!("{}/departures.json", stop_path(&loaded, idx))),
            now => hromada_kernel::clock::kyiv_time(state.now()).format("%H:%M").to_string(),
            lat => s.location.map(|p| p.lat), lon => s.location.map(|p| p.lon),
            map => hromada_web::map::context(&tenant.community),
            live => loaded.realtime.as_ref().is_some_and(|r| r.is_fresh(state.now())),
        },
    )
}

async fn stop_board(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let loaded = load(&state, &tenant).await?.ok_or(AppError::NotFound)?;
    let idx = find(&loaded, &id)?;
    let list = board::departures(&loaded, idx, state.now(), BOARD);
    page.render(
        "transit/board.html",
        context! {
            stop => stop_view(&page, &loaded, idx, None), departures => departure_views(&page, &list),
            now => hromada_kernel::clock::kyiv_time(state.now()).format("%H:%M").to_string(),
            community_name => tenant.community.name(page.lang),
        },
    )
}

async fn stop_json(State(state): State<AppState>, tenant: Tenant, Path(id): Path<String>) -> AppResult<Response> {
    let loaded = load(&state, &tenant).await?.ok_or(AppError::NotFound)?;
    let idx = find(&loaded, &id)?;
    let now = state.now();
    let s = loaded.feed.stop(idx).ok_or(AppError::NotFound)?;
    let body = serde_json::json!({
        "stop": { "id": s.id, "name": s.name, "code": s.code },
        "now": now,
        "departures": board::departures(&loaded, idx, now, BOARD),
    });
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=15"));
    Ok(response)
}
