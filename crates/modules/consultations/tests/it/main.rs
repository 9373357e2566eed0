//! Surveys and responses in the database, on SQLite and (when configured) PostgreSQL.

use chrono::{Duration, Utc};
use hromada_consultations::domain::{Answer, Choice, Question, QuestionKind, Survey};
use hromada_consultations::store::{self, NewSurvey, Outcome, Respondent, SaveError, SurveyKind};
use hromada_db::Db;
use hromada_db::testing::TestDb;
use hromada_kernel::LocalizedText;
use std::collections::BTreeMap;
use uuid::Uuid;

async fn databases() -> Vec<TestDb> {
    let mut migrations = hromada_db::migrate::core_migrations();
    migrations.extend(hromada_consultations::migrations());
    TestDb::each(&migrations).await
}

async fn community(db: &Db, slug: &str) -> Uuid {
    hromada_db::testing::community(db, slug, Utc::now()).await.id
}

fn poll_question() -> Survey {
    let option = |v: &str| Choice { value: v.into(), label: LocalizedText::new(v, None) };
    Survey {
        sections: vec![],
        questions: vec![Question {
            key: "park".into(),
            title: LocalizedText::new("Де облаштувати новий сквер?", None),
            hint: None,
            required: true,
            section: 0,
            kind: QuestionKind::Single { options: vec![option("center"), option("river")], other: false },
            show_when: None,
        }],
    }
}

fn new_poll(anonymous: bool, editable: bool) -> NewSurvey<'static> {
    NewSurvey {
        kind: SurveyKind::Poll,
        title: LocalizedText::new("Новий сквер", None),
        description: "",
        definition: poll_question(),
        opens_at: Utc::now() - Duration::hours(1),
        closes_at: Utc::now() + Duration::days(7),
        editable,
        anonymous,
        results_after_close: false,
        eligibility: hromada_kernel::Eligibility::default(),
        created_by: None,
    }
}

fn answer(v: &str) -> BTreeMap<String, Answer> {
    BTreeMap::from([("park".to_owned(), Answer::Choices { values: vec![v.into()], other: None })])
}

#[tokio::test]
async fn one_response_per_person_even_when_sent_many_times_at_once() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "poll").await;
        for anonymous in [false, true] {
            let id = store::create(&t.db, c, new_poll(anonymous, false), Utc::now()).await.unwrap();
            let survey = store::get(&t.db, c, id).await.unwrap().unwrap();
            let mut handles = vec![];
            for _ in 0..20 {
                let (db, survey) = (t.db.clone(), survey.clone());
                handles.push(tokio::spawn(async move {
                    let who = Respondent { key: b"p:same-person", settlement: "Місто", age_band: "30-44" };
                    store::respond(&db, &survey, &who, &answer("river"), Utc::now()).await.unwrap()
                }));
            }
            let mut outcomes = vec![];
            for h in handles {
                outcomes.push(h.await.unwrap());
            }
            assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Recorded).count(), 1, "[{b}] anonymous={anonymous}");
            assert!(outcomes.iter().all(|o| matches!(o, Outcome::Recorded | Outcome::AlreadyAnswered)), "[{b}]");
            assert_eq!(store::responses(&t.db, &survey).await.unwrap().len(), 1, "[{b}] anonymous={anonymous}");
            assert!(store::has_answered(&t.db, &survey, b"p:same-person").await.unwrap(), "[{b}]");
            assert!(!store::has_answered(&t.db, &survey, b"p:someone-else").await.unwrap(), "[{b}]");
        }
    }
}

