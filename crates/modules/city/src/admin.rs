//! Officials' pages: the moderation queue (publish, refuse with a reason, merge as a duplicate),
//! a department's work list with status changes and comments, the categories with their
//! routing by area, the map settings, and the Open311 clients' keys.

use crate::domain::{self, Action, Polygon, Status};
use crate::notify::{self, Notice};
use crate::store::{self, Category, CategoryFields, Report, StepError};
use crate::web::{self, summary, works_on};
use crate::{client_key_hash, files, intake};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::DbError;
use hromada_db::core::audit;
use hromada_db::core::{communities, departments, settlements};
use hromada_kernel::Permission;
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::map::MapSettings;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(queue))
        .route("/reports/{number}", get(report_page))
        .route("/reports/{number}/{step}", post(take_step))
        .route("/categories", get(categories_page).post(create_category))
        .route("/categories/{id}", get(category_page).post(save_category))
        .route("/categories/{id}/areas", post(add_area))
        .route("/categories/{id}/areas/{area}/delete", post(delete_area))
        .route("/settings", get(settings_page).post(save_settings))
        .route("/clients", get(clients_page).post(issue_client))
        .route("/clients/{id}/revoke", post(revoke_client))
}

fn actor(me: &hromada_db::core::users::User) -> audit::Actor {
    audit::Actor::user(me)
}

const OPEN: [Status; 3] = [Status::New, Status::Accepted, Status::InProgress];

async fn queue(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    let moderator = viewer.may(Permission::Moderate);
    let me =
        if moderator { viewer.require(Permission::Moderate)? } else { viewer.require(Permission::AnswerAppeals)? };
    let c = tenant.community.id;
    let categories = store::categories(&state.db, c, false).await?;
    let row = |r: &Report| context! { info => summary(&page, &categories, r), author => &r.author_name };
    let moderation: Vec<Value> = if moderator {
        let f = store::Filter { statuses: vec![Status::Moderation], unpublished: true, ..Default::default() };
        store::list(&state.db, c, &f, 200, 0).await?.iter().map(row).collect()
    } else {
        vec![]
    };
    let departments = if moderator { None } else { Some(departments::departments_of(&state.db, c, me.id).await?) };
    let work_filter = store::Filter { statuses: OPEN.to_vec(), departments, ..Default::default() };
    let work: Vec<Value> = store::list(&state.db, c, &work_filter, 200, 0).await?.iter().map(row).collect();
    page.render(
        "city/admin.html",
        context! {
            moderator => moderator, moderation => moderation, work => work,
            may_configure => viewer.may(Permission::ManageSettings),
        },
    )
}

/// The report and whether the viewer works on it; anyone else is told it does not exist.
async fn worked_report(state: &AppState, tenant: &Tenant, viewer: &Viewer, number: i64) -> AppResult<Report> {
    viewer.require_user()?;
    let r = store::by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    if works_on(state, tenant, viewer, &r).await? { Ok(r) } else { Err(AppError::NotFound) }
}

