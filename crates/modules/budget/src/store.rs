//! The budget tables: contests with their categories, projects with their review, the register
//! of voters, the chain of ballots and the live votes the tally counts; and the group-commit
//! ballot writer.

use crate::domain::{
    self, BallotEntry, CategoryRules, ContestRules, CostItem, Phase, ProjectAction, ProjectStatus, Timeline,
    TransitionError, VotingRule,
};
use chrono::{DateTime, NaiveDate, Utc};
use hromada_db::batch::{by_size, params_from, values_sql_from};
use hromada_db::core::communities::LOCK_COMMUNITY;
use hromada_db::{BatchWriter, Db, DbError, DbResult, execute, fetch_all, fetch_one, fetch_optional, write_tx};
use hromada_kernel::{CommunityId, Lang, UserId};
use sqlx::FromRow;
use sqlx::types::Json;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

// ---------- contests ----------

/// One edition of the participatory budget with its regulation.
#[derive(Debug, Clone, FromRow)]
pub struct Contest {
    pub id: Uuid,
    pub number: i64,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub total_budget: i64,
    pub submission_from: NaiveDate,
    pub submission_to: NaiveDate,
    pub review_to: NaiveDate,
    pub revision_to: NaiveDate,
    pub voting_to: NaiveDate,
    pub results_to: NaiveDate,
    pub rules: Json<ContestRules>,
    /// Live ballots: one per voter.
    pub ballot_count: i64,
    /// Entries in the public chain, replaced ballots included.
    pub chain_length: i64,
    pub chain_head: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

impl Contest {
    pub fn timeline(&self) -> Timeline {
        Timeline {
            submission_from: self.submission_from,
            submission_to: self.submission_to,
            review_to: self.review_to,
            revision_to: self.revision_to,
            voting_to: self.voting_to,
            results_to: self.results_to,
        }
    }

    pub fn phase_at(&self, today: NaiveDate) -> Phase {
        self.timeline().phase_at(today)
    }

    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title, self.title_en.as_deref())
    }

    /// What officials set, as the settings form edits it.
    pub fn settings(&self) -> ContestSettings {
        ContestSettings {
            title: self.title.clone(),
            title_en: self.title_en.clone(),
            description: self.description.clone(),
            total_budget: self.total_budget,
            timeline: self.timeline(),
            rules: self.rules.0.clone(),
        }
    }
}

const CONTEST_COLUMNS: &str = "id, number, title, title_en, description, total_budget, submission_from, submission_to, \
     review_to, revision_to, voting_to, results_to, rules, ballot_count, chain_length, chain_head, created_at";

/// What officials set for a contest.
#[derive(Debug, Clone)]
pub struct ContestSettings {
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub total_budget: i64,
    pub timeline: Timeline,
    pub rules: ContestRules,
}

pub async fn create_contest(
    db: &Db,
    community: CommunityId,
    s: &ContestSettings,
    now: DateTime<Utc>,
) -> DbResult<Contest> {
    let id = hromada_kernel::new_id();
    let t = s.timeline;
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO budget_contests (community_id, id, number, title, title_en, description, total_budget,
               submission_from, submission_to, review_to, revision_to, voting_to, results_to, rules,
               ballot_count, chain_length, chain_head, created_at)
             VALUES ($1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM budget_contests WHERE community_id = $1),
               $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, 0, $14, $15)")
            .bind(community).bind(id).bind(&s.title).bind(&s.title_en).bind(&s.description).bind(s.total_budget)
            .bind(t.submission_from).bind(t.submission_to).bind(t.review_to).bind(t.revision_to).bind(t.voting_to)
            .bind(t.results_to).bind(Json(&s.rules)).bind(domain::genesis(id).to_vec()).bind(now)
            .execute(&mut *tx).await?;
    });
    contest(db, community, id).await?.ok_or(DbError::NotFound)
}

pub async fn update_contest(db: &Db, community: CommunityId, id: Uuid, s: &ContestSettings) -> DbResult<()> {
    let t = s.timeline;
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE budget_contests SET title = $3, title_en = $4, description = $5, total_budget = $6,
               submission_from = $7, submission_to = $8, review_to = $9, revision_to = $10, voting_to = $11,
               results_to = $12, rules = $13
             WHERE community_id = $1 AND id = $2"
        )
        .bind(community)
        .bind(id)
        .bind(&s.title)
        .bind(&s.title_en)
        .bind(&s.description)
        .bind(s.total_budget)
        .bind(t.submission_from)
        .bind(t.submission_to)
        .bind(t.review_to)
        .bind(t.revision_to)
        .bind(t.voting_to)
        .bind(t.results_to)
        .bind(Json(&s.rules))
    )?;
    if n == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

