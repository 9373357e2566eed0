//! The bot in `/admin/bot`: channels and delivery figures, the officials' inbox (take, answer on
//! the resident's channel, close; canned answers), and the working hours. Every step is audited.

use crate::broadcast;
use crate::delivery::Delivery;
use crate::inbox::{self, Hours};
use crate::menu;
use crate::store::{self, Said};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::core::audit::{self, Actor};
use hromada_db::core::{communities, users};
use hromada_kernel::Permission;
use hromada_web::auth::Viewer;
use hromada_web::chat::{Inbound, Reply};
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/hours", post(save_hours))
        .route("/inbox", get(inbox_page))
        .route("/inbox/{id}", get(conversation_page))
        .route("/inbox/{id}/take", post(take))
        .route("/inbox/{id}/reply", post(reply))
        .route("/inbox/{id}/close", post(close))
        .route("/broadcasts", get(broadcasts_page).post(send_broadcast))
        .route("/menu", get(menu_page).post(add_menu_item))
        .route("/menu/reset", post(reset_menu))
        .route("/menu/{id}/{step}", post(change_menu_item))
        .route("/canned", get(canned_page).post(add_canned))
        .route("/canned/{id}/delete", post(delete_canned))
}

fn admin_url(tenant: &Tenant, path: &str) -> String {
    tenant.url(&format!("/admin/bot{path}"))
}

/// Records an official's step on the bot in the community's audit log.
async fn audited(
    state: &AppState,
    tenant: &Tenant,
    user: &hromada_db::core::users::User,
    action: &str,
    target: (&str, Option<Uuid>),
    summary: &str,
) -> AppResult<()> {
    let id = target.1.map(|id| id.to_string());
    audit::record(
        &state.db,
        Some(tenant.community.id),
        &Actor::user(user),
        action,
        target.0,
        id.as_deref(),
        summary,
        state.now(),
    )
    .await?;
    Ok(())
}

async fn overview(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::OperateBot)?;
    let c = tenant.community.id;
    let channels: Vec<Value> = store::channels(&state.db, c)
        .await?
        .iter()
        .map(|ch| context! { channel => &ch.channel, username => &ch.username, enabled => ch.enabled })
        .collect();
    let since = state.now().date_naive() - chrono::Duration::days(13);
    let stats = store::delivery_stats(&state.db, c, since).await?;
    let hours = Hours::of(&tenant.community);
    page.render(
        "bot/admin.html",
        context! {
            channels => channels,
            stats => Serde(&stats),
            waiting => inbox::count_waiting(&state.db, c).await?,
            queued => store::queued(&state.db, c).await?,
            hours_from => hours.from.format("%H:%M").to_string(),
            hours_to => hours.to.format("%H:%M").to_string(),
            manage => viewer.may(Permission::ManageSettings),
        },
    )
}

#[derive(Debug, Deserialize, Default)]
struct HoursForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn save_hours(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<HoursForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::ManageSettings)?;
    let back = admin_url(&tenant, "");
    let parse = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
    let (Some(from), Some(to)) = (parse(&form.from), parse(&form.to)) else {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-hours-invalid")));
    };
    if from >= to {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-hours-invalid")));
    }
    let mut statute = tenant.community.statute_of(crate::KEY).clone();
    if !statute.is_object() {
        statute = serde_json::json!({});
    }
    statute["hours"] = serde_json::to_value(Hours { from, to }).map_err(|e| AppError::unexpected(e.to_string()))?;
    communities::set_statute(&state.db, tenant.community.id, crate::KEY, statute).await?;
    let summary = format!("{} – {}", from.format("%H:%M"), to.format("%H:%M"));
    audited(&state, &tenant, user, "bot.hours", ("community", None), &summary).await?;
    Ok(page.redirect_with(&back, Flash::success("bot-admin-saved")))
}

