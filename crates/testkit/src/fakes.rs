//! Local stand-ins for outside services. Production code only ever sees their base URLs.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

pub const EID_CLIENT_ID: &str = "hromada-test";
pub const EID_CLIENT_SECRET: &str = "hromada-test-secret";

/// Serves a router on a free local port; returns its base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

/// The e-ID provider stub with the test client credentials and these people `(tax number, surname)`.
pub async fn eid_provider(people: &[(&str, &str)]) -> String {
    let persons = people
        .iter()
        .map(|(code, last)| hromada_platform::eid::StubPerson {
            drfocode: (*code).into(),
            lastname: (*last).into(),
            givenname: "Тест".into(),
            middlename: "Тестович".into(),
            address: "м. Тест".into(),
        })
        .collect();
    serve(hromada_platform::eid::StubEid::new(EID_CLIENT_ID, EID_CLIENT_SECRET, persons).router()).await
}

/// A message an SMTP client delivered.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A minimal SMTP server (RFC 5321 without extensions) that keeps what it receives.
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let received: Arc<Mutex<Vec<Received>>> = Default::default();
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(socket, store).await;
                });
            }
        });
        SmtpSink { addr, received }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("sink lock").clone()
    }
}

async fn session(socket: tokio::net::TcpStream, store: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let mut current = Received::default();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write.write_all(b"250 sink.test\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            current = Received { from: command[10..].trim().trim_matches(['<', '>']).to_owned(), ..Default::default() };
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            current.to.push(command[8..].trim().trim_matches(['<', '>']).to_owned());
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
            }
            current.data = data;
            store.lock().expect("sink lock").push(std::mem::take(&mut current));
            write.write_all(b"250 OK queued\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 Command not implemented\r\n").await?;
        }
    }
}

/// A call the fake Telegram received.
#[derive(Debug, Clone)]
pub struct TelegramCall {
    pub token: String,
    pub method: String,
    pub params: serde_json::Value,
}

/// What the fake Telegram answers to the next sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TelegramTrouble {
    /// `429 Too Many Requests` with `retry_after`.
    TooMany { retry_after: u64 },
    /// `403 Forbidden: bot was blocked by the user`.
    Blocked,
}

#[derive(Default)]
struct TelegramInner {
    calls: Vec<TelegramCall>,
    /// Files residents "sent", by file id.
    files: std::collections::HashMap<String, Vec<u8>>,
    /// Updates waiting for `getUpdates` (long polling).
    updates: Vec<serde_json::Value>,
    trouble: std::collections::VecDeque<TelegramTrouble>,
    next_message_id: i64,
}

