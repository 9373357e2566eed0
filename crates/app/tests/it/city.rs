//! Open City through the pages: a report filed with a photo (JavaScript off: settlement and
//! street), moderated, worked by its department only, supported, merged, and in feeds and maps.

use hromada_city::store;
use hromada_db::core::communities::Community;
use hromada_db::core::{departments, outbox, settlements};
use hromada_kernel::Role;
use hromada_testkit::{TestApp, spawn_apps};

fn png() -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(8, 6, image::Rgb([200, 40, 40])).write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A community with a roads department (and its officer) that gets potholes, and another
/// department with an officer of its own.
async fn setup(app: &TestApp, slug: &str) -> Community {
    let c = app.community(slug).await;
    store::seed_default_categories(&app.db, c.id, app.now()).await.unwrap();
    let roads = departments::create(&app.db, c.id, "Відділ доріг", None, None, app.now()).await.unwrap();
    let parks = departments::create(&app.db, c.id, "Відділ парків", None, None, app.now()).await.unwrap();
    let pothole = store::category_by_code(&app.db, c.id, "pothole").await.unwrap().unwrap();
    let fields = store::CategoryFields {
        code: "pothole",
        name_uk: &pothole.name_uk,
        name_en: pothole.name_en.as_deref(),
        description_uk: &pothole.description_uk,
        department_id: Some(roads),
        questions: vec![],
        active: true,
    };
    store::update_category(&app.db, c.id, pothole.id, &fields).await.unwrap();
    let officer = app.user(&c, &format!("roads@{slug}.test"), &[Role::DepartmentOfficer]).await;
    departments::add_officer(&app.db, c.id, roads, officer.id).await.unwrap();
    let other = app.user(&c, &format!("parks@{slug}.test"), &[Role::DepartmentOfficer]).await;
    departments::add_officer(&app.db, c.id, parks, other.id).await.unwrap();
    app.user(&c, &format!("moderator@{slug}.test"), &[Role::Moderator]).await;
    app.user(&c, &format!("resident@{slug}.test"), &[]).await;
    app.user(&c, &format!("neighbour@{slug}.test"), &[]).await;
    c
}

async fn file(app: &TestApp, c: &Community, who: &str, description: &str) -> String {
    let b = app.signed_in(c, who).await;
    let place = settlements::list(&app.db, c.id).await.unwrap()[0].id.to_string();
    let page = format!("/c/{}/city/new", c.slug);
    let reply = b
        .submit_files(
            &page,
            &format!("/c/{}/city", c.slug),
            &[
                ("category", "pothole"),
                ("description", description),
                ("settlement", &place),
                ("address", "вул. Соборна, 5"),
            ],
            &[],
        )
        .await;
    assert_eq!(reply.status, 303, "[{}] {}", app.backend, reply.text());
    reply.location().unwrap()
}

