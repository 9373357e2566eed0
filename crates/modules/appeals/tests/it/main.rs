//! Appeals in the database, on SQLite and (when configured) PostgreSQL.

use chrono::{TimeZone, Utc};
use hromada_appeals::domain::{Action, ExtensionError, Kind, Status, Study};
use hromada_appeals::store::{self, NewAppeal, StepDetails, StepError};
use hromada_db::Db;
use hromada_db::testing::TestDb;
use hromada_kernel::WorkingCalendar;
use uuid::Uuid;

async fn databases() -> Vec<TestDb> {
    let mut migrations = hromada_db::migrate::core_migrations();
    migrations.extend(hromada_appeals::migrations());
    TestDb::each(&migrations).await
}

async fn community(db: &Db, slug: &str) -> Uuid {
    hromada_db::testing::community(db, slug, Utc::now()).await.id
}

fn appeal(author: Uuid) -> NewAppeal<'static> {
    NewAppeal {
        kind: Kind::Statement,
        author_id: author,
        full_name: "Коваленко Ганна Петрівна",
        settlement: "Сєвєродонецьк",
        street: "вул. Садова, 3",
        contact: "hanna@example.com",
        essence: "Прошу відновити освітлення біля будинку після ремонту мережі.",
        complaint_about: None,
        publish_consent: false,
        category: "utilities",
        submission_key: None,
        from_petition: None,
    }
}

#[tokio::test]
async fn numbers_run_per_community_and_year_without_gaps_even_at_once() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "numbers").await;
        let other = community(&t.db, "numbers-other").await;
        let calendar = WorkingCalendar::default();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let mut handles = vec![];
        for _ in 0..30 {
            let db = t.db.clone();
            let calendar = calendar.clone();
            handles.push(tokio::spawn(async move {
                store::register(&db, c, &appeal(Uuid::now_v7()), &calendar, now).await.unwrap().appeal.number
            }));
        }
        let mut numbers = vec![];
        for h in handles {
            numbers.push(h.await.unwrap());
        }
        numbers.sort();
        let expected: Vec<String> = (1..=30).map(|n| format!("Е-2026-{n:06}")).collect();
        assert_eq!(numbers, expected, "[{b}]");
        let first_elsewhere =
            store::register(&t.db, other, &appeal(Uuid::now_v7()), &calendar, now).await.unwrap().appeal;
        assert_eq!(first_elsewhere.number, "Е-2026-000001", "[{b}] each community counts its own");
        let next_year = Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).unwrap();
        let january = store::register(&t.db, c, &appeal(Uuid::now_v7()), &calendar, next_year).await.unwrap().appeal;
        assert_eq!(january.number, "Е-2027-000001", "[{b}] a new year starts again");
        let found = store::by_number(&t.db, c, "Е-2026-000007").await.unwrap().unwrap();
        assert_eq!((found.seq, found.year), (7, 2026), "[{b}]");
        assert!(store::by_number(&t.db, other, "Е-2026-000007").await.unwrap().is_none(), "[{b}] tenant isolation");
    }
}

