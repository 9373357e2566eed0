//! `hromada-bench surveys`: the results of a large survey. Fills a fresh database with one
//! survey of `--questions` questions of every type and `--responses` responses, stored the way
//! residents' are (each in its own transaction with its counts and free texts, `--writers` at a
//! time, a tenth of them then changed), closes it, serves the real app in-process and prints
//! the time of the results page over HTTP (the first, then p50 and p99 with and without the
//! node's cache) and of the counting alone (reading the stored counts, and for comparison a
//! recount from the responses). Checks that the stored counts equal the recount and that the
//! page is 200 and shows every respondent; figures only, no time is asserted.

use crate::bench_community;
use crate::crash::{drop_pg_database, fresh_pg_database};
use chrono::{Duration as Span, Utc};
use hromada_consultations::domain::{self, Answer, Choice, Question, QuestionKind, Survey};
use hromada_consultations::store::{self, NewSurvey, Outcome, Respondent, StoredSurvey, SurveyKind};
use hromada_db::Db;
use hromada_kernel::{Clock, LocalizedText, SystemClock};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct SurveysArgs {
    #[arg(long, default_value_t = 10_000)]
    responses: usize,
    #[arg(long, default_value_t = 20)]
    questions: usize,
    /// Results page requests measured (one after another).
    #[arg(long, default_value_t = 30)]
    requests: usize,
    /// Responses stored at the same time.
    #[arg(long, default_value_t = 8)]
    writers: usize,
    /// Gathers the planner's statistics once the responses are stored (ANALYZE), as
    /// autovacuum does where it runs; a server without it plans from none.
    #[arg(long)]
    analyze: bool,
    /// `postgres://…` to measure PostgreSQL; a fresh SQLite file otherwise.
    #[arg(long)]
    database_url: Option<String>,
}

fn text(s: &str) -> LocalizedText {
    LocalizedText::new(s, None)
}

fn options(n: usize) -> Vec<Choice> {
    (1..=n).map(|i| Choice { value: format!("o{i}"), label: text(&format!("Варіант {i}")) }).collect()
}

/// `n` questions cycling through every type.
fn survey(n: usize) -> Survey {
    let kinds = [
        QuestionKind::Single { options: options(5), other: true },
        QuestionKind::Multiple { options: options(6), other: false, min: 1, max: 3 },
        QuestionKind::Scale { max: 10, low: text("погано"), high: text("добре") },
        QuestionKind::Ranking { options: options(4) },
        QuestionKind::Number { min: Some(0.0), max: Some(100.0), whole: true },
        QuestionKind::Date { min: None, max: None },
        QuestionKind::ShortText { max_chars: 100 },
        QuestionKind::LongText { max_chars: 1000 },
    ];
    let questions = (0..n)
        .map(|i| Question {
            key: format!("q{}", i + 1),
            title: text(&format!("Питання {}", i + 1)),
            hint: None,
            required: false,
            section: 0,
            kind: kinds[i % kinds.len()].clone(),
            show_when: None,
        })
        .collect();
    Survey { sections: vec![], questions }
}

/// A plausible answer of respondent `r` to every question.
fn answers(s: &Survey, r: usize) -> BTreeMap<String, Answer> {
    let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new((r % 2000) as u64);
    s.questions
        .iter()
        .map(|q| {
            let a = match &q.kind {
                QuestionKind::Single { .. } => Answer::Choices { values: vec![format!("o{}", r % 5 + 1)], other: None },
                QuestionKind::Multiple { .. } => Answer::Choices {
                    values: vec![format!("o{}", r % 6 + 1), format!("o{}", (r + 2) % 6 + 1)],
                    other: None,
                },
                QuestionKind::Scale { .. } => Answer::Scale((r % 10 + 1) as u8),
                QuestionKind::Ranking { .. } => {
                    let mut order: Vec<String> = (1..=4).map(|i| format!("o{i}")).collect();
                    order.rotate_left(r % 4);
                    Answer::Ranking(order)
                }
                QuestionKind::Number { .. } => Answer::Number((r % 100) as f64),
                QuestionKind::Date { .. } => Answer::Date(day),
                QuestionKind::ShortText { .. } => Answer::Text(format!("Вулиця № {}", r % 300)),
                QuestionKind::LongText { .. } => {
                    Answer::Text(format!("Відповідь мешканця {r}: потрібні лавки й освітлення."))
                }
            };
            (q.key.clone(), a)
        })
        .collect()
}

