//! The paper ballot desk: officials enter paper ballots one by one or as a CSV file. Each is
//! checked against the same rules as a web ballot and against the register by the person key
//! of the voter's tax number; someone who already voted is listed as a conflict for the
//! officials' decision (keep the counted ballot, or count the paper one instead), never dropped.

use crate::domain;
use crate::paper::{self, PaperBallot};
use crate::store::{self, BallotOutcome, BallotRequest, Category, Contest, PaperEntry};
use crate::web::{candidates, contest_by_number, contest_view, today, writer};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::core::audit::Actor;
use hromada_db::core::users::User;
use hromada_kernel::{Ineligible, Permission};
use hromada_media::Upload;
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{contest}/paper", get(desk).post(enter_one))
        .route("/{contest}/paper/import", post(import))
        .route("/{contest}/conflicts/{id}/{decision}", post(decide))
}

/// What came of one paper ballot, for the official's report.
enum Entered {
    Counted(i64),
    Conflict,
    Refused(String),
}

fn ineligible_key(e: Ineligible) -> &'static str {
    match e {
        Ineligible::AgeUnknown => "budget-paper-age-unknown",
        Ineligible::UnderAge(_) => "budget-paper-under-age",
        Ineligible::NotResident => "budget-paper-not-resident",
    }
}

/// Checks one paper ballot by the regulation and the categories' rules and casts it.
#[allow(clippy::too_many_arguments)]
async fn enter(
    state: &AppState,
    page: &Page,
    community: Uuid,
    c: &Contest,
    categories: &[Category],
    list: &[domain::Candidate],
    official: &User,
    ballot: &PaperBallot,
) -> AppResult<Entered> {
    if let Err(e) = c.rules.admits(today(state), &ballot.person()) {
        return Ok(Entered::Refused(page.t(ineligible_key(e))));
    }
    let on_ballot: Vec<domain::BallotCategory> = categories.iter().map(Category::on_ballot).collect();
    let choices = match domain::check_ballot(&on_ballot, list, &ballot.choices) {
        Ok(choices) => choices,
        Err(e) => return Ok(Entered::Refused(crate::web::ballot_error_text(state, page.lang, e, categories))),
    };
    let key = hromada_web::auth::person_key(&state.config.secret, &ballot.tax_number)
        .ok_or_else(|| AppError::unexpected("a normalised tax number has no key"))?;
    // The same form as an e-ID verified account's: a person who voted online is found.
    let voter_key = [b"p:".as_slice(), &key].concat();
    let request = BallotRequest {
        community,
        contest: c.id,
        slot: domain::voter_slot(&state.config.secret, c.id, &voter_key),
        voter_key,
        choices,
        receipt_code: hromada_web::auth::receipt_code(),
        today: today(state),
        paper: Some(PaperEntry { full_name: ballot.full_name.clone(), entered_by: official.id, settles: None }),
    };
    let outcome = writer(state)?.submit(request).await.map_err(|e| AppError::unexpected(e.to_string()))?;
    let actor = Actor::user(official);
    Ok(match outcome {
        BallotOutcome::Cast { seq, .. } => {
            state
                .audit(Some(community), &actor, "budget.paper_ballot", "budget_contest", c.id, &format!("№ {seq}"))
                .await?;
            Entered::Counted(seq)
        }
        BallotOutcome::Conflict | BallotOutcome::AlreadyVoted => {
            state
                .audit(Some(community), &actor, "budget.paper_conflict", "budget_contest", c.id, &ballot.full_name)
                .await?;
            Entered::Conflict
        }
        BallotOutcome::Closed => Entered::Refused(page.t("budget-paper-closed")),
    })
}

async fn render(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    c: &Contest,
    report: Vec<Value>,
    status: StatusCode,
) -> AppResult<Response> {
    let conflicts: Vec<Value> = store::conflicts(&state.db, tenant.community.id, c.id)
        .await?
        .iter()
        .map(|x| {
            context! {
                id => x.id.to_string(),
                name => &x.full_name,
                choices => x.numbers(),
                day => crate::web::date(x.entered_at),
                open => x.status == "open",
                status_label => page.t(&format!("budget-conflict-{}", x.status)),
            }
        })
        .collect();
    page.render_status(
        status,
        "budget/paper.html",
        context! {
            c => contest_view(page, c, today(state)),
            conflicts => conflicts,
            report => report,
            columns => paper::COLUMNS.join(";"),
        },
    )
}

async fn desk(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    viewer.require(Permission::Moderate)?;
    let c = contest_by_number(&state, &tenant, number).await?;
    render(&state, &page, &tenant, &c, vec![], StatusCode::OK).await
}

