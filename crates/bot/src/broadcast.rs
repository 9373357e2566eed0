//! Broadcasts: residents subscribe their messenger chats to news and emergency alerts (the
//! whole community or one settlement), and officials send a message to every subscribed chat.
//! Queueing writes one outbox row per chat in large multi-row inserts inside one transaction,
//! so a broadcast is all queued or not at all; the deliverer then sends it within the limits.

use chrono::{DateTime, Utc};
use hromada_db::{Db, DbResult, execute, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, UserId};
use hromada_web::chat::Reply;
use serde::Serialize;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

/// What a chat can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    News,
    /// Air-raid alerts, shelters, points of invincibility, outages.
    Alerts,
}

impl Topic {
    pub fn code(self) -> &'static str {
        match self {
            Topic::News => "news",
            Topic::Alerts => "alerts",
        }
    }

    pub fn parse(code: &str) -> Option<Topic> {
        [Topic::News, Topic::Alerts].into_iter().find(|t| t.code() == code)
    }
}

#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct Subscription {
    pub settlement_id: Option<Uuid>,
    pub news: bool,
    pub alerts: bool,
}

pub async fn subscription(db: &Db, community: CommunityId, chat: Uuid) -> DbResult<Option<Subscription>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Subscription>(
            "SELECT settlement_id, news, alerts FROM bot_subscriptions WHERE community_id = $1 AND chat_id = $2"
        )
        .bind(community)
        .bind(chat)
    )?)
}

/// Saves a chat's subscription; with neither topic it is removed.
pub async fn subscribe(
    db: &Db,
    community: CommunityId,
    chat: Uuid,
    s: &Subscription,
    now: DateTime<Utc>,
) -> DbResult<()> {
    if !s.news && !s.alerts {
        execute!(
            db,
            sqlx::query("DELETE FROM bot_subscriptions WHERE community_id = $1 AND chat_id = $2")
                .bind(community)
                .bind(chat)
        )?;
        return Ok(());
    }
    execute!(
        db,
        sqlx::query(
            "INSERT INTO bot_subscriptions (community_id, chat_id, settlement_id, news, alerts, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (community_id, chat_id) DO UPDATE SET settlement_id = $3, news = $4, alerts = $5, updated_at = $6"
        )
        .bind(community)
        .bind(chat)
        .bind(s.settlement_id)
        .bind(s.news)
        .bind(s.alerts)
        .bind(now)
    )?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Broadcast {
    pub id: Uuid,
    pub topic: String,
    pub settlement_id: Option<Uuid>,
    pub body: Json<Reply>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub recipients: i64,
}

/// A broadcast and how many of its messages still wait.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub broadcast: Broadcast,
    pub waiting: i64,
}

#[derive(Debug, FromRow)]
struct Recipient {
    id: Uuid,
    channel: String,
    external_id: String,
    /// The settlement the chat follows; `None` for the whole community.
    settlement_id: Option<Uuid>,
}

/// Rows per insert: four parameters a row keeps a statement well under SQLite's 32,766.
const ROWS_PER_INSERT: usize = 1000;

