//! The conversation engine: one inbound message of any channel in, the chat's state saved and
//! the replies out. It knows the modules only as the [`ChatFlow`]s the app registered.

use crate::menu::{Action as MenuAction, Item, MenuCache};
use crate::store::{self, Channel, Chat, Said, TurnRecord, TurnSaved, TurnWrite, TurnWriter};
use hromada_db::GroupCommit;
use hromada_db::core::users::{self, User};
use hromada_kernel::{IdentityLevel, Lang};
use hromada_web::chat::{Ask, Button, ChatFlow, Inbound, Reply, Step, Turn};
use hromada_web::{AppError, AppResult, AppState, Tenant};
use std::sync::Arc;

/// Button data of the engine's own buttons start with this key.
pub const OWN: &str = "bot";
/// Separates the flow's key from its data in a button's data.
pub const SEPARATOR: char = '|';
/// Telegram's limit on a button's data.
pub const MAX_DATA: usize = 64;

/// A message as the channel adapter understood it.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub channel: Channel,
    /// The channel's id of the chat.
    pub external_id: String,
    /// The channel's id of this update, for handling a retry once.
    pub update_id: Option<String>,
    /// The language the channel says the resident uses, for a new chat.
    pub lang: Option<Lang>,
    pub inbound: Inbound,
}

#[derive(Debug)]
pub enum Handled {
    /// The channel sent this update before; nothing was done.
    Duplicate,
    Answered {
        chat: Box<Chat>,
        replies: Vec<Reply>,
    },
}

/// The registered flows, in the order of the app's module list.
pub struct Engine {
    flows: Vec<Arc<dyn ChatFlow>>,
}

/// Where a conversation goes after a turn.
struct Outcome {
    replies: Vec<Reply>,
    flow: Option<String>,
    memory: serde_json::Value,
    user_id: Option<uuid::Uuid>,
    lang: Lang,
    with_official: bool,
}

impl Engine {
    pub fn new(flows: Vec<Arc<dyn ChatFlow>>) -> Self {
        Engine { flows }
    }

    pub fn flows(&self) -> &[Arc<dyn ChatFlow>] {
        &self.flows
    }

    fn flow(&self, key: &str) -> Option<&Arc<dyn ChatFlow>> {
        self.flows.iter().find(|f| f.key() == key)
    }

    /// Handles one message: at most once per update id, with the chat's state saved (and the
    /// replies queued for a messenger) in one transaction before this returns.
    /// `web_user` is the signed-in account of a web chat; a messenger chat uses its linked one.
    pub async fn handle(
        &self,
        state: &AppState,
        tenant: &Tenant,
        incoming: Incoming,
        web_user: Option<&User>,
    ) -> AppResult<Handled> {
        let community = tenant.community.id;
        let now = state.now();
        // A cheap look for a channel's retry; the writer decides for updates that race.
        let (chat, seen) = store::chat_and_seen(
            &state.db,
            community,
            incoming.channel,
            &incoming.external_id,
            incoming.update_id.as_deref(),
        )
        .await?;
        if seen {
            return Ok(Handled::Duplicate);
        }
        let lang = incoming.lang.unwrap_or_default();
        let chat = match chat {
            Some(chat) => chat,
            // A first message: the chat's row exists before anything refers to it.
            None => {
                store::open_chat(&state.db, community, incoming.channel, &incoming.external_id, lang.code(), now)
                    .await?
            }
        };
        let linked = match (incoming.channel, chat.user_id) {
            (Channel::Web, _) => web_user.cloned(),
            (_, Some(id)) => users::by_id(&state.db, community, id).await?,
            (_, None) => None,
        };
        let site = site_of(state, tenant).await;
        let outcome = self.route(state, tenant, &chat, linked.as_ref(), &site, &incoming).await?;
        let mut said = vec![Said::Resident { inbound: incoming.inbound.clone() }];
        said.extend(outcome.replies.iter().cloned().map(|reply| Said::Bot { reply }));
        let record = TurnRecord {
            // A web chat belongs to whoever is signed in on that browser now.
            user_id: if incoming.channel == Channel::Web { web_user.map(|u| u.id) } else { outcome.user_id },
            lang: outcome.lang.code().to_owned(),
            flow: outcome.flow,
            memory: outcome.memory,
            with_official: outcome.with_official,
            said,
            push: incoming.channel.pushes(),
            at: now,
        };
        let writer = state
            .extension::<GroupCommit<TurnWriter>>()
            .ok_or_else(|| AppError::unexpected("the bot's turn writer is not started"))?;
        let write = TurnWrite {
            community,
            channel: incoming.channel,
            external_id: incoming.external_id.clone(),
            update_id: incoming.update_id.clone(),
            new_id: chat.id,
            record,
        };
        match writer.submit(write).await.map_err(|e| AppError::unexpected(e.to_string()))? {
            TurnSaved::Duplicate => Ok(Handled::Duplicate),
            TurnSaved::Saved(chat) => Ok(Handled::Answered { chat, replies: outcome.replies }),
        }
    }