async fn inbox_page(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    let me = viewer.require(Permission::OperateBot)?.id;
    let c = tenant.community.id;
    let mut rows = vec![];
    for conv in inbox::list(&state.db, c, 20).await? {
        let chat = store::chat(&state.db, c, conv.chat_id).await?;
        let who = resident_name(&state, &tenant, chat.as_ref()).await?;
        let last = match &chat {
            Some(ch) => store::transcript(&state.db, c, ch.id, (ch.messages - 1).max(0), 1).await?.pop(),
            None => None,
        };
        rows.push(context! {
            href => admin_url(&tenant, &format!("/inbox/{}", conv.id)),
            status => &conv.status,
            status_label => page.t(&format!("bot-admin-status-{}", conv.status)),
            mine => conv.taken_by == Some(me),
            channel => chat.as_ref().map(|ch| ch.channel.clone()),
            who => who,
            last => last.map(|m| said_text(&page, &m.body.0)),
            at => conv.last_message_at.to_rfc3339(),
        });
    }
    page.render("bot/inbox.html", context! { conversations => rows })
}

/// The resident as the operator sees them: the linked account's name, or the channel.
async fn resident_name(state: &AppState, tenant: &Tenant, chat: Option<&store::Chat>) -> AppResult<String> {
    let Some(chat) = chat else { return Ok(String::new()) };
    if let Some(id) = chat.user_id
        && let Some(u) = users::by_id(&state.db, tenant.community.id, id).await?
    {
        return Ok(u.full_name);
    }
    Ok(format!("{} · {}", chat.channel, &chat.id.to_string()[..8]))
}

fn said_text(page: &Page, said: &Said) -> String {
    match said {
        Said::Resident { inbound } => match inbound {
            Inbound::Text { text } => text.clone(),
            Inbound::Button { .. } => page.t("bot-admin-pressed"),
            Inbound::Start { .. } => "/start".into(),
            Inbound::Contact { phone, .. } => format!("📞 {phone}"),
            Inbound::Location { point } => format!("📍 {:.5}, {:.5}", point.lat, point.lon),
            Inbound::Photo { .. } => "🖼".into(),
        },
        Said::Bot { reply } | Said::Official { reply, .. } => reply.text.clone(),
    }
}

async fn conversation_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::OperateBot)?.id;
    let c = tenant.community.id;
    let conv = inbox::get(&state.db, c, id).await?.ok_or(AppError::NotFound)?;
    let chat = store::chat(&state.db, c, conv.chat_id).await?.ok_or(AppError::NotFound)?;
    let messages = store::transcript(&state.db, c, chat.id, (chat.messages - 50).max(0), 50).await?;
    let shown: Vec<Value> = messages
        .iter()
        .map(|m| {
            let from = match &m.body.0 {
                Said::Resident { .. } => page.t("bot-admin-resident"),
                Said::Bot { .. } => page.t("bot-name"),
                Said::Official { name, .. } => name.clone(),
            };
            context! { from => from, resident => m.inbound, text => said_text(&page, &m.body.0), at => m.at.to_rfc3339() }
        })
        .collect();
    let canned = inbox::canned(&state.db, c).await?;
    page.render(
        "bot/conversation.html",
        context! {
            id => conv.id.to_string(),
            status => &conv.status,
            status_label => page.t(&format!("bot-admin-status-{}", conv.status)),
            mine => conv.taken_by == Some(me),
            who => resident_name(&state, &tenant, Some(&chat)).await?,
            channel => &chat.channel,
            active => chat.active,
            messages => shown,
            canned => Serde(&canned),
        },
    )
}

async fn take(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::OperateBot)?.id;
    if !inbox::take(&state.db, tenant.community.id, id, me).await? {
        return Err(AppError::NotFound);
    }
    audited(&state, &tenant, viewer.require_user()?, "bot.conversation.take", ("bot_conversation", Some(id)), "")
        .await?;
    Ok(page.redirect_with(&admin_url(&tenant, &format!("/inbox/{id}")), Flash::success("bot-admin-taken")))
}

#[derive(Debug, Deserialize, Default)]
struct ReplyForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    canned: String,
}

