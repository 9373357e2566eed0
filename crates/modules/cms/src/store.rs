//! The site's rows: pages with their revisions, news, documents. Every function takes the
//! community first.

use crate::domain::{PageContent, fold, query_words, strip_markdown};
use chrono::{DateTime, NaiveDate, Utc};
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{Db, DbError, DbResult, execute, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, UserId};
use serde::Serialize;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

/// Counts this node's changes to what residents see of the site, so that cached pages are
/// dropped at once here (other nodes let theirs expire).
static SITE_CHANGES: hromada_db::core::changes::ChangeCounter = hromada_db::core::changes::ChangeCounter::new();

pub fn generation() -> u64 {
    SITE_CHANGES.current()
}

fn site_changed() {
    SITE_CHANGES.bump();
}

// ---------------------------------------------------------------------------------------------
// Site search

const INDEX_UPSERT: &str =
    "INSERT INTO cms_search (community_id, kind, ref_id, title, excerpt, path, folded, visible_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (community_id, kind, ref_id) DO UPDATE SET title = excluded.title, excerpt = excluded.excerpt,
         path = excluded.path, folded = excluded.folded, visible_from = excluded.visible_from";
const INDEX_DELETE: &str = "DELETE FROM cms_search WHERE community_id = $1 AND kind = $2 AND ref_id = $3";

/// What the site search keeps of an item.
struct Indexed<'a> {
    kind: &'static str,
    id: Uuid,
    title: &'a str,
    excerpt: String,
    path: String,
    folded: String,
    visible_from: DateTime<Utc>,
}

/// Puts an item into the search index inside a write transaction (either backend).
macro_rules! index_in {
    ($tx:ident, $community:expr, $item:expr) => {{
        let item: &Indexed = $item;
        sqlx::query(INDEX_UPSERT)
            .bind($community)
            .bind(item.kind)
            .bind(item.id)
            .bind(item.title)
            .bind(&item.excerpt)
            .bind(&item.path)
            .bind(&item.folded)
            .bind(item.visible_from)
            .execute(&mut *$tx)
            .await?
    }};
}

macro_rules! unindex_in {
    ($tx:ident, $community:expr, $kind:expr, $id:expr) => {
        sqlx::query(INDEX_DELETE).bind($community).bind($kind).bind($id).execute(&mut *$tx).await?
    };
}

fn page_path(slug: &str, home: bool) -> String {
    if home { "/".into() } else { format!("/pages/{slug}") }
}

fn page_entry<'a>(id: Uuid, slug: &str, home: bool, content: &'a PageContent, from: DateTime<Utc>) -> Indexed<'a> {
    Indexed {
        kind: "page",
        id,
        title: &content.title_uk,
        excerpt: content.excerpt(),
        path: page_path(slug, home),
        folded: content.search_text(),
        visible_from: from,
    }
}

/// One item the site search found.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Found {
    pub kind: String,
    pub title: String,
    pub excerpt: String,
    pub path: String,
}

/// The text-search configuration the PostgreSQL index was built with (see the migration).
async fn pg_config(db: &Db) -> DbResult<&'static str> {
    static CONFIG: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    if let Some(c) = CONFIG.get() {
        return Ok(c);
    }
    let expression: Option<(Option<String>,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT generation_expression::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'cms_search' AND column_name = 'search'"
        )
    )?;
    let ukrainian = expression.and_then(|e| e.0).is_some_and(|e| e.contains("ukrainian"));
    Ok(CONFIG.get_or_init(|| if ukrainian { "ukrainian" } else { "simple" }))
}

