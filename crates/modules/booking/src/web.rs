//! The resident's side: what can be booked, a resource's open days and free slots, confirming
//! a slot, one's own visits with their codes, cancelling and moving them.

use crate::desk::{self, Visitor};
use crate::domain;
use crate::schedule::{self, clock};
use crate::store::{self, Resource};
use crate::{KEY, gated_action};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, NaiveDate, Utc};
use hromada_web::auth::Viewer;
use hromada_web::module::require_level;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/booking", get(index))
        .route("/booking/mine", get(mine))
        .route("/booking/{id}", get(resource))
        .route("/booking/{id}/confirm", get(confirm))
        .route("/booking/{id}/book", post(book))
        .route("/booking/visits/{id}/cancel", post(cancel))
}

pub fn resource_view(page: &Page, r: &Resource) -> Value {
    context! {
        id => r.id.to_string(),
        href => page.url(&format!("/booking/{}", r.id)),
        kind => &r.kind,
        name => r.name(page.lang),
        specialty => &r.specialty,
        place => &r.place,
        address => &r.address,
        service => r.service_number.map(|n| page.url(&format!("/services/{n}"))),
        slot_minutes => r.slot_minutes,
    }
}

async fn index(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let list = store::resources(&state.db, tenant.community.id, false).await?;
    let cnap: Vec<Value> = list.iter().filter(|r| r.kind == "cnap").map(|r| resource_view(&page, r)).collect();
    let doctors: Vec<Value> = list.iter().filter(|r| r.kind == "doctor").map(|r| resource_view(&page, r)).collect();
    page.render("booking/index.html", context! { cnap => cnap, doctors => doctors })
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    date: Option<NaiveDate>,
    #[serde(rename = "move")]
    moving: Option<Uuid>,
}

async fn resource(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    let r =
        store::resource(&state.db, tenant.community.id, id).await?.filter(|r| r.active).ok_or(AppError::NotFound)?;
    let days = schedule::open_days(&state.db, tenant.community.id, &r, state.now()).await?;
    let chosen =
        q.date.and_then(|d| days.iter().find(|day| day.date == d)).or_else(|| days.iter().find(|d| d.free() > 0));
    let moving = q.moving.map(|m| format!("&move={m}")).unwrap_or_default();
    let day_links: Vec<Value> = days
        .iter()
        .map(|d| {
            context! {
                label => d.date.format("%d.%m").to_string(),
                weekday => page.t(&format!("booking-weekday-{}", chrono::Datelike::weekday(&d.date).num_days_from_monday())),
                free => d.free(),
                note => &d.note,
                current => chosen.is_some_and(|c| c.date == d.date),
                href => page.url(&format!("/booking/{}?date={}{moving}", r.id, d.date)),
            }
        })
        .collect();
    let slots: Vec<Value> = chosen
        .map(|d| {
            d.slots
                .iter()
                .map(|s| {
                    context! {
                        time => clock(s.minute), free => s.free,
                        href => page.url(&format!("/booking/{}/confirm?at={}{moving}", r.id, s.at.timestamp())),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    page.render(
        "booking/resource.html",
        context! {
            r => resource_view(&page, &r), days => day_links, slots => slots, moving => q.moving.is_some(),
            date => chosen.map(|d| d.date.format("%d.%m.%Y").to_string()),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SlotQuery {
    /// The slot's start, in seconds since the epoch.
    at: i64,
    #[serde(rename = "move")]
    moving: Option<Uuid>,
}

fn instant(seconds: i64) -> AppResult<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0).ok_or(AppError::NotFound)
}

async fn confirm(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Query(q): Query<SlotQuery>,
) -> AppResult<Response> {
    viewer.require_user()?;
    let r =
        store::resource(&state.db, tenant.community.id, id).await?.filter(|r| r.active).ok_or(AppError::NotFound)?;
    let at = instant(q.at)?;
    page.render(
        "booking/confirm.html",
        context! {
            r => resource_view(&page, &r), when => desk::when(at), at => q.at,
            moving => q.moving.map(|m| m.to_string()),
            cancel_before => r.cancel_before_minutes,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct BookForm {
    at: i64,
    #[serde(default, rename = "move")]
    moving: String,
}

async fn book(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<BookForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?.clone();
    let r =
        store::resource(&state.db, tenant.community.id, id).await?.filter(|r| r.active).ok_or(AppError::NotFound)?;
    require_level(&viewer, &tenant.community, &gated_action(&r.kind))?;
    if !state.limiter.hit(&format!("{KEY}:{}", user.id), 30, std::time::Duration::from_secs(3600)) {
        return Err(AppError::TooManyRequests);
    }
    let at = instant(form.at)?;
    let moving = form.moving.parse::<Uuid>().ok();
    match desk::book(&state, &tenant.community, &r, Visitor::Resident(&user), at, moving).await? {
        Ok(v) => {
            Ok(page
                .redirect_with(&tenant.url(&format!("/booking/mine#visit-{}", v.id)), Flash::success("booking-booked")))
        }
        Err(refusal) => {
            let back = format!("/booking/{}?date={}", r.id, domain::local_day(at));
            Ok(page.redirect_with(&tenant.url(&back), Flash::error(refusal.key())))
        }
    }
}

async fn mine(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let community = tenant.community.id;
    let resources = store::resources(&state.db, community, true).await?;
    let now = state.now();
    let visits: Vec<Value> = store::of_user(&state.db, community, user.id, 50)
        .await?
        .iter()
        .map(|v| {
            let r = resources.iter().find(|r| r.id == v.resource_id);
            let may_change = v.status() == domain::Status::Booked
                && r.is_some_and(|r| domain::may_cancel(&r.rules(), v.starts_at, now));
            context! {
                id => v.id.to_string(),
                what => r.map(|r| r.name(page.lang).to_owned()),
                place => r.map(|r| format!("{}, {}", r.place, r.address)),
                when => desk::when(v.starts_at),
                code => &v.code,
                status => page.t(&format!("booking-status-{}", v.status)),
                upcoming => v.status() == domain::Status::Booked && v.starts_at > now,
                may_change => may_change,
                move_href => r.map(|r| page.url(&format!("/booking/{}?move={}", r.id, v.id))),
            }
        })
        .collect();
    page.render("booking/mine.html", context! { visits => visits })
}

async fn cancel(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let user = viewer.require_user()?.clone();
    let flash = match desk::cancel(&state, &tenant.community, &user, id).await? {
        Ok(_) => Flash::success("booking-cancelled"),
        Err(refusal) => Flash::error(refusal.key()),
    };
    Ok(page.redirect_with(&tenant.url("/booking/mine"), flash))
}
