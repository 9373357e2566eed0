//! `hromada-bench budget`: the live tally of a participatory budget contest with a million
//! ballots (counted from the votes at request time, nothing precomputed), and ballots per second
//! through the HTTP API against the ballot writer's own rate, with the same method as signatures.

use crate::{post_with_tokens, seed_signers, serve_in_process};
use hromada_budget::domain::{self, Candidate, CategoryRules, ContestRules, Timeline, VotingRule};
use hromada_budget::results;
use hromada_budget::store::{self, BallotOutcome, BallotRequest, BallotWriter, ContestSettings};
use hromada_db::core::communities::{self, Contacts, NewCommunity};
use hromada_db::{Db, GroupCommit, GroupCommitConfig};
use hromada_kernel::{Clock, SystemClock};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(clap::Args, Debug)]
pub struct BudgetArgs {
    /// Ballots to tally.
    #[arg(long, default_value_t = 1_000_000)]
    ballots: usize,
    /// Projects chosen on each ballot.
    #[arg(long, default_value_t = 3)]
    choices: usize,
    /// Voters casting ballots through HTTP.
    #[arg(long, default_value_t = 5000)]
    voters: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// `postgres://…` to measure PostgreSQL; a fresh SQLite file otherwise.
    #[arg(long)]
    database_url: Option<String>,
}

/// A contest in its voting days, with a small (approve up to 3) and a large (knapsack) category
/// of 15 admitted projects each; gives the contest and its candidates.
async fn voting_contest(
    db: &Db,
    community: Uuid,
    today: chrono::NaiveDate,
) -> anyhow::Result<(store::Contest, Vec<Candidate>)> {
    let days = |n: i64| today + chrono::Duration::days(n);
    let settings = ContestSettings {
        title: "Бенчмарк".into(),
        title_en: None,
        description: String::new(),
        total_budget: 30_000_000 * 100,
        timeline: Timeline {
            submission_from: days(-60),
            submission_to: days(-40),
            review_to: days(-20),
            revision_to: days(-10),
            voting_to: days(20),
            results_to: days(35),
        },
        rules: ContestRules { min_age: 0, residents_only: false, ..ContestRules::default() },
    };
    let now = SystemClock.now();
    let contest = store::create_contest(db, community, &settings, now).await?;
    let small = CategoryRules {
        budget: 10_000_000 * 100,
        min_cost: 0,
        max_cost: 1_000_000 * 100,
        rule: VotingRule::Approve { up_to: 3 },
    };
    let large =
        CategoryRules { budget: 20_000_000 * 100, min_cost: 0, max_cost: 5_000_000 * 100, rule: VotingRule::Knapsack };
    let mut candidates = vec![];
    for (name, rules, cost) in [("Малі", small, 300_000 * 100), ("Великі", large, 3_000_000 * 100)] {
        let category = store::save_category(db, community, contest.id, None, name, None, rules)
            .await?
            .ok_or_else(|| anyhow::anyhow!("categories over the total"))?;
        for i in 0..15 {
            let text = store::ProjectText {
                category_id: category,
                title: format!("{name} проєкт {i}"),
                summary: "Бенчмарк".into(),
                body: "Бенчмарк".into(),
                address: "Бенчмарк".into(),
                point: None,
                items: vec![domain::CostItem {
                    name: "Усе".into(),
                    quantity: 1,
                    unit_price: cost + i * 1000,
                    comment: String::new(),
                }],
                answers: Default::default(),
            };
            let p = store::create_project(db, community, contest.id, (Uuid::now_v7(), "Автор"), &text, now).await?;
            // Written straight: the phases of a real review are not what is measured here.
            hromada_db::execute!(
                db,
                sqlx::query("UPDATE budget_projects SET status = 'admitted' WHERE community_id = $1 AND id = $2")
                    .bind(community)
                    .bind(p.id)
            )?;
            candidates.push(Candidate { id: p.id, number: p.number, category, cost: p.cost });
        }
    }
    Ok((contest, candidates))
}

/// `n` ballots' votes written straight into the votes table (set-up, not measured): each ballot
/// chooses `choices` projects spread by a fixed pattern, so every run counts the same.
async fn seed_votes(
    db: &Db,
    community: Uuid,
    contest: Uuid,
    candidates: &[Candidate],
    n: usize,
    choices: usize,
) -> anyhow::Result<()> {
    const ROWS: usize = 400;
    let votes: Vec<(Uuid, i64)> = (0..n)
        .flat_map(|b| (0..choices).map(move |k| ((b * 7 + k * 13 + (b / 3) % 5) % candidates.len(), b as i64 + 1)))
        .map(|(i, seq)| (candidates[i].id, seq))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in votes.chunks(ROWS * 50) {
        hromada_db::write_tx!(db, tx => {
            for rows in chunk.chunks(ROWS) {
                let values: Vec<String> = (0..rows.len()).map(|r| format!("($1, $2, ${}, ${})", 3 + r * 2, 4 + r * 2)).collect();
                let sql = format!("INSERT INTO budget_votes (community_id, contest_id, project_id, seq) VALUES {}", values.join(", "));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(community).bind(contest);
                for (project, seq) in rows {
                    q = q.bind(*project).bind(*seq);
                }
                q.execute(&mut *tx).await?;
            }
        });
    }
    Ok(())
}

