//! `hromada-bench`: signatures per second through the HTTP API against the raw batched-insert
//! rate of the same rows, on SQLite (default) or PostgreSQL. Prints figures.
//!
//! `hromada-bench crash`: kills the real server with SIGKILL while it takes signatures, restarts
//! it and checks that no acknowledged signature was lost or doubled (see `crash.rs`).
//!
//! `hromada-bench lists`: the public petition lists, searches and open data on thousands of
//! petitions, over HTTP and at the store (see `lists.rs`).
//!
//! `hromada-bench surveys`: a large survey's results page and its counting (see `surveys.rs`).
//!
//! `hromada-bench bot`: webhook updates per second, queueing a broadcast, and the delivery rate
//! (see `bot.rs`).
//!
//! `hromada-bench budget`: the live tally of a million participatory budget ballots, and
//! ballots per second through HTTP against the ballot writer (see `budget.rs`).
//!
//! `hromada-bench site`: the weight of the demo community's home page and its requests per
//! second against a static asset (see `site.rs`).

mod booking;
mod bot;
mod budget;
mod crash;
mod lists;
mod site;
mod surveys;

use clap::{Parser, Subcommand};
use hromada_db::core::communities::{self, Contacts, NewCommunity};
use hromada_db::{Db, GroupCommit, GroupCommitConfig};
use hromada_kernel::{Clock, SystemClock, WorkingCalendar};
use hromada_petitions::domain::{self, Action, Rules};
use hromada_petitions::store::{self, NewPetition, SignOutcome, SignRequest, SignatureWriter};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Parser, Debug)]
#[command(
    about = "Signatures per second through HTTP against the raw batched insert",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    rate: Args,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Kill the real server with SIGKILL while it takes signatures, restart it on the same data,
    /// and check that every acknowledged signature is there once; exits non-zero otherwise.
    Crash(crash::CrashArgs),
    /// Requests per second and latency of the public petition lists on many petitions, and the
    /// store query's own time; checks that only public petitions are listed.
    Lists(lists::ListsArgs),
    /// Server time of a large survey's results page (10,000 responses × 20 questions by default)
    /// and of the counting alone.
    Surveys(surveys::SurveysArgs),
    /// Webhook updates per second with each turn persisted, the time to queue a broadcast to
    /// 100,000 subscribers, and the delivery rate held.
    Bot(bot::BotArgs),
    /// The demo home page built from blocks: its HTML and CSS weight, and requests per second
    /// against a static asset in the same run.
    Site(site::SiteArgs),
    /// Visits booked per second under contention for the same slots and without it.
    Booking(booking::BookingArgs),
    /// The live tally of a contest with a million ballots, and ballots per second through HTTP
    /// against the ballot writer's own rate.
    Budget(budget::BudgetArgs),
}

#[derive(clap::Args, Debug)]
struct Args {
    /// Distinct verified signers.
    #[arg(long, default_value_t = 5000)]
    signers: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// `postgres://…` to measure PostgreSQL; a fresh SQLite file otherwise.
    #[arg(long)]
    database_url: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Crash(args)) => crash::run(args).await,
        Some(Command::Lists(args)) => lists::run(args).await,
        Some(Command::Surveys(args)) => surveys::run(args).await,
        Some(Command::Bot(args)) => bot::run(args).await,
        Some(Command::Site(args)) => site::run(args).await,
        Some(Command::Booking(args)) => booking::run(args).await,
        Some(Command::Budget(args)) => budget::run(args).await,
        None => rate(cli.rate).await,
    }
}

