//! The chatbot in Viber end to end: signed callbacks to the webhook, replies through a local fake
//! of the REST bot API that checks what the real one checks.

use crate::bot::petition;
use hromada_bot::store::{self as bot_store, Channel};
use hromada_bot::viber;
use hromada_consultations::domain::{Choice, Question, QuestionKind, Survey};
use hromada_consultations::store::{self as surveys, NewSurvey, SurveyKind};
use hromada_db::core::{communities, users};
use hromada_kernel::{Eligibility, LocalizedText};
use hromada_petitions::store as petitions;
use hromada_testkit::fakes::{FakeViber, ViberTrouble, viber_signature};
use hromada_testkit::{TestApp, spawn_apps};
use serde_json::{Value, json};
use std::time::Duration;

const TOKEN: &str = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";
const URI: &str = "hromada_viber";

/// A community with a Viber bot pointed at the fake; gives the webhook path.
async fn viber_bot(app: &TestApp, fake: &FakeViber, slug: &str) -> (communities::Community, String) {
    let c = app.community(slug).await;
    let site = format!("{}/c/{slug}", app.base);
    let url = hromada_bot::setup::connect_viber(&app.db, &c, TOKEN, URI, &fake.base, &site, true).await.unwrap();
    let config = bot_store::channel_of(&app.db, c.id, Channel::Viber).await.unwrap().unwrap();
    let registered = fake.calls().into_iter().find(|c| c.method == "set_webhook").expect("set_webhook");
    assert_eq!(registered.token, TOKEN);
    assert_eq!(registered.body["url"], url.as_str());
    assert!(url.ends_with(&format!("/hooks/viber/{}", config.hook)));
    assert_eq!((config.username.as_str(), config.enabled), (URI, true));
    (c, format!("/c/{slug}/hooks/viber/{}", config.hook))
}

