//! Appeals in the chatbot: a wizard (kind and topic → the essence → a photo → the place → the
//! author's name, address and contact → confirm → the registration number) and "my appeals".
//! The checks of art. 5 and 8 and the registration are the web form's own.

use crate::domain::{self, CATEGORIES, Kind, Missing};
use crate::notify::{self, Notice};
use crate::store::{self, NewAppeal};
use crate::{FILE, KEY, files, path};
use futures::future::BoxFuture;
use hromada_db::core::holidays;
use hromada_kernel::GeoPoint;
use hromada_web::chat::{Ask, Button, CHAT_UPLOADS, ChatFlow, Entry, Inbound, Reply, Step, Turn, split_data};
use hromada_web::module::required_level;
use hromada_web::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub struct AppealsInChat;

/// What the wizard collected so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Wizard {
    /// The one-time key: confirming twice registers one appeal.
    key: Uuid,
    step: WizardStep,
    kind: Option<Kind>,
    category: Option<String>,
    essence: String,
    photo: Option<Uuid>,
    place: Option<GeoPoint>,
    full_name: String,
    settlement: String,
    street: String,
    contact: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WizardStep {
    #[default]
    Kind,
    Category,
    Essence,
    Photo,
    Place,
    Name,
    Address,
    Contact,
    Confirm,
}

impl ChatFlow for AppealsInChat {
    fn key(&self) -> &'static str {
        KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![
            Entry { action: "new", label: "appeal-bot-entry-new", emoji: "📝" },
            Entry { action: "mine", label: "appeal-bot-entry-mine", emoji: "📂" },
        ]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            match turn.input.button().map(split_data) {
                Some(("mine", _)) => mine(&turn).await,
                Some(("new", _)) => start(&turn).await,
                press => {
                    let Ok(wizard) = serde_json::from_value::<Wizard>(turn.memory.clone()) else {
                        return start(&turn).await;
                    };
                    step(&turn, wizard, press).await
                }
            }
        })
    }
}

/// The resident's own appeals with their state.
async fn mine(turn: &Turn<'_>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let appeals = store::of_author(&turn.state.db, turn.tenant.community.id, user.id).await?;
    if appeals.is_empty() {
        return Ok(Step::done(vec![
            Reply::text(turn.t("appeal-bot-none")).button(Button::data(turn.t("appeal-bot-entry-new"), "new")),
        ]));
    }
    let mut text = turn.t("appeal-bot-mine");
    let mut reply = Reply::default();
    for a in appeals.iter().take(10) {
        let status = a.status();
        text.push_str(&format!(
            "\n\n{} · {}\n{}",
            a.number,
            turn.t(&format!("appeal-status-{}", status.code())),
            a.received_on.format("%d.%m.%Y")
        ));
        if status.open() {
            text.push_str(&format!(
                " · {}",
                turn.t_args("appeal-bot-due", &[("date", a.answer_due.format("%d.%m.%Y").to_string())])
            ));
        }
        reply = reply.button(Button::link(a.number.clone(), turn.link(&path(a))));
    }
    reply.text = text;
    Ok(Step::done(vec![reply]))
}

async fn start(turn: &Turn<'_>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let needed = required_level(&turn.tenant.community, &FILE);
    if !user.identity_level().satisfies(needed) {
        return Err(AppError::IdentityRequired(needed));
    }
    let wizard = Wizard { key: hromada_kernel::new_id(), ..Wizard::default() };
    let intro = Reply::text(turn.t("appeal-bot-intro"));
    Ok(Step::wait(vec![intro, ask(turn, &wizard)], memory(&wizard)?))
}

fn memory(wizard: &Wizard) -> AppResult<serde_json::Value> {
    serde_json::to_value(wizard).map_err(|e| AppError::unexpected(e.to_string()))
}

