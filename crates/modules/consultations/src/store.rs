//! Surveys and their responses in the database. One response per person per survey is kept by
//! unique indexes, not by a check before writing, so that many identical submissions at once
//! still leave one row.

use crate::domain::{self, Answer, Counts, Slot, Survey, SurveyError};
use chrono::{DateTime, Utc};
use hromada_db::{Db, DbError, DbResult, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, Eligibility, LocalizedText, UserId};
use serde::Serialize;
use sqlx::FromRow;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A per-process count of changes to surveys and their responses, for this node's cache of
/// results; other nodes see a change when their entries expire.
static CHANGES: hromada_db::core::changes::ChangeCounter = hromada_db::core::changes::ChangeCounter::new();

pub fn changes() -> u64 {
    CHANGES.current()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    Survey,
    /// One question on the home page and in the bot.
    Poll,
}

impl SurveyKind {
    pub fn code(self) -> &'static str {
        match self {
            SurveyKind::Survey => "survey",
            SurveyKind::Poll => "poll",
        }
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct StoredSurvey {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub kind: String,
    pub title: Json<LocalizedText>,
    pub description: String,
    pub definition: Json<Survey>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub editable: bool,
    pub anonymous: bool,
    pub results_after_close: bool,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub min_age: i64,
    pub residents_only: bool,
    pub accept_idp: bool,
    /// The stored counts cover every response (false for surveys answered before counts were
    /// kept: the first reading of their results counts them).
    pub counted: bool,
    /// Free-text answers appear in the public results only once a moderator approves them.
    pub texts_premoderated: bool,
}

impl StoredSurvey {
    pub fn eligibility(&self) -> Eligibility {
        Eligibility {
            min_age: u32::try_from(self.min_age).unwrap_or(0),
            residents_only: self.residents_only,
            accept_idp: self.accept_idp,
        }
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }
}

macro_rules! select_surveys {
    ($tail:literal) => {
        concat!(
            "SELECT community_id, id, kind, title, description, definition, opens_at, closes_at, editable, anonymous, \
             results_after_close, created_by, created_at, min_age, residents_only, accept_idp, counted, \
             texts_premoderated FROM surveys ",
            $tail
        )
    };
}

/// A survey as an official builds it.
#[derive(Debug, Clone)]
pub struct NewSurvey<'a> {
    pub kind: SurveyKind,
    pub title: LocalizedText,
    pub description: &'a str,
    pub definition: Survey,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub editable: bool,
    pub anonymous: bool,
    pub results_after_close: bool,
    /// Age and residency, besides the identity level the community asks for answering.
    pub eligibility: Eligibility,
    /// Free-text answers wait for a moderator's approval before they are shown.
    pub texts_premoderated: bool,
    pub created_by: Option<UserId>,
}

/// Why a survey cannot be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Survey(#[from] SurveyError),
    #[error("a survey must close after it opens")]
    Dates,
    #[error("a poll has exactly one choice question")]
    NotAPoll,
    #[error(transparent)]
    Db(#[from] DbError),
}

pub async fn create(
    db: &Db,
    community: CommunityId,
    new: NewSurvey<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, SaveError> {
    new.definition.validate()?;
    if new.closes_at <= new.opens_at {
        return Err(SaveError::Dates);
    }
    if new.kind == SurveyKind::Poll
        && !(new.definition.questions.len() == 1
            && matches!(new.definition.questions[0].kind, crate::domain::QuestionKind::Single { .. }))
    {
        return Err(SaveError::NotAPoll);
    }
    let id = hromada_kernel::new_id();
    // Who answered an anonymous survey cannot be tied to an answer, so one cannot edit it.
    let editable = new.editable && !new.anonymous;
    hromada_db::execute!(
        db,
        sqlx::query(
            "INSERT INTO surveys (community_id, id, kind, title, description, definition, opens_at, closes_at, editable,
                                  anonymous, results_after_close, created_by, created_at, min_age, residents_only,
                                  accept_idp, counted, texts_premoderated)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, TRUE, $17)"
        )
        .bind(community)
        .bind(id)
        .bind(new.kind.code())
        .bind(Json(&new.title))
        .bind(new.description.trim())
        .bind(Json(&new.definition))
        .bind(new.opens_at)
        .bind(new.closes_at)
        .bind(editable)
        .bind(new.anonymous)
        .bind(new.results_after_close)
        .bind(new.created_by)
        .bind(now)
        .bind(i64::from(new.eligibility.min_age))
        .bind(new.eligibility.residents_only)
        .bind(new.eligibility.accept_idp)
        .bind(new.texts_premoderated)
    )
    .map_err(DbError::from)?;
    Ok(id)
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<StoredSurvey>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, StoredSurvey>(select_surveys!("WHERE community_id = $1 AND id = $2"))
            .bind(community)
            .bind(id)
    )?)
}

