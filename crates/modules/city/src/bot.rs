//! Open City in the chatbot: report a problem (category → photo → place → description → the
//! category's own questions → send) and follow one's reports. Filing goes through the same
//! intake as the web form and Open311.

use crate::domain::{self, Location};
use crate::intake::{self, Author, Source};
use crate::store::Category;
use crate::{KEY, REPORT};
use futures::future::BoxFuture;
use hromada_kernel::GeoPoint;
use hromada_web::chat::{Ask, Button, CHAT_UPLOADS, ChatFlow, Entry, Inbound, Reply, Step, Turn, split_data};
use hromada_web::module::required_level;
use hromada_web::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub struct CityInChat;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Draft {
    category: Option<Uuid>,
    photo: Option<Uuid>,
    place: Option<GeoPoint>,
    address: String,
    description: String,
    answers: BTreeMap<String, String>,
    step: DraftStep,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DraftStep {
    #[default]
    Category,
    Photo,
    Place,
    Description,
    /// The category's extra question with this index.
    Question(usize),
    Confirm,
}

impl ChatFlow for CityInChat {
    fn key(&self) -> &'static str {
        KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![Entry { action: "new", label: "city-bot-entry", emoji: "🛠" }]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            match turn.input.button().map(split_data) {
                Some(("new", _)) => start(&turn).await,
                press => match serde_json::from_value::<Draft>(turn.memory.clone()) {
                    Ok(draft) => step(&turn, draft, press).await,
                    Err(_) => start(&turn).await,
                },
            }
        })
    }
}

fn memory(d: &Draft) -> AppResult<serde_json::Value> {
    serde_json::to_value(d).map_err(|e| AppError::unexpected(e.to_string()))
}

async fn start(turn: &Turn<'_>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let needed = required_level(&turn.tenant.community, &REPORT);
    if !user.identity_level().satisfies(needed) {
        return Err(AppError::IdentityRequired(needed));
    }
    let categories = intake::categories(turn.state, &turn.tenant.community, true).await?;
    let draft = Draft::default();
    Ok(Step::wait(vec![ask(turn, &draft, &categories)], memory(&draft)?))
}

fn ask(turn: &Turn<'_>, d: &Draft, categories: &[Category]) -> Reply {
    let skip = || Button::data(turn.t("city-bot-skip"), "skip");
    match d.step {
        DraftStep::Category => {
            let buttons: Vec<Button> =
                categories.iter().map(|c| Button::data(c.name(turn.lang), format!("c:{}", c.code))).collect();
            buttons.chunks(2).fold(Reply::text(turn.t("city-bot-ask-category")), |r, row| r.row(row.to_vec()))
        }
        DraftStep::Photo => Reply::text(turn.t("city-bot-ask-photo")).ask(Ask::Photo).button(skip()),
        DraftStep::Place => Reply::text(turn.t("city-bot-ask-place")).ask(Ask::Location),
        DraftStep::Description => Reply::text(turn.t("city-bot-ask-description")),
        DraftStep::Question(i) => {
            let q = categories.iter().find(|c| Some(c.id) == d.category).and_then(|c| c.questions.0.get(i).cloned());
            match q {
                Some(q) if q.required => Reply::text(q.label(turn.lang).to_owned()),
                Some(q) => Reply::text(q.label(turn.lang).to_owned()).button(skip()),
                None => Reply::text(turn.t("city-bot-ask-description")),
            }
        }
        DraftStep::Confirm => {
            let category =
                categories.iter().find(|c| Some(c.id) == d.category).map(|c| c.name(turn.lang)).unwrap_or("");
            let mut text = format!("{}\n\n{category}\n{}", turn.t("city-bot-check"), d.description);
            if let Some(p) = d.place {
                text.push_str(&format!("\n📍 {:.5}, {:.5}", p.lat, p.lon));
            }
            if !d.address.is_empty() {
                text.push_str(&format!("\n📍 {}", d.address));
            }
            for (code, value) in &d.answers {
                text.push_str(&format!("\n{code}: {value}"));
            }
            Reply::text(text).row(vec![
                Button::data(turn.t("city-bot-send"), "send"),
                Button::data(turn.t("city-bot-cancel"), "cancel"),
            ])
        }
    }
}

