//! The participatory budget through its pages: officials set up a contest by the regulation,
//! a resident writes a project, the commission returns, corrects and admits it, residents vote
//! by each category's rule, the results follow the rule and the public ballots recount to them;
//! under concurrency one person still has one ballot.

use chrono::{NaiveDate, TimeZone, Utc};
use hromada_budget::domain::{self, Candidate};
use hromada_budget::store::{self, BallotOutcome, BallotRequest, BallotWriter};
use hromada_db::GroupCommit;
use hromada_db::core::communities::{self, Community};
use hromada_kernel::{FixedClock, Role};
use hromada_testkit::{Browser, Options, TestApp, spawn_apps_with};
use std::sync::Arc;
use tokio::task::JoinSet;

/// 1 March 2027, noon in Kyiv: the day submission opens in these tests.
fn march_first() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 10, 0, 0).unwrap()
}

fn day(m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, m, d, 10, 0, 0).unwrap()
}

async fn apps(clock: &Arc<FixedClock>) -> Vec<TestApp> {
    spawn_apps_with(Options { clock: Some(clock.clone()), ..Default::default() }).await
}

const CONTEST: &[(&str, &str)] = &[
    ("title", "Громадський бюджет 2027"),
    ("title_en", "Participatory budget 2027"),
    ("description", "Положення про громадський бюджет."),
    ("total_budget", "1 000 000"),
    ("submission_from", "2027-03-01"),
    ("submission_to", "2027-03-31"),
    ("review_to", "2027-04-30"),
    ("revision_to", "2027-05-10"),
    ("voting_to", "2027-05-31"),
    ("results_to", "2027-06-15"),
    ("min_age", "0"),
    ("min_votes_to_win", "1"),
];

/// An official sets up the contest with a small category (approve up to 2) and a large one
/// (knapsack); residents may vote with a confirmed e-mail. Gives the community and the official.
async fn contest(app: &TestApp, slug: &str, changeable: bool) -> (Community, Browser) {
    let c = app.community(slug).await;
    communities::set_statute(&app.db, c.id, "identity", serde_json::json!({ "budget.vote": "email" })).await.unwrap();
    app.user(&c, &format!("admin@{slug}.test"), &[Role::Admin]).await;
    let admin = app.signed_in(&c, &format!("admin@{slug}.test")).await;
    let new = format!("/c/{slug}/admin/budget/new");
    let mut fields = CONTEST.to_vec();
    if changeable {
        fields.push(("changeable_ballots", "1"));
    }
    let saved = admin.submit(&new, &new, &fields).await;
    assert_eq!(saved.status, 303, "[{}] {}", app.backend, saved.text());
    let settings = format!("/c/{slug}/admin/budget/1");
    let categories = format!("/c/{slug}/admin/budget/1/categories");
    for (name, budget, min, max, rule, up_to) in [
        ("Малі проєкти", "300000", "10000", "150000", "approve", "2"),
        ("Великі проєкти", "700000", "100000", "500000", "knapsack", "0"),
    ] {
        let fields = [
            ("name", name),
            ("budget", budget),
            ("min_cost", min),
            ("max_cost", max),
            ("rule", rule),
            ("up_to", up_to),
        ];
        let added = admin.submit(&settings, &categories, &fields).await;
        assert_eq!(added.status, 303, "[{}] {}", app.backend, added.text());
    }
    (c, admin)
}

/// A resident writes a project and submits it; gives its number.
async fn project(b: &Browser, slug: &str, category: &str, title: &str, costs: &str) -> i64 {
    let form = format!("/c/{slug}/budget/1/projects/new");
    let fields = [
        ("category", category),
        ("title", title),
        ("summary", "Коротко про проєкт."),
        ("body", "Докладний опис проєкту для мешканців громади."),
        ("address", "вул. Центральна"),
        ("costs", costs),
    ];
    let saved = b.submit(&form, &format!("/c/{slug}/budget/1/projects"), &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text());
    let href = saved.location().unwrap();
    let number: i64 = href.rsplit('/').next().unwrap().parse().unwrap();
    let sent = b.submit(&href, &format!("{href}/submit"), &[]).await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    number
}

async fn review(admin: &Browser, slug: &str, number: i64, fields: &[(&str, &str)]) -> hromada_testkit::Reply {
    let page = format!("/c/{slug}/admin/budget/projects/{number}");
    admin.submit(&page, &page, fields).await
}

async fn vote(b: &Browser, slug: &str, numbers: &[i64]) -> hromada_testkit::Reply {
    let values: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let fields: Vec<(&str, &str)> = values.iter().map(|v| ("p", v.as_str())).collect();
    let form = format!("/c/{slug}/budget/1/vote");
    let page = b.get(&form).await;
    if page.status != 200 {
        // Sent away before the ballot (already voted, not eligible): that answer is the result.
        return page;
    }
    b.submit(&form, &form, &fields).await
}

