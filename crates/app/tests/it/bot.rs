//! The chatbot end to end: the web chat through its pages, Telegram through the webhook and a
//! local fake of the Bot API that checks what the real one checks.

use hromada_bot::store::{self as bot_store, Channel};
use hromada_consultations::domain::{Choice, Condition, Question, QuestionKind, Survey};
use hromada_consultations::store::{self as surveys, NewSurvey, SurveyKind};
use hromada_db::core::{communities, users};
use hromada_kernel::{Eligibility, LocalizedText};
use hromada_petitions::domain::{Action, Rules};
use hromada_petitions::store as petitions;
use hromada_testkit::fakes::{FakeTelegram, TelegramTrouble};
use hromada_testkit::{Browser, Reply, TestApp, spawn_apps};
use serde_json::{Value, json};

pub(crate) fn png() -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(8, 6, image::Rgb([200, 40, 40])).write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

fn text(s: &str) -> LocalizedText {
    LocalizedText::new(s, None)
}

fn choices(labels: &[&str]) -> Vec<Choice> {
    labels.iter().enumerate().map(|(i, l)| Choice { value: format!("v{i}"), label: text(l) }).collect()
}

fn question(key: &str, title: &str, kind: QuestionKind) -> Question {
    Question { key: key.into(), title: text(title), hint: None, required: true, section: 0, kind, show_when: None }
}

async fn survey(
    app: &TestApp,
    c: &communities::Community,
    kind: SurveyKind,
    title: &str,
    definition: Survey,
) -> uuid::Uuid {
    let new = NewSurvey {
        kind,
        title: text(title),
        description: "",
        definition,
        opens_at: app.now() - chrono::Duration::hours(1),
        closes_at: app.now() + chrono::Duration::days(7),
        editable: false,
        anonymous: false,
        results_after_close: false,
        eligibility: Eligibility::default(),
        texts_premoderated: false,
        created_by: None,
    };
    surveys::create(&app.db, c.id, new, app.now()).await.unwrap()
}

/// A petition collecting signatures, open to any verified account.
pub(crate) async fn petition(app: &TestApp, c: &communities::Community, title: &str) -> i64 {
    let statute = json!({ "residents_only": false, "min_age": 0 });
    communities::set_statute(&app.db, c.id, "petitions", statute).await.unwrap();
    let author = app.user(c, &format!("author-{}@bot.test", c.slug), &[]).await;
    let new = petitions::NewPetition {
        author_id: author.id,
        author_name: "Автор",
        title,
        body: "Текст петиції",
        category: "other",
    };
    let p = petitions::create_draft(&app.db, c.id, new, &Rules { threshold: 100, ..Rules::default() }, app.now())
        .await
        .unwrap();
    let calendar = hromada_kernel::WorkingCalendar::default();
    for step in [Action::Submit, Action::Publish] {
        petitions::step(&app.db, c.id, p.id, step, None, "", &calendar, app.now()).await.unwrap();
    }
    p.number
}

async fn verified(app: &TestApp, c: &communities::Community, email: &str, tax: &str) -> users::User {
    let u = app.user(c, email, &[]).await;
    let key = hromada_web::auth::person_key(&app.state.config.secret, tax).unwrap();
    users::set_person_key(&app.db, c.id, u.id, &key, users::PersonProof::Eid, app.now()).await.unwrap();
    u
}

/// Presses a button of the web chat (by its data) or sends a text, as the page's forms do,
/// and gives the page shown next.
pub(crate) async fn chat(b: &Browser, slug: &str, fields: &[(&str, &str)]) -> Reply {
    let page = format!("/c/{slug}/chat");
    let sent = b.submit(&page, &page, fields).await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    b.follow(sent).await
}

/// The text of the last message in the chat page.
pub(crate) fn last_message(page: &Reply) -> String {
    let body = hromada_testkit::browser::decode_entities(&page.body);
    let at = body.rfind("class=\"chat-msg").expect("a message");
    let end = body[at..].find("</ol>").map(|e| at + e).unwrap_or(body.len());
    body[at..end].to_owned()
}

#[tokio::test]
async fn the_web_chat_greets_and_signs_a_petition_for_the_signed_in_resident() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("wc").await;
        let number = petition(&app, &c, "Ліхтарі на вулиці Садовій").await;

        // A visitor gets the greeting and the menu; signing asks to sign in first.
        let visitor = app.browser();
        let first = visitor.get("/c/wc/chat").await;
        assert_eq!(first.status, 200, "[{b}]");
        assert!(first.header("set-cookie").is_some_and(|c| c.contains("hromada_chat=")), "[{b}]");
        let page = hromada_testkit::browser::decode_entities(&first.body);
        assert!(page.contains("Вітаємо!") && page.contains("value=\"petitions|list\""), "[{b}] {page}");
        assert!(page.contains("value=\"consultations|list\"") && page.contains("value=\"bot|official\""), "[{b}]");
        let listed = chat(&visitor, "wc", &[("press", "petitions|list")]).await;
        assert!(last_message(&listed).contains("Ліхтарі на вулиці Садовій"), "[{b}] {}", listed.text());
        let shown = chat(&visitor, "wc", &[("press", &format!("petitions|p:{number}"))]).await;
        assert!(last_message(&shown).contains("Текст петиції"), "[{b}]");
        let refused = chat(&visitor, "wc", &[("press", &format!("petitions|sign:{number}"))]).await;
        assert!(last_message(&refused).contains("потрібно увійти"), "[{b}] {}", last_message(&refused));
        // The page shows what the visitor pressed by the button's label.
        let shown_press = hromada_testkit::browser::decode_entities(&refused.body);
        assert!(shown_press.contains("chat-resident") && shown_press.contains("✍️ Підписати</div>"), "[{b}]");

        // A verified resident signs in the chat; the signature is the website's own.
        let signer = verified(&app, &c, "signer@wc.test", "1234567890").await;
        let resident = app.signed_in(&c, "signer@wc.test").await;
        let signed = chat(&resident, "wc", &[("press", &format!("petitions|sign:{number}"))]).await;
        let said = last_message(&signed);
        assert!(said.contains("Підпис № 1 зараховано") && said.contains("Код квитанції"), "[{b}] {said}");
        let again = chat(&resident, "wc", &[("press", &format!("petitions|sign:{number}"))]).await;
        assert!(last_message(&again).contains("вже підписали"), "[{b}]");
        let p = petitions::by_number(&app.db, c.id, number).await.unwrap().unwrap();
        assert_eq!(p.signature_count, 1, "[{b}]");
        let signer = users::by_id(&app.db, c.id, signer.id).await.unwrap().unwrap();
        assert!(petitions::has_signed(&app.db, c.id, p.id, &hromada_web::auth::one_person_key(&signer)).await.unwrap());

        // Text that no flow waits for gets the menu again; "меню" too.
        let lost = chat(&resident, "wc", &[("text", "де мій автобус?")]).await;
        assert!(lost.text().contains("Не зрозумів"), "[{b}]");
    }
}

