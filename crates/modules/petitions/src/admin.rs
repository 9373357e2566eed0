//! Officials' pages: the moderation queue with its legal due dates, publishing, refusing with
//! a reason, returning for changes, and answering a petition that reached the threshold.

use crate::domain::{Action, Decision, InvalidRule, RefusalReason, Rules};
use crate::notify::{self, Notice};
use crate::web::summary;
use crate::{files, store};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::core::audit::Actor;
use hromada_db::core::{communities, holidays};
use hromada_kernel::Permission;
use hromada_media::{Accept, Limits, Upload};
use hromada_web::auth::Viewer;
use hromada_web::export::Csv;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;

/// Signatures of one petition from one network within a day worth a moderator's look; a school
/// or a CNAP hall can reach it honestly, so it is shown, never blocked.
const BURST_AT_LEAST: i64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(queue))
        .route("/settings", get(settings_page).post(save_settings))
        .route("/{number}/signers.csv", get(signers_csv))
        .route("/{number}/print", get(print_page))
        .route("/{number}/{step}", post(take_step))
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
    let mut ended: Vec<Value> = vec![];
    for status in ["passed_as_appeal", "answered", "refused", "fell_short"] {
        ended.extend(store::in_status(&state.db, tenant.community.id, status, 50).await?.iter().map(row));
    }
    let since = state.now() - chrono::TimeDelta::hours(24);
    let bursts = store::bursts(&state.db, tenant.community.id, since, BURST_AT_LEAST).await?;
    let decisions: Vec<Value> = Decision::ALL
        .iter()
        .map(|d| context! { value => d.code(), label => page.t(&format!("petition-decision-{}", d.code())) })
        .collect();
    page.render(
        "petitions/admin.html",
        context! {
            submitted => submitted, considering => considering, ended => ended, reasons => reasons, decisions => decisions,
            bursts => Serde(&bursts), burst_at_least => BURST_AT_LEAST,
            may_set_rules => viewer.may(Permission::ManageSettings),
        },
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
    mut upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(Permission::Moderate)?;
    let form: StepForm = upload.form()?;
    let back = tenant.url("/admin/petitions");
    // The answer may come with its signed document (PDF or a scan).
    let documents = upload.process("document", Accept::Documents, &Limits::default()).await;
    if let Some(key) = upload.errors.0.values().flatten().next() {
        return Ok(page.redirect_with(&back, Flash::error(key)));
    }
    let note = form.note.trim();
    let action = match step.as_str() {
        "publish" => Action::Publish,
        "archive" => Action::Archive,
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
                Action::Publish => Some(Notice::Published),
                Action::ReturnForChanges => Some(Notice::Returned),
                Action::Refuse(_) => Some(Notice::Refused),
                Action::Answer(_) => Some(Notice::Answered),
                _ => None,
            };
            match action {
                Action::Publish => files::publish(&state, c.id, updated.id).await?,
                Action::Answer(_) => {
                    for document in &documents {
                        files::save_answer(&state, c.id, updated.id, document, me.id).await?;
                    }
                }
                _ => {}
            }
            if let Some(notice) = notice {
                notify::author(&state, c, &updated, notice).await?;
            }
            if matches!(action, Action::Answer(_)) {
                notify::signers(&state, c, &updated, Notice::Answered).await?;
            }
        }
        Err(store::StepError::Transition(_)) => {
            return Ok(page.redirect_with(&back, Flash::error("petition-error-step")));
        }
        Err(store::StepError::Db(e)) => return Err(e.into()),
    }
    let actor = Actor::user(me);
    state.audit(Some(tenant.community.id), &actor, &format!("petition.{step}"), "petition", p.id, &p.title).await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

// ---------- the statute's petition rules ----------

#[derive(Debug, Deserialize, Default)]
pub struct RulesForm {
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    collection_days: String,
    #[serde(default)]
    moderation_working_days: String,
    #[serde(default)]
    consideration_working_days: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    residents_only: Option<String>,
    #[serde(default)]
    accept_idp: Option<String>,
    #[serde(default)]
    addressee: String,
    #[serde(default)]
    rules_text: String,
}

