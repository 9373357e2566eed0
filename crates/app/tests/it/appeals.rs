//! Appeals through the pages: a resident files one and follows it to the answer, officials work
//! their inbox, deadlines remind and escalate, and the public dashboard counts real appeals.

use chrono::{Datelike, Duration};
use hromada_appeals::domain::{Action, Kind, Study};
use hromada_appeals::store::{self, NewAppeal, StepDetails};
use hromada_db::core::communities::Community;
use hromada_db::core::{departments, holidays, outbox};
use hromada_kernel::{DomainEvent, Role};
use hromada_testkit::{TestApp, spawn_apps};
use uuid::Uuid;

const ESSENCE: &str = "Третій тиждень не працює вуличне освітлення на вулиці Садовій від школи до зупинки.";

fn fields<'a>(submission: &'a str, essence: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "statement"),
        ("category", "utilities"),
        ("full_name", "Коваленко Ганна Петрівна"),
        ("settlement", "Місто"),
        ("street", "вул. Садова, 3"),
        ("contact", "hanna@ap.test"),
        ("essence", essence),
        ("submission", submission),
    ]
}

/// A department with one officer (and that officer as its head when asked).
async fn department(app: &TestApp, c: &Community, name: &str, officer_email: &str, head: bool) -> Uuid {
    let d = departments::create(&app.db, c.id, name, None, None, app.now()).await.unwrap();
    let officer = app.user(c, officer_email, &[Role::DepartmentOfficer]).await;
    departments::add_officer(&app.db, c.id, d, officer.id).await.unwrap();
    if head {
        assert!(departments::set_head(&app.db, c.id, d, Some(officer.id)).await.unwrap());
    }
    d
}

fn mails_to<'a>(mails: &'a [outbox::Mail], to: &str) -> Vec<&'a outbox::Mail> {
    mails.iter().filter(|m| m.to_addr == to).collect()
}

