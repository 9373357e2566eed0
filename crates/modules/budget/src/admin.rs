//! Officials' pages: contests with their regulation, phases and categories (settings), and the
//! review commission's work on each project — the feasibility checklist, cost corrections with
//! a note, and the decision: admitted, rejected with a reason, or returned for revision by a date.

use crate::domain::{self, CategoryRules, ContestRules, ProjectAction, RejectionReason, Timeline, VotingRule};
use crate::store::{self, ContestSettings, Review};
use crate::web::{category_view, contest_view, project_summary, today};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use hromada_db::core::audit::Actor;
use hromada_kernel::{Permission, money};
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/new", get(new_contest).post(create_contest))
        .route("/{contest}", get(edit_contest).post(save_contest))
        .route("/{contest}/categories", post(save_category))
        .route("/projects/{number}", get(review_page).post(review))
        .merge(crate::desk::routes())
        .merge(crate::implementation::admin_routes())
}

async fn overview(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::Moderate)?;
    let today = today(&state);
    let mut contests = vec![];
    for c in store::contests(&state.db, tenant.community.id).await? {
        let waiting: Vec<Value> = store::projects(&state.db, tenant.community.id, c.id, &["submitted"])
            .await?
            .iter()
            .map(|p| context! { info => project_summary(&page, p), submitted_at => p.submitted_at.map(|t| t.to_rfc3339()) })
            .collect();
        let returned = store::projects(&state.db, tenant.community.id, c.id, &["returned"]).await?.len();
        let conflicts =
            store::conflicts(&state.db, tenant.community.id, c.id).await?.iter().filter(|x| x.status == "open").count();
        contests.push(context! {
            c => contest_view(&page, &c, today), waiting => waiting, returned => returned, conflicts => conflicts,
        });
    }
    page.render(
        "budget/admin.html",
        context! { contests => contests, may_set => viewer.may(Permission::ManageSettings) },
    )
}

// ---------- contests ----------

#[derive(Debug, Deserialize, Serialize)]
pub struct ContestForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    total_budget: String,
    #[serde(default)]
    submission_from: String,
    #[serde(default)]
    submission_to: String,
    #[serde(default)]
    review_to: String,
    #[serde(default)]
    revision_to: String,
    #[serde(default)]
    voting_to: String,
    #[serde(default)]
    results_to: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    residents_only: Option<String>,
    #[serde(default)]
    accept_idp: Option<String>,
    #[serde(default)]
    changeable_ballots: Option<String>,
    #[serde(default)]
    min_votes_to_win: String,
    #[serde(default)]
    supports_needed: String,
    #[serde(default)]
    questionnaire: String,
}

impl ContestForm {
    fn of(s: &ContestSettings) -> Self {
        let t = s.timeline;
        let on = |b: bool| b.then(|| "1".to_owned());
        ContestForm {
            title: s.title.clone(),
            title_en: s.title_en.clone().unwrap_or_default(),
            description: s.description.clone(),
            total_budget: money::for_file(s.total_budget),
            submission_from: t.submission_from.to_string(),
            submission_to: t.submission_to.to_string(),
            review_to: t.review_to.to_string(),
            revision_to: t.revision_to.to_string(),
            voting_to: t.voting_to.to_string(),
            results_to: t.results_to.to_string(),
            min_age: s.rules.min_age.to_string(),
            residents_only: on(s.rules.residents_only),
            accept_idp: on(s.rules.accept_idp),
            changeable_ballots: on(s.rules.changeable_ballots),
            min_votes_to_win: s.rules.min_votes_to_win.to_string(),
            supports_needed: s.rules.supports_needed.to_string(),
            questionnaire: domain::questionnaire_text(&s.rules.questions),
        }
    }

