//! The catalogue's tables: categories, service cards and the offices that give them, tiles and
//! cameras. Every function takes the community.

use crate::domain::Card;
use chrono::{DateTime, Utc};
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{Db, DbResult, execute, fetch_all, fetch_one, fetch_optional, write_tx};
use hromada_kernel::text::{fold, query_words};
use hromada_kernel::{CommunityId, GeoPoint, Lang};
use serde::Serialize;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Category {
    pub id: Uuid,
    pub code: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub position: i64,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_uk, self.name_en.as_deref())
    }
}

/// An administrative service, by the fields of the standard information card.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ServiceCard {
    pub id: Uuid,
    pub number: i64,
    pub code: String,
    pub category_id: Option<Uuid>,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub recipients: String,
    pub documents: String,
    pub cost_kopiykas: Option<i64>,
    pub cost_note: String,
    pub term: String,
    pub result: String,
    pub how_to_receive: String,
    pub legal_basis: String,
    pub online_url: Option<String>,
    pub published: bool,
    pub updated_at: DateTime<Utc>,
}

impl ServiceCard {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_uk, self.name_en.as_deref())
    }
}

const CARD_COLUMNS: &str = "id, number, code, category_id, name_uk, name_en, recipients, documents, cost_kopiykas, \
     cost_note, term, result, how_to_receive, legal_basis, online_url, published, updated_at";

/// The search form of a card: its names and code, a `|` no folded text contains, then the rest,
/// so that a query can rank cards whose name has the word above those that only mention it.
fn folded(card: &Card) -> String {
    format!(
        "{} | {}",
        fold(&format!("{} {} {}", card.name_uk, card.name_en.as_deref().unwrap_or(""), card.code)),
        fold(&format!("{} {} {}", card.recipients, card.result, card.documents))
    )
}

pub async fn categories(db: &Db, community: CommunityId) -> DbResult<Vec<Category>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Category>(
            "SELECT id, code, name_uk, name_en, position FROM services_categories
             WHERE community_id = $1 ORDER BY position, name_uk"
        )
        .bind(community)
    )?)
}

/// Adds a category, or renames the one with this code; gives its id.
pub async fn save_category(
    db: &Db,
    community: CommunityId,
    code: &str,
    name_uk: &str,
    name_en: Option<&str>,
) -> DbResult<Uuid> {
    let id = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let (id,): (Uuid,) = sqlx::query_as(
            "INSERT INTO services_categories (community_id, id, code, name_uk, name_en, position)
             VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position), 0) + 1 FROM services_categories WHERE community_id = $1))
             ON CONFLICT (community_id, code) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en
             RETURNING id")
            .bind(community).bind(hromada_kernel::new_id()).bind(code).bind(name_uk).bind(name_en)
            .fetch_one(&mut *tx).await?;
        id
    });
    Ok(id)
}

pub async fn delete_category(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = write_tx!(db, tx => {
        sqlx::query("UPDATE services_cards SET category_id = NULL WHERE community_id = $1 AND category_id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM services_categories WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?.rows_affected()
    });
    Ok(n == 1)
}

/// Which cards a list shows.
#[derive(Debug, Clone, Default)]
pub struct CardFilter {
    pub query: Option<String>,
    pub category: Option<Uuid>,
    /// Drafts too (the officials' list).
    pub unpublished: bool,
}

/// Words a catalogue search uses at most; one statement shape serves every query.
const SEARCH_WORDS: usize = 4;

/// Cards matching the filter: with a query, those with every word, names first; otherwise
/// in alphabetical order.
pub async fn cards(db: &Db, community: CommunityId, filter: &CardFilter, limit: i64) -> DbResult<Vec<ServiceCard>> {
    let words = filter.query.as_deref().map(query_words).unwrap_or_default();
    let mut patterns: Vec<String> =
        words.iter().take(SEARCH_WORDS).map(|w| format!("%{}%", hromada_db::like_escape(w))).collect();
    let in_name = patterns.first().map(|p| format!("{p}|%")).unwrap_or_else(|| "%".into());
    patterns.resize(SEARCH_WORDS, "%".into());
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {CARD_COLUMNS} FROM services_cards
         WHERE community_id = $1 AND ($2 OR published) AND (CAST($3 AS TEXT) IS NULL OR category_id = $4)
           AND folded LIKE $5 ESCAPE '\\' AND folded LIKE $6 ESCAPE '\\' AND folded LIKE $7 ESCAPE '\\' AND folded LIKE $8 ESCAPE '\\'
         ORDER BY CASE WHEN folded LIKE $9 ESCAPE '\\' THEN 0 ELSE 1 END, name_uk, number
         LIMIT $10"
    ));
    let category_text = filter.category.map(|c| c.to_string());
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, ServiceCard>(sql)
            .bind(community)
            .bind(filter.unpublished)
            .bind(&category_text)
            .bind(filter.category)
            .bind(&patterns[0])
            .bind(&patterns[1])
            .bind(&patterns[2])
            .bind(&patterns[3])
            .bind(&in_name)
            .bind(limit.clamp(1, 100_000))
    )?)
}