#[tokio::test]
async fn a_contest_runs_from_submission_through_review_and_voting_to_results() {
    let clock = Arc::new(FixedClock::new(march_first()));
    for app in apps(&clock).await {
        clock.set(march_first());
        let bk = app.backend;
        let (c, admin) = contest(&app, "pb", false).await;
        let categories =
            store::categories(&app.db, c.id, store::contest_by_number(&app.db, c.id, 1).await.unwrap().unwrap().id)
                .await
                .unwrap();
        let (small, large) = (categories[0].id.to_string(), categories[1].id.to_string());
        let (small, large) = (small.as_str(), large.as_str());
        // A third category would take the budgets over the contest's total: refused, nothing saved.
        let over = admin
            .submit(
                "/c/pb/admin/budget/1",
                "/c/pb/admin/budget/1/categories",
                &[("name", "Ще"), ("budget", "1"), ("min_cost", "0"), ("max_cost", "1"), ("rule", "one")],
            )
            .await;
        assert_eq!(over.status, 422, "[{bk}]");
        assert!(over.text().contains("перевищують загальний бюджет"), "[{bk}]");

        // Settings are changed later: the regulation in the description, a category's cap.
        let mut changed = CONTEST.to_vec();
        changed[2] = ("description", "Положення, затверджене рішенням ради № 12.");
        let saved = admin.submit("/c/pb/admin/budget/1", "/c/pb/admin/budget/1", &changed).await;
        assert_eq!(saved.status, 303, "[{bk}] {}", saved.text());
        let mut bad_order = CONTEST.to_vec();
        bad_order[9] = ("results_to", "2027-05-01");
        let refused = admin.submit("/c/pb/admin/budget/1", "/c/pb/admin/budget/1", &bad_order).await;
        assert_eq!(refused.status, 422, "[{bk}]");
        assert!(refused.text().contains("Етапи мають іти один за одним"), "[{bk}]");
        let edited = admin
            .submit(
                "/c/pb/admin/budget/1",
                "/c/pb/admin/budget/1/categories",
                &[
                    ("id", small),
                    ("name", "Малі проєкти"),
                    ("budget", "300 000 грн"),
                    ("min_cost", "10000"),
                    ("max_cost", "150000"),
                    ("rule", "approve"),
                    ("up_to", "2"),
                ],
            )
            .await;
        assert_eq!(edited.status, 303, "[{bk}] {}", edited.text());
        assert_eq!(
            store::categories(&app.db, c.id, categories[0].contest_id).await.unwrap().len(),
            2,
            "[{bk}] edited in place"
        );

        app.user(&c, "anna@pb.test", &[]).await;
        let anna = app.signed_in(&c, "anna@pb.test").await;
        let page = anna.get("/c/pb/budget/1").await.text();
        assert!(
            page.contains("Положення, затверджене рішенням ради № 12.") && page.contains("Подати проєкт"),
            "[{bk}]"
        );
        assert!(page.contains("Подання проєктів") && page.contains("01.03.2027 – 31.03.2027"), "[{bk}] {page}");
        // A breakdown that does not read, and a cost outside the category: errors by the field.
        let bad = anna
            .submit(
                "/c/pb/budget/1/projects/new",
                "/c/pb/budget/1/projects",
                &[
                    ("category", small),
                    ("title", "Лавки в сквері"),
                    ("summary", "Лавки."),
                    ("body", "Нові лавки замість поламаних у сквері."),
                    ("address", "сквер"),
                    ("costs", "Лавка; 10\nУрна; 2; 500"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "[{bk}]");
        assert!(bad.text().contains("Рядок 1: потрібно три частини"), "[{bk}] {}", bad.text());
        let dear = anna
            .submit(
                "/c/pb/budget/1/projects/new",
                "/c/pb/budget/1/projects",
                &[
                    ("category", small),
                    ("title", "Лавки в сквері"),
                    ("summary", "Лавки."),
                    ("body", "Нові лавки замість поламаних у сквері."),
                    ("address", "сквер"),
                    ("costs", "Лавка; 100; 9500"),
                ],
            )
            .await;
        assert_eq!(dear.status, 422, "[{bk}]");
        assert!(dear.text().contains("має бути від 10 000 грн до 150 000 грн"), "[{bk}] {}", dear.text());

        let benches = project(&anna, "pb", small, "Лавки в сквері", "Лавка; 10; 9500\nМонтаж; 1; 5000").await;
        let bikes = project(&anna, "pb", small, "Велопарковки", "Велопарковка; 2; 20000").await;
        let books = project(&anna, "pb", small, "Книжкова шафа", "Шафа; 1; 30000").await;
        let stadium = project(&anna, "pb", large, "Стадіон", "Покриття; 1; 400000").await;
        let solar = project(&anna, "pb", large, "Сонячна станція", "Станція; 1; 350000").await;
        let rejected = project(&anna, "pb", large, "Приватна парковка", "Парковка; 1; 200000").await;
        let late = project(&anna, "pb", small, "Фонтан на площі", "Фонтан; 1; 90000").await;
        // A draft is the author's only: nobody else sees it.
        let form = "/c/pb/budget/1/projects/new";
        let draft = anna
            .submit(
                form,
                "/c/pb/budget/1/projects",
                &[
                    ("category", small),
                    ("title", "Чернетка проєкту"),
                    ("summary", "Ще пишу."),
                    ("body", "Текст проєкту, який ще не готовий."),
                    ("address", "десь"),
                    ("costs", "Щось; 1; 20000"),
                ],
            )
            .await;
        let draft_href = draft.location().unwrap();
        assert_eq!(app.browser().get(&draft_href).await.status, 404, "[{bk}]");
        assert_eq!(anna.get(&draft_href).await.status, 200, "[{bk}]");

        let mine = anna.get("/c/pb/budget").await.text();
        assert!(mine.contains("Мої проєкти") && mine.contains("Чернетка проєкту"), "[{bk}]");

        // Review: the commission returns one with a date, rejects one with a reason, admits the rest
        // (correcting the cost of one).
        clock.set(day(4, 5));
        // Weeks pass between phases: people sign in again.
        let admin = app.signed_in(&c, "admin@pb.test").await;
        let returned = review(
            &admin,
            "pb",
            books,
            &[
                ("action", "return"),
                ("costs", "Шафа; 1; 30000"),
                ("note", "Додайте фото місця."),
                ("revise_by", "2027-05-05"),
            ],
        )
        .await;
        assert_eq!(returned.status, 303, "[{bk}] {}", returned.text());
        let mail = hromada_db::core::outbox::recent(&app.db, c.id, 5).await.unwrap();
        assert!(
            mail.iter().any(|m| m.to_addr == "anna@pb.test"
                && m.subject.contains("повернуто на доопрацювання")
                && m.body_text.contains("05.05.2027")
                && m.body_text.contains("Додайте фото місця.")),
            "[{bk}] the author is told, with the date and the findings"
        );
        let short_deadline = review(
            &admin,
            "pb",
            late,
            &[
                ("action", "return"),
                ("costs", "Фонтан; 1; 90000"),
                ("note", "Уточніть кошторис."),
                ("revise_by", "2027-04-20"),
            ],
        )
        .await;
        assert_eq!(short_deadline.status, 303, "[{bk}]");
        let no_reason =
            review(&admin, "pb", rejected, &[("action", "reject"), ("costs", "Парковка; 1; 200000"), ("note", "Ні.")])
                .await;
        assert_eq!(no_reason.status, 422, "[{bk}]");
        assert!(no_reason.text().contains("Оберіть причину відхилення"), "[{bk}]");
        let done = review(
            &admin,
            "pb",
            rejected,
            &[
                ("action", "reject"),
                ("costs", "Парковка; 1; 200000"),
                ("note", "Парковка біля магазину."),
                ("reason", "not_public_interest"),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "[{bk}]");
        for (n, costs) in [
            (benches, "Лавка; 10; 9500\nМонтаж; 1; 5000"),
            (bikes, "Велопарковка; 2; 20000"),
            (stadium, "Покриття; 1; 450000; дорожчий матеріал за нормами"),
            (solar, "Станція; 1; 350000"),
        ] {
            let admitted = review(
                &admin,
                "pb",
                n,
                &[
                    ("action", "admit"),
                    ("costs", costs),
                    ("note", "Відповідає положенню."),
                    ("check", "competence"),
                    ("check", "one_year"),
                ],
            )
            .await;
            assert_eq!(admitted.status, 303, "[{bk}] {}", admitted.text());
        }
        let page = app.browser().get(&format!("/c/pb/budget/projects/{stadium}")).await.text();
        assert!(page.contains("450 000 грн") && page.contains("заявлено автором: 400 000 грн"), "[{bk}] {page}");
        assert!(page.contains("У межах повноважень місцевої ради: так"), "[{bk}]");
        assert!(page.contains("Коментар комісії") && page.contains("дорожчий матеріал за нормами"), "[{bk}]");
        let page = app.browser().get(&format!("/c/pb/budget/projects/{rejected}")).await.text();
        assert!(page.contains("не відповідає інтересам громади") && page.contains("Парковка біля магазину."), "[{bk}]");
        // The author revises the returned one and submits again; the commission admits it.
        clock.set(day(5, 3));
        let anna = app.signed_in(&c, "anna@pb.test").await;
        let admin = app.signed_in(&c, "admin@pb.test").await;
        let edit = format!("/c/pb/budget/projects/{books}/edit");
        let revised = anna
            .submit(
                &edit,
                &edit,
                &[
                    ("category", small),
                    ("title", "Книжкова шафа"),
                    ("summary", "Шафа для буккросингу."),
                    ("body", "Шафа для буккросингу в амбулаторії, фото місця додано."),
                    ("address", "амбулаторія"),
                    ("costs", "Шафа; 1; 30000"),
                ],
            )
            .await;
        assert_eq!(revised.status, 303, "[{bk}] {}", revised.text());
        let href = format!("/c/pb/budget/projects/{books}");
        assert_eq!(anna.submit(&href, &format!("{href}/submit"), &[]).await.status, 303, "[{bk}]");
        // Past the commission's date, a returned project cannot be handed in again.
        let overdue = format!("/c/pb/budget/projects/{late}");
        let refused = anna.follow(anna.submit(&overdue, &format!("{overdue}/submit"), &[]).await).await;
        assert!(refused.text().contains("Строк доопрацювання, встановлений комісією, минув"), "[{bk}]");
        let admitted =
            review(&admin, "pb", books, &[("action", "admit"), ("costs", "Шафа; 1; 30000"), ("note", "Добре.")]).await;
        assert_eq!(admitted.status, 303, "[{bk}]");

        // Voting.
        clock.set(day(5, 15));
        let mut voters = vec![];
        for i in 0..4 {
            app.user(&c, &format!("v{i}@pb.test"), &[]).await;
            voters.push(app.signed_in(&c, &format!("v{i}@pb.test")).await);
        }
        // Voting has started: the categories and the rules are fixed now.
        let admin = app.signed_in(&c, "admin@pb.test").await;
        let locked = admin
            .submit(
                "/c/pb/admin/budget/1",
                "/c/pb/admin/budget/1/categories",
                &[
                    ("id", small),
                    ("name", "Малі проєкти"),
                    ("budget", "300000"),
                    ("min_cost", "10000"),
                    ("max_cost", "150000"),
                    ("rule", "approve"),
                    ("up_to", "3"),
                ],
            )
            .await;
        assert!(admin.follow(locked).await.text().contains("Голосування вже почалося"), "[{bk}]");
        let mut later = changed.clone();
        later.push(("changeable_ballots", "1"));
        let refused = admin.submit("/c/pb/admin/budget/1", "/c/pb/admin/budget/1", &later).await;
        assert_eq!(refused.status, 422, "[{bk}]");
        let mut extended = changed.clone();
        extended[9] = ("results_to", "2027-06-20");
        assert_eq!(admin.submit("/c/pb/admin/budget/1", "/c/pb/admin/budget/1", &extended).await.status, 303, "[{bk}]");
        // Three small projects where two are allowed, and two large ones over the category's budget.
        let too_many = vote(&voters[0], "pb", &[benches, bikes, books]).await;
        assert_eq!(too_many.status, 422, "[{bk}]");
        assert!(too_many.text().contains("У категорії «Малі проєкти» можна обрати не більше ніж 2"), "[{bk}]");
        let over = vote(&voters[0], "pb", &[stadium, solar]).await;
        assert_eq!(over.status, 422, "[{bk}]");
        assert!(over.text().contains("разом коштують більше, ніж її бюджет"), "[{bk}]");
        assert_eq!(
            vote(&voters[0], "pb", &[rejected]).await.status,
            422,
            "[{bk}] a rejected project is not on the ballot"
        );

        let mut receipts = vec![];
        for (b, choice) in voters.iter().zip([
            vec![benches, bikes, solar],
            vec![benches, stadium],
            vec![bikes, solar],
            vec![books, solar],
        ]) {
            let cast = vote(b, "pb", &choice).await;
            assert_eq!(cast.status, 200, "[{bk}] {}", cast.text());
            let html = cast.html();
            assert!(html.contains("Ваш голос зараховано"), "[{bk}]");
            let code = html.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
            receipts.push(code);
        }
        // A final ballot cannot be cast twice.
        let again = vote(&voters[0], "pb", &[books]).await;
        assert_eq!(again.status, 303, "[{bk}]");
        assert!(voters[0].follow(again).await.text().contains("Ви вже проголосували"), "[{bk}]");

        // Results: small — benches 2 (100,000), bikes 2 (40,000) win; books 1 wins too (30,000
        // fits 300,000). Large — solar 3 wins (350,000); stadium 1 costs 450,000 > 350,000 left.
        let results = app.browser().get("/c/pb/budget/1/results").await.text();
        assert!(results.contains("Голосування триває"), "[{bk}]");
        let api = app.browser().get("/c/pb/api/v1/budget/contests/1/results").await.json();
        let outcome = |n: i64| -> (u64, String) {
            for k in api["categories"].as_array().unwrap() {
                for p in k["projects"].as_array().unwrap() {
                    if p["number"].as_i64() == Some(n) {
                        return (p["votes"].as_u64().unwrap(), p["outcome"].as_str().unwrap().to_owned());
                    }
                }
            }
            panic!("project {n} is not in the results: {api}")
        };
        assert_eq!(outcome(benches), (2, "winner".into()), "[{bk}]");
        assert_eq!(outcome(bikes), (2, "winner".into()), "[{bk}]");
        assert_eq!(outcome(books), (1, "winner".into()), "[{bk}]");
        assert_eq!(outcome(solar), (3, "winner".into()), "[{bk}]");
        assert_eq!(outcome(stadium), (1, "does_not_fit".into()), "[{bk}]");
        assert_eq!(api["categories"][1]["used"].as_i64(), Some(350_000 * 100), "[{bk}]");

        // The public ballots recount to the same figures, and each voter finds theirs by receipt.
        let chain = app.browser().get("/c/pb/budget/1/ballots.json").await.json();
        let entries: Vec<domain::BallotEntry> = serde_json::from_value(chain["entries"].clone()).unwrap();
        let contest_id: uuid::Uuid = chain["contest"].as_str().unwrap().parse().unwrap();
        let recount = domain::verify_chain(contest_id, &entries).unwrap();
        assert_eq!(hex::encode(recount.head), chain["head"].as_str().unwrap(), "[{bk}]");
        assert_eq!(recount.ballots, 4, "[{bk}]");
        assert_eq!(recount.votes.get(&solar), Some(&3), "[{bk}]");
        assert_eq!(recount.votes.get(&stadium), Some(&1), "[{bk}]");
        for (i, code) in receipts.iter().enumerate() {
            assert_eq!(domain::find_receipt(contest_id, &entries, code).map(|e| e.seq), Some(i as u64 + 1), "[{bk}]");
        }
        let tally = store::tally(&app.db, c.id, contest_id).await.unwrap();
        assert_eq!(tally.values().sum::<i64>() as u64, recount.votes.values().sum::<u64>(), "[{bk}]");
        // Results are shown with a table and a chart, and the ballots page lists choices, not people.
        assert!(results.contains("Переможець") && results.contains("Не вистачило бюджету"), "[{bk}]");
        let csv = app.browser().get("/c/pb/budget/1/results.csv").await;
        assert_eq!(csv.status, 200, "[{bk}]");
        // With a byte-order mark, so that a spreadsheet reads the Ukrainian right.
        let csv = csv.body;
        assert!(csv.starts_with("\u{feff}category,rank,number,title,cost,votes,share,outcome"), "[{bk}] {csv}");
        assert!(
            csv.contains(&format!("Великі проєкти,2,{stadium},Стадіон,450000,1,25.0,does_not_fit")),
            "[{bk}] {csv}"
        );
        let ballots = app.browser().get("/c/pb/budget/1/ballots").await.text();
        assert!(!ballots.contains("v0@pb.test") && ballots.contains(&format!("№ {solar}")), "[{bk}]");

        // After voting closes, nobody votes; the results stay.
        clock.set(day(6, 2));
        app.user(&c, "late@pb.test", &[]).await;
        let late = app.signed_in(&c, "late@pb.test").await;
        assert_eq!(late.get("/c/pb/budget/1/vote").await.status, 303, "[{bk}]");
        assert!(app.browser().get("/c/pb/budget/1/results").await.text().contains("Голосування завершено"), "[{bk}]");
        // Another community sees none of it.
        app.community("other").await;
        assert_eq!(app.browser().get("/c/other/budget/1").await.status, 404, "[{bk}]");
        assert_eq!(app.browser().get(&format!("/c/other/budget/projects/{solar}")).await.status, 404, "[{bk}]");
    }
}

#[tokio::test]
async fn the_regulation_decides_who_votes_and_says_why_not() {
    let clock = Arc::new(FixedClock::new(day(5, 15)));
    for app in apps(&clock).await {
        let bk = app.backend;
        let c = app.community("rules").await;
        let t = domain::Timeline {
            submission_from: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            submission_to: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
            review_to: NaiveDate::from_ymd_opt(2027, 4, 30).unwrap(),
            revision_to: NaiveDate::from_ymd_opt(2027, 5, 10).unwrap(),
            voting_to: NaiveDate::from_ymd_opt(2027, 5, 31).unwrap(),
            results_to: NaiveDate::from_ymd_opt(2027, 6, 15).unwrap(),
        };
        let settings = store::ContestSettings {
            title: "ГБ".into(),
            title_en: None,
            description: String::new(),
            total_budget: 100_000 * 100,
            timeline: t,
            rules: domain::ContestRules { min_age: 16, residents_only: true, accept_idp: true, ..Default::default() },
        };
        store::create_contest(&app.db, c.id, &settings, app.now()).await.unwrap();
        app.user(&c, "nobody@rules.test", &[]).await;
        let b = app.signed_in(&c, "nobody@rules.test").await;
        // The default level is e-ID: an e-mail account is sent to verify itself.
        let needs = b.get("/c/rules/budget/1/vote").await;
        assert_eq!(needs.status, 403, "[{bk}]");
        assert!(needs.text().contains("ID.GOV.UA"), "[{bk}]");
        communities::set_statute(&app.db, c.id, "identity", serde_json::json!({ "budget.vote": "email" }))
            .await
            .unwrap();
        let refused = b.follow(b.get("/c/rules/budget/1/vote").await).await;
        assert!(refused.text().contains("потрібен рік народження"), "[{bk}] {}", refused.text());
    }
}

/// The ballot writer taken straight: every request in `requests` at once.
async fn cast_all(app: &TestApp, requests: Vec<BallotRequest>) -> Vec<BallotOutcome> {
    let writer = app.state.extension::<GroupCommit<BallotWriter>>().unwrap().clone();
    let start = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let mut set = JoinSet::new();
    for r in requests {
        let (writer, start) = (writer.clone(), start.clone());
        set.spawn(async move {
            start.wait().await;
            writer.submit(r).await.unwrap()
        });
    }
    set.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_ballots_of_one_person_at_once_give_one_ballot_and_a_knapsack_never_overspends() {
    const REQUESTS: usize = 1000;
    let clock = Arc::new(FixedClock::new(day(5, 15)));
    for app in apps(&clock).await {
        let bk = app.backend;
        for (slug, changeable) in [("final", false), ("changeable", true)] {
            let c = app.community(slug).await;
            let t = domain::Timeline {
                submission_from: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
                submission_to: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
                review_to: NaiveDate::from_ymd_opt(2027, 4, 30).unwrap(),
                revision_to: NaiveDate::from_ymd_opt(2027, 5, 10).unwrap(),
                voting_to: NaiveDate::from_ymd_opt(2027, 5, 31).unwrap(),
                results_to: NaiveDate::from_ymd_opt(2027, 6, 15).unwrap(),
            };
            let rules = domain::ContestRules { changeable_ballots: changeable, ..Default::default() };
            let settings = store::ContestSettings {
                title: "ГБ".into(),
                title_en: None,
                description: String::new(),
                total_budget: 1000,
                timeline: t,
                rules,
            };
            let contest = store::create_contest(&app.db, c.id, &settings, app.now()).await.unwrap();
            // A knapsack category of 1000 with three projects of 600, 500 and 400.
            let rules =
                domain::CategoryRules { budget: 1000, min_cost: 1, max_cost: 1000, rule: domain::VotingRule::Knapsack };
            let k = store::save_category(&app.db, c.id, contest.id, None, "Усе", None, rules).await.unwrap().unwrap();
            let candidates: Vec<Candidate> = [600, 500, 400]
                .iter()
                .enumerate()
                .map(|(i, cost)| Candidate { id: uuid::Uuid::now_v7(), number: i as i64 + 1, category: k, cost: *cost })
                .collect();
            // The votes table refers to projects by id only; the tally reads admitted projects.
            let voter = b"p:the-same-person".to_vec();
            let slot = domain::voter_slot(&app.state.config.secret, contest.id, &voter);
            let requests: Vec<BallotRequest> = (0..REQUESTS)
                .map(|i| BallotRequest {
                    community: c.id,
                    contest: contest.id,
                    voter_key: voter.clone(),
                    slot: slot.clone(),
                    choices: vec![candidates[i % 3]],
                    receipt_code: format!("R{i}"),
                    today: NaiveDate::from_ymd_opt(2027, 5, 15).unwrap(),
                    paper: None,
                })
                .collect();
            let outcomes = cast_all(&app, requests).await;
            let cast = outcomes.iter().filter(|o| matches!(o, BallotOutcome::Cast { .. })).count();
            let refused = outcomes.iter().filter(|o| **o == BallotOutcome::AlreadyVoted).count();
            let entries = store::chain(&app.db, c.id, contest.id, 0, i64::MAX).await.unwrap();
            let recount = domain::verify_chain(contest.id, &entries).unwrap();
            let stored = store::contest(&app.db, c.id, contest.id).await.unwrap().unwrap();
            assert_eq!(recount.ballots, 1, "[{bk}/{slug}] one live ballot");
            assert_eq!(stored.ballot_count, 1, "[{bk}/{slug}]");
            assert_eq!(hex::encode(recount.head), hex::encode(&stored.chain_head), "[{bk}/{slug}]");
            let live_votes: i64 = store::tally(&app.db, c.id, contest.id).await.unwrap().values().sum();
            assert_eq!(live_votes, 1, "[{bk}/{slug}] the live ballot's one project, never more");
            if changeable {
                assert_eq!(cast, REQUESTS, "[{bk}/{slug}] each replaces the one before");
                assert_eq!(entries.len(), REQUESTS, "[{bk}/{slug}]");
            } else {
                assert_eq!((cast, refused), (1, REQUESTS - 1), "[{bk}/{slug}]");
                assert_eq!(entries.len(), 1, "[{bk}/{slug}]");
            }
            // A ballot that would overspend never gets this far: the rule refuses it first.
            let cats = [domain::BallotCategory { id: k, budget: 1000, rule: domain::VotingRule::Knapsack }];
            assert_eq!(
                domain::check_ballot(&cats, &candidates, &[1, 2]),
                Err(domain::BallotError::OverBudget { category: k }),
                "[{bk}]"
            );
        }
    }
}

/// An e-ID verified resident with an API token; gives the account and the token.
async fn verified_voter(
    app: &TestApp,
    c: &Community,
    email: &str,
    tax: &str,
) -> (hromada_db::core::users::User, String) {
    use hromada_db::core::{tokens, users};
    let u = app.user(c, email, &[]).await;
    let key = hromada_web::auth::person_key(&app.state.config.secret, tax).unwrap();
    users::set_person_key(&app.db, c.id, u.id, &key, users::PersonProof::Eid, app.now()).await.unwrap();
    let token = hromada_web::auth::new_token();
    tokens::create_api_token(&app.db, c.id, u.id, "test", &hromada_web::auth::hash_token(&token), app.now())
        .await
        .unwrap();
    (u, token)
}

/// Two admitted projects in each category, written through the store; gives their numbers.
async fn admitted(app: &TestApp, c: &Community) -> Vec<i64> {
    let contest = store::contest_by_number(&app.db, c.id, 1).await.unwrap().unwrap();
    let categories = store::categories(&app.db, c.id, contest.id).await.unwrap();
    let author = app.user(c, &format!("author@{}.test", c.slug), &[]).await;
    let mut numbers = vec![];
    for (k, cost) in [(0usize, 50_000 * 100), (0, 60_000 * 100), (1, 300_000 * 100), (1, 400_000 * 100)] {
        let text = store::ProjectText {
            category_id: categories[k].id,
            title: format!("Проєкт за {cost}"),
            summary: "Коротко.".into(),
            body: "Опис проєкту для мешканців.".into(),
            address: "Центр".into(),
            point: None,
            items: vec![domain::CostItem {
                name: "Усе".into(), quantity: 1, unit_price: cost, comment: String::new()
            }],
            answers: Default::default(),
        };
        let p = store::create_project(&app.db, c.id, contest.id, (author.id, "Автор"), &text, app.now()).await.unwrap();
        let review = store::Review::default();
        for (action, on) in [(domain::ProjectAction::Submit, (3, 10)), (domain::ProjectAction::Admit, (4, 10))] {
            let today = NaiveDate::from_ymd_opt(2027, on.0, on.1).unwrap();
            store::step(&app.db, c.id, p.id, action, None, &review, app.now(), today).await.unwrap();
        }
        numbers.push(p.number);
    }
    numbers
}

#[tokio::test]
async fn paper_ballots_are_checked_and_a_second_vote_waits_for_the_officials_then_winners_are_carried_out() {
    let clock = Arc::new(FixedClock::new(march_first()));
    for app in apps(&clock).await {
        clock.set(march_first());
        let bk = app.backend;
        let (c, _) = contest(&app, "paper", false).await;
        let n = admitted(&app, &c).await;
        clock.set(day(5, 15));
        let admin = app.signed_in(&c, "admin@paper.test").await;

        // Olena votes online through the API; her tax number is 1234567890.
        let (_, token) = verified_voter(&app, &c, "olena@paper.test", "1234567890").await;
        let http = reqwest::Client::new();
        let api = app.url("/c/paper/api/v1/budget/contests/1/ballots");
        let cast = http
            .post(&api)
            .bearer_auth(&token)
            .json(&serde_json::json!({ "choices": [n[0], n[2]] }))
            .send()
            .await
            .unwrap();
        assert_eq!(cast.status(), 201, "[{bk}]");
        let receipt: serde_json::Value = cast.json().await.unwrap();
        assert_eq!(receipt["seq"], 1, "[{bk}]");
        let again =
            http.post(&api).bearer_auth(&token).json(&serde_json::json!({ "choices": [n[1]] })).send().await.unwrap();
        assert_eq!(again.status(), 409, "[{bk}]");
        let (_, petro) = verified_voter(&app, &c, "petro@paper.test", "1111111119").await;
        let stray =
            http.post(&api).bearer_auth(&petro).json(&serde_json::json!({ "choices": [999] })).send().await.unwrap();
        assert_eq!(stray.status(), 422, "[{bk}]");
        let body: serde_json::Value = stray.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("№ 999"), "[{bk}] {body}");

        // On paper: a new person is counted; Olena again becomes a conflict; bad rows say why.
        let desk = "/c/paper/admin/budget/1/paper";
        let one = |tax: &str, name: &str, choices: String| -> Vec<(String, String)> {
            [("tax_number", tax), ("full_name", name), ("birth_year", "1980"), ("residency", "resident")]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .chain([("choices".to_owned(), choices)])
                .collect()
        };
        let maria = one("2234567890", "Коваль Марія", format!("{} {}", n[1], n[3]));
        let maria: Vec<(&str, &str)> = maria.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let counted = admin.submit(desk, desk, &maria).await;
        assert_eq!(counted.status, 200, "[{bk}] {}", counted.text());
        assert!(counted.text().contains("Зараховано, № 2"), "[{bk}] {}", counted.text());
        let olena = one("1234567890", "Шевченко Олена", n[1].to_string());
        let olena: Vec<(&str, &str)> = olena.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let twice = admin.submit(desk, desk, &olena).await;
        assert_eq!(twice.status, 422, "[{bk}]");
        assert!(twice.text().contains("вже проголосувала"), "[{bk}]");
        let csv = format!(
            "tax_number;full_name;birth_year;residency;choices\n\
             3234567890;Бойко Іван;1970;мешканець;{a}\n\
             12;Без Номера;1970;мешканець;{a}\n\
             3234567890;Бойко Іван;1970;мешканець;{b}\n\
             4234567890;Гість Петро;1970;ні;999\n",
            a = n[0],
            b = n[1]
        );
        let imported = admin
            .submit_files(
                desk,
                "/c/paper/admin/budget/1/paper/import",
                &[],
                &[("file", "ballots.csv", csv.into_bytes())],
            )
            .await;
        assert_eq!(imported.status, 422, "[{bk}] not every row counted");
        let report = imported.text();
        assert!(report.contains("Зараховано, № 3"), "[{bk}] {report}");
        assert!(report.contains("РНОКПП має складатися з 10 цифр"), "[{bk}]");
        assert!(report.contains("вже проголосувала"), "[{bk}] the same person twice in the file");
        assert!(report.contains("Проєкту № 999 немає в бюлетені"), "[{bk}]");

        // Two conflicts wait; nothing of them counted yet.
        let contest = store::contest_by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        let open: Vec<_> = store::conflicts(&app.db, c.id, contest.id).await.unwrap();
        assert_eq!(open.len(), 2, "[{bk}]");
        assert_eq!(contest.ballot_count, 3, "[{bk}] Olena, Maria, Ivan");
        // The officials count Olena's paper ballot instead of her online one, and keep Ivan's first.
        let decide = |id: uuid::Uuid, what: &str| format!("/c/paper/admin/budget/1/conflicts/{id}/{what}");
        let olena_conflict = open.iter().find(|x| x.full_name == "Шевченко Олена").unwrap().id;
        let ivan_conflict = open.iter().find(|x| x.full_name == "Бойко Іван").unwrap().id;
        assert_eq!(admin.submit(desk, &decide(olena_conflict, "count"), &[]).await.status, 303, "[{bk}]");
        assert_eq!(admin.submit(desk, &decide(ivan_conflict, "keep"), &[]).await.status, 303, "[{bk}]");
        let settled = admin.follow(admin.submit(desk, &decide(ivan_conflict, "count"), &[]).await).await;
        assert!(settled.text().contains("Цей конфлікт уже вирішено"), "[{bk}]");
        let entries = store::chain(&app.db, c.id, contest.id, 0, i64::MAX).await.unwrap();
        let recount = domain::verify_chain(contest.id, &entries).unwrap();
        assert_eq!(recount.ballots, 3, "[{bk}] still one ballot per person");
        let last = entries.last().unwrap();
        assert!(last.paper && last.supersedes == Some(1) && last.choices == vec![n[1]], "[{bk}] {last:?}");
        assert_eq!(recount.votes.get(&n[0]), Some(&1), "[{bk}] Olena's online choice no longer counts; Ivan's does");
        assert_eq!(recount.votes.get(&n[1]), Some(&2), "[{bk}]");
        let tally = store::tally(&app.db, c.id, contest.id).await.unwrap();
        for number in &n {
            let p = store::project_by_number(&app.db, c.id, *number).await.unwrap().unwrap();
            let counted = tally.get(&p.id).copied().unwrap_or(0) as u64;
            assert_eq!(counted, recount.votes.get(number).copied().unwrap_or(0), "[{bk}] project {number}");
        }
        // Anyone recounts the published ballots with the command line; Olena finds hers, replaced.
        let u = app.url("/c/paper/api/v1/budget/contests/1/ballots");
        let code = receipt["receipt_code"].as_str().unwrap().to_owned();
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
                .args(["budget", "verify", "--url", &u, "--receipt", &code])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(out.status.success(), "[{bk}] {} {printed}", String::from_utf8_lossy(&out.stderr));
        assert!(
            printed.contains("live ballots: 3") && printed.contains("match the published count"),
            "[{bk}] {printed}"
        );
        assert!(
            printed.contains("your ballot is No. 1") && printed.contains("replaced by a later ballot"),
            "[{bk}] {printed}"
        );
        let u = app.url("/c/paper/api/v1/budget/contests/1/ballots");
        let wrong = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
                .args(["budget", "verify", "--url", &u, "--receipt", "NOPE"])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(!wrong.status.success(), "[{bk}]");
        let results = app.browser().get("/c/paper/budget/1/results").await.text();
        assert!(results.contains("з них на папері: 3"), "[{bk}] {results}");

        // Results are in: officials report progress on a winner, with a bad figure refused first.
        clock.set(day(6, 2));
        let admin = app.signed_in(&c, "admin@paper.test").await;
        let review_page = format!("/c/paper/admin/budget/projects/{}", n[1]);
        let progress = format!("{review_page}/progress");
        let bad = admin
            .submit_files(&review_page, &progress, &[("status", "done"), ("percent", "50"), ("spent", "1000")], &[])
            .await;
        assert!(admin.follow(bad).await.text().contains("виконаний проєкт — це 100"), "[{bk}]");
        let fields = [
            ("status", "in_progress"),
            ("percent", "40"),
            ("spent", "25 000"),
            ("note", "Закуплено матеріали."),
            ("photo_alt", "Матеріали на майданчику"),
        ];
        let posted =
            admin.submit_files(&review_page, &progress, &fields, &[("photo", "robota.png", crate::bot::png())]).await;
        assert_eq!(posted.status, 303, "[{bk}] {}", posted.text());
        let page = app.browser().get("/c/paper/budget/1/implementation").await.text();
        assert!(
            page.contains("Виконується") && page.contains("Закуплено матеріали.") && page.contains("25 000 грн"),
            "[{bk}] {page}"
        );
        let project = app.browser().get(&format!("/c/paper/budget/projects/{}", n[1])).await.text();
        assert!(project.contains("Закуплено матеріали.") && project.contains("40%"), "[{bk}]");
        let shown = app.browser().get(&format!("/c/paper/budget/projects/{}", n[1])).await.html();
        assert!(shown.contains("alt=\"Фото з реалізації проєкту"), "[{bk}] the update's photo is shown");
        // Paper ballots and decisions are in the audit log.
        let audit = admin.get("/c/paper/admin/audit").await.text();
        assert!(audit.contains("budget.paper_ballot") && audit.contains("budget.paper_conflict.count"), "[{bk}]");
    }
}

#[tokio::test]
async fn a_resident_votes_in_the_chat_by_the_same_rules() {
    use crate::bot::{chat, last_message};
    let clock = Arc::new(FixedClock::new(march_first()));
    for app in apps(&clock).await {
        clock.set(march_first());
        let bk = app.backend;
        let (c, _) = contest(&app, "chat", false).await;
        let n = admitted(&app, &c).await;
        clock.set(day(5, 15));
        verified_voter(&app, &c, "olena@chat.test", "1234567890").await;
        let olena = app.signed_in(&c, "olena@chat.test").await;
        let listed = chat(&olena, "chat", &[("press", "budget|list")]).await;
        assert!(last_message(&listed).contains("Громадський бюджет 2027"), "[{bk}] {}", listed.text());
        let shown = chat(&olena, "chat", &[("press", "budget|c:1")]).await;
        assert!(last_message(&shown).contains(&format!("№{} ", n[3])), "[{bk}] {}", last_message(&shown));
        chat(&olena, "chat", &[("press", "budget|v:1")]).await;
        let empty = chat(&olena, "chat", &[("press", "budget|cast")]).await;
        assert!(empty.text().contains("Оберіть хоча б один проєкт"), "[{bk}] {}", empty.text());
        for number in [n[0], n[1], n[1], n[2]] {
            chat(&olena, "chat", &[("press", &format!("budget|t:{number}"))]).await;
        }
        let ticked = chat(&olena, "chat", &[("press", &format!("budget|t:{}", n[3]))]).await;
        assert!(last_message(&ticked).contains(&format!("☑ №{}", n[3])), "[{bk}] {}", last_message(&ticked));
        chat(&olena, "chat", &[("press", &format!("budget|t:{}", n[3]))]).await;
        let cast = chat(&olena, "chat", &[("press", "budget|cast")]).await;
        assert!(last_message(&cast).contains("бюлетень № 1"), "[{bk}] {}", last_message(&cast));
        let contest = store::contest_by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        let entries = store::chain(&app.db, c.id, contest.id, 0, 10).await.unwrap();
        assert_eq!(entries[0].choices, vec![n[0], n[2]], "[{bk}] the ticks as left");
        let again = chat(&olena, "chat", &[("press", "budget|v:1")]).await;
        assert!(last_message(&again).contains("Ви вже проголосували"), "[{bk}]");
        let results = chat(&olena, "chat", &[("press", "budget|r:1")]).await;
        assert!(last_message(&results).contains("Переможець"), "[{bk}] {}", last_message(&results));
    }
}

#[tokio::test]
async fn a_project_needs_its_supports_before_the_commission_may_admit_it() {
    let clock = Arc::new(FixedClock::new(march_first()));
    for app in apps(&clock).await {
        clock.set(march_first());
        let bk = app.backend;
        let c = app.community("sup").await;
        communities::set_statute(&app.db, c.id, "identity", serde_json::json!({ "budget.vote": "email" }))
            .await
            .unwrap();
        app.user(&c, "admin@sup.test", &[Role::Admin]).await;
        let admin = app.signed_in(&c, "admin@sup.test").await;
        let mut fields = CONTEST.to_vec();
        fields.push(("supports_needed", "2"));
        assert_eq!(
            admin.submit("/c/sup/admin/budget/new", "/c/sup/admin/budget/new", &fields).await.status,
            303,
            "[{bk}]"
        );
        let category =
            [("name", "Усі"), ("budget", "100000"), ("min_cost", "1000"), ("max_cost", "100000"), ("rule", "one")];
        admin.submit("/c/sup/admin/budget/1", "/c/sup/admin/budget/1/categories", &category).await;
        let contest = store::contest_by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        let k = store::categories(&app.db, c.id, contest.id).await.unwrap()[0].id.to_string();
        app.user(&c, "anna@sup.test", &[]).await;
        let anna = app.signed_in(&c, "anna@sup.test").await;
        let backed = project(&anna, "sup", &k, "Клумби біля ЦНАП", "Квіти; 100; 50").await;
        let lonely = project(&anna, "sup", &k, "Годинник на площі", "Годинник; 1; 20000").await;
        let page = format!("/c/sup/budget/projects/{backed}");
        // Her own project shows no button; a forged press is refused all the same.
        let own = anna.follow(anna.submit("/c/sup/budget/1/projects/new", &format!("{page}/support"), &[]).await).await;
        assert!(own.text().contains("Власний проєкт підтримати не можна"), "[{bk}]");
        // Thirty presses of one resident at once (as many as the rate limit lets through) are one support.
        app.user(&c, "borys@sup.test", &[]).await;
        let borys = app.signed_in(&c, "borys@sup.test").await;
        let shown = borys.get(&page).await;
        let token =
            hromada_testkit::browser::csrf_token(&shown.body).unwrap_or_else(|| panic!("[{bk}] {}", shown.text()));
        let mut presses = JoinSet::new();
        for _ in 0..30 {
            let (client, url, token) = (borys.client().clone(), app.url(&format!("{page}/support")), token.clone());
            presses.spawn(
                async move { client.post(url).form(&[("_csrf", token)]).send().await.unwrap().status().as_u16() },
            );
        }
        assert!(presses.join_all().await.iter().all(|s| *s == 303), "[{bk}]");
        let p = store::project_by_number(&app.db, c.id, backed).await.unwrap().unwrap();
        assert_eq!(p.supports, 1, "[{bk}]");
        app.user(&c, "vira@sup.test", &[]).await;
        let vira = app.signed_in(&c, "vira@sup.test").await;
        let backed_by_vira = vira.follow(vira.submit(&page, &format!("{page}/support"), &[]).await).await.text();
        assert!(backed_by_vira.contains("Підтримали: 2 з 2"), "[{bk}] {backed_by_vira}");
        let lonely_page = format!("/c/sup/budget/projects/{lonely}");
        vira.submit(&lonely_page, &format!("{lonely_page}/support"), &[]).await;

        // Review: the project with one support cannot be admitted; the other can.
        clock.set(day(4, 5));
        let admin = app.signed_in(&c, "admin@sup.test").await;
        let short =
            review(&admin, "sup", lonely, &[("action", "admit"), ("costs", "Годинник; 1; 20000"), ("note", "")]).await;
        assert_eq!(short.status, 422, "[{bk}]");
        assert!(short.text().contains("ще не зібрав потрібної"), "[{bk}]");
        let ok = review(&admin, "sup", backed, &[("action", "admit"), ("costs", "Квіти; 100; 50"), ("note", "")]).await;
        assert_eq!(ok.status, 303, "[{bk}]");
        let rejected = review(
            &admin,
            "sup",
            lonely,
            &[
                ("action", "reject"),
                ("costs", "Годинник; 1; 20000"),
                ("note", "Одна підтримка з двох."),
                ("reason", "not_enough_supports"),
            ],
        )
        .await;
        assert_eq!(rejected.status, 303, "[{bk}]");
        // Supporting is over once submission closes.
        app.user(&c, "late@sup.test", &[]).await;
        let late = app.signed_in(&c, "late@sup.test").await;
        let late = late.follow(late.submit("/c/sup/account", &format!("{page}/support"), &[]).await).await;
        assert!(late.text().contains("лише після подання"), "[{bk}]");
    }
}

#[tokio::test]
async fn authors_answer_the_contests_questions_add_images_and_co_authors() {
    let clock = Arc::new(FixedClock::new(march_first()));
    for app in apps(&clock).await {
        clock.set(march_first());
        let bk = app.backend;
        let c = app.community("ask").await;
        app.user(&c, "admin@ask.test", &[Role::Admin]).await;
        let admin = app.signed_in(&c, "admin@ask.test").await;
        let mut fields = CONTEST.to_vec();
        fields.push(("questionnaire", "пісня | Що?"));
        let bad = admin.submit("/c/ask/admin/budget/new", "/c/ask/admin/budget/new", &fields).await;
        assert_eq!(bad.status, 422, "[{bk}]");
        assert!(bad.text().contains("Рядок 1: вид питання"), "[{bk}]");
        fields.pop();
        fields.push((
            "questionnaire",
            "текст | Кому допоможе проєкт? | обов'язкове\nвибір | Тип проєкту | обов'язкове | освіта, спорт\nфайл | Погодження власника\nмісце | Точка входу",
        ));
        assert_eq!(
            admin.submit("/c/ask/admin/budget/new", "/c/ask/admin/budget/new", &fields).await.status,
            303,
            "[{bk}]"
        );
        let category =
            [("name", "Усі"), ("budget", "100000"), ("min_cost", "1000"), ("max_cost", "100000"), ("rule", "one")];
        admin.submit("/c/ask/admin/budget/1", "/c/ask/admin/budget/1/categories", &category).await;
        let contest = store::contest_by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        assert_eq!(contest.rules.questions.len(), 4, "[{bk}]");
        let k = store::categories(&app.db, c.id, contest.id).await.unwrap()[0].id.to_string();

        app.user(&c, "anna@ask.test", &[]).await;
        let borys = app.user(&c, "borys@ask.test", &[]).await;
        let anna = app.signed_in(&c, "anna@ask.test").await;
        let form = "/c/ask/budget/1/projects/new";
        let mut answer = vec![
            ("category", k.as_str()),
            ("title", "Пандус до бібліотеки"),
            ("summary", "Пандус і поручні."),
            ("body", "Бібліотека недоступна для людей на візках і батьків із візочками."),
            ("address", "вул. Бібліотечна, 2"),
            ("costs", "Пандус; 1; 45000"),
            ("q_q2", "спорт"),
            ("q_q4", "500, 30"),
            ("coauthors", "nobody@ask.test"),
            ("image_alt", ""),
        ];
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        let refused = anna
            .submit_files(form, "/c/ask/budget/1/projects", &answer, &[("image", "rampa.png", crate::bot::png())])
            .await;
        assert_eq!(refused.status, 422, "[{bk}]");
        let text = refused.text();
        assert!(text.contains("Це питання обов'язкове"), "[{bk}] {text}");
        assert!(text.contains("Широта від -90 до 90"), "[{bk}]");
        assert!(text.contains("Немає облікового запису з адресою nobody@ask.test"), "[{bk}]");
        assert!(text.contains("Опишіть, що на зображенні"), "[{bk}]");
        answer.retain(|(k, _)| !["q_q4", "coauthors", "image_alt"].contains(k));
        answer.extend([
            ("q_q1", "Людям на візках і батькам"),
            ("q_q4", "50.45, 30.52"),
            ("coauthors", "borys@ask.test"),
            ("image_alt", "Сходи бібліотеки без пандуса"),
        ]);
        let saved = anna
            .submit_files(
                form,
                "/c/ask/budget/1/projects",
                &answer,
                &[("image", "rampa.png", crate::bot::png()), ("q_q3", "pogodzhennia.pdf", pdf)],
            )
            .await;
        assert_eq!(saved.status, 303, "[{bk}] {}", saved.text());
        let href = saved.location().unwrap();
        // The co-author sees the draft, changes it and hands it in; the answers and the file stay.
        let b = app.signed_in(&c, "borys@ask.test").await;
        let edit = format!("{href}/edit");
        let mut changed = answer.clone();
        changed.retain(|(k, _)| *k != "image_alt" && *k != "coauthors");
        changed.push(("coauthors", "borys@ask.test"));
        for f in changed.iter_mut() {
            if f.0 == "summary" {
                f.1 = "Пандус і поручні до входу.";
            }
        }
        let edited = b.submit_files(&edit, &edit, &changed, &[]).await;
        assert_eq!(edited.status, 303, "[{bk}] {}", edited.text());
        assert_eq!(b.submit(&href, &format!("{href}/submit"), &[]).await.status, 303, "[{bk}]");
        let page = app.browser().get(&href).await;
        let html = page.html();
        let text = page.text();
        assert!(
            text.contains("Пандус і поручні до входу.") && text.contains("Співавтори: Тестовий borys"),
            "[{bk}] {text}"
        );
        assert!(text.contains("Кому допоможе проєкт?") && text.contains("Людям на візках і батькам"), "[{bk}]");
        assert!(text.contains("Тип проєкту") && text.contains("спорт") && text.contains("50.45, 30.52"), "[{bk}]");
        assert!(text.contains("pogodzhennia.pdf"), "[{bk}] the file answer is kept through the edit");
        assert!(html.contains("alt=\"Сходи бібліотеки без пандуса\""), "[{bk}]");
        // Submitted, the image is public like the project.
        let src = html.split("alt=\"Сходи бібліотеки без пандуса\"").next().unwrap().rsplit("src=\"").next().unwrap();
        let src = src.split('"').next().unwrap().replace("&#x2f;", "/");
        assert_eq!(app.browser().get(&src).await.status, 200, "[{bk}] {src}");
        let p = store::project_by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        assert_eq!(p.author_id, store::coauthored(&app.db, c.id, borys.id).await.unwrap()[0].author_id, "[{bk}]");
    }
}
