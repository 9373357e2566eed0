//! Petitions in the database, and the group-commit writer that takes signatures.

use crate::domain::{self, Action, ChainEntry, Rules, Status};
use chrono::{DateTime, NaiveDate, Utc};
use hromada_db::batch::{by_size, params_from, values_sql_from};
use hromada_db::core::changes::ChangeCounter;
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::core::holidays;
use hromada_db::{BatchWriter, Db, DbError, DbResult, fetch_all, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, UserId, WorkingCalendar};
use serde::Serialize;
use sqlx::FromRow;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Petition {
    pub community_id: CommunityId,
    pub id: Uuid,
    pub number: i64,
    pub author_id: UserId,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub category: String,
    pub status: String,
    pub refusal_reason: Option<String>,
    pub refusal_text: Option<String>,
    pub decision: Option<String>,
    pub answer_text: Option<String>,
    pub threshold: i64,
    pub collection_days: i64,
    pub moderation_days: i64,
    pub consideration_days: i64,
    pub signature_count: i64,
    #[serde(with = "hex_bytes")]
    pub chain_head: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub moderation_due: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    pub collection_ends: Option<NaiveDate>,
    pub threshold_reached_at: Option<DateTime<Utc>>,
    pub consideration_due: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }
}

impl Petition {
    pub fn status(&self) -> Status {
        Status::parse(&self.status, self.refusal_reason.as_deref(), self.decision.as_deref()).unwrap_or(Status::Draft)
    }
}

macro_rules! select_petitions {
    ($($tail:expr),+) => {
        concat!(
            "SELECT community_id, id, number, author_id, author_name, title, body, category, status, refusal_reason, \
             refusal_text, decision, answer_text, threshold, collection_days, moderation_days, consideration_days, \
             signature_count, chain_head, created_at, \
             submitted_at, moderation_due, published_at, collection_ends, threshold_reached_at, consideration_due, \
             answered_at FROM petitions ",
            $($tail),+
        )
    };
}

pub struct NewPetition<'a> {
    pub author_id: UserId,
    pub author_name: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub category: &'a str,
}

/// A new draft, numbered after the community's last petition. The statute's numbers as they are
/// today stay with the petition: a later change of the statute does not move its goalposts.
pub async fn create_draft(
    db: &Db,
    community: CommunityId,
    new: NewPetition<'_>,
    rules: &Rules,
    now: DateTime<Utc>,
) -> DbResult<Petition> {
    let id = hromada_kernel::new_id();
    let head = domain::genesis(id).to_vec();
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO petitions (community_id, id, number, author_id, author_name, title, body, category, status,
                                    threshold, collection_days, moderation_days, consideration_days, signature_count,
                                    chain_head, created_at)
             VALUES ($1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM petitions WHERE community_id = $1),
                     $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $11, 0, $12, $13)")
            .bind(community).bind(id).bind(new.author_id).bind(new.author_name).bind(new.title).bind(new.body)
            .bind(new.category).bind(i64::from(rules.threshold)).bind(i64::from(rules.collection_days))
            .bind(i64::from(rules.moderation_working_days)).bind(i64::from(rules.consideration_working_days))
            .bind(&head).bind(now)
            .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO petition_events (community_id, petition_id, id, at, status, actor_id, note) VALUES ($1, $2, $3, $4, 'draft', $5, '')")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(new.author_id)
            .execute(&mut *tx).await?;
    });
    get(db, community, id).await?.ok_or(DbError::NotFound)
}

pub async fn get(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Petition>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Petition>(select_petitions!("WHERE community_id = $1 AND id = $2"))
            .bind(community)
            .bind(id)
    )?)
}

/// A per-process count of changes to petitions' states and texts, for caches of petition rows
/// (a signature changes only the count, which may lag a cache's lifetime).
static CHANGES: ChangeCounter = ChangeCounter::new();

pub fn changes() -> u64 {
    CHANGES.current()
}

fn changed() {
    CHANGES.bump();
}

/// How a list of petitions is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    MostSigned,
    /// Collecting petitions whose period ends first.
    EndingSoon,
    /// Best match of the search words first (without search words: newest).
    Relevance,
}

impl Sort {
    pub fn parse(code: &str) -> Sort {
        match code {
            "signed" => Sort::MostSigned,
            "ending" => Sort::EndingSoon,
            "relevance" => Sort::Relevance,
            _ => Sort::Newest,
        }
    }

