//! The catalogue, offices, tiles and cameras as JSON for other sites and apps.

use crate::domain;
use crate::store::{self, CardFilter};
use axum::Json;
use axum::extract::{Path, Query, State};
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub struct ServiceInfo {
    pub number: i64,
    /// The identifier in the national register of administrative services, when known.
    pub code: String,
    pub category: Option<String>,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub recipients: String,
    /// The documents to bring, one per item.
    pub documents: Vec<String>,
    /// `null` when the service is free of charge.
    pub cost_kopiykas: Option<i64>,
    pub cost_note: String,
    pub term: String,
    pub result: String,
    pub how_to_receive: String,
    pub legal_basis: String,
    pub online_url: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ServiceQuery {
    /// Words that every service found has in its name or fields.
    q: Option<String>,
    /// A category's code.
    category: Option<String>,
}

fn info(card: store::ServiceCard, categories: &[store::Category]) -> ServiceInfo {
    let category = card.category_id.and_then(|id| categories.iter().find(|c| c.id == id)).map(|c| c.code.clone());
    ServiceInfo {
        number: card.number,
        code: card.code,
        category,
        name_uk: card.name_uk,
        name_en: card.name_en,
        recipients: card.recipients,
        documents: domain::document_lines(&card.documents).into_iter().map(str::to_owned).collect(),
        cost_kopiykas: card.cost_kopiykas,
        cost_note: card.cost_note,
        term: card.term,
        result: card.result,
        how_to_receive: card.how_to_receive,
        legal_basis: card.legal_basis,
        online_url: card.online_url,
    }
}

/// The community's published administrative services.
#[utoipa::path(get, path = "/api/v1/services", tag = "services", params(ServiceQuery),
    responses((status = 200, body = Vec<ServiceInfo>)))]
async fn services(
    State(state): State<AppState>,
    tenant: Tenant,
    Query(q): Query<ServiceQuery>,
) -> AppResult<Json<Vec<ServiceInfo>>> {
    let community = tenant.community.id;
    let categories = store::categories(&state.db, community).await?;
    let category = match q.category.as_deref().filter(|c| !c.is_empty()) {
        Some(code) => Some(categories.iter().find(|c| c.code == code).ok_or(AppError::NotFound)?.id),
        None => None,
    };
    let filter = CardFilter { query: q.q.filter(|q| !q.trim().is_empty()), category, unpublished: false };
    let cards = store::cards(&state.db, community, &filter, 100_000).await?;
    Ok(Json(cards.into_iter().map(|c| info(c, &categories)).collect()))
}

/// One published service by its number.
#[utoipa::path(get, path = "/api/v1/services/{number}", tag = "services", params(("number" = i64, Path)),
    responses((status = 200, body = ServiceInfo), (status = 404)))]
async fn service(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Json<ServiceInfo>> {
    let community = tenant.community.id;
    let card = store::card(&state.db, community, number).await?.filter(|c| c.published).ok_or(AppError::NotFound)?;
    Ok(Json(info(card, &store::categories(&state.db, community).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct OfficeInfo {
    /// `cnap`, `remote` (a remote workplace) or `starosta`.
    pub kind: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub hours: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Where residents get services: the CNAP and its remote workplaces.
#[utoipa::path(get, path = "/api/v1/services/offices", tag = "services", responses((status = 200, body = Vec<OfficeInfo>)))]
async fn offices(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<Vec<OfficeInfo>>> {
    let list = store::offices(&state.db, tenant.community.id).await?;
    Ok(Json(
        list.into_iter()
            .map(|o| OfficeInfo {
                kind: o.kind,
                name_uk: o.name_uk,
                name_en: o.name_en,
                address: o.address,
                lat: o.lat,
                lon: o.lon,
                hours: o.hours,
                phone: o.phone,
                email: o.email,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct TileInfo {
    pub icon: String,
    pub title_uk: String,
    pub title_en: Option<String>,
    pub description_uk: String,
    pub description_en: Option<String>,
    pub url: String,
}

/// Services run elsewhere that the community points residents to.
#[utoipa::path(get, path = "/api/v1/services/tiles", tag = "services", responses((status = 200, body = Vec<TileInfo>)))]
async fn tiles(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<Vec<TileInfo>>> {
    let list = store::tiles(&state.db, tenant.community.id).await?;
    Ok(Json(
        list.into_iter()
            .map(|t| TileInfo {
                icon: t.icon,
                title_uk: t.title_uk,
                title_en: t.title_en,
                description_uk: t.description_uk,
                description_en: t.description_en,
                url: t.url,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CameraInfo {
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub snapshot_url: Option<String>,
    pub stream_url: Option<String>,
    /// `online`, `offline` or `maintenance`.
    pub status: String,
}

/// The community's public cameras.
#[utoipa::path(get, path = "/api/v1/services/cameras", tag = "services", responses((status = 200, body = Vec<CameraInfo>)))]
async fn cameras(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<Vec<CameraInfo>>> {
    let list = store::cameras(&state.db, tenant.community.id).await?;
    Ok(Json(
        list.into_iter()
            .map(|c| CameraInfo {
                name_uk: c.name_uk,
                name_en: c.name_en,
                address: c.address,
                lat: c.lat,
                lon: c.lon,
                snapshot_url: c.snapshot_url,
                stream_url: c.stream_url,
                status: c.status,
            })
            .collect(),
    ))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(services))
        .routes(routes!(service))
        .routes(routes!(offices))
        .routes(routes!(tiles))
        .routes(routes!(cameras))
}
