//! Surveys and quick polls through the pages: an official builds a survey with every question
//! type and a condition, residents answer, the results count them; a poll runs on the home page.

use hromada_consultations::store::{self, SurveyKind};
use hromada_db::core::communities::Community;
use hromada_db::core::users;
use hromada_kernel::Role;
use hromada_testkit::{Browser, TestApp, spawn_apps};

fn tomorrow(app: &TestApp) -> String {
    (app.now() + chrono::Duration::days(1)).date_naive().to_string()
}

fn today(app: &TestApp) -> String {
    app.now().date_naive().to_string()
}

/// Creates a survey through the admin form with its first question; gives the builder's path.
async fn create(app: &TestApp, admin: &Browser, slug: &str, fields: &[(&str, &str)]) -> String {
    let (opens, closes) = (today(app), tomorrow(app));
    let mut all = vec![("opens", opens.as_str()), ("closes", closes.as_str())];
    all.extend_from_slice(fields);
    let admin_path = format!("/c/{slug}/admin/consultations");
    let created = admin.submit(&admin_path, &admin_path, &all).await;
    assert_eq!(created.status, 303, "[{}] {}", app.backend, created.text());
    let location = created.location().unwrap();
    assert!(location.starts_with(&format!("{admin_path}/")), "[{}] {location}", app.backend);
    location
}

async fn add(app: &TestApp, admin: &Browser, builder: &str, fields: &[(&str, &str)]) {
    let added = admin.follow(admin.submit(builder, &format!("{builder}/questions"), fields).await).await;
    assert!(added.text().contains("Збережено"), "[{}] {:?}: {}", app.backend, fields, added.text());
}

async fn setup(app: &TestApp, slug: &str) -> (Community, Browser) {
    let c = app.community(slug).await;
    app.user(&c, &format!("admin@{slug}.test"), &[Role::Admin]).await;
    let admin = app.signed_in(&c, &format!("admin@{slug}.test")).await;
    (c, admin)
}