/// Surveys or polls open at `now`, closing soonest first.
pub async fn open(
    db: &Db,
    community: CommunityId,
    kind: SurveyKind,
    now: DateTime<Utc>,
) -> DbResult<Vec<StoredSurvey>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, StoredSurvey>(select_surveys!(
            "WHERE community_id = $1 AND kind = $2 AND opens_at <= $3 AND closes_at > $3 ORDER BY closes_at"
        ))
        .bind(community)
        .bind(kind.code())
        .bind(now)
    )?)
}

/// Surveys and polls that have closed, newest first: their results are public.
pub async fn closed(db: &Db, community: CommunityId, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<StoredSurvey>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, StoredSurvey>(select_surveys!(
            "WHERE community_id = $1 AND closes_at <= $2 ORDER BY closes_at DESC LIMIT $3"
        ))
        .bind(community)
        .bind(now)
        .bind(limit)
    )?)
}

/// Every survey of the community, newest first, for the officials.
pub async fn all(db: &Db, community: CommunityId) -> DbResult<Vec<StoredSurvey>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, StoredSurvey>(select_surveys!("WHERE community_id = $1 ORDER BY created_at DESC"))
            .bind(community)
    )?)
}

/// Closes a survey now (or leaves it closed).
pub async fn close(db: &Db, community: CommunityId, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = hromada_db::execute!(
        db,
        sqlx::query("UPDATE surveys SET closes_at = $3 WHERE community_id = $1 AND id = $2 AND closes_at > $3")
            .bind(community)
            .bind(id)
            .bind(now)
    )?;
    CHANGES.bump();
    Ok(n > 0)
}

/// Replaces the questions of a survey nobody has answered yet. It waits for a response being
/// stored at the same moment (both take the survey's count of respondents first), so that no
/// response is counted under questions that are no longer there.
pub async fn set_definition(db: &Db, community: CommunityId, id: Uuid, definition: &Survey) -> Result<bool, SaveError> {
    definition.validate()?;
    let changed = replace_definition(db, community, id, definition).await?;
    CHANGES.bump();
    Ok(changed)
}

async fn replace_definition(db: &Db, community: CommunityId, id: Uuid, definition: &Survey) -> DbResult<bool> {
    Ok(write_tx!(db, tx => {
        sqlx::query(LOCK_COUNTS).bind(community).bind(id).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE surveys SET definition = $3 WHERE community_id = $1 AND id = $2
               AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.community_id = $1 AND r.survey_id = $2)
               AND NOT EXISTS (SELECT 1 FROM survey_respondents r WHERE r.community_id = $1 AND r.survey_id = $2)")
            .bind(community).bind(id).bind(Json(definition))
            .execute(&mut *tx).await?.rows_affected() > 0
    }))
}

/// Who is answering, for the one-response rule and the breakdowns.
#[derive(Debug, Clone)]
pub struct Respondent<'a> {
    /// The person key when verified, the account otherwise (as for signatures).
    pub key: &'a [u8],
    pub settlement: &'a str,
    pub age_band: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Recorded,
    /// An editable survey: the earlier response was replaced.
    Replaced,
    /// Final responses: this person had answered already; nothing changed.
    AlreadyAnswered,
    /// The questions changed while the person answered; nothing was stored.
    Changed,
}

/// Takes the row of the survey's respondent count (making it when missing) and so the turn
/// of everything that changes the counts: each writer of counts takes this row first, and the
/// other rows in key order, so that writers wait for each other and never deadlock. (Through
/// the survey's row, so that a survey gone meanwhile is no error.)
const LOCK_COUNTS: &str =
    "INSERT INTO survey_counts (community_id, survey_id, question, respondent_group, slot, value, n)
     SELECT community_id, id, '', '', 'n', '', 0 FROM surveys WHERE community_id = $1 AND id = $2
     ON CONFLICT (community_id, survey_id, slot, question, respondent_group, value) DO UPDATE SET n = survey_counts.n";

