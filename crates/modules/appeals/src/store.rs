//! Appeals in the database: registration with the community's running number, the steps of
//! their handling with the dates the law attaches, and the timeline.

use crate::domain::{self, Action, Kind, Status, Study};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{Db, DbError, DbResult, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, UserId, WorkingCalendar};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Appeal {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub number: String,
    pub year: i64,
    pub seq: i64,
    pub kind: String,
    pub author_id: UserId,
    pub full_name: String,
    pub settlement: String,
    pub street: String,
    pub contact: String,
    pub essence: String,
    pub complaint_about: Option<Uuid>,
    pub publish_consent: bool,
    pub status: String,
    pub study: Option<String>,
    pub department_id: Option<Uuid>,
    pub officer_id: Option<UserId>,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub answer_due: NaiveDate,
    pub extension_reason: Option<String>,
    pub answer_text: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub forwarded_to: Option<String>,
    pub return_reason: Option<String>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub category: String,
    pub from_petition: Option<Uuid>,
}

impl Appeal {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Registered)
    }

    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Statement)
    }
}

macro_rules! select_appeals {
    ($tail:literal) => {
        concat!(
            "SELECT community_id, id, number, year, seq, kind, author_id, full_name, settlement, street, contact, \
             essence, complaint_about, publish_consent, status, study, department_id, officer_id, received_at, \
             received_on, answer_due, extension_reason, answer_text, answered_at, forwarded_to, return_reason, \
             rating, rating_comment, category, from_petition FROM appeals ",
            $tail
        )
    };
}

/// An appeal as its author sends it, already checked with [`domain::check`].
#[derive(Debug, Clone)]
pub struct NewAppeal<'a> {
    pub kind: Kind,
    pub author_id: UserId,
    pub full_name: &'a str,
    pub settlement: &'a str,
    pub street: &'a str,
    pub contact: &'a str,
    pub essence: &'a str,
    pub complaint_about: Option<Uuid>,
    pub publish_consent: bool,
    pub category: &'a str,
    /// The form's one-time key: the same form sent twice registers one appeal.
    pub submission_key: Option<&'a str>,
    /// The petition this appeal was passed on from.
    pub from_petition: Option<Uuid>,
}

/// The outcome of [`register`]: the appeal, and whether this call registered it or found the
/// one an earlier identical submission did.
#[derive(Debug, Clone)]
pub struct Registered {
    pub appeal: Appeal,
    pub new: bool,
}

/// Registers an appeal on receipt: the next number of the community's year, and the answer
/// due in 15 days until an official decides it needs study (then a month).
pub async fn register(
    db: &Db,
    community: CommunityId,
    new: &NewAppeal<'_>,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> DbResult<Registered> {
    let mut id = hromada_kernel::new_id();
    let mut new_row = true;
    let received_on = now.date_naive();
    let year = i64::from(received_on.year());
    let due = domain::answer_due(received_on, Study::NotNeeded, calendar);
    write_tx!(db, tx => {
        // Numbers follow each other without gaps or repeats, even across app nodes.
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        // Under the lock, a repeated submission finds the first one; the unique indexes back this.
        let earlier: Option<(Uuid,)> = sqlx::query_as(
            "SELECT id FROM appeals WHERE community_id = $1
               AND ((author_id = $2 AND submission_key = $3) OR from_petition = $4)")
            .bind(community).bind(new.author_id).bind(new.submission_key).bind(new.from_petition)
            .fetch_optional(&mut *tx).await?;
        if let Some((existing,)) = earlier {
            id = existing;
            new_row = false;
        } else {
        let (last,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(seq) FROM appeals WHERE community_id = $1 AND year = $2")
                .bind(community).bind(year).fetch_one(&mut *tx).await?;
        let seq = last.unwrap_or(0) + 1;
        let number = domain::registration_number(received_on.year(), seq as u64);
        sqlx::query(
            "INSERT INTO appeals (community_id, id, number, year, seq, kind, author_id, full_name, settlement, street,
                                  contact, essence, complaint_about, publish_consent, status, received_at,
                                  received_on, answer_due, category, submission_key, from_petition)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'registered', $15, $16, $17,
                     $18, $19, $20)")
            .bind(community).bind(id).bind(&number).bind(year).bind(seq).bind(new.kind.code()).bind(new.author_id)
            .bind(new.full_name.trim()).bind(new.settlement.trim()).bind(new.street.trim()).bind(new.contact.trim())
            .bind(new.essence.trim()).bind(new.complaint_about).bind(new.publish_consent).bind(now)
            .bind(received_on).bind(due).bind(new.category).bind(new.submission_key).bind(new.from_petition)
            .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO appeal_events (community_id, appeal_id, id, at, status, actor_id, note)
             VALUES ($1, $2, $3, $4, 'registered', $5, $6)")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(new.author_id).bind(&number)
            .execute(&mut *tx).await?;
        }
    });
    let appeal = get(db, community, id).await?.ok_or(DbError::NotFound)?;
    Ok(Registered { appeal, new: new_row })
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Appeal>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Appeal>(select_appeals!("WHERE community_id = $1 AND id = $2")).bind(community).bind(id)
    )?)
}

