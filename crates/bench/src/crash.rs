//! `hromada-bench crash`: the real `hromada serve` process is killed with SIGKILL while it takes
//! signatures at full rate, restarted on the same data, and checked: every signature that got a
//! 2xx is there, none twice, the counter equals the rows, the chain verifies (read from the
//! database and through the API, and with `hromada petitions verify`). After the last round,
//! signers sign again: the restarted server must refuse repeats and continue the chain.
//! Prints figures; exits non-zero on any violation.
//!
//! The operating system survives the kill, so this checks the process crash (a batch cut off
//! mid-transaction, recovery on restart), not a power cut.

use crate::{Signer, bench_community, collecting_petition, seed_signers};
use anyhow::{Context, bail};
use hromada_db::Db;
use hromada_kernel::{Clock, SystemClock};
use hromada_petitions::domain::{self, ChainEntry};
use hromada_petitions::store;
use sqlx::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const ALREADY_SIGNED: &str = "petition-refused-already-signed";
/// Signers kept for the last phase: they sign for the first time on the restarted server.
const FRESH: usize = 100;
/// Repeats tried in the last phase, of the acknowledged and of the unanswered signers each.
const REPEATS: usize = 100;

#[derive(clap::Args, Debug)]
pub struct CrashArgs {
    /// The hromada binary; by default the one next to this tool (the same build profile).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Verified signers made beforehand; each signs once (at most a share of them per round).
    #[arg(long, default_value_t = 30_000)]
    signers: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Signing time before each kill, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    kill_after_ms: u64,
    /// Kill-and-restart cycles.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// A PostgreSQL server (`postgres://…`): a fresh database is made on it and dropped after a
    /// clean run. Without it, the embedded SQLite in a temporary data folder.
    #[arg(long)]
    database_url: Option<String>,
}

/// Where the petition is.
struct Target {
    slug: String,
    number: i64,
    petition: Uuid,
    community: Uuid,
}

impl Target {
    fn signatures(&self, base: &str) -> String {
        format!("{base}/c/{}/api/v1/petitions/{}/signatures", self.slug, self.number)
    }
}

/// Why a signer signs again after the restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Again {
    /// Acknowledged before: must be refused as already signed.
    Repeat,
    /// Unanswered at a kill: refused if the signature was stored, taken otherwise.
    Retry,
    /// Never signed: taken, continuing the chain.
    Fresh,
}

/// What one sign request came to.
enum Answer {
    Acked {
        seq: u64,
        receipt: String,
    },
    /// An HTTP answer other than 201.
    Refused {
        status: u16,
        body: String,
    },
    /// No answer because the server was killed: the signature may or may not be stored.
    Unanswered,
    /// No answer while the server was alive.
    Failed(String),
}

/// What the check found.
struct Found {
    rows: usize,
    duplicates: usize,
    counter: i64,
    /// Acknowledged signers missing from the list.
    lost: Vec<usize>,
    chain_ok: bool,
    /// Account → place in the chain.
    stored: HashMap<Uuid, u64>,
}

pub async fn run(args: CrashArgs) -> anyhow::Result<()> {
    let binary = match &args.binary {
        Some(b) => b.clone(),
        None => std::env::current_exe()?.with_file_name("hromada"),
    };
    anyhow::ensure!(
        binary.is_file(),
        "no hromada binary at {} (build it: cargo build -p hromada-app --bin hromada, or pass --binary)",
        binary.display()
    );
    anyhow::ensure!(args.rounds >= 1 && args.concurrency >= 1, "--rounds and --concurrency must be at least 1");
    let per_round = args.signers.saturating_sub(FRESH) / args.rounds;
    anyhow::ensure!(per_round >= 10 * args.concurrency, "too few --signers for {} rounds", args.rounds);
    let started = Instant::now();
    let dir = tempfile::Builder::new().prefix("hromada-crash.").tempdir()?;
    let data_dir = dir.path().join("data");
    std::fs::create_dir_all(&data_dir)?;
    let log = dir.path().join("server.log");
    let (url, pg) = match &args.database_url {
        Some(server) => {
            let (url, name) = fresh_pg_database(server, "hromada_crash").await?;
            (url, Some((server.clone(), name)))
        }
        // Where `hromada serve --data-dir` keeps it.
        None => (format!("sqlite://{}", data_dir.join("hromada.sqlite").display()), None),
    };
    let result = crash_rounds(&args, &binary, per_round, &data_dir, &url, &log, started).await;
    match result {
        Ok(violations) if violations.is_empty() => {
            if let Some((server, name)) = pg {
                drop_pg_database(&server, &name).await;
            }
            Ok(())
        }
        outcome => {
            let kept = dir.keep();
            match &outcome {
                Ok(violations) => {
                    eprintln!("\nVIOLATIONS ({}):", violations.len());
                    for v in violations.iter().take(50) {
                        eprintln!("  {v}");
                    }
                }
                Err(e) => eprintln!("\nthe crash run failed: {e:#}"),
            }
            eprintln!("kept for inspection: {} (server log: server.log)", kept.display());
            if let Some((_, name)) = pg {
                eprintln!("kept the PostgreSQL database {name}");
            }
            std::process::exit(1);
        }
    }
}

