//! The bot's HTTP side: the messengers' webhooks, the web chat (a page that works without
//! JavaScript; `chat.js` only saves the reloads), and linking a messenger chat to an account.

use crate::delivery::Delivery;
use crate::engine::{Engine, Handled, Incoming};
use crate::store::{self, Channel, Said};
use crate::telegram;
use crate::viber;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hromada_kernel::GeoPoint;
use hromada_web::chat::{Ask, Inbound, Press};
use hromada_web::{AppError, AppResult, AppState, Page, Serde, Tenant, Value, context, cookies};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use subtle::ConstantTimeEq;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat", get(chat_page).post(chat_send))
        .route("/chat/photo", axum::routing::post(chat_photo))
        .route("/chat/link", get(link_page))
        .route("/hooks/telegram/{hook}", axum::routing::post(telegram_hook))
        .route("/hooks/viber/{hook}", axum::routing::post(viber_hook))
}

fn engine(state: &AppState) -> AppResult<Arc<Engine>> {
    state.extension::<Arc<Engine>>().cloned().ok_or_else(|| AppError::unexpected("the bot engine is not started"))
}

/// The community's enabled bot on `channel` whose webhook path this is; 404 for any other path.
async fn hooked(
    state: &AppState,
    tenant: &Tenant,
    hook: &str,
    channel: Channel,
) -> Result<store::ChannelConfig, StatusCode> {
    match store::channel_by_hook_cached(&state.db, state.extension::<store::HookCache>(), hook).await {
        Ok(Some(c)) if c.community_id == tenant.community.id && c.channel == channel.code() && c.enabled => Ok(c),
        Ok(_) => Err(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "reading the bot's channel failed");
            Err(StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// A Telegram webhook call. A wrong path is 404 and a wrong secret 403, with nothing handled;
/// anything Telegram sends that the bot does not serve is acknowledged, so it is not retried.
async fn telegram_hook(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(hook): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let config = match hooked(&state, &tenant, &hook, Channel::Telegram).await {
        Ok(c) => c,
        Err(status) => return status.into_response(),
    };
    let given = headers.get(telegram::SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !bool::from(given.ct_eq(config.secret.as_bytes())) {
        tracing::warn!(community = %tenant.community.slug, "a Telegram webhook call with a wrong secret");
        return StatusCode::FORBIDDEN.into_response();
    }
    let update: telegram::Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "a Telegram update the bot cannot read; ignored");
            return StatusCode::OK.into_response();
        }
    };
    let understood = telegram::understand(&update);
    let mut incoming = understood.incoming;
    if let (Some(file_id), Some(photo)) = (&understood.photo, incoming.as_mut()) {
        match telegram_photo(&state, &tenant, &config, photo, file_id).await {
            Ok(id) => photo.inbound = Inbound::Photo { upload: id },
            Err(e) => {
                tracing::warn!(error = %e, "a photo sent to the Telegram bot could not be kept; ignored");
                incoming = None;
            }
        }
    }
    if let Some(incoming) = incoming {
        match engine(&state) {
            Ok(engine) => match engine.handle(&state, &tenant, incoming, None).await {
                Ok(_) => {
                    if let Some(d) = state.extension::<Delivery>() {
                        d.wake();
                    }
                }
                Err(e) => {
                    // A retry would most likely fail the same way: it is logged, not retried.
                    tracing::error!(error = ?e, "handling a Telegram update failed");
                }
            },
            Err(e) => tracing::error!(error = ?e, "no bot engine"),
        }
    } else {
        tracing::debug!(update = update.update_id, "a Telegram update the bot does not serve; ignored");
    }
    match understood.callback_query {
        // Telegram takes one method call as the webhook's answer: the button stops spinning
        // without another request.
        Some(id) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            serde_json::json!({ "method": "answerCallbackQuery", "callback_query_id": id }).to_string(),
        )
            .into_response(),
        None => StatusCode::OK.into_response(),
    }
}

