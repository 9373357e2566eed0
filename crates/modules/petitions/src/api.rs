//! The petitions API: list, detail, live count, the signer chain, and signing with a personal
//! API token. Described in the installation's OpenAPI document.

use crate::domain;
use crate::store::{self, Petition, SignOutcome};
use crate::web::{Signing, sign_as};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hromada_web::auth::Viewer;
use hromada_web::security::ClientIp;
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub struct PetitionInfo {
    pub number: i64,
    pub title: String,
    /// Markdown source of the text.
    pub body: String,
    pub category: String,
    /// `collecting`, `under_consideration`, `answered`, `refused`, `fell_short`, …
    pub status: String,
    pub author: String,
    pub signatures: i64,
    pub threshold: i64,
    pub published_at: Option<String>,
    pub collection_ends: Option<String>,
    pub consideration_due: Option<String>,
    pub decision: Option<String>,
    pub answer: Option<String>,
    /// Hex SHA-256 head of the signer chain.
    pub chain_head: String,
}

impl From<Petition> for PetitionInfo {
    fn from(p: Petition) -> Self {
        PetitionInfo {
            number: p.number,
            status: p.status().code().to_owned(),
            chain_head: hex::encode(&p.chain_head),
            title: p.title,
            body: p.body,
            category: p.category,
            author: p.author_name,
            signatures: p.signature_count,
            threshold: p.threshold,
            published_at: p.published_at.map(|t| t.to_rfc3339()),
            collection_ends: p.collection_ends.map(|d| d.to_string()),
            consideration_due: p.consideration_due.map(|d| d.to_string()),
            decision: p.decision,
            answer: p.answer_text,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Page number, from 1.
    page: Option<i64>,
    /// Search words: each must begin a word of the title or text.
    q: Option<String>,
    /// `collecting`, `under_consideration`, `answered`, `refused`, `fell_short` or `archived`.
    status: Option<String>,
    /// A topic code.
    category: Option<String>,
    /// `newest` (default), `signed`, `ending`, or `relevance` (with `q`).
    sort: Option<String>,
}

/// Published petitions, 50 a page: newest first, or as asked.
#[utoipa::path(get, path = "/api/v1/petitions", tag = "petitions", params(ListParams),
    responses((status = 200, body = Vec<PetitionInfo>)))]
async fn list(
    State(state): State<AppState>,
    tenant: Tenant,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Vec<PetitionInfo>>> {
    let page = q.page.unwrap_or(1).max(1);
    let words = q.q.as_deref().map(str::trim).filter(|w| !w.is_empty());
    let default_sort = if words.is_some() { "relevance" } else { "newest" };
    let filter = store::ListFilter {
        status: q.status.as_deref().filter(|s| !s.is_empty()),
        category: q.category.as_deref().filter(|c| !c.is_empty()),
        words,
        sort: store::Sort::parse(q.sort.as_deref().unwrap_or(default_sort)),
    };
    let rows = store::list_filtered(&state.db, tenant.community.id, &filter, 50, (page - 1) * 50).await?;
    Ok(Json(rows.into_iter().map(PetitionInfo::from).collect()))
}

async fn public(state: &AppState, tenant: &Tenant, number: i64) -> AppResult<Petition> {
    store::by_number(&state.db, tenant.community.id, number)
        .await?
        .filter(|p| p.status().public())
        .ok_or(AppError::NotFound)
}

/// One published petition.
#[utoipa::path(get, path = "/api/v1/petitions/{number}", tag = "petitions",
    params(("number" = i64, Path, description = "The petition's number in the community")),
    responses((status = 200, body = PetitionInfo), (status = 404, description = "No such published petition")))]