/// The question of the wizard's current step.
fn ask(turn: &Turn<'_>, w: &Wizard) -> Reply {
    let skip = || Button::data(turn.t("appeal-bot-skip"), "skip");
    match w.step {
        WizardStep::Kind => Kind::ALL.iter().fold(Reply::text(turn.t("appeal-bot-ask-kind")), |r, k| {
            r.button(Button::data(turn.t(&format!("appeal-kind-{}", k.code())), format!("k:{}", k.code())))
        }),
        WizardStep::Category => {
            let buttons: Vec<Button> = CATEGORIES
                .iter()
                .enumerate()
                .map(|(i, c)| Button::data(turn.t(&format!("appeal-category-{c}")), format!("c:{i}")))
                .collect();
            buttons.chunks(2).fold(Reply::text(turn.t("appeal-bot-ask-category")), |r, row| r.row(row.to_vec()))
        }
        WizardStep::Essence => Reply::text(turn.t("appeal-bot-ask-essence")),
        WizardStep::Photo => Reply::text(turn.t("appeal-bot-ask-photo")).button(skip()),
        WizardStep::Place => Reply::text(turn.t("appeal-bot-ask-place")).ask(Ask::Location).button(skip()),
        WizardStep::Name => {
            let known = turn.user.map(|u| u.full_name.trim().to_owned()).filter(|n| !n.is_empty());
            let reply = Reply::text(turn.t("appeal-bot-ask-name"));
            match known {
                Some(name) => reply.button(Button::data(format!("✔ {name}"), "same")),
                None => reply,
            }
        }
        WizardStep::Address => Reply::text(turn.t("appeal-bot-ask-address")),
        WizardStep::Contact => {
            let known = turn.user.and_then(|u| u.email.clone().or_else(|| u.phone.clone()));
            let reply = Reply::text(turn.t("appeal-bot-ask-contact"));
            match known {
                Some(contact) => reply.button(Button::data(format!("✔ {contact}"), "same")),
                None => reply,
            }
        }
        WizardStep::Confirm => {
            let kind = w.kind.map(|k| turn.t(&format!("appeal-kind-{}", k.code()))).unwrap_or_default();
            let category = w.category.as_deref().map(|c| turn.t(&format!("appeal-category-{c}"))).unwrap_or_default();
            let mut text = turn.t("appeal-bot-check");
            text.push_str(&format!("\n\n{kind} · {category}\n\n{}\n", w.essence));
            if let Some(p) = w.place {
                text.push_str(&format!("\n📍 {:.5}, {:.5}", p.lat, p.lon));
            }
            if w.photo.is_some() {
                text.push_str("\n🖼 1");
            }
            text.push_str(&format!("\n\n{}\n{}, {}\n{}", w.full_name, w.settlement, w.street, w.contact));
            Reply::text(text).row(vec![
                Button::data(turn.t("appeal-bot-send"), "send"),
                Button::data(turn.t("appeal-bot-cancel"), "cancel"),
            ])
        }
    }
}

