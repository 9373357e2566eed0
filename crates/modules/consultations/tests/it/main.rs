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
        texts_premoderated: false,
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

// ---------- counts kept as responses arrive ----------

fn text(s: &str) -> LocalizedText {
    LocalizedText::new(s, None)
}

/// A survey with a question of every type, and an "other" to write in.
fn every_type() -> Survey {
    let options = |values: &[&str]| -> Vec<Choice> {
        values.iter().map(|v| Choice { value: (*v).into(), label: text(v) }).collect()
    };
    let question = |key: &str, kind: QuestionKind| Question {
        key: key.into(),
        title: text(key),
        hint: None,
        required: false,
        section: 0,
        kind,
        show_when: None,
    };
    Survey {
        sections: vec![],
        questions: vec![
            question("transport", QuestionKind::Single { options: options(&["bus", "car", "bike"]), other: true }),
            question(
                "parks",
                QuestionKind::Multiple { options: options(&["a", "b", "c"]), other: false, min: 1, max: 3 },
            ),
            question("safety", QuestionKind::Scale { max: 5, low: text("-"), high: text("+") }),
            question("priorities", QuestionKind::Ranking { options: options(&["roads", "light", "water"]) }),
            question("children", QuestionKind::Number { min: None, max: None, whole: false }),
            question("moved", QuestionKind::Date { min: None, max: None }),
            question("street", QuestionKind::ShortText { max_chars: 100 }),
            question("why", QuestionKind::LongText { max_chars: 1000 }),
        ],
    }
}

fn new_survey(anonymous: bool, editable: bool, premoderated: bool) -> NewSurvey<'static> {
    NewSurvey {
        kind: SurveyKind::Survey,
        title: text("Місто"),
        definition: every_type(),
        texts_premoderated: premoderated,
        ..new_poll(anonymous, editable)
    }
}

/// The `i`-th plausible response, varied in every answer (the `version` changes it again).
fn varied(i: usize, version: usize) -> BTreeMap<String, Answer> {
    let k = i * 7 + version * 3;
    let mut a = BTreeMap::new();
    let transport = ["bus", "car", "bike", "other"][k % 4];
    let other = (transport == "other").then(|| format!("самокат {}", k % 5));
    a.insert("transport".to_owned(), Answer::Choices { values: vec![transport.into()], other });
    if !k.is_multiple_of(3) {
        let values: Vec<String> = ["a", "b", "c"].iter().take(1 + k % 3).map(|v| (*v).to_owned()).collect();
        a.insert("parks".to_owned(), Answer::Choices { values, other: None });
    }
    a.insert("safety".to_owned(), Answer::Scale((k % 5 + 1) as u8));
    let mut order: Vec<String> = ["roads", "light", "water"].iter().map(|v| (*v).to_owned()).collect();
    order.rotate_left(k % 3);
    a.insert("priorities".to_owned(), Answer::Ranking(order));
    a.insert("children".to_owned(), Answer::Number((k % 9) as f64 * 0.5));
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new((k % 40) as u64);
    a.insert("moved".to_owned(), Answer::Date(day));
    if k.is_multiple_of(2) {
        a.insert("street".to_owned(), Answer::Text(format!("вулиця {}", k % 6)));
    }
    a.insert("why".to_owned(), Answer::Text(format!("відповідь {i}, версія {version}")));
    a
}

const PLACES: [&str; 3] = ["Місто", "Село", "Хутір"];
const BANDS: [&str; 3] = ["18-29", "30-44", "60-plus"];

/// The stored counts equal a count of the responses themselves; and the texts kept apart are
/// the responses' own, one for each.
async fn assert_counted_exactly(db: &Db, survey: &store::StoredSurvey, b: &str) {
    let stored = store::stored_counts(db, survey).await.unwrap();
    let recounted = store::recount(db, survey).await.unwrap();
    assert_eq!(stored, recounted, "[{b}] stored counts differ from a recount");
    let mut from_responses: Vec<(String, String)> = vec![];
    for r in store::responses(db, survey).await.unwrap() {
        for (key, a) in r.answers.0.iter() {
            if let Some(t) = hromada_consultations::domain::free_text(a) {
                from_responses.push((key.clone(), t.to_owned()));
            }
        }
    }
    let mut kept: Vec<(String, String)> = store::texts_for_moderation(db, survey, "", None, i64::MAX, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.question, t.body))
        .collect();
    from_responses.sort();
    kept.sort();
    assert_eq!(kept, from_responses, "[{b}] the texts kept apart");
}

