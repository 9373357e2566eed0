//! The catalogue in the chatbot: find a CNAP service by category or by a word and read what to
//! bring; the nearest office to a sent location; the online services' links.

use crate::KEY;
use crate::domain::{self, format_cost};
use crate::store::{self, CardFilter};
use futures::future::BoxFuture;
use hromada_web::AppResult;
use hromada_web::chat::{Ask, Button, ChatFlow, Entry, Inbound, Reply, Step, Turn, split_data};
use serde_json::json;

pub struct ServicesInChat;

/// Services listed as buttons at most; past that the resident narrows down or opens the site.
const MAX_BUTTONS: usize = 12;

impl ChatFlow for ServicesInChat {
    fn key(&self) -> &'static str {
        KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![
            Entry { action: "cnap", label: "services-bot-entry", emoji: "📋" },
            Entry { action: "offices", label: "services-bot-offices", emoji: "📍" },
            Entry { action: "online", label: "services-bot-online", emoji: "🌐" },
        ]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            match (turn.input.button().map(split_data), turn.input) {
                (Some(("cnap", _)), _) => catalogue(&turn).await,
                (Some(("c", code)), _) => category(&turn, code).await,
                (Some(("s", number)), _) => card(&turn, number.parse().unwrap_or(0)).await,
                (Some(("offices", _)), _) => offices(&turn).await,
                (Some(("online", _)), _) => online(&turn).await,
                (None, Inbound::Location { point }) if turn.memory["waiting"] == "location" => {
                    nearest(&turn, *point).await
                }
                (None, Inbound::Text { text }) if turn.memory["waiting"] == "query" => search(&turn, text).await,
                _ => catalogue(&turn).await,
            }
        })
    }
}

fn waiting(what: &str) -> serde_json::Value {
    json!({ "waiting": what })
}

fn card_buttons(reply: Reply, cards: &[store::ServiceCard], turn: &Turn<'_>) -> Reply {
    cards.iter().take(MAX_BUTTONS).fold(reply, |r, c| {
        r.button(Button::data(c.name(turn.lang).chars().take(60).collect::<String>(), format!("s:{}", c.number)))
    })
}

async fn catalogue(turn: &Turn<'_>) -> AppResult<Step> {
    let categories = store::categories(&turn.state.db, turn.tenant.community.id).await?;
    let buttons: Vec<Button> =
        categories.iter().map(|c| Button::data(c.name(turn.lang), format!("c:{}", c.code))).collect();
    let reply = buttons.chunks(2).fold(Reply::text(turn.t("services-bot-ask")), |r, row| r.row(row.to_vec()));
    Ok(Step::wait(vec![reply], waiting("query")))
}

async fn category(turn: &Turn<'_>, code: &str) -> AppResult<Step> {
    let community = turn.tenant.community.id;
    let categories = store::categories(&turn.state.db, community).await?;
    let Some(c) = categories.iter().find(|c| c.code == code) else { return catalogue(turn).await };
    let filter = CardFilter { category: Some(c.id), ..CardFilter::default() };
    let cards = store::cards(&turn.state.db, community, &filter, (MAX_BUTTONS + 1) as i64).await?;
    let mut reply = card_buttons(Reply::text(c.name(turn.lang).to_owned()), &cards, turn);
    if cards.len() > MAX_BUTTONS {
        let link = turn.link(&format!("/services?category={}", hromada_web::page::urlencode(code)));
        reply = reply.button(Button::link(turn.t("services-bot-all"), link));
    }
    Ok(Step::wait(vec![reply], waiting("query")))
}

