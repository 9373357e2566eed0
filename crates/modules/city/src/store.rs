//! Open City in the database: categories and their areas, reports with their timelines,
//! supporters and subscriptions, and the Open311 clients.

use crate::domain::{self, Action, AreaRule, Bbox, Location, MapPoint, Polygon, Question, Status};
use chrono::{DateTime, Utc};
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{Db, DbError, DbResult, execute, fetch_all, fetch_one, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, GeoPoint, UserId};
use serde::Serialize;
use sqlx::FromRow;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

// ---------- categories ----------

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Category {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub code: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub description_uk: String,
    pub department_id: Option<Uuid>,
    pub questions: Json<Vec<Question>>,
    pub position: i64,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl Category {
    pub fn name(&self, lang: hromada_kernel::Lang) -> &str {
        match lang {
            hromada_kernel::Lang::En => self.name_en.as_deref().unwrap_or(&self.name_uk),
            hromada_kernel::Lang::Uk => &self.name_uk,
        }
    }
}

const CATEGORY_COLUMNS: &str = "SELECT community_id, id, code, name_uk, name_en, description_uk, department_id, \
    questions, position, active, created_at FROM city_categories ";

/// What an administrator sets of a category.
#[derive(Debug, Clone)]
pub struct CategoryFields<'a> {
    pub code: &'a str,
    pub name_uk: &'a str,
    pub name_en: Option<&'a str>,
    pub description_uk: &'a str,
    pub department_id: Option<Uuid>,
    pub questions: Vec<Question>,
    pub active: bool,
}

/// Adds a category after the last one; a taken code is `DbError::Unique`.
pub async fn create_category(
    db: &Db,
    community: CommunityId,
    f: &CategoryFields<'_>,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO city_categories (community_id, id, code, name_uk, name_en, description_uk, department_id,
                                          questions, position, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                     (SELECT COALESCE(MAX(position), 0) + 1 FROM city_categories WHERE community_id = $1), $9, $10)")
            .bind(community).bind(id).bind(f.code).bind(f.name_uk).bind(f.name_en).bind(f.description_uk)
            .bind(f.department_id).bind(Json(&f.questions)).bind(f.active).bind(now)
            .execute(&mut *tx).await?;
    });
    Ok(id)
}

pub async fn update_category(db: &Db, community: CommunityId, id: Uuid, f: &CategoryFields<'_>) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE city_categories SET code = $3, name_uk = $4, name_en = $5, description_uk = $6, department_id = $7,
                    questions = $8, active = $9
             WHERE community_id = $1 AND id = $2"
        )
        .bind(community)
        .bind(id)
        .bind(f.code)
        .bind(f.name_uk)
        .bind(f.name_en)
        .bind(f.description_uk)
        .bind(f.department_id)
        .bind(Json(&f.questions))
        .bind(f.active)
    )?;
    Ok(n > 0)
}

/// The community's categories in their order; with `active_only`, those residents may choose.
pub async fn categories(db: &Db, community: CommunityId, active_only: bool) -> DbResult<Vec<Category>> {
    let sql = if active_only {
        format!("{CATEGORY_COLUMNS} WHERE community_id = $1 AND active ORDER BY position")
    } else {
        format!("{CATEGORY_COLUMNS} WHERE community_id = $1 ORDER BY position")
    };
    // Built from constants only.
    Ok(fetch_all!(db, sqlx::query_as::<_, Category>(sqlx::AssertSqlSafe(sql.as_str())).bind(community))?)
}

pub async fn category(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Category>> {
    let sql = format!("{CATEGORY_COLUMNS} WHERE community_id = $1 AND id = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Category>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(id))?)
}

pub async fn category_by_code(db: &Db, community: CommunityId, code: &str) -> DbResult<Option<Category>> {
    let sql = format!("{CATEGORY_COLUMNS} WHERE community_id = $1 AND code = $2");
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Category>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(code)
    )?)
}

/// Gives a community the default categories, once (none yet).
pub async fn seed_default_categories(db: &Db, community: CommunityId, now: DateTime<Utc>) -> DbResult<()> {
    if !categories(db, community, false).await?.is_empty() {
        return Ok(());
    }
    for (code, name_uk, name_en, description) in domain::DEFAULT_CATEGORIES {
        let f = CategoryFields {
            code,
            name_uk,
            name_en: Some(name_en),
            description_uk: description,
            department_id: None,
            questions: vec![],
            active: true,
        };
        create_category(db, community, &f, now).await?;
    }
    Ok(())
}

