//! Booking through its pages: staff set a window's hours, a resident takes a free slot and gets
//! a code, moves and cancels it; nobody takes a slot twice however many try at once; holidays
//! and days that differ close or change the hours; staff work the day's queue with walk-ins;
//! reminders go the day before; the chatbot books too.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use hromada_booking::{domain, store};
use hromada_db::core::{communities::Community, holidays, outbox};
use hromada_kernel::{FixedClock, Role};
use hromada_testkit::{Browser, Options, TestApp, spawn_apps_with};
use std::sync::Arc;

/// Monday 30 November 2026, 09:00 in Kyiv.
fn monday_nine() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap()
}

async fn apps(clock: &Arc<FixedClock>) -> Vec<TestApp> {
    spawn_apps_with(Options { clock: Some(clock.clone()), ..Default::default() }).await
}

const WINDOW: &[(&str, &str)] = &[
    ("kind", "cnap"),
    ("name_uk", "Паспортні послуги (вікно 3)"),
    ("place", "ЦНАП"),
    ("address", "вул. Центральна, 1"),
    ("slot_minutes", "30"),
    ("horizon_days", "7"),
    ("cancel_before_minutes", "60"),
    ("active", "1"),
    ("mon", "08:00-12:00"),
    ("tue", "08:00-12:00"),
    ("wed", "08:00-12:00"),
    ("thu", "08:00-12:00"),
    ("fri", "08:00-12:00"),
];

/// Staff add the window; gives the community, the staff's browser and the window's id.
async fn window(app: &TestApp, slug: &str) -> (Community, Browser, uuid::Uuid) {
    let c = app.community(slug).await;
    app.user(&c, &format!("cnap@{slug}.test"), &[Role::CnapStaff]).await;
    let staff = app.signed_in(&c, &format!("cnap@{slug}.test")).await;
    let new = format!("/c/{slug}/admin/booking/new");
    let saved = staff.submit(&new, &new, WINDOW).await;
    assert_eq!(saved.status, 303, "[{}] {}", app.backend, saved.html());
    let id = store::resources(&app.db, c.id, true).await.unwrap()[0].id;
    (c, staff, id)
}

async fn book(
    b: &Browser,
    slug: &str,
    resource: uuid::Uuid,
    at: chrono::DateTime<Utc>,
    moving: Option<uuid::Uuid>,
) -> String {
    let confirm = format!("/c/{slug}/booking/{resource}/confirm?at={}", at.timestamp());
    let ts = at.timestamp().to_string();
    let moving = moving.map(|m| m.to_string()).unwrap_or_default();
    let sent =
        b.submit(&confirm, &format!("/c/{slug}/booking/{resource}/book"), &[("at", &ts), ("move", &moving)]).await;
    assert_eq!(sent.status, 303, "{}", sent.html());
    b.follow(sent).await.html()
}