/// Posts a callback signed with `token`, as Viber does.
async fn callback(app: &TestApp, path: &str, token: &str, event: &Value) -> reqwest::Response {
    let body = event.to_string();
    reqwest::Client::new()
        .post(app.url(path))
        .header("X-Viber-Content-Signature", viber_signature(token, body.as_bytes()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn message(token: u64, user: &str, body: Value) -> Value {
    json!({ "event": "message", "timestamp": 1457764197627u64, "message_token": token, "chat_hostname": "SN-1_",
        "sender": { "id": user, "name": "Оксана", "language": "uk", "country": "UA", "api_version": 10 },
        "message": body, "silent": false })
}

fn text(token: u64, user: &str, text: &str) -> Value {
    message(token, user, json!({ "type": "text", "text": text }))
}

/// A press of a keyboard button: Viber sends the button's body back as text.
fn press(token: u64, user: &str, data: &str) -> Value {
    text(token, user, &format!("{}{data}", viber::PRESS))
}

fn started(token: u64, user: &str, context: Option<&str>, subscribed: bool) -> Value {
    let mut event = json!({ "event": "conversation_started", "timestamp": 1457764197627u64, "message_token": token,
        "type": "open", "subscribed": subscribed,
        "user": { "id": user, "name": "Оксана", "language": "uk", "country": "UA", "api_version": 10 } });
    if let Some(context) = context {
        event["context"] = json!(context);
    }
    event
}

/// A quick poll open for a week.
async fn poll(app: &TestApp, c: &communities::Community, title: &str) -> uuid::Uuid {
    let text = |s: &str| LocalizedText::new(s, None);
    let options = ["Так", "Ні"].iter().enumerate().map(|(i, l)| Choice { value: format!("v{i}"), label: text(l) });
    let question = Question {
        key: "q".into(),
        title: text(title),
        hint: None,
        required: true,
        section: 0,
        kind: QuestionKind::Single { options: options.collect(), other: false },
        show_when: None,
    };
    let new = NewSurvey {
        kind: SurveyKind::Poll,
        title: text(title),
        description: "",
        definition: Survey { sections: vec![], questions: vec![question] },
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

fn buttons(message: &Value) -> Vec<Value> {
    message["keyboard"]["Buttons"].as_array().cloned().unwrap_or_default()
}

async fn chat_of(app: &TestApp, c: &communities::Community, user: &str) -> Option<bot_store::Chat> {
    bot_store::chat_by_external(&app.db, c.id, Channel::Viber, user).await.unwrap()
}

#[tokio::test]
async fn the_viber_webhook_checks_signatures_greets_and_handles_a_message_once() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeViber::start(&[TOKEN]).await;
        let (c, path) = viber_bot(&app, &fake, "vb").await;
        petition(&app, &c, "Ліхтарі на вулиці Садовій").await;
        let opened = started(1, "v1", None, false);

        // A wrong signature or none is refused with nothing stored; a wrong path is not found.
        let forged = callback(&app, &path, "another-bots-token", &opened).await;
        assert_eq!(forged.status(), 403, "[{b}]");
        let unsigned = reqwest::Client::new().post(app.url(&path)).json(&opened).send().await.unwrap();
        assert_eq!(unsigned.status(), 403, "[{b}]");
        let unknown = callback(&app, "/c/vb/hooks/viber/no-such-hook", TOKEN, &opened).await;
        assert_eq!(unknown.status(), 404, "[{b}]");
        assert!(chat_of(&app, &c, "v1").await.is_none(), "[{b}]");

        // Junk, receipts and what the bot does not serve are acknowledged, never retried.
        let junk = reqwest::Client::new()
            .post(app.url(&path))
            .header("X-Viber-Content-Signature", viber_signature(TOKEN, b"{not json"))
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(junk.status(), 200, "[{b}]");
        let sticker = message(2, "v1", json!({ "type": "sticker", "sticker_id": 46105 }));
        assert_eq!(callback(&app, &path, TOKEN, &sticker).await.status(), 200, "[{b}]");
        let seen = json!({ "event": "seen", "timestamp": 1, "message_token": 3, "user_id": "v1" });
        assert_eq!(callback(&app, &path, TOKEN, &seen).await.status(), 200, "[{b}]");
        assert!(chat_of(&app, &c, "v1").await.is_none(), "[{b}]");

        // A resident who opens the chat without subscribing can only get the webhook's answer:
        // the greeting and the menu come back in it, and nothing is sent.
        fake.unsubscribe("v1");
        let greeted = callback(&app, &path, TOKEN, &opened).await;
        assert_eq!(greeted.status(), 200, "[{b}]");
        let welcome: Value = greeted.json().await.unwrap();
        let said = welcome["text"].as_str().unwrap_or_default();
        assert!(said.contains("Вітаємо!") && said.contains("Головне меню"), "[{b}] {welcome}");
        assert!(welcome.get("receiver").is_none() && welcome["sender"]["name"] == URI, "[{b}] {welcome}");
        assert!(buttons(&welcome).iter().any(|b| b["ActionBody"] == "press:petitions|list"), "[{b}] {welcome}");
        let chat = chat_of(&app, &c, "v1").await.unwrap();
        assert!(!chat.active, "[{b}] nothing can be pushed before the resident writes");
        assert_eq!(bot_store::queued(&app.db, c.id).await.unwrap(), 0, "[{b}]");

        // Writing subscribes. The same message delivered many times at once is one turn.
        fake.subscribe("v1");
        let hello = text(10, "v1", "де мій автобус?");
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (url, hello) = (app.url(&path), hello.to_string());
            sends.spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .header("X-Viber-Content-Signature", viber_signature(TOKEN, hello.as_bytes()))
                    .body(hello)
                    .send()
                    .await
                    .unwrap()
                    .status()
            });
        }
        while let Some(status) = sends.join_next().await {
            assert_eq!(status.unwrap(), 200, "[{b}]");
        }
        let texts = fake.wait_for("v1", 2).await;
        assert!(texts[0].contains("Не зрозумів") && texts[1].contains("Головне меню"), "[{b}] {texts:?}");
        let chat = chat_of(&app, &c, "v1").await.unwrap();
        assert!(chat.active, "[{b}]");
        assert_eq!(chat.messages, 6, "[{b}] the opening turn and one message with two replies each");
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(fake.texts_to("v1").len(), 2, "[{b}] sent once");
        let menu = fake.last_to("v1").unwrap();
        let listed = buttons(&menu).into_iter().find(|b| b["ActionBody"] == "press:petitions|list");
        let listed = listed.unwrap_or_else(|| panic!("[{b}] no petitions button: {menu}"));
        assert_eq!((listed["ActionType"].as_str(), listed["Silent"].as_bool()), (Some("reply"), Some(true)));

        // A press on the menu comes back as the button's data; typed text stays text.
        callback(&app, &path, TOKEN, &press(11, "v1", "petitions|list")).await;
        let texts = fake.wait_for("v1", 3).await;
        assert!(texts[2].contains("Ліхтарі на вулиці Садовій"), "[{b}] {texts:?}");
        callback(&app, &path, TOKEN, &text(12, "v1", "petitions|list")).await;
        let texts = fake.wait_for("v1", 5).await;
        assert!(texts[3].contains("Не зрозумів"), "[{b}] {texts:?}");
        callback(&app, &path, TOKEN, &press(13, "v1", "bot|lang:en")).await;
        let texts = fake.wait_for("v1", 6).await;
        assert_eq!(texts[5], "Main menu:", "[{b}] the chat switched to English");
    }
}