pub async fn run(args: SurveysArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("hromada-surveys.").tempdir()?;
    let (url, pg) = match &args.database_url {
        Some(server) => {
            let (url, name) = fresh_pg_database(server, "hromada_surveys").await?;
            (url, Some((server.clone(), name)))
        }
        None => (format!("sqlite://{}", dir.path().join("surveys.sqlite").display()), None),
    };
    let outcome = measure(&args, &url).await;
    if let Some((server, name)) = &pg {
        drop_pg_database(server, name).await;
    }
    outcome
}

const PLACES: [&str; 4] = ["Місто", "Село", "Хутір", ""];
const BANDS: [&str; 4] = ["18-29", "30-44", "45-59", "60-plus"];

/// Stores the responses of `people` (respondent `r` answering as `answers(r + shift)`),
/// `writers` at a time; gives each store's time.
async fn store_responses(
    db: &Db,
    survey: &StoredSurvey,
    people: Vec<usize>,
    shift: usize,
    writers: usize,
    expected: Outcome,
) -> anyhow::Result<Vec<Duration>> {
    let people = Arc::new(people);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = vec![];
    for _ in 0..writers.max(1) {
        let (db, survey, people, next) = (db.clone(), survey.clone(), people.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = vec![];
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&r) = people.get(i) else { break };
                let key = format!("u:{r}").into_bytes();
                let who = Respondent {
                    key: &key,
                    settlement: PLACES[(r + shift) % PLACES.len()],
                    age_band: BANDS[r % BANDS.len()],
                };
                let answers = answers(&survey.definition, r + shift);
                let t = Instant::now();
                let outcome = store::respond(&db, &survey, &who, &answers, Utc::now()).await?;
                times.push(t.elapsed());
                anyhow::ensure!(outcome == expected, "respondent {r}: {outcome:?}, not {expected:?}");
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = vec![];
    for task in tasks {
        times.extend(task.await??);
    }
    times.sort();
    Ok(times)
}

/// Requests the page `n` times, one after another; gives the sorted times.
async fn timed_gets(http: &reqwest::Client, page: &str, n: usize) -> anyhow::Result<Vec<Duration>> {
    let mut times = vec![];
    for _ in 0..n {
        let t = Instant::now();
        let reply = http.get(page).send().await?;
        anyhow::ensure!(reply.status() == 200, "results page answered {}", reply.status());
        reply.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times)
}

async fn measure(args: &SurveysArgs, url: &str) -> anyhow::Result<()> {
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    let db = Db::connect(url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let (community, slug) = bench_community(&db, now).await?;
    let definition = survey(args.questions);
    let new = NewSurvey {
        kind: SurveyKind::Survey,
        title: text("Великий опитувальник"),
        description: "",
        definition: definition.clone(),
        opens_at: now - Span::days(30),
        closes_at: now + Span::days(1),
        editable: true,
        anonymous: false,
        results_after_close: false,
        eligibility: hromada_kernel::Eligibility::default(),
        texts_premoderated: false,
        created_by: None,
    };
    let id = store::create(&db, community, new, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let open = store::get(&db, community, id).await?.ok_or_else(|| anyhow::anyhow!("the survey is gone"))?;
    eprintln!("storing {} responses of {} questions, {} at a time…", args.responses, args.questions, args.writers);
    let started = Instant::now();
    let stored = store_responses(&db, &open, (0..args.responses).collect(), 0, args.writers, Outcome::Recorded).await?;
    let insert_time = started.elapsed();
    if args.analyze {
        hromada_db::execute!(&db, sqlx::query("ANALYZE"))?;
    }
    let changed: Vec<usize> = (0..args.responses).step_by(10).collect();
    let replaced = store_responses(&db, &open, changed, 1, args.writers, Outcome::Replaced).await?;
    // Closed: its results are public.
    store::close(&db, community, id, Utc::now()).await?;
    let survey = store::get(&db, community, id).await?.ok_or_else(|| anyhow::anyhow!("the survey is gone"))?;

    // The counting alone: the stored counts read and every question tallied, as the page does…
    let tally_all = |counts: &domain::Counts| {
        for q in &survey.definition.questions {
            std::hint::black_box(domain::tally_counted(q, counts));
            if matches!(q.kind, QuestionKind::Single { .. } | QuestionKind::Multiple { .. }) {
                std::hint::black_box(domain::breakdown_counted(q, counts, "s:"));
                std::hint::black_box(domain::breakdown_counted(q, counts, "a:"));
            }
        }
    };
    let mut counting = vec![];
    for _ in 0..args.requests.clamp(3, 30) {
        let t = Instant::now();
        let counts = store::counts(&db, &survey).await?;
        tally_all(&counts);
        counting.push(t.elapsed());
    }
    counting.sort();
    // … and, for comparison and as a check, every response read and counted afresh.
    let mut recounting = vec![];
    let mut recounted = domain::Counts::default();
    for _ in 0..3 {
        let t = Instant::now();
        recounted = store::recount(&db, &survey).await?;
        tally_all(&recounted);
        recounting.push(t.elapsed());
    }
    recounting.sort();
    anyhow::ensure!(store::stored_counts(&db, &survey).await? == recounted, "the stored counts differ from a recount");

    let http = reqwest::Client::new();
    let (addr, _app) = crate::serve_in_process(&db, clock.clone(), modules.clone()).await?;
    let page = format!("http://{addr}/c/{slug}/surveys/{id}/results");
    // The node's first request pays for what a process does once (templates, the community's
    // lookup, connections); the list of surveys takes it, so that the next figure is the
    // results page's own.
    let warm = Instant::now();
    let list = http.get(format!("http://{addr}/c/{slug}/surveys")).send().await?;
    anyhow::ensure!(list.status() == 200, "the list of surveys answered {}", list.status());
    list.bytes().await?;
    let warm = warm.elapsed();
    let cold = Instant::now();
    let first = http.get(&page).send().await?;
    anyhow::ensure!(first.status() == 200, "results page answered {}", first.status());
    let body = first.text().await?;
    let cold = cold.elapsed();
    anyhow::ensure!(
        body.contains(&args.responses.to_string()),
        "the page does not show {} respondents",
        args.responses
    );
    let cached = timed_gets(&http, &page, args.requests).await?;
    // Another node of the app without the cache: every request reads the counts.
    let (addr, _uncached_app) =
        crate::serve_in_process_with(&db, clock.clone(), modules, |c| c.cache_ttl = Duration::ZERO).await?;
    let uncached_page = format!("http://{addr}/c/{slug}/surveys/{id}/results");
    let uncached = timed_gets(&http, &uncached_page, args.requests).await?;

    let at = |xs: &[Duration], q: f64| xs[((xs.len() as f64 * q) as usize).min(xs.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "survey results on {backend}: {} responses × {} questions{}",
        args.responses,
        args.questions,
        if args.analyze { " (statistics gathered after storing)" } else { "" }
    );
    println!(
        "  storing the responses with their counts: {:.1} s ({} at a time), each p50 {:.1} ms, p99 {:.1} ms",
        insert_time.as_secs_f64(),
        args.writers,
        ms(at(&stored, 0.5)),
        ms(at(&stored, 0.99))
    );
    println!(
        "  changing {} of them: each p50 {:.1} ms, p99 {:.1} ms",
        replaced.len(),
        ms(at(&replaced, 0.5)),
        ms(at(&replaced, 0.99))
    );
    println!("  the node's first request (the list of surveys): {:.1} ms", ms(warm));
    println!("  results page over HTTP, first (nothing cached): {:.1} ms, {} KiB", ms(cold), body.len() / 1024);
    println!(
        "  results page over HTTP, no cache: p50 {:.1} ms, p99 {:.1} ms",
        ms(at(&uncached, 0.5)),
        ms(at(&uncached, 0.99))
    );
    println!(
        "  results page over HTTP, kept on the node: p50 {:.1} ms, p99 {:.1} ms",
        ms(at(&cached, 0.5)),
        ms(at(&cached, 0.99))
    );
    println!(
        "  counting alone: reading the stored counts and tallying {:.1} ms; recounting every response {:.1} ms (medians)",
        ms(counting[counting.len() / 2]),
        ms(recounting[recounting.len() / 2])
    );
    Ok(())
}
