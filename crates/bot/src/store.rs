//! The bot's rows: channels, chats, handled updates, the conversation, the delivery queue and
//! the one-time codes that link a chat to an account.

use chrono::{DateTime, NaiveDate, Utc};
use hromada_db::batch::{by_size, values_sql};
use hromada_db::{Db, DbResult, execute, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, UserId};
use hromada_web::chat::{Inbound, Reply};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

/// Where a chat happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Telegram,
    Viber,
    Web,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::Viber => "viber",
            Channel::Web => "web",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        [Channel::Telegram, Channel::Viber, Channel::Web].into_iter().find(|c| c.code() == code)
    }

    /// Replies to a messenger are queued and delivered; the web chat reads them from the page.
    pub fn pushes(self) -> bool {
        self != Channel::Web
    }
}

/// A messenger bot of a community.
#[derive(Debug, Clone, FromRow)]
pub struct ChannelConfig {
    pub community_id: CommunityId,
    pub channel: String,
    pub token: String,
    pub hook: String,
    pub secret: String,
    pub username: String,
    pub api_base: String,
    pub enabled: bool,
}

macro_rules! select_channels {
    ($tail:literal) => {
        concat!(
            "SELECT community_id, channel, token, hook, secret, username, api_base, enabled FROM bot_channels ",
            $tail
        )
    };
}

/// Changes to the channels, for this node's cache of webhook paths.
static CHANNELS: hromada_db::core::changes::ChangeCounter = hromada_db::core::changes::ChangeCounter::new();

/// Webhook paths as this node last read them.
pub type HookCache = hromada_web::cache::TtlMap<String, Option<ChannelConfig>>;

/// The channel of a webhook path, from this node's cache while nothing changed here.
pub async fn channel_by_hook_cached(db: &Db, cache: Option<&HookCache>, hook: &str) -> DbResult<Option<ChannelConfig>> {
    if let Some(hit) = cache.and_then(|c| c.get(&hook.to_owned(), CHANNELS.current())) {
        return Ok(hit);
    }
    let generation = CHANNELS.current();
    let found = channel_by_hook(db, hook).await?;
    if let Some(c) = cache {
        c.put(hook.to_owned(), found.clone(), generation, CHANNELS.current());
    }
    Ok(found)
}

/// Sets up (or replaces) a community's bot on a channel.
pub async fn save_channel(db: &Db, c: &ChannelConfig) -> DbResult<()> {
    CHANNELS.bump();
    execute!(
        db,
        sqlx::query(
            "INSERT INTO bot_channels (community_id, channel, token, hook, secret, username, api_base, enabled)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (community_id, channel) DO UPDATE SET token = $3, hook = $4, secret = $5, username = $6,
                 api_base = $7, enabled = $8"
        )
        .bind(c.community_id)
        .bind(&c.channel)
        .bind(&c.token)
        .bind(&c.hook)
        .bind(&c.secret)
        .bind(&c.username)
        .bind(&c.api_base)
        .bind(c.enabled)
    )?;
    Ok(())
}

pub async fn channel_by_hook(db: &Db, hook: &str) -> DbResult<Option<ChannelConfig>> {
    let sql = select_channels!("WHERE hook = $1");
    Ok(fetch_optional!(db, sqlx::query_as::<_, ChannelConfig>(sql).bind(hook))?)
}