/// A Viber callback. A wrong path is 404 and a wrong signature 403, with nothing handled;
/// anything Viber sends that the bot does not serve is acknowledged, so it is not retried.
async fn viber_hook(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(hook): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let config = match hooked(&state, &tenant, &hook, Channel::Viber).await {
        Ok(c) => c,
        Err(status) => return status.into_response(),
    };
    let given = headers.get(viber::SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !viber::signed(&config.token, &body, given) {
        tracing::warn!(community = %tenant.community.slug, "a Viber callback with a wrong signature");
        return StatusCode::FORBIDDEN.into_response();
    }
    let callback: viber::Callback = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "a Viber callback the bot cannot read; ignored");
            return StatusCode::OK.into_response();
        }
    };
    let community = tenant.community.id;
    match viber::understand(&callback) {
        viber::Understood::Turn { mut incoming, welcome } => {
            if matches!(incoming.inbound, Inbound::Photo { .. }) {
                let media = callback.message.as_ref().and_then(|m| m.media.clone()).unwrap_or_default();
                match viber_picture(&state, &tenant, &incoming, &media).await {
                    Ok(id) => incoming.inbound = Inbound::Photo { upload: id },
                    Err(e) => {
                        tracing::warn!(error = %e, "a picture sent to the Viber bot could not be kept; ignored");
                        return StatusCode::OK.into_response();
                    }
                }
            }
            let engine = match engine(&state) {
                Ok(e) => e,
                Err(e) => {
                    tracing::error!(error = ?e, "no bot engine");
                    return StatusCode::OK.into_response();
                }
            };
            match engine.handle(&state, &tenant, incoming, None).await {
                Ok(Handled::Answered { chat, replies }) if welcome => {
                    // Viber delivers nothing but this answer to a resident who has not
                    // subscribed: the queued copies go, and the chat waits for their first
                    // message (which subscribes them and makes it active again).
                    if let Err(e) = store::deactivate(&state.db, community, chat.id).await {
                        tracing::warn!(error = %e, "dropping a welcome's queued copies failed");
                    }
                    if let Some(message) = viber::welcome(&config.username, &replies) {
                        return (
                            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                            message.to_string(),
                        )
                            .into_response();
                    }
                }
                Ok(Handled::Answered { .. }) => {
                    if let Some(d) = state.extension::<Delivery>() {
                        d.wake();
                    }
                }
                Ok(Handled::Duplicate) => {}
                // A retry would most likely fail the same way: it is logged, not retried.
                Err(e) => tracing::error!(error = ?e, "handling a Viber message failed"),
            }
        }
        viber::Understood::Subscribed { user_id, lang } => {
            // Opening the chat row marks it active: replies reach the resident again.
            let lang = lang.unwrap_or_default().code();
            if let Err(e) = store::open_chat(&state.db, community, Channel::Viber, &user_id, lang, state.now()).await {
                tracing::error!(error = %e, "recording a Viber subscription failed");
            }
        }
        viber::Understood::Unsubscribed { user_id } => {
            let chat = store::chat_by_external(&state.db, community, Channel::Viber, &user_id).await;
            let done = match chat {
                Ok(Some(chat)) => store::deactivate(&state.db, community, chat.id).await,
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            if let Err(e) = done {
                tracing::error!(error = %e, "recording a Viber unsubscription failed");
            }
        }
        viber::Understood::Ignored(why) => {
            tracing::debug!(event = %callback.event, why, "a Viber callback the bot does not serve; ignored");
        }
    }
    StatusCode::OK.into_response()
}

/// Fetches a picture a resident sent to Viber (its `media` link) and keeps it for the chat's account.
async fn viber_picture(
    state: &AppState,
    tenant: &Tenant,
    incoming: &Incoming,
    media: &str,
) -> anyhow::Result<uuid::Uuid> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let response = client.get(media).send().await?.error_for_status()?;
    let limit = telegram::MAX_PHOTO_BYTES;
    anyhow::ensure!(response.content_length().is_none_or(|n| n <= limit), "the picture is too large");
    let bytes = response.bytes().await?;
    anyhow::ensure!(bytes.len() as u64 <= limit, "the picture is too large");
    keep_for_chat(state, tenant, Channel::Viber, incoming, bytes.to_vec(), "viber.jpg").await
}