fn render_settings(page: &Page, form: &Value, errors: &FieldErrors, status: StatusCode) -> AppResult<Response> {
    let addressees: Vec<Value> = ["council", "mayor", "executive_committee"]
        .iter()
        .map(|a| context! { value => *a, label => page.t(&format!("petition-addressee-{a}")) })
        .collect();
    page.render_status(
        status,
        "petitions/settings.html",
        context! { form => form, addressees => addressees, errors => Serde(errors) },
    )
}

async fn settings_page(page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    let r = crate::rules_of(&tenant.community);
    let form = context! {
        threshold => r.threshold.to_string(),
        collection_days => r.collection_days.to_string(),
        moderation_working_days => r.moderation_working_days.to_string(),
        consideration_working_days => r.consideration_working_days.to_string(),
        min_age => r.min_age.to_string(),
        residents_only => r.residents_only,
        accept_idp => r.accept_idp,
        addressee => serde_json::to_value(r.addressee).ok().and_then(|v| v.as_str().map(str::to_owned)),
        rules_text => &r.rules_text,
    };
    render_settings(&page, &form, &FieldErrors::new(), StatusCode::OK)
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<RulesForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let mut errors = FieldErrors::new();
    let mut number = |field: &str, raw: &str| -> u32 {
        raw.trim().parse::<u32>().unwrap_or_else(|_| {
            errors.add(field, format!("petition-invalid-{field}"));
            0
        })
    };
    let rules = Rules {
        threshold: number("threshold", &form.threshold),
        collection_days: number("collection_days", &form.collection_days),
        moderation_working_days: number("moderation_working_days", &form.moderation_working_days),
        consideration_working_days: number("consideration_working_days", &form.consideration_working_days),
        min_age: number("min_age", &form.min_age),
        residents_only: form.residents_only.is_some(),
        accept_idp: form.accept_idp.is_some(),
        addressee: serde_json::from_value(serde_json::Value::String(form.addressee.clone())).unwrap_or_default(),
        rules_text: form.rules_text.trim().replace("\r\n", "\n"),
    };
    if errors.is_empty()
        && let Err(InvalidRule(field)) = rules.validate()
    {
        errors.add(field, format!("petition-invalid-{field}"));
    }
    if !errors.is_empty() {
        let shown = context! {
            threshold => &form.threshold, collection_days => &form.collection_days,
            moderation_working_days => &form.moderation_working_days, consideration_working_days => &form.consideration_working_days,
            min_age => &form.min_age, residents_only => form.residents_only.is_some(), accept_idp => form.accept_idp.is_some(),
            addressee => &form.addressee, rules_text => &form.rules_text,
        };
        return render_settings(&page, &shown, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let value = serde_json::to_value(&rules).map_err(|e| AppError::unexpected(e.to_string()))?;
    let summary = value.to_string();
    communities::set_statute(&state.db, tenant.community.id, crate::KEY, value).await?;
    let actor = Actor::user(me);
    state
        .audit(Some(tenant.community.id), &actor, "petition.rules", "community", tenant.community.id, &summary)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/petitions/settings"), Flash::success("flash-saved")))
}

// ---------- the signer list for the council ----------

/// A petition with its signers as the council receives them; for officials only.
async fn for_council(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    number: i64,
) -> AppResult<(store::Petition, Vec<store::CouncilSigner>)> {
    viewer.require(Permission::Moderate)?;
    let p = store::by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let rows = store::council_list(&state.db, tenant.community.id, p.id).await?;
    Ok((p, rows))
}

async fn signers_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (_, rows) = for_council(&state, &viewer, &tenant, number).await?;
    let mut csv = Csv::new(&["№", "Підписант", "ПІБ", "Час підпису (UTC)"]);
    for r in rows {
        csv.row(&[r.seq.to_string(), r.display_name, r.full_name.unwrap_or_default(), r.signed_at.to_rfc3339()]);
    }
    Ok(csv.into_download(&format!("petition-{number}-signers.csv")))
}

/// A printable page for the council: the petition, its dates and count, and the signer list.
async fn print_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (p, rows) = for_council(&state, &viewer, &tenant, number).await?;
    page.render(
        "petitions/print.html",
        context! {
            p => summary(&page, &p),
            body => Value::from_safe_string(hromada_web::markdown::render(&p.body)),
            author => &p.author_name,
            created_at => p.created_at.to_rfc3339(),
            threshold_reached_at => p.threshold_reached_at.map(|t| t.to_rfc3339()),
            signers => Serde(&rows),
        },
    )
}