#[tokio::test]
async fn stored_counts_equal_a_recount_after_many_responses_and_changed_answers() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "counts").await;
        for anonymous in [false, true] {
            let id = store::create(&t.db, c, new_survey(anonymous, true, false), Utc::now()).await.unwrap();
            let survey = store::get(&t.db, c, id).await.unwrap().unwrap();
            for i in 0..60 {
                let key = format!("p:{i}");
                let who = Respondent { key: key.as_bytes(), settlement: PLACES[i % 3], age_band: BANDS[i % 3] };
                let first = store::respond(&t.db, &survey, &who, &varied(i, 0), Utc::now()).await.unwrap();
                assert_eq!(first, Outcome::Recorded, "[{b}]");
            }
            // A third change their answers, some twice, some moving to another settlement.
            for round in 1..3 {
                for i in (0..60).filter(|i| i % 3 == round % 3 || i % 7 == 0) {
                    let key = format!("p:{i}");
                    let who = Respondent {
                        key: key.as_bytes(),
                        settlement: PLACES[(i + round) % 3],
                        age_band: BANDS[(i + round) % 3],
                    };
                    let again = store::respond(&t.db, &survey, &who, &varied(i, round), Utc::now()).await.unwrap();
                    let expected = if anonymous { Outcome::AlreadyAnswered } else { Outcome::Replaced };
                    assert_eq!(again, expected, "[{b}] anonymous={anonymous}");
                }
            }
            assert_counted_exactly(&t.db, &survey, b).await;
            let counts = store::counts(&t.db, &survey).await.unwrap();
            assert_eq!(counts.respondents(), 60, "[{b}]");
            // The results read from the counts are those of the responses themselves.
            let rows = store::responses(&t.db, &survey).await.unwrap();
            for q in &survey.definition.questions {
                let mut from_responses = hromada_consultations::domain::tally(q, rows.iter().map(|r| &r.answers.0));
                if let hromada_consultations::domain::Tally::Choices { others, .. }
                | hromada_consultations::domain::Tally::Texts { texts: others, .. } = &mut from_responses
                {
                    others.clear();
                }
                assert_eq!(hromada_consultations::domain::tally_counted(q, &counts), from_responses, "[{b}] {}", q.key);
            }
        }
    }
}

#[tokio::test]
async fn responses_stored_in_parallel_are_all_counted_exactly() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "parallel").await;
        let id = store::create(&t.db, c, new_survey(false, true, false), Utc::now()).await.unwrap();
        let survey = store::get(&t.db, c, id).await.unwrap().unwrap();
        let mut handles = vec![];
        // 40 people, each sending twice at once (the second a changed answer), all together.
        for i in 0..80 {
            let (db, survey) = (t.db.clone(), survey.clone());
            handles.push(tokio::spawn(async move {
                let person = i % 40;
                let key = format!("p:{person}");
                let who = Respondent { key: key.as_bytes(), settlement: PLACES[i % 3], age_band: BANDS[person % 3] };
                store::respond(&db, &survey, &who, &varied(person, i / 40), Utc::now()).await.unwrap()
            }));
        }
        let mut outcomes = vec![];
        for h in handles {
            outcomes.push(h.await.unwrap());
        }
        assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Recorded).count(), 40, "[{b}]");
        assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Replaced).count(), 40, "[{b}]");
        assert_counted_exactly(&t.db, &survey, b).await;
        assert_eq!(store::counts(&t.db, &survey).await.unwrap().respondents(), 40, "[{b}]");

        // An anonymous one: 30 people at once, one of them three times.
        let id = store::create(&t.db, c, new_survey(true, false, false), Utc::now()).await.unwrap();
        let anonymous = store::get(&t.db, c, id).await.unwrap().unwrap();
        let mut handles = vec![];
        for i in 0..32 {
            let (db, survey) = (t.db.clone(), anonymous.clone());
            handles.push(tokio::spawn(async move {
                let key = format!("p:{}", i.min(29));
                let who = Respondent { key: key.as_bytes(), settlement: PLACES[i % 3], age_band: BANDS[i % 3] };
                store::respond(&db, &survey, &who, &varied(i, 0), Utc::now()).await.unwrap()
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        assert_counted_exactly(&t.db, &anonymous, b).await;
        assert_eq!(store::counts(&t.db, &anonymous).await.unwrap().respondents(), 30, "[{b}]");
    }
}

#[tokio::test]
async fn counts_never_outlive_the_questions_they_count() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "defs").await;
        let id = store::create(&t.db, c, new_survey(false, true, false), Utc::now()).await.unwrap();
        let before = store::get(&t.db, c, id).await.unwrap().unwrap();
        // The questions change before anyone answers …
        let mut fewer = every_type();
        fewer.questions.remove(0);
        assert!(store::set_definition(&t.db, c, id, &fewer).await.unwrap(), "[{b}]");
        // … while someone was answering the old ones: refused, nothing stored or counted.
        let who = Respondent { key: b"p:late", settlement: "Місто", age_band: "30-44" };
        assert_eq!(
            store::respond(&t.db, &before, &who, &varied(1, 0), Utc::now()).await.unwrap(),
            Outcome::Changed,
            "[{b}]"
        );
        let after = store::get(&t.db, c, id).await.unwrap().unwrap();
        assert!(store::responses(&t.db, &after).await.unwrap().is_empty(), "[{b}]");
        assert_eq!(store::stored_counts(&t.db, &after).await.unwrap(), Default::default(), "[{b}]");
        assert!(!store::has_answered(&t.db, &after, who.key).await.unwrap(), "[{b}]");
        let mut answers = varied(1, 0);
        answers.remove("transport");
        assert_eq!(store::respond(&t.db, &after, &who, &answers, Utc::now()).await.unwrap(), Outcome::Recorded);
        assert_counted_exactly(&t.db, &after, b).await;
        // Once answered, the questions stay.
        assert!(!store::set_definition(&t.db, c, id, &every_type()).await.unwrap(), "[{b}]");
    }
}

