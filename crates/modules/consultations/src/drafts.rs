//! Consultations on draft decisions: an official publishes a draft act in sections; residents
//! comment on a section (one level of replies), support or oppose comments; moderators publish
//! or hide them; officials reply; at the end the organiser decides on each proposal for the
//! report.

use chrono::{DateTime, Utc};
use hromada_db::{Db, DbError, DbResult, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, LocalizedText, UserId};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub text: String,
}

/// What the organiser decided about a proposal, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accepted,
    Partly,
    Rejected,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Accepted, Decision::Partly, Decision::Rejected];

    pub fn code(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Partly => "partly",
            Decision::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Accepting needs no explanation; partly or rejecting does (the residents are owed why).
    pub fn needs_reason(self) -> bool {
        !matches!(self, Decision::Accepted)
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Draft {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub title: Json<LocalizedText>,
    pub summary: String,
    pub sections: Json<Vec<Section>>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub report_published_at: Option<DateTime<Utc>>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl Draft {
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Comment {
    pub id: Uuid,
    pub section: i64,
    pub parent_id: Option<Uuid>,
    pub author_id: UserId,
    pub author_name: String,
    pub body: String,
    pub status: String,
    pub moderation_note: Option<String>,
    pub official_reply: Option<String>,
    pub decision: Option<String>,
    pub decision_reason: Option<String>,
    pub supports: i64,
    pub opposes: i64,
    pub created_at: DateTime<Utc>,
}

/// Why a step on a consultation is refused.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("a draft needs a title and at least one section with text")]
    Empty,
    #[error("it must close after it opens")]
    Dates,
    #[error("the consultation is not open")]
    Closed,
    #[error("there is no such section")]
    NoSection,
    #[error("a reply answers a published top-level comment of the same section")]
    BadParent,
    #[error("a comment needs between 3 and 5000 characters")]
    BadText,
    #[error("a decision other than acceptance needs its reason")]
    NeedsReason,
    #[error("the report is published; its decisions no longer change")]
    ReportPublished,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for DraftError {
    fn from(e: sqlx::Error) -> Self {
        DraftError::Db(e.into())
    }
}

macro_rules! select_drafts {
    ($tail:literal) => {
        concat!(
            "SELECT community_id, id, title, summary, sections, opens_at, closes_at, report_published_at, created_by,
                    created_at FROM consultation_drafts ",
            $tail
        )
    };
}

const COMMENT_COLUMNS: &str = "SELECT id, section, parent_id, author_id, author_name, body, status, moderation_note, \
     official_reply, decision, decision_reason, supports, opposes, created_at FROM consultation_comments ";

#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    community: CommunityId,
    title: LocalizedText,
    summary: &str,
    sections: &[Section],
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Uuid, DraftError> {
    let sections: Vec<Section> = sections
        .iter()
        .filter(|s| !s.text.trim().is_empty())
        .map(|s| Section { title: s.title.trim().to_owned(), text: s.text.trim().to_owned() })
        .collect();
    if title.uk.trim().is_empty() || sections.is_empty() {
        return Err(DraftError::Empty);
    }
    if closes_at <= opens_at {
        return Err(DraftError::Dates);
    }
    let id = hromada_kernel::new_id();
    hromada_db::execute!(
        db,
        sqlx::query(
            "INSERT INTO consultation_drafts (community_id, id, title, summary, sections, opens_at, closes_at,
                                              created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(community)
        .bind(id)
        .bind(Json(&title))
        .bind(summary.trim())
        .bind(Json(&sections))
        .bind(opens_at)
        .bind(closes_at)
        .bind(by)
        .bind(now)
    )?;
    Ok(id)
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Draft>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Draft>(select_drafts!("WHERE community_id = $1 AND id = $2")).bind(community).bind(id)
    )?)
}

pub async fn list(db: &Db, community: CommunityId) -> DbResult<Vec<Draft>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Draft>(select_drafts!("WHERE community_id = $1 ORDER BY closes_at DESC")).bind(community)
    )?)
}

/// A resident's comment on a section, or a reply to a published top-level comment there. It
/// waits for moderation.
#[allow(clippy::too_many_arguments)]
pub async fn comment(
    db: &Db,
    draft: &Draft,
    section: usize,
    parent: Option<Uuid>,
    author: UserId,
    author_name: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, DraftError> {
    if !draft.is_open(now) {
        return Err(DraftError::Closed);
    }
    if section >= draft.sections.len() {
        return Err(DraftError::NoSection);
    }
    let body = body.trim();
    if !(3..=5000).contains(&body.chars().count()) {
        return Err(DraftError::BadText);
    }
    if let Some(p) = parent {
        let found: Option<(i64, Option<Uuid>, String)> = fetch_optional!(
            db,
            sqlx::query_as(
                "SELECT section, parent_id, status FROM consultation_comments
                 WHERE community_id = $1 AND draft_id = $2 AND id = $3"
            )
            .bind(draft.community_id)
            .bind(draft.id)
            .bind(p)
        )?;
        let fits =
            found.is_some_and(|(s, grand, status)| s == section as i64 && grand.is_none() && status == "published");
        if !fits {
            return Err(DraftError::BadParent);
        }
    }
    let id = hromada_kernel::new_id();
    hromada_db::execute!(
        db,
        sqlx::query(
            "INSERT INTO consultation_comments (community_id, draft_id, id, section, parent_id, author_id, author_name,
                                                body, status, supports, opposes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, 0, $9)"
        )
        .bind(draft.community_id)
        .bind(draft.id)
        .bind(id)
        .bind(section as i64)
        .bind(parent)
        .bind(author)
        .bind(author_name.trim())
        .bind(body)
        .bind(now)
    )?;
    Ok(id)
}