pub async fn contest(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Contest>> {
    let sql = format!("SELECT {CONTEST_COLUMNS} FROM budget_contests WHERE community_id = $1 AND id = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Contest>(sqlx::AssertSqlSafe(sql)).bind(community).bind(id))?)
}

pub async fn contest_by_number(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<Contest>> {
    let sql = format!("SELECT {CONTEST_COLUMNS} FROM budget_contests WHERE community_id = $1 AND number = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Contest>(sqlx::AssertSqlSafe(sql)).bind(community).bind(number))?)
}

/// Every contest, the latest first.
pub async fn contests(db: &Db, community: CommunityId) -> DbResult<Vec<Contest>> {
    let sql = format!("SELECT {CONTEST_COLUMNS} FROM budget_contests WHERE community_id = $1 ORDER BY number DESC");
    Ok(fetch_all!(db, sqlx::query_as::<_, Contest>(sqlx::AssertSqlSafe(sql)).bind(community))?)
}

// ---------- categories ----------

#[derive(Debug, Clone, FromRow)]
pub struct Category {
    pub id: Uuid,
    pub contest_id: Uuid,
    pub position: i64,
    pub name: String,
    pub name_en: Option<String>,
    pub budget: i64,
    pub min_cost: i64,
    pub max_cost: i64,
    pub rule: String,
    pub up_to: i64,
}

impl Category {
    pub fn voting_rule(&self) -> VotingRule {
        VotingRule::parse(&self.rule, u32::try_from(self.up_to).unwrap_or(1)).unwrap_or(VotingRule::One)
    }

    pub fn rules(&self) -> CategoryRules {
        CategoryRules {
            budget: self.budget,
            min_cost: self.min_cost,
            max_cost: self.max_cost,
            rule: self.voting_rule(),
        }
    }

    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name, self.name_en.as_deref())
    }

    pub fn on_ballot(&self) -> domain::BallotCategory {
        domain::BallotCategory { id: self.id, budget: self.budget, rule: self.voting_rule() }
    }
}

const CATEGORY_COLUMNS: &str = "id, contest_id, position, name, name_en, budget, min_cost, max_cost, rule, up_to";

pub async fn categories(db: &Db, community: CommunityId, contest: Uuid) -> DbResult<Vec<Category>> {
    let sql = format!(
        "SELECT {CATEGORY_COLUMNS} FROM budget_categories WHERE community_id = $1 AND contest_id = $2 ORDER BY position, name"
    );
    Ok(fetch_all!(db, sqlx::query_as::<_, Category>(sqlx::AssertSqlSafe(sql)).bind(community).bind(contest))?)
}

/// Adds a category, or changes it when `id` names one; `None` (and nothing saved) when the
/// categories' budgets would then exceed the contest's.
pub async fn save_category(
    db: &Db,
    community: CommunityId,
    contest: Uuid,
    id: Option<Uuid>,
    name: &str,
    name_en: Option<&str>,
    rules: CategoryRules,
) -> DbResult<Option<Uuid>> {
    let id = id.unwrap_or_else(hromada_kernel::new_id);
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let (total,): (i64,) = sqlx::query_as("SELECT total_budget FROM budget_contests WHERE community_id = $1 AND id = $2")
            .bind(community).bind(contest).fetch_optional(&mut *tx).await?.ok_or(DbError::NotFound)?;
        let others: Vec<(i64,)> = sqlx::query_as("SELECT budget FROM budget_categories WHERE community_id = $1 AND contest_id = $2 AND id <> $3")
            .bind(community).bind(contest).bind(id).fetch_all(&mut *tx).await?;
        if !domain::fits_total(total, others.iter().map(|(b,)| *b).chain([rules.budget])) {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO budget_categories (community_id, id, contest_id, position, name, name_en, budget, min_cost, max_cost, rule, up_to)
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM budget_categories WHERE community_id = $1 AND contest_id = $3),
               $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (community_id, id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
               budget = excluded.budget, min_cost = excluded.min_cost, max_cost = excluded.max_cost,
               rule = excluded.rule, up_to = excluded.up_to")
            .bind(community).bind(id).bind(contest).bind(name).bind(name_en).bind(rules.budget).bind(rules.min_cost)
            .bind(rules.max_cost).bind(rules.rule.code()).bind(i64::from(rules.rule.up_to()))
            .execute(&mut *tx).await?;
    });
    Ok(Some(id))
}

// ---------- projects ----------

/// The cost of a breakdown already read by [`domain::parse_costs`], which refuses any that overflows.
fn cost_of(items: &[CostItem]) -> i64 {
    domain::total_cost(items).unwrap_or(hromada_kernel::money::MAX_KOPIYKAS)
}

#[derive(Debug, Clone, FromRow)]
pub struct Project {
    pub id: Uuid,
    pub contest_id: Uuid,
    pub number: i64,
    pub category_id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub status: String,
    pub cost_claimed: i64,
    pub cost: i64,
    pub items: Json<Vec<CostItem>>,
    pub checklist: Json<BTreeMap<String, bool>>,
    pub rejection_reason: Option<String>,
    pub review_note: String,
    pub revise_by: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Where carrying it out stands, once it won: see [`domain::PROGRESS`].
    pub progress_status: String,
    pub progress_percent: i64,
    /// Spent so far, in kopiykas.
    pub spent: i64,
    /// Residents who backed it in the support stage.
    pub supports: i64,
    /// Answers to the contest's questionnaire by question key (a file answer is its media id).
    pub answers: Json<BTreeMap<String, String>>,
}

impl Project {
    pub fn status(&self) -> ProjectStatus {
        ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Draft)
    }
}

const PROJECT_COLUMNS: &str = "id, contest_id, number, category_id, author_id, author_name, title, summary, body, address, \
     lat, lon, status, cost_claimed, cost, items, checklist, rejection_reason, review_note, revise_by, created_at, \
     submitted_at, reviewed_at, progress_status, progress_percent, spent, supports, answers";