fn report_line(page: &Page, line: usize, name: &str, entered: &Entered) -> Value {
    let (outcome, text) = match entered {
        Entered::Counted(seq) => ("counted", page.t_with("budget-paper-counted", &[("seq", seq.to_string())])),
        Entered::Conflict => ("conflict", page.t("budget-paper-conflict")),
        Entered::Refused(why) => ("refused", why.clone()),
    };
    context! { line => line, name => name, outcome => outcome, text => text }
}

async fn enter_one(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let official = viewer.require(Permission::Moderate)?;
    let c = contest_by_number(&state, &tenant, number).await?;
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let ballot = match paper::read(0, &pairs) {
        Ok(b) => b,
        Err(problem) => {
            let line = context! { line => 0, name => "", outcome => "refused", text => page.t(problem.key) };
            return render(&state, &page, &tenant, &c, vec![line], StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let list = candidates(&state, &tenant, &c).await?;
    let entered = enter(&state, &page, tenant.community.id, &c, &categories, &list, official, &ballot).await?;
    let status = if matches!(entered, Entered::Counted(_)) { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let line = report_line(&page, 0, &ballot.full_name, &entered);
    render(&state, &page, &tenant, &c, vec![line], status).await
}

async fn import(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    upload: Upload,
) -> AppResult<Response> {
    let official = viewer.require(Permission::Moderate)?;
    let c = contest_by_number(&state, &tenant, number).await?;
    let Some(file) = upload.files("file").next() else {
        let line = context! { line => 0, name => "", outcome => "refused", text => page.t("budget-paper-no-file") };
        return render(&state, &page, &tenant, &c, vec![line], StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let (ballots, problems) = match paper::parse_file(&file.bytes) {
        Ok(parsed) => parsed,
        Err(key) => {
            let line = context! { line => 0, name => "", outcome => "refused", text => page.t(key) };
            return render(&state, &page, &tenant, &c, vec![line], StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let list = candidates(&state, &tenant, &c).await?;
    let mut lines: Vec<(usize, Value)> = problems
        .iter()
        .map(|p| (p.line, context! { line => p.line, name => "", outcome => "refused", text => page.t(p.key) }))
        .collect();
    let mut all_counted = problems.is_empty();
    for ballot in &ballots {
        let entered = enter(&state, &page, tenant.community.id, &c, &categories, &list, official, ballot).await?;
        all_counted &= matches!(entered, Entered::Counted(_));
        lines.push((ballot.line, report_line(&page, ballot.line, &ballot.full_name, &entered)));
    }
    lines.sort_by_key(|(line, _)| *line);
    let status = if all_counted { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render(&state, &page, &tenant, &c, lines.into_iter().map(|(_, v)| v).collect(), status).await
}

/// Settles a conflict: `keep` the ballot already counted, or `count` the paper one instead
/// (it replaces the other in the public list, marked as paper).
async fn decide(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((number, id, decision)): Path<(i64, Uuid, String)>,
) -> AppResult<Response> {
    let official = viewer.require(Permission::Moderate)?;
    let c = contest_by_number(&state, &tenant, number).await?;
    let back = tenant.url(&format!("/admin/budget/{number}/paper"));
    let conflict = store::conflict(&state.db, tenant.community.id, c.id, id).await?.ok_or(AppError::NotFound)?;
    let actor = Actor::user(official);
    let settled = match decision.as_str() {
        "keep" => store::keep_counted(&state.db, tenant.community.id, c.id, id).await?,
        "count" => {
            let list = candidates(&state, &tenant, &c).await?;
            let choices: Vec<domain::Candidate> =
                conflict.projects().iter().filter_map(|p| list.iter().find(|x| x.id == *p).copied()).collect();
            let request = BallotRequest {
                community: tenant.community.id,
                contest: c.id,
                slot: domain::voter_slot(&state.config.secret, c.id, &conflict.voter_key),
                voter_key: conflict.voter_key.clone(),
                choices,
                receipt_code: hromada_web::auth::receipt_code(),
                today: today(&state),
                paper: Some(PaperEntry {
                    full_name: conflict.full_name.clone(),
                    entered_by: official.id,
                    settles: Some(id),
                }),
            };
            let outcome = writer(&state)?.submit(request).await.map_err(|e| AppError::unexpected(e.to_string()))?;
            matches!(outcome, BallotOutcome::Cast { .. })
        }
        _ => return Err(AppError::NotFound),
    };
    if !settled {
        return Ok(page.redirect_with(&back, Flash::error("budget-conflict-settled")));
    }
    let what = format!("budget.paper_conflict.{decision}");
    state.audit(Some(tenant.community.id), &actor, &what, "budget_contest", c.id, &conflict.full_name).await?;
    Ok(page.redirect_with(&back, Flash::success("budget-conflict-decided")))
}