async fn step(turn: &Turn<'_>, mut d: Draft, press: Option<(&str, &str)>) -> AppResult<Step> {
    turn.require_user()?;
    let c = &turn.tenant.community;
    let categories = intake::categories(turn.state, c, true).await?;
    let category = d.category.and_then(|id| categories.iter().find(|cat| cat.id == id));
    let questions = category.map(|cat| cat.questions.0.clone()).unwrap_or_default();
    let text = turn.input.text().unwrap_or("").to_owned();
    let refuse = |d: &Draft, key: &str| -> AppResult<Step> {
        Ok(Step::wait(vec![Reply::text(turn.t(key)), ask(turn, d, &categories)], memory(d)?))
    };
    if press == Some(("cancel", "")) {
        return Ok(Step::done(vec![Reply::text(turn.t("city-bot-cancelled"))]));
    }
    match (d.step, press, turn.input) {
        (DraftStep::Category, Some(("c", code)), _) => match categories.iter().find(|cat| cat.code == code) {
            Some(cat) => {
                d.category = Some(cat.id);
                d.step = DraftStep::Photo;
            }
            None => return refuse(&d, "city-invalid-category"),
        },
        (DraftStep::Photo, None, Inbound::Photo { upload }) => {
            d.photo = Some(*upload);
            d.step = DraftStep::Place;
        }
        (DraftStep::Photo, Some(("skip", _)), _) => d.step = DraftStep::Place,
        (DraftStep::Place, None, Inbound::Location { point }) => {
            d.place = Some(*point);
            d.step = DraftStep::Description;
        }
        // Where a location cannot be sent, an address will do, as on the web form.
        (DraftStep::Place, None, Inbound::Text { .. }) if !text.is_empty() => {
            d.address = text.chars().take(300).collect();
            d.step = DraftStep::Description;
        }
        (DraftStep::Description, None, Inbound::Text { .. }) => {
            if let Err(key) = domain::check_description(&text) {
                return refuse(&d, key);
            }
            d.description = text;
            d.step = if questions.is_empty() { DraftStep::Confirm } else { DraftStep::Question(0) };
        }
        (DraftStep::Question(i), _, _) if i < questions.len() => {
            let q = &questions[i];
            match (press, turn.input) {
                (Some(("skip", _)), _) if !q.required => {}
                (None, Inbound::Text { .. }) => {
                    let one = BTreeMap::from([(q.code.clone(), text.clone())]);
                    if domain::check_answers(std::slice::from_ref(q), &one).is_err() {
                        return refuse(&d, "city-invalid-answer");
                    }
                    d.answers.insert(q.code.clone(), text.clone());
                }
                _ => return refuse(&d, "city-bot-use-buttons"),
            }
            d.step = if i + 1 < questions.len() { DraftStep::Question(i + 1) } else { DraftStep::Confirm };
        }
        (DraftStep::Confirm, Some(("send", _)), _) => {
            let Some(category) = category else { return start(turn).await };
            return file(turn, &d, category).await;
        }
        _ => return refuse(&d, "city-bot-use-buttons"),
    }
    Ok(Step::wait(vec![ask(turn, &d, &categories)], memory(&d)?))
}

async fn file(turn: &Turn<'_>, d: &Draft, category: &Category) -> AppResult<Step> {
    let user = turn.require_user()?;
    let state = turn.state;
    let c = &turn.tenant.community;
    if !state.limiter.hit(&format!("city-report:{}", user.id), 20, std::time::Duration::from_secs(3600)) {
        return Err(AppError::TooManyRequests);
    }
    let answers = match intake::check(category, &d.description, &d.answers) {
        Ok(a) => a,
        Err(problems) => {
            let key = problems.first().map(|(_, k)| k.clone()).unwrap_or_else(|| "city-invalid-answer".into());
            return Ok(Step::done(vec![Reply::text(turn.t(&key))]));
        }
    };
    let location = Location { point: d.place, settlement: None, address: d.address.clone() };
    let author = Author { id: Some(user.id), name: &user.full_name, email: user.email.as_deref() };
    let report = intake::file(state, c, category, author, &d.description, &location, answers, Source::Web).await?;
    if let Some(photo) = d.photo {
        hromada_media::store::adopt(
            &state.db,
            c.id,
            photo,
            CHAT_UPLOADS,
            user.id,
            KEY,
            &report.id.to_string(),
            "photo",
        )
        .await?;
    }
    let text = turn.t_args("city-bot-filed", &[("number", report.number.to_string())]);
    let link = turn.link(&format!("/city/{}", report.number));
    Ok(Step::done(vec![Reply::text(text).button(Button::link(turn.t("city-bot-open"), link))]))
}
