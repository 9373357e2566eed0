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