pub async fn channel_of(db: &Db, community: CommunityId, channel: Channel) -> DbResult<Option<ChannelConfig>> {
    let sql = select_channels!("WHERE community_id = $1 AND channel = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, ChannelConfig>(sql).bind(community).bind(channel.code()))?)
}

pub async fn channels(db: &Db, community: CommunityId) -> DbResult<Vec<ChannelConfig>> {
    let sql = select_channels!("WHERE community_id = $1 ORDER BY channel");
    Ok(fetch_all!(db, sqlx::query_as::<_, ChannelConfig>(sql).bind(community))?)
}

/// A resident's chat with the bot on one channel.
#[derive(Debug, Clone, FromRow)]
pub struct Chat {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub channel: String,
    pub external_id: String,
    pub user_id: Option<UserId>,
    pub lang: String,
    pub flow: Option<String>,
    pub memory: Json<serde_json::Value>,
    pub with_official: bool,
    pub active: bool,
    pub messages: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

macro_rules! chat_columns {
    () => {
        "community_id, id, channel, external_id, user_id, lang, flow, memory, with_official, active, messages, \
         created_at, last_seen_at"
    };
}

/// The chat, created on its first message. A resident who writes again after blocking the bot
/// has unblocked it, so the chat is active again.
pub async fn open_chat(
    db: &Db,
    community: CommunityId,
    channel: Channel,
    external_id: &str,
    lang: &str,
    now: DateTime<Utc>,
) -> DbResult<Chat> {
    let sql = concat!(
        "INSERT INTO bot_chats (community_id, id, channel, external_id, user_id, lang, flow, memory, with_official,
                                active, messages, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, NULL, $5, NULL, $6, FALSE, TRUE, 0, $7, $7)
         ON CONFLICT (community_id, channel, external_id) DO UPDATE SET last_seen_at = $7, active = TRUE
         RETURNING ",
        chat_columns!()
    );
    Ok(hromada_db::fetch_one!(
        db,
        sqlx::query_as::<_, Chat>(sql)
            .bind(community)
            .bind(hromada_kernel::new_id())
            .bind(channel.code())
            .bind(external_id)
            .bind(lang)
            .bind(Json(serde_json::Value::Null))
            .bind(now)
    )?)
}

pub async fn chat(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Chat>> {
    let sql = concat!("SELECT ", chat_columns!(), " FROM bot_chats WHERE community_id = $1 AND id = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Chat>(sql).bind(community).bind(id))?)
}

/// The chat on a channel, if the resident ever wrote.
pub async fn chat_by_external(
    db: &Db,
    community: CommunityId,
    channel: Channel,
    external_id: &str,
) -> DbResult<Option<Chat>> {
    let sql = concat!(
        "SELECT ",
        chat_columns!(),
        " FROM bot_chats WHERE community_id = $1 AND channel = $2 AND external_id = $3"
    );
    Ok(fetch_optional!(db, sqlx::query_as::<_, Chat>(sql).bind(community).bind(channel.code()).bind(external_id))?)
}

/// The chat on a channel and whether it handled this update already, in one round trip. An
/// update is recorded with its chat's turn, so a chat that does not exist has seen none.
pub async fn chat_and_seen(
    db: &Db,
    community: CommunityId,
    channel: Channel,
    external_id: &str,
    update_id: Option<&str>,
) -> DbResult<(Option<Chat>, bool)> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        chat: Chat,
        seen: i64,
    }
    let sql = concat!(
        "SELECT ",
        chat_columns!(),
        ", (SELECT COUNT(*) FROM bot_updates u WHERE u.community_id = $1 AND u.channel = $2 AND u.update_id = $4) AS seen
         FROM bot_chats WHERE community_id = $1 AND channel = $2 AND external_id = $3"
    );
    let row = fetch_optional!(
        db,
        sqlx::query_as::<_, Row>(sql)
            .bind(community)
            .bind(channel.code())
            .bind(external_id)
            .bind(update_id.unwrap_or(""))
    )?;
    Ok(match row {
        Some(r) => (Some(r.chat), update_id.is_some() && r.seen > 0),
        None => (None, false),
    })
}

/// The messenger chats linked to an account, for notices about the resident's own matters.
pub async fn chats_of(db: &Db, community: CommunityId, user: UserId) -> DbResult<Vec<Chat>> {
    let sql = concat!(
        "SELECT ",
        chat_columns!(),
        " FROM bot_chats WHERE community_id = $1 AND user_id = $2 AND active AND channel <> 'web'"
    );
    Ok(fetch_all!(db, sqlx::query_as::<_, Chat>(sql).bind(community).bind(user))?)
}

/// Channels retry for a day at most; older update ids need not be kept.
pub async fn purge_updates(db: &Db, before: DateTime<Utc>) -> DbResult<u64> {
    Ok(execute!(db, sqlx::query("DELETE FROM bot_updates WHERE received_at < $1").bind(before))?)
}

/// One message of the conversation, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Said {
    Resident {
        inbound: Inbound,
    },
    Bot {
        reply: Reply,
    },
    /// An official wrote through the operators' inbox.
    Official {
        reply: Reply,
        name: String,
    },
}