/// Rows of counts per statement at most: a few kilobytes, so that a statement goes out in one
/// segment (see the bot's store on Nagle's algorithm).
const COUNT_ROWS: usize = 256;

/// An upsert of up to `rows` counts, adding to the stored ones or setting them. Unused rows
/// are sent as NULLs and left out by the WHERE: one statement for a response whatever its
/// number of counts, and only a few statement texts (rows a power of two) prepared per
/// connection. (Duplicate rows could not pad it: one statement may not update a row twice.)
fn counts_sql(rows: usize, add: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO survey_counts (community_id, survey_id, question, respondent_group, slot, value, n)
         SELECT $1, $2, column1, column2, column3, column4, column5 FROM (VALUES ",
    );
    for r in 0..rows {
        let p = 3 + r * 5;
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", p, p + 1, p + 2, p + 3, p + 4));
    }
    sql.push_str(
        ") AS counted WHERE column1 IS NOT NULL
         ON CONFLICT (community_id, survey_id, slot, question, respondent_group, value) DO UPDATE SET n = ",
    );
    sql.push_str(if add { "survey_counts.n + EXCLUDED.n" } else { "EXCLUDED.n" });
    sql
}

/// The statement's room for `n` rows: the next power of two, at least 8.
fn padded(n: usize) -> usize {
    n.next_power_of_two().clamp(8, COUNT_ROWS)
}

type CountRow<'a> = (&'a str, &'a str, Slot, &'a str, i64);

/// Writes counts in the transaction `$tx`, in key order (so that writers lock rows in the same
/// order and never deadlock).
macro_rules! write_counts {
    ($tx:ident, $community:expr, $survey:expr, $rows:expr, $add:expr) => {
        for chunk in $rows.chunks(COUNT_ROWS) {
            let room = padded(chunk.len());
            let sql = counts_sql(room, $add);
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind($community).bind($survey);
            for (question, group, slot, value, n) in chunk {
                q = q
                    .bind(Some(*question))
                    .bind(Some(*group))
                    .bind(Some(slot.code()))
                    .bind(Some(*value))
                    .bind(Some(*n));
            }
            for _ in chunk.len()..room {
                q = q.bind(None::<&str>).bind(None::<&str>).bind(None::<&str>).bind(None::<&str>).bind(None::<i64>);
            }
            q.execute(&mut *$tx).await?;
        }
    };
}

/// Inserts free texts of one response in the transaction `$tx`, in one statement.
macro_rules! insert_texts {
    ($tx:ident, $community:expr, $survey:expr, $response:expr, $texts:expr, $status:expr, $day:expr, $random:expr) => {
        if !$texts.is_empty() {
            let mut sql = String::from(
                "INSERT INTO survey_texts (community_id, survey_id, id, response_id, question, body, status,
                                           moderation_note, submitted_on) VALUES ",
            );
            for r in 0..$texts.len() {
                let p = 6 + r * 3;
                if r > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("($1, $2, ${}, $3, ${}, ${}, $4, NULL, $5)", p, p + 1, p + 2));
            }
            sql.push_str(" ON CONFLICT (community_id, survey_id, response_id, question) DO NOTHING");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind($community)
                .bind($survey)
                .bind($response)
                .bind($status.code())
                .bind($day);
            for t in $texts.iter() {
                // Random for anonymous surveys, like their responses' ids.
                let id = if $random { random_id() } else { hromada_kernel::new_id() };
                q = q.bind(id).bind(t.question).bind(t.body);
            }
            q.execute(&mut *$tx).await?;
        }
    };
}

/// A free text of a response, kept apart for listing and moderation.
struct NewText<'a> {
    question: &'a str,
    body: &'a str,
}

fn texts_of<'a>(survey: &'a Survey, answers: &'a BTreeMap<String, Answer>) -> Vec<NewText<'a>> {
    survey
        .questions
        .iter()
        .filter_map(|q| Some(NewText { question: &q.key, body: domain::free_text(answers.get(&q.key)?)? }))
        .collect()
}