    fn check(&self, page: &Page) -> Result<ContestSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.add("title", "budget-error-title");
        }
        let total_budget = money::parse(&self.total_budget).ok().filter(|t| *t > 0);
        if total_budget.is_none() {
            errors.add("total_budget", "budget-error-money");
        }
        let mut day = |field: &str, value: &str| match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                errors.add(field, "budget-error-date");
                NaiveDate::MIN
            }
        };
        let timeline = Timeline {
            submission_from: day("submission_from", &self.submission_from),
            submission_to: day("submission_to", &self.submission_to),
            review_to: day("review_to", &self.review_to),
            revision_to: day("revision_to", &self.revision_to),
            voting_to: day("voting_to", &self.voting_to),
            results_to: day("results_to", &self.results_to),
        };
        if errors.0.keys().all(|k| !k.ends_with("_from") && !k.ends_with("_to"))
            && let Err(domain::InvalidRule(field)) = timeline.validate()
        {
            errors.add(field, "budget-error-phase-order");
        }
        let rules = ContestRules {
            min_age: self.min_age.trim().parse().unwrap_or(u32::MAX),
            residents_only: self.residents_only.is_some(),
            accept_idp: self.accept_idp.is_some(),
            changeable_ballots: self.changeable_ballots.is_some(),
            min_votes_to_win: self.min_votes_to_win.trim().parse().unwrap_or(u32::MAX),
            // An empty field is no support stage.
            supports_needed: match self.supports_needed.trim() {
                "" => 0,
                n => n.parse().unwrap_or(u32::MAX),
            },
            questions: domain::parse_questionnaire(&self.questionnaire).unwrap_or_else(|e| {
                errors.add("questionnaire", crate::web::cost_error(page, &e));
                vec![]
            }),
        };
        if let Err(domain::InvalidRule(field)) = rules.validate() {
            errors.add(field, "budget-error-number");
        }
        errors.into_result()?;
        let title_en = Some(self.title_en.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(ContestSettings {
            title: title.to_owned(),
            title_en,
            description: self.description.trim().to_owned(),
            total_budget: total_budget.unwrap_or_default(),
            timeline,
            rules,
        })
    }
}

fn default_settings(today: NaiveDate) -> ContestSettings {
    let d = |n: i64| today + chrono::Duration::days(n);
    ContestSettings {
        title: String::new(),
        title_en: None,
        description: String::new(),
        total_budget: 0,
        timeline: Timeline {
            submission_from: d(14),
            submission_to: d(44),
            review_to: d(74),
            revision_to: d(84),
            voting_to: d(104),
            results_to: d(114),
        },
        rules: ContestRules::default(),
    }
}

async fn render_contest(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    contest: Option<&store::Contest>,
    form: &ContestForm,
    errors: &FieldErrors,
    category_errors: &FieldErrors,
) -> AppResult<Response> {
    let categories: Vec<Value> = match contest {
        Some(c) => store::categories(&state.db, tenant.community.id, c.id)
            .await?
            .iter()
            .map(|k| context! { view => category_view(page, k), name_uk => &k.name })
            .collect(),
        None => vec![],
    };
    let status =
        if errors.is_empty() && category_errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let rules: Vec<Value> = ["approve", "knapsack", "one"]
        .iter()
        .map(|r| context! { value => *r, label => page.t(&format!("budget-rule-name-{r}")) })
        .collect();
    page.render_status(
        status,
        "budget/contest_form.html",
        context! {
            c => contest.map(|c| contest_view(page, c, today(state))),
            form => Serde(form),
            errors => Serde(errors),
            category_errors => Serde(category_errors),
            categories => categories,
            rules => rules,
        },
    )
}

async fn new_contest(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    let form = ContestForm::of(&default_settings(today(&state)));
    render_contest(&state, &page, &tenant, None, &form, &FieldErrors::new(), &FieldErrors::new()).await
}

async fn create_contest(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<ContestForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::ManageSettings)?;
    let settings = match form.check(&page) {
        Ok(s) => s,
        Err(errors) => return render_contest(&state, &page, &tenant, None, &form, &errors, &FieldErrors::new()).await,
    };
    let c = store::create_contest(&state.db, tenant.community.id, &settings, state.now()).await?;
    state
        .audit(Some(tenant.community.id), &Actor::user(user), "budget.contest.create", "budget_contest", c.id, &c.title)
        .await?;
    Ok(page.redirect_with(
        &tenant.url(&format!("/admin/budget/{}", c.number)),
        Flash::success("budget-flash-contest-saved"),
    ))
}

async fn edit_contest(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    let c = crate::web::contest_by_number(&state, &tenant, number).await?;
    let settings = c.settings();
    render_contest(
        &state,
        &page,
        &tenant,
        Some(&c),
        &ContestForm::of(&settings),
        &FieldErrors::new(),
        &FieldErrors::new(),
    )
    .await
}

async fn save_contest(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    Form(form): Form<ContestForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::ManageSettings)?;
    let c = crate::web::contest_by_number(&state, &tenant, number).await?;
    let settings = match form.check(&page) {
        Ok(s) => s,
        Err(errors) => {
            return render_contest(&state, &page, &tenant, Some(&c), &form, &errors, &FieldErrors::new()).await;
        }
    };
    let budgets =
        store::categories(&state.db, tenant.community.id, c.id).await?.iter().map(|k| k.budget).collect::<Vec<_>>();
    if !domain::fits_total(settings.total_budget, budgets) {
        let mut errors = FieldErrors::new();
        errors.add("total_budget", "budget-error-categories-over-total");
        return render_contest(&state, &page, &tenant, Some(&c), &form, &errors, &FieldErrors::new()).await;
    }
    // Once voting has started, who may vote and how ballots count are fixed; dates and texts
    // may still be corrected (a deadline extended by the council's decision, a typo).
    if c.phase_at(today(&state)) >= domain::Phase::Voting && settings.rules != c.rules.0 {
        let mut errors = FieldErrors::new();
        errors.add("min_age", "budget-error-locked");
        return render_contest(&state, &page, &tenant, Some(&c), &form, &errors, &FieldErrors::new()).await;
    }
    store::update_contest(&state.db, tenant.community.id, c.id, &settings).await?;
    state
        .audit(
            Some(tenant.community.id),
            &Actor::user(user),
            "budget.contest.update",
            "budget_contest",
            c.id,
            &settings.title,
        )
        .await?;
    Ok(page
        .redirect_with(&tenant.url(&format!("/admin/budget/{number}")), Flash::success("budget-flash-contest-saved")))
}