#[tokio::test]
async fn a_resident_books_moves_and_cancels_and_a_slot_is_never_taken_twice() {
    let clock = Arc::new(FixedClock::new(monday_nine()));
    for app in apps(&clock).await {
        clock.set(monday_nine());
        let bk = app.backend;
        let (c, staff, id) = window(&app, "bk").await;
        // Hours that do not read are refused, in Ukrainian.
        let edit = format!("/c/bk/admin/booking/{id}");
        let mut bad = WINDOW.to_vec();
        bad[8] = ("mon", "з ранку");
        let refused = staff.submit(&edit, &edit, &bad).await;
        assert_eq!(refused.status, 422, "[{bk}]");
        assert!(refused.html().contains("Години як 08:00-12:00"), "[{bk}]");

        let anna = app.user(&c, "anna@bk.test", &[]).await;
        let a = app.signed_in(&c, "anna@bk.test").await;
        app.user(&c, "borys@bk.test", &[]).await;
        let b = app.signed_in(&c, "borys@bk.test").await;
        let page = a.get(&format!("/c/bk/booking/{id}")).await.html();
        // 09:00 is under way: the first slot offered is 09:30, then 10:00, 10:30, 11:00, 11:30.
        assert!(!page.contains(">09:00<") && page.contains(">09:30<") && page.contains(">11:30<"), "[{bk}] {page}");
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let ten = domain::slot_instant(monday, 600);
        let mine = book(&a, "bk", id, ten, None).await;
        assert!(mine.contains("Ви записані"), "[{bk}] {mine}");
        let visit = store::of_user(&app.db, c.id, anna.id, 10).await.unwrap().remove(0);
        assert!(mine.contains(&visit.code), "[{bk}] the code is shown");
        let mail = outbox::recent(&app.db, c.id, 5).await.unwrap();
        assert!(
            mail.iter().any(|m| m.to_addr == "anna@bk.test" && m.body_text.contains(&visit.code)),
            "[{bk}] confirmed by mail"
        );

        // The same slot for someone else, a slot in the past, a second visit for Anna: refused.
        assert!(book(&b, "bk", id, ten, None).await.contains("Цей час щойно зайняли"), "[{bk}]");
        assert!(
            book(&b, "bk", id, domain::slot_instant(monday, 480), None).await.contains("Цей час уже минув"),
            "[{bk}]"
        );
        assert!(
            book(&b, "bk", id, domain::slot_instant(monday, 605), None).await.contains("Такого часу в розкладі немає")
        );
        let eleven = domain::slot_instant(monday, 660);
        assert!(book(&a, "bk", id, eleven, None).await.contains("У вас уже є запис сюди"), "[{bk}]");
        // Anna moves hers to 11:00: ten o'clock is free again, and Borys takes it.
        assert!(book(&a, "bk", id, eleven, Some(visit.id)).await.contains("Ви записані"), "[{bk}]");
        assert_eq!(store::visit(&app.db, c.id, visit.id).await.unwrap().unwrap().status, "cancelled", "[{bk}]");
        assert!(book(&b, "bk", id, ten, None).await.contains("Ви записані"), "[{bk}]");
        // Too close to the time, Borys can no longer cancel; Anna still can.
        clock.advance(Duration::minutes(40));
        let borys = store::taken(&app.db, c.id, id, ten, ten + Duration::minutes(1)).await.unwrap();
        assert_eq!(borys.len(), 1, "[{bk}]");
        let at_ten = store::day_visits(&app.db, c.id, id, ten, ten + Duration::minutes(1)).await.unwrap();
        let borys_visit = at_ten.iter().find(|v| v.status == "booked").unwrap().id;
        let late = b.submit("/c/bk/booking/mine", &format!("/c/bk/booking/visits/{borys_visit}/cancel"), &[]).await;
        assert!(b.follow(late).await.html().contains("Змінити запис уже не можна"), "[{bk}]");
        let anna_visit = store::of_user(&app.db, c.id, anna.id, 10).await.unwrap()[0].id;
        let cancelled = a.submit("/c/bk/booking/mine", &format!("/c/bk/booking/visits/{anna_visit}/cancel"), &[]).await;
        assert!(a.follow(cancelled).await.html().contains("Запис скасовано"), "[{bk}]");
        // Another resident cannot cancel Anna's visit by its id.
        let foreign = b.submit("/c/bk/booking/mine", &format!("/c/bk/booking/visits/{anna_visit}/cancel"), &[]).await;
        assert_eq!(foreign.status, 404, "[{bk}]");
    }
}

#[tokio::test]
async fn a_thousand_attempts_at_one_slot_make_exactly_one_visit() {
    let clock = Arc::new(FixedClock::new(monday_nine()));
    for app in apps(&clock).await {
        let bk = app.backend;
        let (c, _, id) = window(&app, "rush").await;
        let community = c.id;
        let at = domain::slot_instant(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), 540);
        let visit = |user: hromada_kernel::UserId, i: u32, at| store::NewVisit {
            resource: id,
            starts_at: at,
            ends_at: at + Duration::minutes(30),
            user: Some(user),
            name: format!("Мешканець {i}"),
            phone: None,
            code: format!("C{i:05}"),
            walk_in: false,
        };
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..1_000u32 {
            let (db, v) = (app.db.clone(), visit(hromada_kernel::new_id(), i, at));
            tasks.spawn(async move { store::book(&db, community, &v, None, monday_nine()).await });
        }
        let (mut booked, mut taken) = (0, 0);
        while let Some(done) = tasks.join_next().await {
            match done.unwrap() {
                Ok(_) => booked += 1,
                Err(store::BookError::Refused(domain::Refusal::Taken)) => taken += 1,
                Err(e) => panic!("[{bk}] {e:?}"),
            }
        }
        assert_eq!((booked, taken), (1, 999), "[{bk}]");
        assert_eq!(
            store::taken(&app.db, community, id, at, at + Duration::minutes(1)).await.unwrap().len(),
            1,
            "[{bk}]"
        );

        // One person trying fifty different slots at once still has one visit to come.
        let person = hromada_kernel::new_id();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..50u32 {
            let slot = domain::slot_instant(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), 480 + (i as u16 % 8) * 30);
            let (db, v) = (app.db.clone(), visit(person, 2_000 + i, slot));
            tasks.spawn(async move { store::book(&db, community, &v, None, monday_nine()).await });
        }
        let mut ok = 0;
        while let Some(done) = tasks.join_next().await {
            if done.unwrap().is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 1, "[{bk}]");
    }
}

