//! Officials' pages: the moderation queue with its legal due dates, publishing, refusing with
//! a reason, returning for changes, and answering a petition that reached the threshold.

use crate::domain::{Action, Decision, RefusalReason};
use crate::notify::{self, Notice};
use crate::store;
use crate::web::summary;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::core::audit::Actor;
use hromada_db::core::holidays;
use hromada_kernel::Permission;
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(queue)).route("/{number}/{step}", post(take_step))
}

async fn queue(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::Moderate)?;
    let today = state.now().date_naive();
    let row = |p: &store::Petition| -> Value {
        let overdue = p.moderation_due.is_some_and(|d| d < today) && p.status == "submitted"
            || p.consideration_due.is_some_and(|d| d < today) && p.status == "under_consideration";
        context! {
            info => summary(&page, p),
            id => p.id.to_string(),
            author => &p.author_name,
            due => p.moderation_due.filter(|_| p.status == "submitted").or(p.consideration_due).map(|d| d.format("%d.%m.%Y").to_string()),
            overdue => overdue,
        }
    };
    let submitted: Vec<Value> =
        store::in_status(&state.db, tenant.community.id, "submitted", 200).await?.iter().map(row).collect();
    let considering: Vec<Value> =
        store::in_status(&state.db, tenant.community.id, "under_consideration", 200).await?.iter().map(row).collect();
    let reasons: Vec<Value> = RefusalReason::ALL
        .iter()
        .map(|r| context! { value => r.code(), label => page.t(&format!("petition-refusal-{}", r.code())) })
        .collect();
    let decisions: Vec<Value> = Decision::ALL
        .iter()
        .map(|d| context! { value => d.code(), label => page.t(&format!("petition-decision-{}", d.code())) })
        .collect();
    page.render(
        "petitions/admin.html",
        context! { submitted => submitted, considering => considering, reasons => reasons, decisions => decisions },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

async fn take_step(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((number, step)): Path<(i64, String)>,
    Form(form): Form<StepForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::Moderate)?;
    let back = tenant.url("/admin/petitions");
    let note = form.note.trim();
    let action = match step.as_str() {
        "publish" => Action::Publish,
        "return" => Action::ReturnForChanges,
        "refuse" => match RefusalReason::parse(&form.reason) {
            Some(reason) if !note.is_empty() => Action::Refuse(reason),
            _ => return Ok(page.redirect_with(&back, Flash::error("petition-error-refusal-needs-reason"))),
        },
        "answer" => match Decision::parse(&form.decision) {
            Some(decision) if note.chars().count() >= 20 => Action::Answer(decision),
            _ => return Ok(page.redirect_with(&back, Flash::error("petition-error-answer-needs-text"))),
        },
        _ => return Err(AppError::NotFound),
    };
    let p = store::by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let calendar = holidays::calendar(&state.db).await?;
    match store::step(&state.db, tenant.community.id, p.id, action, Some(me.id), note, &calendar, state.now()).await {
        Ok(updated) => {
            let c = &tenant.community;
            let notice = match action {
                Action::Publish => Notice::Published,
                Action::ReturnForChanges => Notice::Returned,
                Action::Refuse(_) => Notice::Refused,
                _ => Notice::Answered,
            };
            notify::author(&state, c, &updated, notice).await?;
            if matches!(action, Action::Answer(_)) {
                notify::signers(&state, c, &updated, Notice::Answered).await?;
            }
        }
        Err(store::StepError::Transition(_)) => {
            return Ok(page.redirect_with(&back, Flash::error("petition-error-step")));
        }
        Err(store::StepError::Db(e)) => return Err(e.into()),
    }
    let actor = Actor { kind: "user", id: Some(me.id), label: me.full_name.clone() };
    state.audit(Some(tenant.community.id), &actor, &format!("petition.{step}"), "petition", p.id, &p.title).await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}