/// Runs the rounds and the last phase; the violations found (empty when all is well).
async fn crash_rounds(
    args: &CrashArgs,
    binary: &Path,
    per_round: usize,
    data_dir: &Path,
    url: &str,
    log: &Path,
    started: Instant,
) -> anyhow::Result<Vec<String>> {
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    let secret = hromada_web::auth::new_token();
    let pg_url = url.starts_with("postgres").then_some(url);

    let db = Db::connect(url).await?;
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&hromada_app::modules())).await?;
    let now = SystemClock.now();
    let (community, slug) = bench_community(&db, now).await?;
    eprintln!("setting up {} verified signers with API tokens…", args.signers);
    let signers = Arc::new(seed_signers(&db, community, args.signers).await?);
    let petition = collecting_petition(&db, community, now).await?;
    // The server is the database's only user while it runs and restarts, as in production.
    db.close().await;
    let target = Target { slug, number: petition.number, petition: petition.id, community };

    println!(
        "crash test: {} on {backend}; {} rounds of {} ms signing with {} connections, then SIGKILL and restart",
        binary.display(),
        args.rounds,
        args.kill_after_ms,
        args.concurrency
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency * 2)
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut server = Server::start(binary, data_dir, pg_url, &secret, log, &http).await?;
    let mut violations = vec![];
    let mut acked: BTreeMap<usize, (u64, String)> = BTreeMap::new();
    let mut unanswered: Vec<usize> = vec![];
    let mut attempted: Vec<Range<usize>> = vec![];
    let mut found = None;
    let mut lost: HashSet<usize> = HashSet::new();
    for round in 0..args.rounds {
        let range = round * per_round..(round + 1) * per_round;
        let endpoint = target.signatures(&server.base);
        let drive = drive(&http, &endpoint, &signers, range.clone(), args, &mut server).await?;
        let mut round_acked = 0;
        let mut round_unanswered = 0;
        for (i, answer) in drive.answers {
            match answer {
                Answer::Acked { seq, receipt } => {
                    round_acked += 1;
                    acked.insert(i, (seq, receipt));
                }
                Answer::Unanswered => {
                    round_unanswered += 1;
                    unanswered.push(i);
                }
                Answer::Refused { status, body } => {
                    violations.push(format!("signer {i} was answered {status} while the server ran: {body}"))
                }
                Answer::Failed(e) => violations.push(format!("signer {i} got no answer while the server ran: {e}")),
            }
        }
        attempted.push(range.start..drive.attempted_to);
        println!(
            "round {}: killed after {:.2} s of signing: {round_acked} acknowledged ({:.0}/s), {round_unanswered} unanswered at the kill{}",
            round + 1,
            drive.signing.as_secs_f64(),
            round_acked as f64 / drive.signing.as_secs_f64(),
            if drive.ran_out { " (signers ran short before the kill: raise --signers)" } else { "" }
        );
        let restart = Instant::now();
        server = Server::start(binary, data_dir, pg_url, &secret, log, &http).await?;
        let restarted = restart.elapsed();
        let f = check(url, &http, &target, &server, binary, &signers, &acked, &attempted, &mut violations).await?;
        lost.extend(f.lost.iter().copied());
        println!(
            "         restarted in {:.2} s: acknowledged {} in all, rows {}, lost {}, duplicates {}, counter {}, chain {}",
            restarted.as_secs_f64(),
            acked.len(),
            f.rows,
            f.lost.len(),
            f.duplicates,
            f.counter,
            if f.chain_ok { "ok" } else { "BROKEN" }
        );
        found = Some(f);
    }

    // The restarted server refuses repeats, settles the unanswered, and continues the chain.
    let before = found.context("no round ran")?;
    let acked_before_kills = acked.len();
    let endpoint = target.signatures(&server.base);
    let mut requests = tokio::task::JoinSet::new();
    let repeats = acked.keys().copied().take(REPEATS).map(|i| (i, Again::Repeat));
    let retries = unanswered.iter().copied().take(REPEATS).map(|i| (i, Again::Retry));
    let fresh = args.signers - FRESH..args.signers;
    for (i, kind) in repeats.chain(retries).chain(fresh.clone().map(|i| (i, Again::Fresh))) {
        let (http, endpoint, token) = (http.clone(), endpoint.clone(), signers[i].token.clone());
        requests.spawn(async move { (i, kind, sign(&http, &endpoint, &token, &AtomicBool::new(false)).await) });
    }
    let mut new_seqs = vec![];
    let (mut refused, mut settled, mut first_time) = (0, 0, 0);
    while let Some(done) = requests.join_next().await {
        let (i, kind, answer) = done?;
        let stored = before.stored.contains_key(&signers[i].id);
        match (kind, answer) {
            (Again::Repeat | Again::Retry, Answer::Refused { status: 409, body })
                if stored && body.contains(ALREADY_SIGNED) =>
            {
                refused += 1
            }
            (Again::Retry | Again::Fresh, Answer::Acked { seq, receipt }) if !stored => {
                if kind == Again::Retry {
                    settled += 1
                } else {
                    first_time += 1
                }
                new_seqs.push(seq);
                acked.insert(i, (seq, receipt));
            }
            (_, Answer::Acked { seq, .. }) => violations.push(format!(
                "signer {i} ({}) signed again, as No. {seq}",
                if stored { "in the list" } else { "acknowledged but not in the list" }
            )),
            (_, Answer::Refused { status, body }) => violations.push(format!(
                "signer {i} ({}) was answered {status}: {body}",
                if stored { "in the list" } else { "not in the list" }
            )),
            (_, Answer::Unanswered | Answer::Failed(_)) => violations.push(format!("signer {i} got no answer")),
        }
    }
    attempted.push(fresh);
    new_seqs.sort_unstable();
    let expected: Vec<u64> = (before.rows as u64 + 1..=(before.rows + new_seqs.len()) as u64).collect();
    if new_seqs != expected {
        violations.push(format!(
            "after the restarts the chain did not go on from No. {}: {} new entries numbered {:?} … {:?}",
            before.rows + 1,
            new_seqs.len(),
            new_seqs.first(),
            new_seqs.last()
        ));
    }
    let f = check(url, &http, &target, &server, binary, &signers, &acked, &attempted, &mut violations).await?;
    lost.extend(f.lost.iter().copied());
    println!(
        "after the restarts: {refused} repeats refused as already signed, {settled} unanswered signers signed now, \
         {first_time} new signers signed; rows {}, counter {}, chain {}",
        f.rows,
        f.counter,
        if f.chain_ok { "ok" } else { "BROKEN" }
    );
    drop(server);
    println!(
        "result: acknowledged before the kills {acked_before_kills}, after them {}; rows {}, lost {}, duplicates {}, \
         counter {}, chain {}; {} violations; {:.1} s",
        acked.len() - acked_before_kills,
        f.rows,
        lost.len(),
        f.duplicates,
        f.counter,
        if f.chain_ok { "ok" } else { "BROKEN" },
        violations.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(violations)
}