/// How many cards residents see.
pub async fn count_published(db: &Db, community: CommunityId) -> DbResult<i64> {
    let (n,): (i64,) = fetch_one!(
        db,
        sqlx::query_as("SELECT COUNT(*) FROM services_cards WHERE community_id = $1 AND published").bind(community)
    )?;
    Ok(n)
}

pub async fn card(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<ServiceCard>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {CARD_COLUMNS} FROM services_cards WHERE community_id = $1 AND number = $2"
    ));
    Ok(fetch_optional!(db, sqlx::query_as::<_, ServiceCard>(sql).bind(community).bind(number))?)
}

/// The offices a card is offered at (none listed: at every office).
pub async fn card_offices(db: &Db, community: CommunityId, card: Uuid) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = fetch_all!(
        db,
        sqlx::query_as("SELECT office_id FROM services_card_offices WHERE community_id = $1 AND card_id = $2")
            .bind(community)
            .bind(card)
    )?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A card to write: new (`id: None`) or a change of an existing one.
pub struct CardWrite<'a> {
    pub id: Option<Uuid>,
    pub card: &'a Card,
    pub category: Option<Uuid>,
    /// `Some`: replace the offices it is given at; `None`: leave them as they are.
    pub offices: Option<&'a [Uuid]>,
    /// For a new card: change the card with the same code (or, without a code, the same name)
    /// if there is one, as an import does, instead of adding a second.
    pub merge: bool,
}

/// What [`save_cards`] did with one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub id: Uuid,
    pub number: i64,
    pub created: bool,
}

/// Writes cards in one transaction, in order. The lookup for merging runs inside the
/// transaction, which holds the community's write lock, so two imports of one file at once
/// still leave one card per service.
pub async fn save_cards(
    db: &Db,
    community: CommunityId,
    writes: &[CardWrite<'_>],
    now: DateTime<Utc>,
) -> DbResult<Vec<Saved>> {
    let saved = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let (mut next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM services_cards WHERE community_id = $1")
            .bind(community).fetch_one(&mut *tx).await?;
        let mut saved = Vec::with_capacity(writes.len());
        for w in writes {
            let c = w.card;
            let mut id = w.id;
            if id.is_none() && w.merge {
                let found: Option<(Uuid,)> = sqlx::query_as(
                    "SELECT id FROM services_cards WHERE community_id = $1
                       AND CASE WHEN $2 <> '' THEN code = $2 ELSE code = '' AND name_uk = $3 END")
                    .bind(community).bind(&c.code).bind(&c.name_uk)
                    .fetch_optional(&mut *tx).await?;
                id = found.map(|(id,)| id);
            }
            let one = match id {
                Some(id) => {
                    let row: Option<(i64,)> = sqlx::query_as(
                        "UPDATE services_cards SET code = $3, category_id = $4, name_uk = $5, name_en = $6, recipients = $7,
                            documents = $8, cost_kopiykas = $9, cost_note = $10, term = $11, result = $12, how_to_receive = $13,
                            legal_basis = $14, online_url = $15, published = $16, folded = $17, updated_at = $18
                         WHERE community_id = $1 AND id = $2 RETURNING number")
                        .bind(community).bind(id).bind(&c.code).bind(w.category).bind(&c.name_uk).bind(&c.name_en)
                        .bind(&c.recipients).bind(&c.documents).bind(c.cost_kopiykas).bind(&c.cost_note).bind(&c.term)
                        .bind(&c.result).bind(&c.how_to_receive).bind(&c.legal_basis).bind(&c.online_url).bind(c.published)
                        .bind(folded(c)).bind(now)
                        .fetch_optional(&mut *tx).await?;
                    match row {
                        Some((number,)) => Saved { id, number, created: false },
                        None => return Err(hromada_db::DbError::NotFound),
                    }
                }
                None => {
                    let id = hromada_kernel::new_id();
                    sqlx::query(
                        "INSERT INTO services_cards (community_id, id, number, code, category_id, name_uk, name_en, recipients,
                            documents, cost_kopiykas, cost_note, term, result, how_to_receive, legal_basis, online_url, published,
                            folded, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)")
                        .bind(community).bind(id).bind(next).bind(&c.code).bind(w.category).bind(&c.name_uk).bind(&c.name_en)
                        .bind(&c.recipients).bind(&c.documents).bind(c.cost_kopiykas).bind(&c.cost_note).bind(&c.term)
                        .bind(&c.result).bind(&c.how_to_receive).bind(&c.legal_basis).bind(&c.online_url).bind(c.published)
                        .bind(folded(c)).bind(now)
                        .execute(&mut *tx).await?;
                    next += 1;
                    Saved { id, number: next - 1, created: true }
                }
            };
            if let Some(offices) = w.offices {
                sqlx::query("DELETE FROM services_card_offices WHERE community_id = $1 AND card_id = $2")
                    .bind(community).bind(one.id).execute(&mut *tx).await?;
                for office in offices {
                    sqlx::query(
                        "INSERT INTO services_card_offices (community_id, card_id, office_id)
                         SELECT $1, $2, id FROM services_offices WHERE community_id = $1 AND id = $3")
                        .bind(community).bind(one.id).bind(office).execute(&mut *tx).await?;
                }
            }
            saved.push(one);
        }
        saved
    });
    Ok(saved)
}

pub async fn delete_card(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM services_cards WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n == 1)
}

/// A place residents get services at: the CNAP, a remote workplace, a starosta's office.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Office {
    pub id: Uuid,
    pub kind: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub hours: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub position: i64,
}

impl Office {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_uk, self.name_en.as_deref())
    }

    pub fn point(&self) -> Option<GeoPoint> {
        GeoPoint::new(self.lat?, self.lon?)
    }
}