/// Stores a checked response (see [`crate::domain::check_response`]) and, in the same
/// transaction, its counts and its free texts; a replaced response's are taken back.
pub async fn respond(
    db: &Db,
    survey: &StoredSurvey,
    who: &Respondent<'_>,
    answers: &BTreeMap<String, Answer>,
    now: DateTime<Utc>,
) -> DbResult<Outcome> {
    let day = now.date_naive().to_string();
    let (c, s) = (survey.community_id, survey.id);
    let definition = &survey.definition.0;
    let outcome = write_tx!(db, tx => {
        // The response itself; for a replaced one, what it said before.
        let (outcome, response_id, before) = if survey.anonymous {
            let first = sqlx::query(
                "INSERT INTO survey_respondents (community_id, survey_id, respondent_key) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING")
                .bind(c).bind(s).bind(who.key).execute(&mut *tx).await?.rows_affected() == 1;
            if !first {
                return Ok(Outcome::AlreadyAnswered);
            }
            // A random id: a time-ordered one would tell when, and so who.
            let id = random_id();
            sqlx::query(
                "INSERT INTO survey_responses (community_id, survey_id, id, respondent_key, answers, settlement,
                                               age_band, submitted_on)
                 VALUES ($1, $2, $3, NULL, $4, $5, $6, $7)")
                .bind(c).bind(s).bind(id).bind(Json(answers)).bind(who.settlement)
                .bind(who.age_band).bind(&day)
                .execute(&mut *tx).await?;
            (Outcome::Recorded, id, None)
        } else {
            let id = hromada_kernel::new_id();
            let inserted = sqlx::query(
                "INSERT INTO survey_responses (community_id, survey_id, id, respondent_key, answers, settlement,
                                               age_band, submitted_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT DO NOTHING")
                .bind(c).bind(s).bind(id).bind(who.key).bind(Json(answers))
                .bind(who.settlement).bind(who.age_band).bind(&day)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if inserted {
                (Outcome::Recorded, id, None)
            } else if survey.editable {
                // Locks the row first, so that the answers read next are the ones replaced
                // even when the same person sends twice at once.
                sqlx::query(
                    "UPDATE survey_responses SET submitted_on = $4
                     WHERE community_id = $1 AND survey_id = $2 AND respondent_key = $3")
                    .bind(c).bind(s).bind(who.key).bind(&day)
                    .execute(&mut *tx).await?;
                let old: PastResponse = sqlx::query_as(
                    "SELECT id, answers, settlement, age_band FROM survey_responses
                     WHERE community_id = $1 AND survey_id = $2 AND respondent_key = $3")
                    .bind(c).bind(s).bind(who.key)
                    .fetch_one(&mut *tx).await?;
                sqlx::query(
                    "UPDATE survey_responses SET answers = $4, settlement = $5, age_band = $6
                     WHERE community_id = $1 AND survey_id = $2 AND id = $3")
                    .bind(c).bind(s).bind(old.id).bind(Json(answers)).bind(who.settlement).bind(who.age_band)
                    .execute(&mut *tx).await?;
                (Outcome::Replaced, old.id, Some(old))
            } else {
                return Ok(Outcome::AlreadyAnswered);
            }
        };
        let mut delta = domain::Counts::default();
        domain::count_response(definition, answers, who.settlement, who.age_band, 1, &mut delta);
        if let Some(old) = &before {
            domain::count_response(definition, &old.answers.0, &old.settlement, &old.age_band, -1, &mut delta);
        }
        let mut rows: Vec<CountRow> = delta.entries().filter(|r| r.4 != 0).collect();
        // The respondent count first, even unchanged: it is the lock (see LOCK_COUNTS). From
        // here to the commit, responses to this survey wait for each other: little follows.
        if rows.first().is_none_or(|r| !(r.0.is_empty() && r.1 == domain::EVERYONE && r.2 == Slot::Answered)) {
            rows.insert(0, ("", domain::EVERYONE, Slot::Answered, "", 0));
        }
        write_counts!(tx, c, s, rows, true);
        // Under that lock, the questions answered must still be the survey's.
        let (current, premoderated): (Json<Survey>, bool) = sqlx::query_as(
            "SELECT definition, texts_premoderated FROM surveys WHERE community_id = $1 AND id = $2")
            .bind(c).bind(s).fetch_one(&mut *tx).await?;
        if current.0 != *definition {
            return Ok(Outcome::Changed);
        }
        let status = if premoderated { TextStatus::Pending } else { TextStatus::Published };
        let mut texts = texts_of(definition, answers);
        if let Some(old) = &before {
            // A text given again unchanged keeps its moderation; another one replaces it.
            let kept: Vec<NewText> = texts_of(definition, &old.answers.0);
            let gone: Vec<&str> = kept
                .iter()
                .filter(|o| !texts.iter().any(|t| t.question == o.question && t.body == o.body))
                .map(|o| o.question)
                .collect();
            if !gone.is_empty() {
                let marks: Vec<String> = (0..gone.len()).map(|i| format!("${}", i + 4)).collect();
                let sql = format!(
                    "DELETE FROM survey_texts WHERE community_id = $1 AND survey_id = $2 AND response_id = $3
                       AND question IN ({})",
                    marks.join(", ")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(c).bind(s).bind(response_id);
                for question in &gone {
                    q = q.bind(*question);
                }
                q.execute(&mut *tx).await?;
            }
            texts.retain(|t| !kept.iter().any(|o| o.question == t.question && o.body == t.body));
        }
        insert_texts!(tx, c, s, response_id, texts, status, &day, survey.anonymous);
        outcome
    });
    CHANGES.bump();
    Ok(outcome)
}

/// A named response as it was before being replaced.
#[derive(FromRow)]
struct PastResponse {
    id: Uuid,
    answers: Json<BTreeMap<String, Answer>>,
    settlement: String,
    age_band: String,
}

/// An id that says nothing about when it was made.
fn random_id() -> Uuid {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Whether this person has answered.
pub async fn has_answered(db: &Db, survey: &StoredSurvey, key: &[u8]) -> DbResult<bool> {
    let sql = if survey.anonymous {
        "SELECT 1 FROM survey_respondents WHERE community_id = $1 AND survey_id = $2 AND respondent_key = $3"
    } else {
        "SELECT 1 FROM survey_responses WHERE community_id = $1 AND survey_id = $2 AND respondent_key = $3"
    };
    let found: Option<(i32,)> =
        fetch_optional!(db, sqlx::query_as(sql).bind(survey.community_id).bind(survey.id).bind(key))?;
    Ok(found.is_some())
}

/// Whether anyone has answered an anonymous survey (its responses carry no key).
pub async fn any_respondent(db: &Db, survey: &StoredSurvey) -> DbResult<bool> {
    let found: Option<(i32,)> = fetch_optional!(
        db,
        sqlx::query_as("SELECT 1 FROM survey_respondents WHERE community_id = $1 AND survey_id = $2 LIMIT 1")
            .bind(survey.community_id)
            .bind(survey.id)
    )?;
    Ok(found.is_some())
}

/// A person's own answers to a named survey, to show them again for editing.
pub async fn own_answers(db: &Db, survey: &StoredSurvey, key: &[u8]) -> DbResult<Option<BTreeMap<String, Answer>>> {
    if survey.anonymous {
        return Ok(None);
    }
    let row: Option<(Json<BTreeMap<String, Answer>>,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT answers FROM survey_responses WHERE community_id = $1 AND survey_id = $2 AND respondent_key = $3"
        )
        .bind(survey.community_id)
        .bind(survey.id)
        .bind(key)
    )?;
    Ok(row.map(|r| r.0.0))
}

/// A response as the results read it: the answers and the group fields, never who.
#[derive(Debug, Clone, FromRow)]
pub struct ResponseRow {
    pub answers: Json<BTreeMap<String, Answer>>,
    pub settlement: String,
    pub age_band: String,
}

pub async fn responses(db: &Db, survey: &StoredSurvey) -> DbResult<Vec<ResponseRow>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, ResponseRow>(
            "SELECT answers, settlement, age_band FROM survey_responses WHERE community_id = $1 AND survey_id = $2"
        )
        .bind(survey.community_id)
        .bind(survey.id)
    )?)
}

/// Whether anyone has answered a named survey (an anonymous one: see [`any_respondent`]).
pub async fn any_response(db: &Db, survey: &StoredSurvey) -> DbResult<bool> {
    let found: Option<(i32,)> = fetch_optional!(
        db,
        sqlx::query_as("SELECT 1 FROM survey_responses WHERE community_id = $1 AND survey_id = $2 LIMIT 1")
            .bind(survey.community_id)
            .bind(survey.id)
    )?;
    Ok(found.is_some())
}

// ---------- counts ----------

#[derive(FromRow)]
struct CountRowOwned {
    question: String,
    respondent_group: String,
    slot: String,
    value: String,
    n: i64,
}

fn into_counts(rows: Vec<CountRowOwned>) -> Counts {
    let mut counts = Counts::default();
    for r in rows {
        if let Some(slot) = Slot::parse(&r.slot) {
            counts.add(&r.question, &r.respondent_group, slot, &r.value, r.n);
        }
    }
    counts
}

/// The counts a results page needs: every count but the days of date questions, of which
/// only the earliest and the latest are read. Surveys answered before counts were kept are
/// counted first.
pub async fn counts(db: &Db, survey: &StoredSurvey) -> DbResult<Counts> {
    if !survey.counted {
        count_afresh(db, survey).await?;
    }
    // One round trip: every count but the days (the slots after 'd', one range of the key),
    // and the earliest and the latest day of each date question, each found at one end of
    // its range (ISO dates sort as text in the order of the days).
    let dates: Vec<&str> = survey
        .definition
        .questions
        .iter()
        .filter(|q| matches!(q.kind, domain::QuestionKind::Date { .. }))
        .map(|q| q.key.as_str())
        .collect();
    let mut sql = String::from(
        "SELECT question, respondent_group, slot, value, n FROM survey_counts
         WHERE community_id = $1 AND survey_id = $2 AND slot > 'd' AND n <> 0",
    );
    for (i, _) in dates.iter().enumerate() {
        for (end, order) in [("first", "ASC"), ("last", "DESC")] {
            sql.push_str(&format!(
                " UNION ALL SELECT * FROM (SELECT question, respondent_group, slot, value, n FROM survey_counts
                   WHERE community_id = $1 AND survey_id = $2 AND slot = 'd' AND question = ${} AND respondent_group = ''
                     AND n > 0 ORDER BY value {order} LIMIT 1) AS {end}{i}",
                i + 3
            ));
        }
    }
    let rows: Vec<CountRowOwned> = hromada_db::dispatch!(db, pool => {
        let mut q = sqlx::query_as::<_, CountRowOwned>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(survey.community_id)
            .bind(survey.id);
        for key in &dates {
            q = q.bind(*key);
        }
        q.fetch_all(pool).await
    })?;
    Ok(into_counts(rows))
}

/// Every stored count of a survey, zeros left out: to check them against [`recount`].
pub async fn stored_counts(db: &Db, survey: &StoredSurvey) -> DbResult<Counts> {
    let rows: Vec<CountRowOwned> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT question, respondent_group, slot, value, n FROM survey_counts
             WHERE community_id = $1 AND survey_id = $2 AND n <> 0"
        )
        .bind(survey.community_id)
        .bind(survey.id)
    )?;
    Ok(into_counts(rows))
}

