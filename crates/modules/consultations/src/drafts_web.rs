//! Pages of a consultation on a draft decision: residents read the sections, comment and
//! reply, support or oppose; officials moderate, reply, decide on each proposal and publish
//! the report (printable page and CSV).

use crate::RESPOND;
use crate::admin::day_start;
use crate::drafts::{self, Comment, Decision, Draft, DraftError, Section};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};

use hromada_db::core::audit::Actor;
use hromada_kernel::{LocalizedText, Permission};
use hromada_web::auth::{Viewer, one_person_key};
use hromada_web::export::Csv;
use hromada_web::module::require_level;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consultations", get(list))
        .route("/consultations/{id}", get(show))
        .route("/consultations/{id}/comments", post(add_comment))
        .route("/consultations/{id}/comments/{comment}/stance", post(stance))
        .route("/consultations/{id}/report.csv", get(report_csv))
}

pub fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/drafts", get(admin_list).post(create))
        .route("/drafts/{id}", get(admin_draft))
        .route("/drafts/{id}/comments/{comment}/{step}", post(admin_step))
        .route("/drafts/{id}/report", post(publish_report))
}

fn draft_error_key(e: &DraftError) -> &'static str {
    match e {
        DraftError::Empty => "draft-error-empty",
        DraftError::Dates => "survey-error-dates",
        DraftError::Closed => "draft-error-closed",
        DraftError::NoSection | DraftError::BadParent => "draft-error-target",
        DraftError::BadText => "draft-error-text",
        DraftError::NeedsReason => "draft-error-reason",
        DraftError::ReportPublished => "draft-error-report-published",
        DraftError::Db(_) => "draft-error-target",
    }
}

fn summary(page: &Page, d: &Draft) -> Value {
    context! {
        id => d.id.to_string(),
        title => d.title.get(page.lang),
        href => page.url(&format!("/consultations/{}", d.id)),
        admin => page.url(&format!("/admin/consultations/drafts/{}", d.id)),
        open => d.is_open(page.state.now()),
        closes => d.closes_at.format("%d.%m.%Y").to_string(),
        report => d.report_published_at.is_some(),
    }
}

/// Comments of one section as the page nests them: top-level comments with their replies.
fn threads(page: &Page, comments: &[Comment], section: usize) -> Vec<Value> {
    let view = |c: &Comment| {
        context! {
            id => c.id.to_string(), author => &c.author_name, body => &c.body, status => &c.status,
            at => c.created_at.format("%d.%m.%Y").to_string(), supports => c.supports, opposes => c.opposes,
            reply => c.official_reply.as_deref(), note => c.moderation_note.as_deref(),
            decision => c.decision.as_deref().map(|d| page.t(&format!("draft-decision-{d}"))),
            decision_code => c.decision.as_deref(), reason => c.decision_reason.as_deref(),
        }
    };
    comments
        .iter()
        .filter(|c| c.section == section as i64 && c.parent_id.is_none())
        .map(|top| {
            let replies: Vec<Value> = comments.iter().filter(|r| r.parent_id == Some(top.id)).map(view).collect();
            context! { comment => view(top), replies => replies }
        })
        .collect()
}

async fn list(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let now = state.now();
    let all = drafts::list(&state.db, tenant.community.id).await?;
    let shown: Vec<Value> = all.iter().filter(|d| d.opens_at <= now).map(|d| summary(&page, d)).collect();
    page.render("consultations/drafts.html", context! { drafts => shown })
}

