//! The booking tables: resources with their hours, the days that differ, and the visits.

use crate::domain::{Interval, Refusal, Rules, Status, Week};
use chrono::{DateTime, NaiveDate, Utc};
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{Db, DbError, DbResult, execute, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, Lang, UserId};
use serde::Serialize;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

/// What residents book a time with: a CNAP window or service group, or a doctor.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Resource {
    pub id: Uuid,
    pub kind: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub specialty: String,
    pub place: String,
    pub address: String,
    pub service_number: Option<i64>,
    pub slot_minutes: i64,
    pub horizon_days: i64,
    pub cancel_before_minutes: i64,
    pub week: Json<Week>,
    pub active: bool,
    pub position: i64,
}

impl Resource {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_uk, self.name_en.as_deref())
    }

    pub fn rules(&self) -> Rules {
        Rules {
            slot_minutes: u16::try_from(self.slot_minutes).unwrap_or(15),
            horizon_days: u16::try_from(self.horizon_days).unwrap_or(14),
            cancel_before_minutes: u32::try_from(self.cancel_before_minutes).unwrap_or(0),
        }
    }
}

const RESOURCE_COLUMNS: &str = "id, kind, name_uk, name_en, specialty, place, address, service_number, slot_minutes, \
     horizon_days, cancel_before_minutes, week, active, position";

#[derive(Debug, Clone)]
pub struct NewResource {
    pub kind: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub specialty: String,
    pub place: String,
    pub address: String,
    pub service_number: Option<i64>,
    pub rules: Rules,
    pub week: Week,
    pub active: bool,
}

pub async fn resources(db: &Db, community: CommunityId, inactive_too: bool) -> DbResult<Vec<Resource>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RESOURCE_COLUMNS} FROM booking_resources WHERE community_id = $1 AND (active OR $2)
         ORDER BY kind, specialty, position"
    ));
    Ok(fetch_all!(db, sqlx::query_as::<_, Resource>(sql).bind(community).bind(inactive_too))?)
}

pub async fn resource(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Resource>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RESOURCE_COLUMNS} FROM booking_resources WHERE community_id = $1 AND id = $2"
    ));
    Ok(fetch_optional!(db, sqlx::query_as::<_, Resource>(sql).bind(community).bind(id))?)
}

/// Adds a resource (`id: None`) or changes one; gives its id, `None` when there is no such one.
pub async fn save_resource(
    db: &Db,
    community: CommunityId,
    id: Option<Uuid>,
    r: &NewResource,
) -> DbResult<Option<Uuid>> {
    let week = Json(&r.week);
    let saved = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        match id {
            Some(id) => sqlx::query(
                "UPDATE booking_resources SET kind = $3, name_uk = $4, name_en = $5, specialty = $6, place = $7, address = $8,
                    service_number = $9, slot_minutes = $10, horizon_days = $11, cancel_before_minutes = $12, week = $13, active = $14
                 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).bind(&r.kind).bind(&r.name_uk).bind(&r.name_en).bind(&r.specialty).bind(&r.place)
                .bind(&r.address).bind(r.service_number).bind(i64::from(r.rules.slot_minutes)).bind(i64::from(r.rules.horizon_days))
                .bind(i64::from(r.rules.cancel_before_minutes)).bind(week).bind(r.active)
                .execute(&mut *tx).await?.rows_affected().eq(&1).then_some(id),
            None => {
                let id = hromada_kernel::new_id();
                sqlx::query(
                    "INSERT INTO booking_resources (community_id, id, kind, name_uk, name_en, specialty, place, address, service_number,
                        slot_minutes, horizon_days, cancel_before_minutes, week, active, position)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                             (SELECT COALESCE(MAX(position), 0) + 1 FROM booking_resources WHERE community_id = $1))")
                    .bind(community).bind(id).bind(&r.kind).bind(&r.name_uk).bind(&r.name_en).bind(&r.specialty).bind(&r.place)
                    .bind(&r.address).bind(r.service_number).bind(i64::from(r.rules.slot_minutes)).bind(i64::from(r.rules.horizon_days))
                    .bind(i64::from(r.rules.cancel_before_minutes)).bind(week).bind(r.active)
                    .execute(&mut *tx).await?;
                Some(id)
            }
        }
    });
    Ok(saved)
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Exception {
    pub day: NaiveDate,
    pub hours: Json<Vec<Interval>>,
    pub note: String,
}