async fn rate(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url =
        args.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.sqlite").display()));
    let db = Db::connect(&url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (community, slug) = bench_community(&db, clock.now()).await?;

    eprintln!("setting up {} verified signers with API tokens…", args.signers);
    let tokens: Vec<String> = seed_signers(&db, community, args.signers).await?.into_iter().map(|s| s.token).collect();
    let petition = collecting_petition(&db, community, clock.now()).await?;

    let (addr, _app) = serve_in_process(&db, clock.clone(), modules).await?;

    // Through HTTP: each signer signs once with their own token.
    let endpoint = format!("http://{addr}/c/{slug}/api/v1/petitions/{}/signatures", petition.number);
    let (latencies, failures, http_elapsed) = post_with_tokens(&endpoint, tokens, None, args.concurrency).await?;
    let stored = store::get(&db, community, petition.id).await?.expect("petition");
    let entries = store::chain(&db, community, petition.id, 0, i64::MAX).await?;
    let (count, _) = domain::verify_chain(petition.id, &entries).map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(count as i64, stored.signature_count, "the counter equals the rows");

    // The same rows straight into the writer, with no HTTP in between.
    let raw_petition = collecting_petition(&db, community, clock.now()).await?;
    let (writer, task) = GroupCommit::spawn(db.clone(), SignatureWriter, GroupCommitConfig::default());
    let started = Instant::now();
    let mut handles = vec![];
    for i in 0..args.signers {
        let w = writer.clone();
        let request = SignRequest {
            community,
            petition: raw_petition.id,
            signer_key: format!("raw-{i}").into_bytes(),
            user_id: None,
            display_name: format!("Підписант {i}."),
            receipt_code: format!("R{i}"),
            at: clock.now(),
            network: String::new(),
        };
        handles.push(tokio::spawn(async move { w.submit(request).await }));
    }
    for h in handles {
        assert!(matches!(h.await?, Ok(SignOutcome::Signed { .. })));
    }
    let raw_elapsed = started.elapsed();
    let (batches, _) = writer.stats();
    drop(writer);
    task.await?;

    let per_second = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let http_rate = per_second(latencies.len(), http_elapsed);
    let raw_rate = per_second(args.signers, raw_elapsed);
    println!(
        "backend: {}   signers: {}   concurrency: {}",
        if url.starts_with("postgres") { "postgresql" } else { "sqlite" },
        args.signers,
        args.concurrency
    );
    println!(
        "HTTP signing:   {:>9.0} signatures/s   p50 {:>6.1} ms   p99 {:>6.1} ms   failures {failures}",
        http_rate,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    );
    println!("raw batched:    {:>9.0} signatures/s   ({batches} batches)", raw_rate);
    println!("HTTP / raw:     {:>9.1} %", 100.0 * http_rate / raw_rate);
    println!("chain verified: {count} entries, counter {}", stored.signature_count);
    Ok(())
}

/// POSTs to `endpoint` once per token (with `body` as JSON, if any) from `concurrency` clients at
/// once; gives the sorted latencies of the 201 answers, the failures, and the time it all took.
pub(crate) async fn post_with_tokens(
    endpoint: &str,
    tokens: Vec<String>,
    body: Option<serde_json::Value>,
    concurrency: usize,
) -> anyhow::Result<(Vec<Duration>, usize, Duration)> {
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let (tokens, body) = (Arc::new(tokens), Arc::new(body));
    let started = Instant::now();
    let mut workers = vec![];
    for _ in 0..concurrency {
        let (http, endpoint, next, tokens, body) =
            (http.clone(), endpoint.to_owned(), next.clone(), tokens.clone(), body.clone());
        workers.push(tokio::spawn(async move {
            let (mut latencies, mut failures) = (vec![], 0usize);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= tokens.len() {
                    break;
                }
                let t = Instant::now();
                let mut request = http.post(&endpoint).bearer_auth(&tokens[i]);
                if let Some(body) = body.as_ref() {
                    request = request.json(body);
                }
                match request.send().await {
                    Ok(r) if r.status() == 201 => latencies.push(t.elapsed()),
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let (mut latencies, mut failures) = (vec![], 0);
    for w in workers {
        let (l, f) = w.await?;
        latencies.extend(l);
        failures += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Ok((latencies, failures, elapsed))
}

/// A fresh community whose statute lets any verified account sign; (its id, its slug).
async fn bench_community(db: &Db, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<(Uuid, String)> {
    let slug = format!("bench{}", &Uuid::now_v7().simple().to_string()[24..]);
    let new = NewCommunity {
        slug: slug.clone(),
        name_uk: "Бенчмарк".into(),
        name_en: None,
        coat_of_arms: None,
        contacts: Contacts::default(),
    };
    let community = communities::create(db, new, now).await?;
    communities::set_statute(
        db,
        community.id,
        "petitions",
        serde_json::json!({ "threshold": 1_000_000, "residents_only": false, "min_age": 0 }),
    )
    .await?;
    Ok((community.id, slug))
}

/// A verified person's account and the API token to sign with.
pub(crate) struct Signer {
    id: Uuid,
    pub(crate) token: String,
}

/// Verified signers with API tokens, inserted in one transaction, many rows per statement
/// (this is set-up, not measured).
pub(crate) async fn seed_signers(db: &Db, community: Uuid, n: usize) -> anyhow::Result<Vec<Signer>> {
    const ROWS: usize = 500;
    let now = SystemClock.now();
    let signers: Vec<Signer> =
        (0..n).map(|_| Signer { id: hromada_kernel::new_id(), token: hromada_web::auth::new_token() }).collect();
    // $1 community, $2 now; then the rows' own values.
    let values = |rows: usize, per_row: usize, row: &dyn Fn(usize) -> String| {
        (0..rows).map(|r| row(2 + r * per_row)).collect::<Vec<_>>().join(", ")
    };
    hromada_db::write_tx!(db, tx => {
        for (c, chunk) in signers.chunks(ROWS).enumerate() {
            let users = format!(
                "INSERT INTO users (community_id, id, email, email_norm, full_name, search_text, lang, email_confirmed_at,
                                    person_key, eid_verified_at, failed_logins, created_at) VALUES {}",
                values(chunk.len(), 4, &|b| format!("($1, ${}, ${}, ${}, ${}, ${}, 'uk', $2, ${}, $2, 0, $2)", b + 1, b + 2, b + 2, b + 3, b + 3, b + 4))
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(users)).bind(community).bind(now);
            for (k, s) in chunk.iter().enumerate() {
                let i = c * ROWS + k;
                let key = hromada_web::auth::keyed_hash(b"bench", format!("person:{i}").as_bytes());
                query = query.bind(s.id).bind(format!("s{i}@bench.test")).bind(format!("Підписант{i} Тест")).bind(key);
            }
            query.execute(&mut *tx).await?;
            let tokens = format!(
                "INSERT INTO api_tokens (community_id, id, user_id, name, token_hash, created_at) VALUES {}",
                values(chunk.len(), 3, &|b| format!("($1, ${}, ${}, 'bench', ${}, $2)", b + 1, b + 2, b + 3))
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(tokens)).bind(community).bind(now);
            for s in chunk {
                query = query.bind(hromada_kernel::new_id()).bind(s.id).bind(hromada_web::auth::hash_token(&s.token));
            }
            query.execute(&mut *tx).await?;
        }
    });
    Ok(signers)
}

async fn collecting_petition(
    db: &Db,
    community: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<store::Petition> {
    let new = NewPetition {
        author_id: Uuid::now_v7(),
        author_name: "Бенчмарк",
        title: "Бенчмарк",
        body: "Текст",
        category: "other",
    };
    let rules = Rules { threshold: 1_000_000, ..Rules::default() };
    let p = store::create_draft(db, community, new, &rules, now).await?;
    let calendar = WorkingCalendar::default();
    for step in [Action::Submit, Action::Publish] {
        store::step(db, community, p.id, step, None, "", &calendar, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(store::get(db, community, p.id).await?.expect("petition"))
}

/// The real application on a free loopback port in this process; keep the `App` alive while measuring.
pub(crate) async fn serve_in_process(
    db: &Db,
    clock: std::sync::Arc<dyn hromada_kernel::Clock>,
    modules: Vec<std::sync::Arc<dyn hromada_web::Module>>,
) -> anyhow::Result<(SocketAddr, hromada_app::App)> {
    serve_in_process_with(db, clock, modules, |_| {}).await
}

/// Like [`serve_in_process`], with the settings changed first.
pub(crate) async fn serve_in_process_with(
    db: &Db,
    clock: std::sync::Arc<dyn hromada_kernel::Clock>,
    modules: Vec<std::sync::Arc<dyn hromada_web::Module>>,
    settings: impl FnOnce(&mut hromada_web::WebConfig),
) -> anyhow::Result<(SocketAddr, hromada_app::App)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut config = hromada_web::WebConfig::for_tests(b"benchmark installation secret, 32 bytes or more");
    config.demo = false;
    config.public_url = format!("http://{addr}");
    settings(&mut config);
    let app = hromada_app::build(db.clone(), config, clock.clone(), modules)?;
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    Ok((addr, app))
}
