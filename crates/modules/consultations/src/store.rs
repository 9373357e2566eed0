//! Surveys and their responses in the database. One response per person per survey is kept by
//! unique indexes, not by a check before writing, so that many identical submissions at once
//! still leave one row.

use crate::domain::{Answer, Survey, SurveyError};
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
             results_after_close, created_by, created_at, min_age, residents_only, accept_idp FROM surveys ",
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
                                  accept_idp)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
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

/// Replaces the questions of a survey nobody has answered yet.
pub async fn set_definition(db: &Db, community: CommunityId, id: Uuid, definition: &Survey) -> Result<bool, SaveError> {
    definition.validate()?;
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE surveys SET definition = $3 WHERE community_id = $1 AND id = $2
               AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.community_id = $1 AND r.survey_id = $2)
               AND NOT EXISTS (SELECT 1 FROM survey_respondents r WHERE r.community_id = $1 AND r.survey_id = $2)"
        )
        .bind(community)
        .bind(id)
        .bind(Json(definition))
    )
    .map_err(DbError::from)?;
    CHANGES.bump();
    Ok(n > 0)
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
}

/// Stores a checked response (see [`crate::domain::check_response`]).
pub async fn respond(
    db: &Db,
    survey: &StoredSurvey,
    who: &Respondent<'_>,
    answers: &BTreeMap<String, Answer>,
    now: DateTime<Utc>,
) -> DbResult<Outcome> {
    let day = now.date_naive().to_string();
    let (c, s) = (survey.community_id, survey.id);
    if survey.anonymous {
        let outcome = write_tx!(db, tx => {
            let first = sqlx::query(
                "INSERT INTO survey_respondents (community_id, survey_id, respondent_key) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING")
                .bind(c).bind(s).bind(who.key).execute(&mut *tx).await?.rows_affected() == 1;
            if first {
                // A random id: a time-ordered one would tell when, and so who.
                sqlx::query(
                    "INSERT INTO survey_responses (community_id, survey_id, id, respondent_key, answers, settlement,
                                                   age_band, submitted_on)
                     VALUES ($1, $2, $3, NULL, $4, $5, $6, $7)")
                    .bind(c).bind(s).bind(random_id()).bind(Json(answers)).bind(who.settlement)
                    .bind(who.age_band).bind(&day)
                    .execute(&mut *tx).await?;
            }
            if first { Outcome::Recorded } else { Outcome::AlreadyAnswered }
        });
        if outcome != Outcome::AlreadyAnswered {
            CHANGES.bump();
        }
        return Ok(outcome);
    }
    let outcome = write_tx!(db, tx => {
        let inserted = sqlx::query(
            "INSERT INTO survey_responses (community_id, survey_id, id, respondent_key, answers, settlement, age_band,
                                           submitted_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT DO NOTHING")
            .bind(c).bind(s).bind(hromada_kernel::new_id()).bind(who.key).bind(Json(answers))
            .bind(who.settlement).bind(who.age_band).bind(&day)
            .execute(&mut *tx).await?.rows_affected() == 1;
        if inserted {
            Outcome::Recorded
        } else if survey.editable {
            sqlx::query(
                "UPDATE survey_responses SET answers = $4, settlement = $5, age_band = $6, submitted_on = $7
                 WHERE community_id = $1 AND survey_id = $2 AND respondent_key = $3")
                .bind(c).bind(s).bind(who.key).bind(Json(answers)).bind(who.settlement).bind(who.age_band)
                .bind(&day)
                .execute(&mut *tx).await?;
            Outcome::Replaced
        } else {
            Outcome::AlreadyAnswered
        }
    });
    if outcome != Outcome::AlreadyAnswered {
        CHANGES.bump();
    }
    Ok(outcome)
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