/// A category's routing by area.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Area {
    pub id: Uuid,
    pub category_id: Uuid,
    pub department_id: Uuid,
    pub settlement_id: Option<Uuid>,
    pub polygon: Option<Json<Polygon>>,
    pub label: String,
}

pub async fn add_area(
    db: &Db,
    community: CommunityId,
    category: Uuid,
    department: Uuid,
    settlement: Option<Uuid>,
    polygon: Option<&Polygon>,
    label: &str,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO city_category_areas (community_id, id, category_id, department_id, settlement_id, polygon, label, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7,
                     (SELECT COALESCE(MAX(position), 0) + 1 FROM city_category_areas WHERE community_id = $1 AND category_id = $3))")
            .bind(community).bind(id).bind(category).bind(department).bind(settlement).bind(polygon.map(Json))
            .bind(label).execute(&mut *tx).await?;
    });
    Ok(id)
}

pub async fn areas(db: &Db, community: CommunityId, category: Uuid) -> DbResult<Vec<Area>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Area>(
            "SELECT id, category_id, department_id, settlement_id, polygon, label FROM city_category_areas
             WHERE community_id = $1 AND category_id = $2 ORDER BY position"
        )
        .bind(community)
        .bind(category)
    )?)
}

pub async fn delete_area(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM city_category_areas WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n > 0)
}

/// The department a report of `category` at `place` goes to.
pub async fn route(db: &Db, community: CommunityId, category: &Category, place: &Location) -> DbResult<Option<Uuid>> {
    let rules: Vec<AreaRule> = areas(db, community, category.id)
        .await?
        .into_iter()
        .map(|a| AreaRule { department: a.department_id, settlement: a.settlement_id, polygon: a.polygon.map(|p| p.0) })
        .collect();
    Ok(domain::route(category.department_id, &rules, place))
}

// ---------- reports ----------

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Report {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub number: i64,
    pub category_id: Uuid,
    pub author_id: Option<UserId>,
    pub author_name: String,
    pub author_email: Option<String>,
    pub description: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub settlement_id: Option<Uuid>,
    pub address: String,
    pub department_id: Option<Uuid>,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub merged_into: Option<Uuid>,
    pub support_count: i64,
    pub answers: Json<BTreeMap<String, String>>,
    pub source: String,
    pub api_client_id: Option<Uuid>,
    pub token: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Report {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Moderation)
    }

    /// Everyone may see it: published (a duplicate stays reachable, pointing to its report).
    pub fn public(&self) -> bool {
        self.published_at.is_some()
    }

    pub fn point(&self) -> Option<GeoPoint> {
        GeoPoint::new(self.lat?, self.lon?)
    }
}

const REPORT_COLUMNS: &str = "SELECT community_id, id, number, category_id, author_id, author_name, author_email, \
    description, lat, lon, settlement_id, address, department_id, status, rejection_reason, merged_into, \
    support_count, answers, source, api_client_id, token, created_at, published_at, updated_at FROM city_reports ";

/// A report as filed, on the web or through Open311.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub category: &'a Category,
    pub author_id: Option<UserId>,
    pub author_name: &'a str,
    pub author_email: Option<&'a str>,
    pub description: &'a str,
    pub location: &'a Location,
    pub department: Option<Uuid>,
    pub answers: BTreeMap<String, String>,
    /// `web` or `open311`.
    pub source: &'a str,
    pub api_client: Option<Uuid>,
    pub token: Option<&'a str>,
}