#[tokio::test]
async fn a_survey_of_every_question_type_is_answered_in_the_chat() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("sc").await;
        let mut commute = question(
            "commute",
            "Як ви добираєтеся?",
            QuestionKind::Single { options: choices(&["Автобус", "Авто"]), other: true },
        );
        commute.required = true;
        let mut route = question("route", "Яким маршрутом?", QuestionKind::ShortText { max_chars: 50 });
        route.show_when = Some(Condition { question: "commute".into(), any_of: vec!["v0".into()] });
        let mut note = question("note", "Що ще?", QuestionKind::LongText { max_chars: 500 });
        note.required = false;
        let definition = Survey {
            sections: vec![text("Транспорт"), text("Про вас")],
            questions: vec![
                commute,
                route,
                question(
                    "needs",
                    "Що покращити?",
                    QuestionKind::Multiple {
                        options: choices(&["Зупинки", "Графік", "Ціни"]),
                        other: false,
                        min: 1,
                        max: 2,
                    },
                ),
                question(
                    "mark",
                    "Оцініть транспорт",
                    QuestionKind::Scale { max: 5, low: text("погано"), high: text("добре") },
                ),
                question(
                    "order",
                    "Що найважливіше?",
                    QuestionKind::Ranking { options: choices(&["Безпека", "Швидкість", "Ціна"]) },
                ),
                Question {
                    section: 1,
                    ..question(
                        "trips",
                        "Скільки поїздок на тиждень?",
                        QuestionKind::Number { min: Some(0.0), max: Some(50.0), whole: true },
                    )
                },
                Question {
                    section: 1,
                    ..question("since", "Відколи живете тут?", QuestionKind::Date { min: None, max: None })
                },
                Question { section: 1, ..note },
            ],
        };
        let id = survey(&app, &c, SurveyKind::Survey, "Транспорт у громаді", definition).await;
        let resident_user = app.user(&c, "r@sc.test", &[]).await;
        let r = app.signed_in(&c, "r@sc.test").await;

        let listed = chat(&r, "sc", &[("press", "consultations|list")]).await;
        assert!(last_message(&listed).contains("Транспорт у громаді"), "[{b}]");
        let q1 = chat(&r, "sc", &[("press", &format!("consultations|s:{id}"))]).await;
        let asked = last_message(&q1);
        assert!(asked.contains("§ Транспорт") && asked.contains("Питання 1 з"), "[{b}] {asked}");
        // "Other" asks for the own text; the condition on "route" (bus only) then hides it.
        let other = chat(&r, "sc", &[("press", "consultations|o:other")]).await;
        assert!(last_message(&other).contains("свій варіант"), "[{b}]");
        let q3 = chat(&r, "sc", &[("text", "Пішки")]).await;
        assert!(last_message(&q3).contains("Що покращити?"), "[{b}] {}", last_message(&q3));
        // Multiple choice: ticks, a refusal over the maximum, then done.
        chat(&r, "sc", &[("press", "consultations|t:0")]).await;
        chat(&r, "sc", &[("press", "consultations|t:1")]).await;
        let ticked = chat(&r, "sc", &[("press", "consultations|t:2")]).await;
        assert!(last_message(&ticked).matches('☑').count() == 3, "[{b}]");
        let too_many = chat(&r, "sc", &[("press", "consultations|done")]).await;
        assert!(
            too_many.text().contains("Забагато") || too_many.text().contains("забагато"),
            "[{b}] {}",
            too_many.text()
        );
        chat(&r, "sc", &[("press", "consultations|t:2")]).await;
        let q4 = chat(&r, "sc", &[("press", "consultations|done")]).await;
        assert!(last_message(&q4).contains("1 — погано, 5 — добре"), "[{b}] {}", last_message(&q4));
        let q5 = chat(&r, "sc", &[("press", "consultations|o:4")]).await;
        assert!(last_message(&q5).contains("на 1-му місці"), "[{b}] {}", last_message(&q5));
        chat(&r, "sc", &[("press", "consultations|r:2")]).await;
        // The second pick leaves one option, which takes the last place by itself.
        let q6 = chat(&r, "sc", &[("press", "consultations|r:0")]).await;
        let asked = last_message(&q6);
        assert!(asked.contains("§ Про вас") && asked.contains("поїздок"), "[{b}] {asked}");
        let not_whole = chat(&r, "sc", &[("text", "2,5")]).await;
        assert!(not_whole.text().contains("ціле"), "[{b}] {}", last_message(&not_whole));
        chat(&r, "sc", &[("text", "12")]).await;
        let bad_date = chat(&r, "sc", &[("text", "давно")]).await;
        assert!(last_message(&bad_date).contains("Відколи"), "[{b}]");
        let q8 = chat(&r, "sc", &[("text", "01.09.2015")]).await;
        assert!(last_message(&q8).contains("Пропустити"), "[{b}] {}", last_message(&q8));
        let confirm = chat(&r, "sc", &[("press", "consultations|skip")]).await;
        assert!(last_message(&confirm).contains("Надіслати відповіді?"), "[{b}]");
        let done = chat(&r, "sc", &[("press", "consultations|send")]).await;
        assert!(done.text().contains("Відповідь збережено"), "[{b}] {}", done.text());

        let s = surveys::get(&app.db, c.id, id).await.unwrap().unwrap();
        let rows = surveys::responses(&app.db, &s).await.unwrap();
        assert_eq!(rows.len(), 1, "[{b}]");
        let answers = serde_json::to_value(&rows[0].answers.0).unwrap();
        assert_eq!(
            answers["commute"],
            json!({"type": "choices", "value": {"values": ["other"], "other": "Пішки"}}),
            "[{b}]"
        );
        assert!(answers.get("route").is_none(), "[{b}] the hidden question has no answer");
        assert_eq!(answers["needs"]["value"]["values"], json!(["v0", "v1"]), "[{b}]");
        assert_eq!(answers["mark"], json!({"type": "scale", "value": 4}), "[{b}]");
        assert_eq!(answers["order"], json!({"type": "ranking", "value": ["v2", "v0", "v1"]}), "[{b}]");
        assert_eq!(answers["trips"], json!({"type": "number", "value": 12.0}), "[{b}]");
        assert_eq!(answers["since"], json!({"type": "date", "value": "2015-09-01"}), "[{b}]");
        assert!(surveys::has_answered(&app.db, &s, &hromada_web::auth::one_person_key(&resident_user)).await.unwrap());

        // Answering again is refused: the survey's responses are final.
        let again = chat(&r, "sc", &[("press", &format!("consultations|s:{id}"))]).await;
        assert!(again.text().contains("Ви вже відповіли"), "[{b}]");
    }
}

#[tokio::test]
async fn a_quick_poll_is_answered_in_the_chat_and_shows_its_results() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("qp").await;
        let poll = Survey {
            sections: vec![],
            questions: vec![question(
                "q",
                "Чи потрібен новий сквер?",
                QuestionKind::Single { options: choices(&["Так", "Ні"]), other: false },
            )],
        };
        let id = survey(&app, &c, SurveyKind::Poll, "Сквер", poll).await;
        app.user(&c, "v@qp.test", &[]).await;
        let r = app.signed_in(&c, "v@qp.test").await;
        chat(&r, "qp", &[("press", &format!("consultations|s:{id}"))]).await;
        chat(&r, "qp", &[("press", "consultations|o:0")]).await;
        let done = chat(&r, "qp", &[("press", "consultations|send")]).await;
        let results = last_message(&done);
        assert!(results.contains("Так — 1 (100%)") && results.contains("Ні — 0 (0%)"), "[{b}] {results}");
    }
}