/// A local Telegram Bot API: `POST /bot{token}/{method}` with JSON, answered in the Bot API's
/// envelope (`{"ok": true, "result": …}` or `{"ok": false, "error_code", "description",
/// "parameters"}`). It checks what the real one checks about messages: a text of 1–4096
/// characters, a caption of at most 1024, and button data of at most 64 bytes.
#[derive(Clone)]
pub struct FakeTelegram {
    pub base: String,
    inner: Arc<Mutex<TelegramInner>>,
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        let inner: Arc<Mutex<TelegramInner>> = Arc::default();
        let shared = inner.clone();
        let files = inner.clone();
        let router = axum::Router::new()
            .route(
                "/file/{bot}/{*path}",
                axum::routing::get(move |axum::extract::Path((_, path)): axum::extract::Path<(String, String)>| {
                    let files = files.clone();
                    async move {
                        let id = path.trim_start_matches("photos/").trim_end_matches(".jpg").to_owned();
                        match files.lock().expect("lock").files.get(&id) {
                            Some(bytes) => (axum::http::StatusCode::OK, bytes.clone()),
                            None => (axum::http::StatusCode::NOT_FOUND, vec![]),
                        }
                    }
                }),
            )
            .route(
                "/{bot}/{method}",
                axum::routing::post(
                    move |axum::extract::Path((bot, method)): axum::extract::Path<(String, String)>,
                          body: axum::body::Bytes| {
                        let inner = shared.clone();
                        async move { telegram_answer(&inner, &bot, &method, &body) }
                    },
                ),
            );
        FakeTelegram { base: serve(router).await, inner }
    }

    pub fn calls(&self) -> Vec<TelegramCall> {
        self.inner.lock().expect("lock").calls.clone()
    }

    /// The texts sent to a chat, in order.
    pub fn texts_to(&self, chat_id: &str) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == "sendMessage" && c.params["chat_id"].as_str() == Some(chat_id))
            .map(|c| c.params["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The last message sent to a chat.
    pub fn last_to(&self, chat_id: &str) -> Option<serde_json::Value> {
        self.calls()
            .into_iter()
            .rev()
            .find(|c| c.method == "sendMessage" && c.params["chat_id"].as_str() == Some(chat_id))
            .map(|c| c.params)
    }

    /// An update for a bot that polls: the next `getUpdates` gives it.
    pub fn push_update(&self, update: serde_json::Value) {
        self.inner.lock().expect("lock").updates.push(update);
    }

    /// A file a resident sends: `getFile` and the download then give these bytes.
    pub fn put_file(&self, file_id: &str, bytes: Vec<u8>) {
        self.inner.lock().expect("lock").files.insert(file_id.to_owned(), bytes);
    }

    /// The next sends meet these troubles, one each.
    pub fn trouble(&self, troubles: &[TelegramTrouble]) {
        self.inner.lock().expect("lock").trouble.extend(troubles.iter().copied());
    }

    /// Waits until `chat_id` got at least `n` messages, or panics after a while.
    pub async fn wait_for(&self, chat_id: &str, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let texts = self.texts_to(chat_id);
            if texts.len() >= n {
                return texts;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("chat {chat_id} got {:?}, fewer than {n} messages", self.texts_to(chat_id));
    }
}

fn telegram_answer(
    inner: &Mutex<TelegramInner>,
    bot: &str,
    method: &str,
    body: &[u8],
) -> (axum::http::StatusCode, axum::Json<serde_json::Value>) {
    use axum::http::StatusCode;
    use serde_json::json;
    let fail = |code: u16, description: &str| {
        (
            StatusCode::from_u16(code).expect("status"),
            axum::Json(json!({ "ok": false, "error_code": code, "description": description })),
        )
    };
    let Some(token) = bot.strip_prefix("bot") else { return fail(404, "Not Found") };
    let Ok(params) = serde_json::from_slice::<serde_json::Value>(body) else {
        return fail(400, "Bad Request: can't parse JSON");
    };
    let mut inner = inner.lock().expect("lock");
    let sends = matches!(method, "sendMessage" | "sendPhoto");
    if sends {
        match inner.trouble.pop_front() {
            Some(TelegramTrouble::TooMany { retry_after }) => {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    axum::Json(json!({ "ok": false, "error_code": 429,
                        "description": format!("Too Many Requests: retry after {retry_after}"),
                        "parameters": { "retry_after": retry_after } })),
                );
            }
            Some(TelegramTrouble::Blocked) => return fail(403, "Forbidden: bot was blocked by the user"),
            None => {}
        }
        if params["chat_id"].is_null() {
            return fail(400, "Bad Request: chat_id is empty");
        }
        if method == "sendMessage" {
            let chars = params["text"].as_str().map(|t| t.chars().count()).unwrap_or(0);
            if chars == 0 {
                return fail(400, "Bad Request: message text is empty");
            }
            if chars > 4096 {
                return fail(400, "Bad Request: message is too long");
            }
        }
        if params["caption"].as_str().is_some_and(|c| c.chars().count() > 1024) {
            return fail(400, "Bad Request: message caption is too long");
        }
        let too_long = params["reply_markup"]["inline_keyboard"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row.as_array().into_iter().flatten())
            .any(|b| b["callback_data"].as_str().is_some_and(|d| d.len() > 64 || d.is_empty()));
        if too_long {
            return fail(400, "Bad Request: BUTTON_DATA_INVALID");
        }
    }
    inner.calls.push(TelegramCall { token: token.to_owned(), method: method.to_owned(), params: params.clone() });
    if method == "getUpdates" {
        // Updates from `offset` on; earlier ones are confirmed and dropped, as Telegram does.
        // The fake answers at once instead of holding the request for `timeout` seconds.
        let offset = params["offset"].as_i64().unwrap_or(0);
        inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        let result = serde_json::Value::Array(inner.updates.clone());
        return (StatusCode::OK, axum::Json(json!({ "ok": true, "result": result })));
    }
    if method == "getFile" {
        let id = params["file_id"].as_str().unwrap_or_default().to_owned();
        if !inner.files.contains_key(&id) {
            return fail(400, "Bad Request: invalid file_id");
        }
        let size = inner.files[&id].len();
        let result =
            json!({ "file_id": id, "file_unique_id": id, "file_size": size, "file_path": format!("photos/{id}.jpg") });
        return (StatusCode::OK, axum::Json(json!({ "ok": true, "result": result })));
    }
    let result = if sends {
        inner.next_message_id += 1;
        json!({ "message_id": inner.next_message_id, "chat": { "id": params["chat_id"], "type": "private" }, "date": 0 })
    } else {
        json!(true)
    };
    (StatusCode::OK, axum::Json(json!({ "ok": true, "result": result })))
}

/// A call the fake Viber accepted.
#[derive(Debug, Clone)]
pub struct ViberCall {
    pub token: String,
    pub method: String,
    pub body: serde_json::Value,
}

/// What the fake Viber answers to the next sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViberTrouble {
    /// Status 12, `tooManyRequests`.
    TooMany,
    /// Status 6, `receiverNotSubscribed`: the resident unsubscribed (blocked the bot).
    NotSubscribed,
}