#[tokio::test]
async fn a_resident_files_an_appeal_and_follows_it_to_the_answer() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("ap").await;
        app.user(&c, "hanna@ap.test", &[]).await;
        app.user(&c, "other@ap.test", &[]).await;
        app.user(&c, "head@ap.test", &[Role::Admin]).await;
        let housing = department(&app, &c, "Відділ ЖКГ", "officer@ap.test", false).await;
        department(&app, &c, "Відділ освіти", "teacher@ap.test", false).await;
        let year = app.now().year();

        let hanna = app.signed_in(&c, "hanna@ap.test").await;
        let form = hanna.get("/c/ap/appeals/new").await;
        assert_eq!(form.status, 200, "[{b}]");
        assert!(form.text().contains("анонімним"), "[{b}] the form says why a name and address are asked");
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        let key = Uuid::now_v7().to_string();
        let filed = hanna
            .submit_files(
                "/c/ap/appeals/new",
                "/c/ap/appeals",
                &fields(&key, ESSENCE),
                &[("attachments", "акт.pdf", pdf)],
            )
            .await;
        assert_eq!(filed.status, 303, "[{b}] {}", filed.text());
        let page_path = format!("/c/ap/appeals/{year}-000001");
        assert_eq!(filed.location().as_deref(), Some(page_path.as_str()), "[{b}]");
        let page = hanna.get(&page_path).await.text();
        let number = format!("Е-{year}-000001");
        assert!(page.contains(&number) && page.contains("Зареєстровано") && page.contains("акт.pdf"), "[{b}] {page}");
        let mails = outbox::recent(&app.db, c.id, 20).await.unwrap();
        let ack = mails_to(&mails, "hanna@ap.test");
        assert_eq!(ack.len(), 1, "[{b}] one acknowledgement");
        assert!(ack[0].subject.contains(&number) && ack[0].body_text.contains("Відповідь має бути надана до"));
        assert_eq!(mails_to(&mails, "head@ap.test").len(), 1, "[{b}] the administrators hear of it");

        // Private: others do not even learn it exists.
        assert_eq!(app.signed_in(&c, "other@ap.test").await.get(&page_path).await.status, 404, "[{b}]");
        assert_eq!(app.browser().get(&page_path).await.status, 404, "[{b}]");

        let reference = format!("{year}-000001");
        let work = format!("/c/ap/admin/appeals/{reference}");
        // A department's officer sees nothing until it is assigned to their department.
        let officer = app.signed_in(&c, "officer@ap.test").await;
        assert!(!officer.get("/c/ap/admin/appeals").await.text().contains(&number), "[{b}]");
        assert_eq!(officer.get(&work).await.status, 404, "[{b}]");

        let head = app.signed_in(&c, "head@ap.test").await;
        assert!(head.get("/c/ap/admin/appeals").await.text().contains(&number), "[{b}]");
        let assigned = head
            .submit(&work, &format!("{work}/assign"), &[("department", &housing.to_string()), ("officer", "")])
            .await;
        assert_eq!(assigned.status, 303, "[{b}]");

        // Another department's officer can neither see nor act.
        let teacher = app.signed_in(&c, "teacher@ap.test").await;
        assert!(!teacher.get("/c/ap/admin/appeals").await.text().contains(&number), "[{b}]");
        assert_eq!(teacher.get(&work).await.status, 404, "[{b}]");
        let token = hromada_testkit::browser::csrf_token(&teacher.get("/c/ap/admin/appeals").await.body).unwrap();
        let sneaky = teacher.post_raw(&format!("{work}/start"), &[("_csrf", &token), ("study", "needed")]).await;
        assert_eq!(sneaky.status, 404, "[{b}]");

        assert!(officer.get("/c/ap/admin/appeals").await.text().contains(&number), "[{b}]");
        let started = officer.submit(&work, &format!("{work}/start"), &[("study", "needed")]).await;
        assert_eq!(started.status, 303, "[{b}]");
        // Too far: the law allows 45 days in all.
        let too_far = (app.now() + Duration::days(60)).date_naive().to_string();
        let refused = officer
            .follow(
                officer
                    .submit(&work, &format!("{work}/extend"), &[("extend_to", &too_far), ("note", "Потрібен висновок")])
                    .await,
            )
            .await;
        assert!(refused.text().contains("не більш як до 45 днів"), "[{b}] {}", refused.text());

        let scan = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        let answered = officer
            .submit_files(
                &work,
                &format!("{work}/answer"),
                &[("note", "Освітлення відновлено 20 листопада, підрядник замінив кабель.")],
                &[("document", "відповідь.pdf", scan)],
            )
            .await;
        assert_eq!(answered.status, 303, "[{b}] {}", answered.text());
        let page = hromada_testkit::browser::decode_entities(&hanna.get(&page_path).await.body);
        assert!(page.contains("Освітлення відновлено") && page.contains("відповідь.pdf"), "[{b}]");
        // The document of the answer, which the officer uploaded: the author may open it, a
        // stranger may not.
        let name_at = page.find("відповідь.pdf").unwrap();
        let at = page[..name_at].rfind("/c/ap/media/").expect("a link to the answer's document");
        let full = &page[at..at + page[at..].find('"').unwrap()];
        assert_eq!(hanna.get(full).await.status, 200, "[{b}]");
        assert_eq!(app.signed_in(&c, "other@ap.test").await.get(full).await.status, 404, "[{b}]");
        let mails = outbox::recent(&app.db, c.id, 20).await.unwrap();
        assert!(
            mails_to(&mails, "hanna@ap.test").iter().any(|m| m.subject.contains("Відповідь на звернення")),
            "[{b}]"
        );

        let rated =
            hanna.submit(&page_path, &format!("{page_path}/rate"), &[("stars", "4"), ("comment", "Дякую")]).await;
        assert_eq!(rated.status, 303, "[{b}]");
        let page = hanna.get(&page_path).await.text();
        assert!(page.contains("Закрито") && page.contains("Ваша оцінка: 4 з 5"), "[{b}]");
        // A complaint points at the answer it disputes.
        let complaint = hanna.get(&format!("/c/ap/appeals/new?about={reference}")).await.text();
        assert!(complaint.contains(&format!("Скарга на відповідь за зверненням {number}")), "[{b}]");
        let key = Uuid::now_v7().to_string();
        let mut complaint_fields = fields(&key, "Не згодна: на сусідній вулиці Вишневій світла досі немає.");
        complaint_fields[0] = ("kind", "complaint");
        complaint_fields.push(("about", &reference));
        let filed =
            hanna.submit(&format!("/c/ap/appeals/new?about={reference}"), "/c/ap/appeals", &complaint_fields).await;
        assert_eq!(filed.status, 303, "[{b}] {}", filed.text());
        let second = store::by_number(&app.db, c.id, &format!("Е-{year}-000002")).await.unwrap().unwrap();
        let first = store::by_number(&app.db, c.id, &number).await.unwrap().unwrap();
        assert_eq!((second.kind(), second.complaint_about), (Kind::Complaint, Some(first.id)), "[{b}]");
    }
}