/// What an author writes.
#[derive(Debug, Clone)]
pub struct ProjectText {
    pub category_id: Uuid,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub address: String,
    pub point: Option<(f64, f64)>,
    pub items: Vec<CostItem>,
    pub answers: BTreeMap<String, String>,
}

pub async fn create_project(
    db: &Db,
    community: CommunityId,
    contest: Uuid,
    author: (UserId, &str),
    text: &ProjectText,
    now: DateTime<Utc>,
) -> DbResult<Project> {
    let id = hromada_kernel::new_id();
    let cost = cost_of(&text.items);
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO budget_projects (community_id, id, contest_id, number, category_id, author_id, author_name, title,
               summary, body, address, lat, lon, status, cost_claimed, cost, items, checklist, review_note, created_at, answers)
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(number), 0) + 1 FROM budget_projects WHERE community_id = $1),
               $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $13, $14, $15, '', $16, $17)")
            .bind(community).bind(id).bind(contest).bind(text.category_id).bind(author.0).bind(author.1)
            .bind(&text.title).bind(&text.summary).bind(&text.body).bind(&text.address)
            .bind(text.point.map(|p| p.0)).bind(text.point.map(|p| p.1)).bind(cost).bind(Json(&text.items))
            .bind(Json(BTreeMap::<String, bool>::new())).bind(now).bind(Json(&text.answers))
            .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO budget_project_events (community_id, project_id, id, at, status, actor_id, note)
             VALUES ($1, $2, $3, $4, 'draft', $5, '')")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(author.0)
            .execute(&mut *tx).await?;
    });
    project(db, community, id).await?.ok_or(DbError::NotFound)
}

/// The author's changes, while the project is a draft or returned for revision.
pub async fn update_project(db: &Db, community: CommunityId, id: Uuid, text: &ProjectText) -> DbResult<bool> {
    let cost = cost_of(&text.items);
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE budget_projects SET category_id = $3, title = $4, summary = $5, body = $6, address = $7, lat = $8,
               lon = $9, cost_claimed = $10, cost = $10, items = $11, answers = $12
             WHERE community_id = $1 AND id = $2 AND status IN ('draft', 'returned')"
        )
        .bind(community)
        .bind(id)
        .bind(text.category_id)
        .bind(&text.title)
        .bind(&text.summary)
        .bind(&text.body)
        .bind(&text.address)
        .bind(text.point.map(|p| p.0))
        .bind(text.point.map(|p| p.1))
        .bind(cost)
        .bind(Json(&text.items))
        .bind(Json(&text.answers))
    )?;
    Ok(n == 1)
}

pub async fn project(db: &Db, community: CommunityId, id: Uuid) -> DbResult<Option<Project>> {
    let sql = format!("SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE community_id = $1 AND id = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Project>(sqlx::AssertSqlSafe(sql)).bind(community).bind(id))?)
}

pub async fn project_by_number(db: &Db, community: CommunityId, number: i64) -> DbResult<Option<Project>> {
    let sql = format!("SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE community_id = $1 AND number = $2");
    Ok(fetch_optional!(db, sqlx::query_as::<_, Project>(sqlx::AssertSqlSafe(sql)).bind(community).bind(number))?)
}

/// A contest's projects in number order; `statuses` empty for all of them.
pub async fn projects(db: &Db, community: CommunityId, contest: Uuid, statuses: &[&str]) -> DbResult<Vec<Project>> {
    let only = if statuses.is_empty() {
        String::new()
    } else {
        format!(" AND status IN ({})", params_from(3, statuses.len()))
    };
    let sql = format!(
        "SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE community_id = $1 AND contest_id = $2{only} ORDER BY number"
    );
    Ok(hromada_db::dispatch!(db, pool => {
        let mut q = sqlx::query_as::<_, Project>(sqlx::AssertSqlSafe(sql.as_str())).bind(community).bind(contest);
        for status in statuses {
            q = q.bind(*status);
        }
        q.fetch_all(pool).await
    })?)
}

/// The projects on a contest's ballot, as the ballot checks them: no texts, no costs breakdown.
pub async fn candidates(db: &Db, community: CommunityId, contest: Uuid) -> DbResult<Vec<domain::Candidate>> {
    let rows: Vec<(Uuid, i64, Uuid, i64)> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT id, number, category_id, cost FROM budget_projects
             WHERE community_id = $1 AND contest_id = $2 AND status = 'admitted' ORDER BY number"
        )
        .bind(community)
        .bind(contest)
    )?;
    Ok(rows.into_iter().map(|(id, number, category, cost)| domain::Candidate { id, number, category, cost }).collect())
}

/// Projects of the community in one status, across its contests.
pub async fn count_in(db: &Db, community: CommunityId, status: &str) -> DbResult<i64> {
    let (n,): (i64,) = fetch_one!(
        db,
        sqlx::query_as("SELECT COUNT(*) FROM budget_projects WHERE community_id = $1 AND status = $2")
            .bind(community)
            .bind(status)
    )?;
    Ok(n)
}

pub async fn by_author(db: &Db, community: CommunityId, author: UserId) -> DbResult<Vec<Project>> {
    let sql = format!(
        "SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE community_id = $1 AND author_id = $2 ORDER BY number DESC"
    );
    Ok(fetch_all!(db, sqlx::query_as::<_, Project>(sqlx::AssertSqlSafe(sql)).bind(community).bind(author))?)
}

