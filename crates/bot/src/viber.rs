//! Viber: the REST bot API's callbacks and message formats, the webhook's signature, and sending.
//!
//! Viber has no callback buttons: a keyboard's `reply` button sends its `ActionBody` back as an
//! ordinary text message. The engine's button data therefore goes out behind [`PRESS`], so that a
//! press comes back as [`Inbound::Button`] and whatever the resident types stays text. The
//! buttons are `Silent`, so the data never shows in the conversation.
//!
//! Viber shows only the keyboard of the last message it delivered, so a reply's buttons and its
//! request for a location or a phone share one keyboard.

use crate::engine::Incoming;
use crate::store::Channel;
use crate::telegram::{Sent, split};
use hmac::{Hmac, Mac};
use hromada_kernel::{GeoPoint, Lang};
use hromada_web::chat::{Ask, Button, Inbound, Press, Reply};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The header Viber signs each callback with: hex HMAC-SHA256 of the body, keyed by the bot's
/// authentication token.
pub const SIGNATURE_HEADER: &str = "x-viber-content-signature";
/// The header that carries the authentication token on every API call.
pub const AUTH_HEADER: &str = "X-Viber-Auth-Token";
pub const DEFAULT_API: &str = "https://chatapi.viber.com";
/// Longest text of one message.
pub const MAX_TEXT: usize = 7000;
/// Viber refuses a request over 30 KB. A part of at most this many bytes leaves room for the
/// keyboard even when every character takes four bytes.
pub const MAX_TEXT_BYTES: usize = 20_000;
/// Longest text under a picture.
pub const MAX_CAPTION: usize = 512;
/// Buttons of one keyboard. Viber documents at most 24 rows; 24 buttons stay within that
/// however they are laid out.
pub const MAX_BUTTONS: usize = 24;
/// Longest label of a button.
pub const MAX_LABEL: usize = 250;
/// Longest sender name.
pub const MAX_SENDER: usize = 28;
/// A keyboard row is six columns wide.
pub const COLUMNS: u8 = 6;
/// Put before the engine's button data in a `reply` button's `ActionBody`.
pub const PRESS: &str = "press:";
/// The `tracking_data` of a message that asks for the resident's phone; Viber hands it back
/// with the resident's answer.
pub const ASK_CONTACT: &str = "hromada:share-phone";
/// The API level that brings `share-phone` and `location-picker`; older clients would send
/// the button's body back as text.
pub const ASK_API_LEVEL: u8 = 3;
/// Viber's "too many requests" gives no time to wait; this pause is the bot's.
pub const RATE_LIMIT_PAUSE: u64 = 5;

/// One callback: a message, a subscription change, a delivery receipt or the webhook check.
#[derive(Debug, Deserialize)]
pub struct Callback {
    pub event: String,
    /// A number in Viber's callbacks; kept as JSON so that a string would do as well.
    #[serde(default)]
    pub message_token: Option<Value>,
    /// Who wrote (`message`).
    pub sender: Option<User>,
    /// Who opened or subscribed (`conversation_started`, `subscribed`).
    pub user: Option<User>,
    /// Who left (`unsubscribed`) or got a message (`delivered`, `seen`, `failed`).
    pub user_id: Option<String>,
    pub message: Option<Message>,
    /// A deep link's `context` (`conversation_started`).
    pub context: Option<String>,
    /// Whether the resident who opened the chat is already subscribed (`conversation_started`).
    pub subscribed: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub name: Option<String>,
    pub language: Option<String>,
    pub api_version: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    #[serde(rename = "type")]
    pub kind: String,
    pub text: Option<String>,
    pub media: Option<String>,
    pub location: Option<Location>,
    pub contact: Option<Contact>,
    /// The `tracking_data` of the bot's message this one answers.
    pub tracking_data: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Deserialize)]
pub struct Contact {
    pub name: Option<String>,
    pub phone_number: Option<String>,
}

