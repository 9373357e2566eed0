use crate::{Db, DbError, DbResult, execute, fetch_all, fetch_optional, write_tx};
use chrono::{DateTime, Utc};
use hromada_kernel::{CommunityId, Lang};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

/// How residents reach the community's offices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contacts {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub hours: String,
}

/// A territorial community (громада): one tenant of the installation.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Community {
    pub id: CommunityId,
    pub slug: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub coat_of_arms: Option<String>,
    pub contacts: Json<Contacts>,
    /// Settings from the community's statute, one object per module key.
    pub statute: Json<serde_json::Value>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
}

impl Community {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().filter(|n| !n.is_empty()).unwrap_or(&self.name_uk),
            Lang::Uk => &self.name_uk,
        }
    }

    /// The statute settings of one module, or `null` when the community set none.
    pub fn statute_of(&self, module: &str) -> &serde_json::Value {
        self.statute.0.get(module).unwrap_or(&serde_json::Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct NewCommunity {
    pub slug: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub coat_of_arms: Option<String>,
    pub contacts: Contacts,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Host {
    pub host: String,
    pub community_id: CommunityId,
    pub is_primary: bool,
}

/// Taken first in a write transaction, it orders writers of one community's rows (positions,
/// counters) on PostgreSQL; SQLite's `BEGIN IMMEDIATE` orders all writers anyway.
pub const LOCK_COMMUNITY: &str = "UPDATE communities SET enabled = enabled WHERE id = $1";

pub async fn create(db: &Db, new: NewCommunity, now: DateTime<Utc>) -> DbResult<Community> {
    let row = Community {
        id: hromada_kernel::new_id(),
        slug: new.slug,
        name_uk: new.name_uk,
        name_en: new.name_en,
        coat_of_arms: new.coat_of_arms,
        contacts: Json(new.contacts),
        statute: Json(serde_json::json!({})),
        enabled: true,
        created_at: now,
    };
    execute!(
        db,
        sqlx::query(
            "INSERT INTO communities (id, slug, name_uk, name_en, coat_of_arms, contacts, statute, enabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(row.id)
        .bind(&row.slug)
        .bind(&row.name_uk)
        .bind(&row.name_en)
        .bind(&row.coat_of_arms)
        .bind(&row.contacts)
        .bind(&row.statute)
        .bind(row.enabled)
        .bind(row.created_at)
    )?;
    super::changes::changed();
    Ok(row)
}

pub async fn list(db: &Db) -> DbResult<Vec<Community>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Community>(
            "SELECT id, slug, name_uk, name_en, coat_of_arms, contacts, statute, enabled, created_at
         FROM communities ORDER BY name_uk"
        )
    )?)
}

pub async fn by_slug(db: &Db, slug: &str) -> DbResult<Option<Community>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Community>(
            "SELECT id, slug, name_uk, name_en, coat_of_arms, contacts, statute, enabled, created_at
         FROM communities WHERE slug = $1"
        )
        .bind(slug)
    )?)
}

pub async fn by_id(db: &Db, id: CommunityId) -> DbResult<Option<Community>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Community>(
            "SELECT id, slug, name_uk, name_en, coat_of_arms, contacts, statute, enabled, created_at
         FROM communities WHERE id = $1"
        )
        .bind(id)
    )?)
}

/// The community a host name belongs to, and whether that host is its primary one.
pub async fn by_host(db: &Db, host: &str) -> DbResult<Option<(Community, bool)>> {
    // Every request asks this: one query, not a host lookup and then a community lookup.
    let found: Option<HostedCommunity> = fetch_optional!(
        db,
        sqlx::query_as::<_, HostedCommunity>(
            "SELECT c.id, c.slug, c.name_uk, c.name_en, c.coat_of_arms, c.contacts, c.statute, c.enabled, c.created_at,
                    h.is_primary
             FROM community_hosts h JOIN communities c ON c.id = h.community_id WHERE h.host = $1"
        )
        .bind(host.trim().to_ascii_lowercase())
    )?;
    Ok(found.map(|f| (f.community, f.is_primary)))
}

#[derive(FromRow)]
struct HostedCommunity {
    #[sqlx(flatten)]
    community: Community,
    is_primary: bool,
}

pub async fn hosts(db: &Db, community: CommunityId) -> DbResult<Vec<Host>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Host>(
            "SELECT host, community_id, is_primary FROM community_hosts WHERE community_id = $1
         ORDER BY is_primary DESC, host"
        )
        .bind(community)
    )?)
}

