use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{Db, DbResult, execute, fetch_all, write_tx};
use hromada_kernel::{CommunityId, Lang};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

/// Someone residents can reach.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Contact {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub position: i64,
    pub name: String,
    pub role_uk: String,
    pub role_en: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reception_hours: Option<String>,
    pub photo: Option<Uuid>,
}

impl Contact {
    pub fn role(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.role_en.as_deref().unwrap_or(&self.role_uk),
            Lang::Uk => &self.role_uk,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub name: String,
    pub role_uk: String,
    pub role_en: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reception_hours: Option<String>,
    /// A portrait from the shared uploads.
    pub photo: Option<Uuid>,
}

pub async fn list(db: &Db, community: CommunityId) -> DbResult<Vec<Contact>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Contact>(
            "SELECT community_id, id, position, name, role_uk, role_en, phone, email, reception_hours, photo
         FROM about_contacts WHERE community_id = $1 ORDER BY position"
        )
        .bind(community)
    )?)
}

pub async fn create(db: &Db, community: CommunityId, c: &NewContact) -> DbResult<Uuid> {
    create_with_id(db, community, hromada_kernel::new_id(), c).await
}

/// Like [`create`], with the id chosen first (its photo is stored under it).
pub async fn create_with_id(db: &Db, community: CommunityId, id: Uuid, c: &NewContact) -> DbResult<Uuid> {
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO about_contacts (community_id, id, position, name, role_uk, role_en, phone, email, reception_hours, photo)
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM about_contacts WHERE community_id = $1),
                     $3, $4, $5, $6, $7, $8, $9)")
            .bind(community).bind(id).bind(&c.name).bind(&c.role_uk).bind(&c.role_en).bind(&c.phone).bind(&c.email)
            .bind(&c.reception_hours).bind(c.photo)
            .execute(&mut *tx).await?;
    });
    Ok(id)
}

pub async fn delete(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM about_contacts WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n > 0)
}
