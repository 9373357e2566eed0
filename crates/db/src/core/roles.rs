use crate::{Db, DbResult, execute, fetch_all};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, Role, UserId};
use serde::Serialize;
use sqlx::FromRow;

pub async fn grant(db: &Db, community: CommunityId, user: UserId, role: Role, now: DateTime<Utc>) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "INSERT INTO user_roles (community_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (community_id, user_id, role) DO NOTHING"
        )
        .bind(community)
        .bind(user)
        .bind(role.code())
        .bind(now)
    )?;
    super::changes::changed();
    Ok(n > 0)
}

pub async fn revoke(db: &Db, community: CommunityId, user: UserId, role: Role) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM user_roles WHERE community_id = $1 AND user_id = $2 AND role = $3")
            .bind(community)
            .bind(user)
            .bind(role.code())
    )?;
    super::changes::changed();
    Ok(n > 0)
}

pub async fn roles_of(db: &Db, community: CommunityId, user: UserId) -> DbResult<Vec<Role>> {
    let rows: Vec<(String,)> = fetch_all!(
        db,
        sqlx::query_as("SELECT role FROM user_roles WHERE community_id = $1 AND user_id = $2 ORDER BY role")
            .bind(community)
            .bind(user)
    )?;
    Ok(rows.iter().filter_map(|(r,)| Role::parse(r)).collect())
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct StaffMember {
    pub user_id: UserId,
    pub full_name: String,
    pub email: Option<String>,
    pub role: String,
}

/// Every role held in the community, by person.
pub async fn staff(db: &Db, community: CommunityId) -> DbResult<Vec<StaffMember>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, StaffMember>(
            "SELECT r.user_id, u.full_name, u.email, r.role FROM user_roles r
         JOIN users u ON u.community_id = r.community_id AND u.id = r.user_id
         WHERE r.community_id = $1 ORDER BY u.full_name, r.role"
        )
        .bind(community)
    )?)
}