pub async fn exceptions(
    db: &Db,
    community: CommunityId,
    resource: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Exception>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Exception>(
            "SELECT day, hours, note FROM booking_exceptions
             WHERE community_id = $1 AND resource_id = $2 AND day >= $3 AND day <= $4 ORDER BY day"
        )
        .bind(community)
        .bind(resource)
        .bind(from)
        .bind(to)
    )?)
}

pub async fn set_exception(
    db: &Db,
    community: CommunityId,
    resource: Uuid,
    day: NaiveDate,
    hours: &[Interval],
    note: &str,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "INSERT INTO booking_exceptions (community_id, resource_id, day, hours, note) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (community_id, resource_id, day) DO UPDATE SET hours = excluded.hours, note = excluded.note"
        )
        .bind(community)
        .bind(resource)
        .bind(day)
        .bind(Json(hours))
        .bind(note)
    )?;
    Ok(())
}

pub async fn delete_exception(db: &Db, community: CommunityId, resource: Uuid, day: NaiveDate) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM booking_exceptions WHERE community_id = $1 AND resource_id = $2 AND day = $3")
            .bind(community)
            .bind(resource)
            .bind(day)
    )?;
    Ok(n == 1)
}

/// A visit: a booked time, a walk-in, and what became of it.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Visit {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub resource_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub user_id: Option<UserId>,
    pub name: String,
    pub phone: Option<String>,
    pub code: String,
    pub status: String,
    pub walk_in: bool,
    pub created_at: DateTime<Utc>,
    pub status_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
}

impl Visit {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Booked)
    }
}

const VISIT_COLUMNS: &str = "community_id, id, resource_id, starts_at, ends_at, user_id, name, phone, code, status, walk_in, \
     created_at, status_at, reminded_at";

/// The starts of the live visits of a resource in `[from, to)`.
pub async fn taken(
    db: &Db,
    community: CommunityId,
    resource: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DbResult<Vec<DateTime<Utc>>> {
    let rows: Vec<(DateTime<Utc>,)> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT starts_at FROM booking_visits
             WHERE community_id = $1 AND resource_id = $2 AND status <> 'cancelled' AND starts_at >= $3 AND starts_at < $4"
        )
        .bind(community)
        .bind(resource)
        .bind(from)
        .bind(to)
    )?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// A visit to write.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub resource: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub user: Option<UserId>,
    pub name: String,
    pub phone: Option<String>,
    pub code: String,
    pub walk_in: bool,
}

#[derive(Debug)]
pub enum BookError {
    Refused(Refusal),
    Db(DbError),
}

impl From<DbError> for BookError {
    fn from(e: DbError) -> Self {
        BookError::Db(e)
    }
}

impl From<sqlx::Error> for BookError {
    fn from(e: sqlx::Error) -> Self {
        BookError::Db(e.into())
    }
}