#[tokio::test]
async fn an_appeal_without_a_name_or_address_is_refused_with_the_law_explained() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("anon").await;
        app.user(&c, "x@anon.test", &[]).await;
        let x = app.signed_in(&c, "x@anon.test").await;
        let key = Uuid::now_v7().to_string();
        let mut f = fields(&key, ESSENCE);
        f[2] = ("full_name", "");
        f[4] = ("street", " ");
        let refused = x.submit("/c/anon/appeals/new", "/c/anon/appeals", &f).await;
        assert_eq!(refused.status, 422, "[{b}]");
        let text = refused.text();
        assert!(text.contains("Анонімне звернення не може бути розглянуте") && text.contains("Стаття 8"), "[{b}]");
        assert!(
            text.contains("Вкажіть прізвище та ім'я") && text.contains(ESSENCE),
            "[{b}] the form keeps what was typed"
        );
        // Bad files are refused with their reason, and nothing is registered: the wrong kind, too
        // big, and a small file that claims a huge picture (a decompression bomb).
        let mut oversized = b"\x89PNG\r\n\x1a\n".to_vec();
        oversized.resize(16 * 1024 * 1024, 0);
        for (name, bytes, reason) in [
            ("run.exe", b"MZ\x90\x00binary".to_vec(), "Такий тип файлу не приймається"),
            ("big.png", oversized, "Файл завеликий"),
            ("bomb.png", png_claiming(100_000, 100_000), "завелике за розміром у пікселях"),
        ] {
            let files = [("attachments", name, bytes)];
            let refused =
                x.submit_files("/c/anon/appeals/new", "/c/anon/appeals", &fields(&key, ESSENCE), &files).await;
            assert_eq!(refused.status, 422, "[{b}] {name}");
            assert!(refused.text().contains(reason), "[{b}] {name}: {}", refused.text());
        }
        assert!(
            store::of_author(&app.db, c.id, x_id(&app, &c, "x@anon.test").await).await.unwrap().is_empty(),
            "[{b}]"
        );
    }
}

/// A valid 1×1 PNG whose header then claims `width` × `height` pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = vec![];
    image::RgbImage::new(1, 1).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

async fn x_id(app: &TestApp, c: &Community, email: &str) -> Uuid {
    hromada_db::core::users::by_email(&app.db, c.id, email).await.unwrap().unwrap().id
}

#[tokio::test]
async fn the_same_form_sent_many_times_at_once_registers_one_appeal() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("twice").await;
        app.user(&c, "x@twice.test", &[]).await;
        let x = app.signed_in(&c, "x@twice.test").await;
        let token = hromada_testkit::browser::csrf_token(&x.get("/c/twice/appeals/new").await.body).unwrap();
        let key = Uuid::now_v7().to_string();
        let mut all = fields(&key, ESSENCE);
        all.push(("_csrf", &token));
        let url = app.url("/c/twice/appeals");
        let sends = (0..12).map(|_| x.client().post(&url).form(&all).send());
        let replies = futures::future::join_all(sends).await;
        let locations: std::collections::HashSet<String> = replies
            .into_iter()
            .map(|r| {
                let r = r.unwrap();
                assert_eq!(r.status(), 303, "[{b}]");
                r.headers()["location"].to_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(locations.len(), 1, "[{b}] every answer points at the one appeal");
        let mine = store::of_author(&app.db, c.id, x_id(&app, &c, "x@twice.test").await).await.unwrap();
        assert_eq!(mine.len(), 1, "[{b}]");
        let acks = outbox::recent(&app.db, c.id, 50).await.unwrap();
        assert_eq!(mails_to(&acks, "x@twice.test").len(), 1, "[{b}] one acknowledgement");
    }
}