/// A community with a Telegram bot pointed at the fake; gives the webhook path and secret.
async fn telegram(app: &TestApp, fake: &FakeTelegram, slug: &str) -> (communities::Community, String, String) {
    let c = app.community(slug).await;
    telegram_for(app, fake, &c).await
}

async fn telegram_for(
    app: &TestApp,
    fake: &FakeTelegram,
    c: &communities::Community,
) -> (communities::Community, String, String) {
    let (c, slug) = (c.clone(), c.slug.clone());
    let site = format!("{}/c/{slug}", app.base);
    let url =
        hromada_bot::setup::connect_telegram(&app.db, &c, "42:SECRET", "@hromada_test_bot", &fake.base, &site, true)
            .await
            .unwrap();
    let config = bot_store::channel_of(&app.db, c.id, Channel::Telegram).await.unwrap().unwrap();
    let registered = fake.calls().into_iter().find(|c| c.method == "setWebhook").expect("setWebhook");
    assert_eq!(registered.token, "42:SECRET");
    assert_eq!(registered.params["url"], url.as_str());
    assert_eq!(registered.params["secret_token"], config.secret.as_str());
    assert_eq!(config.username, "hromada_test_bot");
    (c, format!("/c/{slug}/hooks/telegram/{}", config.hook), config.secret)
}

fn message(update: i64, chat: i64, body: Value) -> Value {
    let mut m = json!({ "message_id": update, "date": 0, "chat": { "id": chat, "type": "private" },
        "from": { "id": chat, "is_bot": false, "first_name": "Оксана", "language_code": "uk" } });
    for (k, v) in body.as_object().unwrap() {
        m[k] = v.clone();
    }
    json!({ "update_id": update, "message": m })
}

fn press(update: i64, chat: i64, data: &str) -> Value {
    json!({ "update_id": update, "callback_query": { "id": format!("cb{update}"), "chat_instance": "1",
        "from": { "id": chat, "is_bot": false, "first_name": "Оксана" },
        "message": { "message_id": 1, "date": 0, "chat": { "id": chat, "type": "private" } }, "data": data } })
}

async fn hook(app: &TestApp, path: &str, secret: &str, update: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .json(update)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_telegram_webhook_checks_its_secret_ignores_junk_and_handles_an_update_once() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "tg").await;
        let start = message(1, 501, json!({ "text": "/start" }));

        let wrong = hook(&app, &path, "not-the-secret", &start).await;
        assert_eq!(wrong.status(), 403, "[{b}]");
        let unknown = hook(&app, "/c/tg/hooks/telegram/no-such-hook", &secret, &start).await;
        assert_eq!(unknown.status(), 404, "[{b}]");
        assert!(bot_store::chat_by_external(&app.db, c.id, Channel::Telegram, "501").await.unwrap().is_none(), "[{b}]");

        let junk = reqwest::Client::new()
            .post(app.url(&path))
            .header("X-Telegram-Bot-Api-Secret-Token", &secret)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(junk.status(), 200, "[{b}] junk is acknowledged, never retried");
        let sticker = message(2, 501, json!({ "sticker": { "file_id": "x" } }));
        assert_eq!(hook(&app, &path, &secret, &sticker).await.status(), 200, "[{b}]");
        let group = json!({ "update_id": 3, "message": { "message_id": 3, "date": 0, "chat": { "id": -100, "type": "group" }, "text": "/start" } });
        assert_eq!(hook(&app, &path, &secret, &group).await.status(), 200, "[{b}]");

        // The same update delivered many times at once is handled once.
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (app_url, secret, start) = (app.url(&path), secret.clone(), start.clone());
            sends.spawn(async move {
                reqwest::Client::new()
                    .post(app_url)
                    .header("X-Telegram-Bot-Api-Secret-Token", secret)
                    .json(&start)
                    .send()
                    .await
                    .unwrap()
                    .status()
            });
        }
        while let Some(status) = sends.join_next().await {
            assert_eq!(status.unwrap(), 200, "[{b}]");
        }
        let texts = fake.wait_for("501", 2).await;
        assert!(texts[0].contains("Вітаємо!") && texts[1].contains("Головне меню"), "[{b}] {texts:?}");
        let chat = bot_store::chat_by_external(&app.db, c.id, Channel::Telegram, "501").await.unwrap().unwrap();
        assert_eq!(chat.messages, 3, "[{b}] one /start and two replies");
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        assert_eq!(fake.texts_to("501").len(), 2, "[{b}] sent once");
        let menu = fake.last_to("501").unwrap();
        let keyboard = menu["reply_markup"]["inline_keyboard"].as_array().unwrap();
        assert!(
            keyboard.iter().flat_map(|row| row.as_array().unwrap()).any(|b| b["callback_data"] == "petitions|list"),
            "[{b}] {menu}"
        );

        // A button press is answered in the webhook's own reply.
        let pressed = hook(&app, &path, &secret, &press(4, 501, "bot|lang:en")).await;
        assert_eq!(pressed.status(), 200);
        let answer: Value = pressed.json().await.unwrap();
        assert_eq!(answer, json!({ "method": "answerCallbackQuery", "callback_query_id": "cb4" }), "[{b}]");
        let texts = fake.wait_for("501", 3).await;
        assert_eq!(texts[2], "Main menu:", "[{b}] the chat switched to English");
    }
}