    async fn route(
        &self,
        state: &AppState,
        tenant: &Tenant,
        chat: &Chat,
        user: Option<&User>,
        site: &str,
        incoming: &Incoming,
    ) -> AppResult<Outcome> {
        let lang = Lang::parse(&chat.lang).unwrap_or_default();
        let mut out = Outcome {
            replies: vec![],
            flow: chat.flow.clone(),
            memory: chat.memory.0.clone(),
            user_id: chat.user_id,
            lang,
            with_official: chat.with_official,
        };
        let words = Words { state, lang };
        let items = crate::menu::items(&state.db, state.extension::<MenuCache>(), tenant.community.id).await?;
        let items = items.as_slice();
        match &incoming.inbound {
            Inbound::Start { payload } => {
                out.flow = None;
                out.memory = serde_json::Value::Null;
                out.with_official = false;
                if let Some(token) = payload.as_deref().and_then(|p| p.strip_prefix("link-")) {
                    let hash = hromada_web::auth::hash_token(token);
                    match store::take_link(&state.db, tenant.community.id, &hash, state.now()).await? {
                        Some(account) if incoming.channel != Channel::Web => {
                            out.user_id = Some(account);
                            let name = users::by_id(&state.db, tenant.community.id, account)
                                .await?
                                .map(|u| u.full_name)
                                .unwrap_or_default();
                            out.replies.push(Reply::text(words.t_args("bot-linked", &[("name", name)])));
                        }
                        _ => out.replies.push(Reply::text(words.t("bot-link-expired"))),
                    }
                } else {
                    out.replies.push(Reply::text(
                        words.t_args("bot-welcome", &[("community", tenant.community.name(lang).to_owned())]),
                    ));
                }
                out.replies.push(self.menu(&words, incoming.channel, items));
            }
            Inbound::Button { data } => {
                let (owner, rest) = data.split_once(SEPARATOR).unwrap_or((OWN, "menu"));
                if owner == OWN
                    && (rest == "subs" || rest.starts_with("sub:") || rest.starts_with("place") || rest == "unsub")
                {
                    out.flow = None;
                    out.memory = serde_json::Value::Null;
                    out.with_official = false;
                    out.replies.push(self.subscriptions(state, tenant, chat, &words, rest).await?);
                } else if owner == OWN {
                    self.own_button(&words, rest, incoming.channel, items, &mut out);
                    out.lang = match rest.strip_prefix("lang:").and_then(Lang::parse) {
                        Some(picked) => {
                            let words = Words { state, lang: picked };
                            out.replies = vec![self.menu(&words, incoming.channel, items)];
                            picked
                        }
                        None => out.lang,
                    };
                } else if let Some(flow) = self.flow(owner) {
                    // A button belongs to the flow that drew it, whatever the chat did since;
                    // the flow's memory goes with it only while the chat is in that flow.
                    let memory = if chat.flow.as_deref() == Some(owner) {
                        chat.memory.0.clone()
                    } else {
                        serde_json::Value::Null
                    };
                    let input = Inbound::Button { data: rest.to_owned() };
                    out.with_official = false;
                    self.run(flow, state, tenant, chat, user, site, &input, &memory, &mut out).await;
                } else {
                    out.replies.push(Reply::text(words.t("bot-outdated-button")));
                    out.replies.push(self.menu(&words, incoming.channel, items));
                }
            }
            Inbound::Contact { phone, own } => {
                let registering = chat.flow.as_deref() == Some(OWN) && chat.memory.0["register"] == "contact";
                if registering && *own && user.is_none() && incoming.channel != Channel::Web {
                    let name = chat.memory.0["name"].as_str().unwrap_or_default().to_owned();
                    self.register(state, tenant, incoming.channel, phone, &name, &words, items, &mut out).await?;
                } else {
                    self.contact(state, tenant, user, incoming.channel, phone, *own, &words, items, &mut out).await?;
                }
            }
            Inbound::Text { text } if is_menu_word(text) => {
                out.flow = None;
                out.memory = serde_json::Value::Null;
                out.with_official = false;
                out.replies.push(self.menu(&words, incoming.channel, items));
            }
            Inbound::Text { text } if chat.flow.as_deref() == Some(OWN) && chat.memory.0["register"] == "name" => {
                let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if name.split(' ').filter(|w| w.chars().any(char::is_alphabetic)).count() < 2
                    || name.chars().count() > 200
                {
                    out.replies.push(Reply::text(words.t("bot-register-name-invalid")));
                } else {
                    out.memory = serde_json::json!({ "register": "contact", "name": name });
                    out.replies.push(Reply::text(words.t("bot-register-contact")).ask(Ask::Contact));
                }
            }
            other => {
                if let Some(flow) = chat.flow.as_deref().and_then(|key| self.flow(key)) {
                    let memory = chat.memory.0.clone();
                    self.run(flow, state, tenant, chat, user, site, other, &memory, &mut out).await;
                } else if chat.with_official {
                    self.to_officials(state, tenant, chat, &words, &mut out).await?;
                } else {
                    out.replies.push(Reply::text(words.t("bot-not-understood")));
                    out.replies.push(self.menu(&words, incoming.channel, items));
                }
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    async fn run(
        &self,
        flow: &Arc<dyn ChatFlow>,
        state: &AppState,
        tenant: &Tenant,
        chat: &Chat,
        user: Option<&User>,
        site: &str,
        input: &Inbound,
        memory: &serde_json::Value,
        out: &mut Outcome,
    ) {
        let turn = Turn { state, tenant, lang: out.lang, user, chat: chat.id, input, memory, site };
        let words = Words { state, lang: out.lang };
        let channel = Channel::parse(&chat.channel).unwrap_or(Channel::Web);
        match flow.handle(turn).await {
            Ok(Step { replies, memory }) => {
                out.replies.extend(replies.into_iter().map(|r| own_buttons(flow.key(), r)));
                match memory {
                    Some(m) => {
                        out.flow = Some(flow.key().to_owned());
                        out.memory = m;
                    }
                    None => {
                        out.flow = None;
                        out.memory = serde_json::Value::Null;
                    }
                }
            }
            Err(error) => {
                out.flow = None;
                out.memory = serde_json::Value::Null;
                out.replies.push(self.explain(&words, channel, site, &error));
            }
        }
    }

    /// What a flow's refusal means for the resident, and the way forward.
    fn explain(&self, words: &Words<'_>, channel: Channel, site: &str, error: &AppError) -> Reply {
        match error {
            AppError::Unauthorized if channel == Channel::Web => Reply::text(words.t("bot-sign-in-first"))
                .button(Button::link(words.t("bot-sign-in"), format!("{site}/login?next={}", "%2Fchat"))),
            AppError::Unauthorized => Reply::text(words.t("bot-link-first"))
                .button(Button::link(
                    words.t("bot-link-account"),
                    format!("{site}/chat/link?channel={}", channel.code()),
                ))
                .button(Button::data(words.t("bot-register"), encode(OWN, "register"))),
            AppError::IdentityRequired(IdentityLevel::Phone) if channel != Channel::Web => {
                Reply::text(words.t("bot-share-phone")).ask(Ask::Contact)
            }
            AppError::IdentityRequired(_) => Reply::text(words.t(error.message_key()))
                .button(Button::link(words.t("bot-open-profile"), format!("{site}/account"))),
            AppError::Unexpected(detail) => {
                tracing::error!(error = %detail, "a chat flow failed");
                Reply::text(words.t("error-unexpected"))
            }
            other => Reply::text(words.t(other.message_key())),
        }
    }

    fn own_button(&self, words: &Words<'_>, rest: &str, channel: Channel, items: &[Item], out: &mut Outcome) {
        let find = |prefix: &str| {
            rest.strip_prefix(prefix)
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
                .and_then(|id| items.iter().find(|i| i.id == id))
        };
        if let Some(page) = find("page:") {
            out.replies.push(
                Reply::text(if page.body.trim().is_empty() { page.label(words.lang) } else { page.body.clone() })
                    .button(Button::data(words.t("bot-back-to-menu"), encode(OWN, "menu"))),
            );
            return;
        }
        if let Some(sub) = find("menu:") {
            let mut reply = Reply::text(sub.label(words.lang));
            let buttons: Vec<Button> = items
                .iter()
                .filter(|i| i.parent_id == Some(sub.id))
                .filter_map(|i| self.item_button(words, i))
                .collect();
            for pair in buttons.chunks(2) {
                reply = reply.row(pair.to_vec());
            }
            out.replies.push(reply.button(Button::data(words.t("bot-back-to-menu"), encode(OWN, "menu"))));
            return;
        }
        match rest {
            "register" if channel != Channel::Web => {
                out.flow = Some(OWN.to_owned());
                out.memory = serde_json::json!({ "register": "name" });
                out.with_official = false;
                out.replies.push(Reply::text(words.t("bot-register-name")));
            }
            "official" => {
                out.flow = None;
                out.memory = serde_json::Value::Null;
                out.with_official = true;
                out.replies.push(
                    Reply::text(words.t("bot-official-prompt"))
                        .button(Button::data(words.t("bot-official-end"), format!("{OWN}{SEPARATOR}menu"))),
                );
            }
            _ => {
                // "menu", a language (answered by the caller) and anything unknown.
                out.flow = None;
                out.memory = serde_json::Value::Null;
                out.with_official = false;
                out.replies.push(self.menu(words, channel, items));
            }
        }
    }

    /// The chat's subscriptions to news and alerts: shows them, or changes one and shows them.
    async fn subscriptions(
        &self,
        state: &AppState,
        tenant: &Tenant,
        chat: &Chat,
        words: &Words<'_>,
        action: &str,
    ) -> AppResult<Reply> {
        use crate::broadcast::{self, Subscription};
        let c = tenant.community.id;
        if Channel::parse(&chat.channel) == Some(Channel::Web) {
            return Ok(Reply::text(words.t("bot-subs-messenger-only")));
        }
        let places = hromada_db::core::settlements::list(&state.db, c).await?;
        let place_name = |id: Option<uuid::Uuid>| match id.and_then(|id| places.iter().find(|p| p.id == id)) {
            Some(p) => match words.lang {
                Lang::En => p.name_en.clone().unwrap_or_else(|| p.name_uk.clone()),
                Lang::Uk => p.name_uk.clone(),
            },
            None => words.t("bot-subs-everywhere"),
        };
        let was = broadcast::subscription(&state.db, c, chat.id).await?;
        let mut sub = was.clone().unwrap_or(Subscription { settlement_id: None, news: false, alerts: false });
        match action {
            "sub:news" => sub.news = !sub.news,
            "sub:alerts" => sub.alerts = !sub.alerts,
            "unsub" => {
                sub.news = false;
                sub.alerts = false;
            }
            "place" => {
                let mut reply = Reply::text(words.t("bot-subs-pick-place"))
                    .button(Button::data(words.t("bot-subs-everywhere"), encode(OWN, "place:all")));
                for p in places.iter().take(40) {
                    reply = reply.button(Button::data(place_name(Some(p.id)), encode(OWN, &format!("place:{}", p.id))));
                }
                return Ok(reply);
            }
            other => {
                if let Some(picked) = other.strip_prefix("place:") {
                    sub.settlement_id =
                        uuid::Uuid::parse_str(picked).ok().filter(|id| places.iter().any(|p| p.id == *id));
                    // Choosing a place means wanting to hear about it.
                    if !sub.news && !sub.alerts {
                        sub.news = true;
                        sub.alerts = true;
                    }
                }
            }
        }
        if Some(&sub) != was.as_ref() && (was.is_some() || sub.news || sub.alerts) {
            broadcast::subscribe(&state.db, c, chat.id, &sub, state.now()).await?;
        }
        let mark = |on: bool| if on { "☑" } else { "☐" };
        let text = if sub.news || sub.alerts {
            words.t_args("bot-subs-state", &[("place", place_name(sub.settlement_id))])
        } else {
            words.t("bot-subs-none")
        };
        Ok(Reply::text(text)
            .row(vec![
                Button::data(format!("{} {}", mark(sub.news), words.t("bot-subs-news")), encode(OWN, "sub:news")),
                Button::data(format!("{} {}", mark(sub.alerts), words.t("bot-subs-alerts")), encode(OWN, "sub:alerts")),
            ])
            .button(Button::data(format!("📍 {}", place_name(sub.settlement_id)), encode(OWN, "place")))
            .button(Button::data(words.t("bot-official-end"), encode(OWN, "menu"))))
    }

    /// Free text for the officials: the conversation opens (or goes on) in their inbox; the
    /// first message is acknowledged, outside the working hours with when to expect an answer.
    async fn to_officials(
        &self,
        state: &AppState,
        tenant: &Tenant,
        chat: &Chat,
        words: &Words<'_>,
        out: &mut Outcome,
    ) -> AppResult<()> {
        let now = state.now();
        let opened = crate::inbox::note_message(&state.db, tenant.community.id, chat.id, now).await?;
        let hours = crate::inbox::Hours::of(&tenant.community);
        let calendar = hromada_db::core::holidays::calendar(&state.db).await?;
        if !hours.open_at(now, &calendar) {
            let next = hours.next_opening(now, &calendar).format("%d.%m.%Y %H:%M").to_string();
            out.replies.push(Reply::text(words.t_args("bot-official-after-hours", &[("when", next)])));
        } else if opened {
            out.replies.push(Reply::text(words.t("bot-official-received")));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn contact(
        &self,
        state: &AppState,
        tenant: &Tenant,
        user: Option<&User>,
        channel: Channel,
        phone: &str,
        own: bool,
        words: &Words<'_>,
        items: &[Item],
        out: &mut Outcome,
    ) -> AppResult<()> {
        let reply = if !own {
            Reply::text(words.t("bot-phone-not-own")).ask(Ask::Contact)
        } else if channel == Channel::Web {
            // A browser cannot vouch for a phone number.
            Reply::text(words.t("bot-phone-messenger-only"))
        } else if let Some(user) = user {
            let phone = normalize_phone(phone);
            users::set_phone_verified(&state.db, tenant.community.id, user.id, &phone, state.now()).await?;
            Reply::text(words.t_args("bot-phone-verified", &[("phone", phone)]))
        } else {
            Reply::text(words.t("bot-link-first"))
        };
        out.replies.push(reply);
        out.replies.push(self.menu(words, channel, items));
        Ok(())
    }

    /// An account made in the chat from the resident's name and the phone the messenger vouches
    /// for; a phone already verified on an account links the chat to that account instead.
    #[allow(clippy::too_many_arguments)]
    async fn register(
        &self,
        state: &AppState,
        tenant: &Tenant,
        channel: Channel,
        phone: &str,
        name: &str,
        words: &Words<'_>,
        items: &[Item],
        out: &mut Outcome,
    ) -> AppResult<()> {
        let c = tenant.community.id;
        let phone = normalize_phone(phone);
        let now = state.now();
        let (account, key) = match users::by_verified_phone(&state.db, c, &phone).await? {
            Some(existing) => (existing, "bot-register-found"),
            None => {
                let new = users::NewUser {
                    email: None,
                    password_hash: None,
                    full_name: name.to_owned(),
                    settlement_id: None,
                    birth_year: None,
                    lang: words.lang.code().to_owned(),
                };
                let created = users::create(&state.db, c, new, now).await?;
                users::set_phone_verified(&state.db, c, created.id, &phone, now).await?;
                hromada_db::core::audit::record(
                    &state.db,
                    Some(c),
                    &hromada_db::core::audit::Actor::user(&created),
                    "account.register_in_chat",
                    "user",
                    Some(&created.id.to_string()),
                    "",
                    now,
                )
                .await?;
                (created, "bot-registered")
            }
        };
        out.user_id = Some(account.id);
        out.flow = None;
        out.memory = serde_json::Value::Null;
        out.replies.push(Reply::text(words.t_args(key, &[("name", account.full_name.clone()), ("phone", phone)])));
        out.replies.push(self.menu(words, channel, items));
        Ok(())
    }

    /// The main menu: the community's own, or every module's ways in; then the engine's own.
    pub fn menu(&self, words: &Words<'_>, channel: Channel, items: &[Item]) -> Reply {
        let mut reply = Reply::text(words.t("bot-menu"));
        let buttons: Vec<Button> = if items.is_empty() {
            let mut all: Vec<Button> = self
                .flows
                .iter()
                .flat_map(|flow| {
                    flow.entries().into_iter().map(|e| {
                        Button::data(format!("{} {}", e.emoji, words.t(e.label)), encode(flow.key(), e.action))
                    })
                })
                .collect();
            all.push(Button::data(format!("💬 {}", words.t("bot-official")), encode(OWN, "official")));
            all
        } else {
            items.iter().filter(|i| i.parent_id.is_none()).filter_map(|i| self.item_button(words, i)).collect()
        };
        for pair in buttons.chunks(2) {
            reply = reply.row(pair.to_vec());
        }
        if channel != Channel::Web {
            reply = reply.button(Button::data(format!("🔔 {}", words.t("bot-subs")), encode(OWN, "subs")));
        }
        let other = if words.lang == Lang::Uk { Lang::En } else { Lang::Uk };
        if channel != Channel::Web {
            reply = reply
                .button(Button::data(words.t("bot-other-language"), encode(OWN, &format!("lang:{}", other.code()))));
        }
        reply
    }

    /// The button of a community's menu item; `None` for a way into a module this build lacks.
    fn item_button(&self, words: &Words<'_>, item: &Item) -> Option<Button> {
        let label = item.label(words.lang);
        Some(match item.action()? {
            MenuAction::Module => {
                let (key, action) = item.target.split_once(SEPARATOR)?;
                self.flow(key)?.entries().iter().find(|e| e.action == action)?;
                Button::data(label, encode(key, action))
            }
            MenuAction::Page => Button::data(label, encode(OWN, &format!("page:{}", item.id))),
            MenuAction::Link => Button::link(label, item.target.clone()),
            MenuAction::Submenu => Button::data(label, encode(OWN, &format!("menu:{}", item.id))),
            MenuAction::Official => Button::data(label, encode(OWN, "official")),
        })
    }
}

/// Each community's public address as this node last worked it out.
pub type SiteCache = hromada_web::cache::TtlMap<hromada_kernel::CommunityId, String>;

/// The community's public address, for links out of the chat; cached until its hosts change.
async fn site_of(state: &AppState, tenant: &Tenant) -> String {
    let cache = state.extension::<SiteCache>();
    let generation = hromada_db::core::changes::generation();
    let key = tenant.community.id;
    if let Some(hit) = cache.and_then(|c| c.get(&key, generation)) {
        return hit;
    }
    let site = tenant.absolute_url(state, "").await;
    if let Some(c) = cache {
        c.put(key, site.clone(), generation, hromada_db::core::changes::generation());
    }
    site
}

/// A flow's buttons carry its key, so that a press finds its way back.
fn own_buttons(key: &str, mut reply: Reply) -> Reply {
    for row in &mut reply.buttons {
        for button in row {
            if let hromada_web::chat::Press::Data(data) = &mut button.press {
                *data = encode(key, data);
            }
        }
    }
    reply
}

pub fn encode(owner: &str, data: &str) -> String {
    let encoded = format!("{owner}{SEPARATOR}{data}");
    debug_assert!(encoded.len() <= MAX_DATA, "button data too long for Telegram: {encoded}");
    encoded
}

fn is_menu_word(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    matches!(t.as_str(), "/menu" | "/start" | "menu" | "меню" | "/help" | "допомога")
}

/// `+380…` with nothing but digits after the plus.
pub fn normalize_phone(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    format!("+{digits}")
}

/// Translations in the chat's language.
pub struct Words<'a> {
    pub state: &'a AppState,
    pub lang: Lang,
}

impl Words<'_> {
    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang, key)
    }

    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.state.i18n.t_pairs(self.lang, key, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_words_and_phones_are_recognised() {
        assert!(is_menu_word(" Меню "));
        assert!(is_menu_word("/start"));
        assert!(!is_menu_word("меню їдальні"));
        assert_eq!(normalize_phone("380 (67) 123-45-67"), "+380671234567");
        assert_eq!(normalize_phone("+380671234567"), "+380671234567");
    }

    #[test]
    fn flow_buttons_carry_the_flow_key() {
        let reply = own_buttons("petitions", Reply::text("x").button(Button::data("Sign", "sign:12")));
        assert_eq!(reply.buttons[0][0].press, hromada_web::chat::Press::Data("petitions|sign:12".into()));
    }
}