#[tokio::test]
async fn a_survey_with_every_question_type_is_built_answered_and_counted() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "sv").await;
        let builder = create(
            &app,
            &admin,
            "sv",
            &[
                ("kind", "survey"),
                ("title", "Транспорт у громаді"),
                ("q_title", "Як ви добираєтеся на роботу?"),
                ("q_type", "single"),
                ("q_options", "Автобус\nАвто\nВелосипед"),
                ("q_other", "yes"),
                ("q_required", "yes"),
            ],
        )
        .await;
        // A condition: only for those who drive.
        add(
            &app,
            &admin,
            &builder,
            &[("q_title", "Чому авто?"), ("q_type", "long_text"), ("q_condition", "q1=o2"), ("q_required", "yes")],
        )
        .await;
        add(
            &app,
            &admin,
            &builder,
            &[
                ("q_title", "Які парки відвідуєте?"),
                ("q_type", "multiple"),
                ("q_options", "Центральний\nПрибережний\nШкільний"),
                ("q_min", "1"),
                ("q_max", "2"),
                ("q_section", "Дозвілля"),
            ],
        )
        .await;
        add(
            &app,
            &admin,
            &builder,
            &[
                ("q_title", "Наскільки безпечно ввечері?"),
                ("q_type", "scale"),
                ("q_max", "5"),
                ("q_low", "Небезпечно"),
                ("q_high", "Безпечно"),
                ("q_required", "yes"),
            ],
        )
        .await;
        add(
            &app,
            &admin,
            &builder,
            &[
                ("q_title", "Що ремонтувати першим?"),
                ("q_type", "ranking"),
                ("q_options", "Дороги\nОсвітлення\nВодогін"),
            ],
        )
        .await;
        add(
            &app,
            &admin,
            &builder,
            &[
                ("q_title", "Скільки дітей у сім'ї?"),
                ("q_type", "number"),
                ("q_min", "0"),
                ("q_max", "20"),
                ("q_whole", "yes"),
            ],
        )
        .await;
        add(&app, &admin, &builder, &[("q_title", "Коли ви переїхали?"), ("q_type", "date")]).await;
        add(&app, &admin, &builder, &[("q_title", "Ваша вулиця"), ("q_type", "short_text"), ("q_max", "60")]).await;
        // A condition that looks forward is refused with its reason.
        let bad = admin
            .follow(
                admin
                    .submit(
                        &builder,
                        &format!("{builder}/questions"),
                        &[("q_title", "Неможливе"), ("q_type", "scale"), ("q_max", "7")],
                    )
                    .await,
            )
            .await;
        assert!(bad.text().contains("Межі питання неможливі"), "[{b}]");

        let survey = store::open(&app.db, c.id, SurveyKind::Survey, app.now()).await.unwrap().remove(0);
        assert_eq!(survey.definition.questions.len(), 8, "[{b}]");
        let page = format!("/c/sv/surveys/{}", survey.id);

        for (i, transport) in ["o1", "o2", "o2", "o1", "o1", "o3"].iter().enumerate() {
            let email = format!("r{i}@sv.test");
            app.user(&c, &email, &[]).await;
            let r = app.signed_in(&c, &email).await;
            if i == 1 {
                // Chose the car but did not say why: the form comes back with the reason.
                let refused = r.submit(&page, &page, &[("q.q1", "o2"), ("q.q4", "3")]).await;
                assert_eq!(refused.status, 422, "[{b}]");
                assert!(refused.text().contains("Це питання обов'язкове"), "[{b}]");
                let wrong = r
                    .submit(
                        &page,
                        &page,
                        &[("q.q1", "o1"), ("q.q4", "3"), ("q.q3", "o1"), ("q.q3", "o2"), ("q.q3", "o3")],
                    )
                    .await;
                assert!(wrong.text().contains("Забагато варіантів"), "[{b}]");
            }
            let mut fields = vec![
                ("q.q1", *transport),
                ("q.q4", "4"),
                ("q.q3", "o1"),
                ("q.q6", "2"),
                ("q.q7", "2020-05-01"),
                ("q.q8", "Садова"),
            ];
            fields.extend([("q.q5.rank.o2", "1"), ("q.q5.rank.o1", "2"), ("q.q5.rank.o3", "3")]);
            if *transport == "o2" {
                fields.push(("q.q2", "Автобус ходить раз на годину"));
            }
            let sent = r.submit(&page, &page, &fields).await;
            assert_eq!(sent.status, 303, "[{b}] {}", sent.text());
            let again = r.follow(r.submit(&page, &page, &fields).await).await;
            assert!(again.text().contains("Ви вже відповіли"), "[{b}]");
        }

        let results = admin.get(&format!("{page}/results")).await;
        assert_eq!(results.status, 200, "[{b}]");
        let text = results.text();
        assert!(text.contains("6 учасників"), "[{b}] {text}");
        assert!(text.contains("Автобус ходить раз на годину"), "[{b}] the texts are listed");
        assert!(text.contains("Середнє: 4"), "[{b}] the scale's mean");
        // Everyone put lighting first: 2 points each, 12 in all.
        assert!(text.contains("Освітлення 12"), "[{b}] {text}");
        let csv = admin.get(&format!("{page}/results.csv")).await;
        assert!(csv.body.contains("Як ви добираєтеся на роботу?,Автобус,3"), "[{b}] {}", csv.body);
        // The questions are locked once answered.
        assert!(admin.get(&builder).await.text().contains("Питання не можна змінювати"), "[{b}]");
    }
}

#[tokio::test]
async fn a_quick_poll_runs_on_the_home_page_one_vote_per_person() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "qp").await;
        create(
            &app,
            &admin,
            "qp",
            &[
                ("kind", "poll"),
                ("title", "Новий сквер"),
                ("q_title", "Де облаштувати сквер?"),
                ("q_type", "single"),
                ("q_options", "У центрі\nБіля річки"),
                ("q_required", "yes"),
            ],
        )
        .await;
        let home = app.browser().get("/c/qp/").await.text();
        assert!(home.contains("Де облаштувати сквер?") && home.contains("Увійдіть, щоб відповісти"), "[{b}]");
        app.user(&c, "v@qp.test", &[]).await;
        let voter = app.signed_in(&c, "v@qp.test").await;
        let poll = store::open(&app.db, c.id, SurveyKind::Poll, app.now()).await.unwrap().remove(0);
        let action = format!("/c/qp/surveys/{}", poll.id);
        let token = hromada_testkit::browser::csrf_token(&voter.get("/c/qp/").await.body).unwrap();
        let url = app.url(&action);
        let form = [("q.q1", "o2"), ("_csrf", token.as_str())];
        let sends = (0..10).map(|_| voter.client().post(&url).form(&form).send());
        for reply in futures::future::join_all(sends).await {
            assert_eq!(reply.unwrap().status(), 303, "[{b}]");
        }
        assert_eq!(store::responses(&app.db, &poll).await.unwrap().len(), 1, "[{b}] one vote however often sent");
        let home = voter.get("/c/qp/").await.text();
        assert!(home.contains("Біля річки: 100%"), "[{b}] {home}");
    }
}

