//! Who is behind a credential: the account and its roles in one query, because every
//! signed-in request asks it first.

use super::users::User;
use crate::{Db, DbResult, fetch_optional};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, Role};
use sqlx::FromRow;

/// An account as a signed-in request sees it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub roles: Vec<Role>,
    /// When the browser session ends; `None` for an API token.
    pub session_expires_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct Row {
    #[sqlx(flatten)]
    user: User,
    roles: Option<String>,
    session_expires_at: Option<DateTime<Utc>>,
}

impl From<Row> for SignedIn {
    fn from(r: Row) -> Self {
        let roles = r.roles.unwrap_or_default().split(',').filter_map(Role::parse).collect();
        SignedIn { user: r.user, roles, session_expires_at: r.session_expires_at }
    }
}

/// The account columns, then its roles joined by commas: `group_concat` and `string_agg` are
/// the same aggregate under two names.
fn select(db: &Db, session: bool) -> String {
    let (concat, no_time) = match db {
        Db::Sqlite(_) => ("group_concat(r.role, ',')", "NULL"),
        Db::Postgres(_) => ("string_agg(r.role, ',')", "CAST(NULL AS TIMESTAMPTZ)"),
    };
    format!(
        "SELECT u.community_id, u.id, u.email, u.email_norm, u.password_hash, u.full_name, u.settlement_id,
                u.birth_year, u.lang, u.email_confirmed_at, u.phone, u.phone_verified_at, u.person_key,
                u.eid_verified_at, u.verified_in_person_at, u.verified_in_person_by, u.idp_registered_at,
                u.idp_registered_by, u.failed_logins,
                u.locked_until, u.created_at,
                (SELECT {concat} FROM user_roles r WHERE r.community_id = u.community_id AND r.user_id = u.id) AS roles,
                {expires} AS session_expires_at ",
        expires = if session { "c.expires_at" } else { no_time },
    )
}

/// The account a live browser session of this community belongs to.
pub async fn by_session(
    db: &Db,
    community: CommunityId,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> DbResult<Option<SignedIn>> {
    let sql = select(db, true)
        + "FROM sessions c JOIN users u ON u.community_id = c.community_id AND u.id = c.user_id
           WHERE c.token_hash = $1 AND c.community_id = $2 AND c.expires_at > $3";
    let row: Option<Row> = fetch_optional!(
        db,
        sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).bind(community).bind(now)
    )?;
    Ok(row.map(SignedIn::from))
}

/// The account an API token of this community acts for.
pub async fn by_api_token(db: &Db, community: CommunityId, token_hash: &[u8]) -> DbResult<Option<SignedIn>> {
    let sql = select(db, false)
        + "FROM api_tokens c JOIN users u ON u.community_id = c.community_id AND u.id = c.user_id
           WHERE c.community_id = $1 AND c.token_hash = $2";
    let row: Option<Row> = fetch_optional!(
        db,
        sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(token_hash)
    )?;
    Ok(row.map(SignedIn::from))
}
