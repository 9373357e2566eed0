//! The officials' inbox: open appeals with the due dates the law sets and their urgency,
//! filters, assignment (one by one or in bulk), and the steps of the work on an appeal with
//! the answer's templates. The body's staff see every appeal; a department's officers only
//! those assigned to their department.

use crate::domain::{self, Action, CATEGORIES, ExtensionError, Status, Study, Urgency};
use crate::notify::{self, Notice};
use crate::store::{self, Appeal, InboxFilter, StepDetails, StepError};
use crate::web::{by_reference, timeline};
use crate::{admin_path, files, parse_reference};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::core::audit::Actor;
use hromada_db::core::departments::{self, Department};
use hromada_db::core::{holidays, settlements};
use hromada_kernel::{Permission, UserId, WorkingCalendar};
use hromada_media::view::describe_all;
use hromada_media::{Accept, Limits, Upload};
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(inbox))
        .route("/bulk", post(bulk))
        .route("/templates", get(templates_page).post(add_template))
        .route("/templates/{id}/delete", post(delete_template))
        .route("/{reference}", get(work))
        .route("/{reference}/{step}", post(take_step))
}

/// The body's own staff (who register and assign) see every appeal; a department's officers
/// see their department's.
fn whole_body(viewer: &Viewer) -> bool {
    viewer.may(Permission::ManageDepartments)
}

/// The appeal, if this official may see and work it; otherwise as good as missing.
async fn handled_by(state: &AppState, viewer: &Viewer, tenant: &Tenant, reference: &str) -> AppResult<Appeal> {
    let me = viewer.require(Permission::AnswerAppeals)?;
    let a = by_reference(state, tenant, reference).await?;
    if whole_body(viewer) || store::officer_may_handle(&state.db, tenant.community.id, &a, me.id).await? {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
}

fn urgency_code(u: Urgency) -> &'static str {
    match u {
        Urgency::Overdue => "overdue",
        Urgency::DueToday => "today",
        Urgency::DueSoon => "soon",
        Urgency::OnTrack => "on_track",
    }
}

fn department_name(list: &[Department], id: Option<Uuid>) -> Option<String> {
    let id = id?;
    list.iter().find(|d| d.id == id).map(|d| d.name_uk.clone())
}

#[derive(Debug, Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    settlement: String,
}

/// Officers by id and name, with their department, for the assignment forms.
async fn officer_choices(state: &AppState, tenant: &Tenant, list: &[Department]) -> AppResult<Vec<Value>> {
    Ok(departments::officers(&state.db, tenant.community.id)
        .await?
        .iter()
        .map(|o| {
            let department = department_name(list, Some(o.department_id)).unwrap_or_default();
            context! { value => o.user_id.to_string(), label => format!("{} — {}", o.full_name, department) }
        })
        .collect())
}

