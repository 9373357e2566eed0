//! One-time account tokens (e-mail confirmation, password reset), API tokens for scripts,
//! and pending e-ID sign-ins. Only hashes of secrets are stored.

use crate::{Db, DbResult, execute, fetch_all, fetch_optional};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, UserId};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

pub async fn create_account_token(
    db: &Db,
    community: CommunityId,
    user: UserId,
    token_hash: &[u8],
    purpose: Purpose,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, community_id, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(token_hash)
        .bind(community)
        .bind(user)
        .bind(purpose.code())
        .bind(now)
        .bind(expires_at)
    )?;
    Ok(())
}

/// Uses a one-time token: returns its account when the token is live and unused, and marks it
/// used in the same statement so that two clicks cannot both succeed.
pub async fn consume_account_token(
    db: &Db,
    community: CommunityId,
    token_hash: &[u8],
    purpose: Purpose,
    now: DateTime<Utc>,
) -> DbResult<Option<UserId>> {
    let row: Option<(Uuid,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "UPDATE account_tokens SET used_at = $4
         WHERE token_hash = $1 AND community_id = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4
         RETURNING user_id"
        )
        .bind(token_hash)
        .bind(community)
        .bind(purpose.code())
        .bind(now)
    )?;
    Ok(row.map(|r| r.0))
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ApiToken {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub user_id: UserId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub async fn create_api_token(
    db: &Db,
    community: CommunityId,
    user: UserId,
    name: &str,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(db, sqlx::query(
        "INSERT INTO api_tokens (community_id, id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(community).bind(id).bind(user).bind(name).bind(token_hash).bind(now))?;
    Ok(id)
}

pub async fn api_tokens_of(db: &Db, community: CommunityId, user: UserId) -> DbResult<Vec<ApiToken>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, ApiToken>(
            "SELECT community_id, id, user_id, name, created_at, last_used_at FROM api_tokens
         WHERE community_id = $1 AND user_id = $2 ORDER BY created_at DESC"
        )
        .bind(community)
        .bind(user)
    )?)
}

pub async fn revoke_api_token(db: &Db, community: CommunityId, user: UserId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM api_tokens WHERE community_id = $1 AND user_id = $2 AND id = $3")
            .bind(community)
            .bind(user)
            .bind(id)
    )?;
    super::changes::changed();
    Ok(n > 0)
}

/// Notes when API tokens were last used; called in batches, not on every request.
pub async fn touch_api_tokens(db: &Db, uses: &[(CommunityId, Vec<u8>, DateTime<Utc>)]) -> DbResult<()> {
    if uses.is_empty() {
        return Ok(());
    }
    crate::write_tx!(db, tx => {
        for (community, hash, at) in uses {
            sqlx::query("UPDATE api_tokens SET last_used_at = $3 WHERE community_id = $1 AND token_hash = $2")
                .bind(community).bind(hash).bind(at).execute(&mut *tx).await?;
        }
    });
    Ok(())
}

pub async fn create_eid_request(
    db: &Db,
    state: &str,
    community: CommunityId,
    user: UserId,
    now: DateTime<Utc>,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("INSERT INTO eid_requests (state, community_id, user_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(state)
            .bind(community)
            .bind(user)
            .bind(now)
    )?;
    Ok(())
}

/// Takes (and forgets) a pending e-ID sign-in started no earlier than `not_before`.
pub async fn take_eid_request(
    db: &Db,
    community: CommunityId,
    state: &str,
    not_before: DateTime<Utc>,
) -> DbResult<Option<UserId>> {
    let row: Option<(Uuid,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "DELETE FROM eid_requests WHERE state = $1 AND community_id = $2 AND created_at >= $3 RETURNING user_id"
        )
        .bind(state)
        .bind(community)
        .bind(not_before)
    )?;
    Ok(row.map(|r| r.0))
}