/// The site's pages, news and documents that have every word of the query (by its beginning),
/// best first.
pub async fn search(
    db: &Db,
    community: CommunityId,
    query: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> DbResult<Vec<Found>> {
    let words = query_words(query);
    if words.is_empty() {
        return Ok(vec![]);
    }
    Ok(match db {
        Db::Sqlite(pool) => {
            let matching = words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ");
            sqlx::query_as::<_, Found>(
                "SELECT s.kind, s.title, s.excerpt, s.path FROM cms_search_fts f JOIN cms_search s ON s.rowid = f.rowid
                 WHERE cms_search_fts MATCH $2 AND s.community_id = $1 AND s.visible_from <= $3
                 ORDER BY f.rank LIMIT $4",
            )
            .bind(community)
            .bind(matching)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            let config = pg_config(db).await?;
            let matching = words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ");
            sqlx::query_as::<_, Found>(
                "SELECT kind, title, excerpt, path FROM cms_search
                 WHERE community_id = $1 AND search @@ to_tsquery(CAST($5 AS regconfig), $2) AND visible_from <= $3
                 ORDER BY ts_rank(search, to_tsquery(CAST($5 AS regconfig), $2)) DESC, title LIMIT $4",
            )
            .bind(community)
            .bind(matching)
            .bind(now)
            .bind(limit)
            .bind(config)
            .fetch_all(pool)
            .await?
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Pages

#[derive(Debug, Clone, FromRow)]
pub struct StoredPage {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub slug: String,
    pub home: i64,
    pub draft: Json<PageContent>,
    pub draft_version: i64,
    pub live: Option<Json<PageContent>>,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled: Option<Json<PageContent>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StoredPage {
    pub fn is_home(&self) -> bool {
        self.home == 1
    }

    /// What residents see now: scheduled content once its time has come (even before the job
    /// folds it in), otherwise the published one.
    pub fn visible(&self, now: DateTime<Utc>) -> Option<&PageContent> {
        match (&self.scheduled, self.scheduled_at) {
            (Some(s), Some(at)) if at <= now => Some(&s.0),
            _ => self.live.as_ref().map(|l| &l.0),
        }
    }

    /// When what residents see last changed.
    pub fn modified(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.scheduled_at {
            Some(at) if at <= now => Some(at),
            _ => self.published_at,
        }
    }

    /// Whether the draft holds changes residents do not see yet.
    pub fn has_unpublished_changes(&self) -> bool {
        self.live.as_ref().is_none_or(|l| l.0 != self.draft.0)
    }
}

/// Who changed a page, for its history.
#[derive(Debug, Clone)]
pub struct Author {
    pub id: Option<UserId>,
    pub name: String,
}

#[derive(Debug)]
pub enum PageError {
    SlugTaken,
    /// Someone else changed the page since the editor opened it.
    Stale,
    NotFound,
    Db(DbError),
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        if e.is_unique_on("slug") { PageError::SlugTaken } else { PageError::Db(e) }
    }
}

impl From<sqlx::Error> for PageError {
    fn from(e: sqlx::Error) -> Self {
        DbError::from(e).into()
    }
}

const REVISION_INSERT: &str =
    "INSERT INTO cms_page_revisions (community_id, page_id, version, content, action, author_id, author_name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Records a version of a page inside a write transaction (either backend).
macro_rules! insert_revision {
    ($tx:ident, $community:expr, $page:expr, $version:expr, $content:expr, $action:expr, $author:expr, $now:expr) => {
        sqlx::query(REVISION_INSERT)
            .bind($community)
            .bind($page)
            .bind($version)
            .bind(Json($content))
            .bind($action)
            .bind($author.id)
            .bind($author.name.as_str())
            .bind($now)
            .execute(&mut *$tx)
            .await?
    };
}

pub async fn create_page(
    db: &Db,
    community: CommunityId,
    slug: &str,
    home: bool,
    content: &PageContent,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<Uuid, PageError> {
    let id = hromada_kernel::new_id();
    write_tx!(db, tx => {
        sqlx::query(
            "INSERT INTO cms_pages (community_id, id, slug, home, draft, draft_version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
        )
        .bind(community).bind(id).bind(slug).bind(i64::from(home)).bind(Json(content)).bind(now)
        .execute(&mut *tx).await?;
        insert_revision!(tx, community, id, 1_i64, content, "edit", author, now);
    });
    site_changed();
    Ok(id)
}

pub async fn pages(db: &Db, community: CommunityId) -> DbResult<Vec<StoredPage>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, StoredPage>(concat!(
            "SELECT community_id, id, slug, home, draft, draft_version, live, published_at, scheduled, ",
            "scheduled_at, created_at, updated_at FROM cms_pages WHERE community_id = $1 ORDER BY home DESC, slug"
        ))
        .bind(community)
    )?)
}

pub async fn page(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<StoredPage>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, StoredPage>(concat!(
            "SELECT community_id, id, slug, home, draft, draft_version, live, published_at, scheduled, ",
            "scheduled_at, created_at, updated_at FROM cms_pages WHERE community_id = $1 AND id = $2"
        ))
        .bind(community)
        .bind(id)
    )?)
}

pub async fn page_by_slug(db: &Db, community: CommunityId, slug: &str) -> DbResult<Option<StoredPage>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, StoredPage>(concat!(
            "SELECT community_id, id, slug, home, draft, draft_version, live, published_at, scheduled, ",
            "scheduled_at, created_at, updated_at FROM cms_pages WHERE community_id = $1 AND slug = $2"
        ))
        .bind(community)
        .bind(slug)
    )?)
}