    fn order_by(self, searching: bool) -> &'static str {
        match self {
            // The index's own order, best first; no tie-break, which would sort every match.
            Sort::Relevance if searching => "ORDER BY found.rank",
            // NULLS LAST: the backends disagree on where a refused petition's missing date goes.
            Sort::Newest | Sort::Relevance => "ORDER BY published_at DESC NULLS LAST, number DESC",
            Sort::MostSigned => "ORDER BY signature_count DESC, number DESC",
            Sort::EndingSoon => "ORDER BY CASE WHEN status = 'collecting' THEN 0 ELSE 1 END, collection_ends, number",
        }
    }
}

/// What a public list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter<'a> {
    pub status: Option<&'a str>,
    pub category: Option<&'a str>,
    /// Search words: every one must start a word of the title or text.
    pub words: Option<&'a str>,
    pub sort: Sort,
}

/// How search words are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Every word (a search box).
    All,
    /// Any of the longer words (petitions like the one being written).
    Any,
}

/// The words of a search as a query for the backend's full-text index, or `None` when nothing
/// searchable is left. Only letters and digits pass, so the query syntax cannot be injected.
fn text_query(db: &Db, text: &str, how: Match) -> Option<String> {
    let min_len = if how == Match::Any { 4 } else { 1 };
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= min_len)
        .map(str::to_lowercase)
        .take(12)
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(match (db, how) {
        (Db::Sqlite(_), Match::All) => words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
        (Db::Sqlite(_), Match::Any) => words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" OR "),
        (Db::Postgres(_), Match::All) => words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
        (Db::Postgres(_), Match::Any) => words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" | "),
    })
}

/// The one place where the backends differ: a derived table `found (petition_id, rank)` of the
/// community's petitions matching `$6`, lower rank first.
fn search_join(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => {
            "JOIN (SELECT petition_id, rank FROM petitions_fts
                   WHERE petitions_fts MATCH $6 AND community_id = $1 ORDER BY rank) AS found
             ON found.petition_id = petitions.id "
        }
        Db::Postgres(_) => {
            "JOIN (SELECT id AS petition_id, -ts_rank(search, to_tsquery('simple', $6)) AS rank
                   FROM petitions WHERE community_id = $1 AND search @@ to_tsquery('simple', $6)) AS found
             ON found.petition_id = petitions.id "
        }
    }
}

/// Public petitions of a community, filtered, searched and ordered.
pub async fn list_filtered(
    db: &Db,
    community: CommunityId,
    f: &ListFilter<'_>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<Petition>> {
    let search = f.words.and_then(|w| text_query(db, w, Match::All));
    if f.words.is_some_and(|w| !w.trim().is_empty()) && search.is_none() {
        return Ok(vec![]);
    }
    list_public(db, community, f.status, f.category, search.as_deref(), f.sort, None, limit, offset).await
}

/// Public petitions whose titles share words with `title`, best match first: shown to an author
/// before submitting, to join an existing petition rather than split the signatures.
pub async fn similar(
    db: &Db,
    community: CommunityId,
    title: &str,
    except: Uuid,
    limit: i64,
) -> DbResult<Vec<Petition>> {
    let Some(search) = text_query(db, title, Match::Any) else { return Ok(vec![]) };
    list_public(db, community, None, None, Some(&search), Sort::Relevance, Some(except), limit, 0).await
}

#[allow(clippy::too_many_arguments)]
async fn list_public(
    db: &Db,
    community: CommunityId,
    status: Option<&str>,
    category: Option<&str>,
    search: Option<&str>,
    sort: Sort,
    except: Option<Uuid>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<Petition>> {
    // `status = $2` rather than `($2 IS NULL OR status = $2)`, so that the index serves it; the
    // unused parameter is still bound, to keep the numbering.
    let sql = format!(
        "{} {} WHERE community_id = $1 AND status NOT IN ('draft', 'submitted', 'returned')
           AND {} AND {} {} {} LIMIT $4 OFFSET $5",
        select_petitions!(""),
        if search.is_some() { search_join(db) } else { "" },
        if status.is_some() { "status = $2" } else { "CAST($2 AS TEXT) IS NULL" },
        if category.is_some() { "category = $3" } else { "CAST($3 AS TEXT) IS NULL" },
        if except.is_some() { "AND id <> $7" } else { "" },
        sort.order_by(search.is_some()),
    );
    // Built from the fixed fragments above only; every value is bound.
    Ok(fetch_all!(db, {
        let mut q = sqlx::query_as::<_, Petition>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(community)
            .bind(status)
            .bind(category)
            .bind(limit)
            .bind(offset);
        if let Some(words) = search {
            q = q.bind(words);
        }
        if let Some(id) = except {
            q = q.bind(id);
        }
        q
    })?)
}

/// Why a step could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Transition(#[from] domain::TransitionError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        StepError::Db(e.into())
    }
}