#[tokio::test]
async fn a_report_with_a_photo_is_moderated_then_worked_only_by_its_department() {
    for app in spawn_apps().await {
        let name = app.backend;
        let c = setup(&app, "oc").await;
        let resident = app.signed_in(&c, "resident@oc.test").await;
        let form = resident.get("/c/oc/city/new").await;
        assert_eq!(form.status, 200, "[{name}]");
        assert!(
            form.body.contains("name=\"settlement\"") && form.body.contains("name=\"address\""),
            "a form without the map"
        );
        let place = settlements::list(&app.db, c.id).await.unwrap()[0].id.to_string();

        // Nowhere, and a text file as a photo: both explained in Ukrainian.
        let refused = resident
            .submit_files(
                "/c/oc/city/new",
                "/c/oc/city",
                &[("category", "pothole"), ("description", "Глибока яма біля школи")],
                &[("photos", "photo.png", b"not an image".to_vec())],
            )
            .await;
        assert_eq!(refused.status, 422, "[{name}]");
        let text = refused.text();
        assert!(text.contains("Укажіть місце"), "[{name}] {text}");
        assert!(text.contains("JPEG, PNG або WebP"), "[{name}] {text}");
        let too_many: Vec<(&str, &str, Vec<u8>)> = (0..6).map(|_| ("photos", "p.png", png())).collect();
        let refused = resident
            .submit_files(
                "/c/oc/city/new",
                "/c/oc/city",
                &[("category", "pothole"), ("description", "Глибока яма біля школи"), ("address", "вул. Шкільна")],
                &too_many,
            )
            .await;
        assert!(refused.text().contains("не більше 5 фото"), "[{name}]");

        let filed = resident
            .submit_files(
                "/c/oc/city/new",
                "/c/oc/city",
                &[
                    ("category", "pothole"),
                    ("description", "Глибока яма біля школи, машини об’їжджають по тротуару"),
                    ("settlement", &place),
                    ("address", "вул. Шкільна, 3"),
                    ("photos_alt", "Яма, заповнена водою"),
                ],
                &[("photos", "yama.png", png())],
            )
            .await;
        assert_eq!(filed.status, 303, "[{name}] {}", filed.text());
        assert_eq!(filed.location().as_deref(), Some("/c/oc/city/1"));
        assert_eq!(app.browser().get("/c/oc/city/1").await.status, 404, "[{name}] hidden until moderated");
        let own = resident.get("/c/oc/city/1").await;
        assert!(own.text().contains("на модерації"), "[{name}]");
        let report = store::by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        assert!(report.department_id.is_some(), "[{name}] routed to the category's department");
        let stored = hromada_media::store::list_for(&app.db, c.id, "city", &report.id.to_string()).await.unwrap();
        assert_eq!(stored.len(), 1, "[{name}] the photo is stored");

        // Moderation: the queue, then publication.
        let moderator = app.signed_in(&c, "moderator@oc.test").await;
        assert!(moderator.get("/c/oc/admin/city").await.text().contains("№ 1"), "[{name}]");
        let published = moderator.submit("/c/oc/admin/city/reports/1", "/c/oc/admin/city/reports/1/publish", &[]).await;
        assert_eq!(published.status, 303, "[{name}]");
        let public = app.browser().get("/c/oc/city/1").await;
        assert_eq!(public.status, 200, "[{name}]");
        assert!(public.text().contains("нове"), "[{name}]");
        assert!(!public.text().contains("resident@oc.test"), "[{name}] the author's address stays private");
        let body = hromada_testkit::browser::decode_entities(&public.body);
        let at = body.find("/media/").unwrap_or_else(|| panic!("[{name}] the photo is shown: {body}"));
        let thumb = &body[at..at + body[at..].find('"').unwrap()];
        let photo = app.browser().get(&format!("/c/oc{thumb}")).await;
        assert_eq!(photo.status, 200, "[{name}] public with the report");
        assert!(photo.header("content-type").unwrap().starts_with("image/"));
        assert!(body.contains("alt=\"Яма, заповнена водою\""), "[{name}]");

        // Another department's officer sees no private data and cannot act.
        let parks = app.signed_in(&c, "parks@oc.test").await;
        assert_eq!(parks.get("/c/oc/admin/city/reports/1").await.status, 404, "[{name}]");
        assert!(!parks.get("/c/oc/admin/city").await.text().contains("№ 1"), "[{name}] not in their work list");
        let tried = parks
            .submit(
                "/c/oc/admin/city",
                "/c/oc/admin/city/reports/1/status",
                &[("status", "solved"), ("note", "Готово!")],
            )
            .await;
        assert_eq!(tried.status, 404, "[{name}]");
        assert_eq!(store::by_number(&app.db, c.id, 1).await.unwrap().unwrap().status, "new");

        // The roads officer works it, with a comment everyone reads.
        let roads = app.signed_in(&c, "roads@oc.test").await;
        let page = roads.get("/c/oc/admin/city/reports/1").await;
        assert!(page.text().contains("resident@oc.test"), "[{name}] the department sees how to reach the author");
        let moved = roads
            .submit(
                "/c/oc/admin/city/reports/1",
                "/c/oc/admin/city/reports/1/status",
                &[("status", "in_progress"), ("note", "Бригада виїде в четвер")],
            )
            .await;
        assert_eq!(moved.status, 303, "[{name}]");
        let bad = roads
            .submit(
                "/c/oc/admin/city/reports/1",
                "/c/oc/admin/city/reports/1/status",
                &[("status", "new"), ("note", "назад")],
            )
            .await;
        assert!(roads.follow(bad).await.text().contains("неможливий"), "[{name}]");
        let public = app.browser().get("/c/oc/city/1").await.text();
        assert!(public.contains("виконується") && public.contains("Бригада виїде в четвер"), "[{name}] {public}");
        assert!(moderator.get("/c/oc/admin/city/reports/1").await.status == 200);

        // The author heard of each step.
        let mails = outbox::recent(&app.db, c.id, 20).await.unwrap();
        let to_author: Vec<_> = mails.iter().filter(|m| m.to_addr == "resident@oc.test").collect();
        assert!(to_author.iter().any(|m| m.subject.contains("опубліковано")), "[{name}] {mails:?}");
        assert!(to_author.iter().any(|m| m.subject.contains("виконується")), "[{name}]");
        assert!(mails.iter().any(|m| m.to_addr == "moderator@oc.test"), "[{name}] moderators hear of new reports");
        // Every official step is in the audit log.
        let audit = hromada_db::core::audit::list(&app.db, Some(c.id), &Default::default(), 50, 0).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "city.publish") && audit.iter().any(|e| e.action == "city.status"));
    }
}