pub async fn home_page(db: &Db, community: CommunityId) -> DbResult<Option<StoredPage>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, StoredPage>(concat!(
            "SELECT community_id, id, slug, home, draft, draft_version, live, published_at, scheduled, ",
            "scheduled_at, created_at, updated_at FROM cms_pages WHERE community_id = $1 AND home = 1"
        ))
        .bind(community)
    )?)
}

/// Replaces the draft if nobody changed it since `version`; records the revision. Returns the
/// new version.
#[allow(clippy::too_many_arguments)]
pub async fn save_draft(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    version: i64,
    content: &PageContent,
    action: &str,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<i64, PageError> {
    let next = version + 1;
    let changed = write_tx!(db, tx => {
        let n = sqlx::query(
            "UPDATE cms_pages SET draft = $4, draft_version = $5, updated_at = $6
             WHERE community_id = $1 AND id = $2 AND draft_version = $3",
        )
        .bind(community).bind(id).bind(version).bind(Json(content)).bind(next).bind(now)
        .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            insert_revision!(tx, community, id, next, content, action, author, now);
        }
        n == 1
    });
    site_changed();
    if changed { Ok(next) } else { Err(stale_or_missing(db, community, id).await) }
}

async fn stale_or_missing(db: &Db, community: CommunityId, id: Uuid) -> PageError {
    match page(db, community, id).await {
        Ok(Some(_)) => PageError::Stale,
        Ok(None) => PageError::NotFound,
        Err(e) => PageError::Db(e),
    }
}