pub async fn primary_host(db: &Db, community: CommunityId) -> DbResult<Option<String>> {
    let row: Option<(String,)> = fetch_optional!(
        db,
        sqlx::query_as("SELECT host FROM community_hosts WHERE community_id = $1 AND is_primary").bind(community)
    )?;
    Ok(row.map(|r| r.0))
}

/// Makes `host` the primary host of the community; the former primary becomes an alias.
/// A host that belongs to another community is a conflict.
pub async fn set_primary_host(db: &Db, community: CommunityId, host: &str) -> DbResult<()> {
    set_host(db, community, host, true).await
}

pub async fn add_alias_host(db: &Db, community: CommunityId, host: &str) -> DbResult<()> {
    set_host(db, community, host, false).await
}

async fn set_host(db: &Db, community: CommunityId, host: &str, primary: bool) -> DbResult<()> {
    let host = host.trim().to_ascii_lowercase();
    write_tx!(db, tx => {
        let owner: Option<(Uuid,)> = sqlx::query_as("SELECT community_id FROM community_hosts WHERE host = $1")
            .bind(&host).fetch_optional(&mut *tx).await?;
        if owner.is_some_and(|(o,)| o != community) {
            return Err(DbError::Unique("community_hosts.host".into()));
        }
        if primary {
            sqlx::query("UPDATE community_hosts SET is_primary = FALSE WHERE community_id = $1 AND is_primary")
                .bind(community).execute(&mut *tx).await?;
        }
        // The owner check above can race with another community taking the host: the upsert
        // only ever updates this community's own row, and touching nothing means it lost.
        let done = sqlx::query(
            "INSERT INTO community_hosts (host, community_id, is_primary) VALUES ($1, $2, $3)
             ON CONFLICT (host) DO UPDATE SET is_primary = excluded.is_primary
             WHERE community_hosts.community_id = excluded.community_id")
            .bind(&host).bind(community).bind(primary).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(DbError::Unique("community_hosts.host".into()));
        }
    });
    super::changes::changed();
    Ok(())
}

pub async fn remove_host(db: &Db, community: CommunityId, host: &str) -> DbResult<bool> {
    let affected = execute!(
        db,
        sqlx::query("DELETE FROM community_hosts WHERE community_id = $1 AND host = $2")
            .bind(community)
            .bind(host.trim().to_ascii_lowercase())
    )?;
    super::changes::changed();
    Ok(affected > 0)
}

pub async fn set_enabled(db: &Db, community: CommunityId, enabled: bool) -> DbResult<()> {
    execute!(db, sqlx::query("UPDATE communities SET enabled = $2 WHERE id = $1").bind(community).bind(enabled))?;
    super::changes::changed();
    Ok(())
}

pub async fn update_details(
    db: &Db,
    community: CommunityId,
    name_uk: &str,
    name_en: Option<&str>,
    coat_of_arms: Option<&str>,
    contacts: &Contacts,
) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "UPDATE communities SET name_uk = $2, name_en = $3, coat_of_arms = $4, contacts = $5 WHERE id = $1"
        )
        .bind(community)
        .bind(name_uk)
        .bind(name_en)
        .bind(coat_of_arms)
        .bind(Json(contacts))
    )?;
    super::changes::changed();
    Ok(())
}

/// Replaces the statute settings of one module, leaving the other modules' settings as they are.
pub async fn set_statute(db: &Db, community: CommunityId, module: &str, value: serde_json::Value) -> DbResult<()> {
    write_tx!(db, tx => {
        // Take the row lock before reading, so that concurrent edits of different modules'
        // settings do not overwrite each other (SQLite's BEGIN IMMEDIATE already serialises).
        sqlx::query("UPDATE communities SET statute = statute WHERE id = $1").bind(community).execute(&mut *tx).await?;
        let (Json(mut statute),): (Json<serde_json::Value>,) =
            sqlx::query_as("SELECT statute FROM communities WHERE id = $1")
                .bind(community).fetch_one(&mut *tx).await?;
        if !statute.is_object() {
            statute = serde_json::json!({});
        }
        statute[module] = value;
        sqlx::query("UPDATE communities SET statute = $2 WHERE id = $1")
            .bind(community).bind(Json(statute)).execute(&mut *tx).await?;
    });
    super::changes::changed();
    Ok(())
}