#[tokio::test]
async fn support_counts_a_person_once_and_merging_keeps_it_so() {
    for app in spawn_apps().await {
        let name = app.backend;
        let c = setup(&app, "sup").await;
        file(&app, &c, "resident@sup.test", "Яма на перехресті Соборної й Миру").await;
        file(&app, &c, "neighbour@sup.test", "Та сама яма на перехресті, вже третій тиждень").await;
        let moderator = app.signed_in(&c, "moderator@sup.test").await;
        for n in [1, 2] {
            let page = format!("/c/sup/admin/city/reports/{n}");
            assert_eq!(moderator.submit(&page, &format!("{page}/publish"), &[]).await.status, 303);
        }
        let neighbour = app.signed_in(&c, "neighbour@sup.test").await;
        let first = neighbour.follow(neighbour.submit("/c/sup/city/1", "/c/sup/city/1/support", &[]).await).await;
        assert!(first.text().contains("Ваша підтримка врахована"), "[{name}] {}", first.text());
        let again = neighbour.follow(neighbour.submit("/c/sup/city/1", "/c/sup/city/1/support", &[]).await).await;
        assert!(again.text().contains("вже підтримали"), "[{name}]");
        let own = neighbour.follow(neighbour.submit("/c/sup/city/2", "/c/sup/city/2/support", &[]).await).await;
        assert!(own.text().contains("не приймає підтримки"), "[{name}] not one's own report");

        // The neighbour's duplicate joins report 1: they supported it already, so it stays 1.
        let merged = moderator
            .submit("/c/sup/admin/city/reports/2", "/c/sup/admin/city/reports/2/merge", &[("target", "1")])
            .await;
        assert_eq!(merged.status, 303, "[{name}]");
        let main = store::by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        assert_eq!(main.support_count, 1, "[{name}] a person who supported both counts once");
        let dup = app.browser().get("/c/sup/city/2").await.text();
        assert!(dup.contains("об’єднано з іншим") && dup.contains("№ 1"), "[{name}] {dup}");
        let list = app.browser().get("/c/sup/city").await.text();
        assert!(list.contains("№ 1.") && !list.contains("№ 2."), "[{name}] duplicates leave the list");
    }
}