async fn report_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let r = worked_report(&state, &tenant, &viewer, number).await?;
    let c = tenant.community.id;
    let categories = store::categories(&state.db, c, false).await?;
    let timeline = store::timeline(&state.db, c, r.id).await?;
    let photos = files::list(&state, c, r.id).await?;
    let department = match r.department_id {
        Some(d) => departments::list(&state.db, c).await?.into_iter().find(|x| x.id == d).map(|x| x.name_uk),
        None => None,
    };
    let status = r.status();
    let next: Vec<Value> = if r.public() {
        status
            .next_for_department()
            .iter()
            .map(|s| context! { value => s.code(), label => page.t(&format!("city-status-{}", s.code())) })
            .collect()
    } else {
        vec![]
    };
    let moderator = viewer.may(Permission::Moderate);
    page.render(
        "city/admin_report.html",
        context! {
            r => summary(&page, &categories, &r),
            description => &r.description,
            author => &r.author_name,
            email => &r.author_email,
            source => &r.source,
            department => department,
            events => web::events(&page, &timeline),
            photos => files::for_page(&page, r.number, &photos),
            in_moderation => status == Status::Moderation,
            may_moderate => moderator,
            may_merge => moderator && domain::apply(status, Action::MergeInto).is_ok(),
            next => next,
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    target: String,
}

async fn take_step(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((number, step)): Path<(i64, String)>,
    Form(form): Form<StepForm>,
) -> AppResult<Response> {
    let r = worked_report(&state, &tenant, &viewer, number).await?;
    let me = viewer.require_user()?.clone();
    let c = &tenant.community;
    let back = tenant.url(&format!("/admin/city/reports/{number}"));
    let note = form.note.trim();
    let who = store::Actor { id: Some(me.id), name: &me.full_name };
    let moderating = matches!(step.as_str(), "publish" | "reject" | "merge");
    if moderating && !viewer.may(Permission::Moderate) {
        return Err(AppError::Forbidden);
    }
    let outcome = match step.as_str() {
        "publish" => store::step(&state.db, c.id, r.id, Action::Publish, &who, note, state.now()).await,
        "reject" if note.chars().count() < domain::REASON_MIN_CHARS => {
            return Ok(page.redirect_with(&back, Flash::error("city-error-reason")));
        }
        "reject" => store::step(&state.db, c.id, r.id, Action::RejectInModeration, &who, note, state.now()).await,
        "status" => {
            let Some(to) = Status::parse(&form.status) else {
                return Ok(page.redirect_with(&back, Flash::error("city-error-step")));
            };
            if note.chars().count() < domain::REASON_MIN_CHARS {
                return Ok(page.redirect_with(&back, Flash::error("city-error-comment")));
            }
            store::step(&state.db, c.id, r.id, Action::SetStatus(to), &who, note, state.now()).await
        }
        "merge" => {
            let target = match form.target.trim().trim_start_matches('№').trim().parse::<i64>() {
                Ok(n) => store::by_number(&state.db, c.id, n).await?,
                Err(_) => None,
            };
            let Some(target) = target else {
                return Ok(page.redirect_with(&back, Flash::error("city-error-merge-target")));
            };
            store::merge(&state.db, c.id, r.id, target.id, &who, state.now()).await
        }
        "comment" => {
            if note.is_empty() {
                return Ok(page.redirect_with(&back, Flash::error("city-error-comment")));
            }
            store::comment(&state.db, c.id, r.id, &who, note, state.now()).await?;
            state.audit(Some(c.id), &actor(&me), "city.comment", "city_report", r.id, note).await?;
            notify::followers(&state, c, &r, Notice::StatusChanged, note).await?;
            return Ok(page.redirect_with(&back, Flash::success("flash-saved")));
        }
        _ => return Err(AppError::NotFound),
    };
    let updated = match outcome {
        Ok(updated) => updated,
        Err(StepError::Transition(_)) => return Ok(page.redirect_with(&back, Flash::error("city-error-step"))),
        Err(StepError::BadMergeTarget) => {
            return Ok(page.redirect_with(&back, Flash::error("city-error-merge-target")));
        }
        Err(StepError::Db(e)) => return Err(e.into()),
    };
    let summary_text = format!("№ {} {} {}", r.number, step, note);
    state.audit(Some(c.id), &actor(&me), &format!("city.{step}"), "city_report", r.id, &summary_text).await?;
    match step.as_str() {
        "publish" => {
            files::publish(&state, c.id, r.id).await?;
            notify::followers(&state, c, &updated, Notice::Published, note).await?;
            notify::area(&state, c, &updated).await?;
        }
        "reject" => notify::followers(&state, c, &updated, Notice::Rejected, note).await?,
        "merge" => {
            // The duplicate's followers were carried over; they hear of it once, about the duplicate.
            if let Some(duplicate) = store::get(&state.db, c.id, r.id).await? {
                notify::followers(&state, c, &duplicate, Notice::Merged, &updated.number.to_string()).await?;
            }
            return Ok(page.redirect_with(
                &tenant.url(&format!("/admin/city/reports/{}", updated.number)),
                Flash::success("city-flash-merged"),
            ));
        }
        _ => notify::followers(&state, c, &updated, Notice::StatusChanged, note).await?,
    }
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

// ---------- categories ----------

#[derive(Debug, Deserialize, Default)]
pub struct CategoryForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    description_uk: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    questions: String,
    #[serde(default)]
    active: Option<String>,
}

impl CategoryForm {
    fn of(c: &Category) -> Self {
        Self {
            code: c.code.clone(),
            name_uk: c.name_uk.clone(),
            name_en: c.name_en.clone().unwrap_or_default(),
            description_uk: c.description_uk.clone(),
            department: c.department_id.map(|d| d.to_string()).unwrap_or_default(),
            questions: domain::questions_to_lines(&c.questions.0),
            active: c.active.then(|| "on".to_owned()),
        }
    }

    fn shown(&self) -> Value {
        context! {
            code => &self.code, name_uk => &self.name_uk, name_en => &self.name_en,
            description_uk => &self.description_uk, department => &self.department,
            questions => &self.questions, active => self.active.is_some(),
        }
    }

    /// The checked fields, or the problems by field.
    fn check(&self, departments: &[departments::Department]) -> Result<CategoryFields<'_>, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !domain::valid_code(self.code.trim()) {
            errors.add("code", "city-invalid-code");
        }
        if !(2..=120).contains(&self.name_uk.trim().chars().count()) {
            errors.add("name_uk", "city-invalid-name");
        }
        let department = match self.department.as_str() {
            "" => None,
            d => match d.parse::<Uuid>().ok().filter(|id| departments.iter().any(|x| x.id == *id)) {
                Some(id) => Some(id),
                None => {
                    errors.add("department", "city-invalid-department");
                    None
                }
            },
        };
        let questions = domain::parse_questions(&self.questions).unwrap_or_else(|_| {
            errors.add("questions", "city-invalid-questions");
            vec![]
        });
        errors.into_result()?;
        Ok(CategoryFields {
            code: self.code.trim(),
            name_uk: self.name_uk.trim(),
            name_en: Some(self.name_en.trim()).filter(|n| !n.is_empty()),
            description_uk: self.description_uk.trim(),
            department_id: department,
            questions,
            active: self.active.is_some(),
        })
    }
}