/// The counts of every stored response, counted from the responses themselves.
pub async fn recount(db: &Db, survey: &StoredSurvey) -> DbResult<Counts> {
    let mut counts = Counts::default();
    for r in responses(db, survey).await? {
        domain::count_response(&survey.definition, &r.answers, &r.settlement, &r.age_band, 1, &mut counts);
    }
    Ok(counts.without_zeros())
}

/// Counts a survey's responses from scratch and keeps the counts, with a row for each free
/// text not kept yet (published: they were shown before counts were kept). For surveys
/// answered before this version; it runs once for each.
pub async fn count_afresh(db: &Db, survey: &StoredSurvey) -> DbResult<()> {
    let (c, s) = (survey.community_id, survey.id);
    write_tx!(db, tx => {
        // Responses stored from now on wait, then add to what is written here.
        sqlx::query(LOCK_COUNTS).bind(c).bind(s).execute(&mut *tx).await?;
        let (definition, premoderated): (Json<Survey>, bool) = sqlx::query_as(
            "SELECT definition, texts_premoderated FROM surveys WHERE community_id = $1 AND id = $2")
            .bind(c).bind(s).fetch_one(&mut *tx).await?;
        let rows: Vec<AnyResponse> = sqlx::query_as(
            "SELECT id, answers, settlement, age_band, submitted_on FROM survey_responses
             WHERE community_id = $1 AND survey_id = $2")
            .bind(c).bind(s).fetch_all(&mut *tx).await?;
        let mut counts = Counts::default();
        for r in &rows {
            domain::count_response(&definition, &r.answers, &r.settlement, &r.age_band, 1, &mut counts);
        }
        sqlx::query(
            "DELETE FROM survey_counts WHERE community_id = $1 AND survey_id = $2
               AND NOT (question = '' AND respondent_group = '' AND slot = 'n' AND value = '')")
            .bind(c).bind(s).execute(&mut *tx).await?;
        let mut rows_out: Vec<CountRow> = counts.entries().filter(|r| r.4 != 0).collect();
        if rows_out.first().is_none_or(|r| !(r.0.is_empty() && r.1 == domain::EVERYONE && r.2 == Slot::Answered)) {
            rows_out.insert(0, ("", domain::EVERYONE, Slot::Answered, "", 0));
        }
        write_counts!(tx, c, s, rows_out, false);
        let status = if premoderated { TextStatus::Pending } else { TextStatus::Published };
        for r in &rows {
            let texts = texts_of(&definition, &r.answers);
            insert_texts!(tx, c, s, r.id, texts, status, &r.submitted_on, true);
        }
        sqlx::query("UPDATE surveys SET counted = TRUE WHERE community_id = $1 AND id = $2")
            .bind(c).bind(s).execute(&mut *tx).await?;
    });
    CHANGES.bump();
    Ok(())
}

#[derive(FromRow)]
struct AnyResponse {
    id: Uuid,
    answers: Json<BTreeMap<String, Answer>>,
    settlement: String,
    age_band: String,
    submitted_on: String,
}

// ---------- free texts ----------

/// Where a free-text answer stands: shown in the public results or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// Waiting for a moderator (surveys whose texts are shown only once approved).
    Pending,
    Published,
    /// Hidden by a moderator, with the reason.
    Hidden,
}

impl TextStatus {
    pub const ALL: [TextStatus; 3] = [TextStatus::Pending, TextStatus::Published, TextStatus::Hidden];

    pub fn code(self) -> &'static str {
        match self {
            TextStatus::Pending => "pending",
            TextStatus::Published => "published",
            TextStatus::Hidden => "hidden",
        }
    }

    pub fn parse(code: &str) -> Option<TextStatus> {
        TextStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A free-text answer as listed: the text and its moderation, never who wrote it.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct StoredText {
    pub id: Uuid,
    pub question: String,
    pub body: String,
    pub status: String,
    pub moderation_note: Option<String>,
    pub submitted_on: String,
}

impl StoredText {
    pub fn status(&self) -> TextStatus {
        TextStatus::parse(&self.status).unwrap_or(TextStatus::Hidden)
    }
}

/// The published texts of one question, newest day first, a page at a time.
pub async fn published_texts(
    db: &Db,
    survey: &StoredSurvey,
    question: &str,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<StoredText>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, StoredText>(
            "SELECT id, question, body, status, moderation_note, submitted_on FROM survey_texts
             WHERE community_id = $1 AND survey_id = $2 AND status = 'published' AND question = $3
             ORDER BY submitted_on DESC, id DESC LIMIT $4 OFFSET $5"
        )
        .bind(survey.community_id)
        .bind(survey.id)
        .bind(question)
        .bind(limit)
        .bind(offset)
    )?)
}

