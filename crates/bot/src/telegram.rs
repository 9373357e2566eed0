//! Telegram: the Bot API's update and reply formats, the webhook, and sending.
//!
//! Only private chats are served; an update of any other kind is acknowledged and ignored, so
//! that Telegram never retries it.

use crate::engine::Incoming;
use crate::store::Channel;
use hromada_kernel::{GeoPoint, Lang};
use hromada_web::chat::{Ask, Inbound, Press, Reply};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The header Telegram stamps each webhook call with (the `secret_token` of `setWebhook`).
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// Longest text of one message.
pub const MAX_TEXT: usize = 4096;
/// Longest caption of a photo.
pub const MAX_CAPTION: usize = 1024;
pub const DEFAULT_API: &str = "https://api.telegram.org";

#[derive(Debug, Deserialize)]
pub struct Update {
    pub update_id: i64,
    pub message: Option<Message>,
    pub callback_query: Option<CallbackQuery>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    pub language_code: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ChatRef {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub chat: ChatRef,
    pub from: Option<User>,
    pub text: Option<String>,
    pub contact: Option<Contact>,
    pub location: Option<Location>,
    /// The sizes Telegram keeps of a photo, smallest first.
    pub photo: Option<Vec<PhotoSize>>,
}

#[derive(Debug, Deserialize)]
pub struct PhotoSize {
    pub file_id: String,
    #[serde(default)]
    pub file_size: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Contact {
    pub phone_number: String,
    pub user_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub id: String,
    pub from: User,
    pub message: Option<Message>,
    pub data: Option<String>,
}

/// What an update means for the engine, and the callback query to answer, if any.
#[derive(Debug)]
pub struct Understood {
    pub incoming: Option<Incoming>,
    pub callback_query: Option<String>,
    /// A photo's file to fetch: the incoming message is the photo once stored.
    pub photo: Option<String>,
}

/// Reads an update; `incoming` is `None` for what the bot does not serve (groups, channels,
/// stickers, edits, other bots).
pub fn understand(update: &Update) -> Understood {
    let update_id = Some(update.update_id.to_string());
    if let Some(q) = &update.callback_query {
        let private = q.message.as_ref().is_none_or(|m| m.chat.kind == "private");
        let incoming = match (&q.data, private && !q.from.is_bot) {
            (Some(data), true) => Some(Incoming {
                channel: Channel::Telegram,
                external_id: q.from.id.to_string(),
                update_id,
                lang: q.from.language_code.as_deref().and_then(Lang::parse),
                inbound: Inbound::Button { data: data.clone() },
            }),
            _ => None,
        };
        return Understood { incoming, callback_query: Some(q.id.clone()), photo: None };
    }
    let Some(m) = &update.message else { return Understood { incoming: None, callback_query: None, photo: None } };
    let from = m.from.as_ref();
    if m.chat.kind != "private" || from.is_some_and(|f| f.is_bot) {
        return Understood { incoming: None, callback_query: None, photo: None };
    }
    // The largest size Telegram gives that the media checks accept (at most 20 MB to fetch).
    let photo = m.photo.as_ref().and_then(|sizes| {
        sizes.iter().rev().find(|p| p.file_size.is_none_or(|b| b <= MAX_PHOTO_BYTES)).map(|p| p.file_id.clone())
    });
    let inbound = if photo.is_some() {
        Some(Inbound::Photo { upload: uuid::Uuid::nil() })
    } else if let Some(text) = &m.text {
        match text.strip_prefix("/start") {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                let payload = rest.trim();
                Some(Inbound::Start { payload: (!payload.is_empty()).then(|| payload.to_owned()) })
            }
            _ => Some(Inbound::Text { text: text.clone() }),
        }
    } else if let Some(c) = &m.contact {
        // Telegram puts the sharer's id on a contact only when it is their own.
        let own = c.user_id.is_some() && c.user_id == from.map(|f| f.id);
        Some(Inbound::Contact { phone: c.phone_number.clone(), own })
    } else {
        m.location
            .as_ref()
            .and_then(|l| GeoPoint::new(l.latitude, l.longitude))
            .map(|point| Inbound::Location { point })
    };
    let incoming = inbound.map(|inbound| Incoming {
        channel: Channel::Telegram,
        external_id: m.chat.id.to_string(),
        update_id,
        lang: from.and_then(|f| f.language_code.as_deref()).and_then(Lang::parse),
        inbound,
    });
    Understood { incoming, callback_query: None, photo }
}

/// One Bot API call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    pub method: &'static str,
    pub params: Value,
}