struct Drive {
    answers: Vec<(usize, Answer)>,
    /// Signers from the range's start up to here were sent.
    attempted_to: usize,
    signing: Duration,
    ran_out: bool,
}

/// Signs with the range's signers over many connections until the kill, then kills the server.
async fn drive(
    http: &reqwest::Client,
    endpoint: &str,
    signers: &Arc<Vec<Signer>>,
    range: Range<usize>,
    args: &CrashArgs,
    server: &mut Server,
) -> anyhow::Result<Drive> {
    let next = Arc::new(AtomicUsize::new(range.start));
    let killing = Arc::new(AtomicBool::new(false));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        let (http, endpoint, signers, next, killing) =
            (http.clone(), endpoint.to_owned(), signers.clone(), next.clone(), killing.clone());
        let end = range.end;
        workers.spawn(async move {
            let mut answers = vec![];
            while !killing.load(Ordering::SeqCst) {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= end {
                    break;
                }
                answers.push((i, sign(&http, &endpoint, &signers[i].token, &killing).await));
            }
            answers
        });
    }
    let started = Instant::now();
    // Killed while signing is at full rate: after the set time, or before the signers run out.
    let short = range.start + range.len() * 9 / 10;
    while started.elapsed() < Duration::from_millis(args.kill_after_ms) && next.load(Ordering::SeqCst) < short {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let ran_out = next.load(Ordering::SeqCst) >= short;
    let signing = started.elapsed();
    killing.store(true, Ordering::SeqCst);
    server.kill()?;
    let mut answers = vec![];
    while let Some(done) = workers.join_next().await {
        answers.extend(done?);
    }
    Ok(Drive { answers, attempted_to: next.load(Ordering::SeqCst).min(range.end), signing, ran_out })
}