/// Takes the answer to the current step and asks the next question.
async fn step(turn: &Turn<'_>, mut w: Wizard, press: Option<(&str, &str)>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let text = turn.input.text().unwrap_or("").to_owned();
    let refuse = |w: &Wizard, key: &str| -> AppResult<Step> {
        Ok(Step::wait(vec![Reply::text(turn.t(key)), ask(turn, w)], memory(w)?))
    };
    if press == Some(("cancel", "")) {
        return Ok(Step::done(vec![Reply::text(turn.t("appeal-bot-cancelled"))]));
    }
    match (w.step, press, turn.input) {
        (WizardStep::Kind, Some(("k", code)), _) => match Kind::parse(code) {
            Some(kind) => {
                w.kind = Some(kind);
                w.step = WizardStep::Category;
            }
            None => return refuse(&w, "appeal-invalid-kind"),
        },
        (WizardStep::Category, Some(("c", i)), _) => match i.parse::<usize>().ok().and_then(|i| CATEGORIES.get(i)) {
            Some(c) => {
                w.category = Some((*c).to_owned());
                w.step = WizardStep::Essence;
            }
            None => return refuse(&w, "appeal-invalid-category"),
        },
        (WizardStep::Essence, None, Inbound::Text { .. }) => {
            if text.chars().count() < domain::MIN_ESSENCE_CHARS {
                return refuse(&w, "appeal-invalid-essence");
            }
            w.essence = text.chars().take(10_000).collect();
            w.step = WizardStep::Photo;
        }
        (WizardStep::Photo, None, Inbound::Photo { upload }) => {
            w.photo = Some(*upload);
            w.step = WizardStep::Place;
        }
        (WizardStep::Photo, Some(("skip", _)), _) => w.step = WizardStep::Place,
        (WizardStep::Place, None, Inbound::Location { point }) => {
            w.place = Some(*point);
            w.step = WizardStep::Name;
        }
        (WizardStep::Place, Some(("skip", _)), _) => w.step = WizardStep::Name,
        (WizardStep::Name, Some(("same", _)), _) => {
            w.full_name = user.full_name.trim().to_owned();
            w.step = WizardStep::Address;
        }
        (WizardStep::Name, None, Inbound::Text { .. }) => {
            w.full_name = text;
            w.step = WizardStep::Address;
        }
        (WizardStep::Address, None, Inbound::Text { .. }) => match text.split_once(',') {
            Some((settlement, street)) if !settlement.trim().is_empty() && !street.trim().is_empty() => {
                w.settlement = settlement.trim().to_owned();
                w.street = street.trim().to_owned();
                w.step = WizardStep::Contact;
            }
            _ => return refuse(&w, "appeal-bot-address-format"),
        },
        (WizardStep::Contact, Some(("same", _)), _) => {
            w.contact = user.email.clone().or_else(|| user.phone.clone()).unwrap_or_default();
            w.step = WizardStep::Confirm;
        }
        (WizardStep::Contact, None, Inbound::Text { .. }) => {
            w.contact = text;
            w.step = WizardStep::Confirm;
        }
        (WizardStep::Confirm, Some(("send", _)), _) => return register(turn, &w).await,
        _ => return refuse(&w, "appeal-bot-use-buttons"),
    }
    if w.step == WizardStep::Confirm {
        // The law's checks before the resident confirms: a missing name or address would
        // make the appeal anonymous (art. 8), so the step that lacks it is asked again.
        let draft = domain::Draft {
            full_name: &w.full_name,
            settlement: Some(w.settlement.as_str()),
            street: &w.street,
            contact: &w.contact,
            essence: &w.essence,
        };
        if let Err(missing) = domain::check(&draft) {
            let (back, key) = match missing[0] {
                Missing::FullName => (WizardStep::Name, "appeal-invalid-full-name"),
                Missing::Address => (WizardStep::Address, "appeal-invalid-address"),
                Missing::Contact => (WizardStep::Contact, "appeal-invalid-contact"),
                Missing::Essence => (WizardStep::Essence, "appeal-invalid-essence"),
            };
            w.step = back;
            return refuse(&w, key);
        }
    }
    Ok(Step::wait(vec![ask(turn, &w)], memory(&w)?))
}

/// Registers the appeal as the web form does and tells its number and term.
async fn register(turn: &Turn<'_>, w: &Wizard) -> AppResult<Step> {
    let user = turn.require_user()?;
    let state = turn.state;
    let c = &turn.tenant.community;
    let hour = std::time::Duration::from_secs(3600);
    if !state.limiter.hit(&format!("appeal:{}", user.id), 20, hour) {
        return Err(AppError::TooManyRequests);
    }
    let mut essence = w.essence.clone();
    if let Some(p) = w.place {
        essence.push_str(&format!("\n\n{}: {:.6}, {:.6}", turn.t("appeal-bot-place-label"), p.lat, p.lon));
    }
    let key = w.key.to_string();
    let category = w.category.clone().unwrap_or_else(|| "other".into());
    let new = NewAppeal {
        kind: w.kind.unwrap_or(Kind::Statement),
        author_id: user.id,
        full_name: &w.full_name,
        settlement: &w.settlement,
        street: &w.street,
        contact: &w.contact,
        essence: &essence,
        complaint_about: None,
        publish_consent: false,
        category: &category,
        submission_key: Some(&key),
        from_petition: None,
    };
    let calendar = holidays::calendar(&state.db).await?;
    let registered = store::register(&state.db, c.id, &new, &calendar, state.now()).await?;
    let appeal = registered.appeal;
    if registered.new {
        if let Some(photo) = w.photo {
            hromada_media::store::adopt(
                &state.db,
                c.id,
                photo,
                CHAT_UPLOADS,
                user.id,
                KEY,
                &appeal.id.to_string(),
                files::ATTACHMENT,
            )
            .await?;
        }
        notify::author(state, c, &appeal, Notice::Registered).await?;
        notify::administrators(state, c, &appeal, Notice::New).await?;
    }
    let text = turn.t_args(
        "appeal-bot-registered",
        &[("number", appeal.number.clone()), ("date", appeal.answer_due.format("%d.%m.%Y").to_string())],
    );
    Ok(Step::done(vec![Reply::text(text).button(Button::link(turn.t("appeal-bot-open"), turn.link(&path(&appeal))))]))
}
