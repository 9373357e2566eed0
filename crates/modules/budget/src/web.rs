//! Residents' pages: contests with their timeline, projects, writing and handing in a project,
//! the ballot, the receipt, live results and the public list of ballots.

use crate::domain::{self, BallotError, Phase, ProjectAction};
use crate::results::{self, Bar};
use crate::store::{self, BallotOutcome, BallotRequest, BallotWriter, Category, Contest, Project};
use crate::{SUBMIT, VOTE};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use hromada_db::GroupCommit;
use hromada_db::core::users::User;
use hromada_kernel::{Ineligible, Lang, money};
use hromada_web::auth::{eligibility_of, one_person_key};
use hromada_web::module::require_level;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::implementation::routes())
        .merge(crate::authoring::routes())
        .route("/budget", get(index))
        .route("/budget/{contest}", get(contest_page))
        .route("/budget/{contest}/vote", get(ballot).post(vote))
        .route("/budget/{contest}/results", get(results_page))
        .route("/budget/{contest}/results.csv", get(results_csv))
        .route("/budget/{contest}/ballots", get(ballots_page))
        .route("/budget/{contest}/ballots.json", get(crate::api::ballots))
        .route("/budget/projects/{number}", get(project_page))
        .route("/budget/projects/{number}/support", post(support))
}

/// Today in Kyiv: phases change at local midnight.
pub(crate) fn today(state: &AppState) -> NaiveDate {
    hromada_kernel::clock::kyiv_time(state.now()).date()
}

pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub(crate) async fn contest_by_number(state: &AppState, tenant: &Tenant, number: i64) -> AppResult<Contest> {
    store::contest_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)
}

pub(crate) fn contest_view(page: &Page, c: &Contest, today: NaiveDate) -> Value {
    let phase = c.phase_at(today);
    context! {
        number => c.number,
        href => page.url(&format!("/budget/{}", c.number)),
        title => c.title(page.lang),
        total => money::format(c.total_budget, page.lang),
        phase => phase.code(),
        phase_label => page.t(&format!("budget-phase-{}", phase.code())),
        ballots => c.ballot_count,
    }
}

/// How a category's ballot is filled in, in words.
pub(crate) fn rule_text(state: &AppState, lang: Lang, category: &Category) -> String {
    match category.voting_rule() {
        domain::VotingRule::Approve { up_to } => state.i18n.t_count(lang, "budget-rule-approve", i64::from(up_to)),
        domain::VotingRule::Knapsack => state.i18n.t(lang, "budget-rule-knapsack"),
        domain::VotingRule::One => state.i18n.t(lang, "budget-rule-one"),
    }
}

/// A category's money and rule in one sentence, for a chat.
pub(crate) fn category_view_text(state: &AppState, lang: Lang, k: &Category) -> String {
    let facts = state.i18n.t_pairs(
        lang,
        "budget-category-facts",
        &[
            ("budget", money::format(k.budget, lang)),
            ("min", money::format(k.min_cost, lang)),
            ("max", money::format(k.max_cost, lang)),
        ],
    );
    format!("{facts} {}", rule_text(state, lang, k))
}

pub(crate) fn category_view(page: &Page, category: &Category) -> Value {
    context! {
        id => category.id.to_string(),
        name => category.name(page.lang),
        budget => money::format(category.budget, page.lang),
        budget_kopiykas => category.budget,
        min_cost => money::format(category.min_cost, page.lang),
        max_cost => money::format(category.max_cost, page.lang),
        rule => category.voting_rule().code(),
        up_to => category.voting_rule().up_to(),
        rule_text => rule_text(&page.state, page.lang, category),
    }
}

pub(crate) fn project_summary(page: &Page, p: &Project) -> Value {
    context! {
        number => p.number,
        href => page.url(&format!("/budget/projects/{}", p.number)),
        title => &p.title,
        summary => &p.summary,
        cost => money::format(p.cost, page.lang),
        cost_kopiykas => p.cost,
        status => &p.status,
        status_label => page.t(&format!("budget-status-{}", p.status)),
        category => p.category_id.to_string(),
        author => &p.author_name,
    }
}

async fn index(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let today = today(&state);
    let contests: Vec<Value> =
        store::contests(&state.db, tenant.community.id).await?.iter().map(|c| contest_view(&page, c, today)).collect();
    let mine: Vec<Value> = match &page.viewer.user {
        Some(u) => {
            let mut mine = store::by_author(&state.db, tenant.community.id, u.id).await?;
            mine.extend(store::coauthored(&state.db, tenant.community.id, u.id).await?);
            mine.iter().map(|p| project_summary(&page, p)).collect()
        }
        None => vec![],
    };
    page.render("budget/index.html", context! { contests => contests, mine => mine })
}