async fn reply(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<ReplyForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?.clone();
    let c = tenant.community.id;
    let back = admin_url(&tenant, &format!("/inbox/{id}"));
    let conv = inbox::get(&state.db, c, id).await?.filter(|conv| conv.status != "closed").ok_or(AppError::NotFound)?;
    let mut text = form.text.trim().to_owned();
    if text.is_empty()
        && let Ok(canned_id) = Uuid::parse_str(form.canned.trim())
    {
        text = inbox::canned(&state.db, c)
            .await?
            .into_iter()
            .find(|a| a.id == canned_id)
            .map(|a| a.body)
            .unwrap_or_default();
    }
    if text.is_empty() {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-reply-empty")));
    }
    let chat = store::chat(&state.db, c, conv.chat_id).await?.ok_or(AppError::NotFound)?;
    if !chat.active {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-chat-inactive")));
    }
    if conv.taken_by.is_none() {
        inbox::take(&state.db, c, id, user.id).await?;
    }
    let said = Said::Official {
        reply: Reply::text(text.chars().take(4000).collect::<String>()),
        name: user.full_name.clone(),
    };
    store::send_to(&state.db, &chat, said, state.now()).await?;
    if let Some(d) = state.extension::<Delivery>() {
        d.wake();
    }
    let summary: String = text.chars().take(200).collect();
    audited(&state, &tenant, &user, "bot.conversation.reply", ("bot_conversation", Some(id)), &summary).await?;
    Ok(page.redirect_with(&back, Flash::success("bot-admin-sent-ok")))
}

async fn close(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::OperateBot)?;
    let c = tenant.community.id;
    let chat_id = inbox::close(&state.db, c, id, state.now()).await?.ok_or(AppError::NotFound)?;
    // The chat leaves the officials: what the resident writes next goes to the menu again.
    if let Some(chat) = store::chat(&state.db, c, chat_id).await? {
        store::leave_officials(&state.db, c, chat.id).await?;
    }
    audited(&state, &tenant, viewer.require_user()?, "bot.conversation.close", ("bot_conversation", Some(id)), "")
        .await?;
    Ok(page.redirect_with(&admin_url(&tenant, "/inbox"), Flash::success("bot-admin-closed")))
}

async fn canned_page(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::OperateBot)?;
    let canned = inbox::canned(&state.db, tenant.community.id).await?;
    page.render("bot/canned.html", context! { canned => Serde(&canned) })
}

#[derive(Debug, Deserialize, Default)]
struct CannedForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

async fn add_canned(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<CannedForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?;
    let back = admin_url(&tenant, "/canned");
    let (title, body) = (form.title.trim(), form.body.trim());
    if title.is_empty() || body.is_empty() || title.chars().count() > 120 || body.chars().count() > 4000 {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-canned-invalid")));
    }
    let id = inbox::add_canned(&state.db, tenant.community.id, title, body, state.now()).await?;
    audited(&state, &tenant, user, "bot.canned.add", ("bot_canned_answer", Some(id)), title).await?;
    Ok(page.redirect_with(&back, Flash::success("bot-admin-saved")))
}

async fn delete_canned(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?;
    if !inbox::delete_canned(&state.db, tenant.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    audited(&state, &tenant, user, "bot.canned.delete", ("bot_canned_answer", Some(id)), "").await?;
    Ok(page.redirect_with(&admin_url(&tenant, "/canned"), Flash::success("bot-admin-deleted")))
}

async fn broadcasts_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::OperateBot)?;
    let c = tenant.community.id;
    let places = hromada_db::core::settlements::list(&state.db, c).await?;
    let place_name = |id: Option<Uuid>| {
        id.and_then(|id| places.iter().find(|p| p.id == id))
            .map(|p| p.name_uk.clone())
            .unwrap_or_else(|| page.t("bot-subs-everywhere"))
    };
    let recent: Vec<Value> = broadcast::recent(&state.db, c, 20)
        .await?
        .iter()
        .map(|p| {
            context! {
                at => p.broadcast.created_at.to_rfc3339(),
                topic => page.t(&format!("bot-subs-{}", p.broadcast.topic)),
                place => place_name(p.broadcast.settlement_id),
                text => &p.broadcast.body.0.text,
                recipients => p.broadcast.recipients,
                delivered => p.broadcast.recipients - p.waiting,
            }
        })
        .collect();
    let settlements: Vec<Value> =
        places.iter().map(|p| context! { id => p.id.to_string(), name => &p.name_uk }).collect();
    page.render("bot/broadcasts.html", context! { recent => recent, settlements => settlements })
}

