//! The audit log: who did what to which thing, when. Officials' actions are always recorded.

use crate::{Db, DbResult, execute, fetch_all};
use chrono::{DateTime, Utc};
use hromada_kernel::CommunityId;
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct AuditEntry {
    pub community_id: Option<CommunityId>,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `user`, `operator`, `system` or `cli`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    /// A dotted verb such as `role.grant` or `user.verify_in_person`.
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: &'static str,
    pub id: Option<Uuid>,
    pub label: String,
}

impl Actor {
    pub fn cli() -> Self {
        Self { kind: "cli", id: None, label: "command line".into() }
    }
    /// A signed-in person acting through the web.
    pub fn user(u: &crate::core::users::User) -> Self {
        Self { kind: "user", id: Some(u.id), label: u.full_name.clone() }
    }
    pub fn system() -> Self {
        Self { kind: "system", id: None, label: "system".into() }
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: &Db,
    community: Option<CommunityId>,
    actor: &Actor,
    action: &str,
    target_type: &str,
    target_id: Option<&str>,
    summary: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    execute!(db, sqlx::query(
        "INSERT INTO audit_log (community_id, id, at, actor_kind, actor_id, actor_label, actor_norm, action, target_type,
                                target_id, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(community).bind(hromada_kernel::new_id()).bind(now).bind(actor.kind).bind(actor.id)
        .bind(&actor.label).bind(actor.label.to_lowercase()).bind(action).bind(target_type).bind(target_id).bind(summary))?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Actions starting with this, e.g. `role.`.
    pub action_prefix: Option<String>,
    /// Part of the actor's name.
    pub actor: Option<String>,
    pub since: Option<DateTime<Utc>>,
    /// Entries about this one thing (a user's id, a petition's id).
    pub target_id: Option<String>,
}

/// Entries of one community (or of the platform, with `None`), newest first.
pub async fn list(
    db: &Db,
    community: Option<CommunityId>,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<AuditEntry>> {
    // Both sides are lowercase, so LIKE behaves the same on SQLite (ASCII-insensitive) and PostgreSQL.
    let action = filter.action_prefix.as_deref().map(|a| format!("{}%", crate::like_escape(&a.trim().to_lowercase())));
    let actor = filter.actor.as_deref().map(|a| format!("%{}%", crate::like_escape(&a.trim().to_lowercase())));
    let since = filter.since;
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, AuditEntry>(
            "SELECT community_id, id, at, actor_kind, actor_id, actor_label, action, target_type, target_id, summary
         FROM audit_log
         WHERE ((community_id IS NULL AND $1 IS NULL) OR community_id = $1)
           AND ($2 IS NULL OR action LIKE $2 ESCAPE '\\')
           AND ($3 IS NULL OR actor_norm LIKE $3 ESCAPE '\\')
           AND ($4 IS NULL OR at >= $4)
           AND ($7 IS NULL OR target_id = $7)
         ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6"
        )
        .bind(community)
        .bind(&action)
        .bind(&actor)
        .bind(since)
        .bind(limit)
        .bind(offset)
        .bind(&filter.target_id)
    )?)
}