pub async fn set_slug(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(), PageError> {
    let path = page_path(slug, false);
    let n = write_tx!(db, tx => {
        let n = sqlx::query("UPDATE cms_pages SET slug = $3, updated_at = $4 WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).bind(slug).bind(now).execute(&mut *tx).await?.rows_affected();
        sqlx::query("UPDATE cms_search SET path = $3 WHERE community_id = $1 AND kind = 'page' AND ref_id = $2")
            .bind(community).bind(id).bind(&path).execute(&mut *tx).await?;
        n
    });
    site_changed();
    if n == 1 { Ok(()) } else { Err(PageError::NotFound) }
}

/// Makes the draft at `version` what residents see, now or at `at`.
pub async fn publish(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    version: i64,
    at: Option<DateTime<Utc>>,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<(), PageError> {
    let done = write_tx!(db, tx => {
        let row: Option<(Json<PageContent>,)> = sqlx::query_as(
            "SELECT draft FROM cms_pages WHERE community_id = $1 AND id = $2 AND draft_version = $3",
        )
        .bind(community).bind(id).bind(version).fetch_optional(&mut *tx).await?;
        match row {
            None => false,
            Some((Json(content),)) => {
                match at.filter(|at| *at > now) {
                    Some(at) => {
                        sqlx::query(
                            "UPDATE cms_pages SET scheduled = draft, scheduled_at = $3, updated_at = $4
                             WHERE community_id = $1 AND id = $2",
                        )
                        .bind(community).bind(id).bind(at).bind(now).execute(&mut *tx).await?;
                    }
                    None => {
                        sqlx::query(
                            "UPDATE cms_pages SET live = draft, published_at = $3, scheduled = NULL, scheduled_at = NULL,
                                                  updated_at = $3
                             WHERE community_id = $1 AND id = $2",
                        )
                        .bind(community).bind(id).bind(now).execute(&mut *tx).await?;
                    }
                }
                let (slug, home, live): (String, i64, Option<Json<PageContent>>) =
                    sqlx::query_as("SELECT slug, home, live FROM cms_pages WHERE community_id = $1 AND id = $2")
                        .bind(community).bind(id).fetch_one(&mut *tx).await?;
                // The search finds what readers see: the published text now, a scheduled one
                // from its time when nothing is out yet (the job indexes it when it goes live).
                match (live, at.filter(|at| *at > now)) {
                    (Some(Json(live)), _) => {
                        index_in!(tx, community, &page_entry(id, &slug, home == 1, &live, now));
                    }
                    (None, Some(at)) => {
                        index_in!(tx, community, &page_entry(id, &slug, home == 1, &content, at));
                    }
                    (None, None) => {}
                }
                let action = if at.is_some_and(|at| at > now) { "schedule" } else { "publish" };
                // A publication is a version of its own: forms opened before it are stale.
                sqlx::query("UPDATE cms_pages SET draft_version = $3 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(version + 1).execute(&mut *tx).await?;
                insert_revision!(tx, community, id, version + 1, &content, action, author, now);
                true
            }
        }
    });
    site_changed();
    if done { Ok(()) } else { Err(stale_or_missing(db, community, id).await) }
}

/// Takes the page off the site; its draft and history stay.
pub async fn unpublish(db: &Db, community: CommunityId, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = write_tx!(db, tx => {
        unindex_in!(tx, community, "page", id);
        sqlx::query(
            "UPDATE cms_pages SET live = NULL, published_at = NULL, scheduled = NULL, scheduled_at = NULL, updated_at = $3
             WHERE community_id = $1 AND id = $2 AND home = 0",
        )
        .bind(community).bind(id).bind(now).execute(&mut *tx).await?.rows_affected()
    });
    site_changed();
    Ok(n == 1)
}

/// A page whose scheduled content is due: community, id, slug, home, content, time.
type DuePage = (CommunityId, Uuid, String, i64, Json<PageContent>, DateTime<Utc>);

/// Makes scheduled contents whose time has come the published ones, and what the search
/// finds of them; returns how many.
pub async fn fold_scheduled(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    let folded = write_tx!(db, tx => {
        let due: Vec<DuePage> = sqlx::query_as(
            "SELECT community_id, id, slug, home, scheduled, scheduled_at FROM cms_pages
             WHERE scheduled_at IS NOT NULL AND scheduled_at <= $1",
        )
        .bind(now).fetch_all(&mut *tx).await?;
        for (community, id, slug, home, Json(content), at) in &due {
            sqlx::query(
                "UPDATE cms_pages SET live = scheduled, published_at = scheduled_at, scheduled = NULL, scheduled_at = NULL
                 WHERE community_id = $1 AND id = $2",
            )
            .bind(community).bind(id).execute(&mut *tx).await?;
            index_in!(tx, community, &page_entry(*id, slug, *home == 1, content, *at));
        }
        due.len() as u64
    });
    if folded > 0 {
        site_changed();
    }
    Ok(folded)
}

pub async fn delete_page(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = write_tx!(db, tx => {
        let n = sqlx::query("DELETE FROM cms_pages WHERE community_id = $1 AND id = $2 AND home = 0")
            .bind(community).bind(id).execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            unindex_in!(tx, community, "page", id);
        }
        n
    });
    site_changed();
    Ok(n == 1)
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Revision {
    pub version: i64,
    pub action: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

pub async fn revisions(db: &Db, community: CommunityId, page: Uuid, limit: i64) -> DbResult<Vec<Revision>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Revision>(
            "SELECT version, action, author_name, created_at FROM cms_page_revisions
             WHERE community_id = $1 AND page_id = $2 ORDER BY version DESC LIMIT $3"
        )
        .bind(community)
        .bind(page)
        .bind(limit)
    )?)
}

pub async fn revision(db: &Db, community: CommunityId, page: Uuid, version: i64) -> DbResult<Option<PageContent>> {
    let row: Option<(Json<PageContent>,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT content FROM cms_page_revisions WHERE community_id = $1 AND page_id = $2 AND version = $3"
        )
        .bind(community)
        .bind(page)
        .bind(version)
    )?;
    Ok(row.map(|r| r.0.0))
}

/// `LIKE` patterns for folded search words: each word anywhere in the folded text.
fn like_patterns(words: &[String]) -> Vec<String> {
    words.iter().map(|w| format!("%{}%", w.replace(['%', '_'], ""))).collect()
}

// ---------------------------------------------------------------------------------------------
// News

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct News {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub number: i64,
    pub title_uk: String,
    pub title_en: String,
    pub summary_uk: String,
    pub summary_en: String,
    pub body_uk: String,
    pub body_en: String,
    pub category: String,
    pub tags: String,
    pub cover: Option<Uuid>,
    pub pinned: i64,
    pub settlements: Json<Vec<Uuid>>,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub announced_at: Option<DateTime<Utc>>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl News {
    /// Published and its time has come.
    pub fn is_public(&self, now: DateTime<Utc>) -> bool {
        self.status == "published" && self.published_at.is_some_and(|at| at <= now)
    }

    pub fn tag_list(&self) -> Vec<&str> {
        self.tags.split(',').map(str::trim).filter(|t| !t.is_empty()).collect()
    }
}

const NEWS_SELECT: &str = "SELECT community_id, id, number, title_uk, title_en, summary_uk, summary_en, body_uk, body_en, \
     category, tags, cover, pinned, settlements, status, published_at, announced_at, created_by, created_at, updated_at \
     FROM cms_news";

/// What an editor writes.
#[derive(Debug, Clone, Default)]
pub struct NewsDraft {
    pub title_uk: String,
    pub title_en: String,
    pub summary_uk: String,
    pub summary_en: String,
    pub body_uk: String,
    pub body_en: String,
    pub category: String,
    pub tags: String,
    pub cover: Option<Uuid>,
    pub pinned: bool,
    pub settlements: Vec<Uuid>,
    /// `None` keeps it a draft; a time publishes it then (now or later).
    pub publish_at: Option<DateTime<Utc>>,
}

impl NewsDraft {
    /// What the search finds of the item once it is out; `None` for a draft.
    fn search_entry(&self, id: Uuid, number: i64) -> Option<Indexed<'_>> {
        let at = self.publish_at?;
        let excerpt =
            if self.summary_uk.trim().is_empty() { strip_markdown(&self.body_uk) } else { self.summary_uk.clone() };
        Some(Indexed {
            kind: "news",
            id,
            title: &self.title_uk,
            excerpt: hromada_kernel::text::excerpt(&excerpt, 200),
            path: format!("/news/{number}"),
            folded: self.folded(),
            visible_from: at,
        })
    }

    fn folded(&self) -> String {
        fold(&format!(
            "{} {} {} {} {} {} {} {}",
            self.title_uk,
            self.title_en,
            self.summary_uk,
            self.summary_en,
            self.body_uk,
            self.body_en,
            self.category,
            self.tags
        ))
    }
}

pub async fn create_news(
    db: &Db,
    community: CommunityId,
    draft: &NewsDraft,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> DbResult<(Uuid, i64)> {
    let id = hromada_kernel::new_id();
    let status = if draft.publish_at.is_some() { "published" } else { "draft" };
    let number = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let (number,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM cms_news WHERE community_id = $1")
            .bind(community).fetch_one(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO cms_news (community_id, id, number, title_uk, title_en, summary_uk, summary_en, body_uk, body_en,
                                   category, tags, cover, pinned, settlements, status, published_at, folded, created_by,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)",
        )
        .bind(community).bind(id).bind(number)
        .bind(&draft.title_uk).bind(&draft.title_en).bind(&draft.summary_uk).bind(&draft.summary_en)
        .bind(&draft.body_uk).bind(&draft.body_en).bind(&draft.category).bind(&draft.tags).bind(draft.cover)
        .bind(i64::from(draft.pinned)).bind(Json(&draft.settlements)).bind(status).bind(draft.publish_at)
        .bind(draft.folded()).bind(by).bind(now)
        .execute(&mut *tx).await?;
        if let Some(entry) = draft.search_entry(id, number) {
            index_in!(tx, community, &entry);
        }
        number
    });
    site_changed();
    Ok((id, number))
}

pub async fn update_news(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    draft: &NewsDraft,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let status = if draft.publish_at.is_some() { "published" } else { "draft" };
    let n = write_tx!(db, tx => {
        let n = sqlx::query(
            "UPDATE cms_news SET title_uk = $3, title_en = $4, summary_uk = $5, summary_en = $6, body_uk = $7, body_en = $8,
                    category = $9, tags = $10, cover = $11, pinned = $12, settlements = $13, status = $14,
                    published_at = $15, folded = $16, updated_at = $17
             WHERE community_id = $1 AND id = $2",
        )
        .bind(community).bind(id).bind(&draft.title_uk).bind(&draft.title_en).bind(&draft.summary_uk)
        .bind(&draft.summary_en).bind(&draft.body_uk).bind(&draft.body_en).bind(&draft.category).bind(&draft.tags)
        .bind(draft.cover).bind(i64::from(draft.pinned)).bind(Json(&draft.settlements)).bind(status)
        .bind(draft.publish_at).bind(draft.folded()).bind(now)
        .execute(&mut *tx).await?.rows_affected();
        let number: Option<(i64,)> = sqlx::query_as("SELECT number FROM cms_news WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).fetch_optional(&mut *tx).await?;
        match number.and_then(|(number,)| draft.search_entry(id, number)) {
            Some(entry) => {
                index_in!(tx, community, &entry);
            }
            None => {
                unindex_in!(tx, community, "news", id);
            }
        }
        n
    });
    site_changed();
    Ok(n == 1)
}

pub async fn news_by_number(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<News>> {
    let sql = sqlx::AssertSqlSafe(format!("{NEWS_SELECT} WHERE community_id = $1 AND number = $2"));
    Ok(fetch_optional!(db, sqlx::query_as::<_, News>(sql).bind(community).bind(number))?)
}

pub async fn news(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<News>> {
    let sql = sqlx::AssertSqlSafe(format!("{NEWS_SELECT} WHERE community_id = $1 AND id = $2"));
    Ok(fetch_optional!(db, sqlx::query_as::<_, News>(sql).bind(community).bind(id))?)
}

/// Every item, drafts and scheduled ones too, newest first, for the editors.
pub async fn all_news(db: &Db, community: CommunityId, limit: i64, offset: i64) -> DbResult<Vec<News>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{NEWS_SELECT} WHERE community_id = $1 ORDER BY created_at DESC, number DESC LIMIT $2 OFFSET $3"
    ));
    Ok(fetch_all!(db, sqlx::query_as::<_, News>(sql).bind(community).bind(limit).bind(offset))?)
}

/// Which published news a reader asked for.
#[derive(Debug, Clone, Default)]
pub struct NewsFilter {
    pub category: Option<String>,
    pub tag: Option<String>,
    pub query: Option<String>,
}

/// Published news whose time has come: pinned first, then the newest. Returns the page and
/// the total.
pub async fn public_news(
    db: &Db,
    community: CommunityId,
    filter: &NewsFilter,
    now: DateTime<Utc>,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<News>, i64)> {
    let mut clauses = String::from(
        "WHERE community_id = $1 AND status = 'published' AND published_at <= $2 \
         AND (CAST($3 AS TEXT) IS NULL OR category = $3) AND (CAST($4 AS TEXT) IS NULL OR ',' || tags || ',' LIKE $4)",
    );
    let words = filter.query.as_deref().map(query_words).unwrap_or_default();
    for i in 0..words.len() {
        clauses.push_str(&format!(" AND folded LIKE ${}", 5 + i));
    }
    let tag = filter.tag.as_ref().map(|t| format!("%,{},%", t.replace(['%', '_'], "")));
    let list_sql = sqlx::AssertSqlSafe(format!(
        "{NEWS_SELECT} {clauses} ORDER BY pinned DESC, published_at DESC, number DESC LIMIT {limit} OFFSET {offset}",
        limit = limit.clamp(1, 200),
        offset = offset.max(0)
    ));
    let count_sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM cms_news {clauses}"));
    let patterns = like_patterns(&words);
    // The statements differ by the number of words, so each backend builds its own.
    let found = hromada_db::dispatch!(db, pool => {
        let mut list = sqlx::query_as::<_, News>(list_sql).bind(community).bind(now).bind(&filter.category).bind(&tag);
        let mut count = sqlx::query_as::<_, (i64,)>(count_sql).bind(community).bind(now).bind(&filter.category).bind(&tag);
        for p in &patterns {
            list = list.bind(p);
            count = count.bind(p);
        }
        match list.fetch_all(pool).await {
            Ok(items) => count.fetch_one(pool).await.map(|(total,)| (items, total)),
            Err(e) => Err(e),
        }
    })?;
    Ok(found)
}

/// Categories of news, for the filter.
pub async fn news_categories(db: &Db, community: CommunityId) -> DbResult<Vec<String>> {
    categories(
        db,
        community,
        "SELECT DISTINCT category FROM cms_news WHERE community_id = $1 AND category <> '' ORDER BY category",
    )
    .await
}

async fn categories(db: &Db, community: CommunityId, sql: &'static str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = fetch_all!(db, sqlx::query_as(sql).bind(community))?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn delete_news(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = write_tx!(db, tx => {
        unindex_in!(tx, community, "news", id);
        sqlx::query("DELETE FROM cms_news WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?.rows_affected()
    });
    site_changed();
    Ok(n == 1)
}