#[derive(Debug, Clone, FromRow)]
pub struct Message {
    pub seq: i64,
    pub inbound: bool,
    pub body: Json<Said>,
    pub at: DateTime<Utc>,
}

/// What one turn changes of a chat.
#[derive(Debug, Clone)]
pub struct TurnRecord {
    pub user_id: Option<UserId>,
    pub lang: String,
    pub flow: Option<String>,
    pub memory: serde_json::Value,
    pub with_official: bool,
    pub said: Vec<Said>,
    /// Queue the bot's replies for delivery to the messenger.
    pub push: bool,
    pub at: DateTime<Utc>,
}

/// A turn to save: the update it answers, the chat it belongs to (created with `new_id` if the
/// resident never wrote before), and what changed.
#[derive(Debug, Clone)]
pub struct TurnWrite {
    pub community: CommunityId,
    pub channel: Channel,
    pub external_id: String,
    pub update_id: Option<String>,
    pub new_id: Uuid,
    pub record: TurnRecord,
}

#[derive(Debug, Clone)]
pub enum TurnSaved {
    /// The channel sent this update before: nothing of this turn was saved.
    Duplicate,
    Saved(Box<Chat>),
}

/// Saves turns in batches through the group-commit writer: per turn, the update's id (once),
/// the chat's new state, the conversation and the replies to deliver, all turns of a batch in
/// one transaction and one sync to disk. The messages' numbers come from the chat's row, so two
/// turns of one chat number theirs without a gap or a clash.
pub struct TurnWriter;

impl hromada_db::BatchWriter for TurnWriter {
    type Item = TurnWrite;
    type Output = TurnSaved;