#[derive(Debug, Deserialize, Default)]
struct BroadcastForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    link: String,
}

async fn send_broadcast(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<BroadcastForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?.clone();
    let c = tenant.community.id;
    let back = admin_url(&tenant, "/broadcasts");
    let text = form.text.trim();
    let Some(topic) = broadcast::Topic::parse(&form.topic) else {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-broadcast-invalid")));
    };
    if text.is_empty() || text.chars().count() > 4000 {
        return Ok(page.redirect_with(&back, Flash::error("bot-admin-broadcast-invalid")));
    }
    let places = hromada_db::core::settlements::list(&state.db, c).await?;
    let settlement = Uuid::parse_str(form.settlement.trim()).ok().filter(|id| places.iter().any(|p| p.id == *id));
    let link = form.link.trim();
    let mut reply = Reply::text(text);
    if link.starts_with("https://") || link.starts_with("http://") {
        reply = reply.button(hromada_web::chat::Button::link(page.t("bot-admin-broadcast-more"), link));
    }
    reply = reply.button(hromada_web::chat::Button::data(
        format!("{} / Unsubscribe", page.t("bot-unsubscribe")),
        crate::engine::encode(crate::engine::OWN, "subs"),
    ));
    let targets: Vec<Uuid> = settlement.into_iter().collect();
    let sent = broadcast::queue(&state.db, c, topic, &targets, &reply, Some(user.id), state.now()).await?;
    if let Some(d) = state.extension::<Delivery>() {
        d.wake();
    }
    let summary = format!("{} → {}: {}", topic.code(), sent.recipients, text.chars().take(200).collect::<String>());
    audited(&state, &tenant, &user, "bot.broadcast", ("bot_broadcast", Some(sent.id)), &summary).await?;
    Ok(page.redirect_with(&back, Flash::success("bot-admin-broadcast-queued")))
}

async fn menu_page(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::OperateBot)?;
    let engine = state.extension::<std::sync::Arc<crate::engine::Engine>>().cloned().ok_or(AppError::NotFound)?;
    let items = menu::items(&state.db, None, tenant.community.id).await?;
    let show = |i: &menu::Item| {
        context! {
            id => i.id.to_string(),
            label => i.label(page.lang),
            action => page.t(&format!("bot-menu-action-{}", i.action)),
            target => &i.target,
        }
    };
    let tree: Vec<Value> = items
        .iter()
        .filter(|i| i.parent_id.is_none())
        .map(|top| {
            let children: Vec<Value> = items.iter().filter(|c| c.parent_id == Some(top.id)).map(show).collect();
            context! { item => show(top), submenu => top.action == "submenu", children => children }
        })
        .collect();
    let submenus: Vec<Value> = items
        .iter()
        .filter(|i| i.parent_id.is_none() && i.action == "submenu")
        .map(|i| context! { id => i.id.to_string(), label => i.label(page.lang) })
        .collect();
    let entries: Vec<Value> = engine
        .flows()
        .iter()
        .flat_map(|f| {
            f.entries()
                .into_iter()
                .map(|e| context! { value => format!("{}|{}", f.key(), e.action), label => page.t(e.label) })
        })
        .collect();
    // The menu as residents see it, in both languages: a live preview of what is saved.
    let preview: Vec<Value> = hromada_kernel::Lang::ALL
        .iter()
        .map(|&lang| {
            let words = crate::engine::Words { state: &state, lang };
            let reply = engine.menu(&words, store::Channel::Telegram, &items);
            let rows: Vec<Vec<String>> =
                reply.buttons.iter().map(|r| r.iter().map(|b| b.label.clone()).collect()).collect();
            context! { lang => lang.code(), text => reply.text, rows => rows }
        })
        .collect();
    page.render(
        "bot/menu.html",
        context! { tree => tree, submenus => submenus, entries => entries, preview => preview, custom => !items.is_empty() },
    )
}