/// Why a step was not taken.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The regulation's support stage is not passed: (supports, needed).
    #[error("{0} supports of {1} needed")]
    NotEnoughSupports(i64, u32),
    /// A returned project handed in again after the date the commission set.
    #[error("the revision was due on {0}")]
    RevisionOverdue(NaiveDate),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        StepError::Db(e.into())
    }
}

/// The commission's findings that go with a decision.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub checklist: BTreeMap<String, bool>,
    /// The breakdown as corrected; `None` leaves the author's.
    pub items: Option<Vec<CostItem>>,
    pub note: String,
    pub rejection_reason: Option<String>,
    pub revise_by: Option<NaiveDate>,
}

/// Takes a step in a project's life, in one transaction with its timeline entry, checking the
/// status and the contest's phase as they are at that moment (two officials clicking at once
/// take one step).
#[allow(clippy::too_many_arguments)]
pub async fn step(
    db: &Db,
    community: CommunityId,
    id: Uuid,
    action: ProjectAction,
    actor: Option<UserId>,
    review: &Review,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Project, StepError> {
    write_tx!(db, tx => {
        sqlx::query(LOCK_COMMUNITY).bind(community).execute(&mut *tx).await?;
        let sql = format!("SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE community_id = $1 AND id = $2");
        let p: Project = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(community).bind(id)
            .fetch_optional(&mut *tx).await?.ok_or(DbError::NotFound)?;
        let sql = format!("SELECT {CONTEST_COLUMNS} FROM budget_contests WHERE community_id = $1 AND id = $2");
        let c: Contest = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(community).bind(p.contest_id)
            .fetch_optional(&mut *tx).await?.ok_or(DbError::NotFound)?;
        let next = domain::transition(p.status(), action, c.phase_at(today))?;
        if action == ProjectAction::Submit
            && let Some(due) = p.revise_by.filter(|due| p.status() == ProjectStatus::Returned && today > *due)
        {
            return Err(StepError::RevisionOverdue(due));
        }
        let needed = c.rules.supports_needed;
        if next == ProjectStatus::Admitted && p.supports < i64::from(needed) {
            return Err(StepError::NotEnoughSupports(p.supports, needed));
        }
        if action == ProjectAction::Submit {
            sqlx::query("UPDATE budget_projects SET status = $3, submitted_at = $4 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).bind(next.code()).bind(now).execute(&mut *tx).await?;
        } else {
            let items = review.items.clone().unwrap_or_else(|| p.items.0.clone());
            let cost = cost_of(&items);
            let reason = if next == ProjectStatus::Rejected { review.rejection_reason.clone() } else { None };
            let revise_by = if next == ProjectStatus::Returned { review.revise_by } else { None };
            sqlx::query(
                "UPDATE budget_projects SET status = $3, reviewed_at = $4, checklist = $5, items = $6, cost = $7,
                   review_note = $8, rejection_reason = $9, revise_by = $10
                 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(id).bind(next.code()).bind(now).bind(Json(&review.checklist)).bind(Json(&items))
                .bind(cost).bind(&review.note).bind(reason).bind(revise_by)
                .execute(&mut *tx).await?;
        }
        let note = if action == ProjectAction::Submit { "" } else { review.note.as_str() };
        sqlx::query(
            "INSERT INTO budget_project_events (community_id, project_id, id, at, status, actor_id, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(community).bind(id).bind(hromada_kernel::new_id()).bind(now).bind(next.code()).bind(actor).bind(note)
            .execute(&mut *tx).await?;
    });
    Ok(project(db, community, id).await?.ok_or(DbError::NotFound)?)
}

#[derive(Debug, Clone, FromRow)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub status: String,
    pub note: String,
}

pub async fn timeline(db: &Db, community: CommunityId, project: Uuid) -> DbResult<Vec<Event>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, Event>(
            "SELECT at, status, note FROM budget_project_events WHERE community_id = $1 AND project_id = $2 ORDER BY at, id"
        )
        .bind(community)
        .bind(project)
    )?)
}

// ---------- ballots ----------

/// One ballot to cast.
#[derive(Debug, Clone)]
pub struct BallotRequest {
    pub community: CommunityId,
    pub contest: Uuid,
    /// Who votes, for the register: the person key when verified by e-ID, the account otherwise.
    pub voter_key: Vec<u8>,
    /// [`domain::voter_slot`] of the voter.
    pub slot: Vec<u8>,
    /// The projects chosen, checked by [`domain::check_ballot`], in number order.
    pub choices: Vec<domain::Candidate>,
    /// Handed to the voter; only a commitment to it is published.
    pub receipt_code: String,
    /// The voter's (Kyiv) date: the register keeps the day only.
    pub today: NaiveDate,
    /// Entered by officials from a paper ballot.
    pub paper: Option<PaperEntry>,
}