/// Keeps a photo for the account the chat is linked to.
async fn keep_for_chat(
    state: &AppState,
    tenant: &Tenant,
    channel: Channel,
    incoming: &Incoming,
    bytes: Vec<u8>,
    name: &str,
) -> anyhow::Result<uuid::Uuid> {
    let owner = store::chat_by_external(&state.db, tenant.community.id, channel, &incoming.external_id)
        .await?
        .and_then(|c| c.user_id);
    match crate::photos::keep(state, tenant.community.id, owner, bytes, name).await {
        Ok(Ok(id)) => Ok(id),
        Ok(Err(why)) => anyhow::bail!("not a photo the bot keeps: {why}"),
        Err(e) => anyhow::bail!("{e:?}"),
    }
}

/// Fetches a photo a resident sent to Telegram and keeps it for the chat's account.
async fn telegram_photo(
    state: &AppState,
    tenant: &Tenant,
    config: &store::ChannelConfig,
    incoming: &Incoming,
    file_id: &str,
) -> anyhow::Result<uuid::Uuid> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let bytes = telegram::download(&client, &config.api_base, &config.token, file_id).await?;
    keep_for_chat(state, tenant, Channel::Telegram, incoming, bytes, "telegram.jpg").await
}

const CHAT_COOKIE: &str = "hromada_chat";
const SHOWN: i64 = 60;

/// The web chat's id in this browser: a random token in a cookie, kept in the database only as
/// a hash.
fn web_chat_id(headers: &HeaderMap) -> Option<(String, String)> {
    let token = cookies::get(headers, CHAT_COOKIE).filter(|t| t.len() >= 32 && t.len() <= 64)?;
    let external = hex::encode(hromada_web::auth::hash_token(&token));
    Some((token, external))
}

fn set_chat_cookie(state: &AppState, tenant: &Tenant, token: &str) -> HeaderValue {
    let path = if tenant.base.is_empty() { "/" } else { tenant.base.as_str() };
    cookies::set(CHAT_COOKIE, token, path, Some(60 * 60 * 24 * 180), state.config.secure_cookies)
}

/// A message as the chat page shows it.
#[derive(Debug, Serialize)]
struct Shown {
    seq: i64,
    from: &'static str,
    name: String,
    text: String,
    image: Option<String>,
    buttons: Vec<Vec<ShownButton>>,
    ask: Option<&'static str>,
    /// Sent after the resident's last message: its buttons are the ones to press now.
    live: bool,
}

#[derive(Debug, Serialize)]
struct ShownButton {
    label: String,
    data: Option<String>,
    href: Option<String>,
}

async fn chat_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    headers: HeaderMap,
) -> AppResult<Response> {
    let engine = engine(&state)?;
    let (token, external, fresh) = match web_chat_id(&headers) {
        Some((token, external)) => (token, external, false),
        None => {
            let token = hromada_web::auth::new_token();
            let external = hex::encode(hromada_web::auth::hash_token(&token));
            (token, external, true)
        }
    };
    let mut chat = store::chat_by_external(&state.db, tenant.community.id, Channel::Web, &external).await?;
    if chat.as_ref().is_none_or(|c| c.messages == 0) {
        // The first look greets the resident and shows the menu.
        let incoming = Incoming {
            channel: Channel::Web,
            external_id: external.clone(),
            update_id: None,
            lang: Some(page.lang),
            inbound: Inbound::Start { payload: None },
        };
        if let Handled::Answered { chat: c, .. } =
            engine.handle(&state, &tenant, incoming, page.viewer.user.as_ref()).await?
        {
            chat = Some(*c);
        }
    }
    let chat = chat.ok_or(AppError::NotFound)?;
    let messages =
        store::transcript(&state.db, tenant.community.id, chat.id, (chat.messages - SHOWN).max(0), SHOWN).await?;
    let shown = show(&page, &messages);
    let last_asks = shown.last().and_then(|m| m.ask);
    let mut response = page.render(
        "bot/chat.html",
        context! {
            messages => Serde(&shown),
            turn => hromada_web::auth::new_token(),
            asks => last_asks,
            signed_in => page.viewer.user.is_some(),
        },
    )?;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if fresh {
        response.headers_mut().append(header::SET_COOKIE, set_chat_cookie(&state, &tenant, &token));
    }
    Ok(response)
}

