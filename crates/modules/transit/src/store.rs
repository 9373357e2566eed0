//! The timetable and the realtime message as stored, and the feed each node keeps in memory.

use crate::{Feed, Realtime, Report, import};
use chrono::{DateTime, Utc};
use hromada_db::{Db, DbResult, execute, fetch_optional};
use hromada_kernel::CommunityId;
use sqlx::types::Json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use uuid::Uuid;

/// What the officials see of the stored timetable.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedSummary {
    pub id: Uuid,
    pub imported_at: DateTime<Utc>,
    pub report: Json<Report>,
    pub stops: i64,
    pub routes: i64,
    pub trips: i64,
    pub stop_times: i64,
}

pub async fn summary(db: &Db, community: CommunityId) -> DbResult<Option<FeedSummary>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, FeedSummary>(
            "SELECT id, imported_at, report, stops, routes, trips, stop_times FROM transit_feeds WHERE community_id = $1"
        )
        .bind(community)
    )?)
}

/// Stores an imported timetable in place of the one before, in one statement.
pub async fn save_feed(
    db: &Db,
    community: CommunityId,
    archive: &[u8],
    feed: &Feed,
    report: &Report,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = hromada_kernel::new_id();
    execute!(
        db,
        sqlx::query(
            "INSERT INTO transit_feeds (community_id, id, imported_at, archive, report, stops, routes, trips, stop_times)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (community_id) DO UPDATE SET id = excluded.id, imported_at = excluded.imported_at,
                archive = excluded.archive, report = excluded.report, stops = excluded.stops, routes = excluded.routes,
                trips = excluded.trips, stop_times = excluded.stop_times"
        )
        .bind(community)
        .bind(id)
        .bind(now)
        .bind(archive)
        .bind(Json(report))
        .bind(feed.stops().len() as i64)
        .bind(feed.routes().len() as i64)
        .bind(feed.trips().len() as i64)
        .bind(feed.stop_times().len() as i64)
    )?;
    Ok(id)
}

pub async fn save_realtime(db: &Db, community: CommunityId, message: &[u8], fetched_at: DateTime<Utc>) -> DbResult<()> {
    execute!(
        db,
        sqlx::query(
            "INSERT INTO transit_realtime (community_id, fetched_at, message) VALUES ($1, $2, $3)
             ON CONFLICT (community_id) DO UPDATE SET fetched_at = excluded.fetched_at, message = excluded.message"
        )
        .bind(community)
        .bind(fetched_at)
        .bind(message)
    )?;
    Ok(())
}

/// The timetable and realtime data a node holds for one community.
pub struct Loaded {
    pub feed_id: Uuid,
    pub feed: Arc<Feed>,
    pub realtime: Option<Realtime>,
    realtime_at: Option<DateTime<Utc>>,
}

fn cache() -> &'static Mutex<HashMap<CommunityId, Arc<Loaded>>> {
    static CACHE: OnceLock<Mutex<HashMap<CommunityId, Arc<Loaded>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The community's timetable with its latest realtime data, read from the database only when
/// either changed since this node last read it; `None` when no timetable was imported.
pub async fn loaded(db: &Db, community: CommunityId, max_age: chrono::Duration) -> anyhow::Result<Option<Arc<Loaded>>> {
    let versions: Option<(Uuid, Option<DateTime<Utc>>)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT f.id, r.fetched_at FROM transit_feeds f
             LEFT JOIN transit_realtime r ON r.community_id = f.community_id WHERE f.community_id = $1"
        )
        .bind(community)
    )?;
    let Some((feed_id, realtime_at)) = versions else { return Ok(None) };
    let held = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&community).cloned();
    if let Some(held) = held.as_ref().filter(|h| h.feed_id == feed_id && h.realtime_at == realtime_at) {
        return Ok(Some(held.clone()));
    }
    let feed = match held.as_ref().filter(|h| h.feed_id == feed_id) {
        // Same timetable, new realtime: keep the parsed feed.
        Some(h) => h.feed.clone(),
        None => {
            let archive: Option<(Vec<u8>,)> = fetch_optional!(
                db,
                sqlx::query_as("SELECT archive FROM transit_feeds WHERE community_id = $1 AND id = $2")
                    .bind(community)
                    .bind(feed_id)
            )?;
            let Some((archive,)) = archive else { return Ok(None) };
            Arc::new(tokio::task::spawn_blocking(move || import::from_bytes(&archive)).await??.feed)
        }
    };
    let realtime = match realtime_at {
        Some(_) => {
            let row: Option<(DateTime<Utc>, Vec<u8>)> = fetch_optional!(
                db,
                sqlx::query_as("SELECT fetched_at, message FROM transit_realtime WHERE community_id = $1")
                    .bind(community)
            )?;
            row.and_then(|(at, bytes)| Realtime::decode(&bytes, at).ok()).map(|r| r.with_max_age(max_age))
        }
        None => None,
    };
    let loaded = Arc::new(Loaded { feed_id, feed, realtime, realtime_at });
    cache().lock().unwrap_or_else(|e| e.into_inner()).insert(community, loaded.clone());
    Ok(Some(loaded))
}
