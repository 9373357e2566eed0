//! Login sessions. Only a hash of the cookie's token is stored, so a leaked database
//! cannot be replayed as cookies.

use crate::{Db, DbResult, execute, fetch_optional};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, UserId};
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub community_id: Option<CommunityId>,
    pub user_id: Option<UserId>,
    pub operator_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Who a session belongs to: a community's account or a platform operator.
#[derive(Debug, Clone, Copy)]
pub enum Holder {
    User { community: CommunityId, user: UserId },
    Operator(Uuid),
}

pub async fn create(
    db: &Db,
    token_hash: &[u8],
    holder: Holder,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    let (community, user, operator) = match holder {
        Holder::User { community, user } => (Some(community), Some(user), None),
        Holder::Operator(id) => (None, None, Some(id)),
    };
    execute!(
        db,
        sqlx::query(
            "INSERT INTO sessions (token_hash, community_id, user_id, operator_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(token_hash)
        .bind(community)
        .bind(user)
        .bind(operator)
        .bind(now)
        .bind(expires_at)
    )?;
    Ok(())
}

/// The live session with this token hash, if any.
pub async fn find(db: &Db, token_hash: &[u8], now: DateTime<Utc>) -> DbResult<Option<Session>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Session>(
            "SELECT token_hash, community_id, user_id, operator_id, created_at, expires_at
         FROM sessions WHERE token_hash = $1 AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(now)
    )?)
}

pub async fn delete(db: &Db, token_hash: &[u8]) -> DbResult<()> {
    execute!(db, sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash))?;
    super::changes::changed();
    Ok(())
}

/// Ends every session of an account (after a password change or reset).
pub async fn delete_for_user(db: &Db, community: CommunityId, user: UserId) -> DbResult<u64> {
    super::changes::changed();
    Ok(execute!(
        db,
        sqlx::query("DELETE FROM sessions WHERE community_id = $1 AND user_id = $2").bind(community).bind(user)
    )?)
}

pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    Ok(execute!(db, sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now))?)
}