/// Who a paper ballot came from and who entered it.
#[derive(Debug, Clone)]
pub struct PaperEntry {
    /// For the officials' list of conflicts only; never published.
    pub full_name: String,
    pub entered_by: UserId,
    /// The officials decided that this paper ballot counts instead of the voter's other one
    /// (the conflict it settles).
    pub settles: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotOutcome {
    /// Durable, with its place in the chain; `replaced` when it took the place of the voter's
    /// earlier ballot.
    Cast {
        seq: i64,
        replaced: bool,
    },
    AlreadyVoted,
    /// A paper ballot of someone already in the register: listed for the officials' decision.
    Conflict,
    /// Not in the voting phase.
    Closed,
}

#[derive(FromRow)]
struct VotingRow {
    revision_to: NaiveDate,
    voting_to: NaiveDate,
    results_to: NaiveDate,
    rules: Json<ContestRules>,
    ballot_count: i64,
    chain_length: i64,
    chain_head: Vec<u8>,
}

/// Writes ballots in batches: one transaction per batch, the contest row locked once per
/// contest in it, the counters and chain head written once per contest per batch.
pub struct BallotWriter;

impl BatchWriter for BallotWriter {
    type Item = BallotRequest;
    type Output = BallotOutcome;

    async fn write_batch(&self, db: &Db, items: &[BallotRequest]) -> Result<Vec<BallotOutcome>, DbError> {
        let mut outcomes = vec![BallotOutcome::Closed; items.len()];
        let mut groups: Vec<((CommunityId, Uuid), Vec<usize>)> = vec![];
        let mut index: HashMap<(CommunityId, Uuid), usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let key = (item.community, item.contest);
            let g = *index.entry(key).or_insert_with(|| {
                groups.push((key, vec![]));
                groups.len() - 1
            });
            groups[g].1.push(i);
        }
        write_tx!(db, tx => {
            for ((community, contest), members) in &groups {
                sqlx::query("UPDATE budget_contests SET ballot_count = ballot_count WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(contest).execute(&mut *tx).await?;
                let row: Option<VotingRow> = sqlx::query_as(
                    "SELECT revision_to, voting_to, results_to, rules, ballot_count, chain_length, chain_head
                     FROM budget_contests WHERE community_id = $1 AND id = $2")
                    .bind(community).bind(contest).fetch_optional(&mut *tx).await?;
                let Some(row) = row else { continue };
                let Ok(mut prev) = <[u8; 32]>::try_from(row.chain_head.as_slice()) else { continue };
                let (mut count, mut length) = (row.ballot_count, row.chain_length);
                // Who of this batch is in the register already: a few statements under the
                // contest's lock, so nobody can vote in between.
                let keys: Vec<&[u8]> = members.iter().map(|&i| items[i].voter_key.as_slice()).collect();
                let mut registered: HashMap<Vec<u8>, String> = HashMap::new();
                for chunk in by_size(&keys, |k| k.len()) {
                    let sql = format!(
                        "SELECT voter_key, channel FROM budget_voters WHERE community_id = $1 AND contest_id = $2 AND voter_key IN ({})",
                        params_from(3, chunk.len())
                    );
                    let mut q = sqlx::query_as::<_, (Vec<u8>, String)>(sqlx::AssertSqlSafe(sql)).bind(community).bind(contest);
                    for key in chunk {
                        q = q.bind(*key);
                    }
                    registered.extend(q.fetch_all(&mut *tx).await?);
                }
                // What this batch writes, in order; a ballot replaced within the batch is written
                // as replaced and its votes are never written.
                let mut new_voters: Vec<(usize, &'static str)> = vec![];
                let mut ballots: Vec<PendingBallot> = vec![];
                let mut live_here: HashMap<&[u8], usize> = HashMap::new();
                for &i in members {
                    let item = &items[i];
                    // Paper ballots from the polling points may be entered until results are final.
                    let paper = item.paper.as_ref();
                    let last = if paper.is_some() { row.results_to } else { row.voting_to };
                    if item.today <= row.revision_to || item.today > last {
                        outcomes[i] = BallotOutcome::Closed;
                        continue;
                    }
                    let channel: &'static str = if paper.is_some() { "paper" } else { "web" };
                    let mut supersedes = None;
                    if let Some(before) = registered.get(&item.voter_key).cloned() {
                        let settled = paper.and_then(|p| p.settles);
                        if let Some(p) = paper.filter(|_| settled.is_none()) {
                            // Someone who voted twice (on the web and on paper, or on two papers):
                            // never dropped, never counted twice — listed for the officials.
                            sqlx::query(
                                "INSERT INTO budget_paper_conflicts (community_id, contest_id, id, voter_key, full_name, choices,
                                   project_ids, entered_by, entered_at, status)
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open')")
                                .bind(community).bind(contest).bind(hromada_kernel::new_id()).bind(&item.voter_key)
                                .bind(&p.full_name).bind(choices_text(&item.choices.iter().map(|c| c.number).collect::<Vec<_>>()))
                                .bind(ids_text(&item.choices))
                                .bind(p.entered_by).bind(item.today).execute(&mut *tx).await?;
                            outcomes[i] = BallotOutcome::Conflict;
                            continue;
                        }
                        // A web ballot never replaces a paper one; it replaces a web one only where
                        // the regulation lets voters change their ballot.
                        if settled.is_none() && (!row.rules.changeable_ballots || before == "paper") {
                            outcomes[i] = BallotOutcome::AlreadyVoted;
                            continue;
                        }
                        if let Some(conflict) = settled {
                            let open = sqlx::query(
                                "UPDATE budget_paper_conflicts SET status = 'counted' WHERE community_id = $1 AND contest_id = $2 AND id = $3 AND status = 'open'")
                                .bind(community).bind(contest).bind(conflict).execute(&mut *tx).await?;
                            if open.rows_affected() == 0 {
                                outcomes[i] = BallotOutcome::AlreadyVoted;
                                continue;
                            }
                        }
                        if let Some(&k) = live_here.get(item.slot.as_slice()) {
                            // Replaces a ballot of this same batch: that one is written as replaced.
                            ballots[k].live = false;
                            supersedes = Some(ballots[k].seq);
                        } else {
                            let old: Option<(i64, String)> = sqlx::query_as(
                                "SELECT seq, project_ids FROM budget_ballots WHERE community_id = $1 AND contest_id = $2 AND slot = $3 AND live")
                                .bind(community).bind(contest).bind(&item.slot).fetch_optional(&mut *tx).await?;
                            if let Some((old_seq, old_projects)) = old {
                                sqlx::query("UPDATE budget_ballots SET live = $4 WHERE community_id = $1 AND contest_id = $2 AND seq = $3")
                                    .bind(community).bind(contest).bind(old_seq).bind(false).execute(&mut *tx).await?;
                                for project in old_projects.split(',').filter_map(|id| Uuid::parse_str(id).ok()) {
                                    sqlx::query(
                                        "DELETE FROM budget_votes WHERE community_id = $1 AND contest_id = $2 AND project_id = $3 AND seq = $4")
                                        .bind(community).bind(contest).bind(project).bind(old_seq).execute(&mut *tx).await?;
                                }
                                supersedes = Some(old_seq);
                            }
                        }
                        if before != channel {
                            registered.insert(item.voter_key.clone(), channel.to_owned());
                            if let Some(pending) = new_voters.iter_mut().find(|(j, _)| items[*j].voter_key == item.voter_key) {
                                pending.1 = channel;
                            } else {
                                sqlx::query("UPDATE budget_voters SET channel = $4 WHERE community_id = $1 AND contest_id = $2 AND voter_key = $3")
                                    .bind(community).bind(contest).bind(&item.voter_key).bind(channel).execute(&mut *tx).await?;
                            }
                        }
                    } else {
                        registered.insert(item.voter_key.clone(), channel.to_owned());
                        new_voters.push((i, channel));
                        count += 1;
                    }
                    let seq = length + 1;
                    let numbers: Vec<i64> = item.choices.iter().map(|c| c.number).collect();
                    let commitment = domain::receipt_commitment(*contest, seq as u64, &item.receipt_code);
                    let hash = domain::entry_hash(&prev, *contest, seq as u64, &numbers, supersedes.map(|s| s as u64), paper.is_some(), &commitment);
                    live_here.insert(item.slot.as_slice(), ballots.len());
                    ballots.push(PendingBallot { item: i, seq, supersedes, live: true, commitment, hash, numbers });
                    length = seq;
                    prev = hash;
                    outcomes[i] = BallotOutcome::Cast { seq, replaced: supersedes.is_some() };
                }
                for chunk in by_size(&new_voters, |(i, _)| items[*i].voter_key.len()) {
                    let sql = values_sql_from(
                        "INSERT INTO budget_voters (community_id, contest_id, voter_key, voted_on, channel) VALUES ", 1, chunk.len(), 5, "");
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (i, channel) in chunk {
                        q = q.bind(community).bind(contest).bind(&items[*i].voter_key).bind(items[*i].today).bind(*channel);
                    }
                    q.execute(&mut *tx).await?;
                }
                // Ids, hashes and the choices twice (numbers and project ids), with length words.
                for chunk in by_size(&ballots, |b| b.numbers.len() * 48 + 220) {
                    let sql = values_sql_from(
                        "INSERT INTO budget_ballots (community_id, contest_id, seq, slot, choices, project_ids, supersedes, live, paper, commitment, hash) VALUES ",
                        1, chunk.len(), 11, "");
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for b in chunk {
                        let item = &items[b.item];
                        q = q.bind(community).bind(contest).bind(b.seq).bind(&item.slot).bind(choices_text(&b.numbers))
                            .bind(ids_text(&item.choices)).bind(b.supersedes).bind(b.live).bind(item.paper.is_some())
                            .bind(b.commitment.to_vec()).bind(b.hash.to_vec());
                    }
                    q.execute(&mut *tx).await?;
                }
                let votes: Vec<(Uuid, i64)> = ballots
                    .iter()
                    .filter(|b| b.live)
                    .flat_map(|b| items[b.item].choices.iter().map(move |c| (c.id, b.seq)))
                    .collect();
                // Three ids and a number a row, with their length words.
                for chunk in by_size(&votes, |_| 24) {
                    let sql = values_sql_from(
                        "INSERT INTO budget_votes (community_id, contest_id, project_id, seq) VALUES ", 1, chunk.len(), 4, "");
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (project, seq) in chunk {
                        q = q.bind(community).bind(contest).bind(project).bind(seq);
                    }
                    q.execute(&mut *tx).await?;
                }
                if length != row.chain_length {
                    sqlx::query("UPDATE budget_contests SET ballot_count = $3, chain_length = $4, chain_head = $5 WHERE community_id = $1 AND id = $2")
                        .bind(community).bind(contest).bind(count).bind(length).bind(prev.to_vec()).execute(&mut *tx).await?;
                }
            }
        });
        Ok(outcomes)
    }
}

/// A ballot of the batch being written.
struct PendingBallot {
    item: usize,
    seq: i64,
    supersedes: Option<i64>,
    /// False when a later ballot of the same voter in the same batch replaced it.
    live: bool,
    commitment: [u8; 32],
    hash: [u8; 32],
    numbers: Vec<i64>,
}

fn ids_text(choices: &[domain::Candidate]) -> String {
    choices.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(",")
}

fn choices_text(numbers: &[i64]) -> String {
    numbers.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn parse_choices(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|n| n.parse().ok()).collect()
}

/// Whether this voter is in the register of the contest.
pub async fn has_voted(db: &Db, community: CommunityId, contest: Uuid, voter_key: &[u8]) -> DbResult<bool> {
    let found: Option<(String,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT channel FROM budget_voters WHERE community_id = $1 AND contest_id = $2 AND voter_key = $3"
        )
        .bind(community)
        .bind(contest)
        .bind(voter_key)
    )?;
    Ok(found.is_some())
}

/// The voter's live ballot, found by their slot: the projects they chose, by number.
pub async fn live_choices(db: &Db, community: CommunityId, contest: Uuid, slot: &[u8]) -> DbResult<Option<Vec<i64>>> {
    let found: Option<(String,)> = fetch_optional!(
        db,
        sqlx::query_as(
            "SELECT choices FROM budget_ballots WHERE community_id = $1 AND contest_id = $2 AND slot = $3 AND live"
        )
        .bind(community)
        .bind(contest)
        .bind(slot)
    )?;
    Ok(found.map(|(c,)| parse_choices(&c)))
}

#[derive(FromRow)]
struct ChainRow {
    seq: i64,
    choices: String,
    supersedes: Option<i64>,
    paper: bool,
    commitment: Vec<u8>,
    hash: Vec<u8>,
}

/// The public list of ballots from `after` (exclusive), in order.
pub async fn chain(
    db: &Db,
    community: CommunityId,
    contest: Uuid,
    after: i64,
    limit: i64,
) -> DbResult<Vec<BallotEntry>> {
    let rows: Vec<ChainRow> = fetch_all!(
        db,
        sqlx::query_as::<_, ChainRow>(
            "SELECT seq, choices, supersedes, paper, commitment, hash FROM budget_ballots
             WHERE community_id = $1 AND contest_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
        )
        .bind(community)
        .bind(contest)
        .bind(after)
        .bind(limit)
    )?;
    Ok(rows
        .into_iter()
        .map(|r| BallotEntry {
            seq: r.seq as u64,
            choices: parse_choices(&r.choices),
            supersedes: r.supersedes.map(|s| s as u64),
            paper: r.paper,
            commitment: hex::encode(r.commitment),
            hash: hex::encode(r.hash),
        })
        .collect())
}

/// Votes per project, counted now from the live votes (no precomputed totals).
pub async fn tally(db: &Db, community: CommunityId, contest: Uuid) -> DbResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = fetch_all!(
        db,
        sqlx::query_as(
            "SELECT project_id, COUNT(*) FROM budget_votes WHERE community_id = $1 AND contest_id = $2 GROUP BY project_id"
        )
        .bind(community)
        .bind(contest)
    )?;
    Ok(rows.into_iter().collect())
}

/// Voters by channel (web, paper).
pub async fn turnout(db: &Db, community: CommunityId, contest: Uuid) -> DbResult<Vec<(String, i64)>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as(
            "SELECT channel, COUNT(*) FROM budget_voters WHERE community_id = $1 AND contest_id = $2 GROUP BY channel ORDER BY channel"
        )
        .bind(community)
        .bind(contest)
    )?)
}