#[derive(FromRow)]
struct StepRow {
    status: String,
    refusal_reason: Option<String>,
    decision: Option<String>,
    collection_days: i64,
    moderation_days: i64,
    consideration_days: i64,
}

#[derive(FromRow)]
struct ChainRow {
    seq: i64,
    display_name: String,
    signed_at: DateTime<Utc>,
    commitment: Vec<u8>,
    hash: Vec<u8>,
}

#[derive(FromRow)]
struct SigningRow {
    status: String,
    signature_count: i64,
    chain_head: Vec<u8>,
    threshold: i64,
    collection_ends: Option<NaiveDate>,
    consideration_days: i64,
}

/// Takes a step of the lifecycle, sets the dates the law attaches to it, and notes it in the timeline.
#[allow(clippy::too_many_arguments)]
pub async fn step(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    action: Action,
    actor: Option<UserId>,
    note: &str,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Result<Petition, StepError> {
    let today = now.date_naive();
    write_tx!(db, tx => {
        sqlx::query("UPDATE petitions SET status = status WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).execute(&mut *tx).await?;
        let row: Option<StepRow> = sqlx::query_as(
            "SELECT status, refusal_reason, decision, collection_days, moderation_days, consideration_days
             FROM petitions WHERE community_id = $1 AND id = $2")
            .bind(community).bind(id).fetch_optional(&mut *tx).await?;
        let StepRow { status, refusal_reason, decision, collection_days, moderation_days, consideration_days } =
            row.ok_or(DbError::NotFound)?;
        let current = Status::parse(&status, refusal_reason.as_deref(), decision.as_deref()).unwrap_or(Status::Draft);
        let next = current.apply(action)?;
        let frozen = Rules {
            collection_days: collection_days as u32,
            moderation_working_days: moderation_days as u32,
            consideration_working_days: consideration_days as u32,
            ..Rules::default()
        };
        match action {
            Action::Submit => {
                let due = domain::moderation_due(&frozen, calendar, today);
                sqlx::query("UPDATE petitions SET status = $3, submitted_at = $4, moderation_due = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(now).bind(due).execute(&mut *tx).await?;
            }
            Action::Publish => {
                let ends = domain::collection_ends(&frozen, today);
                sqlx::query("UPDATE petitions SET status = $3, published_at = $4, collection_ends = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(now).bind(ends).execute(&mut *tx).await?;
            }
            Action::Refuse(reason) => {
                sqlx::query("UPDATE petitions SET status = $3, refusal_reason = $4, refusal_text = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(reason.code()).bind(note).execute(&mut *tx).await?;
            }
            Action::ReachThreshold => {
                let due = domain::consideration_due(&frozen, calendar, today);
                sqlx::query("UPDATE petitions SET status = $3, threshold_reached_at = $4, consideration_due = $5 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(now).bind(due).execute(&mut *tx).await?;
            }
            Action::Answer(decision) => {
                sqlx::query("UPDATE petitions SET status = $3, decision = $4, answer_text = $5, answered_at = $6 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).bind(decision.code()).bind(note).bind(now).execute(&mut *tx).await?;
            }
            Action::ReturnForChanges | Action::EndCollection | Action::PassAsAppeal | Action::Archive => {
                sqlx::query("UPDATE petitions SET status = $3 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(id).bind(next.code()).execute(&mut *tx).await?;
            }
        }
        sqlx::query("INSERT INTO petition_events (community_id, petition_id, id, at, status, actor_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(next.code()).bind(actor).bind(note)
            .execute(&mut *tx).await?;
    });
    changed();
    get(db, community, id).await?.ok_or(StepError::Db(DbError::NotFound))
}

/// The public signer list from `after` (exclusive), in signing order.
pub async fn chain(
    db: &Db,
    community: CommunityId,
    petition: Uuid,
    after: i64,
    limit: i64,
) -> DbResult<Vec<ChainEntry>> {
    let rows: Vec<ChainRow> = fetch_all!(
        db,
        sqlx::query_as::<_, ChainRow>(
            "SELECT seq, display_name, signed_at, commitment, hash FROM petition_signatures
             WHERE community_id = $1 AND petition_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
        )
        .bind(community)
        .bind(petition)
        .bind(after)
        .bind(limit)
    )?;
    Ok(rows
        .into_iter()
        .map(|r| ChainEntry {
            seq: r.seq as u64,
            display_name: r.display_name,
            signed_at: r.signed_at,
            commitment: hex::encode(r.commitment),
            hash: hex::encode(r.hash),
        })
        .collect())
}

// ---------- signing ----------

/// One signature to take.
#[derive(Debug, Clone)]
pub struct SignRequest {
    pub community: CommunityId,
    pub petition: Uuid,
    /// The person key when the signer is verified by e-ID, the account id otherwise.
    pub signer_key: Vec<u8>,
    pub user_id: Option<UserId>,
    pub display_name: String,
    /// Handed to the signer; only a commitment to it is published.
    pub receipt_code: String,
    pub at: DateTime<Utc>,
    /// The client's network (`ClientIp::network`), empty when unknown; counted, never stored per signature.
    pub network: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutcome {
    /// Durable, with its place in the chain and the count after it.
    Signed {
        seq: i64,
        count: i64,
    },
    AlreadySigned,
    NotCollecting,
}

/// Writes signatures in batches: one transaction per batch, the petition row locked once per
/// petition in it, the count and chain head updated once per petition per batch.
pub struct SignatureWriter;

impl BatchWriter for SignatureWriter {
    type Item = SignRequest;
    type Output = SignOutcome;

    async fn write_batch(&self, db: &Db, items: &[SignRequest]) -> Result<Vec<SignOutcome>, DbError> {
        let mut outcomes = vec![SignOutcome::NotCollecting; items.len()];
        // Items grouped by petition, in arrival order.
        let mut groups: Vec<((CommunityId, Uuid), Vec<usize>)> = vec![];
        let mut index: HashMap<(CommunityId, Uuid), usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let key = (item.community, item.petition);
            let g = *index.entry(key).or_insert_with(|| {
                groups.push((key, vec![]));
                groups.len() - 1
            });
            groups[g].1.push(i);
        }
        let mut reached = false;
        write_tx!(db, tx => {
            for ((community, petition), members) in &groups {
                sqlx::query("UPDATE petitions SET signature_count = signature_count WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(petition).execute(&mut *tx).await?;
                let row: Option<SigningRow> = sqlx::query_as(
                    "SELECT status, signature_count, chain_head, threshold, collection_ends, consideration_days FROM petitions
                     WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(petition).fetch_optional(&mut *tx).await?;
                let Some(SigningRow { status, signature_count: mut count, chain_head: head, threshold, collection_ends: ends, consideration_days: consideration }) = row else { continue };
                let Ok(mut prev) = <[u8; 32]>::try_from(head.as_slice()) else { continue };
                let start = count;
                // Who of this batch has signed before: one statement per few dozen signers,
                // under the petition's lock, so nobody can sign in between.
                let keys: Vec<&[u8]> = members.iter().map(|&i| items[i].signer_key.as_slice()).collect();
                let mut signed: HashSet<Vec<u8>> = HashSet::new();
                for chunk in by_size(&keys, |k| k.len()) {
                    let sql = format!(
                        "SELECT signer_key FROM petition_signatures WHERE community_id = $1 AND petition_id = $2 AND signer_key IN ({})",
                        params_from(3, chunk.len())
                    );
                    let mut q = sqlx::query_scalar::<_, Vec<u8>>(sqlx::AssertSqlSafe(sql)).bind(community).bind(petition);
                    for key in chunk {
                        q = q.bind(*key);
                    }
                    signed.extend(q.fetch_all(&mut *tx).await?);
                }
                let mut networks: HashMap<(DateTime<Utc>, &str), i64> = HashMap::new();
                let mut rows: Vec<(usize, i64, [u8; 32], [u8; 32])> = vec![];
                for &i in members {
                    let item = &items[i];
                    let open = status == "collecting" && ends.is_some_and(|e| item.at.date_naive() <= e) && count < threshold;
                    if !open {
                        outcomes[i] = SignOutcome::NotCollecting;
                        continue;
                    }
                    if !signed.insert(item.signer_key.clone()) {
                        outcomes[i] = SignOutcome::AlreadySigned;
                        continue;
                    }
                    let seq = count + 1;
                    let commitment = domain::receipt_commitment(*petition, seq as u64, &item.receipt_code);
                    let hash = domain::entry_hash(&prev, *petition, seq as u64, &item.display_name, item.at, &commitment);
                    rows.push((i, seq, commitment, hash));
                    count = seq;
                    prev = hash;
                    outcomes[i] = SignOutcome::Signed { seq, count };
                    if !item.network.is_empty() {
                        *networks.entry((hour_of(item.at), item.network.as_str())).or_default() += 1;
                    }
                }
                // A row's parameters on the wire: the name and key, two ids and the community,
                // the hashes, numbers and their length words.
                for chunk in by_size(&rows, |(i, ..)| items[*i].display_name.len() + items[*i].signer_key.len() + 180) {
                    let sql = values_sql_from(
                        "INSERT INTO petition_signatures (community_id, petition_id, seq, signer_key, user_id, display_name, signed_at, commitment, hash) VALUES ",
                        1,
                        chunk.len(),
                        9,
                        "",
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (i, seq, commitment, hash) in chunk {
                        let item = &items[*i];
                        q = q.bind(community).bind(petition).bind(seq).bind(&item.signer_key).bind(item.user_id)
                            .bind(&item.display_name).bind(item.at).bind(commitment.to_vec()).bind(hash.to_vec());
                    }
                    q.execute(&mut *tx).await?;
                }
                if count == start {
                    continue;
                }
                for ((hour, network), signatures) in networks {
                    sqlx::query(
                        "INSERT INTO petition_sign_networks (community_id, petition_id, hour, network, signatures)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (community_id, petition_id, hour, network)
                         DO UPDATE SET signatures = petition_sign_networks.signatures + excluded.signatures")
                        .bind(community).bind(petition).bind(hour).bind(network).bind(signatures)
                        .execute(&mut *tx).await?;
                }
                // Once per petition per batch: the counter never becomes a hot row.
                sqlx::query("UPDATE petitions SET signature_count = $3, chain_head = $4 WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(petition).bind(count).bind(prev.to_vec()).execute(&mut *tx).await?;
                if count >= threshold {
                    let now = items[members[members.len() - 1]].at;
                    // Once in a petition's life: the calendar is read only then, not for every batch.
                    let calendar = holidays::calendar(db).await?;
                    let frozen = Rules { consideration_working_days: consideration as u32, ..Rules::default() };
                    let due = domain::consideration_due(&frozen, &calendar, now.date_naive());
                    sqlx::query(
                        "UPDATE petitions SET status = 'under_consideration', threshold_reached_at = $3, consideration_due = $4
                         WHERE community_id = $1 AND id = $2")
                        .bind(community).bind(petition).bind(now).bind(due).execute(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO petition_events (community_id, petition_id, id, at, status, actor_id, note)
                         VALUES ($1, $2, $3, $4, 'under_consideration', NULL, 'threshold')")
                        .bind(community).bind(petition).bind(hromada_kernel::new_id()).bind(now)
                        .execute(&mut *tx).await?;
                    reached = true;
                }
            }
        });
        if reached {
            changed();
        }
        Ok(outcomes)
    }
}

pub async fn by_number(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<Petition>> {
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Petition>(select_petitions!("WHERE community_id = $1 AND number = $2"))
            .bind(community)
            .bind(number)
    )?)
}

/// Petitions in one status, the oldest first (a moderation queue reads top to bottom).
pub async fn in_status(db: &Db, community: CommunityId, status: &str, limit: i64) -> DbResult<Vec<Petition>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Petition>(select_petitions!(
            "WHERE community_id = $1 AND status = $2 ORDER BY submitted_at, number LIMIT $3"
        ))
        .bind(community)
        .bind(status)
        .bind(limit)
    )?)
}

/// An author's own petitions, newest first.
pub async fn by_author(db: &Db, community: CommunityId, author: UserId) -> DbResult<Vec<Petition>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Petition>(select_petitions!(
            "WHERE community_id = $1 AND author_id = $2 ORDER BY number DESC"
        ))
        .bind(community)
        .bind(author)
    )?)
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub status: String,
    pub note: String,
}

/// The petition's timeline, oldest first.
pub async fn timeline(db: &Db, community: CommunityId, petition: Uuid) -> DbResult<Vec<Event>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Event>(
            "SELECT at, status, note FROM petition_events WHERE community_id = $1 AND petition_id = $2 ORDER BY at, id"
        )
        .bind(community)
        .bind(petition)
    )?)
}

/// Whether this signer key has signed the petition.
pub async fn has_signed(db: &Db, community: CommunityId, petition: Uuid, signer_key: &[u8]) -> DbResult<bool> {
    let row: Option<(i64,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT seq FROM petition_signatures WHERE community_id = $1 AND petition_id = $2 AND signer_key = $3"
        )
        .bind(community)
        .bind(petition)
        .bind(signer_key)
    )?;
    Ok(row.is_some())
}

/// How many petitions a community has, by status, for the dashboard.
pub async fn count_in(db: &Db, community: CommunityId, status: &str) -> DbResult<i64> {
    let (n,): (i64,) = hromada_db::fetch_one!(
        db,
        sqlx::query_as("SELECT COUNT(*) FROM petitions WHERE community_id = $1 AND status = $2")
            .bind(community)
            .bind(status)
    )?;
    Ok(n)
}

/// Petitions still collecting whose period ended before `today`, in every community.
pub async fn ended_collections(db: &Db, today: NaiveDate) -> DbResult<Vec<(CommunityId, Uuid)>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as("SELECT community_id, id FROM petitions WHERE status = 'collecting' AND collection_ends < $1")
            .bind(today)
    )?)
}

/// The accounts that signed a petition (those still existing).
pub async fn signer_accounts(db: &Db, community: CommunityId, petition: Uuid) -> DbResult<Vec<UserId>> {
    let rows: Vec<(Uuid,)> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT user_id FROM petition_signatures WHERE community_id = $1 AND petition_id = $2 AND user_id IS NOT NULL"
        )
        .bind(community)
        .bind(petition)
    )?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Changes the text of a draft or of a petition returned for changes; false when it is in any
/// other state (the text people signed never changes).
pub async fn update_text(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    title: &str,
    body: &str,
    category: &str,
) -> DbResult<bool> {
    let n = hromada_db::execute!(
        db,
        sqlx::query(
            "UPDATE petitions SET title = $3, body = $4, category = $5
             WHERE community_id = $1 AND id = $2 AND status IN ('draft', 'returned')"
        )
        .bind(community)
        .bind(id)
        .bind(title)
        .bind(body)
        .bind(category)
    )?;
    changed();
    Ok(n > 0)
}

/// A signer as the council receives the list: the public name and, while the account exists,
/// the full name from it.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct CouncilSigner {
    pub seq: i64,
    pub display_name: String,
    pub full_name: Option<String>,
    pub signed_at: DateTime<Utc>,
}

pub async fn council_list(db: &Db, community: CommunityId, petition: Uuid) -> DbResult<Vec<CouncilSigner>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, CouncilSigner>(
            "SELECT s.seq, s.display_name, u.full_name, s.signed_at FROM petition_signatures s
             LEFT JOIN users u ON u.community_id = s.community_id AND u.id = s.user_id
             WHERE s.community_id = $1 AND s.petition_id = $2 ORDER BY s.seq"
        )
        .bind(community)
        .bind(petition)
    )?)
}

