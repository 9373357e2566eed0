//! `hromada-bench lists`: the public petition lists on a community with many petitions. Fills a
//! fresh database with generated petitions in every state (drafts and petitions in moderation
//! among them), serves the real app in-process and prints, for each list, requests per second
//! and p50/p99 latency over HTTP and the median time of the store query alone. Checks on the way
//! that every answer is 200, that only public petitions are listed, that each list holds what
//! the data says it must, and exits non-zero otherwise. Figures only: no time is asserted.

use crate::bench_community;
use crate::crash::{drop_pg_database, fresh_pg_database};
use anyhow::Context;
use chrono::{DateTime, Days, Duration as Span, NaiveDate, Utc};
use hromada_db::Db;
use hromada_kernel::{Clock, SystemClock};
use hromada_petitions::domain;
use hromada_petitions::store::{self, ListFilter, Petition, Sort};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(clap::Args, Debug)]
pub struct ListsArgs {
    /// Petitions generated, in all states.
    #[arg(long, default_value_t = 10_000)]
    petitions: usize,
    /// HTTP load per list, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    duration_ms: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Store-level calls per list (the median is shown); fewer when they take over a second.
    #[arg(long, default_value_t = 30)]
    store_calls: usize,
    /// A PostgreSQL server (`postgres://…`): a fresh database is made on it and dropped after a
    /// clean run. Without it, a fresh SQLite file.
    #[arg(long)]
    database_url: Option<String>,
    /// Keep the database after a clean run too, to look at query plans.
    #[arg(long)]
    keep: bool,
}

/// Lines of the web list (`PAGE` in the petitions module), and of the API.
const WEB_PAGE: usize = 20;
const API_PAGE: usize = 50;
/// More than any community has, as the open-data export asks.
const ALL: i64 = 100_000;
/// Found in a large share of texts, and in exactly a handful.
const COMMON_WORD: &str = "бюджет";
const RARE_WORD: &str = "шумозахисний";
const RARE_SENTENCE: &str = "Пропонуємо встановити шумозахисний екран уздовж об'їзної дороги.";
const CATEGORY: &str = "roads";
const THRESHOLD: i64 = 250;
const COLLECTION_DAYS: u64 = 60;

pub async fn run(args: ListsArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.petitions >= 1 && args.concurrency >= 1, "--petitions and --concurrency must be at least 1");
    let dir = tempfile::Builder::new().prefix("hromada-lists.").tempdir()?;
    let (url, pg) = match &args.database_url {
        Some(server) => {
            let (url, name) = fresh_pg_database(server, "hromada_lists").await?;
            (url, Some((server.clone(), name)))
        }
        None => (format!("sqlite://{}", dir.path().join("lists.sqlite").display()), None),
    };
    let outcome = measure(&args, &url).await;
    let clean = matches!(&outcome, Ok(v) if v.is_empty());
    match &pg {
        Some((server, name)) if clean && !args.keep => drop_pg_database(server, name).await,
        Some((_, name)) => eprintln!("kept the PostgreSQL database {name}"),
        None if clean && !args.keep => {}
        None => eprintln!("kept the SQLite file {}", dir.keep().join("lists.sqlite").display()),
    }
    match outcome {
        Ok(violations) if violations.is_empty() => Ok(()),
        Ok(violations) => {
            eprintln!("\nVIOLATIONS ({}):", violations.len());
            for v in violations.iter().take(50) {
                eprintln!("  {v}");
            }
            std::process::exit(1);
        }
        Err(e) => Err(e),
    }
}

/// One list: its URL under the community, and the same query at the store.
struct Case {
    name: &'static str,
    path: String,
    kind: Kind,
    filter: ListFilter<'static>,
    limit: i64,
    offset: i64,
    /// What every row must satisfy.
    wanted: fn(&Gen) -> bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The HTML list, `WEB_PAGE` cards a page.
    Page,
    /// A JSON array of petitions.
    Json,
}

/// One measured list.
struct Row {
    name: &'static str,
    /// Public petitions the list's filter lets through, on all its pages.
    matches: usize,
    rows: usize,
    kib: f64,
    rate: f64,
    p50: Duration,
    p99: Duration,
    store: Duration,
    store_calls: usize,
}

