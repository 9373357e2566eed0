use super::communities::LOCK_COMMUNITY;
use crate::{Db, DbError, DbResult, fetch_all, write_tx};
use hromada_kernel::{CommunityId, Lang};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

/// A city, town or village of the community; villages may form a starosta district (старостинський округ).
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Settlement {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub starosta_district: Option<String>,
    pub position: i64,
}

impl Settlement {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().unwrap_or(&self.name_uk),
            Lang::Uk => &self.name_uk,
        }
    }
}

pub const KINDS: [&str; 4] = ["city", "town", "village", "settlement"];

pub async fn create(
    db: &Db,
    community: CommunityId,
    name_uk: &str,
    name_en: Option<&str>,
    kind: &str,
    starosta_district: Option<&str>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    write_tx!(db, tx => {
        // Positions are "last + 1": concurrent additions must take turns.
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO settlements (community_id, id, name_uk, name_en, kind, starosta_district, position)
             VALUES ($1, $2, $3, $4, $5, $6,
                     (SELECT COALESCE(MAX(position), 0) + 1 FROM settlements WHERE community_id = $1))")
            .bind(community).bind(id).bind(name_uk).bind(name_en).bind(kind).bind(starosta_district)
            .execute(&mut *tx).await?;
    });
    Ok(id)
}

pub async fn list(db: &Db, community: CommunityId) -> DbResult<Vec<Settlement>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Settlement>(
            "SELECT community_id, id, name_uk, name_en, kind, starosta_district, position FROM settlements
         WHERE community_id = $1 ORDER BY position"
        )
        .bind(community)
    )?)
}

/// The Ukrainian name of the settlement an account gave as its home, or empty when none.
pub async fn home_name(db: &Db, community: CommunityId, settlement: Option<Uuid>) -> DbResult<String> {
    let Some(id) = settlement else { return Ok(String::new()) };
    let found: Option<(String,)> = crate::fetch_optional!(
        db,
        sqlx::query_as("SELECT name_uk FROM settlements WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(found.map(|r| r.0).unwrap_or_default())
}

/// Removes a settlement nobody lives in; one with residents is `DbError::Unique("settlements.in_use")`.
pub async fn delete(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let deleted = write_tx!(db, tx => {
        // With the community locked no resident can choose this settlement between the check and the delete.
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE community_id = $1 AND settlement_id = $2")
            .bind(community).bind(id).fetch_one(&mut *tx).await?;
        if used > 0 {
            return Err(DbError::Unique("settlements.in_use".into()));
        }
        sqlx::query("DELETE FROM settlements WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?.rows_affected()
    });
    super::changes::changed();
    Ok(deleted > 0)
}
