//! The demo: last year's edition with its winners being carried out, and this year's in its
//! voting days, with projects reviewed and a few ballots (one of them on paper).

use crate::domain::{self, CategoryRules, ProjectAction, Timeline, VotingRule};
use crate::store::{self, BallotRequest, ProjectText};
use chrono::{Datelike, Duration, NaiveDate};
use hromada_db::core::users::{self, User};
use hromada_web::module::SeedContext;
use uuid::Uuid;

/// A demo project: category (0 small, 1 large), title, summary, place, cost breakdown.
type DemoProject = (usize, &'static str, &'static str, &'static str, &'static str);

struct Edition {
    year: i32,
    /// Days from today when each phase ends, submission starting at the first.
    days: [i64; 6],
    projects: &'static [DemoProject],
    /// Each ballot's projects, by their place in `projects`.
    picks: &'static [&'static [usize]],
}

const PAST: &[DemoProject] = &[
    (
        0,
        "Освітлення стежки до ліцею",
        "Ліхтарі на сонячних панелях уздовж стежки.",
        "стежка від вул. Садової до ліцею",
        "Ліхтар на сонячній панелі; 12; 14500",
    ),
    (
        0,
        "Пандус до сільської бібліотеки",
        "Пандус і поручні, щоб бібліотека була доступна всім.",
        "с. Верхнє, вул. Шкільна, 3",
        "Пандус; 1; 65000\nПоручні; 2; 7500",
    ),
    (
        1,
        "Оновлення стадіону «Хімік»",
        "Бігові доріжки й нові трибуни.",
        "стадіон «Хімік»",
        "Бігова доріжка, м²; 600; 900\nТрибуна; 2; 180000",
    ),
    (
        1,
        "Укриття в дитячому садку «Сонечко»",
        "Вентиляція, запасний вихід і освітлення укриття.",
        "дитсадок «Сонечко»",
        "Вентиляція; 1; 320000\nЗапасний вихід; 1; 210000\nОсвітлення; 1; 90000",
    ),
];

const CURRENT: &[DemoProject] = &[
    (
        0,
        "Лавки та урни в сквері Шевченка",
        "Десять лавок і десять урн замість поламаних.",
        "сквер Шевченка",
        "Лавка; 10; 9500\nУрна; 10; 3200\nМонтаж; 1; 18000",
    ),
    (
        0,
        "Велопарковки біля шкіл",
        "Накриті велопарковки біля трьох шкіл громади.",
        "школи № 1, 3, 5",
        "Велопарковка на 10 місць; 3; 42000\nНавіс; 3; 38000",
    ),
    (
        0,
        "Книжкова шафа в амбулаторії",
        "Шафа для буккросингу й дитячий куточок у залі очікування.",
        "вул. Лікарняна, 5",
        "Шафа; 2; 28000\nДитячий куточок; 1; 45000",
    ),
    (
        1,
        "Спортивний майданчик на Набережній",
        "Вуличні тренажери, воркаут і гумове покриття.",
        "вул. Набережна",
        "Тренажер; 8; 65000\nВоркаут-комплекс; 1; 240000\nГумове покриття, м²; 300; 1400",
    ),
    (
        1,
        "Сонячна станція для укриття школи № 2",
        "Сонячні панелі й акумулятори, щоб укриття мало світло під час відключень.",
        "школа № 2",
        "Панель 450 Вт; 24; 9800\nІнвертор; 1; 160000\nАкумулятор; 4; 95000\nМонтаж; 1; 120000",
    ),
];

pub async fn seed(ctx: SeedContext<'_>) -> anyhow::Result<()> {
    let community = ctx.community.id;
    if !store::contests(ctx.db, community).await?.is_empty() {
        return Ok(());
    }
    let Some(author) = users::by_email(ctx.db, community, "resident@demo.hromada").await? else { return Ok(()) };
    let official = users::by_email(ctx.db, community, "admin@demo.hromada").await?.unwrap_or_else(|| author.clone());
    let today = hromada_kernel::clock::kyiv_time(ctx.clock.now()).date();
    let past = Edition {
        year: today.year(),
        days: [-420, -400, -380, -370, -350, -335],
        projects: PAST,
        picks: &[&[0, 1, 3], &[0, 3], &[1, 2], &[0, 1, 2], &[3], &[1, 3]],
    };
    let contest = edition(&ctx, &author, &official, &past, today).await?;
    // Its winners are being carried out.
    let (counted, projects) = crate::results::count(ctx.db, community, &contest).await?;
    let winners: Vec<&store::Project> = counted
        .iter()
        .flat_map(|r| r.result.ranked.iter().filter(|x| x.outcome == domain::Outcome::Winner))
        .filter_map(|x| projects.get(&x.project.project))
        .collect();
    let updates: [(&str, i64, &str); 3] = [
        ("procurement", 10, "Оголошено закупівлю в Prozorro."),
        ("in_progress", 60, "Підрядник виконує роботи; завершення — до кінця кварталу."),
        ("done", 100, "Роботи завершено й прийнято комісією."),
    ];
    for (i, p) in winners.iter().enumerate() {
        let steps = if i == 0 { &updates[..] } else { &updates[..2] };
        for (k, (status, percent, note)) in steps.iter().enumerate() {
            let update = store::NewProgress {
                status,
                percent: *percent,
                spent: p.cost * percent / 100,
                note,
                photo: None,
                author: official.id,
            };
            let at = ctx.clock.now() - Duration::days(300 - 100 * k as i64);
            store::add_progress(ctx.db, community, p.id, &update, at).await?;
        }
    }
    let current = Edition {
        year: today.year() + 1,
        days: [-60, -40, -20, -10, 20, 35],
        projects: CURRENT,
        picks: &[&[0, 1, 3], &[0, 4], &[1, 2, 4], &[0, 3], &[2, 4], &[0, 1, 4], &[3]],
    };
    edition(&ctx, &author, &official, &current, today).await?;
    Ok(())
}