async fn search(turn: &Turn<'_>, text: &str) -> AppResult<Step> {
    let filter = CardFilter { query: Some(text.to_owned()), ..CardFilter::default() };
    let cards = store::cards(&turn.state.db, turn.tenant.community.id, &filter, (MAX_BUTTONS + 1) as i64).await?;
    if cards.is_empty() {
        return Ok(Step::wait(vec![Reply::text(turn.t("services-bot-none"))], waiting("query")));
    }
    let mut reply = card_buttons(Reply::text(turn.t("services-bot-found")), &cards, turn);
    if cards.len() > MAX_BUTTONS {
        let link = turn.link(&format!("/services?q={}", hromada_web::page::urlencode(text)));
        reply = reply.button(Button::link(turn.t("services-bot-all"), link));
    }
    Ok(Step::wait(vec![reply], waiting("query")))
}

async fn card(turn: &Turn<'_>, number: i64) -> AppResult<Step> {
    let found = store::card(&turn.state.db, turn.tenant.community.id, number).await?.filter(|c| c.published);
    let Some(card) = found else { return Ok(Step::done(vec![Reply::text(turn.t("services-bot-none"))])) };
    let mut text = format!("{}\n", card.name(turn.lang));
    text.push_str(&format!("\n{}:\n", turn.t("services-field-documents")));
    for line in domain::document_lines(&card.documents) {
        text.push_str(&format!("• {line}\n"));
    }
    text.push_str(&format!("\n{}: {}", turn.t("services-field-cost"), format_cost(card.cost_kopiykas, turn.lang)));
    text.push_str(&format!("\n{}: {}", turn.t("services-field-term"), card.term));
    let mut reply =
        Reply::text(text).button(Button::link(turn.t("services-bot-open"), turn.link(&format!("/services/{number}"))));
    if let Some(url) = &card.online_url {
        reply = reply.button(Button::link(turn.t("services-online"), url.clone()));
    }
    Ok(Step::wait(vec![reply], waiting("query")))
}

fn office_text(turn: &Turn<'_>, o: &store::Office) -> String {
    let mut text = format!("{}\n📍 {}", o.name(turn.lang), o.address);
    if !o.hours.is_empty() {
        text.push_str(&format!("\n🕘 {}", o.hours));
    }
    if let Some(phone) = &o.phone {
        text.push_str(&format!("\n☎ {phone}"));
    }
    text
}

async fn offices(turn: &Turn<'_>) -> AppResult<Step> {
    let list = store::offices(&turn.state.db, turn.tenant.community.id).await?;
    if list.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("services-no-offices"))]));
    }
    let text = list.iter().take(8).map(|o| office_text(turn, o)).collect::<Vec<_>>().join("\n\n");
    let ask = Reply::text(turn.t("services-bot-ask-location")).ask(Ask::Location);
    Ok(Step::wait(vec![Reply::text(text), ask], waiting("location")))
}

async fn nearest(turn: &Turn<'_>, point: hromada_kernel::GeoPoint) -> AppResult<Step> {
    let list = store::offices(&turn.state.db, turn.tenant.community.id).await?;
    let mut near: Vec<(f64, &store::Office)> =
        list.iter().filter_map(|o| Some((domain::distance_m(point, o.point()?), o))).collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    if near.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("services-no-offices"))]));
    }
    let text = near
        .iter()
        .take(3)
        .map(|(d, o)| {
            let km = format!("{:.1}", d / 1000.0);
            let km = if turn.lang == hromada_kernel::Lang::Uk { km.replace('.', ",") } else { km };
            format!("{}\n↔ {}", office_text(turn, o), turn.t_args("services-bot-distance", &[("km", km)]))
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(Step::done(vec![Reply::text(text)]))
}

async fn online(turn: &Turn<'_>) -> AppResult<Step> {
    let tiles = store::tiles(&turn.state.db, turn.tenant.community.id).await?;
    let shown: Vec<_> = tiles.iter().filter(|t| t.in_bot).collect();
    if shown.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("services-bot-no-online"))]));
    }
    let reply = shown.iter().fold(Reply::text(turn.t("services-bot-online-intro")), |r, t| {
        r.button(Button::link(format!("{} {}", domain::tile_symbol(&t.icon), t.title(turn.lang)), t.url.clone()))
    });
    Ok(Step::done(vec![reply]))
}