#[derive(Default)]
struct ViberInner {
    tokens: std::collections::HashSet<String>,
    calls: Vec<ViberCall>,
    trouble: std::collections::VecDeque<ViberTrouble>,
    unsubscribed: std::collections::HashSet<String>,
    next_token: u64,
    /// Pictures residents "sent", served at `/media/{name}` as Viber's media links are.
    media: std::collections::HashMap<String, Vec<u8>>,
}

/// A local Viber REST bot API: `POST /pa/{method}` with the `X-Viber-Auth-Token` header, answered
/// as Viber does, HTTP 200 with `{"status": 0, "status_message": "ok", …}` or an error status. It
/// checks what the real one checks about messages: the token, a receiver, a sender name of at
/// most 28 characters, a text of 1–7000 characters, a picture text of at most 512, a body under
/// 30 KB, and keyboards of 1–24 buttons, each with a known action, a body, 1–6 columns, 1–2 rows,
/// a label of at most 250 characters, and API level 3 for `share-phone` and `location-picker`.
/// `set_webhook` calls the given address with a signed `webhook` event, as Viber does, and
/// fails unless it answers 200.
#[derive(Clone)]
pub struct FakeViber {
    pub base: String,
    inner: Arc<Mutex<ViberInner>>,
}

impl FakeViber {
    /// A Viber that knows the bots with these authentication tokens.
    pub async fn start(tokens: &[&str]) -> FakeViber {
        let inner = Arc::new(Mutex::new(ViberInner {
            tokens: tokens.iter().map(|t| (*t).to_owned()).collect(),
            ..ViberInner::default()
        }));
        let shared = inner.clone();
        let media = inner.clone();
        let router = axum::Router::new()
            .route(
                "/media/{name}",
                axum::routing::get(move |axum::extract::Path(name): axum::extract::Path<String>| {
                    let media = media.clone();
                    async move {
                        match media.lock().expect("lock").media.get(&name) {
                            Some(bytes) => (axum::http::StatusCode::OK, bytes.clone()),
                            None => (axum::http::StatusCode::NOT_FOUND, vec![]),
                        }
                    }
                }),
            )
            .route(
                "/pa/{method}",
                axum::routing::post(
                    move |axum::extract::Path(method): axum::extract::Path<String>,
                          headers: axum::http::HeaderMap,
                          body: axum::body::Bytes| {
                        let inner = shared.clone();
                        async move { axum::Json(viber_answer(&inner, &method, &headers, &body).await) }
                    },
                ),
            );
        FakeViber { base: serve(router).await, inner }
    }