#[derive(Debug, Clone)]
pub struct NewOffice {
    pub kind: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub point: Option<GeoPoint>,
    pub hours: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub async fn offices(db: &Db, community: CommunityId) -> DbResult<Vec<Office>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Office>(
            "SELECT id, kind, name_uk, name_en, address, lat, lon, hours, phone, email, position
             FROM services_offices WHERE community_id = $1 ORDER BY position"
        )
        .bind(community)
    )?)
}

/// Adds an office (`id: None`) or changes one; gives its id, or `None` when there is no such office.
pub async fn save_office(db: &Db, community: CommunityId, id: Option<Uuid>, o: &NewOffice) -> DbResult<Option<Uuid>> {
    let (lat, lon) = (o.point.map(|p| p.lat), o.point.map(|p| p.lon));
    let saved = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        match id {
            Some(id) => sqlx::query(
                "UPDATE services_offices SET kind = $3, name_uk = $4, name_en = $5, address = $6, lat = $7, lon = $8,
                    hours = $9, phone = $10, email = $11 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).bind(&o.kind).bind(&o.name_uk).bind(&o.name_en).bind(&o.address).bind(lat).bind(lon)
                .bind(&o.hours).bind(&o.phone).bind(&o.email)
                .execute(&mut *tx).await?.rows_affected().eq(&1).then_some(id),
            None => {
                let id = hromada_kernel::new_id();
                sqlx::query(
                    "INSERT INTO services_offices (community_id, id, kind, name_uk, name_en, address, lat, lon, hours, phone, email, position)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                             (SELECT COALESCE(MAX(position), 0) + 1 FROM services_offices WHERE community_id = $1))")
                    .bind(community).bind(id).bind(&o.kind).bind(&o.name_uk).bind(&o.name_en).bind(&o.address).bind(lat).bind(lon)
                    .bind(&o.hours).bind(&o.phone).bind(&o.email)
                    .execute(&mut *tx).await?;
                Some(id)
            }
        }
    });
    Ok(saved)
}

pub async fn delete_office(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM services_offices WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n == 1)
}

/// A service run elsewhere, shown as a tile with a link.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Tile {
    pub id: Uuid,
    pub icon: String,
    pub title_uk: String,
    pub title_en: Option<String>,
    pub description_uk: String,
    pub description_en: Option<String>,
    pub url: String,
    pub in_bot: bool,
    pub position: i64,
}

impl Tile {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_uk, self.title_en.as_deref())
    }

    pub fn description(&self, lang: Lang) -> &str {
        lang.pick(&self.description_uk, self.description_en.as_deref())
    }
}

#[derive(Debug, Clone)]
pub struct NewTile {
    pub icon: String,
    pub title_uk: String,
    pub title_en: Option<String>,
    pub description_uk: String,
    pub description_en: Option<String>,
    pub url: String,
    pub in_bot: bool,
}