#[tokio::test]
async fn results_shown_only_after_closing_stay_hidden_until_then() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "rc").await;
        let builder = create(
            &app,
            &admin,
            "rc",
            &[
                ("kind", "survey"),
                ("title", "Бюджет"),
                ("results_after_close", "yes"),
                ("anonymous", "yes"),
                ("q_title", "Чи згодні?"),
                ("q_type", "single"),
                ("q_options", "Так\nНі"),
            ],
        )
        .await;
        let survey = store::open(&app.db, c.id, SurveyKind::Survey, app.now()).await.unwrap().remove(0);
        let page = format!("/c/rc/surveys/{}", survey.id);
        app.user(&c, "x@rc.test", &[]).await;
        let x = app.signed_in(&c, "x@rc.test").await;
        assert_eq!(x.submit(&page, &page, &[("q.q1", "o1")]).await.status, 303, "[{b}]");
        assert_eq!(x.get(&format!("{page}/results")).await.status, 403, "[{b}] not before it closes");
        let closed = admin.submit(&builder, &format!("{builder}/close"), &[]).await;
        assert_eq!(closed.status, 303, "[{b}]");
        let results = x.get(&format!("{page}/results")).await;
        assert_eq!(results.status, 200, "[{b}]");
        assert!(results.text().contains("1 учасник"), "[{b}]");
        let json = x.get(&format!("{page}/results.json")).await.json();
        assert_eq!(json["respondents"], 1, "[{b}]");
        assert_eq!(
            json["questions"][0]["results"]["counts"],
            serde_json::json!([["o1", 1], ["o2", 0]]),
            "[{b}] {json}"
        );
    }
}

#[tokio::test]
async fn age_and_residency_rules_refuse_with_the_reason() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "el").await;
        create(
            &app,
            &admin,
            "el",
            &[
                ("kind", "survey"),
                ("title", "Для дорослих мешканців"),
                ("min_age", "18"),
                ("residents_only", "yes"),
                ("q_title", "Чи згодні?"),
                ("q_type", "single"),
                ("q_options", "Так\nНі"),
            ],
        )
        .await;
        let survey = store::open(&app.db, c.id, SurveyKind::Survey, app.now()).await.unwrap().remove(0);
        assert_eq!(survey.eligibility().min_age, 18, "[{b}]");
        let page = format!("/c/el/surveys/{}", survey.id);
        let user = app.user(&c, "y@el.test", &[]).await;
        let y = app.signed_in(&c, "y@el.test").await;
        assert!(y.get(&page).await.text().contains("Для тих, кому виповнилося 18"), "[{b}]");
        let refused = y.follow(y.submit(&page, &page, &[("q.q1", "o1")]).await).await;
        assert!(refused.text().contains("укажіть рік народження"), "[{b}]");
        let settlement = hromada_db::core::settlements::list(&app.db, c.id).await.unwrap().remove(0);
        let profile =
            users::Profile { full_name: &user.full_name, settlement_id: None, birth_year: Some(2015), lang: "uk" };
        users::update_profile(&app.db, c.id, user.id, profile).await.unwrap();
        let refused = y.follow(y.submit(&page, &page, &[("q.q1", "o1")]).await).await;
        assert!(refused.text().contains("для старших за віком"), "[{b}]");
        let profile = users::Profile { birth_year: Some(1990), ..profile };
        users::update_profile(&app.db, c.id, user.id, profile).await.unwrap();
        let refused = y.follow(y.submit(&page, &page, &[("q.q1", "o1")]).await).await;
        assert!(refused.text().contains("лише для мешканців"), "[{b}]");
        let profile = users::Profile { settlement_id: Some(settlement.id), ..profile };
        users::update_profile(&app.db, c.id, user.id, profile).await.unwrap();
        let accepted = y.follow(y.submit(&page, &page, &[("q.q1", "o1")]).await).await;
        assert!(accepted.text().contains("Відповідь збережено"), "[{b}]");
    }
}