    /// A picture a resident sends; gives the media link a callback carries.
    pub fn put_media(&self, name: &str, bytes: Vec<u8>) -> String {
        self.inner.lock().expect("lock").media.insert(name.to_owned(), bytes);
        format!("{}/media/{name}", self.base)
    }

    pub fn calls(&self) -> Vec<ViberCall> {
        self.inner.lock().expect("lock").calls.clone()
    }

    /// The messages sent to a resident, in order.
    pub fn sent_to(&self, receiver: &str) -> Vec<serde_json::Value> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == "send_message" && c.body["receiver"].as_str() == Some(receiver))
            .map(|c| c.body)
            .collect()
    }

    /// The texts sent to a resident, in order (a picture's text included).
    pub fn texts_to(&self, receiver: &str) -> Vec<String> {
        self.sent_to(receiver).iter().map(|b| b["text"].as_str().unwrap_or_default().to_owned()).collect()
    }

    /// The last message sent to a resident.
    pub fn last_to(&self, receiver: &str) -> Option<serde_json::Value> {
        self.sent_to(receiver).pop()
    }

    /// The next sends meet these troubles, one each.
    pub fn trouble(&self, troubles: &[ViberTrouble]) {
        self.inner.lock().expect("lock").trouble.extend(troubles.iter().copied());
    }

    /// The resident has not subscribed (or unsubscribed): sends to them fail with status 6.
    pub fn unsubscribe(&self, receiver: &str) {
        self.inner.lock().expect("lock").unsubscribed.insert(receiver.to_owned());
    }

    /// The resident subscribed, as writing to the bot does.
    pub fn subscribe(&self, receiver: &str) {
        self.inner.lock().expect("lock").unsubscribed.remove(receiver);
    }

    /// Waits until `receiver` got at least `n` messages, or panics after a while.
    pub async fn wait_for(&self, receiver: &str, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let texts = self.texts_to(receiver);
            if texts.len() >= n {
                return texts;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{receiver} got {:?}, fewer than {n} messages", self.texts_to(receiver));
    }
}

/// The hex HMAC-SHA256 of a callback body keyed by the bot's token, as Viber signs callbacks.
pub fn viber_signature(token: &str, body: &[u8]) -> String {
    hromada_web::auth::keyed_hash(token.as_bytes(), body).iter().map(|b| format!("{b:02x}")).collect()
}