fn hour_of(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{DurationRound, TimeDelta};
    at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at)
}

/// Many signatures from one network in a short time: worth a moderator's look.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Burst {
    pub number: i64,
    pub title: String,
    pub network: String,
    pub signatures: i64,
    /// All of the petition's signatures in the same hours, from anywhere.
    pub petition_signatures: i64,
}

/// Networks from which at least `at_least` signatures of one petition came since `since`, most first.
pub async fn bursts(db: &Db, community: CommunityId, since: DateTime<Utc>, at_least: i64) -> DbResult<Vec<Burst>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Burst>(
            "SELECT p.number, p.title, n.network, CAST(SUM(n.signatures) AS BIGINT) AS signatures,
                    CAST((SELECT SUM(a.signatures) FROM petition_sign_networks a
                          WHERE a.community_id = n.community_id AND a.petition_id = n.petition_id AND a.hour >= $2)
                         AS BIGINT) AS petition_signatures
             FROM petition_sign_networks n
             JOIN petitions p ON p.community_id = n.community_id AND p.id = n.petition_id
             WHERE n.community_id = $1 AND n.hour >= $2
             GROUP BY n.community_id, n.petition_id, p.number, p.title, n.network
             HAVING SUM(n.signatures) >= $3
             ORDER BY signatures DESC, p.number
             LIMIT 20"
        )
        .bind(community)
        .bind(since)
        .bind(at_least)
    )?)
}