/// Files a report for moderation, numbered after the community's last one; its author follows it.
pub async fn create(db: &Db, community: CommunityId, new: NewReport<'_>, now: DateTime<Utc>) -> DbResult<Report> {
    let id = hromada_kernel::new_id();
    let point = new.location.point;
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO city_reports (community_id, id, number, category_id, author_id, author_name, author_email,
                 description, lat, lon, settlement_id, address, department_id, status, support_count, answers,
                 source, api_client_id, token, created_at, updated_at)
             VALUES ($1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM city_reports WHERE community_id = $1),
                     $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'moderation', 0, $13, $14, $15, $16, $17, $17)")
            .bind(community).bind(id).bind(new.category.id).bind(new.author_id).bind(new.author_name)
            .bind(new.author_email).bind(new.description).bind(point.map(|p| p.lat)).bind(point.map(|p| p.lon))
            .bind(new.location.settlement).bind(&new.location.address).bind(new.department).bind(Json(&new.answers))
            .bind(new.source).bind(new.api_client).bind(new.token).bind(now)
            .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO city_events (community_id, report_id, id, at, kind, status, actor_id, actor_name, note)
             VALUES ($1, $2, $3, $4, 'submitted', 'moderation', $5, '', '')")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(new.author_id)
            .execute(&mut *tx).await?;
        if let Some(author) = new.author_id {
            sqlx::query(
                "INSERT INTO city_subscriptions (community_id, user_id, kind, target_id, created_at)
                 VALUES ($1, $2, 'report', $3, $4) ON CONFLICT DO NOTHING")
                .bind(community).bind(author).bind(id).bind(now).execute(&mut *tx).await?;
        }
    });
    get(db, community, id).await?.ok_or(DbError::NotFound)
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Report>> {
    let sql = format!("{REPORT_COLUMNS} WHERE community_id = $1 AND id = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(id))?)
}

pub async fn by_number(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<Report>> {
    let sql = format!("{REPORT_COLUMNS} WHERE community_id = $1 AND number = $2");
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(number)
    )?)
}

pub async fn by_token(db: &Db, community: CommunityId, token: &str) -> DbResult<Option<Report>> {
    let sql = format!("{REPORT_COLUMNS} WHERE community_id = $1 AND token = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(token))?)
}

/// Which reports a list, a map, a feed or Open311 asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Empty: any status. Published reports only unless `unpublished` is set.
    pub statuses: Vec<Status>,
    pub categories: Vec<Uuid>,
    pub settlement: Option<Uuid>,
    pub numbers: Vec<i64>,
    pub bbox: Option<Bbox>,
    /// On the filing time.
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only reports routed to these departments (an officer's work list).
    pub departments: Option<Vec<Uuid>>,
    /// Include reports still in moderation or refused there (officials' lists).
    pub unpublished: bool,
    /// Leave out duplicates merged into others.
    pub without_merged: bool,
}

/// A value bound to a query built from parts.
enum Arg {
    Uuid(Uuid),
    Text(&'static str),
    Int(i64),
    Float(f64),
    Time(DateTime<Utc>),
}

fn where_clause(f: &Filter) -> (String, Vec<Arg>) {
    let mut sql = String::from("WHERE community_id = $1");
    let mut args: Vec<Arg> = vec![];
    let next = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len() + 1)
    };
    let any_of = |sql: &mut String, column: &str, values: Vec<Arg>, args: &mut Vec<Arg>| {
        let marks: Vec<String> = values.into_iter().map(|v| next(args, v)).collect();
        sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
    };
    if !f.unpublished {
        sql.push_str(" AND published_at IS NOT NULL");
    }
    if f.without_merged {
        sql.push_str(" AND status <> 'merged'");
    }
    if !f.statuses.is_empty() {
        any_of(&mut sql, "status", f.statuses.iter().map(|s| Arg::Text(s.code())).collect(), &mut args);
    }
    if !f.categories.is_empty() {
        any_of(&mut sql, "category_id", f.categories.iter().map(|c| Arg::Uuid(*c)).collect(), &mut args);
    }
    if !f.numbers.is_empty() {
        any_of(&mut sql, "number", f.numbers.iter().map(|n| Arg::Int(*n)).collect(), &mut args);
    }
    if let Some(departments) = &f.departments {
        if departments.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            any_of(&mut sql, "department_id", departments.iter().map(|d| Arg::Uuid(*d)).collect(), &mut args);
        }
    }
    let cmp = |sql: &mut String, column: &str, op: &str, value: Arg, args: &mut Vec<Arg>| {
        let mark = next(args, value);
        sql.push_str(&format!(" AND {column} {op} {mark}"));
    };
    if let Some(s) = f.settlement {
        cmp(&mut sql, "settlement_id", "=", Arg::Uuid(s), &mut args);
    }
    if let Some(b) = f.bbox {
        cmp(&mut sql, "lat", ">=", Arg::Float(b.south), &mut args);
        cmp(&mut sql, "lat", "<=", Arg::Float(b.north), &mut args);
        cmp(&mut sql, "lon", ">=", Arg::Float(b.west), &mut args);
        cmp(&mut sql, "lon", "<=", Arg::Float(b.east), &mut args);
    }
    if let Some(t) = f.since {
        cmp(&mut sql, "created_at", ">=", Arg::Time(t), &mut args);
    }
    if let Some(t) = f.until {
        cmp(&mut sql, "created_at", "<=", Arg::Time(t), &mut args);
    }
    (sql, args)
}