// ---------- paper ballots in conflict ----------

/// A paper ballot of someone already in the register, waiting for (or settled by) the officials.
#[derive(Debug, Clone, FromRow)]
pub struct Conflict {
    pub id: Uuid,
    pub voter_key: Vec<u8>,
    pub full_name: String,
    pub choices: String,
    pub project_ids: String,
    pub entered_at: NaiveDate,
    pub status: String,
}

impl Conflict {
    pub fn numbers(&self) -> Vec<i64> {
        parse_choices(&self.choices)
    }

    pub fn projects(&self) -> Vec<Uuid> {
        self.project_ids.split(',').filter_map(|id| Uuid::parse_str(id).ok()).collect()
    }
}

const CONFLICT_COLUMNS: &str = "id, voter_key, full_name, choices, project_ids, entered_at, status";

pub async fn conflicts(db: &Db, community: CommunityId, contest: Uuid) -> DbResult<Vec<Conflict>> {
    let sql = format!(
        "SELECT {CONFLICT_COLUMNS} FROM budget_paper_conflicts WHERE community_id = $1 AND contest_id = $2 ORDER BY entered_at, id"
    );
    Ok(fetch_all!(db, sqlx::query_as::<_, Conflict>(sqlx::AssertSqlSafe(sql)).bind(community).bind(contest))?)
}