/// Published news whose time came and whose readers in the chatbot were not told yet, marked
/// told in the same step so that two app nodes never tell twice.
pub async fn take_unannounced(db: &Db, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<News>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{NEWS_SELECT} WHERE status = 'published' AND published_at <= $1 AND announced_at IS NULL \
         ORDER BY published_at LIMIT $2"
    ));
    let due = fetch_all!(db, sqlx::query_as::<_, News>(sql).bind(now).bind(limit))?;
    let mut taken = vec![];
    for item in due {
        let n = execute!(
            db,
            sqlx::query(
                "UPDATE cms_news SET announced_at = $3 WHERE community_id = $1 AND id = $2 AND announced_at IS NULL"
            )
            .bind(item.community_id)
            .bind(item.id)
            .bind(now)
        )?;
        if n == 1 {
            taken.push(item);
        }
    }
    Ok(taken)
}

/// Marks an item told without telling anyone (news imported or seeded after the fact).
pub async fn mark_announced(db: &Db, community: CommunityId, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE cms_news SET announced_at = $3 WHERE community_id = $1 AND id = $2 AND announced_at IS NULL"
        )
        .bind(community)
        .bind(id)
        .bind(now)
    )?;
    Ok(n == 1)
}

// ---------------------------------------------------------------------------------------------
// Documents

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Document {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub number: i64,
    pub title: String,
    pub act_number: String,
    pub act_date: Option<NaiveDate>,
    pub category: String,
    pub description: String,
    pub file: Option<Uuid>,
    pub published: i64,
    pub created_at: DateTime<Utc>,
}