pub async fn tiles(db: &Db, community: CommunityId) -> DbResult<Vec<Tile>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Tile>(
            "SELECT id, icon, title_uk, title_en, description_uk, description_en, url, in_bot, position
             FROM services_tiles WHERE community_id = $1 ORDER BY position"
        )
        .bind(community)
    )?)
}

pub async fn save_tile(db: &Db, community: CommunityId, id: Option<Uuid>, t: &NewTile) -> DbResult<Option<Uuid>> {
    let saved = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        match id {
            Some(id) => sqlx::query(
                "UPDATE services_tiles SET icon = $3, title_uk = $4, title_en = $5, description_uk = $6, description_en = $7,
                    url = $8, in_bot = $9 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).bind(&t.icon).bind(&t.title_uk).bind(&t.title_en).bind(&t.description_uk)
                .bind(&t.description_en).bind(&t.url).bind(t.in_bot)
                .execute(&mut *tx).await?.rows_affected().eq(&1).then_some(id),
            None => {
                let id = hromada_kernel::new_id();
                sqlx::query(
                    "INSERT INTO services_tiles (community_id, id, icon, title_uk, title_en, description_uk, description_en, url, in_bot, position)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                             (SELECT COALESCE(MAX(position), 0) + 1 FROM services_tiles WHERE community_id = $1))")
                    .bind(community).bind(id).bind(&t.icon).bind(&t.title_uk).bind(&t.title_en).bind(&t.description_uk)
                    .bind(&t.description_en).bind(&t.url).bind(t.in_bot)
                    .execute(&mut *tx).await?;
                Some(id)
            }
        }
    });
    Ok(saved)
}

pub async fn delete_tile(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM services_tiles WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n == 1)
}

/// A public camera: where it looks and how to see it.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Camera {
    pub id: Uuid,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub snapshot_url: Option<String>,
    pub stream_url: Option<String>,
    pub status: String,
    pub position: i64,
}

impl Camera {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_uk, self.name_en.as_deref())
    }

    pub fn point(&self) -> Option<GeoPoint> {
        GeoPoint::new(self.lat?, self.lon?)
    }
}

#[derive(Debug, Clone)]
pub struct NewCamera {
    pub name_uk: String,
    pub name_en: Option<String>,
    pub address: String,
    pub point: Option<GeoPoint>,
    pub snapshot_url: Option<String>,
    pub stream_url: Option<String>,
    pub status: String,
}

pub async fn cameras(db: &Db, community: CommunityId) -> DbResult<Vec<Camera>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Camera>(
            "SELECT id, name_uk, name_en, address, lat, lon, snapshot_url, stream_url, status, position
             FROM services_cameras WHERE community_id = $1 ORDER BY position"
        )
        .bind(community)
    )?)
}

pub async fn save_camera(db: &Db, community: CommunityId, id: Option<Uuid>, c: &NewCamera) -> DbResult<Option<Uuid>> {
    let (lat, lon) = (c.point.map(|p| p.lat), c.point.map(|p| p.lon));
    let saved = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        match id {
            Some(id) => sqlx::query(
                "UPDATE services_cameras SET name_uk = $3, name_en = $4, address = $5, lat = $6, lon = $7, snapshot_url = $8,
                    stream_url = $9, status = $10 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).bind(&c.name_uk).bind(&c.name_en).bind(&c.address).bind(lat).bind(lon)
                .bind(&c.snapshot_url).bind(&c.stream_url).bind(&c.status)
                .execute(&mut *tx).await?.rows_affected().eq(&1).then_some(id),
            None => {
                let id = hromada_kernel::new_id();
                sqlx::query(
                    "INSERT INTO services_cameras (community_id, id, name_uk, name_en, address, lat, lon, snapshot_url, stream_url, status, position)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                             (SELECT COALESCE(MAX(position), 0) + 1 FROM services_cameras WHERE community_id = $1))")
                    .bind(community).bind(id).bind(&c.name_uk).bind(&c.name_en).bind(&c.address).bind(lat).bind(lon)
                    .bind(&c.snapshot_url).bind(&c.stream_url).bind(&c.status)
                    .execute(&mut *tx).await?;
                Some(id)
            }
        }
    });
    Ok(saved)
}

pub async fn delete_camera(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query("DELETE FROM services_cameras WHERE community_id = $1 AND id = $2").bind(community).bind(id)
    )?;
    Ok(n == 1)
}