pub async fn conflict(db: &Db, community: CommunityId, contest: Uuid, id: Uuid) -> DbResult<Option<Conflict>> {
    let sql = format!(
        "SELECT {CONFLICT_COLUMNS} FROM budget_paper_conflicts WHERE community_id = $1 AND contest_id = $2 AND id = $3"
    );
    Ok(fetch_optional!(
        db,
        sqlx::query_as::<_, Conflict>(sqlx::AssertSqlSafe(sql)).bind(community).bind(contest).bind(id)
    )?)
}

/// The officials keep the ballot already counted; false when the conflict was already settled.
pub async fn keep_counted(db: &Db, community: CommunityId, contest: Uuid, id: Uuid) -> DbResult<bool> {
    let n = execute!(
        db,
        sqlx::query(
            "UPDATE budget_paper_conflicts SET status = 'kept' WHERE community_id = $1 AND contest_id = $2 AND id = $3 AND status = 'open'"
        )
        .bind(community)
        .bind(contest)
        .bind(id)
    )?;
    Ok(n == 1)
}

// ---------- implementation ----------

#[derive(Debug, Clone, FromRow)]
pub struct ProgressUpdate {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub status: String,
    pub percent: i64,
    pub spent: i64,
    pub note: String,
    /// The media file of the photo, if one was taken.
    pub photo: Option<String>,
}