#[tokio::test]
async fn a_telegram_chat_is_linked_by_a_deep_link_verifies_a_phone_and_signs() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "tl").await;
        let number = petition(&app, &c, "Нова зупинка").await;
        let user = app.user(&c, "link@tl.test", &[]).await;

        // Unlinked: signing asks to link the account, with a link to the page that does it.
        hook(&app, &path, &secret, &press(1, 700, &format!("petitions|sign:{number}"))).await;
        fake.wait_for("700", 1).await;
        let asked = fake.last_to("700").unwrap();
        assert!(asked["text"].as_str().unwrap().contains("пов’язати чат"), "[{b}] {asked}");
        let link_button = asked["reply_markup"]["inline_keyboard"][0][0]["url"].as_str().unwrap().to_owned();
        assert!(link_button.ends_with("/chat/link?channel=telegram"), "[{b}] {link_button}");

        // The signed-in resident gets a one-time deep link on the website.
        let web = app.signed_in(&c, "link@tl.test").await;
        let page = hromada_testkit::browser::decode_entities(&web.get("/c/tl/chat/link").await.body);
        let at = page.find("https://t.me/hromada_test_bot?start=").expect("a deep link");
        let payload: String = page[at + "https://t.me/hromada_test_bot?start=".len()..]
            .chars()
            .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_')
            .collect();
        assert!(payload.starts_with("link-") && payload.len() <= 64, "[{b}] {payload}");
        hook(&app, &path, &secret, &message(2, 700, json!({ "text": format!("/start {payload}") }))).await;
        let texts = fake.wait_for("700", 3).await;
        assert!(texts[1].contains("пов’язано") && texts[1].contains(&user.full_name), "[{b}] {texts:?}");
        // The code works once.
        hook(&app, &path, &secret, &message(3, 701, json!({ "text": format!("/start {payload}") }))).await;
        let other = fake.wait_for("701", 2).await;
        assert!(other[0].contains("недійсне"), "[{b}] {other:?}");

        // Someone else's contact is refused; one's own verifies the phone.
        let friend = message(
            4,
            700,
            json!({ "contact": { "phone_number": "+380501112233", "first_name": "Друг", "user_id": 999 } }),
        );
        hook(&app, &path, &secret, &friend).await;
        let texts = fake.wait_for("700", 5).await;
        assert!(texts[3].contains("лише власний"), "[{b}] {texts:?}");
        let own = message(
            5,
            700,
            json!({ "contact": { "phone_number": "380671234567", "first_name": "Оксана", "user_id": 700 } }),
        );
        hook(&app, &path, &secret, &own).await;
        let texts = fake.wait_for("700", 7).await;
        assert!(texts[5].contains("+380671234567 підтверджено"), "[{b}] {texts:?}");
        let stored = users::by_id(&app.db, c.id, user.id).await.unwrap().unwrap();
        assert_eq!(stored.phone.as_deref(), Some("+380671234567"), "[{b}]");
        assert!(stored.phone_verified_at.is_some(), "[{b}]");

        // Signing needs e-ID by default: the answer says so; once verified, the chat signs.
        hook(&app, &path, &secret, &press(6, 700, &format!("petitions|sign:{number}"))).await;
        let texts = fake.wait_for("700", 8).await;
        assert!(texts[7].contains("ID.GOV.UA"), "[{b}] {texts:?}");
        let key = hromada_web::auth::person_key(&app.state.config.secret, "1112223334").unwrap();
        users::set_person_key(&app.db, c.id, user.id, &key, users::PersonProof::Eid, app.now()).await.unwrap();
        hook(&app, &path, &secret, &press(7, 700, &format!("petitions|sign:{number}"))).await;
        let texts = fake.wait_for("700", 9).await;
        assert!(texts[8].contains("Підпис № 1 зараховано"), "[{b}] {texts:?}");
        let p = petitions::by_number(&app.db, c.id, number).await.unwrap().unwrap();
        assert_eq!(p.signature_count, 1, "[{b}]");

        // An appeal from Telegram, with the place sent as a location; the acknowledgement the
        // author gets by mail comes to the linked chat too.
        let steps = [
            press(10, 700, "appeals|new"),
            press(11, 700, "appeals|k:proposal"),
            press(12, 700, "appeals|c:0"),
            message(13, 700, json!({ "text": "Прошу встановити лавки біля ставка в парку" })),
            press(14, 700, "appeals|skip"),
            message(15, 700, json!({ "location": { "latitude": 48.5, "longitude": 35.1 } })),
            press(16, 700, "appeals|same"),
            message(17, 700, json!({ "text": "Зелене, вул. Паркова, 1" })),
            press(18, 700, "appeals|same"),
            press(19, 700, "appeals|send"),
        ];
        for update in &steps {
            assert_eq!(hook(&app, &path, &secret, update).await.status(), 200, "[{b}]");
        }
        let year = chrono::Datelike::year(&app.now());
        let registered = wait_text(&fake, "700", "зареєстровано за №").await;
        assert!(registered.contains(&format!("Е-{year}-000001")), "[{b}] {registered}");
        let notice = wait_text(&fake, "700", "Відповідь має бути надана").await;
        assert!(notice.contains(&format!("Е-{year}-000001")), "[{b}] {notice}");
    }
}

/// The first text sent to a chat that contains `needle`, waiting for it a while.
async fn wait_text(fake: &FakeTelegram, chat: &str, needle: &str) -> String {
    for _ in 0..200 {
        if let Some(t) = fake.texts_to(chat).into_iter().find(|t| t.contains(needle)) {
            return t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no message with {needle:?} in {:?}", fake.texts_to(chat));
}

#[tokio::test]
async fn delivery_waits_out_a_429_and_stops_for_a_chat_that_blocked_the_bot() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "dl").await;
        fake.trouble(&[TelegramTrouble::TooMany { retry_after: 1 }]);
        hook(&app, &path, &secret, &message(1, 800, json!({ "text": "/start" }))).await;
        let texts = fake.wait_for("800", 2).await;
        assert!(texts[0].contains("Вітаємо!") && texts[1].contains("Головне меню"), "[{b}] order kept: {texts:?}");
        let today = app.now().date_naive();
        // The figures are added once the delivery round ends.
        let mut figures = (0, 0);
        for _ in 0..100 {
            let stats = bot_store::delivery_stats(&app.db, c.id, today).await.unwrap();
            figures = stats.iter().find(|s| s.channel == "telegram").map(|s| (s.sent, s.throttled)).unwrap_or_default();
            if figures.0 == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(figures, (2, 1), "[{b}]");

        fake.trouble(&[TelegramTrouble::Blocked]);
        hook(&app, &path, &secret, &message(2, 800, json!({ "text": "меню" }))).await;
        for _ in 0..100 {
            let chat = bot_store::chat_by_external(&app.db, c.id, Channel::Telegram, "800").await.unwrap().unwrap();
            if !chat.active {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let chat = bot_store::chat_by_external(&app.db, c.id, Channel::Telegram, "800").await.unwrap().unwrap();
        assert!(!chat.active, "[{b}] a chat that blocked the bot is inactive");
        assert_eq!(bot_store::queued(&app.db, c.id).await.unwrap(), 0, "[{b}] and has nothing queued");
        assert_eq!(fake.texts_to("800").len(), 2, "[{b}]");
    }
}

#[tokio::test]
async fn an_appeal_is_written_in_the_chat_and_registered_with_its_number() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("ap").await;
        app.user(&c, "author@ap.test", &[]).await;
        let r = app.signed_in(&c, "author@ap.test").await;
        let first = chat(&r, "ap", &[("press", "appeals|new")]).await;
        assert!(last_message(&first).contains("Який вид звернення?"), "[{b}] {}", last_message(&first));
        chat(&r, "ap", &[("press", "appeals|k:statement")]).await;
        chat(&r, "ap", &[("press", "appeals|c:1")]).await;
        let short = chat(&r, "ap", &[("text", "Яма")]).await;
        assert!(short.text().contains("щонайменше 20 символів"), "[{b}]");
        chat(&r, "ap", &[("text", "Глибока яма біля школи на вулиці Шкільній, небезпечно для дітей")]).await;
        let place = chat(&r, "ap", &[("press", "appeals|skip")]).await;
        assert!(last_message(&place).contains("Де це?"), "[{b}]");
        assert!(place.body.contains("name=\"lat\""), "[{b}] the page offers a place form");
        chat(&r, "ap", &[("lat", "48.4647"), ("lon", "35.0462")]).await;
        let named = chat(&r, "ap", &[("text", "Шевченко")]).await;
        assert!(last_message(&named).contains("населений пункт і вулиця"), "[{b}]");
        // One word is no name: the law's check asks again before the appeal can be sent.
        chat(&r, "ap", &[("text", "Зелене, вул. Шкільна, 5")]).await;
        let confirm = chat(&r, "ap", &[("press", "appeals|same")]).await;
        assert!(last_message(&confirm).contains("прізвище та ім"), "[{b}] {}", last_message(&confirm));
        chat(&r, "ap", &[("text", "Шевченко Оксана")]).await;
        chat(&r, "ap", &[("text", "Зелене, вул. Шкільна, 5")]).await;
        let check = chat(&r, "ap", &[("press", "appeals|same")]).await;
        let summary = last_message(&check);
        assert!(
            summary.contains("Перевірте звернення") && summary.contains("📍 48.46470, 35.04620"),
            "[{b}] {summary}"
        );
        let done = chat(&r, "ap", &[("press", "appeals|send")]).await;
        let said = last_message(&done);
        let year = chrono::Datelike::year(&app.now());
        assert!(said.contains(&format!("Е-{year}-000001")), "[{b}] {said}");
        // Sending again finds the same appeal: the wizard's key registers one.
        let mine = chat(&r, "ap", &[("press", "appeals|mine")]).await;
        assert!(last_message(&mine).contains(&format!("Е-{year}-000001")), "[{b}]");
        let appeals = hromada_appeals::store::of_author(
            &app.db,
            c.id,
            users::by_email(&app.db, c.id, "author@ap.test").await.unwrap().unwrap().id,
        )
        .await
        .unwrap();
        assert_eq!(appeals.len(), 1, "[{b}]");
        assert_eq!(appeals[0].full_name, "Шевченко Оксана", "[{b}]");
        assert_eq!(
            (appeals[0].settlement.as_str(), appeals[0].street.as_str()),
            ("Зелене", "вул. Шкільна, 5"),
            "[{b}]"
        );
        assert!(appeals[0].essence.contains("48.464700, 35.046200"), "[{b}]");
        assert_eq!(appeals[0].category, "roads", "[{b}]");
    }
}