#[tokio::test]
async fn a_draft_decision_is_commented_moderated_decided_and_reported() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "dd").await;
        let (opens, closes) = (today(&app), tomorrow(&app));
        let text = "Вступ.\n## 1. Тиша\nТиша з 22:00 до 7:00.\n## 2. Паркування\nНе паркуватися на газонах.";
        let created = admin
            .submit(
                "/c/dd/admin/consultations/drafts",
                "/c/dd/admin/consultations/drafts",
                &[("title", "Правила благоустрою"), ("text", text), ("opens", &opens), ("closes", &closes)],
            )
            .await;
        assert_eq!(created.status, 303, "[{b}] {}", created.text());
        let admin_page = created.location().unwrap();
        let id = admin_page.rsplit('/').next().unwrap().to_owned();
        let page = format!("/c/dd/consultations/{id}");
        app.user(&c, "r@dd.test", &[]).await;
        let r = app.signed_in(&c, "r@dd.test").await;
        let shown = r.get(&page).await.text();
        assert!(shown.contains("1. Тиша") && shown.contains("Не паркуватися на газонах"), "[{b}]");
        let sent = r
            .follow(
                r.submit(&page, &format!("{page}/comments"), &[("section", "1"), ("body", "Пропоную тишу з 23:00.")])
                    .await,
            )
            .await;
        assert!(sent.text().contains("після перевірки модератором"), "[{b}]");
        assert!(!sent.text().contains("Пропоную тишу з 23:00."), "[{b}] not before moderation");
        let draft_id = uuid::Uuid::parse_str(&id).unwrap();
        let draft = hromada_consultations::drafts::get(&app.db, c.id, draft_id).await.unwrap().unwrap();
        let comment = hromada_consultations::drafts::comments(&app.db, &draft, false).await.unwrap().remove(0);
        let publish = admin.submit(&admin_page, &format!("{admin_page}/comments/{}/publish", comment.id), &[]).await;
        assert_eq!(publish.status, 303, "[{b}]");
        let supported = r
            .follow(r.submit(&page, &format!("{page}/comments/{}/stance", comment.id), &[("support", "yes")]).await)
            .await;
        assert!(supported.text().contains("Підтримали: 1"), "[{b}]");
        admin
            .submit(&admin_page, &format!("{admin_page}/comments/{}/reply", comment.id), &[("text", "Розглянемо.")])
            .await;
        let refused = admin
            .follow(
                admin
                    .submit(
                        &admin_page,
                        &format!("{admin_page}/comments/{}/decide", comment.id),
                        &[("decision", "rejected"), ("text", "")],
                    )
                    .await,
            )
            .await;
        assert!(refused.text().contains("потрібне обґрунтування"), "[{b}]");
        admin
            .submit(
                &admin_page,
                &format!("{admin_page}/comments/{}/decide", comment.id),
                &[("decision", "partly"), ("text", "Тиша з 22:30.")],
            )
            .await;
        // The period ends; then the report.
        hromada_db::execute!(
            &app.db,
            sqlx::query("UPDATE consultation_drafts SET closes_at = $2 WHERE id = $1")
                .bind(draft_id)
                .bind(app.now() - chrono::Duration::minutes(1))
        )
        .unwrap();
        let reported = admin.follow(admin.submit(&admin_page, &format!("{admin_page}/report"), &[]).await).await;
        assert!(reported.text().contains("Звіт оприлюднено"), "[{b}] {}", reported.text());
        let public = app.browser().get(&page).await.text();
        assert!(
            public.contains("Звіт про обговорення")
                && public.contains("Враховано частково")
                && public.contains("Тиша з 22:30."),
            "[{b}]"
        );
        let csv = app.browser().get(&format!("{page}/report.csv")).await;
        assert!(csv.body.contains("Пропоную тишу з 23:00.") && csv.body.contains("Враховано частково"), "[{b}]");
    }
}