#[tokio::test]
async fn editable_responses_are_replaced_and_anonymous_ones_are_never_tied_to_anyone() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "edit").await;
        let who = Respondent { key: b"u:account", settlement: "Село", age_band: "18-29" };

        let id = store::create(&t.db, c, new_poll(false, true), Utc::now()).await.unwrap();
        let named = store::get(&t.db, c, id).await.unwrap().unwrap();
        assert_eq!(
            store::respond(&t.db, &named, &who, &answer("center"), Utc::now()).await.unwrap(),
            Outcome::Recorded
        );
        assert_eq!(store::respond(&t.db, &named, &who, &answer("river"), Utc::now()).await.unwrap(), Outcome::Replaced);
        assert_eq!(store::own_answers(&t.db, &named, who.key).await.unwrap(), Some(answer("river")), "[{b}]");
        assert_eq!(store::responses(&t.db, &named).await.unwrap().len(), 1, "[{b}]");

        // Anonymous: never editable, and the stored answers carry no key.
        let id = store::create(&t.db, c, new_poll(true, true), Utc::now()).await.unwrap();
        let anonymous = store::get(&t.db, c, id).await.unwrap().unwrap();
        assert!(!anonymous.editable, "[{b}]");
        store::respond(&t.db, &anonymous, &who, &answer("center"), Utc::now()).await.unwrap();
        assert_eq!(
            store::respond(&t.db, &anonymous, &who, &answer("river"), Utc::now()).await.unwrap(),
            Outcome::AlreadyAnswered
        );
        assert_eq!(store::own_answers(&t.db, &anonymous, who.key).await.unwrap(), None, "[{b}]");
        let keys: Vec<(Option<Vec<u8>>,)> = hromada_db::fetch_all!(
            &t.db,
            sqlx::query_as("SELECT respondent_key FROM survey_responses WHERE survey_id = $1").bind(anonymous.id)
        )
        .unwrap();
        assert_eq!(keys, vec![(None,)], "[{b}]");
        let rows = store::responses(&t.db, &anonymous).await.unwrap();
        assert_eq!((rows[0].settlement.as_str(), rows[0].answers.0.clone()), ("Село", answer("center")), "[{b}]");
    }
}

#[tokio::test]
async fn bad_surveys_are_refused_and_open_ones_listed() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "bad").await;
        let mut two = new_poll(false, false);
        let mut second = two.definition.questions[0].clone();
        second.key = "other".into();
        two.definition.questions.push(second);
        assert!(matches!(store::create(&t.db, c, two, Utc::now()).await, Err(SaveError::NotAPoll)), "[{b}]");
        let mut backwards = new_poll(false, false);
        backwards.closes_at = backwards.opens_at;
        assert!(matches!(store::create(&t.db, c, backwards, Utc::now()).await, Err(SaveError::Dates)), "[{b}]");
        let mut later = new_poll(false, false);
        later.opens_at = Utc::now() + Duration::days(1);
        later.closes_at = Utc::now() + Duration::days(2);
        store::create(&t.db, c, later, Utc::now()).await.unwrap();
        let now_open = store::create(&t.db, c, new_poll(false, false), Utc::now()).await.unwrap();
        let open = store::open(&t.db, c, SurveyKind::Poll, Utc::now()).await.unwrap();
        assert_eq!(open.iter().map(|s| s.id).collect::<Vec<_>>(), vec![now_open], "[{b}]");
        assert!(store::open(&t.db, c, SurveyKind::Survey, Utc::now()).await.unwrap().is_empty(), "[{b}]");
    }
}

