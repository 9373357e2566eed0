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
        let router = axum::Router::new().route(
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
    let result = if sends {
        inner.next_message_id += 1;
        json!({ "message_id": inner.next_message_id, "chat": { "id": params["chat_id"], "type": "private" }, "date": 0 })
    } else {
        json!(true)
    };
    (StatusCode::OK, axum::Json(json!({ "ok": true, "result": result })))
}