/// Comments in order of sections and time; with `published_only`, what residents see.
pub async fn comments(db: &Db, draft: &Draft, published_only: bool) -> DbResult<Vec<Comment>> {
    let sql = format!(
        "{COMMENT_COLUMNS} WHERE community_id = $1 AND draft_id = $2 {} ORDER BY section, created_at, id",
        if published_only { "AND status = 'published'" } else { "" }
    );
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Comment>(sqlx::AssertSqlSafe(sql.as_str())).bind(draft.community_id).bind(draft.id)
    )?)
}

/// Publishes a comment, or hides it with the moderator's reason.
pub async fn moderate(db: &Db, draft: &Draft, comment: Uuid, publish: bool, note: &str) -> DbResult<bool> {
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE consultation_comments SET status = $4, moderation_note = $5
             WHERE community_id = $1 AND draft_id = $2 AND id = $3"
        )
        .bind(draft.community_id)
        .bind(draft.id)
        .bind(comment)
        .bind(if publish { "published" } else { "hidden" })
        .bind(Some(note.trim()).filter(|n| !n.is_empty()))
    )?;
    Ok(n > 0)
}

pub async fn reply(db: &Db, draft: &Draft, comment: Uuid, official: UserId, text: &str) -> DbResult<bool> {
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE consultation_comments SET official_reply = $4, replied_by = $5
             WHERE community_id = $1 AND draft_id = $2 AND id = $3 AND status = 'published'"
        )
        .bind(draft.community_id)
        .bind(draft.id)
        .bind(comment)
        .bind(Some(text.trim()).filter(|t| !t.is_empty()))
        .bind(official)
    )?;
    Ok(n > 0)
}

/// Supports or opposes a published comment, once per person: a second stance replaces the
/// first, and the counts follow in the same transaction.
pub async fn take_stance(
    db: &Db,
    draft: &Draft,
    comment: Uuid,
    person: &[u8],
    support: bool,
) -> Result<(), DraftError> {
    let (c, d) = (draft.community_id, draft.id);
    write_tx!(db, tx => {
        let published: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM consultation_comments WHERE community_id = $1 AND draft_id = $2 AND id = $3")
            .bind(c).bind(d).bind(comment).fetch_optional(&mut *tx).await?;
        if published.is_none_or(|(s,)| s != "published") {
            return Err(DraftError::BadParent);
        }
        sqlx::query(
            "INSERT INTO consultation_stances (community_id, draft_id, comment_id, person_key, support)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (community_id, draft_id, comment_id, person_key) DO UPDATE SET support = EXCLUDED.support")
            .bind(c).bind(d).bind(comment).bind(person).bind(support)
            .execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE consultation_comments SET
                supports = (SELECT COUNT(*) FROM consultation_stances s
                            WHERE s.community_id = $1 AND s.draft_id = $2 AND s.comment_id = $3 AND s.support),
                opposes = (SELECT COUNT(*) FROM consultation_stances s
                           WHERE s.community_id = $1 AND s.draft_id = $2 AND s.comment_id = $3 AND NOT s.support)
             WHERE community_id = $1 AND draft_id = $2 AND id = $3")
            .bind(c).bind(d).bind(comment)
            .execute(&mut *tx).await?;
    });
    Ok(())
}

/// The organiser's decision on a proposal (a published top-level comment), before the report
/// is published.
pub async fn decide(db: &Db, draft: &Draft, comment: Uuid, decision: Decision, reason: &str) -> Result<(), DraftError> {
    if draft.report_published_at.is_some() {
        return Err(DraftError::ReportPublished);
    }
    if decision.needs_reason() && reason.trim().is_empty() {
        return Err(DraftError::NeedsReason);
    }
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE consultation_comments SET decision = $4, decision_reason = $5
             WHERE community_id = $1 AND draft_id = $2 AND id = $3 AND parent_id IS NULL AND status = 'published'"
        )
        .bind(draft.community_id)
        .bind(draft.id)
        .bind(comment)
        .bind(decision.code())
        .bind(Some(reason.trim()).filter(|r| !r.is_empty()))
    )?;
    if n == 0 {
        return Err(DraftError::BadParent);
    }
    Ok(())
}

/// Publishes the report once the consultation has closed; gives the proposals still without a
/// decision (then nothing is published).
pub async fn publish_report(db: &Db, draft: &Draft, now: DateTime<Utc>) -> Result<Vec<Uuid>, DraftError> {
    if draft.is_open(now) || now < draft.opens_at {
        return Err(DraftError::Closed);
    }
    let undecided: Vec<(Uuid,)> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT id FROM consultation_comments WHERE community_id = $1 AND draft_id = $2
               AND parent_id IS NULL AND status = 'published' AND decision IS NULL ORDER BY created_at"
        )
        .bind(draft.community_id)
        .bind(draft.id)
    )?;
    if !undecided.is_empty() {
        return Ok(undecided.into_iter().map(|r| r.0).collect());
    }
    hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE consultation_drafts SET report_published_at = $3
             WHERE community_id = $1 AND id = $2 AND report_published_at IS NULL"
        )
        .bind(draft.community_id)
        .bind(draft.id)
        .bind(now)
    )?;
    Ok(vec![])
}
