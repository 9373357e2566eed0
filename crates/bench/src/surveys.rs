//! `hromada-bench surveys`: the results of a large survey. Fills a fresh database with one
//! closed survey of `--questions` questions of every type and `--responses` responses, serves
//! the real app in-process and prints the time of the results page over HTTP (p50, p99) and of
//! the counting alone (the store read plus the tallies). Checks that the page is 200 and shows
//! every respondent; figures only, no time is asserted.

use crate::bench_community;
use crate::crash::{drop_pg_database, fresh_pg_database};
use chrono::{Duration as Span, Utc};
use hromada_consultations::domain::{self, Answer, Choice, Question, QuestionKind, Survey};
use hromada_consultations::store::{self, NewSurvey, SurveyKind};
use hromada_db::{Db, write_tx};
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
        editable: false,
        anonymous: false,
        results_after_close: false,
        eligibility: hromada_kernel::Eligibility::default(),
        created_by: None,
    };
    let id = store::create(&db, community, new, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!("inserting {} responses of {} questions…", args.responses, args.questions);
    let started = Instant::now();
    let places = ["Місто", "Село", "Хутір", ""];
    let bands = ["18-29", "30-44", "45-59", "60-plus"];
    for chunk in (0..args.responses).collect::<Vec<_>>().chunks(2000) {
        write_tx!(&db, tx => {
            for r in chunk {
                sqlx::query(
                    "INSERT INTO survey_responses (community_id, survey_id, id, respondent_key, answers, settlement,
                                                   age_band, submitted_on)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(community).bind(id).bind(uuid::Uuid::now_v7()).bind(format!("u:{r}").into_bytes())
                    .bind(sqlx::types::Json(answers(&definition, *r))).bind(places[r % places.len()])
                    .bind(bands[r % bands.len()]).bind(now.date_naive().to_string())
                    .execute(&mut *tx).await?;
            }
        });
    }
    let insert_time = started.elapsed();
    // Closed: its results are public.
    store::close(&db, community, id, Utc::now()).await?;
    let survey = store::get(&db, community, id).await?.ok_or_else(|| anyhow::anyhow!("the survey is gone"))?;

    // The counting alone: read every response and tally every question.
    let mut counting = vec![];
    for _ in 0..args.requests.clamp(3, 10) {
        let t = Instant::now();
        let rows = store::responses(&db, &survey).await?;
        let read = t.elapsed();
        let all: Vec<&BTreeMap<String, Answer>> = rows.iter().map(|r| &r.answers.0).collect();
        for q in &survey.definition.questions {
            std::hint::black_box(domain::tally(q, all.iter().copied()));
        }
        counting.push((read, t.elapsed()));
    }
    counting.sort();

    let (addr, _app) = crate::serve_in_process(&db, clock.clone(), modules).await?;
    let page = format!("http://{addr}/c/{slug}/surveys/{id}/results");
    let http = reqwest::Client::new();
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
    let mut times = vec![];
    for _ in 0..args.requests {
        let t = Instant::now();
        let reply = http.get(&page).send().await?;
        anyhow::ensure!(reply.status() == 200, "results page answered {}", reply.status());
        reply.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    let at = |xs: &[Duration], q: f64| xs[((xs.len() as f64 * q) as usize).min(xs.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mid = counting[counting.len() / 2];
    println!("survey results on {backend}: {} responses × {} questions", args.responses, args.questions);
    println!("  inserting the responses: {:.1} s", insert_time.as_secs_f64());
    println!("  results page over HTTP, first (counting): {:.1} ms", ms(cold));
    println!(
        "  results page over HTTP, then (counted results kept on the node): p50 {:.1} ms, p99 {:.1} ms, {} KiB",
        ms(at(&times, 0.5)),
        ms(at(&times, 0.99)),
        body.len() / 1024
    );
    println!(
        "  of which reading the responses {:.1} ms, reading and counting {:.1} ms (medians)",
        ms(mid.0),
        ms(mid.1)
    );
    Ok(())
}