async fn published(state: &AppState, tenant: &Tenant, id: Uuid) -> AppResult<Draft> {
    let d = drafts::get(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    if d.opens_at > state.now() {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

async fn show(State(state): State<AppState>, page: Page, tenant: Tenant, Path(id): Path<Uuid>) -> AppResult<Response> {
    let d = published(&state, &tenant, id).await?;
    let comments = drafts::comments(&state.db, &d, true).await?;
    let sections: Vec<Value> = d
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| context! { index => i, title => &s.title, text => &s.text, threads => threads(&page, &comments, i) })
        .collect();
    page.render(
        "consultations/draft.html",
        context! { d => summary(&page, &d), summary_text => &d.summary, sections => sections, report => report_rows(&page, &d, &comments) },
    )
}

/// The report's rows: every proposal with its decision, once the report is published.
fn report_rows(page: &Page, d: &Draft, comments: &[Comment]) -> Option<Vec<Value>> {
    d.report_published_at?;
    Some(
        comments
            .iter()
            .filter(|c| c.parent_id.is_none() && c.status == "published")
            .map(|c| {
                context! {
                    section => d.sections.get(c.section as usize).map(|s| s.title.as_str()),
                    author => &c.author_name, body => &c.body,
                    decision => c.decision.as_deref().map(|x| page.t(&format!("draft-decision-{x}"))),
                    reason => c.decision_reason.as_deref(),
                }
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    section: usize,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    body: String,
}

async fn add_comment(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    require_level(&viewer, &tenant.community, &RESPOND)?;
    let user = viewer.require_user()?;
    let d = published(&state, &tenant, id).await?;
    let back = tenant.url(&format!("/consultations/{id}"));
    if !state.limiter.hit(&format!("draft-comment:{}", user.id), 30, std::time::Duration::from_secs(3600)) {
        return Err(AppError::TooManyRequests);
    }
    let parent = Uuid::parse_str(form.parent.trim()).ok();
    match drafts::comment(&state.db, &d, form.section, parent, user.id, &user.full_name, &form.body, state.now()).await
    {
        Ok(_) => Ok(page.redirect_with(&back, Flash::success("draft-flash-comment"))),
        Err(DraftError::Db(e)) => Err(e.into()),
        Err(e) => Ok(page.redirect_with(&back, Flash::error(draft_error_key(&e)))),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct StanceForm {
    #[serde(default)]
    support: String,
}

async fn stance(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, comment)): Path<(Uuid, Uuid)>,
    Form(form): Form<StanceForm>,
) -> AppResult<Response> {
    require_level(&viewer, &tenant.community, &RESPOND)?;
    let user = viewer.require_user()?;
    let d = published(&state, &tenant, id).await?;
    let back = tenant.url(&format!("/consultations/{id}"));
    if !d.is_open(state.now()) {
        return Ok(page.redirect_with(&back, Flash::error("draft-error-closed")));
    }
    match drafts::take_stance(&state.db, &d, comment, &one_person_key(user), form.support == "yes").await {
        Ok(()) => Ok(page.redirect_with(&back, Flash::success("draft-flash-stance"))),
        Err(DraftError::Db(e)) => Err(e.into()),
        Err(e) => Ok(page.redirect_with(&back, Flash::error(draft_error_key(&e)))),
    }
}

async fn report_csv(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let d = published(&state, &tenant, id).await?;
    if d.report_published_at.is_none() {
        return Err(AppError::NotFound);
    }
    let comments = drafts::comments(&state.db, &d, true).await?;
    let mut csv = Csv::new(&["section", "author", "proposal", "decision", "reason"]);
    for c in comments.iter().filter(|c| c.parent_id.is_none()) {
        let section = d.sections.get(c.section as usize).map(|s| s.title.as_str()).unwrap_or("");
        let decision = c.decision.as_deref().map(|x| page.t(&format!("draft-decision-{x}"))).unwrap_or_default();
        csv.row(&[section, &c.author_name, &c.body, &decision, c.decision_reason.as_deref().unwrap_or("")]);
    }
    Ok(csv.into_download(&format!("consultation-report-{id}.csv")))
}

// ---------- officials ----------

async fn admin_list(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::Moderate)?;
    let all: Vec<Value> =
        drafts::list(&state.db, tenant.community.id).await?.iter().map(|d| summary(&page, d)).collect();
    page.render(
        "consultations/drafts_admin.html",
        context! { drafts => all, today => state.now().date_naive().to_string() },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct DraftForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    /// Sections as `## Title` lines, each followed by its text.
    #[serde(default)]
    text: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
}

/// Splits the act's text at `## ` headings; text before the first heading is an untitled section.
pub fn split_sections(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = vec![];
    let mut current = Section { title: String::new(), text: String::new() };
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            if !current.text.trim().is_empty() || !current.title.is_empty() {
                sections.push(std::mem::replace(&mut current, Section { title: String::new(), text: String::new() }));
            }
            current.title = title.trim().to_owned();
        } else {
            current.text.push_str(line);
            current.text.push('\n');
        }
    }
    sections.push(current);
    sections.into_iter().filter(|s| !s.text.trim().is_empty()).collect()
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::Moderate)?;
    let back = tenant.url("/admin/consultations/drafts");
    let (Some(opens), Some(closes)) = (day_start(&form.opens), day_start(&form.closes)) else {
        return Ok(page.redirect_with(&back, Flash::error("survey-error-dates")));
    };
    let title = LocalizedText::new(form.title.trim(), None);
    let sections = split_sections(&form.text);
    let closes = closes + chrono::Duration::days(1);
    match drafts::create(
        &state.db,
        tenant.community.id,
        title,
        &form.summary,
        &sections,
        opens,
        closes,
        Some(me.id),
        state.now(),
    )
    .await
    {
        Ok(id) => {
            state
                .audit(Some(tenant.community.id), &Actor::user(me), "draft.create", "draft", id, form.title.trim())
                .await?;
            Ok(page.redirect_with(
                &tenant.url(&format!("/admin/consultations/drafts/{id}")),
                Flash::success("flash-saved"),
            ))
        }
        Err(DraftError::Db(e)) => Err(e.into()),
        Err(e) => Ok(page.redirect_with(&back, Flash::error(draft_error_key(&e)))),
    }
}

async fn managed(state: &AppState, viewer: &Viewer, tenant: &Tenant, id: Uuid) -> AppResult<Draft> {
    viewer.require(Permission::Moderate)?;
    drafts::get(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)
}

async fn admin_draft(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let d = managed(&state, &viewer, &tenant, id).await?;
    let comments = drafts::comments(&state.db, &d, false).await?;
    let sections: Vec<Value> = d
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| context! { index => i, title => &s.title, threads => threads(&page, &comments, i) })
        .collect();
    let decisions: Vec<Value> = Decision::ALL
        .iter()
        .map(|x| context! { value => x.code(), label => page.t(&format!("draft-decision-{}", x.code())) })
        .collect();
    page.render(
        "consultations/draft_admin.html",
        context! { d => summary(&page, &d), sections => sections, decisions => decisions, closed => !d.is_open(state.now()) && d.opens_at <= state.now() },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    decision: String,
}

async fn admin_step(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, comment, step)): Path<(Uuid, Uuid, String)>,
    Form(form): Form<StepForm>,
) -> AppResult<Response> {
    let d = managed(&state, &viewer, &tenant, id).await?;
    let me = viewer.require(Permission::Moderate)?;
    let back = tenant.url(&format!("/admin/consultations/drafts/{id}"));
    let done: Result<bool, DraftError> = match step.as_str() {
        "publish" => drafts::moderate(&state.db, &d, comment, true, "").await.map_err(DraftError::from),
        "hide" => drafts::moderate(&state.db, &d, comment, false, &form.text).await.map_err(DraftError::from),
        "reply" => drafts::reply(&state.db, &d, comment, me.id, &form.text).await.map_err(DraftError::from),
        "decide" => match Decision::parse(&form.decision) {
            Some(decision) => drafts::decide(&state.db, &d, comment, decision, &form.text).await.map(|()| true),
            None => Err(DraftError::NeedsReason),
        },
        _ => return Err(AppError::NotFound),
    };
    match done {
        Ok(true) => {
            state
                .audit(
                    Some(tenant.community.id),
                    &Actor::user(me),
                    &format!("draft.comment.{step}"),
                    "draft_comment",
                    comment,
                    "",
                )
                .await?;
            Ok(page.redirect_with(&back, Flash::success("flash-saved")))
        }
        Ok(false) => Err(AppError::NotFound),
        Err(DraftError::Db(e)) => Err(e.into()),
        Err(e) => Ok(page.redirect_with(&back, Flash::error(draft_error_key(&e)))),
    }
}