    async fn write_batch(&self, db: &Db, items: &[TurnWrite]) -> Result<Vec<TurnSaved>, hromada_db::DbError> {
        // A few statements per batch, not per turn: on PostgreSQL each statement is a round
        // trip, and the writer is one task.
        let mut out: Vec<Option<TurnSaved>> = vec![None; items.len()];
        // Updates seen twice in one batch: the later ones are duplicates without asking.
        let mut keys = std::collections::HashSet::new();
        let mut asked: Vec<usize> = vec![];
        for (i, item) in items.iter().enumerate() {
            if let Some(update) = &item.update_id {
                if keys.insert((item.community, item.channel, update.as_str())) {
                    asked.push(i);
                } else {
                    out[i] = Some(TurnSaved::Duplicate);
                }
            }
        }
        write_tx!(db, tx => {
            let mut fresh = std::collections::HashSet::new();
            for chunk in by_size(&asked, |_| 0) {
                let sql = values_sql(
                    "INSERT INTO bot_updates (community_id, channel, update_id, received_at) VALUES ",
                    chunk.len(),
                    4,
                    " ON CONFLICT DO NOTHING RETURNING community_id, channel, update_id",
                );
                let mut q = sqlx::query_as::<_, (CommunityId, String, String)>(sqlx::AssertSqlSafe(sql.as_str()));
                for &i in chunk {
                    let item = &items[i];
                    q = q.bind(item.community).bind(item.channel.code()).bind(item.update_id.as_deref()).bind(item.record.at);
                }
                fresh.extend(q.fetch_all(&mut *tx).await?);
            }
            for &i in &asked {
                let item = &items[i];
                let key = (item.community, item.channel.code().to_owned(), item.update_id.clone().unwrap_or_default());
                if !fresh.contains(&key) {
                    out[i] = Some(TurnSaved::Duplicate);
                }
            }
            // The turns that go on, by chat in arrival order: one row per chat carries the
            // last turn's state and all the turns' messages.
            let going: Vec<usize> = (0..items.len()).filter(|&i| out[i].is_none()).collect();
            let mut chats: Vec<(usize, i64)> = vec![];
            let mut by_chat: std::collections::HashMap<(CommunityId, Channel, &str), usize> = std::collections::HashMap::new();
            let mut chat_of = vec![0usize; items.len()];
            for &i in &going {
                let item = &items[i];
                let slot = *by_chat.entry((item.community, item.channel, item.external_id.as_str())).or_insert_with(|| {
                    chats.push((i, 0));
                    chats.len() - 1
                });
                chats[slot].0 = i;
                chats[slot].1 += item.record.said.len() as i64;
                chat_of[i] = slot;
            }
            let mut saved: Vec<Option<Chat>> = vec![None; chats.len()];
            let mut base = 0;
            for chunk in by_size(&chats, |(last, _)| json_size(&items[*last].record.memory)) {
                let sql = values_sql(
                    "INSERT INTO bot_chats (community_id, id, channel, external_id, user_id, lang, flow, memory, \
                     with_official, messages, last_seen_at, created_at, active) VALUES ",
                    chunk.len(),
                    13,
                    concat!(
                        " ON CONFLICT (community_id, channel, external_id) DO UPDATE SET user_id = excluded.user_id, \
                         lang = excluded.lang, flow = excluded.flow, memory = excluded.memory, \
                         with_official = excluded.with_official, active = TRUE, \
                         messages = bot_chats.messages + excluded.messages, last_seen_at = excluded.last_seen_at \
                         RETURNING ",
                        chat_columns!()
                    ),
                );
                let mut q = sqlx::query_as::<_, Chat>(sqlx::AssertSqlSafe(sql.as_str()));
                for &(last, count) in chunk {
                    let item = &items[last];
                    let turn = &item.record;
                    q = q
                        .bind(item.community).bind(item.new_id).bind(item.channel.code()).bind(&item.external_id)
                        .bind(turn.user_id).bind(&turn.lang).bind(&turn.flow).bind(Json(&turn.memory))
                        .bind(turn.with_official).bind(count).bind(turn.at).bind(turn.at).bind(true);
                }
                for chat in q.fetch_all(&mut *tx).await? {
                    // RETURNING gives no order: match the rows back to the chats of this chunk.
                    let at = chunk.iter().position(|&(last, _)| {
                        let item = &items[last];
                        item.community == chat.community_id
                            && item.channel.code() == chat.channel
                            && item.external_id == chat.external_id
                    });
                    if let Some(at) = at {
                        saved[base + at] = Some(chat);
                    }
                }
                base += chunk.len();
            }
            // Each chat's messages numbered on from its count before this batch.
            let mut next_seq: Vec<i64> = chats
                .iter()
                .zip(&saved)
                .map(|((_, count), chat)| chat.as_ref().map(|c| c.messages - count + 1).unwrap_or(1))
                .collect();
            let mut messages: Vec<(&Chat, i64, &Said, DateTime<Utc>)> = vec![];
            let mut outgoing: Vec<(&Chat, &Reply, DateTime<Utc>)> = vec![];
            for &i in &going {
                let slot = chat_of[i];
                let Some(chat) = saved[slot].as_ref() else { continue };
                let turn = &items[i].record;
                for said in &turn.said {
                    messages.push((chat, next_seq[slot], said, turn.at));
                    next_seq[slot] += 1;
                    if turn.push && let Said::Bot { reply } | Said::Official { reply, .. } = said {
                        outgoing.push((chat, reply, turn.at));
                    }
                }
            }
            for chunk in by_size(&messages, |(_, _, said, _)| json_size(*said)) {
                let sql = values_sql(
                    "INSERT INTO bot_messages (community_id, chat_id, seq, inbound, body, at) VALUES ",
                    chunk.len(),
                    6,
                    "",
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for (chat, seq, said, at) in chunk {
                    q = q.bind(chat.community_id).bind(chat.id).bind(*seq)
                        .bind(matches!(said, Said::Resident { .. })).bind(Json(*said)).bind(*at);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in by_size(&outgoing, |(_, reply, _)| json_size(*reply)) {
                let sql = values_sql(
                    "INSERT INTO bot_outbox (community_id, id, chat_id, channel, external_id, body, due_at, lease_until, \
                     attempts) VALUES ",
                    chunk.len(),
                    9,
                    "",
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for (chat, reply, at) in chunk {
                    q = q.bind(chat.community_id).bind(hromada_kernel::new_id()).bind(chat.id).bind(&chat.channel)
                        .bind(&chat.external_id).bind(Json(*reply)).bind(*at).bind(*at).bind(0_i64);
                }
                q.execute(&mut *tx).await?;
            }
            for &i in &going {
                out[i] = Some(match saved[chat_of[i]].clone() {
                    Some(chat) => TurnSaved::Saved(Box::new(chat)),
                    None => TurnSaved::Duplicate,
                });
            }
        });
        Ok(out.into_iter().map(|o| o.unwrap_or(TurnSaved::Duplicate)).collect())
    }
}

fn json_size(value: &impl Serialize) -> usize {
    serde_json::to_vec(value).map(|v| v.len()).unwrap_or(0)
}

/// Adds a message to a messenger chat's conversation and queues it for delivery (a notice, an
/// official's answer). The web chat shows it on its next look.
pub async fn send_to(db: &Db, chat: &Chat, said: Said, at: DateTime<Utc>) -> DbResult<()> {
    write_tx!(db, tx => {
        let seq: i64 = sqlx::query_scalar(
            "UPDATE bot_chats SET messages = messages + 1 WHERE community_id = $1 AND id = $2 RETURNING messages",
        )
        .bind(chat.community_id)
        .bind(chat.id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO bot_messages (community_id, chat_id, seq, inbound, body, at) VALUES ($1, $2, $3, FALSE, $4, $5)",
        )
        .bind(chat.community_id)
        .bind(chat.id)
        .bind(seq)
        .bind(Json(&said))
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if let (true, Said::Bot { reply } | Said::Official { reply, .. }) =
            (Channel::parse(&chat.channel).is_some_and(Channel::pushes), &said)
        {
            sqlx::query(
                "INSERT INTO bot_outbox (community_id, id, chat_id, channel, external_id, body, due_at, lease_until,
                                         attempts)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 0)",
            )
            .bind(chat.community_id)
            .bind(hromada_kernel::new_id())
            .bind(chat.id)
            .bind(&chat.channel)
            .bind(&chat.external_id)
            .bind(Json(reply))
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
    });
    Ok(())
}

/// The conversation after message `after`, oldest first, at most `limit` messages.
pub async fn transcript(db: &Db, community: CommunityId, chat: Uuid, after: i64, limit: i64) -> DbResult<Vec<Message>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Message>(
            "SELECT seq, inbound, body, at FROM bot_messages
             WHERE community_id = $1 AND chat_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
        )
        .bind(community)
        .bind(chat)
        .bind(after)
        .bind(limit)
    )?)
}