pub async fn by_number(db: &Db, community: CommunityId, number: &str) -> DbResult<Option<Appeal>> {
    let Some((year, seq)) = domain::parse_registration_number(number) else { return Ok(None) };
    by_reference(db, community, i64::from(year), seq as i64).await
}

/// By the year and running number of its registration number.
pub async fn by_reference(db: &Db, community: CommunityId, year: i64, seq: i64) -> DbResult<Option<Appeal>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Appeal>(select_appeals!("WHERE community_id = $1 AND year = $2 AND seq = $3"))
            .bind(community)
            .bind(year)
            .bind(seq)
    )?)
}

/// An author's own appeals, newest first.
pub async fn of_author(db: &Db, community: CommunityId, author: UserId) -> DbResult<Vec<Appeal>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Appeal>(select_appeals!(
            "WHERE community_id = $1 AND author_id = $2 ORDER BY received_at DESC, seq DESC"
        ))
        .bind(community)
        .bind(author)
    )?)
}

/// Open appeals, the soonest due first: the officials' inbox.
pub async fn open(db: &Db, community: CommunityId, limit: i64) -> DbResult<Vec<Appeal>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Appeal>(select_appeals!(
            "WHERE community_id = $1 AND status IN ('registered', 'assigned', 'in_progress', 'extended')
             ORDER BY answer_due, seq LIMIT $2"
        ))
        .bind(community)
        .bind(limit)
    )?)
}

/// How many appeals wait for the body.
pub async fn count_open(db: &Db, community: CommunityId) -> DbResult<i64> {
    let (n,): (i64,) = hromada_db::fetch_one!(
        db,
        sqlx::query_as(
            "SELECT COUNT(*) FROM appeals WHERE community_id = $1
               AND status IN ('registered', 'assigned', 'in_progress', 'extended')"
        )
        .bind(community)
    )?;
    Ok(n)
}

/// What a step carries besides the step itself.
#[derive(Debug, Clone, Default)]
pub struct StepDetails<'a> {
    pub department: Option<Uuid>,
    pub officer: Option<UserId>,
    /// Taken up: whether the answer needs extra study (a month instead of 15 days).
    pub study: Option<Study>,
    /// An extension's new due date; the note is its reason.
    pub extend_to: Option<NaiveDate>,
    /// Where an appeal is forwarded.
    pub forwarded_to: Option<&'a str>,
    /// The answer, or the reason for returning or extending; goes to the timeline.
    pub note: &'a str,
    pub rating: Option<u8>,
}

/// Why a step could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Transition(#[from] domain::TransitionError),
    #[error(transparent)]
    Extension(#[from] domain::ExtensionError),
    #[error("the step needs more: {0}")]
    Incomplete(&'static str),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        StepError::Db(e.into())
    }
}

#[derive(FromRow)]
struct StepRow {
    status: String,
    received_on: NaiveDate,
    answer_due: NaiveDate,
}