async fn contest_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let today = today(&state);
    let phase = c.phase_at(today);
    let spans: Vec<Value> = c
        .timeline()
        .spans()
        .iter()
        .map(|s| {
            context! {
                label => page.t(&format!("budget-phase-{}", s.phase.code())),
                from => date(s.from),
                to => s.to.map(date),
                current => s.phase == phase,
                past => s.to.is_some_and(|to| to < today),
            }
        })
        .collect();
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let projects = store::projects(&state.db, tenant.community.id, c.id, &[]).await?;
    let groups: Vec<Value> = categories
        .iter()
        .map(|k| {
            let list: Vec<Value> = projects
                .iter()
                .filter(|p| p.category_id == k.id && p.status().public())
                .map(|p| project_summary(&page, p))
                .collect();
            context! { category => category_view(&page, k), projects => list }
        })
        .collect();
    let voted = match &page.viewer.user {
        Some(u) => store::has_voted(&state.db, tenant.community.id, c.id, &one_person_key(u)).await?,
        None => false,
    };
    page.render(
        "budget/contest.html",
        context! {
            c => contest_view(&page, &c, today),
            description => Value::from_safe_string(hromada_web::markdown::render(&c.description)),
            spans => spans,
            groups => groups,
            submitting => phase == Phase::Submission,
            voting => phase == Phase::Voting,
            shows_results => phase.shows_results(),
            implementing => phase >= Phase::Results,
            voted => voted,
            min_age => c.rules.min_age,
            residents_only => c.rules.residents_only,
            accept_idp => c.rules.accept_idp,
            changeable => c.rules.changeable_ballots,
            supports_needed => c.rules.supports_needed,
            vote_level => page.t(&format!("level-{}", hromada_web::module::required_level(&tenant.community, &VOTE).code())),
        },
    )
}

// ---------- writing a project ----------

/// What is wrong with a cost breakdown, with the line it is on.
pub(crate) fn cost_error(page: &Page, e: &domain::CostLineError) -> String {
    let text = page.t(e.key);
    if e.line == 0 {
        text
    } else {
        format!("{} {text}", page.t_with("budget-cost-line", &[("line", e.line.to_string())]))
    }
}

pub(crate) fn refusal_key(e: Ineligible, authoring: bool) -> &'static str {
    match (e, authoring) {
        (Ineligible::AgeUnknown, _) => "budget-refused-age-unknown",
        (Ineligible::UnderAge(_), true) => "budget-author-under-age",
        (Ineligible::UnderAge(_), false) => "budget-refused-under-age",
        (Ineligible::NotResident, true) => "budget-author-not-resident",
        (Ineligible::NotResident, false) => "budget-refused-not-resident",
    }
}