#[tokio::test]
async fn an_open_city_report_is_filed_from_the_chat() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("oc").await;
        app.user(&c, "r@oc.test", &[]).await;
        let r = app.signed_in(&c, "r@oc.test").await;
        let first = chat(&r, "oc", &[("press", "city|new")]).await;
        assert!(first.body.contains("city|c:pothole"), "[{b}]");
        let photo = chat(&r, "oc", &[("press", "city|c:pothole")]).await;
        assert!(last_message(&photo).contains("фото"), "[{b}]");
        assert!(photo.body.contains("name=\"photo\""), "[{b}] the page offers a photo form");
        let not_a_photo = r
            .submit_files("/c/oc/chat", "/c/oc/chat/photo", &[], &[("photo", "x.png", b"not an image".to_vec())])
            .await;
        assert_eq!(not_a_photo.status, 303, "[{b}]");
        let refused = r.follow(not_a_photo).await;
        assert!(last_message(&refused).contains("фото"), "[{b}] the step is asked again");
        let sent = r.submit_files("/c/oc/chat", "/c/oc/chat/photo", &[], &[("photo", "yama.png", png())]).await;
        assert_eq!(sent.status, 303, "[{b}]");
        let place = r.follow(sent).await;
        assert!(last_message(&place).contains("Де це?"), "[{b}] {}", last_message(&place));
        chat(&r, "oc", &[("text", "вул. Центральна, 10")]).await;
        let described = chat(&r, "oc", &[("text", "Велика вибоїна посеред дороги")]).await;
        assert!(last_message(&described).contains("Перевірте"), "[{b}] {}", last_message(&described));
        let done = chat(&r, "oc", &[("press", "city|send")]).await;
        assert!(last_message(&done).contains("Повідомлення № 1 надіслано"), "[{b}] {}", last_message(&done));
        let report = hromada_city::store::by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        assert_eq!(report.address, "вул. Центральна, 10", "[{b}]");
        assert_eq!(report.description, "Велика вибоїна посеред дороги", "[{b}]");
        let photos = hromada_media::store::list_for(&app.db, c.id, "city", &report.id.to_string()).await.unwrap();
        assert_eq!(photos.len(), 1, "[{b}] the chat's photo belongs to the report");
        assert!(!photos[0].public, "[{b}] and is private until the report is published");

        // From Telegram: a linked resident reports with a photo and a location.
        let fake = FakeTelegram::start().await;
        let (_, path, secret) = telegram_for(&app, &fake, &c).await;
        let token = "photo-link-token-0123456789abcdefghijklmnop";
        let user = users::by_email(&app.db, c.id, "r@oc.test").await.unwrap().unwrap();
        bot_store::create_link(
            &app.db,
            c.id,
            &hromada_web::auth::hash_token(token),
            user.id,
            app.now() + chrono::Duration::minutes(5),
        )
        .await
        .unwrap();
        fake.put_file("ph1", png());
        let steps = [
            message(1, 610, json!({ "text": format!("/start link-{token}") })),
            press(2, 610, "city|new"),
            press(3, 610, "city|c:pothole"),
            message(
                4,
                610,
                json!({ "photo": [{ "file_id": "ph0", "file_unique_id": "a", "width": 90, "height": 60, "file_size": 900 },
                                              { "file_id": "ph1", "file_unique_id": "b", "width": 8, "height": 6, "file_size": 80 }] }),
            ),
            message(5, 610, json!({ "location": { "latitude": 48.45, "longitude": 35.05 } })),
            message(6, 610, json!({ "text": "Зламана лавка біля зупинки" })),
            press(7, 610, "city|send"),
        ];
        for u in &steps {
            assert_eq!(hook(&app, &path, &secret, u).await.status(), 200, "[{b}]");
        }
        wait_text(&fake, "610", "Повідомлення № 2 надіслано").await;
        let second = hromada_city::store::by_number(&app.db, c.id, 2).await.unwrap().unwrap();
        let photos = hromada_media::store::list_for(&app.db, c.id, "city", &second.id.to_string()).await.unwrap();
        assert_eq!(photos.len(), 1, "[{b}] the Telegram photo belongs to the report");
        assert!(second.lat.is_some(), "[{b}]");
    }
}