const DOCUMENT_SELECT: &str = "SELECT community_id, id, number, title, act_number, act_date, category, description, \
     file, published, created_at FROM cms_documents";

#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    pub title: String,
    pub act_number: String,
    pub act_date: Option<NaiveDate>,
    pub category: String,
    pub description: String,
    pub file: Option<Uuid>,
}

pub async fn create_document(
    db: &Db,
    community: CommunityId,
    doc: &NewDocument,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> DbResult<(Uuid, i64)> {
    let id = hromada_kernel::new_id();
    let folded = fold(&format!("{} {} {} {}", doc.title, doc.act_number, doc.category, doc.description));
    let number = write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let (number,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM cms_documents WHERE community_id = $1")
                .bind(community).fetch_one(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO cms_documents (community_id, id, number, title, act_number, act_date, category, description, file,
                                        published, folded, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12)",
        )
        .bind(community).bind(id).bind(number).bind(&doc.title).bind(&doc.act_number).bind(doc.act_date)
        .bind(&doc.category).bind(&doc.description).bind(doc.file).bind(&folded).bind(by).bind(now)
        .execute(&mut *tx).await?;
        let entry = Indexed {
            kind: "document",
            id,
            title: &doc.title,
            excerpt: hromada_kernel::text::excerpt(&format!("{} {}", doc.act_number, strip_markdown(&doc.description)), 200),
            path: format!("/documents/{number}"),
            folded: folded.clone(),
            visible_from: now,
        };
        index_in!(tx, community, &entry);
        number
    });
    site_changed();
    Ok((id, number))
}