#[tokio::test]
async fn a_survey_answered_before_counts_were_kept_is_counted_once_when_read() {
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "legacy").await;
        let id = store::create(&t.db, c, new_survey(false, true, false), Utc::now()).await.unwrap();
        // Responses written as the earlier version did: no counts, no texts apart.
        for i in 0..12 {
            hromada_db::execute!(
                &t.db,
                sqlx::query(
                    "INSERT INTO survey_responses (community_id, survey_id, id, respondent_key, answers, settlement,
                                                   age_band, submitted_on)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, '2025-01-01')"
                )
                .bind(c)
                .bind(id)
                .bind(Uuid::now_v7())
                .bind(format!("p:{i}").into_bytes())
                .bind(sqlx::types::Json(varied(i, 0)))
                .bind(PLACES[i % 3])
                .bind(BANDS[i % 3])
            )
            .unwrap();
        }
        hromada_db::execute!(&t.db, sqlx::query("UPDATE surveys SET counted = FALSE WHERE id = $1").bind(id)).unwrap();
        let survey = store::get(&t.db, c, id).await.unwrap().unwrap();
        assert!(!survey.counted, "[{b}]");
        // One more through the new path before anyone reads the results, and one changed.
        let who = Respondent { key: b"p:new", settlement: "Село", age_band: "18-29" };
        store::respond(&t.db, &survey, &who, &varied(20, 0), Utc::now()).await.unwrap();
        let who = Respondent { key: b"p:3", settlement: "Село", age_band: "18-29" };
        assert_eq!(store::respond(&t.db, &survey, &who, &varied(3, 1), Utc::now()).await.unwrap(), Outcome::Replaced);
        assert_eq!(store::counts(&t.db, &survey).await.unwrap().respondents(), 13, "[{b}]");
        assert!(store::get(&t.db, c, id).await.unwrap().unwrap().counted, "[{b}]");
        assert_counted_exactly(&t.db, &survey, b).await;
    }
}