#[tokio::test]
async fn lists_feeds_and_map_clusters_show_published_reports_of_the_community_only() {
    for app in spawn_apps().await {
        let name = app.backend;
        let c = setup(&app, "feed").await;
        let other = setup(&app, "feed-other").await;
        file(&app, &c, "resident@feed.test", "Не світить ліхтар біля бібліотеки").await;
        file(&app, &c, "resident@feed.test", "Яма, що чекає модерації").await;
        file(&app, &other, "resident@feed-other.test", "Звіт іншої громади").await;
        let report = store::by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        // Put the first on the map at a known point and publish it.
        if let hromada_db::Db::Sqlite(pool) = &app.db {
            hromada_db::sqlx::query("UPDATE city_reports SET lat = 50.45, lon = 30.52 WHERE id = $1")
                .bind(report.id)
                .execute(pool)
                .await
                .unwrap();
        } else if let hromada_db::Db::Postgres(pool) = &app.db {
            hromada_db::sqlx::query("UPDATE city_reports SET lat = 50.45, lon = 30.52 WHERE id = $1")
                .bind(report.id)
                .execute(pool)
                .await
                .unwrap();
        }
        let moderator = app.signed_in(&c, "moderator@feed.test").await;
        moderator.submit("/c/feed/admin/city/reports/1", "/c/feed/admin/city/reports/1/publish", &[]).await;
        let b = app.browser();
        let list = b.get("/c/feed/city?status=new&category=pothole").await;
        assert!(list.text().contains("Не світить ліхтар"), "[{name}]");
        assert!(!list.text().contains("чекає модерації") && !list.text().contains("іншої громади"), "[{name}]");
        assert!(b.get("/c/feed/city?status=solved").await.text().contains("Повідомлень за цими умовами немає"));

        let rss = b.get("/c/feed/city/feed.rss?category=pothole").await;
        assert!(rss.header("content-type").unwrap().starts_with("application/rss+xml"), "[{name}]");
        assert!(rss.body.starts_with("<?xml") && rss.body.contains("<rss version=\"2.0\""));
        assert_eq!(rss.body.matches("<item>").count(), 1, "[{name}] {}", rss.body);
        assert!(rss.body.contains("/c/feed/city/1</link>"), "[{name}]");
        let atom = b.get(&format!("/c/feed/city/feed.atom?settlement={}", report.settlement_id.unwrap())).await;
        assert!(atom.header("content-type").unwrap().starts_with("application/atom+xml"));
        assert_eq!(atom.body.matches("<entry>").count(), 1, "[{name}]");

        let clusters = b.get("/c/feed/city/clusters.json?bbox=30,50,31,51&zoom=12").await.json();
        let clusters = clusters["clusters"].as_array().unwrap().clone();
        assert_eq!(clusters.len(), 1, "[{name}]");
        assert_eq!(clusters[0]["number"], 1);
        assert_eq!(clusters[0]["href"], "/c/feed/city/1");
        let empty = b.get("/c/feed/city/clusters.json?bbox=20,40,21,41&zoom=12").await.json();
        assert!(empty["clusters"].as_array().unwrap().is_empty());
        assert_eq!(b.get("/c/feed/city/clusters.json?bbox=nonsense&zoom=3").await.status, 404);
        // The map script is the shared one, served with the other static assets.
        assert!(b.get("/static/map.js").await.header("content-type").unwrap().contains("javascript"));
        // Another community's report is not found under this one.
        assert_eq!(b.get("/c/feed-other/city/1").await.status, 404, "[{name}] unpublished there");
        assert_eq!(b.get("/c/feed/city/3").await.status, 404, "[{name}]");
    }
}