async fn inbox(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Query(q): Query<InboxQuery>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::AnswerAppeals)?;
    let c = tenant.community.id;
    let calendar = holidays::calendar(&state.db).await?;
    let today = state.now().date_naive();
    let due_by = match q.due.as_str() {
        "overdue" => today.pred_opt(),
        "today" => Some(today),
        "soon" => Some(calendar.add_working_days(today, domain::REMIND_WORKING_DAYS)),
        _ => None,
    };
    let list = departments::list(&state.db, c).await?;
    let filter = InboxFilter {
        status: Some(q.status.as_str()).filter(|s| Status::parse(s).is_some()),
        due_by,
        category: Some(q.category.as_str()).filter(|s| CATEGORIES.contains(s)),
        department: Uuid::parse_str(&q.department).ok(),
        settlement: Some(q.settlement.trim()).filter(|s| !s.is_empty()),
        officer_scope: (!whole_body(&viewer)).then_some(me.id),
    };
    let rows = store::inbox(&state.db, c, &filter, 500).await?;
    let officers = departments::officers(&state.db, c).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|a| {
            let status = a.status();
            let urgency = status.open().then(|| domain::urgency(a.answer_due, today, &calendar));
            context! {
                reference => format!("{}-{:06}", a.year, a.seq),
                number => &a.number,
                href => page.url(&admin_path(a)),
                received => a.received_on.format("%d.%m.%Y").to_string(),
                kind => page.t(&format!("appeal-kind-{}", a.kind().code())),
                category => page.t(&format!("appeal-category-{}", a.category)),
                settlement => &a.settlement,
                department => department_name(&list, a.department_id),
                officer => a.officer_id.and_then(|id| officers.iter().find(|o| o.user_id == id)).map(|o| &o.full_name),
                status_label => page.t(&format!("appeal-status-{}", status.code())),
                due => a.answer_due.format("%d.%m.%Y").to_string(),
                urgency => urgency.map(urgency_code),
                urgency_label => urgency.map(|u| page.t(&format!("appeal-urgency-{}", urgency_code(u)))),
            }
        })
        .collect();
    let option = |value: String, label: String| context! { value => value, label => label };
    let statuses: Vec<Value> =
        Status::ALL.iter().map(|s| option(s.code().into(), page.t(&format!("appeal-status-{}", s.code())))).collect();
    let dues: Vec<Value> =
        ["overdue", "today", "soon"].iter().map(|d| option((*d).into(), page.t(&format!("appeal-due-{d}")))).collect();
    let categories: Vec<Value> =
        CATEGORIES.iter().map(|cat| option((*cat).into(), page.t(&format!("appeal-category-{cat}")))).collect();
    let department_options: Vec<Value> = list.iter().map(|d| option(d.id.to_string(), d.name_uk.clone())).collect();
    let places: Vec<Value> = settlements::list(&state.db, c)
        .await?
        .iter()
        .map(|s| option(s.name_uk.clone(), s.name(page.lang).to_owned()))
        .collect();
    page.render(
        "appeals/inbox.html",
        context! {
            appeals => items,
            filter => context! { status => &q.status, due => &q.due, category => &q.category, department => &q.department, settlement => &q.settlement },
            statuses => statuses, dues => dues, categories => categories, departments => department_options, places => places,
            officers => officer_choices(&state, &tenant, &list).await?,
            whole_body => whole_body(&viewer),
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct WorkQuery {
    /// An answer template to start the answer from.
    #[serde(default)]
    template: String,
}

async fn work(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(reference): Path<String>,
    Query(q): Query<WorkQuery>,
) -> AppResult<Response> {
    let a = handled_by(&state, &viewer, &tenant, &reference).await?;
    let c = tenant.community.id;
    let calendar = holidays::calendar(&state.db).await?;
    let today = state.now().date_naive();
    let status = a.status();
    let list = departments::list(&state.db, c).await?;
    let events = store::timeline(&state.db, c, a.id).await?;
    let all_files = files::list(&state, c, a.id).await?;
    let templates = store::templates(&state.db, c).await?;
    let chosen = Uuid::parse_str(&q.template).ok().and_then(|id| templates.iter().find(|t| t.id == id));
    let about = match a.complaint_about {
        Some(id) => store::get(&state.db, c, id)
            .await?
            .map(|e| context! { number => &e.number, href => page.url(&admin_path(&e)) }),
        None => None,
    };
    let allowed = |action: Action| status.apply(action).is_ok();
    let urgency = status.open().then(|| domain::urgency(a.answer_due, today, &calendar));
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    page.render(
        "appeals/work.html",
        context! {
            a => crate::web::summary(&page, &a),
            reference => &reference,
            full_name => &a.full_name,
            address => format!("{}, {}", a.settlement, a.street).trim_end_matches([',', ' ']).to_owned(),
            contact => &a.contact,
            essence => &a.essence,
            about => about,
            from_petition => a.from_petition.is_some(),
            department => department_name(&list, a.department_id),
            study => a.study.as_deref(),
            urgency => urgency.map(urgency_code),
            urgency_label => urgency.map(|u| page.t(&format!("appeal-urgency-{}", urgency_code(u)))),
            answer_due => date(a.answer_due),
            forward_by => date(domain::term_end(a.received_on, domain::FORWARD, &calendar)),
            return_by => date(domain::term_end(a.received_on, domain::RETURN, &calendar)),
            longest => date(domain::longest_due(a.received_on, &calendar)),
            longest_iso => domain::longest_due(a.received_on, &calendar).to_string(),
            extension_reason => a.extension_reason.as_deref(),
            answer => a.answer_text.as_deref(),
            forwarded_to => a.forwarded_to.as_deref(),
            return_reason => a.return_reason.as_deref(),
            rating => a.rating,
            rating_comment => a.rating_comment.as_deref(),
            timeline => timeline(&page, &events),
            attachments => describe_all(&page, &all_files, files::ATTACHMENT),
            answer_files => describe_all(&page, &all_files, files::ANSWER),
            may => context! {
                assign => allowed(Action::Assign), start => allowed(Action::Start), extend => allowed(Action::Extend),
                answer => allowed(Action::Answer), forward => allowed(Action::Forward), give_back => allowed(Action::Return),
            },
            whole_body => whole_body(&viewer),
            departments => list.iter().map(|d| context! { value => d.id.to_string(), label => &d.name_uk }).collect::<Vec<_>>(),
            officers => officer_choices(&state, &tenant, &list).await?,
            current_department => a.department_id.map(|d| d.to_string()).unwrap_or_default(),
            templates => templates.iter().map(|t| context! { value => t.id.to_string(), label => &t.title }).collect::<Vec<_>>(),
            template => q.template,
            answer_draft => chosen.map(|t| t.body.as_str()).unwrap_or(""),
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    department: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    study: String,
    #[serde(default)]
    extend_to: String,
    #[serde(default)]
    forwarded_to: String,
    #[serde(default)]
    note: String,
}

fn step_error_key(e: &StepError) -> String {
    match e {
        StepError::Transition(_) => "appeal-error-step".into(),
        StepError::Extension(ExtensionError::NotLater) => "appeal-error-extension-not-later".into(),
        StepError::Extension(ExtensionError::PastLongest(_)) => "appeal-error-extension-past-longest".into(),
        StepError::Extension(ExtensionError::NoReason) | StepError::Incomplete("note") => {
            "appeal-error-needs-note".into()
        }
        StepError::Incomplete(field) => format!("appeal-error-needs-{}", field.replace('_', "-")),
        StepError::Db(_) => "appeal-error-step".into(),
    }
}

/// Checks what a step names: a department of this community, one of its officers.
async fn resolve_assignee(
    state: &AppState,
    tenant: &Tenant,
    viewer: &Viewer,
    me: UserId,
    form: &StepForm,
) -> AppResult<(Option<Uuid>, Option<UserId>)> {
    let officers = departments::officers(&state.db, tenant.community.id).await?;
    let officer = Uuid::parse_str(form.officer.trim()).ok();
    let mut department = Uuid::parse_str(form.department.trim()).ok();
    if let Some(o) = officer {
        // An officer works for a department: without one chosen, theirs.
        let theirs: Vec<Uuid> = officers.iter().filter(|x| x.user_id == o).map(|x| x.department_id).collect();
        if theirs.is_empty() {
            return Err(AppError::NotFound);
        }
        if department.is_none() {
            department = theirs.first().copied();
        }
    }
    if let Some(d) = department
        && !departments::list(&state.db, tenant.community.id).await?.iter().any(|x| x.id == d)
    {
        return Err(AppError::NotFound);
    }
    // A department's officer may only take work within their own departments.
    if !whole_body(viewer) {
        let mine = departments::departments_of(&state.db, tenant.community.id, me).await?;
        if department.is_some_and(|d| !mine.contains(&d)) {
            return Err(AppError::Forbidden);
        }
    }
    Ok((department, officer))
}

async fn take_step(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((reference, step)): Path<(String, String)>,
    mut upload: Upload,
) -> AppResult<Response> {
    let a = handled_by(&state, &viewer, &tenant, &reference).await?;
    let me = viewer.require(Permission::AnswerAppeals)?;
    let form: StepForm = upload.form()?;
    let back = tenant.url(&admin_path(&a));
    let documents = upload.process("document", Accept::Documents, &Limits::default()).await;
    if let Some(key) = upload.errors.0.values().flatten().next() {
        return Ok(page.redirect_with(&back, Flash::error(key)));
    }
    let action = match step.as_str() {
        "assign" => Action::Assign,
        "start" => Action::Start,
        "extend" => Action::Extend,
        "answer" => Action::Answer,
        "forward" => Action::Forward,
        "return" => Action::Return,
        _ => return Err(AppError::NotFound),
    };
    let (department, officer) = if action == Action::Assign {
        resolve_assignee(&state, &tenant, &viewer, me.id, &form).await?
    } else {
        (None, None)
    };
    let details = StepDetails {
        department,
        officer,
        study: Some(if form.study == "needed" { Study::Needed } else { Study::NotNeeded }),
        extend_to: chrono::NaiveDate::parse_from_str(form.extend_to.trim(), "%Y-%m-%d").ok(),
        forwarded_to: Some(form.forwarded_to.as_str()),
        note: &form.note,
        rating: None,
    };
    let calendar = holidays::calendar(&state.db).await?;
    let updated = match apply(&state, &tenant, &a, action, me.id, &details, &calendar).await {
        Ok(updated) => updated,
        Err(StepError::Db(e)) => return Err(e.into()),
        Err(e) => return Ok(page.redirect_with(&back, Flash::error(&step_error_key(&e)))),
    };
    if action == Action::Answer {
        files::save_answer(&state, tenant.community.id, a.id, a.author_id, &documents, me.id).await?;
    }
    announce(&state, &tenant, &updated, action).await?;
    let actor = Actor::user(me);
    state.audit(Some(tenant.community.id), &actor, &format!("appeal.{step}"), "appeal", a.id, &a.number).await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

async fn apply(
    state: &AppState,
    tenant: &Tenant,
    a: &Appeal,
    action: Action,
    me: UserId,
    details: &StepDetails<'_>,
    calendar: &WorkingCalendar,
) -> Result<Appeal, StepError> {
    store::step(&state.db, tenant.community.id, a.id, action, Some(me), details, calendar, state.now()).await
}

/// Tells those a step concerns: the author of what the law says they must be told, the
/// department of new work.
async fn announce(state: &AppState, tenant: &Tenant, a: &Appeal, action: Action) -> AppResult<()> {
    let c = &tenant.community;
    let sent = match action {
        Action::Assign => notify::handlers(state, c, a, Notice::Assigned, false).await,
        Action::Extend => notify::author(state, c, a, Notice::Extended).await,
        Action::Answer => notify::author(state, c, a, Notice::Answered).await,
        Action::Forward => notify::author(state, c, a, Notice::Forwarded).await,
        Action::Return => notify::author(state, c, a, Notice::Returned).await,
        Action::Start | Action::Close => Ok(()),
    };
    Ok(sent?)
}

/// `ids` repeated, one per ticked appeal; the rest as one step's form.
async fn bulk(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::AnswerAppeals)?;
    let back = tenant.url("/admin/appeals");
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let form = StepForm { department: field("department"), officer: field("officer"), ..StepForm::default() };
    let action = match field("action").as_str() {
        "assign" => Action::Assign,
        "start" => Action::Start,
        _ => return Ok(page.redirect_with(&back, Flash::error("appeal-error-bulk-action"))),
    };
    let (department, officer) = if action == Action::Assign {
        resolve_assignee(&state, &tenant, &viewer, me.id, &form).await?
    } else {
        (None, None)
    };
    let details = StepDetails { department, officer, study: Some(Study::NotNeeded), ..StepDetails::default() };
    let calendar = holidays::calendar(&state.db).await?;
    let actor = Actor::user(me);
    let (mut done, mut refused) = (0, 0);
    for reference in fields.iter().filter(|(k, _)| k == "ids").map(|(_, v)| v) {
        let Some(_) = parse_reference(reference) else { continue };
        let Ok(a) = handled_by(&state, &viewer, &tenant, reference).await else {
            refused += 1;
            continue;
        };
        match apply(&state, &tenant, &a, action, me.id, &details, &calendar).await {
            Ok(updated) => {
                announce(&state, &tenant, &updated, action).await?;
                let name = if action == Action::Assign { "appeal.assign" } else { "appeal.start" };
                state.audit(Some(tenant.community.id), &actor, name, "appeal", a.id, &a.number).await?;
                done += 1;
            }
            Err(StepError::Db(e)) => return Err(e.into()),
            Err(_) => refused += 1,
        }
    }
    let flash = match (done, refused) {
        (0, 0) => Flash::error("appeal-error-bulk-none"),
        (_, 0) => Flash::success("flash-saved"),
        _ => Flash::error("appeal-error-bulk-some"),
    };
    Ok(page.redirect_with(&back, flash))
}

// ---------- answer templates ----------

async fn templates_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::AnswerAppeals)?;
    let list = store::templates(&state.db, tenant.community.id).await?;
    page.render("appeals/templates.html", context! { templates => list.iter().map(|t| context! { id => t.id.to_string(), title => &t.title, body => &t.body }).collect::<Vec<_>>() })
}

#[derive(Debug, Deserialize, Default)]
pub struct TemplateForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

async fn add_template(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::AnswerAppeals)?;
    let back = tenant.url("/admin/appeals/templates");
    if form.title.trim().is_empty() || form.body.trim().chars().count() < 10 {
        return Ok(page.redirect_with(&back, Flash::error("appeal-error-template")));
    }
    let id = store::add_template(&state.db, tenant.community.id, &form.title, &form.body, state.now()).await?;
    let actor = Actor::user(me);
    state
        .audit(Some(tenant.community.id), &actor, "appeal.template.add", "appeal_template", id, form.title.trim())
        .await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

async fn delete_template(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::AnswerAppeals)?;
    if !store::delete_template(&state.db, tenant.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    let actor = Actor::user(me);
    state.audit(Some(tenant.community.id), &actor, "appeal.template.delete", "appeal_template", id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/appeals/templates"), Flash::success("flash-saved")))
}
