//! The officials' inbox: residents who chose "talk to an official" write free text; operators
//! take a conversation, answer on the same channel (with canned answers at hand) and close it.
//! Outside the working hours the resident is told when to expect an answer.

use chrono::{DateTime, NaiveTime, Utc};
use hromada_db::core::communities::Community;
use hromada_db::{Db, DbResult, execute, fetch_all, fetch_optional};
use hromada_kernel::{CommunityId, UserId, WorkingCalendar};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Conversation {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub chat_id: Uuid,
    pub status: String,
    pub taken_by: Option<UserId>,
    pub opened_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

macro_rules! select_conversations {
    ($tail:literal) => {
        concat!(
            "SELECT community_id, id, chat_id, status, taken_by, opened_at, last_message_at, closed_at \
             FROM bot_conversations ",
            $tail
        )
    };
}

/// Notes a resident's message for the officials: opens a conversation for the chat, or
/// freshens its open one. True when this message opened it.
pub async fn note_message(db: &Db, community: CommunityId, chat: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let opened = execute!(
        db,
        sqlx::query(
            "INSERT INTO bot_conversations (community_id, id, chat_id, status, taken_by, opened_at, last_message_at,
                                            closed_at)
             VALUES ($1, $2, $3, 'waiting', NULL, $4, $4, NULL)
             ON CONFLICT (community_id, chat_id) WHERE status <> 'closed' DO NOTHING"
        )
        .bind(community)
        .bind(hromada_kernel::new_id())
        .bind(chat)
        .bind(now)
    )?;
    if opened == 0 {
        execute!(
            db,
            sqlx::query(
                "UPDATE bot_conversations SET last_message_at = $3
                 WHERE community_id = $1 AND chat_id = $2 AND status <> 'closed'"
            )
            .bind(community)
            .bind(chat)
            .bind(now)
        )?;
    }
    Ok(opened == 1)
}

/// Open conversations (waiting first, the longest waiting on top), then the latest closed.
pub async fn list(db: &Db, community: CommunityId, closed_too: i64) -> DbResult<Vec<Conversation>> {
    let mut open = fetch_all!(
        db,
        sqlx::query_as::<_, Conversation>(select_conversations!(
            "WHERE community_id = $1 AND status <> 'closed' ORDER BY status DESC, last_message_at"
        ))
        .bind(community)
    )?;
    let closed = fetch_all!(
        db,
        sqlx::query_as::<_, Conversation>(select_conversations!(
            "WHERE community_id = $1 AND status = 'closed' ORDER BY closed_at DESC LIMIT $2"
        ))
        .bind(community)
        .bind(closed_too)
    )?;
    open.extend(closed);
    Ok(open)
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Conversation>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Conversation>(select_conversations!("WHERE community_id = $1 AND id = $2"))
            .bind(community)
            .bind(id)
    )?)
}

/// Takes a waiting conversation (or one another operator took) for `by`.
pub async fn take(db: &Db, community: CommunityId, id: Uuid, by: UserId) -> DbResult<bool> {
    let taken = execute!(
        db,
        sqlx::query(
            "UPDATE bot_conversations SET status = 'taken', taken_by = $3
             WHERE community_id = $1 AND id = $2 AND status <> 'closed'"
        )
        .bind(community)
        .bind(id)
        .bind(by)
    )?;
    Ok(taken == 1)
}

/// Closes the conversation; the chat stops sending free text to the officials.
pub async fn close(db: &Db, community: CommunityId, id: Uuid, now: DateTime<Utc>) -> DbResult<Option<Uuid>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_scalar::<_, Uuid>(
            "UPDATE bot_conversations SET status = 'closed', closed_at = $3
             WHERE community_id = $1 AND id = $2 AND status <> 'closed' RETURNING chat_id"
        )
        .bind(community)
        .bind(id)
        .bind(now)
    )?)
}

/// Waiting conversations, for the admin's dashboard.
pub async fn count_waiting(db: &Db, community: CommunityId) -> DbResult<i64> {
    Ok(hromada_db::fetch_one!(
        db,
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM bot_conversations WHERE community_id = $1 AND status = 'waiting'"
        )
        .bind(community)
    )?)
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct CannedAnswer {
    pub id: Uuid,
    pub title: String,
    pub body: String,
}

pub async fn canned(db: &Db, community: CommunityId) -> DbResult<Vec<CannedAnswer>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, CannedAnswer>(
            "SELECT id, title, body FROM bot_canned_answers WHERE community_id = $1 ORDER BY title"
        )
        .bind(community)
    )?)
}

pub async fn add_canned(
    db: &Db,
    community: CommunityId,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(
        db,
        sqlx::query(
            "INSERT INTO bot_canned_answers (community_id, id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(community)
        .bind(id)
        .bind(title)
        .bind(body)
        .bind(now)
    )?;
    Ok(id)
}

pub async fn delete_canned(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM bot_canned_answers WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n == 1)
}

/// When officials answer chats: Kyiv time on the calendar's working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Default for Hours {
    fn default() -> Self {
        Hours {
            from: NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
            to: NaiveTime::from_hms_opt(18, 0, 0).expect("time"),
        }
    }
}

impl Hours {
    /// The community's setting (statute `bot.hours`), or 9:00–18:00.
    pub fn of(community: &Community) -> Hours {
        serde_json::from_value::<Hours>(community.statute_of(crate::KEY)["hours"].clone())
            .ok()
            .filter(|h| h.from < h.to)
            .unwrap_or_default()
    }

    pub fn open_at(&self, now: DateTime<Utc>, calendar: &WorkingCalendar) -> bool {
        let local = hromada_kernel::clock::kyiv_time(now);
        calendar.is_working_day(local.date()) && local.time() >= self.from && local.time() < self.to
    }

    /// The next opening after `now`, Kyiv time, for the automatic reply.
    pub fn next_opening(&self, now: DateTime<Utc>, calendar: &WorkingCalendar) -> chrono::NaiveDateTime {
        let local = hromada_kernel::clock::kyiv_time(now);
        let mut day = local.date();
        if local.time() >= self.from || !calendar.is_working_day(day) {
            day = day.succ_opt().expect("date");
        }
        while !calendar.is_working_day(day) {
            day = day.succ_opt().expect("date");
        }
        day.and_time(self.from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_hours_follow_kyiv_time_and_the_calendar() {
        let calendar = WorkingCalendar::default();
        let hours = Hours::default();
        // Friday 27 November 2026, 10:00 Kyiv (08:00 UTC): open.
        let friday = "2026-11-27T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert!(hours.open_at(friday, &calendar));
        // The same day at 18:30 Kyiv: closed until Monday 09:00.
        let evening = "2026-11-27T16:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert!(!hours.open_at(evening, &calendar));
        assert_eq!(hours.next_opening(evening, &calendar).to_string(), "2026-11-30 09:00:00");
        // Early on Monday: later that morning.
        let dawn = "2026-11-30T04:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(hours.next_opening(dawn, &calendar).to_string(), "2026-11-30 09:00:00");
    }
}