/// Reports matching the filter, the newest first.
pub async fn list(db: &Db, community: CommunityId, f: &Filter, limit: i64, offset: i64) -> DbResult<Vec<Report>> {
    let (clause, args) = where_clause(f);
    let n = args.len();
    let sql = format!("{REPORT_COLUMNS} {clause} ORDER BY number DESC LIMIT ${} OFFSET ${}", n + 2, n + 3);
    // Only fixed fragments and numbered placeholders go into the text; every value is bound.
    Ok(fetch_all!(db, {
        let mut q = sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(community);
        for a in &args {
            q = match a {
                Arg::Uuid(v) => q.bind(*v),
                Arg::Text(v) => q.bind(*v),
                Arg::Int(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::Time(v) => q.bind(*v),
            };
        }
        q.bind(limit).bind(offset)
    })?)
}

/// The points of the reports matching the filter, for clustering (at most `limit`).
pub async fn map_points(db: &Db, community: CommunityId, f: &Filter, limit: i64) -> DbResult<Vec<MapPoint>> {
    let (clause, args) = where_clause(f);
    let sql = format!(
        "SELECT number, lat, lon FROM city_reports {clause} AND lat IS NOT NULL AND lon IS NOT NULL
         ORDER BY number DESC LIMIT ${}",
        args.len() + 2
    );
    let rows: Vec<(i64, f64, f64)> = fetch_all!(db, {
        let mut q = sqlx::query_as::<_, (i64, f64, f64)>(sqlx::AssertSqlSafe(sql.as_str())).bind(community);
        for a in &args {
            q = match a {
                Arg::Uuid(v) => q.bind(*v),
                Arg::Text(v) => q.bind(*v),
                Arg::Int(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::Time(v) => q.bind(*v),
            };
        }
        q.bind(limit)
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(number, lat, lon)| Some(MapPoint { point: GeoPoint::new(lat, lon)?, number }))
        .collect())
}

/// Why a step could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Transition(#[from] domain::TransitionError),
    #[error("a duplicate goes into a published report other than itself")]
    BadMergeTarget,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        StepError::Db(e.into())
    }
}

/// Who takes a step, as the timeline shows it.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    pub id: Option<UserId>,
    pub name: &'a str,
}

