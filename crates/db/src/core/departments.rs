use crate::{Db, DbResult, execute, fetch_all};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, UserId};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

/// A unit of the council's executive bodies that answers residents (e.g. the housing department).
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Department {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Overdue work is escalated to the head.
    pub head_id: Option<UserId>,
}

pub async fn create(
    db: &Db,
    community: CommunityId,
    name_uk: &str,
    name_en: Option<&str>,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(db, sqlx::query(
        "INSERT INTO departments (community_id, id, name_uk, name_en, email, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(community).bind(id).bind(name_uk).bind(name_en).bind(email).bind(now))?;
    Ok(id)
}

pub async fn list(db: &Db, community: CommunityId) -> DbResult<Vec<Department>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Department>(
            "SELECT community_id, id, name_uk, name_en, email, created_at, head_id FROM departments
         WHERE community_id = $1 ORDER BY name_uk"
        )
        .bind(community)
    )?)
}

/// Makes one of the department's officers its head, or leaves it without one.
pub async fn set_head(db: &Db, community: CommunityId, id: Uuid, head: Option<UserId>) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE departments SET head_id = $3 WHERE community_id = $1 AND id = $2
             AND ($3 IS NULL OR EXISTS (SELECT 1 FROM department_officers o
                  WHERE o.community_id = $1 AND o.department_id = $2 AND o.user_id = $3))"
        )
        .bind(community)
        .bind(id)
        .bind(head)
    )?;
    Ok(n > 0)
}

pub async fn delete(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM departments WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n > 0)
}

pub async fn add_officer(db: &Db, community: CommunityId, department: Uuid, user: UserId) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "INSERT INTO department_officers (community_id, department_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING"
        )
        .bind(community)
        .bind(department)
        .bind(user)
    )?;
    Ok(())
}

pub async fn remove_officer(db: &Db, community: CommunityId, department: Uuid, user: UserId) -> DbResult<()> {
    // One who leaves the department no longer heads it.
    execute!(
        db,
        sqlx::query("UPDATE departments SET head_id = NULL WHERE community_id = $1 AND id = $2 AND head_id = $3")
            .bind(community)
            .bind(department)
            .bind(user)
    )?;
    execute!(
        db,
        sqlx::query("DELETE FROM department_officers WHERE community_id = $1 AND department_id = $2 AND user_id = $3")
            .bind(community)
            .bind(department)
            .bind(user)
    )?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Officer {
    pub department_id: Uuid,
    pub user_id: UserId,
    pub full_name: String,
}

pub async fn officers(db: &Db, community: CommunityId) -> DbResult<Vec<Officer>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Officer>(
            "SELECT o.department_id, o.user_id, u.full_name FROM department_officers o
         JOIN users u ON u.community_id = o.community_id AND u.id = o.user_id
         WHERE o.community_id = $1 ORDER BY u.full_name"
        )
        .bind(community)
    )?)
}

/// The departments an officer works for.
pub async fn departments_of(db: &Db, community: CommunityId, user: UserId) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = fetch_all!(
        db,
        sqlx::query_as("SELECT department_id FROM department_officers WHERE community_id = $1 AND user_id = $2")
            .bind(community)
            .bind(user)
    )?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