#[tokio::test]
async fn a_viber_chat_is_linked_by_a_deep_link_verifies_its_phone_and_signs() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeViber::start(&[TOKEN]).await;
        let (c, path) = viber_bot(&app, &fake, "vl").await;
        let number = petition(&app, &c, "Нова зупинка").await;
        let survey = poll(&app, &c, "Чи потрібен новий сквер?").await;
        let levels = json!({ "petitions.sign": "phone", "consultations.respond": "phone" });
        communities::set_statute(&app.db, c.id, "identity", levels).await.unwrap();
        let user = app.user(&c, "link@vl.test", &[]).await;

        // Unlinked: signing asks to link the account, with a button that opens the page for it.
        callback(&app, &path, TOKEN, &press(1, "v7", &format!("petitions|sign:{number}"))).await;
        fake.wait_for("v7", 1).await;
        let asked = fake.last_to("v7").unwrap();
        assert!(asked["text"].as_str().unwrap().contains("пов’язати чат"), "[{b}] {asked}");
        let link = &buttons(&asked)[0];
        assert_eq!(link["ActionType"], "open-url", "[{b}] {asked}");
        assert!(link["ActionBody"].as_str().unwrap().ends_with("/chat/link?channel=viber"), "[{b}] {asked}");
        // Viber sends a pressed link's address back; it is not read as the resident's words.
        callback(&app, &path, TOKEN, &text(2, "v7", link["ActionBody"].as_str().unwrap())).await;

        // The signed-in resident gets a one-time deep link on the website.
        let web = app.signed_in(&c, "link@vl.test").await;
        let page = hromada_testkit::browser::decode_entities(&web.get("/c/vl/chat/link").await.body);
        let prefix = format!("viber://pa?chatURI={URI}&context=");
        let at = page.find(&prefix).unwrap_or_else(|| panic!("[{b}] no Viber deep link: {page}"));
        let context: String = page[at + prefix.len()..]
            .chars()
            .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_')
            .collect();
        assert!(context.starts_with("link-"), "[{b}] {context}");
        callback(&app, &path, TOKEN, &started(3, "v7", Some(&context), true)).await;
        let texts = fake.wait_for("v7", 3).await;
        assert_eq!(texts.len(), 3, "[{b}] the link's echo was ignored: {texts:?}");
        assert!(texts[1].contains("пов’язано") && texts[1].contains(&user.full_name), "[{b}] {texts:?}");
        // The code works once: another resident, not yet subscribed, is told in the welcome.
        let late = callback(&app, &path, TOKEN, &started(4, "v8", Some(&context), false)).await;
        let welcome: Value = late.json().await.unwrap();
        assert!(welcome["text"].as_str().unwrap_or_default().contains("недійсне"), "[{b}] {welcome}");

        // The community asks a verified phone for answering polls: the chat asks for it with
        // Viber's share-phone button.
        callback(&app, &path, TOKEN, &press(5, "v7", &format!("consultations|s:{survey}"))).await;
        fake.wait_for("v7", 4).await;
        let ask = fake.last_to("v7").unwrap();
        assert!(ask["text"].as_str().unwrap().contains("поділитися своїм контактом"), "[{b}] {ask}");
        assert_eq!(buttons(&ask)[0]["ActionType"], "share-phone", "[{b}] {ask}");
        let needs = (ask["min_api_version"].as_u64(), ask["tracking_data"].as_str());
        assert_eq!(needs, (Some(3), Some(viber::ASK_CONTACT)), "[{b}] {ask}");

        // A contact card sent otherwise is not taken as the resident's own. The menu after the
        // refusal replaces the keyboard (Viber shows the last one), so the poll asks again.
        let card = message(
            6,
            "v7",
            json!({ "type": "contact", "contact": { "name": "Друг", "phone_number": "+380501112233" } }),
        );
        callback(&app, &path, TOKEN, &card).await;
        let texts = fake.wait_for("v7", 6).await;
        assert!(texts[4].contains("лише власний"), "[{b}] {texts:?}");
        assert!(fake.last_to("v7").unwrap().get("tracking_data").is_none(), "[{b}]");
        callback(&app, &path, TOKEN, &press(7, "v7", &format!("consultations|s:{survey}"))).await;
        fake.wait_for("v7", 7).await;
        assert_eq!(fake.last_to("v7").unwrap()["tracking_data"], viber::ASK_CONTACT, "[{b}]");
        // The share-phone button's answer comes with the asking message's tracking data.
        let shared = message(
            8,
            "v7",
            json!({ "type": "contact", "tracking_data": viber::ASK_CONTACT,
                "contact": { "name": "Оксана", "phone_number": "380671234567" } }),
        );
        callback(&app, &path, TOKEN, &shared).await;
        let texts = fake.wait_for("v7", 9).await;
        assert!(texts[7].contains("+380671234567 підтверджено"), "[{b}] {texts:?}");
        let stored = users::by_id(&app.db, c.id, user.id).await.unwrap().unwrap();
        assert_eq!(stored.phone.as_deref(), Some("+380671234567"), "[{b}]");
        assert!(stored.phone_verified_at.is_some(), "[{b}]");

        // Signing asks a verified phone too: now the chat signs, and the signature is the
        // website's own.
        callback(&app, &path, TOKEN, &press(9, "v7", &format!("petitions|sign:{number}"))).await;
        let texts = fake.wait_for("v7", 10).await;
        assert!(texts[9].contains("Підпис № 1 зараховано"), "[{b}] {texts:?}");
        let p = petitions::by_number(&app.db, c.id, number).await.unwrap().unwrap();
        assert_eq!(p.signature_count, 1, "[{b}]");
        let stored = users::by_id(&app.db, c.id, user.id).await.unwrap().unwrap();
        assert!(petitions::has_signed(&app.db, c.id, p.id, &hromada_web::auth::one_person_key(&stored)).await.unwrap());
    }
}