/// The transcript for the page: each press shown by the label of the button pressed.
fn show(page: &Page, messages: &[store::Message]) -> Vec<Shown> {
    let mut shown: Vec<Shown> = Vec::with_capacity(messages.len());
    for m in messages {
        let item = match &m.body.0 {
            Said::Resident { inbound } => {
                let text = match inbound {
                    // The chat opens with the greeting; the page has no "/start" to show.
                    Inbound::Start { .. } => continue,
                    Inbound::Text { text } => text.clone(),
                    Inbound::Button { data } => label_of(&shown, data).unwrap_or_else(|| "▸".to_owned()),
                    Inbound::Contact { phone, .. } => format!("📞 {phone}"),
                    Inbound::Location { point } => format!("📍 {:.5}, {:.5}", point.lat, point.lon),
                    Inbound::Photo { .. } => "🖼".to_owned(),
                };
                Shown {
                    seq: m.seq,
                    from: "resident",
                    name: page.t("bot-you"),
                    text,
                    image: None,
                    buttons: vec![],
                    ask: None,
                    live: false,
                }
            }
            Said::Bot { reply } | Said::Official { reply, .. } => {
                let (from, name) = match &m.body.0 {
                    Said::Official { name, .. } => ("official", name.clone()),
                    _ => ("bot", page.t("bot-name")),
                };
                Shown {
                    seq: m.seq,
                    from,
                    name,
                    text: reply.text.clone(),
                    image: reply.image.clone(),
                    buttons: reply
                        .buttons
                        .iter()
                        .map(|row| {
                            row.iter()
                                .map(|b| match &b.press {
                                    Press::Data(d) => {
                                        ShownButton { label: b.label.clone(), data: Some(d.clone()), href: None }
                                    }
                                    Press::Link(u) => {
                                        ShownButton { label: b.label.clone(), data: None, href: Some(u.clone()) }
                                    }
                                })
                                .collect()
                        })
                        .collect(),
                    ask: reply.ask.map(|a| match a {
                        Ask::Location => "location",
                        Ask::Contact => "contact",
                        Ask::Photo => "photo",
                    }),
                    live: true,
                }
            }
        };
        if item.from == "resident" {
            for earlier in &mut shown {
                earlier.live = false;
            }
        }
        shown.push(item);
    }
    shown
}

fn label_of(shown: &[Shown], data: &str) -> Option<String> {
    shown
        .iter()
        .rev()
        .flat_map(|m| m.buttons.iter().flatten())
        .find(|b| b.data.as_deref() == Some(data))
        .map(|b| b.label.clone())
}

/// A message from the web chat. The page's `turn` token makes a double-clicked form one update.
fn web_incoming(external_id: String, page: &Page, turn: &str, inbound: Inbound) -> Incoming {
    let turn: String = turn.trim().chars().take(64).collect();
    Incoming {
        channel: Channel::Web,
        external_id,
        update_id: (!turn.is_empty()).then(|| format!("web-{turn}")),
        lang: Some(page.lang),
        inbound,
    }
}

#[derive(Debug, Deserialize, Default)]
struct ChatForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    press: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    /// One per page shown, so that a double-clicked button is handled once.
    #[serde(default)]
    turn: String,
}