/// A reply waiting to be delivered.
#[derive(Debug, Clone, FromRow)]
pub struct Outgoing {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub chat_id: Uuid,
    pub channel: String,
    pub external_id: String,
    pub body: Json<Reply>,
    pub due_at: DateTime<Utc>,
    pub attempts: i64,
}

/// Takes up to `limit` due replies for delivery until `lease_until`. Another node (or this
/// one after a crash) takes them again only once the lease ran out; the outer condition is
/// checked again on the locked row, so two nodes never take the same reply.
pub async fn claim_due(db: &Db, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: i64) -> DbResult<Vec<Outgoing>> {
    let mut rows = fetch_all!(
        db,
        sqlx::query_as::<_, Outgoing>(
            "UPDATE bot_outbox SET lease_until = $2
             WHERE (community_id, id) IN (
                 SELECT community_id, id FROM bot_outbox WHERE due_at <= $1 AND lease_until <= $1
                 ORDER BY due_at, id LIMIT $3)
               AND lease_until <= $1
             RETURNING community_id, id, chat_id, channel, external_id, body, due_at, attempts"
        )
        .bind(now)
        .bind(lease_until)
        .bind(limit)
    )?;
    // RETURNING gives no order; a chat's messages must go out in the order they were written.
    rows.sort_by_key(|r| (r.due_at, r.id));
    Ok(rows)
}