/// The calls that show a reply in a chat: the text split into messages Telegram accepts,
/// split at paragraph, line or word ends, with the buttons under the last part. A request for
/// a location or a contact is a keyboard of its own, which cannot share a message with inline
/// buttons: with both, it follows in a short message of its own.
pub fn render(chat_id: &str, reply: &Reply) -> Vec<Call> {
    let mut calls = vec![];
    let mut text = reply.text.as_str();
    let inline = inline_keyboard(reply);
    let request = request_keyboard(reply);
    // The markup of the reply's own message, and what follows it.
    let (own, follow) = match (inline, request) {
        (Some(i), Some(r)) => (Some(i), Some(r)),
        (i, r) => (i.or(r), None),
    };
    if let Some(image) = &reply.image {
        let mut params = json!({ "chat_id": chat_id, "photo": image });
        if text.chars().count() <= MAX_CAPTION {
            params["caption"] = json!(text);
            if let Some(markup) = &own {
                params["reply_markup"] = markup.clone();
            }
            calls.push(Call { method: "sendPhoto", params });
            text = "";
        } else {
            calls.push(Call { method: "sendPhoto", params });
        }
    }
    if !text.is_empty() || calls.is_empty() {
        // Telegram refuses an empty message; buttons still need one to hang on.
        let text = if text.trim().is_empty() { "⋯" } else { text };
        let parts = split(text, MAX_TEXT);
        let last = parts.len() - 1;
        for (i, part) in parts.into_iter().enumerate() {
            let mut params = json!({ "chat_id": chat_id, "text": part });
            if i == last
                && let Some(markup) = &own
            {
                params["reply_markup"] = markup.clone();
            }
            calls.push(Call { method: "sendMessage", params });
        }
    }
    if let Some(markup) = follow {
        calls.push(Call {
            method: "sendMessage",
            params: json!({ "chat_id": chat_id, "text": "👇", "reply_markup": markup }),
        });
    }
    calls
}

fn request_keyboard(reply: &Reply) -> Option<Value> {
    let request = match reply.ask? {
        Ask::Location => json!({ "text": "📍", "request_location": true }),
        Ask::Contact => json!({ "text": "📞", "request_contact": true }),
        // A photo is sent with the attachment button every chat has.
        Ask::Photo => return None,
    };
    Some(json!({ "keyboard": [[request]], "resize_keyboard": true, "one_time_keyboard": true }))
}

fn inline_keyboard(reply: &Reply) -> Option<Value> {
    if reply.buttons.is_empty() {
        return None;
    }
    let rows: Vec<Vec<Value>> = reply
        .buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| match &b.press {
                    Press::Data(data) => json!({ "text": b.label, "callback_data": data }),
                    Press::Link(url) => json!({ "text": b.label, "url": url }),
                })
                .collect()
        })
        .collect();
    Some(json!({ "inline_keyboard": rows }))
}

/// Splits text into parts of at most `max` characters, preferring to cut after a blank line,
/// then a line end, then a space; a word longer than `max` is cut where it must be.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut parts = vec![];
    let mut rest = text;
    while rest.chars().count() > max {
        let limit = rest.char_indices().nth(max).map(|(i, _)| i).unwrap_or(rest.len());
        let head = &rest[..limit];
        let cut = ["\n\n", "\n", " "]
            .iter()
            .find_map(|sep| head.rfind(sep).filter(|&i| i > 0).map(|i| i + sep.len()))
            .unwrap_or(limit);
        parts.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start_matches([' ', '\n']);
    }
    let rest = rest.trim_end();
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Ok,
    /// Too many messages: try again after this many seconds.
    RetryAfter(u64),
    /// The resident blocked the bot or deleted the account.
    Blocked,
    /// Anything else; worth retrying later.
    Failed(String),
}