#[tokio::test]
async fn viber_delivery_waits_out_a_rate_limit_and_stops_for_an_unsubscribed_chat() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeViber::start(&[TOKEN]).await;
        let (c, path) = viber_bot(&app, &fake, "vd").await;

        // Too many requests: the bot pauses, then sends the turn's replies in order.
        fake.trouble(&[ViberTrouble::TooMany]);
        callback(&app, &path, TOKEN, &text(1, "v9", "привіт")).await;
        let mut texts = vec![];
        for _ in 0..300 {
            texts = fake.texts_to("v9");
            if texts.len() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(texts.len(), 2, "[{b}] {texts:?}");
        assert!(texts[0].contains("Не зрозумів") && texts[1] == "Головне меню:", "[{b}] order kept: {texts:?}");
        let today = app.now().date_naive();
        let mut figures = (0, 0);
        for _ in 0..100 {
            let stats = bot_store::delivery_stats(&app.db, c.id, today).await.unwrap();
            figures = stats.iter().find(|s| s.channel == "viber").map(|s| (s.sent, s.throttled)).unwrap_or_default();
            if figures.0 == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(figures, (2, 1), "[{b}]");

        // "receiverNotSubscribed" on sending: the chat is inactive and its queue dropped.
        fake.trouble(&[ViberTrouble::NotSubscribed]);
        callback(&app, &path, TOKEN, &text(3, "v9", "меню")).await;
        for _ in 0..100 {
            if !chat_of(&app, &c, "v9").await.unwrap().active {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(!chat_of(&app, &c, "v9").await.unwrap().active, "[{b}]");
        assert_eq!(bot_store::queued(&app.db, c.id).await.unwrap(), 0, "[{b}]");
        assert_eq!(fake.texts_to("v9").len(), 2, "[{b}]");

        // Viber's own "unsubscribed" makes a chat inactive at once; "subscribed" brings it back.
        callback(&app, &path, TOKEN, &text(4, "v10", "меню")).await;
        fake.wait_for("v10", 1).await;
        assert!(chat_of(&app, &c, "v10").await.unwrap().active, "[{b}]");
        let left = json!({ "event": "unsubscribed", "timestamp": 1, "message_token": 5, "user_id": "v10" });
        assert_eq!(callback(&app, &path, TOKEN, &left).await.status(), 200, "[{b}]");
        assert!(!chat_of(&app, &c, "v10").await.unwrap().active, "[{b}]");
        let back = json!({ "event": "subscribed", "timestamp": 1, "message_token": 6,
            "user": { "id": "v10", "name": "Оксана", "language": "uk", "api_version": 10 } });
        assert_eq!(callback(&app, &path, TOKEN, &back).await.status(), 200, "[{b}]");
        let chat = chat_of(&app, &c, "v10").await.unwrap();
        assert!(chat.active && chat.messages == 2, "[{b}] the subscription itself says nothing");
    }
}

#[tokio::test]
async fn connecting_a_viber_bot_with_a_wrong_token_keeps_the_working_one() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeViber::start(&[TOKEN]).await;
        let (c, path) = viber_bot(&app, &fake, "vc").await;
        let site = format!("{}/c/vc", app.base);
        let refused = hromada_bot::setup::connect_viber(&app.db, &c, "wrong", URI, &fake.base, &site, true).await;
        assert!(refused.is_err(), "[{b}]");
        let config = bot_store::channel_of(&app.db, c.id, Channel::Viber).await.unwrap().unwrap();
        assert_eq!((config.token.as_str(), config.enabled), (TOKEN, true), "[{b}]");
        assert!(path.ends_with(&config.hook), "[{b}] the old webhook still answers");
    }
}