async fn project_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let p = store::project_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let coauthors = store::coauthors(&state.db, tenant.community.id, p.id).await?;
    let own =
        page.viewer.user.as_ref().is_some_and(|u| u.id == p.author_id || coauthors.iter().any(|(id, _)| *id == u.id));
    // A draft is its authors' and the commission's; everything else is public.
    if !(p.status().public() || own || page.viewer.may(hromada_kernel::Permission::Moderate)) {
        return Err(AppError::NotFound);
    }
    let c = store::contest(&state.db, tenant.community.id, p.contest_id).await?.ok_or(AppError::NotFound)?;
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let category = categories.iter().find(|k| k.id == p.category_id).map(|k| category_view(&page, k));
    let items: Vec<Value> = p
        .items
        .iter()
        .map(|i| {
            context! {
                name => &i.name, quantity => i.quantity, comment => &i.comment,
                price => money::format(i.unit_price, page.lang),
                total => money::format(i.total().unwrap_or(0), page.lang),
            }
        })
        .collect();
    let events: Vec<Value> = store::timeline(&state.db, tenant.community.id, p.id)
        .await?
        .iter()
        .map(|e| context! { at => e.at.to_rfc3339(), label => page.t(&format!("budget-status-{}", e.status)), note => &e.note })
        .collect();
    let checklist: Vec<Value> = domain::CHECKLIST
        .iter()
        .filter_map(|key| {
            p.checklist.get(*key).map(|ok| context! { label => page.t(&format!("budget-check-{key}")), ok => ok })
        })
        .collect();
    let phase = c.phase_at(today(&state));
    let updates = store::progress(&state.db, tenant.community.id, p.id).await?;
    let extras = crate::authoring::extras(&state, &page, &c, &p, &coauthors).await?;
    let overdue = p.status() == domain::ProjectStatus::Returned && p.revise_by.is_some_and(|d| today(&state) > d);
    let may_submit = own && !overdue && domain::transition(p.status(), ProjectAction::Submit, phase).is_ok();
    let supporting = c.rules.supports_needed > 0 && domain::may_support(p.status(), phase, own).is_ok();
    let supported = match (&page.viewer.user, supporting) {
        (Some(u), true) => store::has_supported(&state.db, tenant.community.id, p.id, &one_person_key(u)).await?,
        _ => false,
    };
    page.render(
        "budget/project.html",
        context! {
            p => project_summary(&page, &p),
            c => contest_view(&page, &c, today(&state)),
            category => category,
            body => Value::from_safe_string(hromada_web::markdown::render(&p.body)),
            address => &p.address,
            point => p.lat.zip(p.lon).map(|(lat, lon)| context! { lat => lat, lon => lon }),
            items => items,
            commented => p.items.iter().any(|i| !i.comment.is_empty()),
            claimed => (p.cost_claimed != p.cost).then(|| money::format(p.cost_claimed, page.lang)),
            checklist => checklist,
            review_note => &p.review_note,
            rejection => p.rejection_reason.as_ref().map(|r| page.t(&format!("budget-rejection-{r}"))),
            revise_by => p.revise_by.map(date),
            events => events,
            editable => own && p.status().editable() && phase < Phase::Voting,
            may_submit => may_submit,
            supports => p.supports,
            supports_needed => c.rules.supports_needed,
            supporting => supporting,
            supported => supported,
            updates => crate::implementation::updates_view(&page, &updates),
            extras => extras,
            progress_status => page.t(&format!("budget-progress-{}", p.progress_status)),
            progress_percent => p.progress_percent,
            spent => money::format(p.spent, page.lang),
        },
    )
}

/// A resident backs a submitted project in the support stage: the identity level for
/// authors, the regulation's age and residency, once per person.
async fn support(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    require_level(&page.viewer, &tenant.community, &SUBMIT)?;
    let user = page.viewer.require_user()?.clone();
    if !state.limiter.hit(&format!("budget-support:{}", user.id), 30, std::time::Duration::from_secs(60)) {
        return Err(AppError::TooManyRequests);
    }
    let p = store::project_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let c = store::contest(&state.db, tenant.community.id, p.contest_id).await?.ok_or(AppError::NotFound)?;
    let back = tenant.url(&format!("/budget/projects/{number}"));
    let today = today(&state);
    if let Err(key) = domain::may_support(p.status(), c.phase_at(today), p.author_id == user.id) {
        return Ok(page.redirect_with(&back, Flash::error(key)));
    }
    if let Err(e) = c.rules.admits(today, &eligibility_of(&user)) {
        return Ok(page.redirect_with(&back, Flash::error(refusal_key(e, false))));
    }
    if store::support(&state.db, tenant.community.id, p.id, &one_person_key(&user), state.now()).await? {
        Ok(page.redirect_with(&back, Flash::success("budget-flash-supported")))
    } else {
        Ok(page.redirect_with(&back, Flash::info("budget-support-already")))
    }
}

// ---------- voting ----------

/// The ballot as the voter sees it: each category with its admitted projects.
async fn ballot_context(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    c: &Contest,
    chosen: &[i64],
    error: Option<String>,
) -> AppResult<Value> {
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let projects = store::projects(&state.db, tenant.community.id, c.id, &["admitted"]).await?;
    let groups: Vec<Value> = categories
        .iter()
        .map(|k| {
            let list: Vec<Value> = projects
                .iter()
                .filter(|p| p.category_id == k.id)
                .map(|p| context! { info => project_summary(page, p), chosen => chosen.contains(&p.number) })
                .collect();
            context! { category => category_view(page, k), projects => list }
        })
        .collect();
    Ok(
        context! { c => contest_view(page, c, today(state)), groups => groups, error => error, changeable => c.rules.changeable_ballots },
    )
}

async fn ballot(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let user = page.viewer.require_user()?.clone();
    let back = tenant.url(&format!("/budget/{number}"));
    if let Err(refusal) = may_vote(&state, &tenant, &c, &user)? {
        return Ok(page.redirect_with(&back, Flash::error(refusal)));
    }
    let slot = domain::voter_slot(&state.config.secret, c.id, &one_person_key(&user));
    let mine = store::live_choices(&state.db, tenant.community.id, c.id, &slot).await?;
    if mine.is_some() && !c.rules.changeable_ballots {
        return Ok(page.redirect_with(&back, Flash::info("budget-refused-already-voted")));
    }
    let ctx = ballot_context(&state, &page, &tenant, &c, &mine.unwrap_or_default(), None).await?;
    page.render("budget/ballot.html", ctx)
}