#[tokio::test]
async fn the_workflow_keeps_the_legal_dates_and_its_timeline() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "flow").await;
        let calendar = WorkingCalendar::default();
        // Received on Monday 2 November 2026: 15 days → Tuesday 17th; a month → Wednesday 2 December.
        let received = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let author = Uuid::now_v7();
        let a = store::register(&t.db, c, &appeal(author), &calendar, received).await.unwrap().appeal;
        assert_eq!((a.status(), a.answer_due.to_string()), (Status::Registered, "2026-11-17".into()), "[{b}]");
        let officer = Uuid::now_v7();
        let department = Uuid::now_v7();
        let at = |day| Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap();

        let early = store::step(
            &t.db,
            c,
            a.id,
            Action::Answer,
            Some(officer),
            &StepDetails { note: "Так", ..Default::default() },
            &calendar,
            at(3),
        )
        .await;
        assert!(matches!(early, Err(StepError::Transition(_))), "[{b}] nobody has it yet");
        let assign = StepDetails { department: Some(department), officer: Some(officer), ..Default::default() };
        store::step(&t.db, c, a.id, Action::Assign, None, &assign, &calendar, at(3)).await.unwrap();
        let study = StepDetails { study: Some(Study::Needed), ..Default::default() };
        let started =
            store::step(&t.db, c, a.id, Action::Start, Some(officer), &study, &calendar, at(4)).await.unwrap();
        assert_eq!(started.answer_due.to_string(), "2026-12-02", "[{b}] a month with study");

        let too_long = StepDetails {
            extend_to: Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap()),
            note: "експертиза",
            ..Default::default()
        };
        let refused = store::step(&t.db, c, a.id, Action::Extend, Some(officer), &too_long, &calendar, at(20)).await;
        assert!(matches!(refused, Err(StepError::Extension(ExtensionError::PastLongest(_)))), "[{b}] 45 days at most");
        let unchanged = store::get(&t.db, c, a.id).await.unwrap().unwrap();
        assert_eq!(
            (unchanged.status(), unchanged.answer_due.to_string()),
            (Status::InProgress, "2026-12-02".into()),
            "[{b}] nothing half-done"
        );
        let extension = StepDetails {
            extend_to: Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()),
            note: "потрібен висновок експерта",
            ..Default::default()
        };
        let extended =
            store::step(&t.db, c, a.id, Action::Extend, Some(officer), &extension, &calendar, at(20)).await.unwrap();
        assert_eq!(
            (extended.status(), extended.answer_due.to_string()),
            (Status::Extended, "2026-12-15".into()),
            "[{b}]"
        );
        assert_eq!(extended.extension_reason.as_deref(), Some("потрібен висновок експерта"));

        let answer = StepDetails {
            note: "Освітлення відновлять до 10 грудня.", ..Default::default()
        };
        let answered =
            store::step(&t.db, c, a.id, Action::Answer, Some(officer), &answer, &calendar, at(25)).await.unwrap();
        assert_eq!(answered.status(), Status::Answered, "[{b}]");
        let rated = StepDetails { rating: Some(4), note: "Дякую", ..Default::default() };
        let closed = store::step(&t.db, c, a.id, Action::Close, Some(author), &rated, &calendar, at(26)).await.unwrap();
        assert_eq!((closed.status(), closed.rating), (Status::Closed, Some(4)), "[{b}]");

        let steps: Vec<String> = store::timeline(&t.db, c, a.id).await.unwrap().into_iter().map(|e| e.status).collect();
        assert_eq!(steps, ["registered", "assigned", "in_progress", "extended", "answered", "closed"], "[{b}]");
        assert_eq!(store::of_author(&t.db, c, author).await.unwrap().len(), 1, "[{b}]");
        assert!(store::open(&t.db, c, 10).await.unwrap().is_empty(), "[{b}] nothing left in the inbox");
    }
}

#[tokio::test]
async fn forwarding_and_returning_need_their_particulars() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "forward").await;
        let calendar = WorkingCalendar::default();
        let now = Utc::now();
        let a = store::register(&t.db, c, &appeal(Uuid::now_v7()), &calendar, now).await.unwrap().appeal;
        let nowhere = store::step(&t.db, c, a.id, Action::Forward, None, &StepDetails::default(), &calendar, now).await;
        assert!(matches!(nowhere, Err(StepError::Incomplete("forwarded_to"))), "[{b}]");
        let to = StepDetails {
            forwarded_to: Some("Головне управління Пенсійного фонду"),
            note: "питання пенсій",
            ..Default::default()
        };
        let forwarded = store::step(&t.db, c, a.id, Action::Forward, None, &to, &calendar, now).await.unwrap();
        assert_eq!(
            (forwarded.status(), forwarded.forwarded_to.as_deref()),
            (Status::Forwarded, Some("Головне управління Пенсійного фонду")),
            "[{b}]"
        );

        let second = store::register(&t.db, c, &appeal(Uuid::now_v7()), &calendar, now).await.unwrap().appeal;
        let silent =
            store::step(&t.db, c, second.id, Action::Return, None, &StepDetails::default(), &calendar, now).await;
        assert!(matches!(silent, Err(StepError::Incomplete("note"))), "[{b}] a return says why");
        assert_eq!(store::open(&t.db, c, 10).await.unwrap().len(), 1, "[{b}] the second is still open");
    }
}

#[tokio::test]
async fn both_backends_get_the_same_appeal_tables() {
    let dbs = databases().await;
    let mut outlines = vec![];
    for t in &dbs {
        let mut outline = hromada_db::migrate::schema_outline(&t.db).await.unwrap();
        outline.retain(|(table, _)| table.starts_with("appeal"));
        outlines.push(outline);
    }
    assert!(outlines[0].contains(&("appeals".to_owned(), "answer_due".to_owned())));
    if let [lite, pg] = outlines.as_slice() {
        assert_eq!(lite, pg);
    }
}