async fn publish_report(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let d = managed(&state, &viewer, &tenant, id).await?;
    let me = viewer.require(Permission::Moderate)?;
    let back = tenant.url(&format!("/admin/consultations/drafts/{id}"));
    match drafts::publish_report(&state.db, &d, state.now()).await {
        Ok(undecided) if undecided.is_empty() => {
            state
                .audit(Some(tenant.community.id), &Actor::user(me), "draft.report", "draft", id, d.title.get(page.lang))
                .await?;
            Ok(page.redirect_with(&back, Flash::success("draft-flash-report")))
        }
        Ok(_) => Ok(page.redirect_with(&back, Flash::error("draft-error-undecided"))),
        Err(DraftError::Db(e)) => Err(e.into()),
        Err(e) => Ok(page.redirect_with(&back, Flash::error(draft_error_key(&e)))),
    }
}

#[cfg(test)]
mod tests {
    use super::split_sections;

    #[test]
    fn the_act_is_split_at_its_headings() {
        let s = split_sections("Преамбула.\n## 1. Загальні\nТекст один.\n\n## 2. Тиша\nТекст два.\n## 3. Порожній\n");
        let titles: Vec<&str> = s.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(titles, vec!["", "1. Загальні", "2. Тиша"]);
        assert_eq!(s[2].text.trim(), "Текст два.");
    }
}