async fn measure(args: &ListsArgs, url: &str) -> anyhow::Result<Vec<String>> {
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    let db = Db::connect(url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let (community, slug) = bench_community(&db, now).await?;

    let gens = generate(args.petitions, now);
    eprintln!("inserting {} petitions…", gens.len());
    let started = Instant::now();
    insert(&db, community, &gens).await?;
    let insert_time = started.elapsed();
    if let Db::Postgres(pool) = &db {
        // Autovacuum would do it shortly after such a load; without statistics the planner
        // guesses, which is not what a running installation sees.
        sqlx::query("ANALYZE petitions").execute(pool).await?;
    }
    let by_number: HashMap<i64, &Gen> = gens.iter().map(|g| (g.number, g)).collect();
    let public = gens.iter().filter(|g| g.public()).count();

    let (addr, _app) = crate::serve_in_process(&db, clock.clone(), modules).await?;
    let base = format!("http://{addr}/c/{slug}");
    let http =
        reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).timeout(Duration::from_secs(60)).build()?;

    let mut violations = vec![];
    let mut warnings = vec![];
    let mut rows = vec![];
    for case in cases() {
        let expected = gens.iter().filter(|g| g.public() && (case.wanted)(g)).count();
        let page = match case.kind {
            Kind::Page => WEB_PAGE,
            Kind::Json => case.limit as usize,
        };
        let want_rows = expected.saturating_sub(case.offset as usize).min(page);
        let mut problems = vec![];

        // Store level, with the web list's one extra row that tells whether a next page exists.
        let found = store::list_filtered(&db, community, &case.filter, case.limit, case.offset).await?;
        let store_want = expected.saturating_sub(case.offset as usize).min(case.limit as usize);
        if found.len() != store_want {
            problems.push(format!("store gave {} rows, {store_want} expected", found.len()));
        }
        check_rows(found.iter().map(|p| p.number), &by_number, case.wanted, &mut problems);
        // Reported, not failed: the checks are about what is shown, the order is the module's.
        if let Some(w) = out_of_order(&gens, &case, &found) {
            warnings.push(format!("{}: {w}", case.name));
        }
        let (store_time, store_calls) = store_median(&db, community, &case, args.store_calls).await?;

        // HTTP: one answer read in full and checked, then the load.
        let url = format!("{base}{}", case.path);
        let answer = http.get(&url).send().await.with_context(|| format!("GET {url}"))?;
        let status = answer.status();
        let body = answer.text().await?;
        let shown = if status != 200 {
            problems.push(format!("answered {status}"));
            vec![]
        } else {
            match case.kind {
                Kind::Page => card_numbers(&body),
                Kind::Json => json_numbers(&body).with_context(|| format!("JSON of {url}"))?,
            }
        };
        if status == 200 && shown.len() != want_rows {
            problems.push(format!("shows {} rows, {want_rows} expected", shown.len()));
        }
        check_rows(shown.iter().copied(), &by_number, case.wanted, &mut problems);
        if case.limit == ALL {
            let all: BTreeSet<i64> = gens.iter().filter(|g| g.public()).map(|g| g.number).collect();
            if shown.iter().copied().collect::<BTreeSet<_>>() != all {
                problems.push("the open data is not the set of public petitions".into());
            }
        }
        let load = load(&http, &url, args.concurrency, Duration::from_millis(args.duration_ms)).await;
        if load.failures > 0 {
            problems.push(format!("{} of {} answers under load were not 200", load.failures, load.count()));
        }
        violations.extend(problems.into_iter().map(|p| format!("{}: {p}", case.name)));
        rows.push(Row {
            name: case.name,
            matches: expected,
            rows: shown.len(),
            kib: body.len() as f64 / 1024.0,
            rate: load.count() as f64 / load.elapsed.as_secs_f64(),
            p50: load.percentile(0.50),
            p99: load.percentile(0.99),
            store: store_time,
            store_calls,
        });
    }

    println!(
        "lists on {backend}: {} petitions ({public} public, {} drafts or in moderation), {} connections, {} ms a list",
        gens.len(),
        gens.len() - public,
        args.concurrency,
        args.duration_ms
    );
    println!(
        "inserted in {:.2} s ({:.0} petitions/s, batched, full-text index included)",
        insert_time.as_secs_f64(),
        gens.len() as f64 / insert_time.as_secs_f64()
    );
    println!(
        "{:<22} {:>7} {:>5} {:>8} {:>7} {:>8} {:>8} {:>13}",
        "list", "matches", "rows", "KiB", "req/s", "p50 ms", "p99 ms", "store p50 ms"
    );
    for r in &rows {
        println!(
            "{:<22} {:>7} {:>5} {:>8.1} {:>7.0} {:>8.2} {:>8.2} {:>8.2} ({:>2})",
            r.name,
            r.matches,
            r.rows,
            r.kib,
            r.rate,
            ms(r.p50),
            ms(r.p99),
            ms(r.store),
            r.store_calls
        );
    }
    println!("(matches: public petitions the filter lets through; store: median of the calls in brackets)");
    for w in &warnings {
        println!("warning: {w}");
    }
    println!(
        "checks: {}",
        if violations.is_empty() { "all passed".to_owned() } else { format!("{} failed", violations.len()) }
    );
    db.close().await;
    Ok(violations)
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn cases() -> Vec<Case> {
    let web = |page: i64| ((WEB_PAGE + 1) as i64, (page - 1) * WEB_PAGE as i64);
    let search = |words| ListFilter { words: Some(words), sort: Sort::Relevance, ..ListFilter::default() };
    let mut list = vec![];
    let mut add = |name, path: String, kind, filter, (limit, offset), wanted| {
        list.push(Case { name, path, kind, filter, limit, offset, wanted });
    };
    add("page 1, newest", "/petitions".into(), Kind::Page, ListFilter::default(), web(1), |_| true);
    add("page 50, newest", "/petitions?page=50".into(), Kind::Page, ListFilter::default(), web(50), |_| true);
    let signed = ListFilter { sort: Sort::MostSigned, ..ListFilter::default() };
    add("most signed", "/petitions?sort=signed".into(), Kind::Page, signed, web(1), |_| true);
    let ending = ListFilter { sort: Sort::EndingSoon, ..ListFilter::default() };
    add("ending soon", "/petitions?sort=ending".into(), Kind::Page, ending, web(1), |_| true);
    let collecting = ListFilter { status: Some("collecting"), ..ListFilter::default() };
    add("status=collecting", "/petitions?status=collecting".into(), Kind::Page, collecting, web(1), |g| {
        g.status == "collecting"
    });
    let category = ListFilter { category: Some(CATEGORY), ..ListFilter::default() };
    add("category=roads", format!("/petitions?category={CATEGORY}"), Kind::Page, category, web(1), |g| {
        g.category == CATEGORY
    });
    add("search common word", format!("/petitions?q={COMMON_WORD}"), Kind::Page, search(COMMON_WORD), web(1), |g| {
        g.common
    });
    add("search rare word", format!("/petitions?q={RARE_WORD}"), Kind::Page, search(RARE_WORD), web(1), |g| g.rare);
    add(
        "API search common word",
        format!("/api/v1/petitions?q={COMMON_WORD}"),
        Kind::Json,
        search(COMMON_WORD),
        (API_PAGE as i64, 0),
        |g| g.common,
    );
    add("open data JSON", "/petitions/open-data.json".into(), Kind::Json, ListFilter::default(), (ALL, 0), |_| true);
    list
}

/// Every row must be a known public petition that the list's filter lets through.
fn check_rows(
    numbers: impl Iterator<Item = i64>,
    by_number: &HashMap<i64, &Gen>,
    wanted: fn(&Gen) -> bool,
    problems: &mut Vec<String>,
) {
    let mut seen = BTreeSet::new();
    for n in numbers {
        match by_number.get(&n) {
            None => problems.push(format!("lists an unknown petition № {n}")),
            Some(g) if !g.public() => problems.push(format!("lists № {n}, which is {}", g.status)),
            Some(g) if !wanted(g) => problems.push(format!("lists № {n}, which the filter excludes")),
            Some(_) => {}
        }
        if !seen.insert(n) {
            problems.push(format!("lists № {n} twice"));
        }
    }
}

/// Where the rows leave the order the sort promises, newest meaning newest published (a
/// petition refused at moderation was never published); `None` when they keep it. Searches are
/// ordered by the backend's own rank, and only the collecting head of "ending soon" is looked at.
fn out_of_order(gens: &[Gen], case: &Case, found: &[Petition]) -> Option<String> {
    let mut expected: Vec<&Gen> = gens.iter().filter(|g| g.public() && (case.wanted)(g)).collect();
    match case.filter.sort {
        Sort::Relevance => return None,
        Sort::Newest => {
            expected.sort_by_key(|g| std::cmp::Reverse((g.published_at.is_some(), g.published_at, g.number)))
        }
        Sort::MostSigned => expected.sort_by_key(|g| std::cmp::Reverse((g.signature_count, g.number))),
        Sort::EndingSoon => expected.sort_by_key(|g| (g.status != "collecting", g.collection_ends, g.number)),
    }
    let page = expected.iter().skip(case.offset as usize).take(found.len());
    let (i, (want, got)) = page.zip(found).enumerate().find(|(_, (want, got))| want.number != got.number)?;
    if case.filter.sort == Sort::EndingSoon && want.status != "collecting" {
        return None;
    }
    let shown = |status: &str, published: Option<DateTime<Utc>>| match published {
        Some(t) => format!("{status}, published {}", t.date_naive()),
        None => format!("{status}, never published"),
    };
    Some(format!(
        "row {} is № {} ({}) where № {} ({}) belongs",
        case.offset as usize + i + 1,
        got.number,
        shown(&got.status, got.published_at),
        want.number,
        shown(want.status, want.published_at)
    ))
}

/// The median time of the store query alone, and over how many calls.
async fn store_median(db: &Db, community: Uuid, case: &Case, calls: usize) -> anyhow::Result<(Duration, usize)> {
    let mut times = vec![];
    let started = Instant::now();
    while times.len() < calls.max(1) && (times.len() < 3 || started.elapsed() < Duration::from_secs(1)) {
        let t = Instant::now();
        let rows = store::list_filtered(db, community, &case.filter, case.limit, case.offset).await?;
        times.push(t.elapsed());
        std::hint::black_box(rows);
    }
    times.sort();
    Ok((times[times.len() / 2], times.len()))
}

/// The petition numbers on an HTML list page, from its cards.
fn card_numbers(html: &str) -> Vec<i64> {
    html.split("<li class=\"card\">")
        .skip(1)
        .filter_map(|card| {
            let after = &card[card.find("№ ")? + "№ ".len()..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

fn json_numbers(body: &str) -> anyhow::Result<Vec<i64>> {
    let value: serde_json::Value = serde_json::from_str(body)?;
    let items = value.as_array().context("not an array")?;
    items.iter().map(|p| p["number"].as_i64().context("an item without a number")).collect()
}

pub(crate) struct Load {
    pub(crate) latencies: Vec<Duration>,
    pub(crate) failures: usize,
    pub(crate) elapsed: Duration,
}

impl Load {
    pub(crate) fn count(&self) -> usize {
        self.latencies.len() + self.failures
    }

    pub(crate) fn percentile(&self, p: f64) -> Duration {
        let i = ((self.latencies.len() as f64 * p) as usize).min(self.latencies.len().saturating_sub(1));
        self.latencies.get(i).copied().unwrap_or_default()
    }
}

/// GETs `url` from `concurrency` connections for `duration`, reading every body in full.
pub(crate) async fn load(http: &reqwest::Client, url: &str, concurrency: usize, duration: Duration) -> Load {
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = vec![];
    for _ in 0..concurrency {
        let (http, url) = (http.clone(), url.to_owned());
        workers.push(tokio::spawn(async move {
            let (mut latencies, mut failures) = (vec![], 0usize);
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = match http.get(&url).send().await {
                    Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok {
                    latencies.push(t.elapsed());
                } else {
                    failures += 1;
                }
            }
            (latencies, failures)
        }));
    }
    let mut all = Load { latencies: vec![], failures: 0, elapsed: Duration::ZERO };
    for w in workers {
        match w.await {
            Ok((l, f)) => {
                all.latencies.extend(l);
                all.failures += f;
            }
            Err(_) => all.failures += 1,
        }
    }
    all.elapsed = started.elapsed();
    all.latencies.sort();
    all
}

// ---------- generated petitions ----------

/// A generated petition, with what the checks need to know of it.
struct Gen {
    id: Uuid,
    number: i64,
    author_id: Uuid,
    author_name: String,
    title: String,
    body: String,
    category: &'static str,
    status: &'static str,
    refusal_reason: Option<&'static str>,
    refusal_text: Option<String>,
    decision: Option<&'static str>,
    answer_text: Option<String>,
    signature_count: i64,
    created_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    moderation_due: Option<NaiveDate>,
    published_at: Option<DateTime<Utc>>,
    collection_ends: Option<NaiveDate>,
    threshold_reached_at: Option<DateTime<Utc>>,
    consideration_due: Option<NaiveDate>,
    answered_at: Option<DateTime<Utc>>,
    /// Has a word beginning with `COMMON_WORD`, or `RARE_WORD`.
    common: bool,
    rare: bool,
}

impl Gen {
    fn public(&self) -> bool {
        !matches!(self.status, "draft" | "submitted" | "returned")
    }
}

/// splitmix64: the same data on every run, with no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const ACTIONS: [&str; 10] = [
    "Відремонтувати",
    "Облаштувати",
    "Збудувати",
    "Відновити",
    "Модернізувати",
    "Благоустроїти",
    "Зберегти",
    "Реконструювати",
    "Утеплити",
    "Освітлити",
];

/// Objects of the demands, by topic (the module's category codes).
const TOPICS: [(&str, &[&str]); 6] = [
    ("roads", &["дорогу", "тротуар", "пішохідний перехід", "зупинку громадського транспорту", "велодоріжку", "міст"]),
    ("housing", &["дах будинку", "під'їзд", "ліфт", "прибудинкову територію", "теплопункт", "укриття в будинку"]),
    ("environment", &["парк", "сквер", "берег річки", "майданчик для сортування сміття", "алею", "джерело"]),
    (
        "education",
        &["шкільний стадіон", "укриття в школі", "дитячий садок", "шкільну їдальню", "бібліотеку", "спортзал"],
    ),
    (
        "social",
        &[
            "центр соціальних послуг",
            "пандус до амбулаторії",
            "пункт незламності",
            "центр для ветеранів",
            "будинок культури",
            "хоспіс",
        ],
    ),
    ("other", &["сайт громади", "ринок", "кладовище", "стоянку", "пам'ятник", "фонтан"]),
];

const PLACES: [&str; 16] = [
    "на вулиці Шевченка",
    "на вулиці Франка",
    "на вулиці Лесі Українки",
    "на вулиці Грушевського",
    "на вулиці Січових Стрільців",
    "на проспекті Миру",
    "на площі Незалежності",
    "у селі Вербівка",
    "у селі Підгірне",
    "у селі Калинівка",
    "у селі Зелений Гай",
    "у мікрорайоні Північний",
    "у мікрорайоні Сонячний",
    "біля школи № 3",
    "біля центральної лікарні",
    "біля автостанції",
];

/// Sentences of petition texts; some carry `COMMON_WORD` in some form.
const SENTENCES: [&str; 24] = [
    "Просимо виконавчий комітет передбачити кошти в бюджеті громади на наступний рік.",
    "Мешканці неодноразово зверталися до старости, але питання досі не вирішене.",
    "Це питання безпеки дітей та людей похилого віку.",
    "Пропонуємо залучити кошти державних програм і міжнародних донорів.",
    "Роботи варто провести до початку опалювального сезону.",
    "Під петицією готові підписатися сусіди з усієї вулиці.",
    "Ми готові долучитися до толоки та допомогти з прибиранням.",
    "Просимо оприлюднити кошторис і графік робіт на сайті громади.",
    "Після зливи тут утворюються калюжі, і пройти неможливо.",
    "Взимку тут не прибирають сніг, люди падають і травмуються.",
    "Щодня тут проходять сотні школярів.",
    "Освітлення не працює вже кілька місяців.",
    "Варто врахувати потреби людей з інвалідністю та батьків з візочками.",
    "Пропонуємо провести громадське обговорення проєкту.",
    "Просимо депутатів ради підтримати це рішення під час розгляду бюджету.",
    "Частину коштів можна передбачити через громадський бюджет.",
    "Ремонт не проводили понад двадцять років.",
    "Тут часто стаються аварії, особливо вночі.",
    "Просимо звітувати про хід робіт щокварталу.",
    "Підприємці району готові долучитися до співфінансування.",
    "Ініціативна група зібрала фото і проєктну пропозицію.",
    "Облаштування не потребує великих витрат.",
    "Просимо включити ці роботи до програми розвитку громади.",
    "Ми розраховуємо на відповідь у встановлений законом строк.",
];

const FIRST_NAMES: [&str; 12] = [
    "Олена",
    "Андрій",
    "Ірина",
    "Тарас",
    "Наталія",
    "Богдан",
    "Оксана",
    "Василь",
    "Марія",
    "Дмитро",
    "Світлана",
    "Юрій",
];
const LAST_NAMES: [&str; 12] = [
    "Коваленко",
    "Шевчук",
    "Бондаренко",
    "Ткачук",
    "Мельник",
    "Кравченко",
    "Олійник",
    "Поліщук",
    "Гончаренко",
    "Лисенко",
    "Савчук",
    "Руденко",
];

/// `n` petitions in realistic shares of states, dates over the last three years, numbered in
/// the order they were written. A few carry `RARE_SENTENCE`, two of them not public.
fn generate(n: usize, now: DateTime<Utc>) -> Vec<Gen> {
    let mut rng = Rng(0x005e_ed0f_1157);
    let day = |d: u64| Span::days(d as i64);
    let mut gens: Vec<Gen> = (0..n)
        .map(|_| {
            let (category, objects) = rng.pick(&TOPICS);
            let (action, object, place) = (rng.pick(&ACTIONS), rng.pick(objects), rng.pick(&PLACES));
            let title = format!("{action} {object} {place}");
            let mut body = format!("Просимо {} {object} {place}.", action.to_lowercase());
            for _ in 0..3 + rng.below(5) {
                body.push(' ');
                body.push_str(rng.pick(&SENTENCES));
            }
            let roll = rng.below(100);
            let status = match roll {
                0..20 => "collecting",
                20..25 => "under_consideration",
                25..45 => "answered",
                45..80 => "fell_short",
                80..85 => "refused",
                85..90 => "archived",
                90..92 => "passed_as_appeal",
                92..96 => "draft",
                96..99 => "submitted",
                _ => "returned",
            };
            let signatures = |rng: &mut Rng, from: i64, to: i64, skew: f64| {
                from + ((to - from) as f64 * rng.unit().powf(skew)) as i64
            };
            let minutes = Span::minutes(rng.below(24 * 60) as i64);
            let mut g = Gen {
                id: hromada_kernel::new_id(),
                number: 0,
                author_id: Uuid::now_v7(),
                author_name: format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES)),
                title,
                body,
                category,
                status,
                refusal_reason: None,
                refusal_text: None,
                decision: None,
                answer_text: None,
                signature_count: 0,
                created_at: now,
                submitted_at: None,
                moderation_due: None,
                published_at: None,
                collection_ends: None,
                threshold_reached_at: None,
                consideration_due: None,
                answered_at: None,
                common: false,
                rare: false,
            };
            match status {
                "draft" => g.created_at = now - day(rng.below(200)) - minutes,
                "submitted" | "returned" => {
                    g.created_at = now - day(1 + rng.below(10)) - minutes;
                    let submitted = g.created_at + Span::hours(1 + rng.below(20) as i64);
                    g.submitted_at = Some(submitted);
                    g.moderation_due = Some(submitted.date_naive() + Days::new(3));
                }
                "refused" => {
                    g.created_at = now - day(5 + rng.below(1000)) - minutes;
                    g.submitted_at = Some(g.created_at + Span::hours(2));
                    g.moderation_due = Some(g.created_at.date_naive() + Days::new(3));
                    g.refusal_reason =
                        Some(rng.pick(&["duplicate", "outside_competence", "prohibited_content", "missing_data"]));
                    g.refusal_text = Some("Питання не належить до повноважень ради.".into());
                }
                _ => {
                    let published = if status == "collecting" {
                        now - day(rng.below(COLLECTION_DAYS - 1)) - minutes
                    } else {
                        now - day(COLLECTION_DAYS + 1 + rng.below(1000)) - minutes
                    };
                    g.created_at = published - day(1 + rng.below(3));
                    g.submitted_at = Some(g.created_at + Span::hours(3));
                    g.moderation_due = Some(g.created_at.date_naive() + Days::new(3));
                    g.published_at = Some(published);
                    g.collection_ends = Some(published.date_naive() + Days::new(COLLECTION_DAYS - 1));
                    let reached = matches!(status, "under_consideration" | "answered")
                        || (status == "archived" && rng.below(2) == 0);
                    g.signature_count = if reached {
                        signatures(&mut rng, THRESHOLD, 12 * THRESHOLD, 3.0)
                    } else {
                        signatures(&mut rng, 0, THRESHOLD - 1, 1.5)
                    };
                    if reached {
                        let at = published + day(1 + rng.below(COLLECTION_DAYS - 2));
                        let at = if status == "under_consideration" { at.min(now - Span::hours(1)) } else { at };
                        g.threshold_reached_at = Some(at);
                        g.consideration_due = Some(at.date_naive() + Days::new(14));
                        if status != "under_consideration" {
                            g.decision = Some(rng.pick(&["supported", "partly_supported", "not_supported"]));
                            g.answer_text = Some("Рада розглянула петицію на засіданні.".into());
                            g.answered_at = Some(at + day(1 + rng.below(13)));
                        }
                    }
                }
            }
            g
        })
        .collect();
    // Drafts and petitions in moderation carrying the rare word test that search hides them.
    let hidden: Vec<usize> = (0..gens.len()).filter(|&i| !gens[i].public()).take(2).collect();
    let stride = (gens.len() / 6).max(1);
    for i in (stride / 2..gens.len()).step_by(stride).chain(hidden) {
        gens[i].body.push(' ');
        gens[i].body.push_str(RARE_SENTENCE);
    }
    gens.sort_by_key(|g| g.created_at);
    for (i, g) in gens.iter_mut().enumerate() {
        g.number = i as i64 + 1;
        let has = |word: &str| {
            format!("{} {}", g.title, g.body)
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w.to_lowercase().starts_with(word))
        };
        g.common = has(COMMON_WORD);
        g.rare = has(RARE_WORD);
    }
    gens
}

/// Straight into the table, many rows per statement in one transaction; on SQLite the FTS5
/// trigger indexes each row, on PostgreSQL the GIN expression index does.
async fn insert(db: &Db, community: Uuid, gens: &[Gen]) -> anyhow::Result<()> {
    const ROWS: usize = 400;
    const COLUMNS: usize = 27;
    // On SQLite a numbered parameter (`$N`, `?N`) is a name, and binding looks every one up in
    // the statement's list of names: quadratic, seconds for thousands of them. Plain `?` are
    // positions, bound in order.
    let mark = |p: usize| match db {
        Db::Sqlite(_) => "?".to_owned(),
        Db::Postgres(_) => format!("${p}"),
    };
    hromada_db::write_tx!(db, tx => {
        for chunk in gens.chunks(ROWS) {
            let values = (0..chunk.len())
                .map(|r| {
                    let params: Vec<String> = (1 + r * COLUMNS..=(r + 1) * COLUMNS).map(mark).collect();
                    format!("({})", params.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO petitions (community_id, id, number, author_id, author_name, title, body, category, status,
                                        refusal_reason, refusal_text, decision, answer_text, threshold, collection_days,
                                        moderation_days, consideration_days, signature_count, chain_head, created_at,
                                        submitted_at, moderation_due, published_at, collection_ends,
                                        threshold_reached_at, consideration_due, answered_at) VALUES {values}"
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for g in chunk {
                query = query
                    .bind(community)
                    .bind(g.id)
                    .bind(g.number)
                    .bind(g.author_id)
                    .bind(g.author_name.as_str())
                    .bind(g.title.as_str())
                    .bind(g.body.as_str())
                    .bind(g.category)
                    .bind(g.status)
                    .bind(g.refusal_reason)
                    .bind(g.refusal_text.as_deref())
                    .bind(g.decision)
                    .bind(g.answer_text.as_deref())
                    .bind(THRESHOLD)
                    .bind(COLLECTION_DAYS as i64)
                    .bind(2i64)
                    .bind(10i64)
                    .bind(g.signature_count)
                    .bind(domain::genesis(g.id).to_vec())
                    .bind(g.created_at)
                    .bind(g.submitted_at)
                    .bind(g.moderation_due)
                    .bind(g.published_at)
                    .bind(g.collection_ends)
                    .bind(g.threshold_reached_at)
                    .bind(g.consideration_due)
                    .bind(g.answered_at);
            }
            query.execute(&mut *tx).await?;
        }
    });
    Ok(())
}