/// Makes one Bot API call.
pub async fn call(client: &reqwest::Client, api_base: &str, token: &str, call: &Call) -> Sent {
    let url = format!("{}/bot{token}/{}", api_base.trim_end_matches('/'), call.method);
    let response = match client.post(&url).json(&call.params).send().await {
        Ok(r) => r,
        Err(e) => return Sent::Failed(e.without_url().to_string()),
    };
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if body["ok"].as_bool() == Some(true) {
        return Sent::Ok;
    }
    match status {
        429 => Sent::RetryAfter(body["parameters"]["retry_after"].as_u64().unwrap_or(1)),
        403 => Sent::Blocked,
        _ => Sent::Failed(format!("{status}: {}", body["description"].as_str().unwrap_or(""))),
    }
}

/// The largest photo fetched from Telegram.
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

/// Fetches a file a resident sent (`getFile`, then the file itself).
pub async fn download(client: &reqwest::Client, api_base: &str, token: &str, file_id: &str) -> anyhow::Result<Vec<u8>> {
    let base = api_base.trim_end_matches('/');
    let info: Value = client
        .post(format!("{base}/bot{token}/getFile"))
        .json(&json!({ "file_id": file_id }))
        .send()
        .await?
        .json()
        .await?;
    let path = info["result"]["file_path"].as_str().ok_or_else(|| anyhow::anyhow!("getFile gave no file_path"))?;
    let response = client.get(format!("{base}/file/bot{token}/{path}")).send().await?.error_for_status()?;
    if response.content_length().is_some_and(|n| n > MAX_PHOTO_BYTES) {
        anyhow::bail!("the file is too large");
    }
    let bytes = response.bytes().await?;
    anyhow::ensure!(bytes.len() as u64 <= MAX_PHOTO_BYTES, "the file is too large");
    Ok(bytes.to_vec())
}

/// Registers the webhook with Telegram.
pub async fn set_webhook(
    client: &reqwest::Client,
    api_base: &str,
    token: &str,
    url: &str,
    secret: &str,
) -> anyhow::Result<()> {
    let params = json!({
        "url": url,
        "secret_token": secret,
        "allowed_updates": ["message", "callback_query"],
        "drop_pending_updates": false,
    });
    match call(client, api_base, token, &Call { method: "setWebhook", params }).await {
        Sent::Ok => Ok(()),
        other => anyhow::bail!("setWebhook failed: {other:?}"),
    }
}

