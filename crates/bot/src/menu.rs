//! The menu a community builds for its bot in admin: items on the main menu or in a submenu,
//! each a module's way in, a page of text (emergency numbers, say), a link, a submenu, or
//! "talk to an official". This node keeps each community's menu until it changes here or the
//! cache's time runs out.

use hromada_db::core::changes::ChangeCounter;
use hromada_db::{Db, DbResult, execute, fetch_all, write_tx};
use hromada_kernel::{CommunityId, Lang};
use serde::Serialize;
use sqlx::FromRow;
use std::sync::Arc;
use uuid::Uuid;

static CHANGES: ChangeCounter = ChangeCounter::new();

/// What an item does when pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Module,
    Page,
    Link,
    Submenu,
    Official,
}

impl Action {
    pub const ALL: [Action; 5] = [Action::Module, Action::Page, Action::Link, Action::Submenu, Action::Official];

    pub fn code(self) -> &'static str {
        match self {
            Action::Module => "module",
            Action::Page => "page",
            Action::Link => "link",
            Action::Submenu => "submenu",
            Action::Official => "official",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Item {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub position: i64,
    pub emoji: String,
    pub label_uk: String,
    pub label_en: Option<String>,
    pub action: String,
    pub target: String,
    pub body: String,
}

impl Item {
    pub fn label(&self, lang: Lang) -> String {
        let text = match lang {
            Lang::En => self.label_en.as_deref().filter(|l| !l.is_empty()).unwrap_or(&self.label_uk),
            Lang::Uk => &self.label_uk,
        };
        if self.emoji.is_empty() { text.to_owned() } else { format!("{} {text}", self.emoji) }
    }

    pub fn action(&self) -> Option<Action> {
        Action::parse(&self.action)
    }
}

pub type MenuCache = hromada_web::cache::TtlMap<CommunityId, Arc<Vec<Item>>>;

/// Every item of the community's menu, in order; from this node's cache when unchanged.
pub async fn items(db: &Db, cache: Option<&MenuCache>, community: CommunityId) -> DbResult<Arc<Vec<Item>>> {
    if let Some(hit) = cache.and_then(|c| c.get(&community, CHANGES.current())) {
        return Ok(hit);
    }
    let generation = CHANGES.current();
    let rows = Arc::new(fetch_all!(
        db,
        sqlx::query_as::<_, Item>(
            "SELECT id, parent_id, position, emoji, label_uk, label_en, action, target, body FROM bot_menu_items
             WHERE community_id = $1 ORDER BY position, id"
        )
        .bind(community)
    )?);
    if let Some(c) = cache {
        c.put(community, rows.clone(), generation, CHANGES.current());
    }
    Ok(rows)
}

/// An item as the admin form gives it, checked.
#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    pub parent_id: Option<Uuid>,
    pub emoji: &'a str,
    pub label_uk: &'a str,
    pub label_en: Option<&'a str>,
    pub action: Action,
    pub target: &'a str,
    pub body: &'a str,
}

/// Adds an item at the end of its menu.
pub async fn add(db: &Db, community: CommunityId, item: &NewItem<'_>) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    write_tx!(db, tx => {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM bot_menu_items WHERE community_id = $1")
            .bind(community)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO bot_menu_items (community_id, id, parent_id, position, emoji, label_uk, label_en, action, target,
                                         body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(community)
        .bind(id)
        .bind(item.parent_id)
        .bind(last.unwrap_or(0) + 1)
        .bind(item.emoji)
        .bind(item.label_uk)
        .bind(item.label_en)
        .bind(item.action.code())
        .bind(item.target)
        .bind(item.body)
        .execute(&mut *tx)
        .await?;
    });
    CHANGES.bump();
    Ok(id)
}

/// Moves an item one place up (`-1`) or down (`1`) among its siblings.
pub async fn shift(db: &Db, community: CommunityId, id: Uuid, by: i64) -> DbResult<bool> {
    let moved = write_tx!(db, tx => {
        let all: Vec<Item> = sqlx::query_as(
            "SELECT id, parent_id, position, emoji, label_uk, label_en, action, target, body FROM bot_menu_items
             WHERE community_id = $1 ORDER BY position, id",
        )
        .bind(community)
        .fetch_all(&mut *tx)
        .await?;
        let Some(me) = all.iter().find(|i| i.id == id) else { return Ok(false) };
        let siblings: Vec<&Item> = all.iter().filter(|i| i.parent_id == me.parent_id).collect();
        let at = siblings.iter().position(|i| i.id == id).unwrap_or(0) as i64;
        let target = at + by;
        match (target >= 0).then(|| siblings.get(target as usize)).flatten() {
            Some(other) => {
                for (item, position) in [(me.id, other.position), (other.id, me.position)] {
                    sqlx::query("UPDATE bot_menu_items SET position = $3 WHERE community_id = $1 AND id = $2")
                        .bind(community)
                        .bind(item)
                        .bind(position)
                        .execute(&mut *tx)
                        .await?;
                }
                true
            }
            None => false,
        }
    });
    CHANGES.bump();
    Ok(moved)
}

/// Deletes an item, and a submenu's items with it.
pub async fn delete(db: &Db, community: CommunityId, id: Uuid) -> DbResult<bool> {
    let n = write_tx!(db, tx => {
        sqlx::query("DELETE FROM bot_menu_items WHERE community_id = $1 AND parent_id = $2")
            .bind(community)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM bot_menu_items WHERE community_id = $1 AND id = $2")
            .bind(community)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    });
    CHANGES.bump();
    Ok(n == 1)
}

/// Back to the menu made of every module's ways in.
pub async fn reset(db: &Db, community: CommunityId) -> DbResult<()> {
    execute!(db, sqlx::query("DELETE FROM bot_menu_items WHERE community_id = $1").bind(community))?;
    CHANGES.bump();
    Ok(())
}
