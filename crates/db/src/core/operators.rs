//! Platform operators: the people who run the installation and create communities.

use crate::{Db, DbError, DbResult, execute, fetch_all, fetch_one, fetch_optional};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Operator {
    pub id: Uuid,
    pub email_norm: String,
    pub full_name: String,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(skip)]
    pub failed_logins: i64,
    #[serde(skip)]
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn create(db: &Db, email: &str, full_name: &str, password_hash: &str, now: DateTime<Utc>) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(db, sqlx::query(
        "INSERT INTO operators (id, email_norm, full_name, password_hash, failed_logins, created_at) VALUES ($1, $2, $3, $4, 0, $5)")
        .bind(id).bind(super::users::normalize_email(email)).bind(full_name).bind(password_hash).bind(now))
    .map_err(|e| match DbError::from(e) {
        DbError::Unique(_) => DbError::Unique("operators.email".into()),
        other => other,
    })?;
    Ok(id)
}

pub async fn by_email(db: &Db, email: &str) -> DbResult<Option<Operator>> {
    Ok(fetch_optional!(db, sqlx::query_as::<_, Operator>(
        "SELECT id, email_norm, full_name, password_hash, failed_logins, locked_until, created_at FROM operators WHERE email_norm = $1")
        .bind(super::users::normalize_email(email)))?)
}

pub async fn by_id(db: &Db, id: Uuid) -> DbResult<Option<Operator>> {
    Ok(fetch_optional!(db, sqlx::query_as::<_, Operator>(
        "SELECT id, email_norm, full_name, password_hash, failed_logins, locked_until, created_at FROM operators WHERE id = $1")
        .bind(id))?)
}

pub async fn list(db: &Db) -> DbResult<Vec<Operator>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Operator>(
            "SELECT id, email_norm, full_name, password_hash, failed_logins, locked_until, created_at FROM operators ORDER BY email_norm"
        )
    )?)
}

pub async fn count(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) = fetch_one!(db, sqlx::query_as("SELECT COUNT(*) FROM operators"))?;
    Ok(n)
}

pub async fn record_failed_login(db: &Db, id: Uuid, max_failures: i64, lock_until: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = fetch_one!(
        db,
        sqlx::query_as(
            "UPDATE operators SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
         WHERE id = $1 RETURNING failed_logins"
        )
        .bind(id)
        .bind(max_failures)
        .bind(lock_until)
    )?;
    Ok(n)
}

pub async fn reset_failed_logins(db: &Db, id: Uuid) -> DbResult<()> {
    execute!(db, sqlx::query("UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = $1").bind(id))?;
    Ok(())
}