#[tokio::test]
async fn an_administrator_edits_categories_and_routes_an_area_drawn_as_lines() {
    for app in spawn_apps().await {
        let name = app.backend;
        let c = setup(&app, "cat").await;
        app.user(&c, "admin@cat.test", &[Role::Admin]).await;
        let admin = app.signed_in(&c, "admin@cat.test").await;
        let page = admin.get("/c/cat/admin/city/categories").await;
        assert!(page.text().contains("Вибоїна на дорозі"), "[{name}]");
        let bad = admin
            .submit(
                "/c/cat/admin/city/categories",
                "/c/cat/admin/city/categories",
                &[("code", "Bad Code"), ("name_uk", "x")],
            )
            .await;
        assert_eq!(bad.status, 422, "[{name}]");
        let made = admin
            .submit(
                "/c/cat/admin/city/categories",
                "/c/cat/admin/city/categories",
                &[
                    ("code", "bench"),
                    ("name_uk", "Лавки"),
                    ("questions", "count | Скільки лавок зламано | required | number"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(made.status, 303, "[{name}] {}", made.text());
        let bench = store::category_by_code(&app.db, c.id, "bench").await.unwrap().unwrap();
        assert_eq!(bench.questions.0.len(), 1);
        let taken = admin
            .submit(
                "/c/cat/admin/city/categories",
                "/c/cat/admin/city/categories",
                &[("code", "bench"), ("name_uk", "Ще")],
            )
            .await;
        assert!(taken.text().contains("таким кодом"), "[{name}] {}", taken.text());
        let parks =
            departments::list(&app.db, c.id).await.unwrap().into_iter().find(|d| d.name_uk == "Відділ парків").unwrap();
        let edit = format!("/c/cat/admin/city/categories/{}", bench.id);
        let wrong = admin
            .submit(
                &edit,
                &format!("{edit}/areas"),
                &[("department", &parks.id.to_string()), ("polygon", "50, 30\nпівніч")],
            )
            .await;
        assert!(wrong.text().contains("широта, довгота"), "[{name}]");
        let added = admin
            .submit(
                &edit,
                &format!("{edit}/areas"),
                &[
                    ("department", &parks.id.to_string()),
                    ("label", "Парк"),
                    ("polygon", "50, 30\n50, 31\n51, 31\n51, 30"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "[{name}]");
        // A report there asks the category's question and goes to the park department.
        let resident = app.signed_in(&c, "resident@cat.test").await;
        let form = resident.get("/c/cat/city/new").await;
        assert!(form.text().contains("Скільки лавок зламано"), "[{name}]");
        let missing = resident
            .submit_files(
                "/c/cat/city/new",
                "/c/cat/city",
                &[("category", "bench"), ("description", "Зламані лавки в парку"), ("lat", "50.5"), ("lon", "30.5")],
                &[],
            )
            .await;
        assert_eq!(missing.status, 422, "[{name}] the required answer");
        let filed = resident
            .submit_files(
                "/c/cat/city/new",
                "/c/cat/city",
                &[
                    ("category", "bench"),
                    ("description", "Зламані лавки в парку"),
                    ("lat", "50.5"),
                    ("lon", "30.5"),
                    ("answer_bench_count", "3"),
                ],
                &[],
            )
            .await;
        assert_eq!(filed.status, 303, "[{name}] {}", filed.text());
        let r = store::by_number(&app.db, c.id, 1).await.unwrap().unwrap();
        assert_eq!(r.department_id, Some(parks.id), "[{name}] routed by the drawn area");
        assert_eq!(r.answers.0.get("count").map(String::as_str), Some("3"));
        // The map settings refuse a tile URL without https and placeholders.
        let settings = admin
            .submit(
                "/c/cat/admin/city/settings",
                "/c/cat/admin/city/settings",
                &[("tile_url", "http://tiles"), ("center_lat", "50.4"), ("center_lon", "30.5"), ("zoom", "13")],
            )
            .await;
        assert_eq!(settings.status, 422, "[{name}]");
        let stats = admin.get("/c/cat/admin").await.text();
        assert!(stats.contains("Відкрите місто: на модерації"), "[{name}] {stats}");
    }
}