/// Books a slot. A resident has at most one visit to come per resource (`moving` is the one
/// being moved, cancelled in the same transaction); the slot's uniqueness is the database's.
pub async fn book(
    db: &Db,
    community: CommunityId,
    v: &NewVisit,
    moving: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Visit, BookError> {
    let id = hromada_kernel::new_id();
    let status = if v.walk_in { Status::Arrived } else { Status::Booked };
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        if let Some(user) = v.user {
            if let Some(old) = moving {
                let n = sqlx::query(
                    "UPDATE booking_visits SET status = 'cancelled', status_at = $5
                     WHERE community_id = $1 AND id = $2 AND user_id = $3 AND status = 'booked' AND resource_id = $4")
                    .bind(community).bind(old).bind(user).bind(v.resource).bind(now)
                    .execute(&mut *tx).await?.rows_affected();
                if n != 1 {
                    return Err(BookError::Refused(Refusal::TooLate));
                }
            }
            let (active,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM booking_visits
                 WHERE community_id = $1 AND resource_id = $2 AND user_id = $3 AND status = 'booked' AND starts_at > $4")
                .bind(community).bind(v.resource).bind(user).bind(now)
                .fetch_one(&mut *tx).await?;
            if active > 0 {
                return Err(BookError::Refused(Refusal::AlreadyBooked));
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO booking_visits (community_id, id, resource_id, starts_at, ends_at, user_id, name, phone, code, status,
                walk_in, created_at, status_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)")
            .bind(community).bind(id).bind(v.resource).bind(v.starts_at).bind(v.ends_at).bind(v.user).bind(&v.name)
            .bind(&v.phone).bind(&v.code).bind(status.code()).bind(v.walk_in).bind(now)
            .execute(&mut *tx).await;
        match inserted.map_err(DbError::from) {
            Ok(_) => {}
            Err(e) if e.is_unique_on("starts_at") => return Err(BookError::Refused(Refusal::Taken)),
            Err(e) => return Err(e.into()),
        }
    });
    Ok(Visit {
        community_id: community,
        id,
        resource_id: v.resource,
        starts_at: v.starts_at,
        ends_at: v.ends_at,
        user_id: v.user,
        name: v.name.clone(),
        phone: v.phone.clone(),
        code: v.code.clone(),
        status: status.code().to_owned(),
        walk_in: v.walk_in,
        created_at: now,
        status_at: now,
        reminded_at: None,
    })
}

pub async fn visit(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Visit>> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {VISIT_COLUMNS} FROM booking_visits WHERE community_id = $1 AND id = $2"));
    Ok(fetch_optional!(db, sqlx::query_as::<_, Visit>(sql).bind(community).bind(id))?)
}

pub async fn by_code(db: &Db, community: CommunityId, code: &str) -> DbResult<Option<Visit>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {VISIT_COLUMNS} FROM booking_visits WHERE community_id = $1 AND code = $2"
    ));
    Ok(fetch_optional!(db, sqlx::query_as::<_, Visit>(sql).bind(community).bind(code))?)
}

/// A resident's visits, latest first.
pub async fn of_user(db: &Db, community: CommunityId, user: UserId, limit: i64) -> DbResult<Vec<Visit>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {VISIT_COLUMNS} FROM booking_visits WHERE community_id = $1 AND user_id = $2 ORDER BY starts_at DESC LIMIT $3"
    ));
    Ok(fetch_all!(db, sqlx::query_as::<_, Visit>(sql).bind(community).bind(user).bind(limit))?)
}

/// A resource's visits in `[from, to)`, cancelled ones too, by time.
pub async fn day_visits(
    db: &Db,
    community: CommunityId,
    resource: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DbResult<Vec<Visit>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {VISIT_COLUMNS} FROM booking_visits
         WHERE community_id = $1 AND resource_id = $2 AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at, created_at"
    ));
    Ok(fetch_all!(db, sqlx::query_as::<_, Visit>(sql).bind(community).bind(resource).bind(from).bind(to))?)
}

/// Moves a visit from `from` to `to`; false when it was no longer at `from` (another click won).
pub async fn set_status(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    from: Status,
    to: Status,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE booking_visits SET status = $4, status_at = $5 WHERE community_id = $1 AND id = $2 AND status = $3"
        )
        .bind(community)
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(now)
    )?;
    Ok(n == 1)
}

/// Visits starting in `[from, to)` in any community that have not been reminded of yet.
pub async fn to_remind(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>, limit: i64) -> DbResult<Vec<Visit>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {VISIT_COLUMNS} FROM booking_visits
         WHERE status = 'booked' AND reminded_at IS NULL AND starts_at >= $1 AND starts_at < $2 AND user_id IS NOT NULL
         ORDER BY starts_at LIMIT $3"
    ));
    Ok(fetch_all!(db, sqlx::query_as::<_, Visit>(sql).bind(from).bind(to).bind(limit))?)
}

/// Marks a visit reminded; false when another node did it first.
pub async fn mark_reminded(db: &Db, community: CommunityId, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE booking_visits SET reminded_at = $3 WHERE community_id = $1 AND id = $2 AND reminded_at IS NULL"
        )
        .bind(community)
        .bind(id)
        .bind(now)
    )?;
    Ok(n == 1)
}