fn department_options(list: &[departments::Department]) -> Vec<Value> {
    list.iter().map(|d| context! { value => d.id.to_string(), label => &d.name_uk }).collect()
}

async fn render_categories(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    form: &CategoryForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let c = &tenant.community;
    let all = intake::categories(state, c, false).await?;
    let deps = departments::list(&state.db, c.id).await?;
    let rows: Vec<Value> = all
        .iter()
        .map(|cat| {
            context! {
                id => cat.id.to_string(), code => &cat.code, name => cat.name(page.lang), active => cat.active,
                department => cat.department_id.and_then(|d| deps.iter().find(|x| x.id == d)).map(|d| d.name_uk.clone()),
                questions => cat.questions.0.len(),
            }
        })
        .collect();
    page.render_status(
        status,
        "city/categories.html",
        context! { categories => rows, departments => department_options(&deps), form => form.shown(), errors => Serde(errors) },
    )
}

async fn categories_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    let form = CategoryForm { active: Some("on".into()), ..Default::default() };
    render_categories(&state, &page, &tenant, &form, &FieldErrors::new(), StatusCode::OK).await
}

async fn create_category(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<CategoryForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let c = &tenant.community;
    let deps = departments::list(&state.db, c.id).await?;
    let fields = match form.check(&deps) {
        Ok(f) => f,
        Err(errors) => {
            return render_categories(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match store::create_category(&state.db, c.id, &fields, state.now()).await {
        Ok(id) => {
            state.audit(Some(c.id), &actor(me), "city.category.create", "city_category", id, fields.code).await?;
            Ok(page.redirect_with(&tenant.url("/admin/city/categories"), Flash::success("flash-saved")))
        }
        Err(DbError::Unique(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("code", "city-invalid-code-taken");
            render_categories(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_category(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    category: &Category,
    form: &CategoryForm,
    errors: &FieldErrors,
    area_errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let c = tenant.community.id;
    let deps = departments::list(&state.db, c).await?;
    let places = settlements::list(&state.db, c).await?;
    let areas: Vec<Value> = store::areas(&state.db, c, category.id)
        .await?
        .iter()
        .map(|a| {
            context! {
                id => a.id.to_string(), label => &a.label,
                department => deps.iter().find(|d| d.id == a.department_id).map(|d| d.name_uk.clone()),
                settlement => a.settlement_id.and_then(|s| places.iter().find(|p| p.id == s)).map(|s| s.name(page.lang).to_owned()),
                points => a.polygon.as_ref().map(|p| p.0.0.len()),
            }
        })
        .collect();
    let place_options: Vec<Value> =
        places.iter().map(|s| context! { value => s.id.to_string(), label => s.name(page.lang) }).collect();
    page.render_status(
        status,
        "city/category.html",
        context! {
            id => category.id.to_string(), name => category.name(page.lang), form => form.shown(),
            departments => department_options(&deps), settlements => place_options, areas => areas,
            errors => Serde(errors), area_errors => Serde(area_errors),
        },
    )
}

async fn managed_category(state: &AppState, viewer: &Viewer, tenant: &Tenant, id: &str) -> AppResult<Category> {
    viewer.require(Permission::ManageSettings)?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    store::category(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)
}

async fn category_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let category = managed_category(&state, &viewer, &tenant, &id).await?;
    let form = CategoryForm::of(&category);
    let none = FieldErrors::new();
    render_category(&state, &page, &tenant, &category, &form, &none, &none, StatusCode::OK).await
}

async fn save_category(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<String>,
    Form(form): Form<CategoryForm>,
) -> AppResult<Response> {
    let category = managed_category(&state, &viewer, &tenant, &id).await?;
    let me = viewer.require_user()?;
    let c = tenant.community.id;
    let deps = departments::list(&state.db, c).await?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let none = FieldErrors::new();
    let fields = match form.check(&deps) {
        Ok(f) => f,
        Err(errors) => {
            return render_category(&state, &page, &tenant, &category, &form, &errors, &none, unprocessable).await;
        }
    };
    match store::update_category(&state.db, c, category.id, &fields).await {
        Ok(_) => {}
        Err(DbError::Unique(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("code", "city-invalid-code-taken");
            return render_category(&state, &page, &tenant, &category, &form, &errors, &none, unprocessable).await;
        }
        Err(e) => return Err(e.into()),
    }
    state.audit(Some(c), &actor(me), "city.category.update", "city_category", category.id, fields.code).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/city/categories/{id}")), Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize, Default)]
pub struct AreaForm {
    #[serde(default)]
    department: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    polygon: String,
    #[serde(default)]
    label: String,
}

async fn add_area(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<String>,
    Form(form): Form<AreaForm>,
) -> AppResult<Response> {
    let category = managed_category(&state, &viewer, &tenant, &id).await?;
    let me = viewer.require_user()?;
    let c = tenant.community.id;
    let deps = departments::list(&state.db, c).await?;
    let places = settlements::list(&state.db, c).await?;
    let mut errors = FieldErrors::new();
    let department = form.department.parse::<Uuid>().ok().filter(|d| deps.iter().any(|x| x.id == *d));
    if department.is_none() {
        errors.add("area_department", "city-invalid-department");
    }
    let settlement = form.settlement.parse::<Uuid>().ok().filter(|s| places.iter().any(|p| p.id == *s));
    let polygon = match form.polygon.trim() {
        "" => None,
        text => match Polygon::parse_lines(text) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.add("area_polygon", e.key());
                None
            }
        },
    };
    if settlement.is_none() && polygon.is_none() && !errors.has("area_polygon") {
        errors.add("area_polygon", "city-invalid-area");
    }
    let (Some(department), true) = (department, errors.is_empty()) else {
        let shown = CategoryForm::of(&category);
        let none = FieldErrors::new();
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_category(&state, &page, &tenant, &category, &shown, &none, &errors, status).await;
    };
    let label = match form.label.trim() {
        "" => settlement
            .and_then(|s| places.iter().find(|p| p.id == s))
            .map(|p| p.name_uk.clone())
            .unwrap_or_else(|| page.t("city-area-drawn")),
        l => l.chars().take(120).collect(),
    };
    let area = store::add_area(&state.db, c, category.id, department, settlement, polygon.as_ref(), &label).await?;
    state.audit(Some(c), &actor(me), "city.area.add", "city_category", category.id, &format!("{area} {label}")).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/city/categories/{id}")), Flash::success("flash-saved")))
}

async fn delete_area(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, area)): Path<(String, String)>,
) -> AppResult<Response> {
    let category = managed_category(&state, &viewer, &tenant, &id).await?;
    let me = viewer.require_user()?;
    let area = area.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    if !store::areas(&state.db, tenant.community.id, category.id).await?.iter().any(|a| a.id == area) {
        return Err(AppError::NotFound);
    }
    store::delete_area(&state.db, tenant.community.id, area).await?;
    state
        .audit(
            Some(tenant.community.id),
            &actor(me),
            "city.area.delete",
            "city_category",
            category.id,
            &area.to_string(),
        )
        .await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/city/categories/{id}")), Flash::success("flash-saved")))
}

// ---------- map settings ----------

#[derive(Debug, Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    tile_url: String,
    #[serde(default)]
    attribution: String,
    #[serde(default)]
    center_lat: String,
    #[serde(default)]
    center_lon: String,
    #[serde(default)]
    zoom: String,
}

fn render_settings(page: &Page, form: &SettingsForm, errors: &FieldErrors, status: StatusCode) -> AppResult<Response> {
    page.render_status(
        status,
        "city/settings.html",
        context! {
            form => context! {
                tile_url => &form.tile_url, attribution => &form.attribution, center_lat => &form.center_lat,
                center_lon => &form.center_lon, zoom => &form.zoom,
            },
            errors => Serde(errors),
        },
    )
}

async fn settings_page(page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    let m = hromada_web::map::settings(&tenant.community);
    let form = SettingsForm {
        tile_url: m.tile_url,
        attribution: m.attribution,
        center_lat: m.center_lat.to_string(),
        center_lon: m.center_lon.to_string(),
        zoom: m.zoom.to_string(),
    };
    render_settings(&page, &form, &FieldErrors::new(), StatusCode::OK)
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let mut errors = FieldErrors::new();
    let number = |raw: &str| raw.trim().replace(',', ".").parse::<f64>().ok();
    let settings = MapSettings {
        tile_url: form.tile_url.trim().to_owned(),
        attribution: form.attribution.trim().chars().take(200).collect(),
        center_lat: number(&form.center_lat).unwrap_or(f64::NAN),
        center_lon: number(&form.center_lon).unwrap_or(f64::NAN),
        zoom: form.zoom.trim().parse().unwrap_or(u8::MAX),
    };
    for (field, problem) in settings.problems() {
        errors.add(field, problem);
    }
    if !errors.is_empty() {
        return render_settings(&page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let value = serde_json::to_value(&settings).map_err(|e| AppError::unexpected(e.to_string()))?;
    let summary = value.to_string();
    communities::set_statute(&state.db, tenant.community.id, hromada_web::map::STATUTE_KEY, value).await?;
    state
        .audit(Some(tenant.community.id), &actor(me), "city.settings", "community", tenant.community.id, &summary)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/city/settings"), Flash::success("flash-saved")))
}

// ---------- Open311 clients ----------

async fn render_clients(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    issued: Option<(String, String)>,
) -> AppResult<Response> {
    let rows: Vec<Value> = store::clients(&state.db, tenant.community.id)
        .await?
        .iter()
        .map(|k| {
            context! {
                id => k.id.to_string(), name => &k.name, created_at => k.created_at.to_rfc3339(),
                revoked => k.revoked_at.is_some(),
            }
        })
        .collect();
    let endpoint = tenant.absolute_url(state, "/open311/v2/discovery.json").await;
    let mut response = page.render(
        "city/clients.html",
        context! {
            clients => rows, issued => issued.map(|(name, key)| context! { name => name, key => key }),
            endpoint => endpoint, jurisdiction => &tenant.community.slug,
        },
    )?;
    // A page that shows a new key once must not be kept by any cache.
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn clients_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    render_clients(&state, &page, &tenant, None).await
}

#[derive(Debug, Deserialize, Default)]
pub struct ClientForm {
    #[serde(default)]
    name: String,
}

async fn issue_client(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<ClientForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let name: String = form.name.trim().chars().take(120).collect();
    if name.is_empty() {
        return Ok(page.redirect_with(&tenant.url("/admin/city/clients"), Flash::error("city-invalid-client-name")));
    }
    let key = hromada_web::auth::new_token();
    let id = store::add_client(&state.db, tenant.community.id, &name, &client_key_hash(&key), state.now()).await?;
    state.audit(Some(tenant.community.id), &actor(me), "city.client.issue", "city_api_client", id, &name).await?;
    render_clients(&state, &page, &tenant, Some((name, key))).await
}

async fn revoke_client(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    if !store::revoke_client(&state.db, tenant.community.id, id, state.now()).await? {
        return Err(AppError::NotFound);
    }
    state.audit(Some(tenant.community.id), &actor(me), "city.client.revoke", "city_api_client", id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/city/clients"), Flash::success("flash-saved")))
}
