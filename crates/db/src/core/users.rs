use crate::{Db, DbError, DbResult, execute, fetch_all, fetch_one, fetch_optional};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, IdentityLevel, UserId};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

/// A resident's or official's account in one community.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct User {
    pub community_id: CommunityId,
    pub id: UserId,
    pub email: Option<String>,
    #[serde(skip)]
    pub email_norm: Option<String>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub full_name: String,
    pub settlement_id: Option<Uuid>,
    pub birth_year: Option<i64>,
    pub lang: String,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub phone: Option<String>,
    pub phone_verified_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub person_key: Option<Vec<u8>>,
    pub eid_verified_at: Option<DateTime<Utc>>,
    pub verified_in_person_at: Option<DateTime<Utc>>,
    pub verified_in_person_by: Option<UserId>,
    /// An internally displaced person whose registration in the community CNAP staff recorded.
    pub idp_registered_at: Option<DateTime<Utc>>,
    pub idp_registered_by: Option<UserId>,
    #[serde(skip)]
    pub failed_logins: i64,
    #[serde(skip)]
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// The strongest identity the account has proven.
    pub fn identity_level(&self) -> IdentityLevel {
        if self.person_key.is_some() {
            IdentityLevel::Eid
        } else if self.phone_verified_at.is_some() {
            IdentityLevel::Phone
        } else if self.email_confirmed_at.is_some() {
            IdentityLevel::Email
        } else {
            IdentityLevel::None
        }
    }
}

/// What the admin's user search matches: name and e-mail, lowercased with full Unicode folding.
pub fn search_text(full_name: &str, email: Option<&str>) -> String {
    format!("{} {}", full_name.trim(), email.unwrap_or("").trim()).to_lowercase()
}

/// E-mail addresses compare without case and surrounding space.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub full_name: String,
    pub settlement_id: Option<Uuid>,
    pub birth_year: Option<i64>,
    pub lang: String,
}

const COLUMNS: &str = "community_id, id, email, email_norm, password_hash, full_name, settlement_id, birth_year, lang, \
    email_confirmed_at, phone, phone_verified_at, person_key, eid_verified_at, verified_in_person_at, \
    verified_in_person_by, idp_registered_at, idp_registered_by, failed_logins, locked_until, created_at";

macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT community_id, id, email, email_norm, password_hash, full_name, settlement_id, birth_year, lang, \
             email_confirmed_at, phone, phone_verified_at, person_key, eid_verified_at, verified_in_person_at, \
             verified_in_person_by, idp_registered_at, idp_registered_by, failed_logins, locked_until, created_at \
             FROM users ",
            $tail
        )
    };
}

/// Creates an account; a taken e-mail is `DbError::Unique` naming `email`.
pub async fn create(db: &Db, community: CommunityId, new: NewUser, now: DateTime<Utc>) -> DbResult<User> {
    let id = hromada_kernel::new_id();
    let email_norm = new.email.as_deref().map(normalize_email);
    execute!(db, sqlx::query(
        "INSERT INTO users (community_id, id, email, email_norm, password_hash, full_name, search_text, settlement_id,
                            birth_year, lang, failed_logins, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11)")
        .bind(community).bind(id).bind(new.email.as_deref().map(str::trim)).bind(&email_norm)
        .bind(&new.password_hash).bind(&new.full_name).bind(search_text(&new.full_name, new.email.as_deref()))
        .bind(new.settlement_id).bind(new.birth_year).bind(&new.lang).bind(now))
    .map_err(|e| match DbError::from(e) {
        DbError::Unique(_) => DbError::Unique("users.email".into()),
        other => other,
    })?;
    by_id(db, community, id).await?.ok_or(DbError::NotFound)
}

pub async fn by_id(db: &Db, community: CommunityId, id: UserId) -> DbResult<Option<User>> {
    debug_assert!(select_users!("").contains(COLUMNS));
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, User>(select_users!("WHERE community_id = $1 AND id = $2")).bind(community).bind(id)
    )?)
}

/// The account whose phone number was verified as this one (the oldest, should there be two).
pub async fn by_verified_phone(db: &Db, community: CommunityId, phone: &str) -> DbResult<Option<User>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, User>(select_users!(
            "WHERE community_id = $1 AND phone = $2 AND phone_verified_at IS NOT NULL ORDER BY created_at LIMIT 1"
        ))
        .bind(community)
        .bind(phone)
    )?)
}

pub async fn by_email(db: &Db, community: CommunityId, email: &str) -> DbResult<Option<User>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, User>(select_users!("WHERE community_id = $1 AND email_norm = $2"))
            .bind(community)
            .bind(normalize_email(email))
    )?)
}

pub async fn by_person_key(db: &Db, community: CommunityId, key: &[u8]) -> DbResult<Option<User>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, User>(select_users!("WHERE community_id = $1 AND person_key = $2"))
            .bind(community)
            .bind(key)
    )?)
}

/// Accounts whose name or e-mail contains `query`, newest first.
pub async fn search(db: &Db, community: CommunityId, query: &str, limit: i64, offset: i64) -> DbResult<Vec<User>> {
    let pattern = format!("%{}%", crate::like_escape(&query.trim().to_lowercase()));
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, User>(select_users!(
            "WHERE community_id = $1 AND search_text LIKE $2 ESCAPE '\\'
         ORDER BY created_at DESC LIMIT $3 OFFSET $4"
        ))
        .bind(community)
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
    )?)
}

