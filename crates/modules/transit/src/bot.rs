//! SMART stops in the chatbot: send a location for the nearest stops and their next
//! departures, or a stop's name; a stop's button shows its board.

use crate::board;
use crate::store::Loaded;
use crate::{KEY, StopIdx, nearest_stops, search_stops};
use futures::future::BoxFuture;
use hromada_web::AppResult;
use hromada_web::chat::{Ask, Button, ChatFlow, Entry, Inbound, Reply, Step, Turn, split_data};
use serde_json::json;
use std::sync::Arc;

pub struct TransitInChat;

/// Stop ids longer than this do not fit a button's data with the flow's key.
const MAX_STOP_ID: usize = 48;

impl ChatFlow for TransitInChat {
    fn key(&self) -> &'static str {
        KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![Entry { action: "start", label: "transit-bot-entry", emoji: "🚌" }]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            let Some(loaded) = crate::module::loaded(turn.state, &turn.tenant.community).await? else {
                return Ok(Step::done(vec![Reply::text(turn.t("transit-no-feed"))]));
            };
            match (turn.input.button().map(split_data), turn.input) {
                (Some(("s", id)), _) => match loaded.feed.stop_by_id(id) {
                    Some(stop) => Ok(Step::done(vec![board_reply(&turn, &loaded, stop)])),
                    None => ask(&turn),
                },
                (None, Inbound::Location { point }) => {
                    let near = nearest_stops(&loaded.feed, *point, 3, 2_000.0);
                    if near.is_empty() {
                        return Ok(Step::done(vec![Reply::text(turn.t("transit-none-near"))]));
                    }
                    Ok(Step::done(near.into_iter().map(|(stop, _)| board_reply(&turn, &loaded, stop)).collect()))
                }
                (None, Inbound::Text { text }) => {
                    let found = search_stops(&loaded.feed, text, 8);
                    if found.is_empty() {
                        return Ok(Step::wait(
                            vec![Reply::text(turn.t("transit-bot-no-stop"))],
                            json!({ "waiting": true }),
                        ));
                    }
                    let reply = found.into_iter().fold(Reply::text(turn.t("transit-bot-pick")), |r, stop| {
                        let s = loaded.feed.stop(stop);
                        match s.filter(|s| s.id.len() <= MAX_STOP_ID) {
                            Some(s) => r.button(Button::data(s.name.clone(), format!("s:{}", s.id))),
                            None => r,
                        }
                    });
                    Ok(Step::done(vec![reply]))
                }
                _ => ask(&turn),
            }
        })
    }
}

fn ask(turn: &Turn<'_>) -> AppResult<Step> {
    Ok(Step::wait(vec![Reply::text(turn.t("transit-bot-ask")).ask(Ask::Location)], json!({ "waiting": true })))
}

fn board_reply(turn: &Turn<'_>, loaded: &Arc<Loaded>, stop: StopIdx) -> Reply {
    let name = loaded.feed.stop(stop).map(|s| s.name.clone()).unwrap_or_default();
    let mut text = format!("🚏 {name}");
    let list = board::departures(loaded, stop, turn.now(), 5);
    if list.is_empty() {
        text.push_str(&format!("\n{}", turn.t("transit-no-departures")));
    }
    for d in &list {
        let live = if d.realtime { " ●" } else { "" };
        text.push_str(&format!("\n{} → {}: {}{live}", d.route, d.headsign, d.time));
    }
    let path = crate::web::stop_path(loaded, stop);
    Reply::text(text).button(Button::link(turn.t("transit-bot-open"), turn.link(&path)))
}