/// The level the community asks of voters, then the phase and the regulation's age and
/// residency: `Err(message key)` when this person may not vote now.
pub(crate) fn may_vote(
    state: &AppState,
    tenant: &Tenant,
    c: &Contest,
    user: &User,
) -> AppResult<Result<(), &'static str>> {
    let needed = hromada_web::module::required_level(&tenant.community, &VOTE);
    if !user.identity_level().satisfies(needed) {
        return Err(AppError::IdentityRequired(needed));
    }
    let today = today(state);
    if c.phase_at(today) != Phase::Voting {
        return Ok(Err("budget-refused-not-voting"));
    }
    Ok(c.rules.admits(today, &eligibility_of(user)).map_err(|e| refusal_key(e, false)))
}

/// What is wrong with a ballot, in the reader's language.
pub(crate) fn ballot_error_text(state: &AppState, lang: Lang, e: BallotError, categories: &[Category]) -> String {
    let name = |id| categories.iter().find(|k| k.id == id).map(|k| k.name(lang).to_owned()).unwrap_or_default();
    let t = |key: &str, args: &[(&str, String)]| state.i18n.t_pairs(lang, key, args);
    match e {
        BallotError::Empty => t("budget-ballot-empty", &[]),
        BallotError::NotOnBallot(n) => t("budget-ballot-not-on-ballot", &[("number", n.to_string())]),
        BallotError::TooMany { category, up_to } => {
            t("budget-ballot-too-many", &[("category", name(category)), ("count", up_to.to_string())])
        }
        BallotError::OverBudget { category } => t("budget-ballot-over-budget", &[("category", name(category))]),
    }
}