async fn viber_answer(
    inner: &Mutex<ViberInner>,
    method: &str,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> serde_json::Value {
    use serde_json::json;
    let fail = |status: u8, message: &str| json!({ "status": status, "status_message": message });
    let token = headers.get("x-viber-auth-token").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if !inner.lock().expect("lock").tokens.contains(&token) {
        return fail(2, "invalidAuthToken");
    }
    let Ok(params) = serde_json::from_slice::<serde_json::Value>(body) else { return fail(3, "badData") };
    match method {
        "set_webhook" => {
            let Some(url) = params["url"].as_str().map(str::to_owned) else { return fail(4, "missingData") };
            let event = json!({ "event": "webhook", "timestamp": 1, "chat_hostname": "SN-FAKE_",
                "message_token": 5_000_000_000_000_000_000u64 })
            .to_string();
            let checked = reqwest::Client::new()
                .post(&url)
                .header("X-Viber-Content-Signature", viber_signature(&token, event.as_bytes()))
                .header("content-type", "application/json")
                .body(event)
                .send()
                .await;
            if !checked.is_ok_and(|r| r.status() == 200) {
                return fail(1, "invalidUrl");
            }
            inner.lock().expect("lock").calls.push(ViberCall { token, method: method.to_owned(), body: params });
            json!({ "status": 0, "status_message": "ok", "event_types": ["subscribed", "unsubscribed",
                "conversation_started", "message"] })
        }
        "send_message" => {
            if let Err(message) = check_viber_message(&params, body.len()) {
                return fail(3, message);
            }
            let mut inner = inner.lock().expect("lock");
            match inner.trouble.pop_front() {
                Some(ViberTrouble::TooMany) => return fail(12, "tooManyRequests"),
                Some(ViberTrouble::NotSubscribed) => return fail(6, "receiverNotSubscribed"),
                None => {}
            }
            let receiver = params["receiver"].as_str().unwrap_or_default();
            if inner.unsubscribed.contains(receiver) {
                return fail(6, "receiverNotSubscribed");
            }
            inner.next_token += 1;
            let message_token = inner.next_token;
            inner.calls.push(ViberCall { token, method: method.to_owned(), body: params });
            json!({ "status": 0, "status_message": "ok", "message_token": message_token,
                "chat_hostname": "SN-CHAT-01_", "billing_status": 1 })
        }
        _ => fail(3, "badData"),
    }
}

/// What the real Viber refuses in a `send_message`, as its status message.
fn check_viber_message(m: &serde_json::Value, size: usize) -> Result<(), &'static str> {
    let chars = |v: &serde_json::Value| v.as_str().map(|s| s.chars().count());
    if size > 30 * 1024 {
        return Err("badData: the message is over 30 KB");
    }
    if m["receiver"].as_str().is_none_or(str::is_empty) {
        return Err("missingData: receiver");
    }
    match chars(&m["sender"]["name"]) {
        Some(1..=28) => {}
        _ => return Err("badData: sender.name must be 1-28 characters"),
    }
    match m["type"].as_str() {
        Some("text") => match chars(&m["text"]) {
            Some(1..=7000) => {}
            _ => return Err("badData: text must be 1-7000 characters"),
        },
        Some("picture") => {
            if m["media"].as_str().is_none_or(str::is_empty) || chars(&m["text"]).is_none_or(|n| n > 512) {
                return Err("badData: picture");
            }
        }
        _ => return Err("badData: unknown message type"),
    }
    if m.get("keyboard").is_none() {
        return Ok(());
    }
    let keyboard = &m["keyboard"];
    let api_level = m["min_api_version"].as_u64().unwrap_or(1);
    let Some(buttons) = keyboard["Buttons"].as_array().filter(|b| !b.is_empty()) else {
        return Err("badData: a keyboard needs buttons");
    };
    if keyboard["Type"] != "keyboard" || buttons.len() > 24 {
        return Err("badData: keyboard");
    }
    let mut rows = 0;
    let mut free = 0;
    for b in buttons {
        let columns = b.get("Columns").map_or(Some(6), serde_json::Value::as_u64).unwrap_or(0);
        let height = b.get("Rows").map_or(Some(1), serde_json::Value::as_u64).unwrap_or(0);
        if !(1..=6).contains(&columns) || !(1..=2).contains(&height) {
            return Err("badData: button size");
        }
        if chars(&b["Text"]).is_some_and(|n| n > 250) || b["ActionBody"].as_str().is_none_or(str::is_empty) {
            return Err("badData: button text or body");
        }
        match b["ActionType"].as_str().unwrap_or("reply") {
            "reply" | "open-url" | "none" => {}
            "share-phone" | "location-picker" if api_level >= 3 => {}
            _ => return Err("badData: button action"),
        }
        if columns > free {
            rows += height;
            free = 6;
        }
        free -= columns;
    }
    if rows > 24 {
        return Err("badData: a keyboard holds 24 rows");
    }
    Ok(())
}
