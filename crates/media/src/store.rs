//! Files in the database, so that app nodes keep no state. A file belongs to a module (`owner`),
//! and, once attached, to one of its objects (`object_id`, e.g. a petition's id) for a
//! `purpose` there (`image`, `attachment`, `answer`). Functions that change files take the
//! owner too, so that one module never touches another's files.

use crate::process::{Kind, Processed, Variant};
use chrono::{DateTime, Utc};
use hromada_db::{Db, DbResult, execute, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, UserId};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

/// A stored file as pages list it; the bytes stay in the database until served.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize)]
pub struct MediaFile {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub owner: String,
    pub object_id: Option<String>,
    pub purpose: String,
    pub kind: String,
    pub content_type: String,
    pub file_name: String,
    /// Of the stored original.
    pub byte_size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub sha256: String,
    pub alt_text: Option<String>,
    /// Served to everyone; otherwise only to the uploader and the community's officials.
    pub public: bool,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl MediaFile {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Document)
    }

    pub fn is_image(&self) -> bool {
        self.kind() == Kind::Image
    }

    /// Path of a variant inside the community; prefix it with `tenant.url(…)` or `page.url(…)`.
    pub fn path(&self, variant: Variant) -> String {
        crate::path(self.id, variant)
    }
}

/// Where a new file belongs and who may see it.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    /// The module's key, e.g. `petitions`.
    pub owner: &'a str,
    /// The module's object; `None` keeps the file pending until [`attach`].
    pub object_id: Option<&'a str>,
    /// What the file is to the object, e.g. `image`, `attachment`, `answer`.
    pub purpose: &'a str,
    pub public: bool,
    pub created_by: Option<UserId>,
}

macro_rules! select_files {
    ($rest:literal) => {
        concat!(
            "SELECT community_id, id, owner, object_id, purpose, kind, content_type, file_name, byte_size, width, \
             height, sha256, alt_text, public, created_by, created_at FROM media_files ",
            $rest
        )
    };
}

/// Stores a processed upload with all its variants in one transaction.
pub async fn save(
    db: &Db,
    community: CommunityId,
    file: &Processed,
    new: &NewFile<'_>,
    now: DateTime<Utc>,
) -> DbResult<MediaFile> {
    let original = file.original();
    let row = MediaFile {
        community_id: community,
        id: hromada_kernel::new_id(),
        owner: new.owner.to_owned(),
        object_id: new.object_id.map(str::to_owned),
        purpose: new.purpose.to_owned(),
        kind: file.kind.code().to_owned(),
        content_type: original.content_type().to_owned(),
        file_name: file.file_name.clone(),
        byte_size: original.data.len() as i64,
        width: original.width.map(i64::from),
        height: original.height.map(i64::from),
        sha256: original.sha256.clone(),
        alt_text: file.alt_text.clone(),
        public: new.public,
        created_by: new.created_by,
        created_at: now,
    };
    write_tx!(db, tx => {
        sqlx::query(
            "INSERT INTO media_files (community_id, id, owner, object_id, purpose, kind, content_type, file_name,
                 byte_size, width, height, sha256, alt_text, public, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(row.community_id).bind(row.id).bind(&row.owner).bind(&row.object_id).bind(&row.purpose)
        .bind(&row.kind).bind(&row.content_type).bind(&row.file_name).bind(row.byte_size).bind(row.width)
        .bind(row.height).bind(&row.sha256).bind(&row.alt_text).bind(row.public).bind(row.created_by)
        .bind(row.created_at)
        .execute(&mut *tx).await?;
        for r in &file.renditions {
            sqlx::query(
                "INSERT INTO media_variants (community_id, file_id, variant, content_type, byte_size, width, height,
                     sha256, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(community).bind(row.id).bind(r.variant.code()).bind(r.content_type()).bind(r.data.len() as i64)
            .bind(r.width.map(i64::from)).bind(r.height.map(i64::from)).bind(&r.sha256).bind(&r.data)
            .execute(&mut *tx).await?;
        }
    });
    Ok(row)
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<MediaFile>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, MediaFile>(select_files!("WHERE community_id = $1 AND id = $2")).bind(community).bind(id)
    )?)
}

/// The files of one object of a module, oldest first.
pub async fn list_for(db: &Db, community: CommunityId, owner: &str, object_id: &str) -> DbResult<Vec<MediaFile>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, MediaFile>(select_files!(
            "WHERE community_id = $1 AND owner = $2 AND object_id = $3 ORDER BY created_at, id"
        ))
        .bind(community)
        .bind(owner)
        .bind(object_id)
    )?)
}