/// One edition: the contest, two categories, the projects handed in and admitted, and ballots
/// cast on the last day of voting reached (the last ballot on paper).
async fn edition(
    ctx: &SeedContext<'_>,
    author: &User,
    official: &User,
    e: &Edition,
    today: NaiveDate,
) -> anyhow::Result<store::Contest> {
    let community = ctx.community.id;
    let day = |n: i64| today + Duration::days(n);
    let timeline = Timeline {
        submission_from: day(e.days[0]),
        submission_to: day(e.days[1]),
        review_to: day(e.days[2]),
        revision_to: day(e.days[3]),
        voting_to: day(e.days[4]),
        results_to: day(e.days[5]),
    };
    let settings = store::ContestSettings {
        title: format!("Громадський бюджет {}", e.year),
        title_en: Some(format!("Participatory budget {}", e.year)),
        description: "Кожен мешканець від 16 років може запропонувати, як витратити частину бюджету громади, \
                      і проголосувати за проєкти, які вважає найкращими."
            .into(),
        total_budget: 3_000_000 * 100,
        timeline,
        rules: domain::ContestRules::default(),
    };
    let then = ctx.clock.now() + Duration::days(e.days[0]);
    let c = store::create_contest(ctx.db, community, &settings, then).await?;
    let small = CategoryRules {
        budget: 1_000_000 * 100,
        min_cost: 50_000 * 100,
        max_cost: 300_000 * 100,
        rule: VotingRule::Approve { up_to: 3 },
    };
    let large = CategoryRules {
        budget: 2_000_000 * 100,
        min_cost: 300_000 * 100,
        max_cost: 1_500_000 * 100,
        rule: VotingRule::Knapsack,
    };
    let mut categories: Vec<Uuid> = vec![];
    for (name, name_en, rules) in
        [("Малі проєкти", "Small projects", small), ("Великі проєкти", "Large projects", large)]
    {
        let id = store::save_category(ctx.db, community, c.id, None, name, Some(name_en), rules)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo categories exceed the budget"))?;
        categories.push(id);
    }
    for (category, title, summary, address, costs) in e.projects {
        let items = domain::parse_costs(costs).map_err(|e| anyhow::anyhow!("demo costs: {e:?}"))?;
        let text = ProjectText {
            category_id: categories[*category],
            title: (*title).into(),
            summary: (*summary).into(),
            body: format!("{summary}\n\nПроєкт підготували мешканці; кошторис — за цінами постачальників громади."),
            address: (*address).into(),
            point: None,
            items,
            answers: Default::default(),
        };
        let p = store::create_project(ctx.db, community, c.id, (author.id, &author.full_name), &text, then).await?;
        for (action, on) in [(ProjectAction::Submit, e.days[0] + 1), (ProjectAction::Admit, e.days[1] + 1)] {
            let review = store::Review {
                checklist: domain::CHECKLIST.iter().map(|k| ((*k).to_owned(), true)).collect(),
                note: if action == ProjectAction::Admit {
                    "Відповідає положенню.".into()
                } else {
                    String::new()
                },
                ..Default::default()
            };
            store::step(ctx.db, community, p.id, action, None, &review, then, day(on))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    // Ballots from demo voters (not accounts anyone signs in with).
    let candidates = store::candidates(ctx.db, community, c.id).await?;
    let voting_day = day(e.days[4].min(0));
    let ballots: Vec<BallotRequest> = e
        .picks
        .iter()
        .enumerate()
        .map(|(i, pick)| {
            let voter_key = format!("demo-voter-{}-{i}", e.year).into_bytes();
            BallotRequest {
                community,
                contest: c.id,
                slot: domain::voter_slot(b"demo", c.id, &voter_key),
                voter_key,
                choices: pick.iter().filter_map(|&j| candidates.get(j).copied()).collect(),
                receipt_code: format!("DEMO{}{i:04}", e.year),
                today: voting_day,
                // The last came on paper, entered by an official.
                paper: (i + 1 == e.picks.len()).then(|| store::PaperEntry {
                    full_name: "Демо Виборець".into(),
                    entered_by: official.id,
                    settles: None,
                }),
            }
        })
        .collect();
    hromada_db::BatchWriter::write_batch(&store::BallotWriter, ctx.db, &ballots).await?;
    Ok(c)
}
