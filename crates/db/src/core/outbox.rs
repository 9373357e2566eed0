//! Outgoing e-mail. A message is first written here, in the same database as the change that
//! caused it, and a worker sends it later; nothing is lost when the mail server is away.

use crate::{Db, DbResult, execute, fetch_all};
use chrono::{DateTime, Utc};
use hromada_kernel::CommunityId;
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Mail {
    pub community_id: Option<CommunityId>,
    pub id: Uuid,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub attempts: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub async fn enqueue(
    db: &Db,
    community: Option<CommunityId>,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(
        db,
        sqlx::query(
            "INSERT INTO outbox (community_id, id, to_addr, subject, body_text, created_at, next_attempt_at, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $6, 0)"
        )
        .bind(community)
        .bind(id)
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now)
    )?;
    Ok(id)
}

/// The latest messages of a community, for the development mail page.
pub async fn recent(db: &Db, community: CommunityId, limit: i64) -> DbResult<Vec<Mail>> {
    Ok(fetch_all!(db, sqlx::query_as::<_, Mail>(
        "SELECT community_id, id, to_addr, subject, body_text, created_at, next_attempt_at, attempts, sent_at, last_error
         FROM outbox WHERE community_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
        .bind(community).bind(limit))?)
}

/// Messages due for sending.
pub async fn due(db: &Db, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<Mail>> {
    Ok(fetch_all!(db, sqlx::query_as::<_, Mail>(
        "SELECT community_id, id, to_addr, subject, body_text, created_at, next_attempt_at, attempts, sent_at, last_error
         FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2")
        .bind(now).bind(limit))?)
}

pub async fn mark_sent(db: &Db, id: Uuid, now: DateTime<Utc>) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1")
            .bind(id)
            .bind(now)
    )?;
    Ok(())
}

pub async fn mark_failed(db: &Db, id: Uuid, error: &str, retry_at: DateTime<Utc>) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1")
            .bind(id)
            .bind(error)
            .bind(retry_at)
    )?;
    Ok(())
}

/// Messages not sent yet.
pub async fn pending_count(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) = crate::fetch_one!(db, sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"))?;
    Ok(n)
}