#[tokio::test]
async fn holidays_and_days_that_differ_change_the_hours() {
    let clock = Arc::new(FixedClock::new(monday_nine()));
    for app in apps(&clock).await {
        let bk = app.backend;
        let (_, staff, id) = window(&app, "hol").await;
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let wednesday = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let day =
            holidays::CalendarDay { day: wednesday, name_uk: "Свято".into(), name_en: None, is_working: false };
        holidays::upsert(&app.db, &day).await.unwrap();
        let edit = format!("/c/hol/admin/booking/{id}");
        let short = staff
            .submit(
                &edit,
                &format!("{edit}/exceptions"),
                &[("day", "2026-12-01"), ("hours", "10:00-11:00"), ("note", "Навчання")],
            )
            .await;
        assert_eq!(short.status, 303, "[{bk}] {}", short.html());
        let bad = staff.submit(&edit, &format!("{edit}/exceptions"), &[("day", "завтра"), ("hours", "10-11")]).await;
        assert_eq!(bad.status, 422, "[{bk}]");
        let slots = app.browser().get(&format!("/c/hol/api/v1/booking/resources/{id}/slots")).await.json();
        let days = slots.as_array().unwrap();
        let on = |d: NaiveDate| days.iter().find(|x| x["date"] == d.to_string()).cloned();
        let tue = on(tuesday).expect("Tuesday is open");
        let times: Vec<&str> = tue["slots"].as_array().unwrap().iter().map(|s| s["time"].as_str().unwrap()).collect();
        assert_eq!(times, vec!["10:00", "10:30"], "[{bk}]");
        assert_eq!(tue["note"], "Навчання", "[{bk}]");
        assert!(on(wednesday).is_none(), "[{bk}] closed on the holiday");
        assert!(on(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()).is_none(), "[{bk}] Saturday has no hours");
        assert_eq!(days.len(), 4, "[{bk}] Mon, Tue, Thu, Fri of the seven days: {slots}");
    }
}