/// Updates after `offset` by long polling (for development without a public address).
pub async fn get_updates(
    client: &reqwest::Client,
    api_base: &str,
    token: &str,
    offset: i64,
    timeout_secs: u64,
) -> anyhow::Result<Vec<Value>> {
    let url = format!("{}/bot{token}/getUpdates", api_base.trim_end_matches('/'));
    let body: Value = client
        .post(&url)
        .json(&json!({ "offset": offset, "timeout": timeout_secs, "allowed_updates": ["message", "callback_query"] }))
        .timeout(std::time::Duration::from_secs(timeout_secs + 10))
        .send()
        .await?
        .json()
        .await?;
    match body["result"].as_array() {
        Some(updates) if body["ok"].as_bool() == Some(true) => Ok(updates.clone()),
        _ => anyhow::bail!("getUpdates failed: {}", body["description"].as_str().unwrap_or("no answer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_web::chat::Button;

    fn update(value: Value) -> Update {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn updates_become_one_internal_form() {
        let start = update(json!({"update_id": 7, "message": {"message_id": 1, "date": 0,
            "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "O", "language_code": "en"},
            "text": "/start link-abc"}}));
        let got = understand(&start).incoming.unwrap();
        assert_eq!(got.inbound, Inbound::Start { payload: Some("link-abc".into()) });
        assert_eq!((got.external_id.as_str(), got.update_id.as_deref(), got.lang), ("42", Some("7"), Some(Lang::En)));
        let starting =
            update(json!({"update_id": 8, "message": {"chat": {"id": 42, "type": "private"}, "text": "/startle"}}));
        assert_eq!(understand(&starting).incoming.unwrap().inbound, Inbound::Text { text: "/startle".into() });

        let own = update(json!({"update_id": 9, "message": {"chat": {"id": 42, "type": "private"}, "from": {"id": 42},
            "contact": {"phone_number": "+380671234567", "first_name": "O", "user_id": 42}}}));
        assert_eq!(
            understand(&own).incoming.unwrap().inbound,
            Inbound::Contact { phone: "+380671234567".into(), own: true }
        );
        let other =
            update(json!({"update_id": 10, "message": {"chat": {"id": 42, "type": "private"}, "from": {"id": 42},
            "contact": {"phone_number": "+380500000000", "first_name": "Friend", "user_id": 99}}}));
        assert_eq!(
            understand(&other).incoming.unwrap().inbound,
            Inbound::Contact { phone: "+380500000000".into(), own: false }
        );

        let press = update(json!({"update_id": 11, "callback_query": {"id": "q1", "from": {"id": 42, "is_bot": false},
            "message": {"chat": {"id": 42, "type": "private"}}, "data": "petitions|list"}}));
        let got = understand(&press);
        assert_eq!(got.callback_query.as_deref(), Some("q1"));
        assert_eq!(got.incoming.unwrap().inbound, Inbound::Button { data: "petitions|list".into() });

        let group = update(json!({"update_id": 12, "message": {"chat": {"id": -5, "type": "group"}, "text": "hi"}}));
        assert!(understand(&group).incoming.is_none());
        let sticker =
            update(json!({"update_id": 13, "message": {"chat": {"id": 42, "type": "private"}, "sticker": {}}}));
        assert!(understand(&sticker).incoming.is_none());
        let far = update(json!({"update_id": 14, "message": {"chat": {"id": 42, "type": "private"},
            "location": {"latitude": 48.5, "longitude": 35.0}}}));
        assert!(matches!(understand(&far).incoming.unwrap().inbound, Inbound::Location { .. }));
    }

    #[test]
    fn long_texts_split_cleanly_and_keep_every_character() {
        let paragraph = "Слово ".repeat(300);
        let text = format!("{paragraph}\n\n{paragraph}\n\n{paragraph}");
        let parts = split(&text, MAX_TEXT);
        assert!(parts.len() >= 2);
        for p in &parts {
            assert!(p.chars().count() <= MAX_TEXT);
            assert!(!p.starts_with(' ') && !p.ends_with(' '));
        }
        let rejoined: String = parts.concat().split_whitespace().collect();
        assert_eq!(rejoined, text.split_whitespace().collect::<String>());
        let unbroken = "ж".repeat(MAX_TEXT * 2 + 5);
        let parts = split(&unbroken, MAX_TEXT);
        assert_eq!(parts.iter().map(|p| p.chars().count()).collect::<Vec<_>>(), vec![MAX_TEXT, MAX_TEXT, 5]);
        assert_eq!(split("", MAX_TEXT), vec![String::new()]);
    }

    #[test]
    fn buttons_hang_on_the_last_part() {
        let reply = Reply::text("а ".repeat(3000))
            .button(Button::data("Так", "petitions|sign:1"))
            .button(Button::link("Сайт", "https://example.org"));
        let calls = render("42", &reply);
        assert_eq!(calls.len(), 2);
        assert!(calls[0].params.get("reply_markup").is_none());
        let keyboard = &calls[1].params["reply_markup"]["inline_keyboard"];
        assert_eq!(keyboard[0][0]["callback_data"], "petitions|sign:1");
        assert_eq!(keyboard[1][0]["url"], "https://example.org");
        let asking = render("42", &Reply::text("Де?").ask(Ask::Location));
        assert_eq!(asking.len(), 1);
        assert_eq!(asking[0].params["reply_markup"]["keyboard"][0][0]["request_location"], true);
        let both = render("42", &Reply::text("Де?").ask(Ask::Location).button(Button::data("Пропустити", "city|skip")));
        assert_eq!(both.len(), 2, "the request keyboard follows in a message of its own");
        assert_eq!(both[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "city|skip");
        assert_eq!(both[1].params["reply_markup"]["keyboard"][0][0]["request_location"], true);
        let photo = render("42", &Reply { image: Some("https://x/p.jpg".into()), ..Reply::text("Фото") });
        assert_eq!((photo.len(), photo[0].method, photo[0].params["caption"].as_str()), (1, "sendPhoto", Some("Фото")));
    }
}
