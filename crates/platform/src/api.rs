//! The JSON API under `/api/v1`, described by OpenAPI; scripts authenticate with a personal
//! API token (`Authorization: Bearer …`). Modules add their endpoints to the same document.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use hromada_db::core::{communities, settlements};
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Hromada API", version = "1", description = "Public data and personal actions of a territorial community. \
        Community endpoints are reached on the community's host or under /c/{slug}."),
    components(schemas(ApiError)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// An error answer.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// Machine-readable code, e.g. `not-found`, `unauthorized`.
    pub error: String,
    /// Explanation in the reader's language.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommunitySummary {
    pub slug: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    /// Where the community is reached: its own host or a path on this installation.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct SettlementInfo {
    pub id: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub starosta_district: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CommunityInfo {
    pub slug: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub hours: String,
    pub settlements: Vec<SettlementInfo>,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub full_name: String,
    pub email: Option<String>,
    /// `none`, `email`, `phone` or `eid`.
    pub identity_level: String,
    pub roles: Vec<String>,
}

/// The communities of this installation.
#[utoipa::path(get, path = "/api/v1/communities", tag = "communities",
    responses((status = 200, description = "Enabled communities", body = Vec<CommunitySummary>)))]
async fn list_communities(State(state): State<AppState>) -> AppResult<Json<Vec<CommunitySummary>>> {
    let mut out = vec![];
    for c in communities::list(&state.db).await?.into_iter().filter(|c| c.enabled) {
        let url = match communities::primary_host(&state.db, c.id).await? {
            Some(host) => format!("{}://{host}/", if state.config.secure_cookies { "https" } else { "http" }),
            None => format!("{}/c/{}/", state.config.public_url.trim_end_matches('/'), c.slug),
        };
        out.push(CommunitySummary { slug: c.slug, name_uk: c.name_uk, name_en: c.name_en, url });
    }
    Ok(Json(out))
}

/// The community this request is for: names, contacts, settlements.
#[utoipa::path(get, path = "/api/v1/community", tag = "communities",
    responses((status = 200, body = CommunityInfo), (status = 404, body = ApiError)))]
async fn community(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<CommunityInfo>> {
    let c = tenant.community;
    let list = settlements::list(&state.db, c.id).await?;
    Ok(Json(CommunityInfo {
        slug: c.slug,
        name_uk: c.name_uk,
        name_en: c.name_en,
        address: c.contacts.0.address,
        phone: c.contacts.0.phone,
        email: c.contacts.0.email,
        hours: c.contacts.0.hours,
        settlements: list
            .into_iter()
            .map(|s| SettlementInfo {
                id: s.id.to_string(),
                name_uk: s.name_uk,
                name_en: s.name_en,
                kind: s.kind,
                starosta_district: s.starosta_district,
            })
            .collect(),
    }))
}

/// The account the API token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("token" = [])),
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
async fn me(viewer: Viewer) -> AppResult<Json<Me>> {
    let user = viewer.user.as_ref().filter(|_| viewer.by_token).ok_or(AppError::Unauthorized)?;
    Ok(Json(Me {
        id: user.id.to_string(),
        full_name: user.full_name.clone(),
        email: user.email.clone(),
        identity_level: user.identity_level().code().into(),
        roles: viewer.roles.iter().map(|r| r.code().to_owned()).collect(),
    }))
}

/// The core's API routes for communities; modules' routes are merged in by the app.
pub fn community_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(community)).routes(routes!(me)).routes(routes!(list_communities))
}

/// The API routes that need no community.
pub fn platform_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_communities))
}

/// The OpenAPI document of all API routes, and Swagger UI for it (served from the binary).
pub fn document(api: OpenApiRouter<AppState>) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(api).split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    (router, doc)
}

pub fn docs_routes(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    let json = doc.clone();
    Router::new()
        .route("/api/v1/openapi.json", axum::routing::get(move || async move { Json(json.clone()).into_response() }))
        .merge(SwaggerUi::new("/api/docs").config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")))
}