fn new_appeal(author: Uuid, category: &'static str) -> NewAppeal<'static> {
    NewAppeal {
        kind: Kind::Statement,
        author_id: author,
        full_name: "Коваленко Ганна",
        settlement: "Місто",
        street: "вул. Садова, 3",
        contact: "hanna@example.com",
        essence: ESSENCE,
        complaint_about: None,
        publish_consent: false,
        category,
        submission_key: None,
        from_petition: None,
    }
}

#[tokio::test]
async fn reminders_go_once_and_late_appeals_are_escalated_to_the_head() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("late").await;
        let d = department(&app, &c, "Відділ ЖКГ", "boss@late.test", true).await;
        let worker = app.user(&c, "worker@late.test", &[Role::DepartmentOfficer]).await;
        departments::add_officer(&app.db, c.id, d, worker.id).await.unwrap();
        let calendar = holidays::calendar(&app.db).await.unwrap();
        let author = app.user(&c, "author@late.test", &[]).await;
        // Received 20 days ago: the 15 days are over.
        let late =
            store::register(&app.db, c.id, &new_appeal(author.id, "roads"), &calendar, app.now() - Duration::days(20))
                .await
                .unwrap()
                .appeal;
        let assign = StepDetails { department: Some(d), officer: Some(worker.id), ..Default::default() };
        store::step(&app.db, c.id, late.id, Action::Assign, None, &assign, &calendar, app.now()).await.unwrap();
        // Received today: nothing to remind of yet.
        store::register(&app.db, c.id, &new_appeal(author.id, "roads"), &calendar, app.now()).await.unwrap();

        let sent = hromada_appeals::jobs::remind(&app.state).await.unwrap();
        assert_eq!(sent, 1, "[{b}]");
        assert_eq!(hromada_appeals::jobs::remind(&app.state).await.unwrap(), 0, "[{b}] once per due date");
        let mails = outbox::recent(&app.db, c.id, 50).await.unwrap();
        let overdue = |to: &str| mails_to(&mails, to).iter().filter(|m| m.subject.contains("Прострочено")).count();
        assert_eq!((overdue("worker@late.test"), overdue("boss@late.test")), (1, 1), "[{b}]");

        // The inbox flags it, and the head may filter for what is late.
        let boss = app.signed_in(&c, "boss@late.test").await;
        let inbox = boss.get("/c/late/admin/appeals?due=overdue").await.body;
        assert!(inbox.contains("urgency-overdue") && inbox.contains(&late.number), "[{b}]");
        assert!(inbox.contains("Звернення: 1"), "[{b}] only the late one");
    }
}

#[tokio::test]
async fn a_petition_passed_on_becomes_one_appeal() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("pass").await;
        let author = app.user(&c, "author@pass.test", &[]).await;
        let event = DomainEvent::PetitionPassedAsAppeal {
            community: c.id,
            petition: Uuid::now_v7(),
            number: 7,
            author: author.id,
            title: "Світло на Садовій".into(),
            body: "Просимо відновити освітлення.".into(),
            signatures: 12,
            at: app.now(),
        };
        app.state.publish(event.clone()).await;
        app.state.publish(event).await;
        let mine = store::of_author(&app.db, c.id, author.id).await.unwrap();
        assert_eq!(mine.len(), 1, "[{b}] once, however often it is told");
        assert!(mine[0].essence.contains("№ 7") && mine[0].essence.contains("Просимо відновити"), "[{b}]");
        assert_eq!(mine[0].contact, "author@pass.test");
        let mails = outbox::recent(&app.db, c.id, 10).await.unwrap();
        assert_eq!(mails_to(&mails, "author@pass.test").len(), 1, "[{b}]");
    }
}

#[tokio::test]
async fn the_public_dashboard_counts_real_appeals_per_department() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("dash").await;
        let d = department(&app, &c, "Відділ благоустрою", "o@dash.test", false).await;
        let calendar = holidays::calendar(&app.db).await.unwrap();
        let author = app.user(&c, "a@dash.test", &[]).await;
        let now = app.now();
        // Two answered (one in 3 days, one in 19 — late), one still open and late.
        for (received_days_ago, answer_after) in [(30, Some(3)), (25, Some(19)), (20, None)] {
            let received = now - Duration::days(received_days_ago);
            let a = store::register(&app.db, c.id, &new_appeal(author.id, "roads"), &calendar, received)
                .await
                .unwrap()
                .appeal;
            let assign = StepDetails { department: Some(d), ..Default::default() };
            store::step(&app.db, c.id, a.id, Action::Assign, None, &assign, &calendar, received).await.unwrap();
            if let Some(after) = answer_after {
                let start = StepDetails { study: Some(Study::NotNeeded), ..Default::default() };
                store::step(&app.db, c.id, a.id, Action::Start, None, &start, &calendar, received).await.unwrap();
                let answer = StepDetails { note: "Відповідь", ..Default::default() };
                store::step(
                    &app.db,
                    c.id,
                    a.id,
                    Action::Answer,
                    None,
                    &answer,
                    &calendar,
                    received + Duration::days(after),
                )
                .await
                .unwrap();
            }
        }
        let page = app.browser().get("/c/dash/appeals/dashboard").await;
        assert_eq!(page.status, 200, "[{b}]");
        let text = page.body.clone();
        let row = text.split("<tr>").find(|r| r.contains("Відділ благоустрою")).expect("the department's row");
        let cells: Vec<String> =
            row.split("<td>").skip(1).map(|c| c.split('<').next().unwrap_or("").trim().to_owned()).collect();
        // Received, answered, on time, median days, overdue now.
        assert_eq!(cells, vec!["3", "2", "50 %", "11", "1"], "[{b}] {row}");
        assert!(text.contains("<svg class=\"chart\""), "[{b}]");
    }
}
