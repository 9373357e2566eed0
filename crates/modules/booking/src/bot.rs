//! Booking in the chatbot: pick what to book, a day, a time, confirm; see one's visits and
//! cancel one. Every button carries what it needs, so a chat can be left and picked up later.

use crate::desk::{self, Visitor};
use crate::domain;
use crate::schedule::{self, clock};
use crate::store;
use crate::{KEY, gated_action};
use chrono::{DateTime, NaiveDate};
use futures::future::BoxFuture;
use hromada_web::chat::{Button, ChatFlow, Entry, Reply, Step, Turn, split_data};
use hromada_web::module::required_level;
use hromada_web::{AppError, AppResult};
use uuid::Uuid;

pub struct BookingInChat;

/// Days and times offered as buttons at most.
const MAX_DAYS: usize = 8;
const MAX_TIMES: usize = 24;

impl ChatFlow for BookingInChat {
    fn key(&self) -> &'static str {
        KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![
            Entry { action: "book", label: "booking-bot-entry", emoji: "📅" },
            Entry { action: "mine", label: "booking-bot-mine", emoji: "🗓" },
        ]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            let Some((action, arg)) = turn.input.button().map(split_data) else { return resources(&turn).await };
            let mut parts = arg.splitn(2, ':');
            let resource = parts.next().and_then(|r| r.parse::<Uuid>().ok());
            let rest = parts.next().unwrap_or("");
            match (action, resource) {
                ("r", Some(r)) => days(&turn, r).await,
                ("d", Some(r)) => times(&turn, r, rest.parse().ok()).await,
                ("t", Some(r)) => confirm(&turn, r, rest.parse().ok()).await,
                ("ok", Some(r)) => book(&turn, r, rest.parse().ok()).await,
                ("x", Some(visit)) => cancel(&turn, visit).await,
                ("mine", _) => mine(&turn).await,
                _ => resources(&turn).await,
            }
        })
    }
}

fn at(seconds: Option<i64>) -> Option<DateTime<chrono::Utc>> {
    DateTime::from_timestamp(seconds?, 0)
}

async fn resource(turn: &Turn<'_>, id: Uuid) -> AppResult<store::Resource> {
    store::resource(&turn.state.db, turn.tenant.community.id, id).await?.filter(|r| r.active).ok_or(AppError::NotFound)
}

async fn resources(turn: &Turn<'_>) -> AppResult<Step> {
    let list = store::resources(&turn.state.db, turn.tenant.community.id, false).await?;
    if list.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("booking-none"))]));
    }
    let reply = list.iter().fold(Reply::text(turn.t("booking-bot-ask-resource")), |reply, r| {
        let label = if r.specialty.is_empty() {
            r.name(turn.lang).to_owned()
        } else {
            format!("{} — {}", r.specialty, r.name(turn.lang))
        };
        reply.button(Button::data(label, format!("r:{}", r.id)))
    });
    Ok(Step::done(vec![reply]))
}

async fn days(turn: &Turn<'_>, id: Uuid) -> AppResult<Step> {
    let r = resource(turn, id).await?;
    let open = schedule::open_days(&turn.state.db, turn.tenant.community.id, &r, turn.now()).await?;
    let buttons: Vec<Button> = open
        .iter()
        .filter(|d| d.free() > 0)
        .take(MAX_DAYS)
        .map(|d| Button::data(format!("{} ({})", d.date.format("%d.%m"), d.free()), format!("d:{}:{}", r.id, d.date)))
        .collect();
    if buttons.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("booking-no-free"))]));
    }
    let text = format!("{}\n{}, {}\n\n{}", r.name(turn.lang), r.place, r.address, turn.t("booking-bot-ask-day"));
    Ok(Step::done(vec![buttons.chunks(2).fold(Reply::text(text), |reply, row| reply.row(row.to_vec()))]))
}