/// Takes a step of the workflow with what the law attaches to it, and notes it in the timeline.
#[allow(clippy::too_many_arguments)]
pub async fn step(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    action: Action,
    actor: Option<UserId>,
    details: &StepDetails<'_>,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Result<Appeal, StepError> {
    let note = details.note.trim();
    match action {
        Action::Answer | Action::Return | Action::Extend if note.is_empty() => {
            return Err(StepError::Incomplete("note"));
        }
        Action::Forward if details.forwarded_to.is_none_or(|f| f.trim().is_empty()) => {
            return Err(StepError::Incomplete("forwarded_to"));
        }
        Action::Assign if details.department.is_none() && details.officer.is_none() => {
            return Err(StepError::Incomplete("department"));
        }
        _ => {}
    }
    write_tx!(db, tx => {
        // The row lock first, so that two officials acting at once take turns.
        sqlx::query("UPDATE appeals SET status = status WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?;
        let row: Option<StepRow> =
            sqlx::query_as("SELECT status, received_on, answer_due FROM appeals WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).fetch_optional(&mut *tx).await?;
        let StepRow { status, received_on, answer_due } = row.ok_or(DbError::NotFound)?;
        let current = Status::parse(&status).unwrap_or(Status::Registered);
        let next = current.apply(action)?;
        match action {
            Action::Assign => {
                sqlx::query("UPDATE appeals SET status = $3, department_id = COALESCE($4, department_id),
                             officer_id = COALESCE($5, officer_id) WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(details.department).bind(details.officer)
                    .execute(&mut *tx).await?;
            }
            Action::Start => {
                let study = details.study.unwrap_or(Study::NotNeeded);
                let due = domain::answer_due(received_on, study, calendar);
                sqlx::query("UPDATE appeals SET status = $3, study = $4, answer_due = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(study.code()).bind(due).execute(&mut *tx).await?;
            }
            Action::Extend => {
                let requested = details.extend_to.ok_or(StepError::Incomplete("extend_to"))?;
                let due = domain::extend(received_on, answer_due, requested, note, calendar)?;
                sqlx::query("UPDATE appeals SET status = $3, answer_due = $4, extension_reason = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(due).bind(note).execute(&mut *tx).await?;
            }
            Action::Answer => {
                sqlx::query("UPDATE appeals SET status = $3, answer_text = $4, answered_at = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(note).bind(now).execute(&mut *tx).await?;
            }
            Action::Close => {
                let rating = details.rating.map(i64::from);
                sqlx::query("UPDATE appeals SET status = $3, rating = $4, rating_comment = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(rating).bind(Some(note).filter(|n| !n.is_empty()))
                    .execute(&mut *tx).await?;
            }
            Action::Forward => {
                sqlx::query("UPDATE appeals SET status = $3, forwarded_to = $4 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(details.forwarded_to.map(str::trim))
                    .execute(&mut *tx).await?;
            }
            Action::Return => {
                sqlx::query("UPDATE appeals SET status = $3, return_reason = $4 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(note).execute(&mut *tx).await?;
            }
        }
        sqlx::query("INSERT INTO appeal_events (community_id, appeal_id, id, at, status, actor_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(next.code()).bind(actor).bind(note)
            .execute(&mut *tx).await?;
    });
    get(db, community, id).await?.ok_or(StepError::Db(DbError::NotFound))
}

/// One step in an appeal's timeline.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub status: String,
    pub actor_id: Option<UserId>,
    pub note: String,
}

pub async fn timeline(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Vec<Event>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Event>(
            "SELECT at, status, actor_id, note FROM appeal_events WHERE community_id = $1 AND appeal_id = $2
             ORDER BY at, id"
        )
        .bind(community)
        .bind(id)
    )?)
}

// ---------- the officials' inbox ----------

/// What the inbox shows; every part optional.
#[derive(Debug, Clone, Default)]
pub struct InboxFilter<'a> {
    /// A status code; `None` for every open appeal.
    pub status: Option<&'a str>,
    /// Due on or before this day (overdue, due today, due soon).
    pub due_by: Option<NaiveDate>,
    pub category: Option<&'a str>,
    pub department: Option<Uuid>,
    pub settlement: Option<&'a str>,
    /// Only appeals of the departments this officer works for; `None` for the whole body.
    pub officer_scope: Option<UserId>,
}

pub async fn inbox(db: &Db, community: CommunityId, f: &InboxFilter<'_>, limit: i64) -> DbResult<Vec<Appeal>> {
    // Built from fixed fragments only; every value is bound, the unused ones as NULL to keep
    // the numbering.
    let sql = format!(
        "{} WHERE community_id = $1 AND {} AND {} AND {} AND {} AND {} AND {} ORDER BY answer_due, seq LIMIT $8",
        select_appeals!(""),
        if f.status.is_some() {
            "status = $2"
        } else {
            "CAST($2 AS TEXT) IS NULL AND status IN ('registered', 'assigned', 'in_progress', 'extended')"
        },
        if f.due_by.is_some() { "answer_due <= $3" } else { "CAST($3 AS TEXT) IS NULL" },
        if f.category.is_some() { "category = $4" } else { "CAST($4 AS TEXT) IS NULL" },
        if f.department.is_some() { "department_id = $5" } else { "CAST($5 AS TEXT) IS NULL" },
        if f.settlement.is_some() { "settlement = $6" } else { "CAST($6 AS TEXT) IS NULL" },
        if f.officer_scope.is_some() {
            "department_id IN (SELECT department_id FROM department_officers WHERE community_id = $1 AND user_id = $7)"
        } else {
            "CAST($7 AS TEXT) IS NULL"
        },
    );
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Appeal>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(community)
            .bind(f.status)
            .bind(f.due_by)
            .bind(f.category)
            .bind(f.department)
            .bind(f.settlement)
            .bind(f.officer_scope)
            .bind(limit)
    )?)
}

/// Whether an official may see and work an appeal: the whole body's staff may (they register
/// and assign), a department's officers only what is assigned to their department.
pub async fn officer_may_handle(db: &Db, community: CommunityId, appeal: &Appeal, officer: UserId) -> DbResult<bool> {
    if appeal.officer_id == Some(officer) {
        return Ok(true);
    }
    let Some(department) = appeal.department_id else { return Ok(false) };
    let mine = hromada_db::core::departments::departments_of(db, community, officer).await?;
    Ok(mine.contains(&department))
}

// ---------- reminders ----------

/// Open appeals due by `until`, across communities: the reminder job's work list.
pub async fn due_by(db: &Db, until: NaiveDate, limit: i64) -> DbResult<Vec<Appeal>> {
    let sql = concat!(
        select_appeals!(""),
        "WHERE status IN ('registered', 'assigned', 'in_progress', 'extended') AND answer_due <= $1
         ORDER BY answer_due LIMIT $2"
    );
    Ok(fetch_all!(db, sqlx::query_as::<_, Appeal>(sql).bind(until).bind(limit))?)
}

/// Notes a reminder as sent; `false` when it was already (by this node or another).
pub async fn note_reminder(
    db: &Db,
    community: CommunityId,
    appeal: Uuid,
    kind: &str,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "INSERT INTO appeal_reminders (community_id, appeal_id, kind, due_on, sent_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING"
        )
        .bind(community)
        .bind(appeal)
        .bind(kind)
        .bind(due_on)
        .bind(now)
    )?;
    Ok(n > 0)
}

// ---------- the public dashboard ----------

#[derive(Debug, Clone, FromRow)]
pub struct HandledRow {
    pub department_id: Option<Uuid>,
    pub status: String,
    pub received_on: NaiveDate,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer_due: NaiveDate,
}

impl HandledRow {
    pub fn handled(&self) -> domain::Handled {
        domain::Handled {
            received_on: self.received_on,
            answered_on: self.answered_at.map(|t| t.date_naive()),
            answer_due: self.answer_due,
            open: Status::parse(&self.status).is_some_and(Status::open),
        }
    }
}

/// What the dashboard counts: appeals received since `since`, and every one still open.
pub async fn handled_since(db: &Db, community: CommunityId, since: NaiveDate) -> DbResult<Vec<HandledRow>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, HandledRow>(concat!(
            "SELECT department_id, status, received_on, answered_at, answer_due FROM appeals
             WHERE community_id = $1 AND (received_on >= $2 OR status IN ",
            "('registered', 'assigned', 'in_progress', 'extended')",
            ")"
        ))
        .bind(community)
        .bind(since)
    )?)
}