#[tokio::test]
async fn a_picture_sent_to_the_viber_bot_becomes_a_reports_photo() {
    for app in spawn_apps().await {
        let b = app.backend;
        let fake = FakeViber::start(&[TOKEN]).await;
        let (c, path) = viber_bot(&app, &fake, "vp").await;
        let user = app.user(&c, "pic@vp.test", &[]).await;
        let token = "viber-photo-link-token-0123456789abcdefghij";
        let expires = app.now() + chrono::Duration::minutes(5);
        bot_store::create_link(&app.db, c.id, &hromada_web::auth::hash_token(token), user.id, expires).await.unwrap();
        let picture = fake.put_media("yama.png", crate::bot::png());
        let link = format!("link-{token}");
        let steps = [
            started(1, "vp1", Some(&link), true),
            press(2, "vp1", "city|new"),
            press(3, "vp1", "city|c:pothole"),
            message(4, "vp1", json!({ "type": "picture", "media": picture, "text": "" })),
            message(5, "vp1", json!({ "type": "location", "location": { "lat": 48.5, "lon": 35.0 } })),
            text(6, "vp1", "Яма на перехресті біля ринку"),
            press(7, "vp1", "city|send"),
        ];
        for event in &steps {
            assert_eq!(callback(&app, &path, TOKEN, event).await.status(), 200, "[{b}]");
        }
        let mut report = None;
        for _ in 0..100 {
            report = hromada_city::store::by_number(&app.db, c.id, 1).await.unwrap();
            if report.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let report = report.expect("the report was filed");
        let photos = hromada_media::store::list_for(&app.db, c.id, "city", &report.id.to_string()).await.unwrap();
        assert_eq!(photos.len(), 1, "[{b}] the Viber picture belongs to the report");
    }
}
