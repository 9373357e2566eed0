//! The staff's side: resources with their hours and rules, the days that differ, and the day's
//! queue: who comes when, arrived / served / no-show, walk-ins, a printable list and CSV.

use crate::desk::{self, Visitor};
use crate::domain::{self, Interval, Rules, Status, Week};
use crate::schedule::{self, clock};
use crate::store::{self, NewResource, Resource};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Duration, NaiveDate};
use hromada_db::core::audit::Actor;
use hromada_kernel::Permission;
use hromada_web::auth::Viewer;
use hromada_web::export::Csv;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/new", get(new_resource).post(create_resource))
        .route("/code", get(find_code))
        .route("/visits/{id}/status", post(set_status))
        .route("/{id}", get(edit_resource).post(update_resource))
        .route("/{id}/exceptions", post(add_exception))
        .route("/{id}/exceptions/{day}/delete", post(delete_exception))
        .route("/{id}/day", get(day))
        .route("/{id}/day.csv", get(day_csv))
        .route("/{id}/walk-in", post(walk_in))
}

const PERMISSION: Permission = Permission::ManageServices;
const KINDS: [&str; 2] = ["cnap", "doctor"];

fn base(tenant: &Tenant, path: &str) -> String {
    tenant.url(&format!("/admin/booking{path}"))
}

async fn list(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let resources: Vec<Value> = store::resources(&state.db, tenant.community.id, true)
        .await?
        .iter()
        .map(|r| context! { active => r.active, ..crate::web::resource_view(&page, r) })
        .collect();
    page.render("booking/admin.html", context! { resources => resources })
}

// ---------- resources ----------

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ResourceForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    specialty: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    service_number: String,
    #[serde(default)]
    slot_minutes: String,
    #[serde(default)]
    horizon_days: String,
    #[serde(default)]
    cancel_before_minutes: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    mon: String,
    #[serde(default)]
    tue: String,
    #[serde(default)]
    wed: String,
    #[serde(default)]
    thu: String,
    #[serde(default)]
    fri: String,
    #[serde(default)]
    sat: String,
    #[serde(default)]
    sun: String,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl ResourceForm {
    fn of(r: &Resource) -> Self {
        let h = |i: usize| domain::format_hours(&r.week.0[i]);
        ResourceForm {
            kind: r.kind.clone(),
            name_uk: r.name_uk.clone(),
            name_en: r.name_en.clone().unwrap_or_default(),
            specialty: r.specialty.clone(),
            place: r.place.clone(),
            address: r.address.clone(),
            service_number: r.service_number.map(|n| n.to_string()).unwrap_or_default(),
            slot_minutes: r.slot_minutes.to_string(),
            horizon_days: r.horizon_days.to_string(),
            cancel_before_minutes: r.cancel_before_minutes.to_string(),
            active: if r.active { "1".into() } else { String::new() },
            mon: h(0),
            tue: h(1),
            wed: h(2),
            thu: h(3),
            fri: h(4),
            sat: h(5),
            sun: h(6),
        }
    }

    fn day(&self, i: usize) -> &str {
        [&self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun][i]
    }

    fn check(&self) -> Result<NewResource, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !KINDS.contains(&self.kind.as_str()) {
            errors.add("kind", "booking-invalid-kind");
        }
        let name = self.name_uk.trim();
        if !(2..=200).contains(&name.chars().count()) {
            errors.add("name_uk", "booking-invalid-name");
        }
        if !(2..=200).contains(&self.place.trim().chars().count()) {
            errors.add("place", "booking-invalid-place");
        }
        let number = |raw: &str| raw.trim().parse::<i64>().ok();
        let service_number = match self.service_number.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.add("service_number", "booking-invalid-service");
                    None
                }
            },
        };
        let rules = Rules {
            slot_minutes: number(&self.slot_minutes).and_then(|n| u16::try_from(n).ok()).unwrap_or(0),
            horizon_days: number(&self.horizon_days).and_then(|n| u16::try_from(n).ok()).unwrap_or(0),
            cancel_before_minutes: number(&self.cancel_before_minutes)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(u32::MAX),
        };
        for (field, key) in rules.problems() {
            errors.add(field, key);
        }
        let mut week: Week = Default::default();
        for (i, day) in DAYS.iter().enumerate() {
            match domain::parse_hours(self.day(i)) {
                Ok(hours) => week[i] = hours,
                Err(key) => errors.add(day, key),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(NewResource {
            kind: self.kind.clone(),
            name_uk: name.to_owned(),
            name_en: optional(&self.name_en),
            specialty: self.specialty.trim().chars().take(120).collect(),
            place: self.place.trim().to_owned(),
            address: self.address.trim().chars().take(300).collect(),
            service_number,
            rules,
            week,
            active: self.active == "1",
        })
    }
}