/// A survey of a text question and a choice with "other", answered by `n` residents through
/// the store; gives its id. The `i`-th long text is "Відповідь i", the first one's rude.
async fn texts_survey(app: &TestApp, admin: &Browser, c: &Community, premoderated: bool, n: usize) -> uuid::Uuid {
    let slug = c.slug.as_str();
    let mut fields = vec![
        ("kind", "survey"),
        ("title", "Парк біля річки"),
        ("q_title", "Що додати в парку?"),
        ("q_type", "long_text"),
    ];
    if premoderated {
        fields.push(("texts_premoderated", "yes"));
    }
    let builder = create(app, admin, slug, &fields).await;
    add(
        app,
        admin,
        &builder,
        &[("q_title", "Як добираєтеся?"), ("q_type", "single"), ("q_options", "Пішки\nАвто"), ("q_other", "yes")],
    )
    .await;
    let survey = store::open(&app.db, c.id, SurveyKind::Survey, app.now()).await.unwrap().remove(0);
    for i in 0..n {
        let key = format!("p:{i}");
        let who = store::Respondent { key: key.as_bytes(), settlement: "Місто", age_band: "30-44" };
        let text = if i == 0 { "Дурні ви всі".to_owned() } else { format!("Відповідь {i}") };
        let mut answers =
            std::collections::BTreeMap::from([("q1".to_owned(), hromada_consultations::domain::Answer::Text(text))]);
        let other = (i == 1).then(|| "Самокатом".to_owned());
        let values = vec![if other.is_some() { "other".to_owned() } else { "o1".to_owned() }];
        answers.insert("q2".to_owned(), hromada_consultations::domain::Answer::Choices { values, other });
        assert_eq!(
            store::respond(&app.db, &survey, &who, &answers, app.now()).await.unwrap(),
            store::Outcome::Recorded
        );
    }
    survey.id
}

#[tokio::test]
async fn moderators_hide_a_free_text_from_the_results_and_exports_and_show_it_again() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "fm").await;
        let id = texts_survey(&app, &admin, &c, false, 3).await;
        let results = format!("/c/fm/surveys/{id}/results");
        let answers = format!("/c/fm/admin/consultations/{id}/answers");
        // Closed, so that anyone may see the results.
        admin
            .submit(&format!("/c/fm/admin/consultations/{id}"), &format!("/c/fm/admin/consultations/{id}/close"), &[])
            .await;
        let public = app.browser();
        let shown = public.get(&results).await.text();
        assert!(shown.contains("Дурні ви всі") && shown.contains("Самокатом"), "[{b}] published at once: {shown}");
        assert!(!shown.contains("Модерація текстових відповідей"), "[{b}] no moderation link for residents");
        assert!(admin.get(&results).await.text().contains("Модерація текстових відповідей"), "[{b}]");

        let survey = store::get(&app.db, c.id, id).await.unwrap().unwrap();
        let rude = store::texts_for_moderation(&app.db, &survey, "q1", None, 10, 0)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.body == "Дурні ви всі")
            .unwrap();
        // A reason is required; a resident may not moderate.
        let refused = admin
            .follow(admin.submit(&answers, &format!("{answers}/{}/hide", rude.id), &[("reason", " ")]).await)
            .await;
        assert!(refused.text().contains("Вкажіть причину"), "[{b}]");
        app.user(&c, "r@fm.test", &[]).await;
        let resident = app.signed_in(&c, "r@fm.test").await;
        let token = hromada_testkit::browser::csrf_token(&resident.get("/c/fm/surveys").await.body).unwrap();
        let forbidden = resident
            .post_raw(&format!("{answers}/{}/hide", rude.id), &[("reason", "так"), ("_csrf", token.as_str())])
            .await;
        assert_eq!(forbidden.status, 403, "[{b}]");

        let hidden = admin
            .follow(admin.submit(&answers, &format!("{answers}/{}/hide", rude.id), &[("reason", "Образа")]).await)
            .await;
        assert!(hidden.text().contains("Збережено"), "[{b}] {}", hidden.text());
        let shown = public.get(&results).await.text();
        assert!(!shown.contains("Дурні ви всі") && shown.contains("Відповідь 2"), "[{b}] {shown}");
        let json = public.get(&format!("{results}.json")).await.body;
        assert!(!json.contains("Дурні ви всі") && json.contains("Відповідь 2"), "[{b}] {json}");
        let csv = public.get(&format!("{results}.csv")).await.body;
        assert!(!csv.contains("Дурні ви всі"), "[{b}]");
        // The officials still see it, marked, with the reason.
        let listed = admin.get(&format!("{answers}?status=hidden")).await.text();
        assert!(
            listed.contains("Дурні ви всі") && listed.contains("приховано") && listed.contains("Образа"),
            "[{b}] {listed}"
        );
        assert!(!listed.contains("Відповідь 2"), "[{b}] only the hidden ones");
        // The other text of "other: ___" is moderated the same way.
        let other = store::texts_for_moderation(&app.db, &survey, "q2", None, 10, 0).await.unwrap().remove(0);
        admin.submit(&answers, &format!("{answers}/{}/hide", other.id), &[("reason", "Не по темі")]).await;
        assert!(!public.get(&results).await.text().contains("Самокатом"), "[{b}]");
        // Each step audited, with the reason but not the text.
        let log = hromada_db::core::audit::list(
            &app.db,
            Some(c.id),
            &hromada_db::core::audit::Filter { action_prefix: Some("survey.text.".into()), ..Default::default() },
            10,
            0,
        )
        .await
        .unwrap();
        assert_eq!(log.len(), 2, "[{b}]");
        assert!(log.iter().any(|e| e.action == "survey.text.hide" && e.summary == "Образа"), "[{b}]");
        assert!(log.iter().all(|e| !e.summary.contains("Дурні")), "[{b}]");

        let unhidden = admin.submit(&answers, &format!("{answers}/{}/unhide", rude.id), &[]).await;
        assert_eq!(unhidden.status, 303, "[{b}]");
        assert!(public.get(&results).await.text().contains("Дурні ви всі"), "[{b}] shown again");
    }
}

