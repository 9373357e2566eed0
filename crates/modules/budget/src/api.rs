//! The participatory budget API: contests, live results, and the public chain of ballots for
//! recounting. Described in the installation's OpenAPI document.

use crate::domain::{self, Phase};
use crate::results;
use crate::store::BallotOutcome;
use crate::store::{self, Contest};
use crate::web::{Casting, cast_as, contest_by_number, today};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hromada_kernel::Lang;
use hromada_web::Page;
use hromada_web::{AppError, AppResult, AppState, Tenant};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub struct ContestInfo {
    pub number: i64,
    pub title: String,
    /// Kopiykas.
    pub total_budget: i64,
    /// `announced`, `submission`, `review`, `revision`, `voting`, `results`, `implementation`.
    pub phase: String,
    pub submission_from: String,
    pub submission_to: String,
    pub voting_from: String,
    pub voting_to: String,
    /// Live ballots, one per voter.
    pub ballots: i64,
}

fn info(c: &Contest, phase: Phase) -> ContestInfo {
    let t = c.timeline();
    ContestInfo {
        number: c.number,
        title: c.title.clone(),
        total_budget: c.total_budget,
        phase: phase.code().into(),
        submission_from: t.submission_from.to_string(),
        submission_to: t.submission_to.to_string(),
        voting_from: t.voting_from().to_string(),
        voting_to: t.voting_to.to_string(),
        ballots: c.ballot_count,
    }
}

/// The community's contests, the latest first.
#[utoipa::path(get, path = "/api/v1/budget/contests", tag = "budget",
    responses((status = 200, body = Vec<ContestInfo>)))]