async fn render_resource(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    id: Option<Uuid>,
    form: &ResourceForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let exceptions: Vec<Value> = match id {
        Some(id) => {
            let today = domain::local_day(state.now());
            store::exceptions(&state.db, tenant.community.id, id, today, today + Duration::days(366))
                .await?
                .iter()
                .map(|e| {
                    let hours = domain::format_hours(&e.hours.0);
                    context! { day => e.day.to_string(), hours => if hours.is_empty() { page.t("booking-closed") } else { hours }, note => &e.note }
                })
                .collect()
        }
        None => vec![],
    };
    let kinds: Vec<Value> =
        KINDS.iter().map(|k| context! { value => *k, label => page.t(&format!("booking-kind-{k}")) }).collect();
    let days: Vec<Value> = DAYS
        .iter()
        .enumerate()
        .map(|(i, d)| context! { field => *d, label => page.t(&format!("booking-weekday-{i}")), value => form.day(i) })
        .collect();
    page.render_status(
        status,
        "booking/resource_form.html",
        context! {
            id => id.map(|i| i.to_string()), form => Serde(form), errors => Serde(errors), kinds => kinds, days => days,
            exceptions => exceptions,
        },
    )
}

async fn new_resource(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let weekday = "08:00-12:00, 13:00-17:00".to_owned();
    let form = ResourceForm {
        kind: "cnap".into(),
        slot_minutes: "15".into(),
        horizon_days: "14".into(),
        cancel_before_minutes: "120".into(),
        active: "1".into(),
        mon: weekday.clone(),
        tue: weekday.clone(),
        wed: weekday.clone(),
        thu: weekday.clone(),
        fri: weekday,
        ..ResourceForm::default()
    };
    render_resource(&state, &page, &tenant, None, &form, &FieldErrors::new(), StatusCode::OK).await
}

