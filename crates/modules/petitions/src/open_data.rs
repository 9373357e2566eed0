//! Every public petition as open data, CSV and JSON, for journalists, researchers and the
//! national open-data portal.

use crate::api::PetitionInfo;
use crate::store::{self, ListFilter};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hromada_web::export::Csv;
use hromada_web::{AppResult, AppState, Tenant};

/// More than any community has; the export is one document, not pages.
const ALL: i64 = 100_000;

async fn all(state: &AppState, tenant: &Tenant) -> AppResult<Vec<store::Petition>> {
    Ok(store::list_filtered(&state.db, tenant.community.id, &ListFilter::default(), ALL, 0).await?)
}

fn cacheable(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

pub(crate) async fn csv(State(state): State<AppState>, tenant: Tenant) -> AppResult<Response> {
    let mut csv = Csv::new(&[
        "number",
        "title",
        "category",
        "status",
        "author",
        "signatures",
        "threshold",
        "published_at",
        "collection_ends",
        "threshold_reached_at",
        "consideration_due",
        "answered_at",
        "decision",
        "url",
    ]);
    let base = tenant.absolute_url(&state, "/petitions/").await;
    for p in all(&state, &tenant).await? {
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        csv.row(&[
            p.number.to_string(),
            p.title.clone(),
            p.category.clone(),
            p.status().code().to_owned(),
            p.author_name.clone(),
            p.signature_count.to_string(),
            p.threshold.to_string(),
            time(p.published_at),
            day(p.collection_ends),
            time(p.threshold_reached_at),
            day(p.consideration_due),
            time(p.answered_at),
            p.decision.clone().unwrap_or_default(),
            format!("{base}{}", p.number),
        ]);
    }
    Ok(cacheable(csv.into_download(&format!("{}-petitions.csv", tenant.community.slug))))
}

pub(crate) async fn json(State(state): State<AppState>, tenant: Tenant) -> AppResult<Response> {
    let rows: Vec<PetitionInfo> = all(&state, &tenant).await?.into_iter().map(PetitionInfo::from).collect();
    Ok(cacheable(Json(rows).into_response()))
}