// ---------- published with the author's consent ----------

/// Answered appeals whose authors allowed an anonymised publication, newest answers first.
pub async fn published(db: &Db, community: CommunityId, limit: i64) -> DbResult<Vec<Appeal>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Appeal>(select_appeals!(
            "WHERE community_id = $1 AND publish_consent AND status IN ('answered', 'closed')
             ORDER BY answered_at DESC LIMIT $2"
        ))
        .bind(community)
        .bind(limit)
    )?)
}

// ---------- answer templates ----------

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Template {
    pub id: Uuid,
    pub title: String,
    pub body: String,
}

pub async fn templates(db: &Db, community: CommunityId) -> DbResult<Vec<Template>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Template>(
            "SELECT id, title, body FROM appeal_templates WHERE community_id = $1 ORDER BY title"
        )
        .bind(community)
    )?)
}

pub async fn add_template(
    db: &Db,
    community: CommunityId,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    hromada_db::execute!(
        db,
        sqlx::query(
            "INSERT INTO appeal_templates (community_id, id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(community)
        .bind(id)
        .bind(title.trim())
        .bind(body.trim())
        .bind(now)
    )?;
    Ok(id)
}

pub async fn delete_template(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = hromada_db::execute!(
        db,
        sqlx::query("DELETE FROM appeal_templates WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n > 0)
}