/// The newest published texts of each of `questions`, `limit` each, in one round trip.
pub async fn newest_texts(db: &Db, survey: &StoredSurvey, questions: &[&str], limit: i64) -> DbResult<Vec<StoredText>> {
    if questions.is_empty() {
        return Ok(vec![]);
    }
    let arms: Vec<String> = (0..questions.len())
        .map(|i| {
            format!(
                "SELECT * FROM (SELECT id, question, body, status, moderation_note, submitted_on FROM survey_texts
                   WHERE community_id = $1 AND survey_id = $2 AND status = 'published' AND question = ${}
                   ORDER BY submitted_on DESC, id DESC LIMIT $3) AS newest{i}",
                i + 4
            )
        })
        .collect();
    let sql = format!("{} ORDER BY question, submitted_on DESC, id DESC", arms.join(" UNION ALL "));
    Ok(hromada_db::dispatch!(db, pool => {
        let mut q = sqlx::query_as::<_, StoredText>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(survey.community_id)
            .bind(survey.id)
            .bind(limit);
        for key in questions {
            q = q.bind(*key);
        }
        q.fetch_all(pool).await
    })?)
}

/// Texts for the moderators: of one question or every one (`""`), in one status or every
/// one, newest day first.
pub async fn texts_for_moderation(
    db: &Db,
    survey: &StoredSurvey,
    question: &str,
    status: Option<TextStatus>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<StoredText>> {
    // Only the conditions asked for, so that a status and a question stay in the index's range.
    let mut sql = String::from(
        "SELECT id, question, body, status, moderation_note, submitted_on FROM survey_texts
         WHERE community_id = $1 AND survey_id = $2",
    );
    let mut next = 5;
    if !question.is_empty() {
        sql.push_str(&format!(" AND question = ${next}"));
        next += 1;
    }
    if status.is_some() {
        sql.push_str(&format!(" AND status = ${next}"));
    }
    sql.push_str(" ORDER BY submitted_on DESC, id DESC LIMIT $3 OFFSET $4");
    Ok(hromada_db::dispatch!(db, pool => {
        let mut q = sqlx::query_as::<_, StoredText>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(survey.community_id)
            .bind(survey.id)
            .bind(limit)
            .bind(offset);
        if !question.is_empty() {
            q = q.bind(question);
        }
        if let Some(status) = status {
            q = q.bind(status.code());
        }
        q.fetch_all(pool).await
    })?)
}

/// Texts not shown publicly (waiting or hidden) per question and status; few, unless a
/// survey's texts wait for approval.
pub async fn unpublished_texts(db: &Db, survey: &StoredSurvey) -> DbResult<Vec<(String, String, i64)>> {
    Ok(fetch_all!(
        db,
        // One arm per status: an equality keeps the status in the index's range even where
        // the planner has no statistics yet (it left `IN` to a filter over every text).
        sqlx::query_as(
            "SELECT question, 'pending', COUNT(*) FROM survey_texts
             WHERE community_id = $1 AND survey_id = $2 AND status = 'pending' GROUP BY question
             UNION ALL
             SELECT question, 'hidden', COUNT(*) FROM survey_texts
             WHERE community_id = $1 AND survey_id = $2 AND status = 'hidden' GROUP BY question"
        )
        .bind(survey.community_id)
        .bind(survey.id)
    )?)
}

/// A moderator's step on a free-text answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation<'a> {
    /// Shows a waiting text.
    Approve,
    /// Takes a text out of the public results, with the reason.
    Hide(&'a str),
    /// Shows a hidden text again.
    Unhide,
}

/// Moderates one text; false when it is not there or not in a state the step applies to.
pub async fn moderate_text(db: &Db, survey: &StoredSurvey, text: Uuid, step: Moderation<'_>) -> DbResult<bool> {
    let (status, note, from): (TextStatus, Option<&str>, &[&str]) = match step {
        Moderation::Approve => (TextStatus::Published, None, &["pending"]),
        Moderation::Hide(reason) => {
            (TextStatus::Hidden, Some(reason.trim()).filter(|r| !r.is_empty()), &["pending", "published"])
        }
        Moderation::Unhide => (TextStatus::Published, None, &["hidden"]),
    };
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE survey_texts SET status = $4, moderation_note = $5
             WHERE community_id = $1 AND survey_id = $2 AND id = $3 AND status IN ($6, $7)"
        )
        .bind(survey.community_id)
        .bind(survey.id)
        .bind(text)
        .bind(status.code())
        .bind(note)
        .bind(from[0])
        .bind(from[from.len() - 1])
    )?;
    CHANGES.bump();
    Ok(n > 0)
}

/// Turns approval before publication on or off; turning it off publishes the waiting texts.
/// Gives how many were published.
pub async fn set_texts_premoderated(db: &Db, survey: &StoredSurvey, on: bool) -> DbResult<u64> {
    let (c, s) = (survey.community_id, survey.id);
    let published = write_tx!(db, tx => {
        // A response being stored reads the setting under this lock (see `respond`).
        sqlx::query(LOCK_COUNTS).bind(c).bind(s).execute(&mut *tx).await?;
        sqlx::query("UPDATE surveys SET texts_premoderated = $3 WHERE community_id = $1 AND id = $2")
            .bind(c).bind(s).bind(on).execute(&mut *tx).await?;
        if on {
            0
        } else {
            sqlx::query(
                "UPDATE survey_texts SET status = 'published'
                 WHERE community_id = $1 AND survey_id = $2 AND status = 'pending'")
                .bind(c).bind(s).execute(&mut *tx).await?.rows_affected()
        }
    });
    CHANGES.bump();
    Ok(published)
}