#[tokio::test]
async fn an_operator_takes_answers_and_closes_a_conversation_from_the_inbox() {
    // Wednesday 25 November 2026, 10:00 in Kyiv: within the default working hours.
    let clock = hromada_kernel::FixedClock::new("2026-11-25T08:00:00Z".parse().unwrap());
    let options = hromada_testkit::Options { clock: Some(std::sync::Arc::new(clock.clone())), ..Default::default() };
    for app in hromada_testkit::spawn_apps_with(options).await {
        let b = app.backend;
        let c = app.community("op").await;
        app.user(&c, "r@op.test", &[]).await;
        app.user(&c, "operator@op.test", &[hromada_kernel::Role::BotOperator]).await;
        let r = app.signed_in(&c, "r@op.test").await;
        let prompt = chat(&r, "op", &[("press", "bot|official")]).await;
        assert!(last_message(&prompt).contains("Напишіть своє питання"), "[{b}]");
        let received = chat(&r, "op", &[("text", "Коли відремонтують дах школи?")]).await;
        assert!(last_message(&received).contains("передано посадовцям"), "[{b}]");
        // More messages go on in the same conversation, without another acknowledgement.
        let more = chat(&r, "op", &[("text", "Там протікає у класі 5-А")]).await;
        assert!(last_message(&more).contains("класі 5-А"), "[{b}] {}", last_message(&more));

        let operator = app.signed_in(&c, "operator@op.test").await;
        let inbox = operator.get("/c/op/admin/bot/inbox").await;
        assert_eq!(inbox.status, 200, "[{b}]");
        let html = hromada_testkit::browser::decode_entities(&inbox.body);
        assert!(html.contains("Тестовий r") && html.contains("класі 5-А") && html.contains("чекає"), "[{b}]");
        assert_eq!(html.matches("/admin/bot/inbox/").count(), 1, "[{b}] one conversation");
        let at = html.find("/c/op/admin/bot/inbox/").unwrap();
        let conversation: String = html[at..].chars().take_while(|ch| *ch != '"').collect();
        let shown = operator.get(&conversation).await;
        assert!(shown.text().contains("Коли відремонтують дах школи?"), "[{b}]");

        // A canned answer, then a written one; both reach the resident's chat.
        let canned = operator
            .submit(
                "/c/op/admin/bot/canned",
                "/c/op/admin/bot/canned",
                &[("title", "Дах"), ("body", "Ремонт даху заплановано на грудень.")],
            )
            .await;
        assert_eq!(canned.status, 303, "[{b}]");
        let canned_id = {
            let page = hromada_testkit::browser::decode_entities(&operator.get(&conversation).await.body);
            let at = page.find("<option value=\"").map(|i| i + "<option value=\"".len()).unwrap();
            let at = page[at..].find("<option value=\"").map(|i| at + i + "<option value=\"".len()).unwrap();
            page[at..].chars().take_while(|ch| *ch != '"').collect::<String>()
        };
        let sent = operator
            .submit(&conversation, &format!("{conversation}/reply"), &[("text", ""), ("canned", &canned_id)])
            .await;
        assert_eq!(sent.status, 303, "[{b}]");
        operator
            .submit(&conversation, &format!("{conversation}/reply"), &[("text", "Бригада прийде в понеділок.")])
            .await;
        let seen = r.get("/c/op/chat").await;
        let page = hromada_testkit::browser::decode_entities(&seen.body);
        assert!(
            page.contains("Ремонт даху заплановано на грудень.") && page.contains("Бригада прийде в понеділок."),
            "[{b}]"
        );
        assert!(page.contains("chat-official"), "[{b}] an official's answer is shown as such");

        // Outside the hours the resident is told when to expect an answer.
        clock.advance(chrono::Duration::hours(10));
        let late = chat(&r, "op", &[("text", "Дякую!")]).await;
        let next_day = (app.now().date_naive() + chrono::Duration::days(1)).format("%d.%m.%Y").to_string();
        assert!(last_message(&late).contains(&format!("після {next_day} 09:00")), "[{b}] {}", last_message(&late));

        let closed = operator.submit(&conversation, &format!("{conversation}/close"), &[]).await;
        assert_eq!(closed.status, 303, "[{b}]");
        let after = chat(&r, "op", &[("text", "Ще питання")]).await;
        assert!(last_message(&after).contains("Головне меню"), "[{b}] the chat left the officials");
        let log = hromada_db::core::audit::list(&app.db, Some(c.id), &Default::default(), 50, 0).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&"bot.conversation.reply") && actions.contains(&"bot.conversation.close"),
            "[{b}] {actions:?}"
        );

        // A resident may not open the inbox.
        assert_eq!(r.get("/c/op/admin/bot/inbox").await.status, 403, "[{b}]");
        // The next backend starts at 10:00 of the next working day.
        clock.advance(chrono::Duration::hours(14));
    }
}

#[tokio::test]
async fn broadcasts_reach_the_subscribed_chats_of_their_settlement_and_topic() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "bc").await;
        let places = hromada_db::core::settlements::list(&app.db, c.id).await.unwrap();
        assert!(places.len() >= 2, "[{b}] the test community has two settlements");
        let (first, second) = (places[0].id, places[1].id);
        // Chat 901 hears of the first settlement (news and alerts); 902 of alerts anywhere;
        // 903 of nothing.
        let mut update = 0;
        let mut send = |chat: i64, data: &str| {
            update += 1;
            press(update, chat, data)
        };
        for u in [
            send(901, "bot|subs"),
            send(901, &format!("bot|place:{first}")),
            send(902, "bot|sub:alerts"),
            send(903, "bot|subs"),
        ] {
            assert_eq!(hook(&app, &path, &secret, &u).await.status(), 200, "[{b}]");
        }
        let shown = wait_text(&fake, "901", "Місце:").await;
        assert!(shown.contains(&places[0].name_uk), "[{b}] {shown}");
        wait_text(&fake, "903", "ні на що не підписані").await;

        app.user(&c, "operator@bc.test", &[hromada_kernel::Role::BotOperator]).await;
        let operator = app.signed_in(&c, "operator@bc.test").await;
        let page = "/c/bc/admin/bot/broadcasts";
        let second_id = second.to_string();
        let sent = operator
            .submit(
                page,
                page,
                &[("topic", "alerts"), ("settlement", &second_id), ("text", "Повітряна тривога в другому селі")],
            )
            .await;
        assert_eq!(sent.status, 303, "[{b}]");
        wait_text(&fake, "902", "Повітряна тривога в другому селі").await;
        let first_id = first.to_string();
        operator
            .submit(page, page, &[("topic", "news"), ("settlement", &first_id), ("text", "Новини першого села")])
            .await;
        wait_text(&fake, "901", "Новини першого села").await;
        operator
            .submit(
                page,
                page,
                &[
                    ("topic", "alerts"),
                    ("settlement", ""),
                    ("text", "Відбій тривоги"),
                    ("link", "https://example.org/alerts"),
                ],
            )
            .await;
        let all_clear = wait_text(&fake, "901", "Відбій тривоги").await;
        wait_text(&fake, "902", "Відбій тривоги").await;
        assert!(!all_clear.is_empty());
        let to_901 = fake.texts_to("901");
        assert!(!to_901.iter().any(|t| t.contains("другому селі")), "[{b}] another settlement's alert: {to_901:?}");
        assert!(!fake.texts_to("902").iter().any(|t| t.contains("Новини")), "[{b}] news was not wanted");
        assert!(!fake.texts_to("903").iter().any(|t| t.contains("тривог")), "[{b}] not subscribed");
        let message = fake.last_to("901").unwrap();
        let buttons = &message["reply_markup"]["inline_keyboard"];
        assert_eq!(buttons[0][0]["url"], "https://example.org/alerts", "[{b}] {message}");
        assert_eq!(buttons[1][0]["callback_data"], "bot|subs", "[{b}]");

        // The page shows each broadcast's progress; unsubscribing stops the next ones.
        let progress = hromada_testkit::browser::decode_entities(&operator.get(page).await.body);
        assert!(progress.contains("Відбій тривоги") && progress.contains("2 / 2"), "[{b}]");
        hook(&app, &path, &secret, &press(50, 902, "bot|unsub")).await;
        wait_text(&fake, "902", "ні на що не підписані").await;
        operator.submit(page, page, &[("topic", "alerts"), ("settlement", ""), ("text", "Нова тривога")]).await;
        wait_text(&fake, "901", "Нова тривога").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!fake.texts_to("902").iter().any(|t| t.contains("Нова тривога")), "[{b}] unsubscribed");
        let log = hromada_db::core::audit::list(&app.db, Some(c.id), &Default::default(), 50, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "bot.broadcast").count(), 4, "[{b}]");
    }
}