#[derive(Debug, Deserialize)]
pub struct CategoryForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    min_cost: String,
    #[serde(default)]
    max_cost: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    up_to: String,
}

async fn save_category(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    Form(f): Form<CategoryForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::ManageSettings)?;
    let c = crate::web::contest_by_number(&state, &tenant, number).await?;
    let back = tenant.url(&format!("/admin/budget/{number}"));
    if c.phase_at(today(&state)) >= domain::Phase::Voting {
        return Ok(page.redirect_with(&back, Flash::error("budget-error-locked")));
    }
    let mut errors = FieldErrors::new();
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        errors.add("name", "budget-error-category-name");
    }
    let mut sum = |field: &str, value: &str| {
        money::parse(value).unwrap_or_else(|_| {
            errors.add(field, "budget-error-money");
            0
        })
    };
    let (budget, min_cost, max_cost) =
        (sum("budget", &f.budget), sum("min_cost", &f.min_cost), sum("max_cost", &f.max_cost));
    let rule = VotingRule::parse(&f.rule, f.up_to.trim().parse().unwrap_or(0));
    if rule.is_none() {
        errors.add("rule", "budget-error-rule");
    }
    let rules = CategoryRules { budget, min_cost, max_cost, rule: rule.unwrap_or(VotingRule::One) };
    if errors.is_empty()
        && let Err(domain::InvalidRule(field)) = rules.validate()
    {
        errors.add(field, format!("budget-error-category-{field}"));
    }
    let id = Uuid::parse_str(f.id.trim()).ok();
    let name_en = Some(f.name_en.trim()).filter(|n| !n.is_empty());
    if errors.is_empty()
        && store::save_category(&state.db, tenant.community.id, c.id, id, name, name_en, rules).await?.is_none()
    {
        errors.add("budget", "budget-error-categories-over-total");
    }
    if !errors.is_empty() {
        let settings = c.settings();
        return render_contest(
            &state,
            &page,
            &tenant,
            Some(&c),
            &ContestForm::of(&settings),
            &FieldErrors::new(),
            &errors,
        )
        .await;
    }
    state
        .audit(Some(tenant.community.id), &Actor::user(user), "budget.category.save", "budget_contest", c.id, name)
        .await?;
    Ok(page
        .redirect_with(&tenant.url(&format!("/admin/budget/{number}")), Flash::success("budget-flash-category-saved")))
}

// ---------- review ----------

async fn render_review(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    number: i64,
    errors: &FieldErrors,
    costs: Option<&str>,
) -> AppResult<Response> {
    let p = store::project_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let c = store::contest(&state.db, tenant.community.id, p.contest_id).await?.ok_or(AppError::NotFound)?;
    let category = store::categories(&state.db, tenant.community.id, c.id)
        .await?
        .into_iter()
        .find(|k| k.id == p.category_id)
        .map(|k| category_view(page, &k));
    let checklist: Vec<Value> = domain::CHECKLIST
        .iter()
        .map(|key| context! { key => *key, label => page.t(&format!("budget-check-{key}")), ok => p.checklist.get(*key).copied().unwrap_or(false) })
        .collect();
    let reasons: Vec<Value> = RejectionReason::ALL
        .iter()
        .map(|r| context! { value => r.code(), label => page.t(&format!("budget-rejection-{}", r.code())) })
        .collect();
    let phase = c.phase_at(today(state));
    let actions: Vec<&str> = [ProjectAction::Admit, ProjectAction::Return, ProjectAction::Reject]
        .into_iter()
        .filter(|a| domain::transition(p.status(), *a, phase).is_ok())
        .map(action_code)
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    page.render_status(
        status,
        "budget/review.html",
        context! {
            p => project_summary(page, &p),
            c => contest_view(page, &c, today(state)),
            category => category,
            body => Value::from_safe_string(hromada_web::markdown::render(&p.body)),
            costs => costs.map(str::to_owned).unwrap_or_else(|| domain::costs_text(&p.items.0)),
            claimed => money::format(p.cost_claimed, page.lang),
            checklist => checklist,
            reasons => reasons,
            note => &p.review_note,
            actions => actions,
            supports => p.supports,
            supports_needed => c.rules.supports_needed,
            errors => Serde(errors),
            progress_status => page.t(&format!("budget-progress-{}", p.progress_status)),
            progress_percent => p.progress_percent,
            spent => money::format(p.spent, page.lang),
            progress_statuses => domain::PROGRESS
                .iter()
                .map(|s| context! { value => *s, label => page.t(&format!("budget-progress-{s}")) })
                .collect::<Vec<_>>(),
        },
    )
}