#[tokio::test]
async fn moderators_hide_and_approve_free_texts_which_keep_their_state_through_unchanged_edits() {
    use store::{Moderation, TextStatus};
    for t in databases().await {
        let b = t.backend_name();
        let c = community(&t.db, "texts").await;
        let id = store::create(&t.db, c, new_survey(false, true, false), Utc::now()).await.unwrap();
        let survey = store::get(&t.db, c, id).await.unwrap().unwrap();
        let who = Respondent { key: b"p:1", settlement: "Місто", age_band: "30-44" };
        store::respond(&t.db, &survey, &who, &varied(1, 0), Utc::now()).await.unwrap();
        let shown = store::published_texts(&t.db, &survey, "why", 10, 0).await.unwrap();
        assert_eq!(shown.len(), 1, "[{b}] published at once without approval");
        let text = shown[0].id;
        assert!(!store::moderate_text(&t.db, &survey, text, Moderation::Approve).await.unwrap(), "[{b}] not waiting");
        assert!(store::moderate_text(&t.db, &survey, text, Moderation::Hide(" образливо ")).await.unwrap());
        assert!(store::published_texts(&t.db, &survey, "why", 10, 0).await.unwrap().is_empty(), "[{b}]");
        let hidden = store::texts_for_moderation(&t.db, &survey, "why", Some(TextStatus::Hidden), 10, 0).await.unwrap();
        assert_eq!((hidden[0].id, hidden[0].moderation_note.as_deref()), (text, Some("образливо")), "[{b}]");
        // Sending the same text again does not bring it back; a new one is shown.
        let mut same = varied(1, 0);
        same.insert("safety".into(), Answer::Scale(1));
        assert_eq!(store::respond(&t.db, &survey, &who, &same, Utc::now()).await.unwrap(), Outcome::Replaced);
        assert!(store::published_texts(&t.db, &survey, "why", 10, 0).await.unwrap().is_empty(), "[{b}]");
        store::respond(&t.db, &survey, &who, &varied(1, 1), Utc::now()).await.unwrap();
        let shown = store::published_texts(&t.db, &survey, "why", 10, 0).await.unwrap();
        assert_eq!(shown.iter().map(|t| t.body.as_str()).collect::<Vec<_>>(), vec!["відповідь 1, версія 1"], "[{b}]");
        assert!(store::moderate_text(&t.db, &survey, shown[0].id, Moderation::Hide("ні")).await.unwrap());
        assert!(store::moderate_text(&t.db, &survey, shown[0].id, Moderation::Unhide).await.unwrap());
        assert_eq!(store::published_texts(&t.db, &survey, "why", 10, 0).await.unwrap().len(), 1, "[{b}]");

        // Approval first: nothing is shown until a moderator approves it.
        let id = store::create(&t.db, c, new_survey(true, false, true), Utc::now()).await.unwrap();
        let waiting = store::get(&t.db, c, id).await.unwrap().unwrap();
        for i in 0..3 {
            let key = format!("p:{i}");
            let who = Respondent { key: key.as_bytes(), settlement: "Місто", age_band: "30-44" };
            store::respond(&t.db, &waiting, &who, &varied(i, 0), Utc::now()).await.unwrap();
        }
        assert!(store::published_texts(&t.db, &waiting, "why", 10, 0).await.unwrap().is_empty(), "[{b}]");
        let pending =
            store::texts_for_moderation(&t.db, &waiting, "why", Some(TextStatus::Pending), 10, 0).await.unwrap();
        assert_eq!(pending.len(), 3, "[{b}]");
        assert!(store::moderate_text(&t.db, &waiting, pending[0].id, Moderation::Approve).await.unwrap());
        assert!(store::moderate_text(&t.db, &waiting, pending[1].id, Moderation::Hide("спам")).await.unwrap());
        assert_eq!(store::published_texts(&t.db, &waiting, "why", 10, 0).await.unwrap().len(), 1, "[{b}]");
        let mut unpublished = store::unpublished_texts(&t.db, &waiting).await.unwrap();
        unpublished.retain(|(q, _, _)| q == "why");
        unpublished.sort();
        assert_eq!(unpublished, vec![("why".into(), "hidden".into(), 1), ("why".into(), "pending".into(), 1)]);
        // Turned off: the waiting one is published, the hidden one stays hidden.
        let waiting = store::get(&t.db, c, id).await.unwrap().unwrap();
        assert!(store::set_texts_premoderated(&t.db, &waiting, false).await.unwrap() >= 1, "[{b}]");
        assert_eq!(store::published_texts(&t.db, &waiting, "why", 10, 0).await.unwrap().len(), 2, "[{b}]");
        // Nothing in the texts of an anonymous survey points back to who answered.
        let ids: Vec<(Uuid, Uuid)> = hromada_db::fetch_all!(
            &t.db,
            sqlx::query_as("SELECT id, response_id FROM survey_texts WHERE survey_id = $1").bind(id)
        )
        .unwrap();
        assert!(ids.iter().all(|(a, r)| a.get_version_num() == 4 && r.get_version_num() == 4), "[{b}] random ids");
    }
}