async fn edit_resource(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let r = store::resource(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    render_resource(&state, &page, &tenant, Some(id), &ResourceForm::of(&r), &FieldErrors::new(), StatusCode::OK).await
}

async fn create_resource(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<ResourceForm>,
) -> AppResult<Response> {
    save_resource(state, page, viewer, tenant, None, form).await
}

async fn update_resource(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<ResourceForm>,
) -> AppResult<Response> {
    save_resource(state, page, viewer, tenant, Some(id), form).await
}

async fn save_resource(
    state: AppState,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    id: Option<Uuid>,
    form: ResourceForm,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let new = match form.check() {
        Ok(new) => new,
        Err(errors) => {
            return render_resource(&state, &page, &tenant, id, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let community = tenant.community.id;
    let saved = store::save_resource(&state.db, community, id, &new).await?.ok_or(AppError::NotFound)?;
    state.audit(Some(community), &Actor::user(me), "booking.resource", "booking_resource", saved, &new.name_uk).await?;
    Ok(page.redirect_with(&base(&tenant, &format!("/{saved}")), Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize)]
pub struct ExceptionForm {
    day: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    note: String,
}

async fn add_exception(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<ExceptionForm>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    let r = store::resource(&state.db, community, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let day = NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d").ok();
    if day.is_none() {
        errors.add("day", "booking-invalid-day");
    }
    let hours: Vec<Interval> = domain::parse_hours(&form.hours).unwrap_or_else(|key| {
        errors.add("hours", key);
        vec![]
    });
    let (Some(day), true) = (day, errors.is_empty()) else {
        return render_resource(
            &state,
            &page,
            &tenant,
            Some(id),
            &ResourceForm::of(&r),
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let note: String = form.note.trim().chars().take(200).collect();
    store::set_exception(&state.db, community, id, day, &hours, &note).await?;
    state
        .audit(Some(community), &Actor::user(me), "booking.exception", "booking_resource", id, &day.to_string())
        .await?;
    Ok(page.redirect_with(&base(&tenant, &format!("/{id}")), Flash::success("flash-saved")))
}

async fn delete_exception(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, day)): Path<(Uuid, NaiveDate)>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    if !store::delete_exception(&state.db, tenant.community.id, id, day).await? {
        return Err(AppError::NotFound);
    }
    state
        .audit(
            Some(tenant.community.id),
            &Actor::user(me),
            "booking.exception_delete",
            "booking_resource",
            id,
            &day.to_string(),
        )
        .await?;
    Ok(page.redirect_with(&base(&tenant, &format!("/{id}")), Flash::success("flash-deleted")))
}

// ---------- the day's queue ----------

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    date: Option<NaiveDate>,
}

async fn day(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    let r = store::resource(&state.db, community, id).await?.ok_or(AppError::NotFound)?;
    let now = state.now();
    let today = domain::local_day(now);
    let date = q.date.unwrap_or(today);
    let from = domain::slot_instant(date, 0);
    let visits: Vec<Value> = store::day_visits(&state.db, community, id, from, from + Duration::days(1))
        .await?
        .iter()
        .map(|v| {
            let next: Vec<Value> = v
                .status()
                .next()
                .iter()
                .map(|s| context! { code => s.code(), label => page.t(&format!("booking-mark-{}", s.code())) })
                .collect();
            context! {
                id => v.id.to_string(), time => hromada_kernel::clock::kyiv_time(v.starts_at).format("%H:%M").to_string(),
                name => &v.name, phone => &v.phone, code => &v.code, walk_in => v.walk_in, status => &v.status,
                status_label => page.t(&format!("booking-status-{}", v.status)), next => next,
            }
        })
        .collect();
    // Walk-ins take a free slot of today that is not over.
    let free: Vec<Value> = if date == today {
        let slot = Duration::minutes(r.slot_minutes);
        schedule::days(&state.db, community, &r, today, today, now - slot)
            .await?
            .into_iter()
            .flat_map(|d| d.slots)
            .filter(|s| s.free && s.at + slot > now)
            .map(|s| context! { value => s.at.timestamp().to_string(), label => clock(s.minute) })
            .collect()
    } else {
        vec![]
    };
    page.render(
        "booking/day.html",
        context! {
            r => crate::web::resource_view(&page, &r), date => date.to_string(), date_label => date.format("%d.%m.%Y").to_string(),
            previous => (date - Duration::days(1)).to_string(), next => (date + Duration::days(1)).to_string(),
            visits => visits, free => free, today => date == today,
        },
    )
}

async fn day_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    store::resource(&state.db, community, id).await?.ok_or(AppError::NotFound)?;
    let date = q.date.unwrap_or_else(|| domain::local_day(state.now()));
    let from = domain::slot_instant(date, 0);
    let mut csv = Csv::new(&["time", "name", "phone", "code", "status", "walk_in"]);
    for v in store::day_visits(&state.db, community, id, from, from + Duration::days(1)).await? {
        let time = hromada_kernel::clock::kyiv_time(v.starts_at).format("%H:%M").to_string();
        let phone = v.phone.clone().unwrap_or_default();
        csv.row(&[time.as_str(), &v.name, &phone, &v.code, &v.status, if v.walk_in { "1" } else { "0" }]);
    }
    Ok(csv.into_download(&format!("booking-{date}.csv")))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    to: String,
}

async fn set_status(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    let v = store::visit(&state.db, community, id).await?.ok_or(AppError::NotFound)?;
    let to = Status::parse(&form.to).ok_or(AppError::NotFound)?;
    let back = base(&tenant, &format!("/{}/day?date={}#visit-{}", v.resource_id, domain::local_day(v.starts_at), v.id));
    if !v.status().next().contains(&to)
        || !store::set_status(&state.db, community, id, v.status(), to, state.now()).await?
    {
        return Ok(page.redirect_with(&back, Flash::error("booking-status-stale")));
    }
    state.audit(Some(community), &Actor::user(me), "booking.status", "booking_visit", id, to.code()).await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize)]
pub struct WalkInForm {
    at: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
}

async fn walk_in(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<WalkInForm>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?.clone();
    let r = store::resource(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    let back = base(&tenant, &format!("/{id}/day"));
    let name = form.name.trim();
    if !(2..=200).contains(&name.chars().count()) {
        return Ok(page.redirect_with(&back, Flash::error("booking-invalid-walk-in-name")));
    }
    let at = form
        .at
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .ok_or(AppError::NotFound)?;
    let phone = Some(form.phone.trim()).filter(|p| !p.is_empty());
    let who = Visitor::WalkIn { name, phone, staff: &me };
    let flash = match desk::book(&state, &tenant.community, &r, who, at, None).await? {
        Ok(_) => Flash::success("booking-walk-in-added"),
        Err(refusal) => Flash::error(refusal.key()),
    };
    Ok(page.redirect_with(&back, flash))
}

#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// Finds a visit by the code a resident shows at the counter.
async fn find_code(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    match store::by_code(&state.db, tenant.community.id, &domain::normalize_code(&q.code)).await? {
        Some(v) => {
            let to = base(
                &tenant,
                &format!("/{}/day?date={}#visit-{}", v.resource_id, domain::local_day(v.starts_at), v.id),
            );
            Ok(page.redirect_with(&to, Flash::info("booking-code-found")))
        }
        None => Ok(page.redirect_with(&base(&tenant, ""), Flash::error("booking-code-unknown"))),
    }
}
