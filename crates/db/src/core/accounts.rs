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

/// The account columns, its roles joined by commas, and when the session ends; the statements
/// are put together at compile time, once per backend.
macro_rules! signed_in_sql {
    ($roles:literal, $expires:literal, $from:literal) => {
        concat!(
            "SELECT u.community_id, u.id, u.email, u.email_norm, u.password_hash, u.full_name, u.settlement_id,
                    u.birth_year, u.lang, u.email_confirmed_at, u.phone, u.phone_verified_at, u.person_key,
                    u.eid_verified_at, u.verified_in_person_at, u.verified_in_person_by, u.idp_registered_at,
                    u.idp_registered_by, u.failed_logins, u.locked_until, u.created_at,
                    (SELECT ",
            $roles,
            " FROM user_roles r WHERE r.community_id = u.community_id AND r.user_id = u.id) AS roles, ",
            $expires,
            " AS session_expires_at ",
            $from
        )
    };
}

macro_rules! by_session_sql {
    ($roles:literal) => {
        signed_in_sql!(
            $roles,
            "c.expires_at",
            "FROM sessions c JOIN users u ON u.community_id = c.community_id AND u.id = c.user_id
             WHERE c.token_hash = $1 AND c.community_id = $2 AND c.expires_at > $3"
        )
    };
}

macro_rules! by_api_token_sql {
    ($roles:literal, $no_time:literal) => {
        signed_in_sql!(
            $roles,
            $no_time,
            "FROM api_tokens c JOIN users u ON u.community_id = c.community_id AND u.id = c.user_id
             WHERE c.community_id = $1 AND c.token_hash = $2"
        )
    };
}

// `group_concat` and `string_agg` are the same aggregate under two names; PostgreSQL wants the
// type of a NULL it cannot infer.
const SQLITE_BY_SESSION: &str = by_session_sql!("group_concat(r.role, ',')");
const POSTGRES_BY_SESSION: &str = by_session_sql!("string_agg(r.role, ',')");
const SQLITE_BY_API_TOKEN: &str = by_api_token_sql!("group_concat(r.role, ',')", "NULL");
const POSTGRES_BY_API_TOKEN: &str = by_api_token_sql!("string_agg(r.role, ',')", "CAST(NULL AS TIMESTAMPTZ)");

/// The account a live browser session of this community belongs to.
pub async fn by_session(
    db: &Db,
    community: CommunityId,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> DbResult<Option<SignedIn>> {
    let sql = match db {
        Db::Sqlite(_) => SQLITE_BY_SESSION,
        Db::Postgres(_) => POSTGRES_BY_SESSION,
    };
    let row: Option<Row> =
        fetch_optional!(db, sqlx::query_as::<_, Row>(sql).bind(token_hash).bind(community).bind(now))?;
    Ok(row.map(SignedIn::from))
}

/// The account an API token of this community acts for.
pub async fn by_api_token(db: &Db, community: CommunityId, token_hash: &[u8]) -> DbResult<Option<SignedIn>> {
    let sql = match db {
        Db::Sqlite(_) => SQLITE_BY_API_TOKEN,
        Db::Postgres(_) => POSTGRES_BY_API_TOKEN,
    };
    let row: Option<Row> = fetch_optional!(db, sqlx::query_as::<_, Row>(sql).bind(community).bind(token_hash))?;
    Ok(row.map(SignedIn::from))
}