#[tokio::test]
async fn a_community_builds_its_bot_menu_and_residents_see_it() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("mn").await;
        app.user(&c, "operator@mn.test", &[hromada_kernel::Role::BotOperator]).await;
        let operator = app.signed_in(&c, "operator@mn.test").await;
        let page = "/c/mn/admin/bot/menu";
        async fn add_item(operator: &Browser, page: &str, fields: Vec<(&'static str, String)>) -> Reply {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            operator.submit(page, page, &fields).await
        }
        let add = |fields: Vec<(&'static str, String)>| add_item(&operator, page, fields);
        let refused = add(vec![("label_uk", "".into()), ("action", "page".into()), ("body", "x".into())]).await;
        assert!(operator.follow(refused).await.text().contains("Вкажіть назву"), "[{b}]");
        add(vec![
            ("emoji", "✍️".into()),
            ("label_uk", "Петиції громади".into()),
            ("label_en", "Our petitions".into()),
            ("action", "module".into()),
            ("entry", "petitions|list".into()),
        ])
        .await;
        add(vec![("emoji", "🆘".into()), ("label_uk", "Екстрені служби".into()), ("action", "submenu".into())]).await;
        let items = hromada_bot::menu::items(&app.db, None, c.id).await.unwrap();
        let sos = items.iter().find(|i| i.action == "submenu").unwrap().id.to_string();
        add(vec![
            ("parent", sos.clone()),
            ("label_uk", "Номери".into()),
            ("action", "page".into()),
            ("body", "101 — пожежна, 102 — поліція, 103 — швидка".into()),
        ])
        .await;
        add(vec![("label_uk", "Сайт".into()), ("action", "link".into()), ("link", "https://example.org".into())]).await;
        let nested = add(vec![("parent", sos.clone()), ("label_uk", "Ще".into()), ("action", "submenu".into())]).await;
        assert!(operator.follow(nested).await.text().contains("Підменю може містити"), "[{b}] two levels only");

        // The preview shows the menu as residents see it, in both languages.
        let shown = hromada_testkit::browser::decode_entities(&operator.get(page).await.body);
        assert!(shown.contains("✍️ Петиції громади") && shown.contains("✍️ Our petitions"), "[{b}]");

        let r = app.browser();
        let menu = hromada_testkit::browser::decode_entities(&r.get("/c/mn/chat").await.body);
        assert!(menu.contains("value=\"petitions|list\"") && menu.contains("✍️ Петиції громади"), "[{b}]");
        assert!(!menu.contains("consultations|list"), "[{b}] only the community's items");
        assert!(menu.contains("href=\"https://example.org\""), "[{b}]");
        let sub = chat(&r, "mn", &[("press", &format!("bot|menu:{sos}"))]).await;
        let pressed = last_message(&sub);
        assert!(pressed.contains("Номери"), "[{b}] {pressed}");
        let items = hromada_bot::menu::items(&app.db, None, c.id).await.unwrap();
        let numbers = items.iter().find(|i| i.action == "page").unwrap().id;
        let text = chat(&r, "mn", &[("press", &format!("bot|page:{numbers}"))]).await;
        assert!(last_message(&text).contains("102 — поліція"), "[{b}]");

        // Moving an item changes the order residents see; a reset brings the default back.
        let link = items.iter().find(|i| i.action == "link").unwrap().id;
        operator.submit(page, &format!("{page}/{link}/up"), &[]).await;
        operator.submit(page, &format!("{page}/{link}/up"), &[]).await;
        let menu = hromada_testkit::browser::decode_entities(&chat(&r, "mn", &[("text", "меню")]).await.body);
        let at = menu.rfind("Головне меню").unwrap();
        let (site, petitions) = (menu[at..].find("Сайт").unwrap(), menu[at..].find("Петиції громади").unwrap());
        assert!(site < petitions, "[{b}] the link moved to the top");
        operator.submit(page, &format!("{page}/reset"), &[]).await;
        let menu = hromada_testkit::browser::decode_entities(&chat(&r, "mn", &[("text", "меню")]).await.body);
        assert!(menu.contains("consultations|list"), "[{b}] the default menu again");
    }
}

#[tokio::test]
async fn a_resident_registers_in_the_chat_with_the_phone_the_messenger_vouches_for() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "rg").await;
        hook(&app, &path, &secret, &press(1, 920, "appeals|mine")).await;
        wait_text(&fake, "920", "пов’язати чат").await;
        let asked = fake.last_to("920").unwrap();
        assert_eq!(asked["reply_markup"]["inline_keyboard"][1][0]["callback_data"], "bot|register", "[{b}] {asked}");
        hook(&app, &path, &secret, &press(2, 920, "bot|register")).await;
        wait_text(&fake, "920", "прізвище та ім’я, як у документах").await;
        hook(&app, &path, &secret, &message(3, 920, json!({ "text": "Оксана" }))).await;
        wait_text(&fake, "920", "щонайменше прізвище").await;
        hook(&app, &path, &secret, &message(4, 920, json!({ "text": "Коваленко Оксана" }))).await;
        wait_text(&fake, "920", "Поділіться своїм номером").await;
        let own = message(
            5,
            920,
            json!({ "contact": { "phone_number": "380991112233", "first_name": "Оксана", "user_id": 920 } }),
        );
        hook(&app, &path, &secret, &own).await;
        let done = wait_text(&fake, "920", "Обліковий запис створено").await;
        assert!(done.contains("Коваленко Оксана") && done.contains("+380991112233"), "[{b}] {done}");
        let user = users::by_verified_phone(&app.db, c.id, "+380991112233").await.unwrap().expect("an account");
        assert_eq!(user.identity_level(), hromada_kernel::IdentityLevel::Phone, "[{b}]");
        let chat = bot_store::chat_by_external(&app.db, c.id, Channel::Telegram, "920").await.unwrap().unwrap();
        assert_eq!(chat.user_id, Some(user.id), "[{b}]");
        // The account works in the chat at once.
        hook(&app, &path, &secret, &press(6, 920, "appeals|mine")).await;
        wait_text(&fake, "920", "ще немає звернень").await;
        // The same phone from another chat finds the same account.
        hook(&app, &path, &secret, &press(7, 921, "bot|register")).await;
        hook(&app, &path, &secret, &message(8, 921, json!({ "text": "Оксана Коваленко" }))).await;
        let again = message(
            9,
            921,
            json!({ "contact": { "phone_number": "+380991112233", "first_name": "О", "user_id": 921 } }),
        );
        hook(&app, &path, &secret, &again).await;
        wait_text(&fake, "921", "уже підтверджено").await;
        let second = bot_store::chat_by_external(&app.db, c.id, Channel::Telegram, "921").await.unwrap().unwrap();
        assert_eq!(second.user_id, Some(user.id), "[{b}] one person, one account");
    }
}