#[tokio::test]
async fn free_texts_wait_for_approval_when_the_survey_asks_for_it() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "fa").await;
        let id = texts_survey(&app, &admin, &c, true, 2).await;
        let results = format!("/c/fa/surveys/{id}/results");
        let answers = format!("/c/fa/admin/consultations/{id}/answers");
        let form = admin.get(&format!("/c/fa/surveys/{id}")).await.text();
        assert!(form.contains("після перевірки модератором"), "[{b}] residents are told");
        let shown = admin.get(&results).await.text();
        assert!(!shown.contains("Відповідь 1"), "[{b}] not before approval");
        let queue = admin.get(&answers).await.text();
        assert!(queue.contains("3 відповіді чекають схвалення") && queue.contains("Відповідь 1"), "[{b}] {queue}");
        let survey = store::get(&app.db, c.id, id).await.unwrap().unwrap();
        let waiting = store::texts_for_moderation(&app.db, &survey, "q1", None, 10, 0).await.unwrap();
        let one = waiting.iter().find(|t| t.body == "Відповідь 1").unwrap();
        admin.submit(&answers, &format!("{answers}/{}/approve", one.id), &[]).await;
        let shown = admin.get(&results).await.text();
        assert!(shown.contains("Відповідь 1") && !shown.contains("Дурні ви всі"), "[{b}] {shown}");
        // Turning approval off publishes what waits.
        let off = admin.submit(&answers, &format!("{answers}/premoderation"), &[]).await;
        assert_eq!(off.status, 303, "[{b}]");
        assert!(admin.get(&results).await.text().contains("Дурні ви всі"), "[{b}]");
        assert!(!store::get(&app.db, c.id, id).await.unwrap().unwrap().texts_premoderated, "[{b}]");
    }
}

#[tokio::test]
async fn many_free_texts_are_listed_newest_first_a_page_at_a_time() {
    for app in spawn_apps().await {
        let b = app.backend;
        let (c, admin) = setup(&app, "fp").await;
        let id = texts_survey(&app, &admin, &c, false, 130).await;
        let results = format!("/c/fp/surveys/{id}/results");
        let shown = admin.get(&results).await;
        let text = shown.text();
        assert!(text.contains("130 учасників"), "[{b}]");
        // The newest twenty, and the way to the rest.
        assert!(text.contains("Відповідь 129") && !text.contains("Відповідь 100 "), "[{b}] {text}");
        assert!(text.contains("Усі відповіді на це питання") && text.contains("ще 110 відповідей"), "[{b}] {text}");
        let all = admin.get(&format!("{results}/q1")).await.text();
        assert!(all.contains("Оприлюднено 130 відповідей") && all.contains("Відповідь 30"), "[{b}] {all}");
        assert!(!all.contains("Відповідь 29 "), "[{b}] a hundred a page");
        let second = admin.get(&format!("{results}/q1?page=2")).await.text();
        assert!(second.contains("Відповідь 29") && second.contains("Дурні ви всі"), "[{b}] {second}");
        assert_eq!(admin.get(&format!("{results}/q9")).await.status, 404, "[{b}]");
    }
}