async fn contests(State(state): State<AppState>, tenant: Tenant) -> AppResult<Json<Vec<ContestInfo>>> {
    let today = today(&state);
    let list = store::contests(&state.db, tenant.community.id).await?;
    Ok(Json(list.iter().map(|c| info(c, c.phase_at(today))).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct ProjectResult {
    pub rank: usize,
    pub number: i64,
    pub title: String,
    /// Kopiykas, as the commission corrected it.
    pub cost: i64,
    pub votes: u64,
    /// `winner`, `does_not_fit` (not enough money left at its turn), `too_few_votes`.
    pub outcome: String,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryResult {
    pub name: String,
    pub budget: i64,
    /// What the winners take.
    pub used: i64,
    /// `approve`, `knapsack` or `one`.
    pub rule: String,
    pub projects: Vec<ProjectResult>,
}

#[derive(Serialize, ToSchema)]
pub struct Results {
    pub contest: ContestInfo,
    /// Counted at the moment of the request from the live ballots.
    pub categories: Vec<CategoryResult>,
    /// Hex head of the ballot chain the count stands on.
    pub chain_head: String,
}

/// Live results by category, with winners by the regulation's rule: most votes first; a tie
/// goes to the cheaper project, then to the lower number; a project that no longer fits what
/// is left of the budget is passed over.
#[utoipa::path(get, path = "/api/v1/budget/contests/{number}/results", tag = "budget",
    params(("number" = i64, Path, description = "The contest's number in the community")),
    responses((status = 200, body = Results), (status = 404, description = "No such contest, or voting has not started")))]
async fn contest_results(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Json<Results>> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let phase = c.phase_at(today(&state));
    if !phase.shows_results() {
        return Err(AppError::NotFound);
    }
    let (counted, projects) = results::count(&state.db, tenant.community.id, &c).await?;
    let categories = counted
        .iter()
        .map(|r| CategoryResult {
            name: r.category.name(Lang::Uk).to_owned(),
            budget: r.result.budget,
            used: r.result.used,
            rule: r.category.voting_rule().code().into(),
            projects: r
                .result
                .ranked
                .iter()
                .map(|x| ProjectResult {
                    rank: x.rank,
                    number: x.project.number,
                    title: projects.get(&x.project.project).map(|p| p.title.clone()).unwrap_or_default(),
                    cost: x.project.cost,
                    votes: x.project.votes,
                    outcome: x.outcome.code().into(),
                })
                .collect(),
        })
        .collect();
    Ok(Json(Results { contest: info(&c, phase), categories, chain_head: hex::encode(&c.chain_head) }))
}

#[derive(Deserialize, IntoParams)]
pub struct ChainParams {
    /// Entries after this sequence number.
    after: Option<i64>,
    /// At most this many (up to 1000).
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct BallotPage {
    pub number: i64,
    /// The contest's id: it is part of every hash.
    pub contest: String,
    /// Live ballots.
    pub ballots: i64,
    /// Entries in the chain, replaced ballots included.
    pub length: i64,
    pub head: String,
    /// `hromada/budget-chain/v1`: see the budget module documentation.
    pub algorithm: String,
    pub entries: Vec<domain::BallotEntry>,
}

/// The public ballots as a hash chain, page by page: the projects each ballot chose, never who
/// cast it. Anyone can recount the results from it; a voter finds their ballot by receipt code.
#[utoipa::path(get, path = "/api/v1/budget/contests/{number}/ballots", tag = "budget",
    params(("number" = i64, Path, description = "The contest's number in the community"), ChainParams),
    responses((status = 200, body = BallotPage)))]
pub(crate) async fn ballots(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(number): Path<i64>,
    Query(q): Query<ChainParams>,
) -> AppResult<Json<BallotPage>> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 1000);
    let entries = store::chain(&state.db, tenant.community.id, c.id, q.after.unwrap_or(0).max(0), limit).await?;
    Ok(Json(BallotPage {
        number: c.number,
        contest: c.id.to_string(),
        ballots: c.ballot_count,
        length: c.chain_length,
        head: hex::encode(&c.chain_head),
        algorithm: "hromada/budget-chain/v1".into(),
        entries,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct BallotInput {
    /// Numbers of the projects chosen, across the categories.
    pub choices: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct BallotReceipt {
    /// The ballot's place in the public list.
    pub seq: i64,
    /// Whether it replaced your earlier ballot (where the regulation allows changing it).
    pub replaced: bool,
    /// Keep it: it proves your ballot is in the published list.
    pub receipt_code: String,
}

/// Casts a ballot for the owner of the API token, under the same rules as on the web.
#[utoipa::path(post, path = "/api/v1/budget/contests/{number}/ballots", tag = "budget", security(("token" = [])),
    params(("number" = i64, Path, description = "The contest's number in the community")),
    request_body = BallotInput,
    responses((status = 201, body = BallotReceipt), (status = 401, description = "No valid token"),
        (status = 403, description = "Not allowed to vote now (the reason is in `message`)"),
        (status = 409, description = "Already voted"), (status = 422, description = "The ballot breaks a category's rule")))]
async fn cast(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    Json(input): Json<BallotInput>,
) -> AppResult<Response> {
    let user = page.viewer.user.as_ref().filter(|_| page.viewer.by_token).ok_or(AppError::Unauthorized)?.clone();
    let c = contest_by_number(&state, &tenant, number).await?;
    match cast_as(&state, &tenant, &user, page.lang, &c, &input.choices).await? {
        Casting::Refused(key) => {
            Ok((StatusCode::FORBIDDEN, Json(serde_json::json!({ "error": key, "message": page.t(key) })))
                .into_response())
        }
        Casting::Invalid(message) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({ "error": "budget-ballot-invalid", "message": message })),
        )
            .into_response()),
        Casting::Done { outcome: BallotOutcome::Cast { seq, replaced }, receipt } => {
            Ok((StatusCode::CREATED, Json(BallotReceipt { seq, replaced, receipt_code: receipt })).into_response())
        }
        Casting::Done { outcome: BallotOutcome::Closed, .. } => Err(AppError::Conflict("budget-refused-not-voting")),
        Casting::Done { .. } => Err(AppError::Conflict("budget-refused-already-voted")),
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(contests)).routes(routes!(contest_results)).routes(routes!(ballots, cast))
}