/// Publishes, refuses or moves a report to another status; `note` is the official comment (the
/// reason of a refusal). Noted in the timeline.
pub async fn step(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    action: Action,
    actor: &Actor<'_>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Report, StepError> {
    write_tx!(db, tx => {
        // Locks the row on PostgreSQL for the read that follows.
        sqlx::query("UPDATE city_reports SET status = status WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?;
        let row: Option<(String,)> = sqlx::query_as("SELECT status FROM city_reports WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).fetch_optional(&mut *tx).await?;
        let current = Status::parse(&row.ok_or(DbError::NotFound)?.0).unwrap_or(Status::Moderation);
        if action == Action::MergeInto {
            return Err(StepError::Transition(domain::TransitionError { from: current }));
        }
        let next = domain::apply(current, action)?;
        let (kind, reason) = match action {
            Action::Publish => ("published", None),
            Action::RejectInModeration => ("rejected", Some(note)),
            Action::SetStatus(Status::Rejected) => ("status", Some(note)),
            _ => ("status", None),
        };
        sqlx::query(
            "UPDATE city_reports SET status = $3, updated_at = $4,
                    published_at = CASE WHEN $5 THEN $4 ELSE published_at END,
                    rejection_reason = CASE WHEN $6 THEN $7 ELSE rejection_reason END
             WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).bind(next.code()).bind(now).bind(action == Action::Publish)
            .bind(reason.is_some()).bind(reason)
            .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO city_events (community_id, report_id, id, at, kind, status, actor_id, actor_name, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(kind).bind(next.code())
            .bind(actor.id).bind(actor.name).bind(note)
            .execute(&mut *tx).await?;
    });
    get(db, community, id).await?.ok_or(StepError::Db(DbError::NotFound))
}

/// An official's comment without a change of status.
pub async fn comment(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    actor: &Actor<'_>,
    note: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    write_tx!(db, tx => {
        sqlx::query(
            "INSERT INTO city_events (community_id, report_id, id, at, kind, status, actor_id, actor_name, note)
             VALUES ($1, $2, $3, $4, 'comment', NULL, $5, $6, $7)")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(actor.id).bind(actor.name).bind(note)
            .execute(&mut *tx).await?;
        sqlx::query("UPDATE city_reports SET updated_at = $3 WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).bind(now).execute(&mut *tx).await?;
    });
    Ok(())
}

#[derive(FromRow)]
struct MergeRow {
    status: String,
    published_at: Option<DateTime<Utc>>,
    author_id: Option<UserId>,
}

/// Joins `duplicate` to `target`: its supporters (and its author) support the target, once
/// each — a person who supported both counts once, and the target's author never supports
/// their own report; its followers follow the target. Both timelines note it.
pub async fn merge(
    db: &Db,
    community: CommunityId,
    duplicate: Uuid,
    target: Uuid,
    actor: &Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Report, StepError> {
    if duplicate == target {
        return Err(StepError::BadMergeTarget);
    }
    write_tx!(db, tx => {
        // Both rows locked, in a fixed order so that two merges cannot wait on each other.
        let (first, second) = if duplicate < target { (duplicate, target) } else { (target, duplicate) };
        for id in [first, second] {
            sqlx::query("UPDATE city_reports SET status = status WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).execute(&mut *tx).await?;
        }
        let read = "SELECT status, published_at, author_id FROM city_reports WHERE community_id = $1 AND id = $2";
        let dup: MergeRow = sqlx::query_as(read).bind(community).bind(duplicate).fetch_optional(&mut *tx).await?
            .ok_or(DbError::NotFound)?;
        let into: MergeRow = sqlx::query_as(read).bind(community).bind(target).fetch_optional(&mut *tx).await?
            .ok_or(StepError::BadMergeTarget)?;
        let into_status = Status::parse(&into.status).unwrap_or(Status::Moderation);
        if !domain::may_receive_merge(into_status, into.published_at.is_some()) {
            return Err(StepError::BadMergeTarget);
        }
        let from = Status::parse(&dup.status).unwrap_or(Status::Moderation);
        domain::apply(from, Action::MergeInto)?;
        // `target_author` is NULL for an Open311 report without an account; then nobody is left out.
        sqlx::query(
            "INSERT INTO city_supports (community_id, report_id, user_id, created_at)
             SELECT community_id, $3, user_id, created_at FROM city_supports
             WHERE community_id = $1 AND report_id = $2 AND ($4 IS NULL OR user_id <> $4)
             ON CONFLICT DO NOTHING")
            .bind(community).bind(duplicate).bind(target).bind(into.author_id)
            .execute(&mut *tx).await?;
        if let Some(author) = dup.author_id.filter(|a| Some(*a) != into.author_id) {
            sqlx::query(
                "INSERT INTO city_supports (community_id, report_id, user_id, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING")
                .bind(community).bind(target).bind(author).bind(now).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO city_subscriptions (community_id, user_id, kind, target_id, created_at)
             SELECT community_id, user_id, kind, $3, $4 FROM city_subscriptions
             WHERE community_id = $1 AND kind = 'report' AND target_id = $2
             ON CONFLICT DO NOTHING")
            .bind(community).bind(duplicate).bind(target).bind(now).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM city_supports WHERE community_id = $1 AND report_id = $2")
            .bind(community).bind(duplicate).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE city_reports SET status = 'merged', merged_into = $3, support_count = 0, updated_at = $4
             WHERE community_id = $1 AND id = $2")
            .bind(community).bind(duplicate).bind(target).bind(now).execute(&mut *tx).await?;
        // Counted from the rows, not added up: that is what keeps a person from counting twice.
        sqlx::query(
            "UPDATE city_reports SET updated_at = $3,
                    support_count = (SELECT COUNT(*) FROM city_supports WHERE community_id = $1 AND report_id = $2)
             WHERE community_id = $1 AND id = $2")
            .bind(community).bind(target).bind(now).execute(&mut *tx).await?;
        let numbers: Vec<(Uuid, i64)> = sqlx::query_as(
            "SELECT id, number FROM city_reports WHERE community_id = $1 AND id IN ($2, $3)")
            .bind(community).bind(duplicate).bind(target).fetch_all(&mut *tx).await?;
        let number_of = |id: Uuid| numbers.iter().find(|(i, _)| *i == id).map(|(_, n)| n.to_string()).unwrap_or_default();
        for (report, kind, other, status) in [
            (duplicate, "merged_into", number_of(target), Some("merged")),
            (target, "merged_in", number_of(duplicate), None),
        ] {
            sqlx::query(
                "INSERT INTO city_events (community_id, report_id, id, at, kind, status, actor_id, actor_name, note)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(community).bind(report).bind(hromada_kernel::new_id()).bind(now).bind(kind).bind(status)
                .bind(actor.id).bind(actor.name).bind(other)
                .execute(&mut *tx).await?;
        }
    });
    get(db, community, target).await?.ok_or(StepError::Db(DbError::NotFound))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportOutcome {
    Supported {
        count: i64,
    },
    AlreadySupported,
    /// Not published, merged or closed, or the person's own report.
    NotOpen,
}

/// "I have this too": one row per person per report, whatever the race; the count moves only
/// with a row that was really added.
pub async fn support(
    db: &Db,
    community: CommunityId,
    report: Uuid,
    user: UserId,
    now: DateTime<Utc>,
) -> DbResult<SupportOutcome> {
    let outcome = write_tx!(db, tx => {
        let row: Option<(String, Option<DateTime<Utc>>, Option<UserId>)> = sqlx::query_as(
            "SELECT status, published_at, author_id FROM city_reports WHERE community_id = $1 AND id = $2")
            .bind(community).bind(report).fetch_optional(&mut *tx).await?;
        let Some((status, published, author)) = row else { return Err(DbError::NotFound) };
        let open = published.is_some() && Status::parse(&status).is_some_and(|s| s.is_open()) && author != Some(user);
        if !open {
            SupportOutcome::NotOpen
        } else {
            let added = sqlx::query(
                "INSERT INTO city_supports (community_id, report_id, user_id, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING")
                .bind(community).bind(report).bind(user).bind(now).execute(&mut *tx).await?.rows_affected();
            if added == 0 {
                SupportOutcome::AlreadySupported
            } else {
                let (count,): (i64,) = sqlx::query_as(
                    "UPDATE city_reports SET support_count = support_count + 1
                     WHERE community_id = $1 AND id = $2 RETURNING support_count")
                    .bind(community).bind(report).fetch_one(&mut *tx).await?;
                SupportOutcome::Supported { count }
            }
        }
    });
    Ok(outcome)
}

pub async fn has_supported(db: &Db, community: CommunityId, report: Uuid, user: UserId) -> DbResult<bool> {
    let row: Option<(i64,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM city_supports WHERE community_id = $1 AND report_id = $2 AND user_id = $3"
        )
        .bind(community)
        .bind(report)
        .bind(user)
    )?;
    Ok(row.is_some())
}

pub async fn supporters(db: &Db, community: CommunityId, report: Uuid) -> DbResult<Vec<UserId>> {
    let rows: Vec<(Uuid,)> = fetch_all!(
        db,
        sqlx::query_as("SELECT user_id FROM city_supports WHERE community_id = $1 AND report_id = $2 ORDER BY user_id")
            .bind(community)
            .bind(report)
    )?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub status: Option<String>,
    pub actor_id: Option<UserId>,
    pub actor_name: String,
    pub note: String,
}

/// Every step of a report, oldest first.
pub async fn timeline(db: &Db, community: CommunityId, report: Uuid) -> DbResult<Vec<Event>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Event>(
            "SELECT at, kind, status, actor_id, actor_name, note FROM city_events
             WHERE community_id = $1 AND report_id = $2 ORDER BY at, id"
        )
        .bind(community)
        .bind(report)
    )?)
}

/// The latest official note on a report (Open311's `status_notes`).
pub async fn latest_note(db: &Db, community: CommunityId, report: Uuid) -> DbResult<Option<String>> {
    let row: Option<(String,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT note FROM city_events WHERE community_id = $1 AND report_id = $2 AND note <> ''
             AND kind IN ('status', 'comment', 'rejected') ORDER BY at DESC, id DESC LIMIT 1"
        )
        .bind(community)
        .bind(report)
    )?;
    Ok(row.map(|r| r.0))
}

/// Reports by status, for the dashboard.
pub async fn count_in(db: &Db, community: CommunityId, status: Status) -> DbResult<i64> {
    let (n,): (i64,) = fetch_one!(
        db,
        sqlx::query_as("SELECT COUNT(*) FROM city_reports WHERE community_id = $1 AND status = $2")
            .bind(community)
            .bind(status.code())
    )?;
    Ok(n)
}

// ---------- subscriptions ----------

/// What a person follows: one report, or an area (a settlement) for new reports in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Report(Uuid),
    Area(Uuid),
}

impl Follow {
    fn parts(self) -> (&'static str, Uuid) {
        match self {
            Follow::Report(id) => ("report", id),
            Follow::Area(id) => ("area", id),
        }
    }
}

pub async fn subscribe(
    db: &Db,
    community: CommunityId,
    user: UserId,
    what: Follow,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let (kind, target) = what.parts();
    execute!(
        db,
        sqlx::query(
            "INSERT INTO city_subscriptions (community_id, user_id, kind, target_id, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
        )
        .bind(community)
        .bind(user)
        .bind(kind)
        .bind(target)
        .bind(now)
    )?;
    Ok(())
}

pub async fn unsubscribe(db: &Db, community: CommunityId, user: UserId, what: Follow) -> DbResult<()> {
    let (kind, target) = what.parts();
    execute!(
        db,
        sqlx::query(
            "DELETE FROM city_subscriptions WHERE community_id = $1 AND user_id = $2 AND kind = $3 AND target_id = $4"
        )
        .bind(community)
        .bind(user)
        .bind(kind)
        .bind(target)
    )?;
    Ok(())
}

pub async fn is_subscribed(db: &Db, community: CommunityId, user: UserId, what: Follow) -> DbResult<bool> {
    let (kind, target) = what.parts();
    let row: Option<(i64,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM city_subscriptions WHERE community_id = $1 AND user_id = $2 AND kind = $3 AND target_id = $4"
        )
        .bind(community)
        .bind(user)
        .bind(kind)
        .bind(target)
    )?;
    Ok(row.is_some())
}

pub async fn subscribers(db: &Db, community: CommunityId, what: Follow) -> DbResult<Vec<UserId>> {
    let (kind, target) = what.parts();
    let rows: Vec<(Uuid,)> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT user_id FROM city_subscriptions WHERE community_id = $1 AND kind = $2 AND target_id = $3
             ORDER BY user_id"
        )
        .bind(community)
        .bind(kind)
        .bind(target)
    )?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---------- Open311 clients ----------

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ApiClient {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Registers a client under the hash of its key.
pub async fn add_client(
    db: &Db,
    community: CommunityId,
    name: &str,
    key_hash: &[u8],
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(
        db,
        sqlx::query(
            "INSERT INTO city_api_clients (community_id, id, name, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(community)
        .bind(id)
        .bind(name)
        .bind(key_hash)
        .bind(now)
    )?;
    Ok(id)
}

pub async fn clients(db: &Db, community: CommunityId) -> DbResult<Vec<ApiClient>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, ApiClient>(
            "SELECT id, name, created_at, revoked_at FROM city_api_clients WHERE community_id = $1 ORDER BY created_at"
        )
        .bind(community)
    )?)
}

/// The live client with this key hash in the community.
pub async fn client_by_key(db: &Db, community: CommunityId, key_hash: &[u8]) -> DbResult<Option<ApiClient>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, ApiClient>(
            "SELECT id, name, created_at, revoked_at FROM city_api_clients
             WHERE community_id = $1 AND key_hash = $2 AND revoked_at IS NULL"
        )
        .bind(community)
        .bind(key_hash)
    )?)
}

pub async fn revoke_client(db: &Db, community: CommunityId, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE city_api_clients SET revoked_at = $3 WHERE community_id = $1 AND id = $2 AND revoked_at IS NULL"
        )
        .bind(community)
        .bind(id)
        .bind(now)
    )?;
    Ok(n > 0)
}