pub async fn run(args: BudgetArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("hromada-budget.").tempdir()?;
    let url =
        args.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.sqlite").display()));
    let db = Db::connect(&url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let today = hromada_kernel::clock::kyiv_time(now).date();
    let slug = format!("budget{}", &Uuid::now_v7().simple().to_string()[24..]);
    let new = NewCommunity {
        slug: slug.clone(),
        name_uk: "Бенчмарк".into(),
        name_en: None,
        coat_of_arms: None,
        contacts: Contacts::default(),
    };
    let community = communities::create(&db, new, now).await?.id;
    communities::set_statute(&db, community, "identity", serde_json::json!({ "budget.vote": "email" })).await?;
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };

    // ---- the tally ----
    let (contest, candidates) = voting_contest(&db, community, today).await?;
    eprintln!("writing {} ballots × {} choices…", args.ballots, args.choices);
    let started = Instant::now();
    seed_votes(&db, community, contest.id, &candidates, args.ballots, args.choices).await?;
    eprintln!("  set up in {:.1} s", started.elapsed().as_secs_f64());
    let mut times = vec![];
    let mut counted = 0u64;
    for _ in 0..5 {
        let t = Instant::now();
        let (categories, _) = results::count(&db, community, &contest).await?;
        times.push(t.elapsed());
        counted = categories.iter().map(|c| c.votes).sum();
    }
    times.sort();
    let tally_only = {
        let t = Instant::now();
        store::tally(&db, community, contest.id).await?;
        t.elapsed()
    };

    // ---- ballots through HTTP ----
    let (web_contest, web_candidates) = voting_contest(&db, community, today).await?;
    eprintln!("setting up {} voters with API tokens…", args.voters);
    let tokens: Vec<String> = seed_signers(&db, community, args.voters).await?.into_iter().map(|s| s.token).collect();
    let (addr, _app) = serve_in_process(&db, clock.clone(), modules).await?;
    let endpoint = format!("http://{addr}/c/{slug}/api/v1/budget/contests/{}/ballots", web_contest.number);
    let ballot = serde_json::json!({
        "choices": [web_candidates[0].number, web_candidates[1].number, web_candidates[15].number]
    });
    let (latencies, failures, http_elapsed) =
        post_with_tokens(&endpoint, tokens, Some(ballot), args.concurrency).await?;
    let entries = store::chain(&db, community, web_contest.id, 0, i64::MAX).await?;
    let recount = domain::verify_chain(web_contest.id, &entries).map_err(|e| anyhow::anyhow!("{e}"))?;
    let stored = store::contest(&db, community, web_contest.id).await?.expect("contest");
    assert_eq!(recount.ballots as i64, stored.ballot_count, "the counter equals the live ballots");

    // The same ballots straight into a writer of their own, no HTTP.
    let (raw_contest, raw_candidates) = voting_contest(&db, community, today).await?;
    let (writer, task) = GroupCommit::spawn(db.clone(), BallotWriter, GroupCommitConfig::default());
    let started = Instant::now();
    let mut handles = vec![];
    for i in 0..args.voters {
        let w = writer.clone();
        let voter_key = format!("raw-{i}").into_bytes();
        let request = BallotRequest {
            community,
            contest: raw_contest.id,
            slot: domain::voter_slot(b"bench", raw_contest.id, &voter_key),
            voter_key,
            choices: vec![raw_candidates[0], raw_candidates[1], raw_candidates[15]],
            receipt_code: format!("R{i}"),
            today,
            paper: None,
        };
        handles.push(tokio::spawn(async move { w.submit(request).await }));
    }
    for h in handles {
        assert!(matches!(h.await?, Ok(BallotOutcome::Cast { .. })));
    }
    let raw_elapsed = started.elapsed();
    let (batches, _) = writer.stats();
    drop(writer);
    task.await?;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let http_rate = latencies.len() as f64 / http_elapsed.as_secs_f64();
    let raw_rate = args.voters as f64 / raw_elapsed.as_secs_f64();
    println!("backend: {backend}");
    println!(
        "tally of {} ballots ({counted} votes, 30 projects): min {:.0} ms   median {:.0} ms   max {:.0} ms   (count query alone {:.0} ms)",
        args.ballots,
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        ms(tally_only)
    );
    println!(
        "HTTP ballots:   {http_rate:>8.0} ballots/s   p50 {:>6.1} ms   p99 {:>6.1} ms   failures {failures}   ({} voters, concurrency {})",
        ms(pct(0.50)),
        ms(pct(0.99)),
        args.voters,
        args.concurrency
    );
    println!("raw writer:     {raw_rate:>8.0} ballots/s   ({batches} batches)");
    println!("HTTP / raw:     {:>8.1} %", 100.0 * http_rate / raw_rate);
    println!("chain verified: {} ballots, counter {}", recount.ballots, stored.ballot_count);
    Ok(())
}