pub async fn count(db: &Db, community: CommunityId) -> DbResult<i64> {
    let (n,): (i64,) =
        fetch_one!(db, sqlx::query_as("SELECT COUNT(*) FROM users WHERE community_id = $1").bind(community))?;
    Ok(n)
}

pub async fn confirm_email(db: &Db, community: CommunityId, id: UserId, now: DateTime<Utc>) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $3) WHERE community_id = $1 AND id = $2"
        )
        .bind(community)
        .bind(id)
        .bind(now)
    )?;
    super::changes::changed();
    Ok(())
}

pub async fn set_password(db: &Db, community: CommunityId, id: UserId, hash: &str) -> DbResult<()> {
    execute!(db, sqlx::query(
        "UPDATE users SET password_hash = $3, failed_logins = 0, locked_until = NULL WHERE community_id = $1 AND id = $2")
        .bind(community).bind(id).bind(hash))?;
    super::changes::changed();
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub struct Profile<'a> {
    pub full_name: &'a str,
    pub settlement_id: Option<Uuid>,
    pub birth_year: Option<i64>,
    pub lang: &'a str,
}

pub async fn update_profile(db: &Db, community: CommunityId, id: UserId, p: Profile<'_>) -> DbResult<()> {
    let email = by_id(db, community, id).await?.ok_or(DbError::NotFound)?.email;
    execute!(
        db,
        sqlx::query(
            "UPDATE users SET full_name = $3, settlement_id = $4, birth_year = $5, lang = $6, search_text = $7
         WHERE community_id = $1 AND id = $2"
        )
        .bind(community)
        .bind(id)
        .bind(p.full_name)
        .bind(p.settlement_id)
        .bind(p.birth_year)
        .bind(p.lang)
        .bind(search_text(p.full_name, email.as_deref()))
    )?;
    super::changes::changed();
    Ok(())
}

/// Counts a failed login; after `max_failures` in a row the account is locked until `lock_until`.
/// Returns the number of failures so far.
pub async fn record_failed_login(
    db: &Db,
    community: CommunityId,
    id: UserId,
    max_failures: i64,
    lock_until: DateTime<Utc>,
) -> DbResult<i64> {
    let (n,): (i64,) = fetch_one!(
        db,
        sqlx::query_as(
            "UPDATE users SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= $3 THEN $4 ELSE locked_until END
         WHERE community_id = $1 AND id = $2 RETURNING failed_logins"
        )
        .bind(community)
        .bind(id)
        .bind(max_failures)
        .bind(lock_until)
    )?;
    Ok(n)
}

pub async fn reset_failed_logins(db: &Db, community: CommunityId, id: UserId) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE community_id = $1 AND id = $2")
            .bind(community)
            .bind(id)
    )?;
    Ok(())
}

/// How the person behind the account was identified.
#[derive(Debug, Clone, Copy)]
pub enum PersonProof {
    Eid,
    InPerson { by: UserId },
}

/// Binds the account to a person. Another account of the same person in this community is
/// `DbError::Unique` naming `person_key`.
pub async fn set_person_key(
    db: &Db,
    community: CommunityId,
    id: UserId,
    key: &[u8],
    proof: PersonProof,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let result = match proof {
        PersonProof::Eid => execute!(
            db,
            sqlx::query("UPDATE users SET person_key = $3, eid_verified_at = $4 WHERE community_id = $1 AND id = $2")
                .bind(community)
                .bind(id)
                .bind(key)
                .bind(now)
        ),
        PersonProof::InPerson { by } => execute!(
            db,
            sqlx::query(
                "UPDATE users SET person_key = $3, verified_in_person_at = $4, verified_in_person_by = $5
             WHERE community_id = $1 AND id = $2"
            )
            .bind(community)
            .bind(id)
            .bind(key)
            .bind(now)
            .bind(by)
        ),
    };
    result.map_err(|e| match DbError::from(e) {
        DbError::Unique(_) => DbError::Unique("users.person_key".into()),
        other => other,
    })?;
    super::changes::changed();
    Ok(())
}

pub async fn set_phone_verified(
    db: &Db,
    community: CommunityId,
    id: UserId,
    phone: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query("UPDATE users SET phone = $3, phone_verified_at = $4 WHERE community_id = $1 AND id = $2")
            .bind(community)
            .bind(id)
            .bind(phone)
            .bind(now)
    )?;
    super::changes::changed();
    Ok(())
}

/// Records (or, with `None`, withdraws) that the person is an internally displaced person
/// registered in the community, as `by` saw on the certificate.
pub async fn set_idp_registered(
    db: &Db,
    community: CommunityId,
    id: UserId,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "UPDATE users SET idp_registered_at = $3, idp_registered_by = $4 WHERE community_id = $1 AND id = $2"
        )
        .bind(community)
        .bind(id)
        .bind(by.map(|_| now))
        .bind(by)
    )?;
    super::changes::changed();
    Ok(())
}

/// Deletes the account; its sessions, tokens and roles go with it.
pub async fn delete(db: &Db, community: CommunityId, id: UserId) -> DbResult<bool> {
    let n =
        execute!(db, sqlx::query("DELETE FROM users WHERE community_id = $1 AND id = $2").bind(community).bind(id))?;
    super::changes::changed();
    Ok(n > 0)
}