#[tokio::test]
async fn a_bot_served_by_long_polling_answers_and_confirms_its_updates() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let c = app.community("lp").await;
        hromada_bot::setup::connect_telegram(&app.db, &c, "7:POLL", "poll_bot", &fake.base, "", false).await.unwrap();
        assert!(!fake.calls().iter().any(|call| call.method == "setWebhook"), "[{b}] no webhook when polling");
        let tenant = hromada_web::Tenant { community: c.clone(), base: "/c/lp".into() };
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let polling = tokio::spawn(hromada_bot::setup::poll_telegram(app.state.clone(), tenant, stopped));
        fake.push_update(message(41, 990, json!({ "text": "/start" })));
        fake.push_update(press(42, 990, "bot|lang:en"));
        let texts = fake.wait_for("990", 3).await;
        assert!(texts[0].contains("Вітаємо!") && texts[2] == "Main menu:", "[{b}] {texts:?}");
        assert!(fake.calls().iter().any(|call| call.method == "answerCallbackQuery"), "[{b}] the press was answered");
        // The updates were confirmed: polling again gives nothing new to answer.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(fake.texts_to("990").len(), 3, "[{b}] each update handled once");
        stop.send(true).unwrap();
        polling.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn a_chat_in_english_is_answered_in_english_throughout() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "en").await;
        petition(&app, &c, "Ліхтарі").await;
        let mut start = message(1, 930, json!({ "text": "/start" }));
        start["message"]["from"]["language_code"] = json!("en-GB");
        hook(&app, &path, &secret, &start).await;
        let texts = fake.wait_for("930", 2).await;
        assert!(texts[0].starts_with("Welcome!") && texts[1] == "Main menu:", "[{b}] {texts:?}");
        let menu = fake.last_to("930").unwrap();
        let labels: Vec<String> = menu["reply_markup"]["inline_keyboard"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row.as_array().unwrap().iter().map(|b| b["text"].as_str().unwrap().to_owned()))
            .collect();
        assert!(
            labels.iter().any(|l| l.ends_with("Petitions")) && labels.iter().any(|l| l.ends_with("Write an appeal")),
            "[{b}] {labels:?}"
        );
        hook(&app, &path, &secret, &press(2, 930, "petitions|list")).await;
        wait_text(&fake, "930", "Petitions collecting signatures:").await;
        hook(&app, &path, &secret, &press(3, 930, "appeals|new")).await;
        wait_text(&fake, "930", "link this chat to your community account").await;
        hook(&app, &path, &secret, &message(4, 930, json!({ "text": "hello?" }))).await;
        wait_text(&fake, "930", "I did not understand that").await;
    }
}

/// A message from a resident whose Telegram speaks English.
fn message_en(update: i64, chat: i64, body: Value) -> Value {
    let mut m = message(update, chat, body);
    m["message"]["from"]["language_code"] = json!("en");
    m
}

#[tokio::test]
async fn every_module_flow_runs_in_english_too() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeTelegram::start().await;
        let (c, path, secret) = telegram(&app, &fake, "ef").await;
        let number = petition(&app, &c, "Street lights").await;
        let poll = Survey {
            sections: vec![],
            questions: vec![Question {
                title: LocalizedText::new("Чи потрібен сквер?", Some("Do we need a square?".into())),
                ..question("q", "", QuestionKind::Single { options: choices(&["Так", "Ні"]), other: false })
            }],
        };
        let poll = survey(&app, &c, SurveyKind::Poll, "Сквер", poll).await;
        let user = verified(&app, &c, "en@ef.test", "5556667778").await;
        let token = "english-link-token-0123456789abcdefghijklmn";
        let expires = app.now() + chrono::Duration::minutes(5);
        bot_store::create_link(&app.db, c.id, &hromada_web::auth::hash_token(token), user.id, expires).await.unwrap();
        let mut n = 0;
        let mut step = |body: Value| {
            n += 1;
            message_en(n, 940, body)
        };
        let mut presses = 100;
        let mut tap = |data: &str| {
            presses += 1;
            press(presses, 940, data)
        };
        let script: Vec<(Value, &str)> = vec![
            (step(json!({ "text": format!("/start link-{token}") })), "This chat is now linked"),
            // Petitions: read and sign.
            (tap(&format!("petitions|p:{number}")), "Collecting until"),
            (tap(&format!("petitions|sign:{number}")), "Signature No. 1 counted"),
            // A quick poll.
            (tap(&format!("consultations|s:{poll}")), "Question 1 of 1"),
            (tap("consultations|o:0"), "Send your answers?"),
            (tap("consultations|send"), "Results (1 answered)"),
            // An appeal.
            (tap("appeals|new"), "What kind of appeal is it?"),
            (tap("appeals|k:proposal"), "What is it about?"),
            (tap("appeals|c:8"), "Describe the matter"),
            (step(json!({ "text": "Please put benches by the pond in the park" })), "Add a photo"),
            (tap("appeals|skip"), "Where is it?"),
            (tap("appeals|skip"), "Your surname and given name?"),
            (tap("appeals|same"), "Your address"),
            (step(json!({ "text": "Zelene, Parkova St. 1" })), "Where should the answer go?"),
            (tap("appeals|same"), "Check your appeal"),
            (tap("appeals|send"), "The appeal is registered as No."),
            // An Open City report.
            (tap("city|new"), "Pick a category"),
            (tap("city|c:pothole"), "Send a photo of the problem"),
            (tap("city|skip"), "Where is it?"),
            (step(json!({ "location": { "latitude": 48.5, "longitude": 35.1 } })), "Describe the problem"),
            (step(json!({ "text": "A deep pothole by the school" })), "Check your report"),
            (tap("city|send"), "Report No. 1 is sent"),
            // Officials and subscriptions.
            (tap("bot|subs"), "You are not subscribed to anything"),
            (tap("bot|official"), "Write your question in one message"),
        ];
        for (update, expected) in script {
            let before = fake.texts_to("940").len();
            assert_eq!(hook(&app, &path, &secret, &update).await.status(), 200, "[{b}]");
            // The answer to this step, not an earlier one that said the same.
            let mut found = false;
            for _ in 0..200 {
                if fake.texts_to("940").iter().skip(before).any(|t| t.contains(expected)) {
                    found = true;
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
            assert!(found, "[{b}] no {expected:?} after {update}: {:?}", &fake.texts_to("940")[before..]);
        }
        assert!(
            !fake.texts_to("940").iter().any(|t| t.contains("Головне меню") || t.contains("Оберіть")),
            "[{b}] all in English"
        );
    }
}