async fn detail(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Json<PetitionInfo>> {
    Ok(Json(public(&state, &tenant, number).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct Count {
    pub signatures: i64,
    pub threshold: i64,
    pub status: String,
    pub chain_head: String,
}

/// The live count, cheap to poll: caches may keep it for a few seconds.
#[utoipa::path(get, path = "/api/v1/petitions/{number}/count", tag = "petitions",
    params(("number" = i64, Path, description = "The petition's number in the community")),
    responses((status = 200, body = Count)))]
pub(crate) async fn count(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let p = public(&state, &tenant, number).await?;
    let body = Count {
        signatures: p.signature_count,
        threshold: p.threshold,
        status: p.status().code().to_owned(),
        chain_head: hex::encode(&p.chain_head),
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=5, stale-while-revalidate=30"));
    Ok(response)
}

#[derive(Deserialize, IntoParams)]
pub struct ChainParams {
    /// Entries after this sequence number.
    after: Option<i64>,
    /// At most this many (up to 1000).
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ChainPage {
    pub number: i64,
    pub petition: String,
    pub count: i64,
    pub head: String,
    /// `hromada/petition-chain/v1`: see the petitions module documentation.
    pub algorithm: String,
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<domain::ChainEntry>,
}

/// The public signer list as a hash chain, page by page, for recounting and verification.
#[utoipa::path(get, path = "/api/v1/petitions/{number}/signatures", tag = "petitions",
    params(("number" = i64, Path, description = "The petition's number in the community"), ChainParams),
    responses((status = 200, body = ChainPage)))]
pub(crate) async fn chain(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(number): Path<i64>,
    Query(q): Query<ChainParams>,
) -> AppResult<Json<ChainPage>> {
    let p = public(&state, &tenant, number).await?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 1000);
    let entries = store::chain(&state.db, tenant.community.id, p.id, q.after.unwrap_or(0).max(0), limit).await?;
    Ok(Json(ChainPage {
        number: p.number,
        petition: p.id.to_string(),
        count: p.signature_count,
        head: hex::encode(&p.chain_head),
        algorithm: "hromada/petition-chain/v1".into(),
        entries,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Receipt {
    /// Your place in the signer list.
    pub seq: i64,
    pub signatures: i64,
    /// Keep it: it proves your signature is in the published list.
    pub receipt_code: String,
}

/// Signs the petition for the owner of the API token, under the same rules as on the web.
#[utoipa::path(post, path = "/api/v1/petitions/{number}/signatures", tag = "petitions", security(("token" = [])),
    params(("number" = i64, Path, description = "The petition's number in the community")),
    responses((status = 201, body = Receipt), (status = 401, description = "No valid token"),
        (status = 403, description = "Not allowed to sign (the reason is in `error`)"), (status = 409, description = "Already signed")))]
async fn sign(
    State(state): State<AppState>,
    tenant: Tenant,
    viewer: Viewer,
    client: ClientIp,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let user = viewer.user.as_ref().filter(|_| viewer.by_token).ok_or(AppError::Unauthorized)?.clone();
    // The hottest path: this node's copy of the petition will do, the writer checks its state again.
    let p = crate::petition_by_number(&state, tenant.community.id, number)
        .await?
        .filter(|p| p.status().public())
        .ok_or(AppError::NotFound)?;
    match sign_as(&state, &tenant, &user, &client, &p).await? {
        Signing::Refused(refusal) => {
            let body =
                serde_json::json!({ "error": format!("{refusal:?}").to_lowercase(), "message": refusal.to_string() });
            Ok((StatusCode::FORBIDDEN, Json(body)).into_response())
        }
        Signing::Done { outcome: SignOutcome::Signed { seq, count }, receipt } => {
            Ok((StatusCode::CREATED, Json(Receipt { seq, signatures: count, receipt_code: receipt })).into_response())
        }
        Signing::Done { outcome: SignOutcome::AlreadySigned, .. } => {
            Err(AppError::Conflict("petition-refused-already-signed"))
        }
        Signing::Done { outcome: SignOutcome::NotCollecting, .. } => {
            Err(AppError::Conflict("petition-refused-not-collecting"))
        }
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(count))
        .routes(routes!(chain, sign))
}