pub async fn document(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<Document>> {
    let sql = sqlx::AssertSqlSafe(format!("{DOCUMENT_SELECT} WHERE community_id = $1 AND number = $2"));
    Ok(fetch_optional!(db, sqlx::query_as::<_, Document>(sql).bind(community).bind(number))?)
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub category: Option<String>,
    pub year: Option<i32>,
    pub query: Option<String>,
}

/// Published documents, the newest acts first. Returns the page and the total.
pub async fn documents(
    db: &Db,
    community: CommunityId,
    filter: &DocumentFilter,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<Document>, i64)> {
    let mut clauses = String::from(
        "WHERE community_id = $1 AND published = 1 AND (CAST($2 AS TEXT) IS NULL OR category = $2) \
         AND ($3 = 0 OR (act_date >= $4 AND act_date < $5))",
    );
    let words = filter.query.as_deref().map(query_words).unwrap_or_default();
    for i in 0..words.len() {
        clauses.push_str(&format!(" AND folded LIKE ${}", 6 + i));
    }
    let year = filter.year.unwrap_or(0);
    let from = NaiveDate::from_ymd_opt(year.max(1), 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(year.max(1) + 1, 1, 1).unwrap_or_default();
    let list_sql = sqlx::AssertSqlSafe(format!(
        "{DOCUMENT_SELECT} {clauses} ORDER BY act_date DESC, number DESC LIMIT {limit} OFFSET {offset}",
        limit = limit.clamp(1, 200),
        offset = offset.max(0)
    ));
    let count_sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM cms_documents {clauses}"));
    let patterns = like_patterns(&words);
    let year = i64::from(year);
    let found = hromada_db::dispatch!(db, pool => {
        let mut list = sqlx::query_as::<_, Document>(list_sql).bind(community).bind(&filter.category).bind(year).bind(from).bind(to);
        let mut count = sqlx::query_as::<_, (i64,)>(count_sql).bind(community).bind(&filter.category).bind(year).bind(from).bind(to);
        for p in &patterns {
            list = list.bind(p);
            count = count.bind(p);
        }
        match list.fetch_all(pool).await {
            Ok(items) => count.fetch_one(pool).await.map(|(total,)| (items, total)),
            Err(e) => Err(e),
        }
    })?;
    Ok(found)
}

pub async fn document_categories(db: &Db, community: CommunityId) -> DbResult<Vec<String>> {
    categories(
        db,
        community,
        "SELECT DISTINCT category FROM cms_documents WHERE community_id = $1 AND category <> '' ORDER BY category",
    )
    .await
}

pub async fn delete_document(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = write_tx!(db, tx => {
        unindex_in!(tx, community, "document", id);
        sqlx::query("DELETE FROM cms_documents WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?.rows_affected()
    });
    site_changed();
    Ok(n == 1)
}

pub async fn document_by_id(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Document>> {
    let sql = sqlx::AssertSqlSafe(format!("{DOCUMENT_SELECT} WHERE community_id = $1 AND id = $2"));
    Ok(fetch_optional!(db, sqlx::query_as::<_, Document>(sql).bind(community).bind(id))?)
}