async fn times(turn: &Turn<'_>, id: Uuid, day: Option<NaiveDate>) -> AppResult<Step> {
    let r = resource(turn, id).await?;
    let Some(day) = day else { return days(turn, id).await };
    let found = schedule::days(&turn.state.db, turn.tenant.community.id, &r, day, day, turn.now()).await?;
    let buttons: Vec<Button> = found
        .iter()
        .flat_map(|d| d.slots.iter())
        .filter(|s| s.free)
        .take(MAX_TIMES)
        .map(|s| Button::data(clock(s.minute), format!("t:{}:{}", r.id, s.at.timestamp())))
        .collect();
    if buttons.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("booking-no-free"))]));
    }
    let text = turn.t_args("booking-bot-ask-time", &[("date", day.format("%d.%m.%Y").to_string())]);
    Ok(Step::done(vec![buttons.chunks(4).fold(Reply::text(text), |reply, row| reply.row(row.to_vec()))]))
}

async fn confirm(turn: &Turn<'_>, id: Uuid, seconds: Option<i64>) -> AppResult<Step> {
    let r = resource(turn, id).await?;
    let Some(when) = at(seconds) else { return days(turn, id).await };
    let text = turn.t_args(
        "booking-bot-confirm",
        &[
            ("what", r.name(turn.lang).to_owned()),
            ("when", desk::when(when)),
            ("place", format!("{}, {}", r.place, r.address)),
        ],
    );
    Ok(Step::done(vec![Reply::text(text).row(vec![
        Button::data(turn.t("booking-confirm"), format!("ok:{}:{}", r.id, when.timestamp())),
        Button::data(turn.t("booking-bot-other-time"), format!("d:{}:{}", r.id, domain::local_day(when))),
    ])]))
}

async fn book(turn: &Turn<'_>, id: Uuid, seconds: Option<i64>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let r = resource(turn, id).await?;
    let needed = required_level(&turn.tenant.community, &gated_action(&r.kind));
    if !user.identity_level().satisfies(needed) {
        return Err(AppError::IdentityRequired(needed));
    }
    let Some(when) = at(seconds) else { return days(turn, id).await };
    match desk::book(turn.state, &turn.tenant.community, &r, Visitor::Resident(user), when, None).await? {
        Ok(v) => {
            let text =
                turn.t_args("booking-bot-booked", &[("when", desk::when(v.starts_at)), ("code", v.code.clone())]);
            Ok(Step::done(vec![
                Reply::text(text).button(Button::link(turn.t("booking-mine"), turn.link("/booking/mine"))),
            ]))
        }
        Err(refusal) => Ok(Step::done(vec![
            Reply::text(turn.t(refusal.key()))
                .button(Button::data(turn.t("booking-bot-other-time"), format!("r:{}", r.id))),
        ])),
    }
}

async fn mine(turn: &Turn<'_>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let community = turn.tenant.community.id;
    let now = turn.now();
    let visits: Vec<store::Visit> = store::of_user(&turn.state.db, community, user.id, 20)
        .await?
        .into_iter()
        .filter(|v| v.status() == domain::Status::Booked && v.starts_at > now)
        .collect();
    if visits.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("booking-bot-no-visits"))]));
    }
    let resources = store::resources(&turn.state.db, community, true).await?;
    let mut replies = vec![];
    for v in visits.iter().rev() {
        let name =
            resources.iter().find(|r| r.id == v.resource_id).map(|r| r.name(turn.lang).to_owned()).unwrap_or_default();
        let text = format!("{name}\n{}\n{}: {}", desk::when(v.starts_at), turn.t("booking-code"), v.code);
        replies.push(Reply::text(text).button(Button::data(turn.t("booking-cancel"), format!("x:{}", v.id))));
    }
    Ok(Step::done(replies))
}

async fn cancel(turn: &Turn<'_>, visit: Uuid) -> AppResult<Step> {
    let user = turn.require_user()?;
    let key = match desk::cancel(turn.state, &turn.tenant.community, user, visit).await? {
        Ok(_) => "booking-cancelled",
        Err(refusal) => refusal.key(),
    };
    Ok(Step::done(vec![Reply::text(turn.t(key))]))
}