#[derive(Debug, Deserialize, Default)]
struct MenuForm {
    #[serde(default)]
    parent: String,
    #[serde(default)]
    emoji: String,
    #[serde(default)]
    label_uk: String,
    #[serde(default)]
    label_en: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entry: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    body: String,
}

async fn add_menu_item(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<MenuForm>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?.clone();
    let c = tenant.community.id;
    let back = admin_url(&tenant, "/menu");
    let engine = state.extension::<std::sync::Arc<crate::engine::Engine>>().cloned().ok_or(AppError::NotFound)?;
    let items = menu::items(&state.db, None, c).await?;
    let parent = match form.parent.trim() {
        "" => None,
        id => match Uuid::parse_str(id).ok().filter(|id| items.iter().any(|i| i.id == *id && i.action == "submenu")) {
            Some(id) => Some(id),
            None => return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-parent"))),
        },
    };
    let label_uk = form.label_uk.trim();
    if label_uk.is_empty() || label_uk.chars().count() > 40 || form.label_en.trim().chars().count() > 40 {
        return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-label")));
    }
    let Some(action) = menu::Action::parse(&form.action) else {
        return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-action")));
    };
    let (target, body) = match action {
        menu::Action::Module => {
            let known = engine.flows().iter().any(|f| {
                f.entries().iter().any(|e| form.entry == format!("{}{}{}", f.key(), crate::engine::SEPARATOR, e.action))
            });
            if !known {
                return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-entry")));
            }
            (form.entry.clone(), String::new())
        }
        menu::Action::Link => {
            let link = form.link.trim();
            if !(link.starts_with("https://") || link.starts_with("http://")) || link.len() > 500 {
                return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-link")));
            }
            (link.to_owned(), String::new())
        }
        menu::Action::Page => {
            let body = form.body.trim();
            if body.is_empty() || body.chars().count() > 4000 {
                return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-body")));
            }
            (String::new(), body.to_owned())
        }
        // Two levels: a submenu holds no submenu.
        menu::Action::Submenu if parent.is_some() => {
            return Ok(page.redirect_with(&back, Flash::error("bot-menu-invalid-parent")));
        }
        menu::Action::Submenu | menu::Action::Official => (String::new(), String::new()),
    };
    let emoji: String = form.emoji.trim().chars().take(4).collect();
    let label_en = Some(form.label_en.trim()).filter(|l| !l.is_empty());
    let new =
        menu::NewItem { parent_id: parent, emoji: &emoji, label_uk, label_en, action, target: &target, body: &body };
    let id = menu::add(&state.db, c, &new).await?;
    audited(&state, &tenant, &user, "bot.menu.add", ("bot_menu_item", Some(id)), label_uk).await?;
    Ok(page.redirect_with(&back, Flash::success("bot-admin-saved")))
}

async fn change_menu_item(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, step)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?.clone();
    let c = tenant.community.id;
    let done = match step.as_str() {
        "up" => menu::shift(&state.db, c, id, -1).await?,
        "down" => menu::shift(&state.db, c, id, 1).await?,
        "delete" => menu::delete(&state.db, c, id).await?,
        _ => return Err(AppError::NotFound),
    };
    if done {
        audited(&state, &tenant, &user, &format!("bot.menu.{step}"), ("bot_menu_item", Some(id)), "").await?;
    }
    Ok(page.redirect_with(&admin_url(&tenant, "/menu"), Flash::success("bot-admin-saved")))
}

async fn reset_menu(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    let user = viewer.require(Permission::OperateBot)?.clone();
    menu::reset(&state.db, tenant.community.id).await?;
    audited(&state, &tenant, &user, "bot.menu.reset", ("community", None), "").await?;
    Ok(page.redirect_with(&admin_url(&tenant, "/menu"), Flash::success("bot-admin-saved")))
}