#[tokio::test]
async fn staff_work_the_day_with_walk_ins_codes_and_a_printable_list_and_reminders_go_once() {
    let clock = Arc::new(FixedClock::new(monday_nine()));
    for app in apps(&clock).await {
        clock.set(monday_nine());
        let bk = app.backend;
        let (c, staff, id) = window(&app, "day").await;
        app.user(&c, "olha@day.test", &[]).await;
        let olha = app.signed_in(&c, "olha@day.test").await;
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        book(&olha, "day", id, domain::slot_instant(monday, 600), None).await;
        let tomorrow = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        app.user(&c, "petro@day.test", &[]).await;
        let petro = app.signed_in(&c, "petro@day.test").await;
        book(&petro, "day", id, domain::slot_instant(tomorrow, 540), None).await;

        let queue = format!("/c/day/admin/booking/{id}/day");
        let page = staff.get(&queue).await.html();
        assert!(page.contains("Тестовий olha") && page.contains(">Прийшов<"), "[{bk}] {page}");
        // A walk-in takes the slot under way.
        let now_slot = domain::slot_instant(monday, 540).timestamp().to_string();
        let walk_in = staff
            .submit(
                &queue,
                &format!("/c/day/admin/booking/{id}/walk-in"),
                &[("at", &now_slot), ("name", "Марія Гнатюк"), ("phone", "+380501112233")],
            )
            .await;
        assert!(staff.follow(walk_in).await.html().contains("Відвідувача додано"), "[{bk}]");
        let visits =
            store::day_visits(&app.db, c.id, id, domain::slot_instant(monday, 0), domain::slot_instant(tomorrow, 0))
                .await
                .unwrap();
        assert_eq!(visits.len(), 2, "[{bk}]");
        let booked = visits.iter().find(|v| !v.walk_in).unwrap();
        // The code shown at the counter finds the visit, in Cyrillic look-alikes too.
        let found = staff.get(&format!("/c/day/admin/booking/code?code={}", booked.code.to_lowercase())).await;
        assert_eq!(found.status, 303, "[{bk}]");
        assert!(found.location().unwrap().contains(&format!("#visit-{}", booked.id)), "[{bk}]");
        for step in ["arrived", "served"] {
            let marked = staff
                .submit(&queue, &format!("/c/day/admin/booking/visits/{}/status", booked.id), &[("to", step)])
                .await;
            assert_eq!(marked.status, 303, "[{bk}]");
        }
        assert_eq!(store::visit(&app.db, c.id, booked.id).await.unwrap().unwrap().status, "served", "[{bk}]");
        let again = staff
            .submit(&queue, &format!("/c/day/admin/booking/visits/{}/status", booked.id), &[("to", "arrived")])
            .await;
        assert!(staff.follow(again).await.html().contains("Стан уже змінено"), "[{bk}] no going back from served");
        let csv = staff.get(&format!("{queue}.csv?date=2026-11-30")).await;
        assert!(csv.body.contains("Марія Гнатюк") && csv.body.contains(",served,"), "[{bk}] {}", csv.body);
        // A resident may not open the queue.
        assert_eq!(olha.get(&queue).await.status, 403, "[{bk}]");

        // Reminders: Petro's visit is tomorrow; one reminder, however often the job runs.
        assert_eq!(hromada_booking::jobs::remind(&app.state).await.unwrap(), 1, "[{bk}]");
        assert_eq!(hromada_booking::jobs::remind(&app.state).await.unwrap(), 0, "[{bk}]");
        let mail = outbox::recent(&app.db, c.id, 10).await.unwrap();
        assert!(mail.iter().any(|m| m.to_addr == "petro@day.test" && m.subject.starts_with("Нагадування")), "[{bk}]");
    }
}

#[tokio::test]
async fn the_chatbot_books_a_time_and_cancels_it() {
    let clock = Arc::new(FixedClock::new(monday_nine()));
    for app in apps(&clock).await {
        clock.set(monday_nine());
        let bk = app.backend;
        let (c, _, id) = window(&app, "cb").await;
        let user = app.user(&c, "chat@cb.test", &[]).await;
        let r = app.signed_in(&c, "chat@cb.test").await;
        let chat = |fields: Vec<(&'static str, String)>| {
            let r = r.clone();
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let sent = r.submit("/c/cb/chat", "/c/cb/chat", &f).await;
                assert_eq!(sent.status, 303);
                let body = hromada_testkit::browser::decode_entities(&r.follow(sent).await.body);
                let at = body.rfind("class=\"chat-msg").expect("a message");
                body[at..].to_owned()
            }
        };
        let asked = chat(vec![("press", "booking|book".into())]).await;
        assert!(asked.contains(&format!("booking|r:{id}")), "[{bk}] {asked}");
        let days = chat(vec![("press", format!("booking|r:{id}"))]).await;
        assert!(days.contains(&format!("booking|d:{id}:2026-11-30")), "[{bk}] {days}");
        let times = chat(vec![("press", format!("booking|d:{id}:2026-12-01"))]).await;
        let at = domain::slot_instant(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), 480).timestamp();
        assert!(times.contains(&format!("booking|t:{id}:{at}")), "[{bk}] {times}");
        let confirm = chat(vec![("press", format!("booking|t:{id}:{at}"))]).await;
        assert!(confirm.contains("Записати вас?"), "[{bk}] {confirm}");
        let booked = chat(vec![("press", format!("booking|ok:{id}:{at}"))]).await;
        let visit = store::of_user(&app.db, c.id, user.id, 5).await.unwrap().remove(0);
        assert!(booked.contains(&visit.code) && booked.contains("01.12.2026 08:00"), "[{bk}] {booked}");
        let mine = chat(vec![("press", "booking|mine".into())]).await;
        assert!(mine.contains(&format!("booking|x:{}", visit.id)), "[{bk}] {mine}");
        let cancelled = chat(vec![("press", format!("booking|x:{}", visit.id))]).await;
        assert!(cancelled.contains("Запис скасовано"), "[{bk}] {cancelled}");
    }
}
