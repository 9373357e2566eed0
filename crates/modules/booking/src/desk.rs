//! The one way a visit is booked, whoever books it (a resident on the web or in the chat, staff
//! for a walk-in): the slot checked against the day's hours, a check-in code, the database's
//! word on the slot, the audit, and a confirmation to the resident.

use crate::domain::{self, Refusal};
use crate::schedule;
use crate::store::{self, BookError, NewVisit, Resource, Visit};
use chrono::{DateTime, Duration, Utc};
use hromada_db::core::audit::Actor;
use hromada_db::core::communities::Community;
use hromada_db::core::users::User;
use hromada_web::{AppError, AppResult, AppState};
use uuid::Uuid;

/// Who the visit is for.
pub enum Visitor<'a> {
    /// A signed-in resident, for a slot ahead.
    Resident(&'a User),
    /// Someone at the counter, added by staff into a slot of today.
    WalkIn { name: &'a str, phone: Option<&'a str>, staff: &'a User },
}

fn code() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    domain::check_in_code(bytes)
}

/// Books `at` at `r`, moving the resident's visit `moving` if given. A refusal is an answer,
/// not an error.
pub async fn book(
    state: &AppState,
    community: &Community,
    r: &Resource,
    who: Visitor<'_>,
    at: DateTime<Utc>,
    moving: Option<Uuid>,
) -> AppResult<Result<Visit, Refusal>> {
    let now = state.now();
    let rules = r.rules();
    let day = domain::local_day(at);
    let hours = schedule::hours_on(&state.db, community.id, r, day).await?;
    let checked = match who {
        Visitor::Resident(_) => domain::check_slot(&rules, &hours, at, now),
        Visitor::WalkIn { .. } => domain::check_walk_in(&rules, &hours, at, now),
    };
    if let Err(refusal) = checked {
        return Ok(Err(refusal));
    }
    let (user, name, phone, walk_in, actor) = match who {
        Visitor::Resident(u) => (Some(u.id), u.full_name.clone(), None, false, Actor::user(u)),
        Visitor::WalkIn { name, phone, staff } => {
            (None, name.to_owned(), phone.map(str::to_owned), true, Actor::user(staff))
        }
    };
    let mut visit = NewVisit {
        resource: r.id,
        starts_at: at,
        ends_at: at + Duration::minutes(i64::from(rules.slot_minutes)),
        user,
        name,
        phone,
        code: code(),
        walk_in,
    };
    let mut attempts = 0;
    let booked = loop {
        match store::book(&state.db, community.id, &visit, moving, now).await {
            Ok(v) => break v,
            Err(BookError::Refused(refusal)) => return Ok(Err(refusal)),
            // Two visits drew the same code: draw again.
            Err(BookError::Db(e)) if e.is_unique_on("code") && attempts < 3 => {
                attempts += 1;
                visit.code = code();
            }
            Err(BookError::Db(e)) => return Err(e.into()),
        }
    };
    let action = if moving.is_some() {
        "booking.move"
    } else if walk_in {
        "booking.walk_in"
    } else {
        "booking.book"
    };
    state.audit(Some(community.id), &actor, action, "booking_visit", booked.id, &booked.code).await?;
    if let Some(user) = booked.user_id {
        confirm(state, community, r, &booked, user).await.map_err(|e| AppError::unexpected(e.to_string()))?;
    }
    Ok(Ok(booked))
}

/// When a visit is, as a resident reads it: `01.12.2026 09:30`.
pub fn when(at: DateTime<Utc>) -> String {
    hromada_kernel::clock::kyiv_time(at).format("%d.%m.%Y %H:%M").to_string()
}

async fn confirm(
    state: &AppState,
    community: &Community,
    r: &Resource,
    v: &Visit,
    user: hromada_kernel::UserId,
) -> anyhow::Result<()> {
    let values = [
        ("what", r.name_uk.as_str()),
        ("place", r.place.as_str()),
        ("address", r.address.as_str()),
        ("when", &when(v.starts_at)),
        ("code", v.code.as_str()),
    ];
    hromada_web::mail::to_accounts(state, community, &[user], "booking-mail-booked", &values).await?;
    Ok(())
}

/// Cancels a resident's own visit while the rules allow it.
pub async fn cancel(
    state: &AppState,
    community: &Community,
    user: &User,
    visit: Uuid,
) -> AppResult<Result<Visit, Refusal>> {
    let v = store::visit(&state.db, community.id, visit)
        .await?
        .filter(|v| v.user_id == Some(user.id))
        .ok_or(AppError::NotFound)?;
    let r = store::resource(&state.db, community.id, v.resource_id).await?.ok_or(AppError::NotFound)?;
    let now = state.now();
    if v.status() != domain::Status::Booked || !domain::may_cancel(&r.rules(), v.starts_at, now) {
        return Ok(Err(Refusal::TooLate));
    }
    if !store::set_status(&state.db, community.id, v.id, domain::Status::Booked, domain::Status::Cancelled, now).await?
    {
        return Ok(Err(Refusal::TooLate));
    }
    state.audit(Some(community.id), &Actor::user(user), "booking.cancel", "booking_visit", v.id, &v.code).await?;
    Ok(Ok(v))
}