/// Queues `reply` for every active messenger chat subscribed to `topic` in `settlement` (or
/// anywhere, with `None`; a chat subscribed to the whole community gets every settlement's).
/// All in one transaction. Gives the broadcast with its number of recipients.
pub async fn queue(
    db: &Db,
    community: CommunityId,
    topic: Topic,
    settlements: &[Uuid],
    reply: &Reply,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> DbResult<Broadcast> {
    let id = hromada_kernel::new_id();
    // Every subscribed chat, then those of other settlements left out here: the list of
    // settlements varies, the statement does not.
    let select = match topic {
        Topic::News => concat!(
            "SELECT c.id, c.channel, c.external_id, s.settlement_id FROM bot_subscriptions s JOIN bot_chats c ",
            "ON c.community_id = s.community_id AND c.id = s.chat_id ",
            "WHERE s.community_id = $1 AND s.news AND c.active AND c.channel <> 'web' ORDER BY c.id"
        ),
        Topic::Alerts => concat!(
            "SELECT c.id, c.channel, c.external_id, s.settlement_id FROM bot_subscriptions s JOIN bot_chats c ",
            "ON c.community_id = s.community_id AND c.id = s.chat_id ",
            "WHERE s.community_id = $1 AND s.alerts AND c.active AND c.channel <> 'web' ORDER BY c.id"
        ),
    };
    let settlement = match settlements {
        [one] => Some(*one),
        _ => None,
    };
    let body = Json(reply);
    let recipients = write_tx!(db, tx => {
        let mut chats: Vec<Recipient> = sqlx::query_as(select).bind(community).fetch_all(&mut *tx).await?;
        if !settlements.is_empty() {
            chats.retain(|c| c.settlement_id.is_none_or(|s| settlements.contains(&s)));
        }
        for chunk in chats.chunks(ROWS_PER_INSERT) {
            let sql = outbox_insert(chunk.len());
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(body).bind(now).bind(id);
            for r in chunk {
                q = q.bind(hromada_kernel::new_id()).bind(r.id).bind(&r.channel).bind(&r.external_id);
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO bot_broadcasts (community_id, id, topic, settlement_id, body, created_by, created_at, recipients)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(community)
        .bind(id)
        .bind(topic.code())
        .bind(settlement)
        .bind(body)
        .bind(by)
        .bind(now)
        .bind(chats.len() as i64)
        .execute(&mut *tx)
        .await?;
        chats.len() as i64
    });
    Ok(Broadcast {
        id,
        topic: topic.code().to_owned(),
        settlement_id: settlement,
        body: Json(reply.clone()),
        created_by: by,
        created_at: now,
        recipients,
    })
}

/// A news item of the site for the subscribers of the settlements it is for (all of them when
/// the list is empty): its title, summary, picture and a button to read it.
pub async fn news(
    state: &hromada_web::AppState,
    community: CommunityId,
    title: &str,
    summary: &str,
    url: &str,
    image: Option<&str>,
    settlements: &[Uuid],
) -> anyhow::Result<Broadcast> {
    let lang = hromada_kernel::Lang::Uk;
    let mut text = format!("📰 {title}");
    if !summary.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(summary.trim());
    }
    let mut reply = Reply::text(text);
    reply.image = image.map(str::to_owned);
    reply = reply.button(hromada_web::chat::Button::link(state.i18n.t(lang, "bot-news-read"), url)).button(
        hromada_web::chat::Button::data(
            format!("{} / Unsubscribe", state.i18n.t(lang, "bot-unsubscribe")),
            crate::engine::encode(crate::engine::OWN, "subs"),
        ),
    );
    let sent = queue(&state.db, community, Topic::News, settlements, &reply, None, state.now()).await?;
    if let Some(d) = state.extension::<crate::delivery::Delivery>() {
        d.wake();
    }
    Ok(sent)
}

/// A multi-row insert into the outbox: four parameters shared by every row (community, body,
/// time, broadcast), then four per row (id, chat, channel, the channel's chat id).
fn outbox_insert(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO bot_outbox (community_id, id, chat_id, channel, external_id, body, due_at, lease_until, attempts, \
         broadcast_id) VALUES ",
    );
    for i in 0..rows {
        let p = 5 + i * 4;
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!("($1, ${}, ${}, ${}, ${}, $2, $3, $3, 0, $4)", p, p + 1, p + 2, p + 3));
    }
    sql
}

/// The latest broadcasts with what still waits of each.
pub async fn recent(db: &Db, community: CommunityId, limit: i64) -> DbResult<Vec<Progress>> {
    let list = fetch_all!(
        db,
        sqlx::query_as::<_, Broadcast>(
            "SELECT id, topic, settlement_id, body, created_by, created_at, recipients FROM bot_broadcasts
             WHERE community_id = $1 ORDER BY created_at DESC LIMIT $2"
        )
        .bind(community)
        .bind(limit)
    )?;
    let mut out = Vec::with_capacity(list.len());
    for b in list {
        let waiting = hromada_db::fetch_one!(
            db,
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM bot_outbox WHERE community_id = $1 AND broadcast_id = $2"
            )
            .bind(community)
            .bind(b.id)
        )?;
        out.push(Progress { broadcast: b, waiting });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_outbox_insert_numbers_its_parameters_densely() {
        let sql = super::outbox_insert(2);
        assert!(
            sql.ends_with("($1, $5, $6, $7, $8, $2, $3, $3, 0, $4),($1, $9, $10, $11, $12, $2, $3, $3, 0, $4)"),
            "{sql}"
        );
    }
}