#[tokio::test]
async fn a_draft_decision_collects_moderated_comments_stances_and_gets_its_report() {
    use hromada_consultations::drafts::{self, Decision, DraftError, Section};
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "draft").await;
        let now = Utc::now();
        let sections = vec![
            Section {
                title: "1. Загальні положення".into(), text: "Рішення визначає правила благоустрою.".into()
            },
            Section { title: "2. Тиша".into(), text: "Тиша з 22:00 до 7:00.".into() },
        ];
        let title = LocalizedText::new("Правила благоустрою", None);
        assert!(matches!(
            drafts::create(&t.db, c, title.clone(), "", &[], now, now + Duration::days(7), None, now).await,
            Err(DraftError::Empty)
        ));
        let id = drafts::create(
            &t.db,
            c,
            title,
            "Проєкт рішення",
            &sections,
            now - Duration::hours(1),
            now + Duration::days(7),
            None,
            now,
        )
        .await
        .unwrap();
        let draft = drafts::get(&t.db, c, id).await.unwrap().unwrap();
        let author = Uuid::now_v7();
        let proposal = drafts::comment(&t.db, &draft, 1, None, author, "Коваленко Г.", "Пропоную тишу з 23:00.", now)
            .await
            .unwrap();
        assert!(matches!(
            drafts::comment(&t.db, &draft, 5, None, author, "Коваленко Г.", "Не той розділ", now).await,
            Err(DraftError::NoSection)
        ));
        // Waiting for moderation: not shown, and not to be replied to yet.
        assert!(drafts::comments(&t.db, &draft, true).await.unwrap().is_empty(), "[{b}]");
        assert!(matches!(
            drafts::comment(&t.db, &draft, 1, Some(proposal), author, "Б.", "Згоден", now).await,
            Err(DraftError::BadParent)
        ));
        assert!(drafts::moderate(&t.db, &draft, proposal, true, "").await.unwrap());
        let reply = drafts::comment(&t.db, &draft, 1, Some(proposal), Uuid::now_v7(), "Бондар О.", "Згоден", now)
            .await
            .unwrap();
        drafts::moderate(&t.db, &draft, reply, true, "").await.unwrap();
        assert!(
            matches!(
                drafts::comment(&t.db, &draft, 1, Some(reply), author, "В.", "Відповідь на відповідь", now).await,
                Err(DraftError::BadParent)
            ),
            "[{b}] one level of replies"
        );
        // One stance per person, even sent many times at once; a new stance replaces the old.
        let mut handles = vec![];
        for _ in 0..10 {
            let (db, draft) = (t.db.clone(), draft.clone());
            handles.push(tokio::spawn(async move {
                drafts::take_stance(&db, &draft, proposal, b"p:one", true).await.unwrap()
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        drafts::take_stance(&t.db, &draft, proposal, b"p:two", true).await.unwrap();
        drafts::take_stance(&t.db, &draft, proposal, b"p:two", false).await.unwrap();
        let shown = drafts::comments(&t.db, &draft, true).await.unwrap();
        let p = shown.iter().find(|x| x.id == proposal).unwrap();
        assert_eq!((p.supports, p.opposes), (1, 1), "[{b}]");
        assert!(drafts::reply(&t.db, &draft, proposal, Uuid::now_v7(), "Розглянемо на комісії.").await.unwrap());

        // The report: only after closing, and only when every proposal has its decision.
        assert!(matches!(drafts::publish_report(&t.db, &draft, now).await, Err(DraftError::Closed)), "[{b}]");
        let later = now + Duration::days(8);
        assert_eq!(drafts::publish_report(&t.db, &draft, later).await.unwrap(), vec![proposal], "[{b}]");
        assert!(matches!(
            drafts::decide(&t.db, &draft, proposal, Decision::Rejected, " ").await,
            Err(DraftError::NeedsReason)
        ));
        assert!(
            matches!(drafts::decide(&t.db, &draft, reply, Decision::Accepted, "").await, Err(DraftError::BadParent)),
            "[{b}] replies are not proposals"
        );
        drafts::decide(&t.db, &draft, proposal, Decision::Partly, "Тиша з 22:30.").await.unwrap();
        assert!(drafts::publish_report(&t.db, &draft, later).await.unwrap().is_empty(), "[{b}]");
        let published = drafts::get(&t.db, c, id).await.unwrap().unwrap();
        assert!(published.report_published_at.is_some(), "[{b}]");
        assert!(matches!(
            drafts::decide(&t.db, &published, proposal, Decision::Accepted, "").await,
            Err(DraftError::ReportPublished)
        ));
    }
}
