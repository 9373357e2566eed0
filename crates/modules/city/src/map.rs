//! The map's data. Clusters are made on the server on a grid (see [`crate::domain::cluster`]),
//! so the page gets a few dozen markers however many reports there are. The shared map script
//! only enhances: every task works from the list and the forms with JavaScript off.

use crate::domain::{self, Bbox};
use crate::intake;
use crate::web::ListQuery;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::Deserialize;

/// Reports a map asks for at most; a view with more is zoomed out too far to tell them apart.
const MAX_POINTS: i64 = 20_000;

#[derive(Debug, Deserialize)]
pub struct ClusterQuery {
    bbox: String,
    zoom: u8,
    #[serde(flatten)]
    filters: ListQuery,
}

/// `GET /city/clusters.json?bbox=west,south,east,north&zoom=Z` with the list's filters.
pub async fn clusters(
    State(state): State<AppState>,
    tenant: Tenant,
    Query(q): Query<ClusterQuery>,
) -> AppResult<Response> {
    let bbox = Bbox::parse(&q.bbox).ok_or(AppError::NotFound)?;
    let categories = intake::categories(&state, &tenant.community, false).await?;
    let mut filter = q.filters.filter(&categories);
    filter.bbox = Some(bbox);
    let points = crate::store::map_points(&state.db, tenant.community.id, &filter, MAX_POINTS).await?;
    let clusters: Vec<serde_json::Value> = domain::cluster(&points, q.zoom.min(domain::MAX_ZOOM))
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "lat": c.lat, "lon": c.lon, "count": c.count, "number": c.number,
                "href": c.number.map(|n| tenant.url(&format!("/city/{n}"))),
            })
        })
        .collect();
    let mut response = Json(serde_json::json!({ "clusters": clusters })).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=30"));
    Ok(response)
}
