//! Stops and their next departures as JSON, for apps and stop displays.

use crate::board::{self, Departure};
use crate::search_stops;
use axum::Json;
use axum::extract::{Path, Query, State};
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub struct StopInfo {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StopQuery {
    /// Words of the stop's name.
    q: String,
}

/// Stops whose names have the words, best first.
#[utoipa::path(get, path = "/api/v1/transit/stops", tag = "transit", params(StopQuery),
    responses((status = 200, body = Vec<StopInfo>), (status = 404, description = "No timetable was imported")))]
async fn stops(
    State(state): State<AppState>,
    tenant: Tenant,
    Query(q): Query<StopQuery>,
) -> AppResult<Json<Vec<StopInfo>>> {
    let loaded = crate::web::load(&state, &tenant).await?.ok_or(AppError::NotFound)?;
    Ok(Json(
        search_stops(&loaded.feed, &q.q, 50)
            .into_iter()
            .filter_map(|i| loaded.feed.stop(i))
            .map(|s| StopInfo {
                id: s.id.clone(),
                code: s.code.clone(),
                name: s.name.clone(),
                lat: s.location.map(|p| p.lat),
                lon: s.location.map(|p| p.lon),
            })
            .collect(),
    ))
}

/// The next departures from a stop, with realtime predictions where fresh.
#[utoipa::path(get, path = "/api/v1/transit/stops/{id}/departures", tag = "transit", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Departure>), (status = 404)))]
async fn departures(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Departure>>> {
    let loaded = crate::web::load(&state, &tenant).await?.ok_or(AppError::NotFound)?;
    let stop = loaded.feed.stop_by_id(&id).ok_or(AppError::NotFound)?;
    Ok(Json(board::departures(&loaded, stop, state.now(), 20)))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stops)).routes(routes!(departures))
}