/// Mails the commission's decision to the author and the co-authors (and, through the linked
/// accounts, to their chat).
async fn tell_authors(state: &AppState, tenant: &Tenant, p: &store::Project, action: ProjectAction) -> AppResult<()> {
    let mut to = vec![p.author_id];
    to.extend(store::coauthors(&state.db, tenant.community.id, p.id).await?.into_iter().map(|(id, _)| id));
    let link = tenant.absolute_url(state, &format!("/budget/projects/{}", p.number)).await;
    let number = p.number.to_string();
    let date = p.revise_by.map(crate::web::date).unwrap_or_default();
    let values = [
        ("title", p.title.as_str()),
        ("number", number.as_str()),
        ("link", link.as_str()),
        ("note", p.review_note.as_str()),
        ("date", date.as_str()),
    ];
    let key = format!("budget-mail-{}", action_code(action));
    hromada_web::mail::to_accounts(state, &tenant.community, &to, &key, &values)
        .await
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    Ok(())
}

fn action_code(a: ProjectAction) -> &'static str {
    match a {
        ProjectAction::Admit => "admit",
        ProjectAction::Return => "return",
        ProjectAction::Reject => "reject",
        ProjectAction::Submit => "submit",
    }
}

async fn review_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    viewer.require(Permission::Moderate)?;
    render_review(&state, &page, &tenant, number, &FieldErrors::new(), None).await
}

async fn review(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::Moderate)?;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("");
    let p = store::project_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let action = match field("action") {
        "admit" => Some(ProjectAction::Admit),
        "return" => Some(ProjectAction::Return),
        "reject" => Some(ProjectAction::Reject),
        _ => None,
    };
    let Some(action) = action else { return Err(AppError::Conflict("budget-error-step")) };
    let items = match domain::parse_costs(field("costs")) {
        Ok(items) => Some(items),
        Err(e) => {
            errors.add("costs", crate::web::cost_error(&page, &e));
            None
        }
    };
    let note = field("note");
    if note.chars().count() > 5000 {
        errors.add("note", "budget-error-note");
    }
    let reason = RejectionReason::parse(field("reason"));
    if action == ProjectAction::Reject && reason.is_none() {
        errors.add("reason", "budget-error-reason");
    }
    let revise_by = NaiveDate::parse_from_str(field("revise_by"), "%Y-%m-%d").ok();
    if action == ProjectAction::Return && revise_by.is_none_or(|d| d < today(&state)) {
        errors.add("revise_by", "budget-error-revise-by");
    }
    if (action == ProjectAction::Reject || action == ProjectAction::Return) && note.is_empty() {
        errors.add("note", "budget-error-note-needed");
    }
    if !errors.is_empty() {
        return render_review(&state, &page, &tenant, number, &errors, Some(field("costs"))).await;
    }
    let checklist = domain::CHECKLIST
        .iter()
        .map(|k| ((*k).to_owned(), fields.iter().any(|(name, v)| name == "check" && v == k)))
        .collect();
    let review = Review {
        checklist,
        items,
        note: note.to_owned(),
        rejection_reason: reason.map(|r| r.code().to_owned()),
        revise_by,
    };
    match store::step(&state.db, tenant.community.id, p.id, action, Some(user.id), &review, state.now(), today(&state))
        .await
    {
        Ok(done) => {
            let what = format!("budget.project.{}", action_code(action));
            state
                .audit(Some(tenant.community.id), &Actor::user(user), &what, "budget_project", p.id, &done.title)
                .await?;
            tell_authors(&state, &tenant, &done, action).await?;
            Ok(page.redirect_with(&tenant.url("/admin/budget"), Flash::success("budget-flash-reviewed")))
        }
        Err(store::StepError::NotEnoughSupports(..)) => {
            let mut errors = FieldErrors::new();
            errors.add("action", "budget-error-supports");
            render_review(&state, &page, &tenant, number, &errors, Some(field("costs"))).await
        }
        Err(store::StepError::Transition(_) | store::StepError::RevisionOverdue(_)) => {
            Err(AppError::Conflict("budget-error-step"))
        }
        Err(store::StepError::Db(e)) => Err(e.into()),
    }
}