/// What came of an attempt to vote.
pub(crate) enum Casting {
    /// The phase or the regulation says no: a message key.
    Refused(&'static str),
    /// The ballot breaks a category's rule: the message, in the reader's language.
    Invalid(String),
    Done {
        outcome: BallotOutcome,
        receipt: String,
    },
}

/// Checks the phase, the regulation and each category's rule for this voter, then casts the
/// ballot through the writer (durable when this returns).
pub(crate) async fn cast_as(
    state: &AppState,
    tenant: &Tenant,
    user: &User,
    lang: Lang,
    c: &Contest,
    chosen: &[i64],
) -> AppResult<Casting> {
    if !state.limiter.hit(&format!("budget-vote:{}", user.id), 30, std::time::Duration::from_secs(60)) {
        return Err(AppError::TooManyRequests);
    }
    if let Err(refusal) = may_vote(state, tenant, c, user)? {
        return Ok(Casting::Refused(refusal));
    }
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let candidates = candidates(state, tenant, c).await?;
    let on_ballot: Vec<domain::BallotCategory> = categories.iter().map(Category::on_ballot).collect();
    let choices = match domain::check_ballot(&on_ballot, &candidates, chosen) {
        Ok(choices) => choices,
        Err(e) => return Ok(Casting::Invalid(ballot_error_text(state, lang, e, &categories))),
    };
    let voter_key = one_person_key(user);
    let receipt = hromada_web::auth::receipt_code();
    let request = BallotRequest {
        community: tenant.community.id,
        contest: c.id,
        slot: domain::voter_slot(&state.config.secret, c.id, &voter_key),
        voter_key,
        choices,
        receipt_code: receipt.clone(),
        today: today(state),
        paper: None,
    };
    let outcome = writer(state)?.submit(request).await.map_err(|e| AppError::unexpected(e.to_string()))?;
    Ok(Casting::Done { outcome, receipt })
}

pub(crate) fn writer(state: &AppState) -> AppResult<&GroupCommit<BallotWriter>> {
    state.extension::<GroupCommit<BallotWriter>>().ok_or_else(|| AppError::unexpected("no ballot writer"))
}

/// The projects on the ballot.
pub(crate) async fn candidates(state: &AppState, tenant: &Tenant, c: &Contest) -> AppResult<Vec<domain::Candidate>> {
    Ok(store::candidates(&state.db, tenant.community.id, c.id).await?)
}

async fn vote(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let user = page.viewer.require_user()?.clone();
    let back = tenant.url(&format!("/budget/{number}"));
    let chosen: Vec<i64> = fields.iter().filter(|(k, _)| k == "p").filter_map(|(_, v)| v.parse().ok()).collect();
    match cast_as(&state, &tenant, &user, page.lang, &c, &chosen).await? {
        Casting::Refused(refusal) => Ok(page.redirect_with(&back, Flash::error(refusal))),
        Casting::Invalid(message) => {
            let ctx = ballot_context(&state, &page, &tenant, &c, &chosen, Some(message)).await?;
            page.render_status(StatusCode::UNPROCESSABLE_ENTITY, "budget/ballot.html", ctx)
        }
        Casting::Done { outcome: BallotOutcome::Cast { seq, replaced }, receipt } => {
            let mut response = page.render(
                "budget/voted.html",
                context! { c => contest_view(&page, &c, today(&state)), seq => seq, receipt => receipt, replaced => replaced, back => back },
            )?;
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Casting::Done { outcome: BallotOutcome::Closed, .. } => {
            Ok(page.redirect_with(&back, Flash::error("budget-refused-not-voting")))
        }
        Casting::Done { .. } => Ok(page.redirect_with(&back, Flash::info("budget-refused-already-voted"))),
    }
}

// ---------- results ----------

async fn results_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    if !c.phase_at(today(&state)).shows_results() {
        return Err(AppError::NotFound);
    }
    let (counted, projects) = results::count(&state.db, tenant.community.id, &c).await?;
    let categories: Vec<Value> = counted
        .iter()
        .map(|r| {
            let rows: Vec<Value> = r
                .result
                .ranked
                .iter()
                .filter_map(|x| projects.get(&x.project.project).map(|p| (x, p)))
                .map(|(x, p)| {
                    context! {
                        rank => x.rank,
                        p => project_summary(&page, p),
                        votes => x.project.votes,
                        share => results::share(x.project.votes, r.votes),
                        outcome => x.outcome.code(),
                        outcome_label => page.t(&format!("budget-outcome-{}", x.outcome.code())),
                    }
                })
                .collect();
            let bars: Vec<Bar> = r
                .result
                .ranked
                .iter()
                .map(|x| Bar {
                    label: format!(
                        "№ {} {}",
                        x.project.number,
                        projects.get(&x.project.project).map(|p| p.title.as_str()).unwrap_or("")
                    ),
                    value: x.project.votes,
                    winner: x.outcome == domain::Outcome::Winner,
                })
                .collect();
            context! {
                category => category_view(&page, &r.category),
                rows => rows,
                used => money::format(r.result.used, page.lang),
                left => money::format(r.result.budget - r.result.used, page.lang),
                votes => r.votes,
                chart => Value::from_safe_string(results::bar_chart(&bars)),
            }
        })
        .collect();
    let turnout = store::turnout(&state.db, tenant.community.id, c.id).await?;
    let by: HashMap<String, i64> = turnout.into_iter().collect();
    page.render(
        "budget/results.html",
        context! {
            c => contest_view(&page, &c, today(&state)),
            categories => categories,
            web_voters => by.get("web").copied().unwrap_or(0),
            paper_voters => by.get("paper").copied().unwrap_or(0),
            head => hex::encode(&c.chain_head),
            chain_length => c.chain_length,
            live => c.phase_at(today(&state)) == Phase::Voting,
        },
    )
}

async fn results_csv(State(state): State<AppState>, tenant: Tenant, Path(number): Path<i64>) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    if !c.phase_at(today(&state)).shows_results() {
        return Err(AppError::NotFound);
    }
    let (counted, projects) = results::count(&state.db, tenant.community.id, &c).await?;
    let mut csv =
        hromada_web::export::Csv::new(&["category", "rank", "number", "title", "cost", "votes", "share", "outcome"]);
    for r in &counted {
        for x in &r.result.ranked {
            let title = projects.get(&x.project.project).map(|p| p.title.as_str()).unwrap_or("");
            csv.row(&[
                r.category.name(Lang::Uk),
                &x.rank.to_string(),
                &x.project.number.to_string(),
                title,
                &money::for_file(x.project.cost),
                &x.project.votes.to_string(),
                &results::share(x.project.votes, r.votes),
                x.outcome.code(),
            ]);
        }
    }
    Ok(csv.into_download(&format!("budget-{number}-results.csv")))
}

#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

async fn ballots_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let n = q.page.unwrap_or(1).max(1);
    let per = 100;
    let entries = store::chain(&state.db, tenant.community.id, c.id, (n - 1) * per, per + 1).await?;
    let more = entries.len() as i64 > per;
    let rows: Vec<_> = entries.into_iter().take(per as usize).collect();
    page.render(
        "budget/ballots.html",
        context! {
            c => contest_view(&page, &c, today(&state)), entries => Serde(&rows), page => n, more => more,
            head => hex::encode(&c.chain_head), chain_length => c.chain_length, contest_id => c.id.to_string(),
        },
    )
}