async fn sign(http: &reqwest::Client, endpoint: &str, token: &str, killing: &AtomicBool) -> Answer {
    let lost = |e: String| if killing.load(Ordering::SeqCst) { Answer::Unanswered } else { Answer::Failed(e) };
    let response = match http.post(endpoint).bearer_auth(token).header("accept", "application/json").send().await {
        Ok(r) => r,
        Err(e) => return lost(e.to_string()),
    };
    let status = response.status().as_u16();
    let body = match response.text().await {
        Ok(b) => b,
        Err(e) => return lost(e.to_string()),
    };
    if status != 201 {
        return Answer::Refused { status, body };
    }
    let receipt: serde_json::Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(e) => return Answer::Failed(format!("a 201 without a receipt ({e}): {body}")),
    };
    match (receipt["seq"].as_u64(), receipt["receipt_code"].as_str()) {
        (Some(seq), Some(code)) => Answer::Acked { seq, receipt: code.to_owned() },
        _ => Answer::Failed(format!("a 201 without a receipt: {body}")),
    }
}

/// Reads the petition from the database and through the API, and checks every invariant.
#[allow(clippy::too_many_arguments)]
async fn check(
    url: &str,
    http: &reqwest::Client,
    target: &Target,
    server: &Server,
    binary: &Path,
    signers: &[Signer],
    acked: &BTreeMap<usize, (u64, String)>,
    attempted: &[Range<usize>],
    violations: &mut Vec<String>,
) -> anyhow::Result<Found> {
    let db = Db::connect(url).await?;
    let petition = store::get(&db, target.community, target.petition).await?.context("the petition is gone")?;
    let entries = store::chain(&db, target.community, target.petition, 0, i64::MAX).await?;
    let rows: Vec<(i64, Option<Uuid>, Vec<u8>)> = hromada_db::fetch_all!(
        &db,
        sqlx::query_as(
            "SELECT seq, user_id, signer_key FROM petition_signatures WHERE community_id = $1 AND petition_id = $2"
        )
        .bind(target.community)
        .bind(target.petition)
    )?;
    db.close().await;

    let counter = petition.signature_count;
    let mut chain_ok = true;
    match domain::verify_chain(target.petition, &entries) {
        Ok((_, head)) if head.as_slice() == petition.chain_head.as_slice() => {}
        Ok(_) => {
            chain_ok = false;
            violations.push("the stored chain head is not the head of the stored entries".into());
        }
        Err(e) => {
            chain_ok = false;
            violations.push(format!("the stored chain does not verify: {e}"));
        }
    }
    if counter != rows.len() as i64 {
        violations.push(format!("the counter says {counter} but there are {} rows", rows.len()));
    }
    let keys: HashSet<&[u8]> = rows.iter().map(|r| r.2.as_slice()).collect();
    let duplicates = rows.len() - keys.len();
    if duplicates > 0 {
        violations.push(format!("{duplicates} signers are in the list more than once"));
    }
    let stored: HashMap<Uuid, u64> = rows.iter().filter_map(|(seq, user, _)| Some(((*user)?, *seq as u64))).collect();
    if stored.len() != rows.len() {
        violations.push(format!("{} rows, but {} distinct accounts", rows.len(), stored.len()));
    }

    // Every acknowledged signature is there, where its receipt says.
    let by_seq: HashMap<u64, &ChainEntry> = entries.iter().map(|e| (e.seq, e)).collect();
    let mut lost = vec![];
    for (&i, (seq, receipt)) in acked {
        match stored.get(&signers[i].id) {
            None => {
                lost.push(i);
                violations.push(format!("signer {i}'s acknowledged signature No. {seq} is lost"));
            }
            Some(s) if s != seq => violations.push(format!("signer {i} was acknowledged as No. {seq} but is No. {s}")),
            Some(_) => {
                let commitment = hex::encode(domain::receipt_commitment(target.petition, *seq, receipt));
                if by_seq.get(seq).is_none_or(|e| e.commitment != commitment) {
                    violations.push(format!("signer {i}'s receipt does not match entry No. {seq}"));
                }
            }
        }
    }
    // And nothing is there that was never sent.
    let by_account: HashMap<Uuid, usize> = signers.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    for user in stored.keys() {
        if !by_account.get(user).is_some_and(|i| attempted.iter().any(|r| r.contains(i))) {
            violations.push(format!("a signature of account {user} that never signed"));
        }
    }

    // What the restarted server publishes is the same list.
    let endpoint = target.signatures(&server.base);
    let mut published: Vec<ChainEntry> = vec![];
    let mut shown = None;
    loop {
        let after = published.last().map_or(0, |e| e.seq);
        let page: serde_json::Value =
            http.get(format!("{endpoint}?after={after}&limit=1000")).send().await?.error_for_status()?.json().await?;
        shown.get_or_insert((page["count"].as_i64(), page["head"].as_str().map(str::to_owned)));
        let batch: Vec<ChainEntry> = serde_json::from_value(page["entries"].clone())?;
        if batch.is_empty() {
            break;
        }
        published.extend(batch);
    }
    let same = published.len() == entries.len()
        && published.last().map(|e| &e.hash) == entries.last().map(|e| &e.hash)
        && shown == Some((Some(counter), Some(hex::encode(&petition.chain_head))));
    if !same {
        chain_ok = false;
        violations.push(format!(
            "the API shows {} entries, count and head {shown:?}; the database {} entries, counter {counter}",
            published.len(),
            entries.len()
        ));
    }
    // And anyone's verifier agrees, and finds a signer's receipt.
    if let Some((seq, receipt)) = acked.values().next() {
        let out = Command::new(binary)
            .args(["petitions", "verify", "--url", &endpoint, "--receipt", receipt])
            .env_remove("HROMADA_CONFIG")
            .output()
            .context("run hromada petitions verify")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || !stdout.contains(&format!("your signature is No. {seq} ")) {
            chain_ok = false;
            violations.push(format!(
                "hromada petitions verify: {}{}",
                stdout.trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    Ok(Found { rows: rows.len(), duplicates, counter, lost, chain_ok, stored })
}

/// A `hromada serve` process on a free port; killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(
        binary: &Path,
        data_dir: &Path,
        database_url: Option<&str>,
        secret: &str,
        log: &Path,
        http: &reqwest::Client,
    ) -> anyhow::Result<Server> {
        let mut command = Command::new(binary);
        command.args(["serve", "--bind", "127.0.0.1:0", "--data-dir"]).arg(data_dir);
        // Only what this run sets: none of the caller's installation settings.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("HROMADA_") {
                command.env_remove(name);
            }
        }
        if let Some(url) = database_url {
            command.env("HROMADA_DATABASE_URL", url).env("HROMADA_SECRET", secret);
        }
        let log_file = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(log_file.try_clone()?);
        let mut child = command.spawn().with_context(|| format!("start {}", binary.display()))?;
        let stdout = child.stdout.take().context("the server's output")?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        // The server prints its address once listening; the rest of its output goes to the log.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            let mut log = log_file;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.split("serving at ").nth(1)
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(at.trim().trim_end_matches('/').to_owned());
                }
                let _ = writeln!(log, "{line}");
            }
        });
        let mut server = Server { child, base: String::new() };
        server.base = match tokio::time::timeout(Duration::from_secs(120), rx).await {
            Ok(Ok(base)) => base,
            _ => bail!("the server did not start; see {}", log.display()),
        };
        let ready = format!("{}/readyz", server.base);
        let since = Instant::now();
        while !http.get(&ready).send().await.is_ok_and(|r| r.status().is_success()) {
            if since.elapsed() > Duration::from_secs(60) {
                bail!("{ready} did not answer 200 within 60 s; see {}", log.display());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(server)
    }

    /// SIGKILL, and wait until the process is gone.
    fn kill(&mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh database on a PostgreSQL server: (its URL, its name).
pub(crate) async fn fresh_pg_database(server_url: &str, prefix: &str) -> anyhow::Result<(String, String)> {
    let name = format!("{prefix}_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(server_url).await.context("connect to PostgreSQL")?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    let _ = admin.close().await;
    Ok((hromada_db::testing::with_database(server_url, &name), name))
}

pub(crate) async fn drop_pg_database(server_url: &str, name: &str) {
    if let Ok(mut admin) = sqlx::PgConnection::connect(server_url).await {
        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop)).execute(&mut admin).await;
        let _ = admin.close().await;
    }
}