async fn chat_send(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChatForm>,
) -> AppResult<Response> {
    let engine = engine(&state)?;
    let back = format!("{}#chat-end", tenant.url("/chat"));
    let Some((_, external)) = web_chat_id(&headers) else {
        return Ok(Redirect::to(&back).into_response());
    };
    let minute = std::time::Duration::from_secs(60);
    if !state.limiter.hit(&format!("webchat:{external}"), 60, minute) {
        return Err(AppError::TooManyRequests);
    }
    let inbound = if !form.press.is_empty() {
        Inbound::Button { data: form.press.chars().take(crate::engine::MAX_DATA).collect() }
    } else if !form.lat.trim().is_empty() || !form.lon.trim().is_empty() {
        match (form.lat.trim().replace(',', ".").parse(), form.lon.trim().replace(',', ".").parse()) {
            (Ok(lat), Ok(lon)) if GeoPoint::new(lat, lon).is_some() => {
                Inbound::Location { point: GeoPoint::new(lat, lon).expect("checked") }
            }
            _ => {
                return Ok(page.redirect_with(&back, hromada_web::Flash::error("bot-bad-location")));
            }
        }
    } else {
        let text = form.text.trim();
        if text.is_empty() {
            return Ok(Redirect::to(&back).into_response());
        }
        Inbound::Text { text: text.chars().take(4000).collect() }
    };
    let incoming = web_incoming(external, &page, &form.turn, inbound);
    engine.handle(&state, &tenant, incoming, page.viewer.user.as_ref()).await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Debug, Deserialize, Default)]
struct PhotoForm {
    #[serde(default)]
    turn: String,
}

/// A photo for the flow that asked for one; it needs an account to belong to.
async fn chat_photo(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    headers: HeaderMap,
    upload: hromada_media::Upload,
) -> AppResult<Response> {
    let engine = engine(&state)?;
    let back = format!("{}#chat-end", tenant.url("/chat"));
    let user = page.viewer.require_user()?;
    let Some((_, external)) = web_chat_id(&headers) else {
        return Ok(Redirect::to(&back).into_response());
    };
    let form: PhotoForm = upload.form()?;
    let Some(file) = upload.files("photo").next().cloned() else {
        return Ok(page.redirect_with(&back, hromada_web::Flash::error("bot-photo-missing")));
    };
    let kept =
        crate::photos::keep(&state, tenant.community.id, Some(user.id), file.bytes.to_vec(), &file.file_name).await?;
    let id = match kept {
        Ok(id) => id,
        Err(why) => return Ok(page.redirect_with(&back, hromada_web::Flash::error(why.key()))),
    };
    let incoming = web_incoming(external, &page, &form.turn, Inbound::Photo { upload: id });
    engine.handle(&state, &tenant, incoming, page.viewer.user.as_ref()).await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Debug, Deserialize, Default)]
struct LinkQuery {
    #[serde(default)]
    channel: String,
}

/// Gives a signed-in resident a one-time link that opens the community's bot in a messenger
/// and links that chat to this account.
async fn link_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<LinkQuery>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?;
    let channels = store::channels(&state.db, tenant.community.id).await?;
    let token = hromada_web::auth::new_token();
    let expires = state.now() + chrono::Duration::minutes(30);
    let enabled: Vec<Value> = channels
        .iter()
        .filter(|c| c.enabled)
        .map(|c| {
            let href = match c.channel.as_str() {
                "viber" => format!("viber://pa?chatURI={}&context=link-{token}", c.username),
                _ => format!("https://t.me/{}?start=link-{token}", c.username),
            };
            context! { channel => &c.channel, href => href, preferred => c.channel == q.channel }
        })
        .collect();
    if !enabled.is_empty() {
        store::create_link(&state.db, tenant.community.id, &hromada_web::auth::hash_token(&token), user.id, expires)
            .await?;
    }
    let mut response = page.render("bot/link.html", context! { channels => enabled })?;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