/// Gives pending files of this owner to an object; returns how many were attached. Files
/// attached already (to this or another object) are left alone, so a form cannot move them.
pub async fn attach(db: &Db, community: CommunityId, owner: &str, ids: &[Uuid], object_id: &str) -> DbResult<u64> {
    let mut attached = 0;
    write_tx!(db, tx => {
        for id in ids {
            attached += sqlx::query(
                "UPDATE media_files SET object_id = $4
                 WHERE community_id = $1 AND owner = $2 AND id = $3 AND object_id IS NULL",
            )
            .bind(community).bind(owner).bind(id).bind(object_id)
            .execute(&mut *tx).await?.rows_affected();
        }
    });
    Ok(attached)
}

/// Gives a pending file another owner's object: a photo sent to the chatbot becomes an
/// appeal's attachment. Only the account that uploaded it can give it away, once.
#[allow(clippy::too_many_arguments)]
pub async fn adopt(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    from_owner: &str,
    by: UserId,
    to_owner: &str,
    object_id: &str,
    purpose: &str,
) -> DbResult<bool> {
    let moved = execute!(
        db,
        sqlx::query(
            "UPDATE media_files SET owner = $5, object_id = $6, purpose = $7
             WHERE community_id = $1 AND id = $2 AND owner = $3 AND created_by = $4 AND object_id IS NULL"
        )
        .bind(community)
        .bind(id)
        .bind(from_owner)
        .bind(by)
        .bind(to_owner)
        .bind(object_id)
        .bind(purpose)
    )?;
    Ok(moved == 1)
}

/// Shows or hides every file of an object (a petition is published, an appeal stays private).
pub async fn set_public(db: &Db, community: CommunityId, owner: &str, object_id: &str, public: bool) -> DbResult<u64> {
    Ok(execute!(
        db,
        sqlx::query("UPDATE media_files SET public = $4 WHERE community_id = $1 AND owner = $2 AND object_id = $3")
            .bind(community)
            .bind(owner)
            .bind(object_id)
            .bind(public)
    )?)
}

pub async fn set_alt_text(
    db: &Db,
    community: CommunityId,
    owner: &str,
    id: Uuid,
    alt_text: Option<&str>,
) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("UPDATE media_files SET alt_text = $4 WHERE community_id = $1 AND owner = $2 AND id = $3")
            .bind(community)
            .bind(owner)
            .bind(id)
            .bind(alt_text.map(str::trim).filter(|a| !a.is_empty()))
    )?;
    Ok(n > 0)
}

/// Deletes a file with its variants.
pub async fn delete(db: &Db, community: CommunityId, owner: &str, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM media_files WHERE community_id = $1 AND owner = $2 AND id = $3")
            .bind(community)
            .bind(owner)
            .bind(id)
    )?;
    Ok(n > 0)
}

/// Deletes every file of an object, for when the object itself goes.
pub async fn delete_for(db: &Db, community: CommunityId, owner: &str, object_id: &str) -> DbResult<u64> {
    Ok(execute!(
        db,
        sqlx::query("DELETE FROM media_files WHERE community_id = $1 AND owner = $2 AND object_id = $3")
            .bind(community)
            .bind(owner)
            .bind(object_id)
    )?)
}

/// Deletes files of every community that were never attached and were uploaded before `before`
/// (a form abandoned after its files were sent); for a periodic job.
pub async fn purge_unattached(db: &Db, before: DateTime<Utc>) -> DbResult<u64> {
    Ok(execute!(db, sqlx::query("DELETE FROM media_files WHERE object_id IS NULL AND created_at < $1").bind(before))?)
}

/// Lets one more person see a private file of the owner's (the author of an appeal, its answer).
pub async fn share_with(db: &Db, community: CommunityId, owner: &str, id: Uuid, user: UserId) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("UPDATE media_files SET visible_to = $4 WHERE community_id = $1 AND owner = $2 AND id = $3")
            .bind(community)
            .bind(owner)
            .bind(id)
            .bind(user)
    )?;
    Ok(n > 0)
}

/// What serving a variant needs.
#[derive(Debug, Clone, FromRow)]
pub struct Content {
    pub kind: String,
    pub file_name: String,
    pub public: bool,
    pub created_by: Option<UserId>,
    pub visible_to: Option<UserId>,
    /// The variant served: the one asked for, or the next larger one when the image was small
    /// enough not to need it.
    pub variant: String,
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

pub async fn content(db: &Db, community: CommunityId, id: Uuid, variant: Variant) -> DbResult<Option<Content>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Content>(
            "SELECT f.kind, f.file_name, f.public, f.created_by, f.visible_to, v.variant, v.content_type, v.sha256, v.data
             FROM media_files f
             JOIN media_variants v ON v.community_id = f.community_id AND v.file_id = f.id
             WHERE f.community_id = $1 AND f.id = $2
               AND CASE v.variant WHEN 'thumb' THEN 0 WHEN 'display' THEN 1 ELSE 2 END >= $3
             ORDER BY CASE v.variant WHEN 'thumb' THEN 0 WHEN 'display' THEN 1 ELSE 2 END
             LIMIT 1"
        )
        .bind(community)
        .bind(id)
        .bind(variant.rank())
    )?)
}