/// A dated update on a winning project; the project shows the latest figures.
pub struct NewProgress<'a> {
    pub status: &'a str,
    pub percent: i64,
    pub spent: i64,
    pub note: &'a str,
    pub photo: Option<Uuid>,
    pub author: UserId,
}

pub async fn add_progress(
    db: &Db,
    community: CommunityId,
    project: Uuid,
    update: &NewProgress<'_>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    write_tx!(db, tx => {
        sqlx::query(
            "INSERT INTO budget_progress (community_id, project_id, id, at, status, percent, spent, note, photo, author_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(community).bind(project).bind(hromada_kernel::new_id()).bind(now).bind(update.status)
            .bind(update.percent).bind(update.spent).bind(update.note).bind(update.photo.map(|p| p.to_string()))
            .bind(update.author).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE budget_projects SET progress_status = $3, progress_percent = $4, spent = $5 WHERE community_id = $1 AND id = $2")
            .bind(community).bind(project).bind(update.status).bind(update.percent).bind(update.spent)
            .execute(&mut *tx).await?;
    });
    Ok(())
}

/// A project's updates, the latest first.
pub async fn progress(db: &Db, community: CommunityId, project: Uuid) -> DbResult<Vec<ProgressUpdate>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, ProgressUpdate>(
            "SELECT id, at, status, percent, spent, note, photo FROM budget_progress
             WHERE community_id = $1 AND project_id = $2 ORDER BY at DESC, id DESC"
        )
        .bind(community)
        .bind(project)
    )?)
}

// ---------- supports ----------

/// One resident backs a project; false when they already had. The count moves in the same
/// transaction, so it always equals the rows.
pub async fn support(
    db: &Db,
    community: CommunityId,
    project: Uuid,
    voter_key: &[u8],
    now: DateTime<Utc>,
) -> DbResult<bool> {
    write_tx!(db, tx => {
        let added = sqlx::query(
            "INSERT INTO budget_supports (community_id, project_id, voter_key, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (community_id, project_id, voter_key) DO NOTHING")
            .bind(community).bind(project).bind(voter_key).bind(now).execute(&mut *tx).await?.rows_affected();
        if added == 1 {
            sqlx::query("UPDATE budget_projects SET supports = supports + 1 WHERE community_id = $1 AND id = $2")
                .bind(community).bind(project).execute(&mut *tx).await?;
        }
        Ok(added == 1)
    })
}

pub async fn has_supported(db: &Db, community: CommunityId, project: Uuid, voter_key: &[u8]) -> DbResult<bool> {
    let (found,): (i64,) = fetch_one!(
        db,
        sqlx::query_as(
            "SELECT COUNT(*) FROM budget_supports WHERE community_id = $1 AND project_id = $2 AND voter_key = $3"
        )
        .bind(community)
        .bind(project)
        .bind(voter_key)
    )?;
    Ok(found > 0)
}

// ---------- co-authors ----------

/// A project's co-authors: (account, name as shown).
pub async fn coauthors(db: &Db, community: CommunityId, project: Uuid) -> DbResult<Vec<(UserId, String)>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as(
            "SELECT user_id, name FROM budget_coauthors WHERE community_id = $1 AND project_id = $2 ORDER BY name"
        )
        .bind(community)
        .bind(project)
    )?)
}

/// Replaces a project's co-authors.
pub async fn set_coauthors(
    db: &Db,
    community: CommunityId,
    project: Uuid,
    people: &[(UserId, String)],
) -> DbResult<()> {
    write_tx!(db, tx => {
        sqlx::query("DELETE FROM budget_coauthors WHERE community_id = $1 AND project_id = $2")
            .bind(community).bind(project).execute(&mut *tx).await?;
        for (user, name) in people {
            sqlx::query("INSERT INTO budget_coauthors (community_id, project_id, user_id, name) VALUES ($1, $2, $3, $4)")
                .bind(community).bind(project).bind(user).bind(name).execute(&mut *tx).await?;
        }
    });
    Ok(())
}

/// Projects the account co-authors (besides its own).
pub async fn coauthored(db: &Db, community: CommunityId, user: UserId) -> DbResult<Vec<Project>> {
    let sql = format!(
        "SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE community_id = $1 AND id IN
           (SELECT project_id FROM budget_coauthors WHERE community_id = $1 AND user_id = $2) ORDER BY number DESC"
    );
    Ok(fetch_all!(db, sqlx::query_as::<_, Project>(sqlx::AssertSqlSafe(sql)).bind(community).bind(user))?)
}
