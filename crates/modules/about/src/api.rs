use crate::store;
use axum::Json;
use axum::extract::State;
use hromada_web::{AppResult, AppState, Tenant};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub struct ContactInfo {
    pub name: String,
    pub role_uk: String,
    pub role_en: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reception_hours: Option<String>,
}

/// People residents can reach in this community, in the order the community lists them.
#[utoipa::path(get, path = "/api/v1/about/contacts", tag = "about", responses((status = 200, body = Vec<ContactInfo>)))]
async fn contacts(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<Vec<ContactInfo>>> {
    let list = store::list(&state.db, tenant.community.id).await?;
    Ok(Json(
        list.into_iter()
            .map(|c| ContactInfo {
                name: c.name,
                role_uk: c.role_uk,
                role_en: c.role_en,
                phone: c.phone,
                email: c.email,
                reception_hours: c.reception_hours,
            })
            .collect(),
    ))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(contacts))
}