pub async fn delivered(db: &Db, community: CommunityId, id: Uuid) -> DbResult<()> {
    execute!(db, sqlx::query("DELETE FROM bot_outbox WHERE community_id = $1 AND id = $2").bind(community).bind(id))?;
    Ok(())
}

/// Puts a reply back for another try at `due`.
pub async fn retry_at(db: &Db, community: CommunityId, id: Uuid, due: DateTime<Utc>, attempts: i64) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "UPDATE bot_outbox SET due_at = $3, lease_until = $3, attempts = $4 WHERE community_id = $1 AND id = $2"
        )
        .bind(community)
        .bind(id)
        .bind(due)
        .bind(attempts)
    )?;
    Ok(())
}

/// The resident blocked the bot: nothing more is queued or sent to the chat.
pub async fn deactivate(db: &Db, community: CommunityId, chat: Uuid) -> DbResult<()> {
    write_tx!(db, tx => {
        sqlx::query("UPDATE bot_chats SET active = FALSE WHERE community_id = $1 AND id = $2")
            .bind(community)
            .bind(chat)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM bot_outbox WHERE community_id = $1 AND chat_id = $2")
            .bind(community)
            .bind(chat)
            .execute(&mut *tx)
            .await?;
    });
    Ok(())
}

/// How many replies wait, for the dashboard and the benchmark.
pub async fn queued(db: &Db, community: CommunityId) -> DbResult<i64> {
    Ok(hromada_db::fetch_one!(
        db,
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM bot_outbox WHERE community_id = $1").bind(community)
    )?)
}

/// Adds to the day's delivery figures.
pub async fn count_delivery(
    db: &Db,
    community: CommunityId,
    channel: &str,
    day: NaiveDate,
    sent: i64,
    failed: i64,
    throttled: i64,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "INSERT INTO bot_delivery_stats (community_id, channel, day, sent, failed, throttled)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (community_id, channel, day) DO UPDATE SET sent = bot_delivery_stats.sent + $4,
                 failed = bot_delivery_stats.failed + $5, throttled = bot_delivery_stats.throttled + $6"
        )
        .bind(community)
        .bind(channel)
        .bind(day)
        .bind(sent)
        .bind(failed)
        .bind(throttled)
    )?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct DeliveryDay {
    pub channel: String,
    pub day: NaiveDate,
    pub sent: i64,
    pub failed: i64,
    pub throttled: i64,
}

pub async fn delivery_stats(db: &Db, community: CommunityId, since: NaiveDate) -> DbResult<Vec<DeliveryDay>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, DeliveryDay>(
            "SELECT channel, day, sent, failed, throttled FROM bot_delivery_stats
             WHERE community_id = $1 AND day >= $2 ORDER BY day DESC, channel"
        )
        .bind(community)
        .bind(since)
    )?)
}

/// Keeps a one-time code that links a chat to `user` until `expires_at`.
pub async fn create_link(
    db: &Db,
    community: CommunityId,
    token_hash: &[u8],
    user: UserId,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("INSERT INTO bot_links (community_id, token_hash, user_id, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(community)
            .bind(token_hash)
            .bind(user)
            .bind(expires_at)
    )?;
    Ok(())
}

/// Uses up a link code: the account it names, if the code is known and not expired. A code
/// works once, even when two chats present it at the same moment.
pub async fn take_link(
    db: &Db,
    community: CommunityId,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> DbResult<Option<UserId>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_scalar::<_, UserId>(
            "DELETE FROM bot_links WHERE community_id = $1 AND token_hash = $2 AND expires_at > $3 RETURNING user_id"
        )
        .bind(community)
        .bind(token_hash)
        .bind(now)
    )?)
}

pub async fn purge_links(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    Ok(execute!(db, sqlx::query("DELETE FROM bot_links WHERE expires_at <= $1").bind(now))?)
}

/// The chat stops sending free text to the officials (their conversation was closed).
pub async fn leave_officials(db: &Db, community: CommunityId, chat: Uuid) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("UPDATE bot_chats SET with_official = FALSE WHERE community_id = $1 AND id = $2")
            .bind(community)
            .bind(chat)
    )?;
    Ok(())
}