/// What a callback means for the bot.
#[derive(Debug)]
pub enum Understood {
    /// A turn for the engine. With `welcome`, the resident has not subscribed: Viber delivers
    /// nothing to them but the webhook's own answer, which becomes the welcome message.
    Turn { incoming: Incoming, welcome: bool },
    /// The resident subscribed: messages may be sent to them again.
    Subscribed { user_id: String, lang: Option<Lang> },
    /// The resident unsubscribed (blocked the bot): nothing more can be sent.
    Unsubscribed { user_id: String },
    /// Receipts, the webhook check, and messages the bot does not serve; why, for the log.
    Ignored(&'static str),
}

fn token_of(callback: &Callback) -> Option<String> {
    match &callback.message_token {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Reads a callback.
pub fn understand(callback: &Callback) -> Understood {
    let update_id = token_of(callback);
    let turn = |user: &User, inbound: Inbound, welcome: bool| Understood::Turn {
        incoming: Incoming {
            channel: Channel::Viber,
            external_id: user.id.clone(),
            update_id: update_id.clone(),
            lang: user.language.as_deref().and_then(Lang::parse),
            inbound,
        },
        welcome,
    };
    match callback.event.as_str() {
        "message" => {
            let (Some(sender), Some(message)) = (&callback.sender, &callback.message) else {
                return Understood::Ignored("a message without a sender");
            };
            match read_message(message) {
                Ok(inbound) => turn(sender, inbound, false),
                Err(why) => Understood::Ignored(why),
            }
        }
        "conversation_started" => {
            let Some(user) = &callback.user else { return Understood::Ignored("an opened chat without a user") };
            let payload = callback.context.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
            turn(user, Inbound::Start { payload }, !callback.subscribed.unwrap_or(false))
        }
        "subscribed" => match &callback.user {
            Some(user) => Understood::Subscribed {
                user_id: user.id.clone(),
                lang: user.language.as_deref().and_then(Lang::parse),
            },
            None => Understood::Ignored("a subscription without a user"),
        },
        "unsubscribed" => match &callback.user_id {
            Some(id) => Understood::Unsubscribed { user_id: id.clone() },
            None => Understood::Ignored("an unsubscription without a user"),
        },
        "webhook" => Understood::Ignored("the webhook check"),
        "delivered" | "seen" | "failed" => Understood::Ignored("a delivery receipt"),
        _ => Understood::Ignored("an event the bot does not serve"),
    }
}

fn read_message(message: &Message) -> Result<Inbound, &'static str> {
    match message.kind.as_str() {
        "text" => {
            let text = message.text.as_deref().unwrap_or_default();
            if let Some(data) = text.strip_prefix(PRESS) {
                Ok(Inbound::Button { data: data.to_owned() })
            } else if is_bare_link(text) {
                // An `open-url` button sends its address back when pressed; the page opened is
                // the answer, and the echo is nothing for a flow to read.
                Err("a pressed link's echo")
            } else if text.trim().is_empty() {
                Err("an empty text")
            } else {
                Ok(Inbound::Text { text: text.to_owned() })
            }
        }
        "contact" => {
            let phone = message.contact.as_ref().and_then(|c| c.phone_number.as_deref()).unwrap_or_default();
            if !phone.chars().any(|c| c.is_ascii_digit()) {
                // Desktop clients answer `share-phone` with an empty contact.
                return Err("a contact without a number");
            }
            // A Viber contact names no account, unlike Telegram's `user_id`. The `share-phone`
            // button sends the number the resident's Viber account is registered with, and the
            // answer carries the `tracking_data` of the message that showed the button; a
            // contact card sent any other way lacks it and is not taken as the resident's own.
            let own = message.tracking_data.as_deref() == Some(ASK_CONTACT);
            Ok(Inbound::Contact { phone: phone.to_owned(), own })
        }
        "location" => message
            .location
            .as_ref()
            .and_then(|l| GeoPoint::new(l.lat, l.lon))
            .map(|point| Inbound::Location { point })
            .ok_or("a location out of range"),
        "url" => Err("a pressed link's echo"),
        // The hook fetches the picture from `media` and puts the stored upload's id here.
        "picture"
            if message.media.as_deref().is_some_and(|m| m.starts_with("https://") || m.starts_with("http://")) =>
        {
            Ok(Inbound::Photo { upload: uuid::Uuid::nil() })
        }
        "picture" => Err("a picture without a link"),
        _ => Err("a message type the bot does not serve"),
    }
}

fn is_bare_link(text: &str) -> bool {
    let text = text.trim();
    (text.starts_with("https://") || text.starts_with("http://")) && !text.contains(char::is_whitespace)
}

/// The hex signature Viber puts on a callback body.
pub fn signature(token: &str, body: &[u8]) -> String {
    hex::encode(mac(token, body))
}

fn mac(token: &str, body: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(token.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `given` (the signature header) is the token's signature of `body`, compared in
/// constant time. A bot without a token accepts nothing: anyone could sign with an empty key.
pub fn signed(token: &str, body: &[u8], given: &str) -> bool {
    if token.is_empty() {
        return false;
    }
    let Ok(given) = hex::decode(given.trim()) else { return false };
    bool::from(given.as_slice().ct_eq(mac(token, body).as_slice()))
}

/// The `send_message` bodies that show a reply: the text split into messages Viber accepts, cut
/// at paragraph, line or word ends, with the keyboard on the last part.
pub fn render(receiver: &str, sender: &str, reply: &Reply) -> Vec<Value> {
    let keyboard = Keyboard::of(reply);
    let mut bodies = vec![];
    let mut text = reply.text.as_str();
    if let Some(image) = &reply.image {
        if text.chars().count() <= MAX_CAPTION {
            let body = json!({ "type": "picture", "media": image, "text": text });
            return vec![envelope(receiver, sender, body, keyboard.as_ref())];
        }
        bodies.push(envelope(receiver, sender, json!({ "type": "picture", "media": image, "text": "" }), None));
    }
    if text.trim().is_empty() {
        // Viber refuses an empty text; a keyboard still needs a message to come with.
        text = "⋯";
    }
    let parts = parts(text);
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        let keyboard = if i == last { keyboard.as_ref() } else { None };
        bodies.push(envelope(receiver, sender, json!({ "type": "text", "text": part }), keyboard));
    }
    bodies
}

/// The answer to a `conversation_started` callback: Viber shows it as the welcome message of a
/// resident who has not subscribed, and takes one message only, so the replies are joined.
pub fn welcome(sender: &str, replies: &[Reply]) -> Option<Value> {
    let text = replies.iter().map(|r| r.text.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
    let with_keyboard = replies.iter().rev().find(|r| !r.buttons.is_empty() || r.ask.is_some());
    if text.is_empty() && with_keyboard.is_none() {
        return None;
    }
    let merged = Reply { text, image: None, ..with_keyboard.cloned().unwrap_or_default() };
    let keyboard = Keyboard::of(&merged);
    let text = parts(if merged.text.is_empty() { "⋯" } else { merged.text.as_str() }).swap_remove(0);
    let mut body = envelope("", sender, json!({ "type": "text", "text": text }), keyboard.as_ref());
    body.as_object_mut().expect("an object").remove("receiver");
    Some(body)
}

/// Parts of at most [`MAX_TEXT`] characters and [`MAX_TEXT_BYTES`] bytes.
fn parts(text: &str) -> Vec<String> {
    split(text, MAX_TEXT)
        .into_iter()
        .flat_map(|part| if part.len() > MAX_TEXT_BYTES { split(&part, MAX_TEXT_BYTES / 4) } else { vec![part] })
        .collect()
}

fn envelope(receiver: &str, sender: &str, mut body: Value, keyboard: Option<&Keyboard>) -> Value {
    let mut name: String = sender.trim().chars().take(MAX_SENDER).collect();
    if name.is_empty() {
        // Viber requires a sender name.
        name = "Hromada".into();
    }
    body["receiver"] = json!(receiver);
    body["sender"] = json!({ "name": name });
    body["min_api_version"] = json!(1);
    if let Some(k) = keyboard {
        body["keyboard"] = k.json.clone();
        body["min_api_version"] = json!(k.api_level);
        if let Some(tracking) = k.tracking {
            body["tracking_data"] = json!(tracking);
        }
    }
    body
}

/// A reply's keyboard, with what it needs of the message that carries it.
#[derive(Debug, Clone)]
struct Keyboard {
    json: Value,
    api_level: u8,
    tracking: Option<&'static str>,
}

impl Keyboard {
    fn of(reply: &Reply) -> Option<Keyboard> {
        let mut rows: Vec<Vec<Value>> = vec![];
        let (mut api_level, mut tracking) = (1, None);
        // A photo is sent with the attachment button every chat has.
        if let Some(ask) = reply.ask.filter(|a| *a != Ask::Photo) {
            let (action, label) = match ask {
                Ask::Location => ("location-picker", "📍"),
                Ask::Contact => ("share-phone", "📞"),
                Ask::Photo => unreachable!("filtered above"),
            };
            // The body is required, though the answer is a location or a contact.
            rows.push(vec![json!({ "Columns": COLUMNS, "Rows": 1, "ActionType": action, "ActionBody": action,
                "Text": label, "Silent": true })]);
            api_level = ASK_API_LEVEL;
            tracking = (ask == Ask::Contact).then_some(ASK_CONTACT);
        }
        for row in &reply.buttons {
            for chunk in row.chunks(usize::from(COLUMNS)) {
                rows.push(lay_out(chunk));
            }
        }
        let total: usize = rows.iter().map(Vec::len).sum();
        if total == 0 {
            return None;
        }
        let mut buttons: Vec<Value> = vec![];
        for row in rows {
            if buttons.len() + row.len() > MAX_BUTTONS {
                tracing::warn!(
                    buttons = total,
                    "a reply has more buttons than a Viber keyboard holds; the rest are left out"
                );
                break;
            }
            buttons.extend(row);
        }
        Some(Keyboard {
            json: json!({ "Type": "keyboard", "DefaultHeight": false, "Buttons": buttons }),
            api_level,
            tracking,
        })
    }
}

/// One row: the six columns shared out, so that the next row starts on a line of its own.
fn lay_out(row: &[Button]) -> Vec<Value> {
    let n = row.len() as u8;
    let (width, wider) = (COLUMNS / n, COLUMNS % n);
    row.iter()
        .enumerate()
        .map(|(i, b)| {
            let columns = width + u8::from((i as u8) < wider);
            let label: String = b.label.chars().take(MAX_LABEL).collect();
            let (action, body) = match &b.press {
                Press::Data(data) => ("reply", format!("{PRESS}{data}")),
                Press::Link(url) => ("open-url", url.clone()),
            };
            json!({ "Columns": columns, "Rows": 1, "ActionType": action, "ActionBody": body, "Text": label,
                "Silent": true })
        })
        .collect()
}

/// What Viber's answer `status` means for delivery.
pub fn outcome(status: Option<i64>, message: &str) -> Sent {
    match status {
        Some(0) => Sent::Ok,
        // receiverNotRegistered (the account is gone), receiverNotSubscribed (never subscribed,
        // or unsubscribed: Viber's way of blocking a bot).
        Some(5 | 6) => Sent::Blocked,
        // tooManyRequests.
        Some(12) => Sent::RetryAfter(RATE_LIMIT_PAUSE),
        Some(code) => Sent::Failed(format!("{code}: {message}")),
        None => Sent::Failed("no status in Viber's answer".into()),
    }
}

/// Makes one API call (`send_message`, `set_webhook`, …).
pub async fn call(client: &reqwest::Client, api_base: &str, token: &str, method: &str, body: &Value) -> Sent {
    let url = format!("{}/pa/{method}", api_base.trim_end_matches('/'));
    let response = match client.post(&url).header(AUTH_HEADER, token).json(body).send().await {
        Ok(r) => r,
        Err(e) => return Sent::Failed(e.without_url().to_string()),
    };
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    match status.as_u16() {
        200 => outcome(answer["status"].as_i64(), answer["status_message"].as_str().unwrap_or("")),
        429 => Sent::RetryAfter(RATE_LIMIT_PAUSE),
        other => Sent::Failed(format!("HTTP {other}")),
    }
}

/// Registers the webhook. Viber checks it at once with a signed `webhook` callback, so the
/// channel must already answer there.
pub async fn set_webhook(client: &reqwest::Client, api_base: &str, token: &str, url: &str) -> anyhow::Result<()> {
    // `message`, `subscribed` and `unsubscribed` always come; receipts are not needed.
    let body = json!({
        "url": url,
        "event_types": ["subscribed", "unsubscribed", "conversation_started"],
        "send_name": false,
        "send_photo": false,
    });
    match call(client, api_base, token, "set_webhook", &body).await {
        Sent::Ok => Ok(()),
        other => anyhow::bail!("set_webhook failed: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callback(value: Value) -> Callback {
        serde_json::from_value(value).unwrap()
    }

    fn message(token: u64, body: Value) -> Callback {
        callback(json!({ "event": "message", "timestamp": 1457764197627u64, "message_token": token,
            "sender": { "id": "01234567890A=", "name": "Оксана", "language": "uk", "api_version": 10 },
            "message": body }))
    }

    fn inbound(understood: Understood) -> Inbound {
        match understood {
            Understood::Turn { incoming, .. } => incoming.inbound,
            other => panic!("not a turn: {other:?}"),
        }
    }

    #[test]
    fn callbacks_become_one_internal_form() {
        let text = understand(&message(4912661846655238145, json!({ "type": "text", "text": "де мій автобус?" })));
        let Understood::Turn { incoming, welcome } = text else { panic!("a turn") };
        assert!(!welcome);
        assert_eq!(incoming.channel, Channel::Viber);
        assert_eq!(incoming.external_id, "01234567890A=");
        assert_eq!(incoming.update_id.as_deref(), Some("4912661846655238145"));
        assert_eq!(incoming.lang, Some(Lang::Uk));
        assert_eq!(incoming.inbound, Inbound::Text { text: "де мій автобус?".into() });

        let press = message(2, json!({ "type": "text", "text": "press:petitions|sign:12" }));
        assert_eq!(inbound(understand(&press)), Inbound::Button { data: "petitions|sign:12".into() });
        let typed = message(3, json!({ "type": "text", "text": "petitions|sign:12" }));
        assert_eq!(inbound(understand(&typed)), Inbound::Text { text: "petitions|sign:12".into() });
        let echo = message(4, json!({ "type": "text", "text": "https://gromada.example/chat/link?channel=viber" }));
        assert!(matches!(understand(&echo), Understood::Ignored(_)));
        let sentence = message(5, json!({ "type": "text", "text": "дивіться https://example.org тут" }));
        assert!(matches!(inbound(understand(&sentence)), Inbound::Text { .. }));

        let far = message(6, json!({ "type": "location", "location": { "lat": 48.5, "lon": 35.0 } }));
        assert!(matches!(inbound(understand(&far)), Inbound::Location { .. }));
        let nowhere = message(7, json!({ "type": "location", "location": { "lat": 148.5, "lon": 35.0 } }));
        assert!(matches!(understand(&nowhere), Understood::Ignored(_)));
        let picture = message(8, json!({ "type": "picture", "media": "https://dl.viber.com/x.jpg", "text": "" }));
        assert!(matches!(inbound(understand(&picture)), Inbound::Photo { .. }));
        let unlinked = message(10, json!({ "type": "picture", "text": "" }));
        assert!(matches!(understand(&unlinked), Understood::Ignored(_)));
        let sticker = message(9, json!({ "type": "sticker", "sticker_id": 46105 }));
        assert!(matches!(understand(&sticker), Understood::Ignored(_)));
    }

    #[test]
    fn only_an_answer_to_the_share_phone_button_is_the_residents_own_number() {
        let shared = message(
            1,
            json!({ "type": "contact", "tracking_data": ASK_CONTACT,
                "contact": { "name": "Оксана", "phone_number": "380671234567" } }),
        );
        assert_eq!(inbound(understand(&shared)), Inbound::Contact { phone: "380671234567".into(), own: true });
        let card =
            message(2, json!({ "type": "contact", "contact": { "name": "Друг", "phone_number": "+380501112233" } }));
        assert_eq!(inbound(understand(&card)), Inbound::Contact { phone: "+380501112233".into(), own: false });
        let desktop =
            message(3, json!({ "type": "contact", "tracking_data": ASK_CONTACT, "contact": { "name": "О" } }));
        assert!(matches!(understand(&desktop), Understood::Ignored(_)));
    }

    #[test]
    fn opening_the_chat_starts_it_and_subscriptions_are_told_apart() {
        let opened = callback(json!({ "event": "conversation_started", "timestamp": 1, "message_token": 77,
            "type": "open", "context": "link-abc", "subscribed": false,
            "user": { "id": "u1", "name": "О", "language": "en-US", "api_version": 8 } }));
        let Understood::Turn { incoming, welcome } = understand(&opened) else { panic!("a turn") };
        assert!(welcome, "not subscribed: the answer goes back in the webhook's response");
        assert_eq!(incoming.inbound, Inbound::Start { payload: Some("link-abc".into()) });
        assert_eq!((incoming.update_id.as_deref(), incoming.lang), (Some("77"), Some(Lang::En)));
        let again = callback(json!({ "event": "conversation_started", "message_token": 78, "subscribed": true,
            "context": " ", "user": { "id": "u1" } }));
        let Understood::Turn { incoming, welcome } = understand(&again) else { panic!("a turn") };
        assert!(!welcome, "subscribed: the answer is sent as usual");
        assert_eq!((incoming.inbound, incoming.lang), (Inbound::Start { payload: None }, None));
        let joined = callback(json!({ "event": "subscribed", "message_token": 79, "user": { "id": "u1" } }));
        assert!(matches!(understand(&joined), Understood::Subscribed { user_id, .. } if user_id == "u1"));
        let left = callback(json!({ "event": "unsubscribed", "message_token": 80, "user_id": "u1" }));
        assert!(matches!(understand(&left), Understood::Unsubscribed { user_id } if user_id == "u1"));
        for event in ["webhook", "delivered", "seen", "failed", "client_status"] {
            let other = callback(json!({ "event": event, "message_token": 81, "user_id": "u1" }));
            assert!(matches!(understand(&other), Understood::Ignored(_)), "{event}");
        }
    }

    #[test]
    fn signatures_are_checked_on_the_raw_body() {
        let body = br#"{"event":"webhook","timestamp":1,"message_token":2}"#;
        let good = signature("token-1", body);
        assert_eq!(good.len(), 64);
        assert!(signed("token-1", body, &good));
        assert!(signed("token-1", body, &good.to_uppercase()));
        assert!(!signed("token-2", body, &good), "another bot's token");
        assert!(!signed("token-1", br#"{"event":"webhook","timestamp":1,"message_token":3}"#, &good));
        assert!(!signed("token-1", body, ""));
        assert!(!signed("token-1", body, "not hex"));
        assert!(!signed("token-1", body, &good[..62]));
        assert!(!signed("", body, &signature("", body)), "a bot without a token accepts nothing");
    }

    #[test]
    fn long_texts_split_within_the_limits_with_the_keyboard_on_the_last_part() {
        let reply = Reply::text("Слово ".repeat(2500))
            .button(Button::data("Так", "petitions|sign:1"))
            .button(Button::link("Сайт", "https://example.org"));
        let bodies = render("u1", "hromada", &reply);
        assert!(bodies.len() >= 3);
        for b in &bodies {
            assert_eq!(b["receiver"], "u1");
            assert_eq!(b["sender"]["name"], "hromada");
            assert_eq!(b["type"], "text");
            assert!(b["text"].as_str().unwrap().chars().count() <= MAX_TEXT);
        }
        assert!(bodies[..bodies.len() - 1].iter().all(|b| b.get("keyboard").is_none()));
        let keyboard = &bodies.last().unwrap()["keyboard"];
        assert_eq!(keyboard["Type"], "keyboard");
        let buttons = keyboard["Buttons"].as_array().unwrap();
        assert_eq!(buttons[0]["ActionType"], "reply");
        assert_eq!(buttons[0]["ActionBody"], "press:petitions|sign:1");
        assert_eq!(buttons[0]["Silent"], true);
        assert_eq!(buttons[1]["ActionType"], "open-url");
        assert_eq!(buttons[1]["ActionBody"], "https://example.org");
        let rejoined = bodies.iter().map(|b| b["text"].as_str().unwrap()).collect::<Vec<_>>().join(" ");
        assert_eq!(rejoined.split_whitespace().count(), 2500);

        // Four-byte characters are cut by bytes too, so that a message stays under 30 KB.
        let emoji = render("u1", "hromada", &Reply::text("🌻".repeat(MAX_TEXT)));
        assert!(emoji.len() >= 2);
        assert!(emoji.iter().all(|b| b["text"].as_str().unwrap().len() <= MAX_TEXT_BYTES));
        assert_eq!(render("u1", "hromada", &Reply::text(""))[0]["text"], "⋯");
    }

    #[test]
    fn keyboards_keep_rows_within_six_columns_and_24_buttons() {
        let row = |n: usize| (0..n).map(|i| Button::data(format!("B{i}"), format!("x|{i}"))).collect::<Vec<_>>();
        let reply = Reply::text("Меню").row(row(2)).row(row(4)).row(row(1)).row(row(8));
        let bodies = render("u1", "hromada", &reply);
        let buttons = bodies[0]["keyboard"]["Buttons"].as_array().unwrap();
        let columns: Vec<u64> = buttons.iter().map(|b| b["Columns"].as_u64().unwrap()).collect();
        assert_eq!(columns, vec![3, 3, 2, 2, 1, 1, 6, 1, 1, 1, 1, 1, 1, 3, 3]);

        let many =
            (0..30).fold(Reply::text("Багато"), |r, i| r.button(Button::data(format!("B{i}"), format!("x|{i}"))));
        let bodies = render("u1", "hromada", &many);
        assert_eq!(bodies[0]["keyboard"]["Buttons"].as_array().unwrap().len(), MAX_BUTTONS);
        let long_label = render("u1", "hromada", &Reply::text("x").button(Button::data("я".repeat(400), "x|1")));
        assert_eq!(long_label[0]["keyboard"]["Buttons"][0]["Text"].as_str().unwrap().chars().count(), MAX_LABEL);
    }

    #[test]
    fn requests_for_a_location_or_a_phone_are_keyboard_buttons() {
        let phone = render("u1", "hromada", &Reply::text("Поділіться номером").ask(Ask::Contact));
        assert_eq!(phone[0]["keyboard"]["Buttons"][0]["ActionType"], "share-phone");
        assert_eq!(phone[0]["min_api_version"], 3);
        assert_eq!(phone[0]["tracking_data"], ASK_CONTACT);
        let place = render(
            "u1",
            "hromada",
            &Reply::text("Де?").ask(Ask::Location).button(Button::data("Пропустити", "appeals|skip")),
        );
        let buttons = place[0]["keyboard"]["Buttons"].as_array().unwrap();
        assert_eq!(buttons[0]["ActionType"], "location-picker");
        assert!(!buttons[0]["ActionBody"].as_str().unwrap().is_empty());
        assert_eq!(buttons[1]["ActionBody"], "press:appeals|skip");
        assert!(place[0].get("tracking_data").is_none());
        let plain = render("u1", "hromada", &Reply::text("Привіт"));
        assert!(plain[0].get("keyboard").is_none());
        assert_eq!(plain[0]["min_api_version"], 1);
    }

    #[test]
    fn pictures_carry_a_short_text_or_go_before_it() {
        let short = render("u1", "hromada", &Reply { image: Some("https://x/p.jpg".into()), ..Reply::text("Підпис") });
        assert_eq!(short.len(), 1);
        assert_eq!((short[0]["type"].as_str(), short[0]["text"].as_str()), (Some("picture"), Some("Підпис")));
        let long = Reply { image: Some("https://x/p.jpg".into()), ..Reply::text("д".repeat(MAX_CAPTION + 1)) }
            .button(Button::data("Так", "x|1"));
        let bodies = render("u1", "hromada", &long);
        assert_eq!(bodies.len(), 2);
        assert_eq!((bodies[0]["type"].as_str(), bodies[0]["text"].as_str()), (Some("picture"), Some("")));
        assert!(bodies[0].get("keyboard").is_none() && bodies[1].get("keyboard").is_some());
    }

    #[test]
    fn the_welcome_message_joins_the_replies_into_one() {
        let replies = vec![
            Reply::text("Вітаємо!"),
            Reply::text("Головне меню:").button(Button::data("Петиції", "petitions|list")),
        ];
        let body = welcome("hromada", &replies).unwrap();
        assert!(body.get("receiver").is_none());
        assert_eq!(body["text"], "Вітаємо!\n\nГоловне меню:");
        assert_eq!(body["keyboard"]["Buttons"][0]["ActionBody"], "press:petitions|list");
        assert!(welcome("hromada", &[]).is_none());
    }

    #[test]
    fn answer_statuses_map_to_delivery_outcomes() {
        assert_eq!(outcome(Some(0), "ok"), Sent::Ok);
        assert_eq!(outcome(Some(6), "receiverNotSubscribed"), Sent::Blocked);
        assert_eq!(outcome(Some(5), "receiverNotRegistered"), Sent::Blocked);
        assert_eq!(outcome(Some(12), "tooManyRequests"), Sent::RetryAfter(RATE_LIMIT_PAUSE));
        assert_eq!(outcome(Some(3), "badData"), Sent::Failed("3: badData".into()));
        assert!(matches!(outcome(None, ""), Sent::Failed(_)));
    }
}
