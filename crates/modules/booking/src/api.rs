//! What can be booked and when, as JSON for display screens and other apps. Booking itself
//! takes a signed-in resident: the web pages and the chatbot.

use crate::schedule::{self, clock};
use crate::store;
use axum::Json;
use axum::extract::{Path, State};
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct ResourceInfo {
    pub id: Uuid,
    /// `cnap` or `doctor`.
    pub kind: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub specialty: String,
    pub place: String,
    pub address: String,
    /// The CNAP catalogue card this is for, by its number.
    pub service_number: Option<i64>,
    pub slot_minutes: i64,
}

/// Everything residents can book a time with.
#[utoipa::path(get, path = "/api/v1/booking/resources", tag = "booking", responses((status = 200, body = Vec<ResourceInfo>)))]
async fn resources(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<Vec<ResourceInfo>>> {
    let list = store::resources(&state.db, tenant.community.id, false).await?;
    Ok(Json(
        list.into_iter()
            .map(|r| ResourceInfo {
                id: r.id,
                kind: r.kind,
                name_uk: r.name_uk,
                name_en: r.name_en,
                specialty: r.specialty,
                place: r.place,
                address: r.address,
                service_number: r.service_number,
                slot_minutes: r.slot_minutes,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DayInfo {
    /// The local (Kyiv) date.
    pub date: String,
    pub note: String,
    pub slots: Vec<SlotInfo>,
}

#[derive(Serialize, ToSchema)]
pub struct SlotInfo {
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// Local time, `HH:MM`.
    pub time: String,
    pub free: bool,
}

/// The open days of a resource with their slots, free or taken.
#[utoipa::path(get, path = "/api/v1/booking/resources/{id}/slots", tag = "booking", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<DayInfo>), (status = 404)))]
async fn slots(State(state): State<AppState>, tenant: Tenant, Path(id): Path<Uuid>) -> AppResult<Json<Vec<DayInfo>>> {
    let community = tenant.community.id;
    let r = store::resource(&state.db, community, id).await?.filter(|r| r.active).ok_or(AppError::NotFound)?;
    let days = schedule::open_days(&state.db, community, &r, state.now()).await?;
    Ok(Json(
        days.into_iter()
            .map(|d| DayInfo {
                date: d.date.to_string(),
                note: d.note,
                slots: d
                    .slots
                    .iter()
                    .map(|s| SlotInfo { starts_at: s.at, time: clock(s.minute), free: s.free })
                    .collect(),
            })
            .collect(),
    ))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(resources)).routes(routes!(slots))
}
