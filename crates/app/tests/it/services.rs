//! City services through their pages: officials keep the CNAP catalogue, its offices, tiles
//! and cameras; residents find a service by category or word and read its card; the catalogue
//! goes out and back in as files, bad rows reported by line; the chatbot finds services too.

use hromada_kernel::Role;
use hromada_testkit::{Browser, TestApp, spawn_apps};

async fn official(app: &TestApp, slug: &str) -> (hromada_db::core::communities::Community, Browser) {
    let c = app.community(slug).await;
    app.user(&c, &format!("cnap@{slug}.test"), &[Role::CnapStaff]).await;
    let b = app.signed_in(&c, &format!("cnap@{slug}.test")).await;
    (c, b)
}

const CARD: &[(&str, &str)] = &[
    ("name_uk", "Оформлення паспорта громадянина України у формі ID-картки"),
    ("name_en", "Issuing an ID card"),
    ("code", "00010"),
    ("recipients", "Громадяни України з 14 років"),
    ("documents", "- Заява-анкета\n- Свідоцтво про народження"),
    ("cost", "345,50"),
    ("term", "20 робочих днів"),
    ("result", "Паспорт у формі ID-картки"),
    ("legal_basis", "Закон України «Про Єдиний державний демографічний реєстр»"),
    ("online_url", "https://diia.gov.ua/services/id"),
    ("published", "1"),
];

#[tokio::test]
async fn an_official_keeps_the_catalogue_and_residents_find_services() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (c, b) = official(&app, "cnap").await;
        let admin = "/c/cnap/admin/services";
        // A category, then an office to give the service at.
        let made = b
            .submit(&format!("{admin}/categories"), &format!("{admin}/categories"), &[("name_uk", "Паспортні послуги")])
            .await;
        assert_eq!(made.status, 303, "[{bk}] {}", made.html());
        let categories = hromada_services::store::categories(&app.db, c.id).await.unwrap();
        assert_eq!(categories[0].code, "pasportni-posluhy", "[{bk}]");
        let office_form = [
            ("kind", "cnap"),
            ("name_uk", "ЦНАП на Центральній"),
            ("address", "вул. Центральна, 1"),
            ("lat", "48,95"),
            ("lon", "38,49"),
            ("hours", "Пн–Пт 8:00–17:00"),
        ];
        let office = b.submit(&format!("{admin}/offices"), &format!("{admin}/offices"), &office_form).await;
        assert_eq!(office.status, 303, "[{bk}] {}", office.html());
        let second = [("kind", "remote"), ("name_uk", "Віддалене місце"), ("address", "с. Борівське")];
        assert_eq!(b.submit(&format!("{admin}/offices"), &format!("{admin}/offices"), &second).await.status, 303);
        let offices = hromada_services::store::offices(&app.db, c.id).await.unwrap();
        assert_eq!(offices.len(), 2, "[{bk}]");

        // A card missing what a resident needs is refused, field by field, in Ukrainian.
        let empty =
            b.submit(&format!("{admin}/new"), &format!("{admin}/new"), &[("name_uk", "ID"), ("cost", "дорого")]).await;
        assert_eq!(empty.status, 422, "[{bk}]");
        let text = empty.html();
        assert!(text.contains("Назва — від 3 до 300 символів"), "[{bk}] {text}");
        assert!(text.contains("сума в гривнях"), "[{bk}]");
        assert!(text.contains("обов’язкове поле"), "[{bk}]");

        let mut fields = CARD.to_vec();
        let category = categories[0].id.to_string();
        let office_id = offices[0].id.to_string();
        fields.push(("category_id", &category));
        fields.push(("office", &office_id));
        let saved = b.submit(&format!("{admin}/new"), &format!("{admin}/new"), &fields).await;
        assert_eq!(saved.status, 303, "[{bk}] {}", saved.html());
        assert_eq!(saved.location().as_deref(), Some("/c/cnap/admin/services/cards/1"), "[{bk}]");
        // The same register identifier twice is refused.
        let twice = b.submit(&format!("{admin}/new"), &format!("{admin}/new"), &fields).await;
        assert_eq!(twice.status, 409, "[{bk}]");
        assert!(twice.html().contains("Картка з таким ідентифікатором уже є"), "[{bk}]");
        // A draft stays off the public catalogue.
        let draft =
            [("name_uk", "Чернеткова послуга"), ("documents", "Паспорт"), ("term", "1 день"), ("result", "Довідка")];
        assert_eq!(b.submit(&format!("{admin}/new"), &format!("{admin}/new"), &draft).await.status, 303);

        let visitor = app.browser();
        let list = visitor.get("/c/cnap/services").await;
        assert_eq!(list.status, 200, "[{bk}]");
        let html = list.html();
        assert!(html.contains("Паспортні послуги (1)"), "[{bk}] {html}");
        assert!(html.contains("Оформлення паспорта громадянина України у формі ID-картки"), "[{bk}]");
        assert!(html.contains("345,50 грн"), "[{bk}]");
        assert!(!html.contains("Чернеткова послуга"), "[{bk}] drafts are not public");
        assert_eq!(visitor.get("/c/cnap/services/2").await.status, 404, "[{bk}]");
        // Search by any word, in any case, with or without the apostrophe.
        let found = visitor.get("/c/cnap/services?q=ID-КАРТКИ%20свідоцтво").await.html();
        assert!(found.contains("Знайдено 1 послугу"), "[{bk}] {found}");
        let none = visitor.get("/c/cnap/services?q=земля").await.html();
        assert!(none.contains("Послуг не знайдено"), "[{bk}]");

        let card = visitor.get("/c/cnap/services/1").await;
        assert_eq!(card.status, 200, "[{bk}]");
        let html = card.html();
        assert!(
            html.contains("<li>Заява-анкета</li>") && html.contains("<li>Свідоцтво про народження</li>"),
            "[{bk}] {html}"
        );
        assert!(html.contains("20 робочих днів") && html.contains("https://diia.gov.ua/services/id"), "[{bk}]");
        assert!(html.contains("ЦНАП на Центральній") && !html.contains("Віддалене місце"), "[{bk}] only its office");
        let english = visitor.get_with("/c/cnap/services/1", &[("accept-language", "en")]).await.html();
        assert!(english.contains("Issuing an ID card") && english.contains("UAH 345.50"), "[{bk}] {english}");

        // The offices' page and its map points.
        let offices_page = visitor.get("/c/cnap/services/offices").await.html();
        assert!(offices_page.contains("data-map") && offices_page.contains("Віддалене робоче місце ЦНАП"), "[{bk}]");
        let points = visitor.get("/c/cnap/services/offices.json").await.json();
        assert_eq!(points["clusters"].as_array().unwrap().len(), 1, "[{bk}] only the office with a point");
        assert_eq!(points["clusters"][0]["lat"], 48.95, "[{bk}]");

        // The API, the open data, the site search and the sitemap know the card.
        let api = visitor.get("/c/cnap/api/v1/services?q=паспорт").await.json();
        assert_eq!(api[0]["cost_kopiykas"], 34550, "[{bk}] {api}");
        assert_eq!(api[0]["documents"][1], "Свідоцтво про народження", "[{bk}]");
        assert_eq!(api[0]["category"], "pasportni-posluhy", "[{bk}]");
        assert_eq!(visitor.get("/c/cnap/api/v1/services?category=nope").await.status, 404, "[{bk}]");
        let csv = visitor.get("/c/cnap/services.csv").await.html();
        assert!(csv.contains("00010,Паспортні послуги,") && !csv.contains("Чернеткова"), "[{bk}] {csv}");
        let search = visitor.get("/c/cnap/search?q=паспорта").await.html();
        assert!(search.contains("/c/cnap/services/1"), "[{bk}] {search}");
        let sitemap = visitor.get("/c/cnap/sitemap.xml").await.html();
        assert!(sitemap.contains("/services/1</loc>") && !sitemap.contains("/services/2</loc>"), "[{bk}]");

        // Another community sees none of it.
        let other = app.community("other").await;
        assert!(hromada_services::store::offices(&app.db, other.id).await.unwrap().is_empty());
        assert_eq!(visitor.get("/c/other/services/1").await.status, 404, "[{bk}]");
        assert!(!visitor.get("/c/other/services").await.html().contains("ID-картки"), "[{bk}]");

        // A resident may not keep the catalogue; an editor may.
        app.user(&c, "resident@cnap.test", &[]).await;
        let resident = app.signed_in(&c, "resident@cnap.test").await;
        assert_eq!(resident.get(admin).await.status, 403, "[{bk}]");
        // The change form updates the card in place and can unpublish it.
        let mut change = CARD.to_vec();
        change.retain(|(k, _)| *k != "published");
        change.push(("term", "10 робочих днів"));
        change.retain(|(k, v)| *k != "term" || *v == "10 робочих днів");
        let changed = b.submit(&format!("{admin}/cards/1"), &format!("{admin}/cards/1"), &change).await;
        assert_eq!(changed.status, 303, "[{bk}] {}", changed.html());
        let card = hromada_services::store::card(&app.db, c.id, 1).await.unwrap().unwrap();
        assert_eq!((card.term.as_str(), card.published), ("10 робочих днів", false), "[{bk}]");
        assert_eq!(visitor.get("/c/cnap/services/1").await.status, 404, "[{bk}]");
    }
}

#[tokio::test]
async fn an_import_loads_the_good_rows_and_reports_each_bad_one_by_its_line() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (c, b) = official(&app, "imp").await;
        let file = "code;category;name_uk;documents;term;result;cost;extra\n\
                    001;Реєстрація;Реєстрація місця проживання;Паспорт;1 день;Запис;;x\n\
                    002;Реєстрація;Зняття з реєстрації;Паспорт;1 день;Запис;0;x\n\
                    003;Земля;Ок;Паспорт;1 день;Запис;;x\n\
                    004;Земля;Витяг з кадастру;;10 днів;Витяг;-5;x\n\
                    001;Реєстрація;Дубль першої;Паспорт;1 день;Запис;;x\n\
                    ;Соціальні;Допомога при народженні;Заява;10 днів;Рішення;;x\n";
        let admin = "/c/imp/admin/services";
        let sent = b
            .submit_files(
                &format!("{admin}/import"),
                &format!("{admin}/import"),
                &[],
                &[("file", "cards.csv", file.as_bytes().to_vec())],
            )
            .await;
        assert_eq!(sent.status, 422, "[{bk}] the report shows problems");
        let report = sent.html();
        assert!(report.contains("Додано: 3, оновлено: 0, з помилками: 3."), "[{bk}] {report}");
        assert!(report.contains("<td>4</td><td>Назва українською: Назва — від 3 до 300 символів."), "[{bk}] {report}");
        assert!(report.contains("<td>5</td><td>Які документи потрібні: обов’язкове поле."), "[{bk}]");
        assert!(report.contains("<td>5</td><td>Вартість: сума в гривнях"), "[{bk}]");
        assert!(
            report.contains("<td>6</td><td>Ідентифікатор послуги: та сама послуга вже є у файлі, у рядку (2)"),
            "[{bk}]"
        );
        assert!(report.contains("Невідомі стовпці пропущено: extra"), "[{bk}]");
        let all = hromada_services::store::CardFilter { unpublished: true, ..Default::default() };
        let cards = hromada_services::store::cards(&app.db, c.id, &all, 100).await.unwrap();
        assert_eq!(cards.len(), 3, "[{bk}]");
        let categories = hromada_services::store::categories(&app.db, c.id).await.unwrap();
        assert_eq!(categories.len(), 2, "[{bk}] the named categories were made");

        // The export reads back in: the same cards change, none is added twice.
        let export = b.get(&format!("{admin}/export.csv")).await;
        assert_eq!(export.status, 200, "[{bk}]");
        let again = b
            .submit_files(
                &format!("{admin}/import"),
                &format!("{admin}/import"),
                &[],
                &[("file", "back.csv", export.body.as_bytes().to_vec())],
            )
            .await;
        assert_eq!(again.status, 200, "[{bk}] {}", again.html());
        assert!(again.html().contains("Додано: 0, оновлено: 3, з помилками: 0."), "[{bk}] {}", again.html());
        // JSON too, and twice at once still one card per service.
        let json = r#"{"services": [{"code": "100", "name_uk": "Нова послуга", "documents": ["Заява", "Паспорт"], "term": "5 днів", "result": "Рішення", "cost": 85}]}"#;
        let parsed =
            || hromada_services::exchange::parse(json.as_bytes(), hromada_services::exchange::Format::Json).unwrap();
        let (mut quiet_a, mut quiet_b) = (|_, _| {}, |_, _| {});
        let (a, bb) = tokio::join!(
            hromada_services::exchange::import(&app.db, c.id, parsed(), app.now(), &mut quiet_a),
            hromada_services::exchange::import(&app.db, c.id, parsed(), app.now(), &mut quiet_b),
        );
        assert_eq!(a.unwrap().created + bb.unwrap().created, 1, "[{bk}]");
        let cards = hromada_services::store::cards(&app.db, c.id, &all, 100).await.unwrap();
        assert_eq!(cards.len(), 4, "[{bk}]");
        let new = cards.iter().find(|c| c.code == "100").unwrap();
        assert_eq!((new.cost_kopiykas, new.documents.as_str()), (Some(8_500), "Заява\nПаспорт"), "[{bk}]");

        // A file that is not a catalogue is refused whole, saying why.
        let junk = b
            .submit_files(
                &format!("{admin}/import"),
                &format!("{admin}/import"),
                &[],
                &[("file", "x.csv", b"title,cost\nx,1\n".to_vec())],
            )
            .await;
        assert_eq!(junk.status, 422, "[{bk}]");
        assert!(junk.html().contains("немає стовпця name_uk"), "[{bk}]");
    }
}

#[tokio::test]
async fn tiles_and_cameras_are_kept_and_shown() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (c, b) = official(&app, "tl").await;
        let admin = "/c/tl/admin/services";
        let bad = b
            .submit(
                &format!("{admin}/tiles"),
                &format!("{admin}/tiles"),
                &[("icon", "ticket"), ("name_uk", "Квиток"), ("url", "javascript:alert(1)")],
            )
            .await;
        assert_eq!(bad.status, 422, "[{bk}]");
        assert!(bad.html().contains("Адреса має починатися з https://"), "[{bk}]");
        let tile = [
            ("icon", "ticket"),
            ("name_uk", "Електронний квиток"),
            ("description_uk", "Поповнити проїзний"),
            ("url", "https://eticket.example.ua"),
            ("in_bot", "1"),
        ];
        assert_eq!(b.submit(&format!("{admin}/tiles"), &format!("{admin}/tiles"), &tile).await.status, 303, "[{bk}]");
        let no_link = b
            .submit(
                &format!("{admin}/cameras"),
                &format!("{admin}/cameras"),
                &[("name_uk", "Площа"), ("status", "online")],
            )
            .await;
        assert_eq!(no_link.status, 422, "[{bk}]");
        assert!(no_link.html().contains("Вкажіть адресу знімка або трансляції"), "[{bk}]");
        let camera = [
            ("name_uk", "Центральна площа"),
            ("status", "online"),
            ("lat", "48.9"),
            ("lon", "38.4"),
            ("stream_url", "https://cameras.example.ua/1"),
        ];
        assert_eq!(b.submit(&format!("{admin}/cameras"), &format!("{admin}/cameras"), &camera).await.status, 303);
        let id = hromada_services::store::cameras(&app.db, c.id).await.unwrap()[0].id;
        // Editing through the same form with the camera's id changes it in place.
        let edit = format!("{admin}/cameras?edit={id}");
        assert!(b.get(&edit).await.html().contains("value=\"Центральна площа\""), "[{bk}]");
        let id_text = id.to_string();
        let mut changed = camera.to_vec();
        changed[1] = ("status", "maintenance");
        changed.push(("id", &id_text));
        assert_eq!(b.submit(&edit, &format!("{admin}/cameras"), &changed).await.status, 303, "[{bk}]");
        let cameras = hromada_services::store::cameras(&app.db, c.id).await.unwrap();
        assert_eq!((cameras.len(), cameras[0].status.as_str()), (1, "maintenance"), "[{bk}]");

        let visitor = app.browser();
        let page = visitor.get("/c/tl/services").await.html();
        assert!(page.contains("Електронний квиток") && page.contains("https://eticket.example.ua"), "[{bk}]");
        let cams = visitor.get("/c/tl/services/cameras").await.html();
        assert!(
            cams.contains("на обслуговуванні") && !cams.contains("https://cameras.example.ua/1"),
            "[{bk}] no stream while it is serviced"
        );
        assert_eq!(visitor.get("/c/tl/services/cameras.json").await.json()["clusters"][0]["label"], "1", "[{bk}]");
        let api = visitor.get("/c/tl/api/v1/services/tiles").await.json();
        assert_eq!(api[0]["url"], "https://eticket.example.ua", "[{bk}]");
        // Deleting takes it off.
        let deleted = b.submit(&format!("{admin}/cameras"), &format!("{admin}/cameras/{id}/delete"), &[]).await;
        assert_eq!(deleted.status, 303, "[{bk}]");
        assert!(hromada_services::store::cameras(&app.db, c.id).await.unwrap().is_empty(), "[{bk}]");
    }
}

/// Presses a button of the web chat (by its data) or sends a text or a location.
async fn chat(b: &Browser, slug: &str, fields: &[(&str, &str)]) -> String {
    let page = format!("/c/{slug}/chat");
    let sent = b.submit(&page, &page, fields).await;
    assert_eq!(sent.status, 303, "{}", sent.html());
    let body = hromada_testkit::browser::decode_entities(&b.follow(sent).await.body);
    let at = body.rfind("class=\"chat-msg").expect("a message");
    body[at..].to_owned()
}

#[tokio::test]
async fn the_chatbot_finds_a_service_and_the_nearest_office() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = official(&app, "bs").await;
        let admin = "/c/bs/admin/services";
        for (name, lat, lon) in [("ЦНАП у місті", "48.95", "38.49"), ("Місце в селі", "49.20", "38.10")]
        {
            let form = [("kind", "cnap"), ("name_uk", name), ("address", "вул. Миру, 1"), ("lat", lat), ("lon", lon)];
            assert_eq!(b.submit(&format!("{admin}/offices"), &format!("{admin}/offices"), &form).await.status, 303);
        }
        let mut fields = CARD.to_vec();
        fields.retain(|(k, _)| *k != "category_id");
        assert_eq!(b.submit(&format!("{admin}/new"), &format!("{admin}/new"), &fields).await.status, 303, "[{bk}]");
        let tile = [("icon", "diia"), ("name_uk", "Дія"), ("url", "https://diia.gov.ua"), ("in_bot", "1")];
        assert_eq!(b.submit(&format!("{admin}/tiles"), &format!("{admin}/tiles"), &tile).await.status, 303);

        let r = app.browser();
        let asked = chat(&r, "bs", &[("press", "services|cnap")]).await;
        assert!(asked.contains("напишіть, яку послугу шукаєте"), "[{bk}] {asked}");
        let found = chat(&r, "bs", &[("text", "паспорт")]).await;
        assert!(found.contains("services|s:1"), "[{bk}] {found}");
        let card = chat(&r, "bs", &[("press", "services|s:1")]).await;
        assert!(card.contains("• Заява-анкета") && card.contains("345,50 грн"), "[{bk}] {card}");
        let nothing = chat(&r, "bs", &[("text", "ракета")]).await;
        assert!(nothing.contains("Такої послуги не знайдено"), "[{bk}]");
        let offices = chat(&r, "bs", &[("press", "services|offices")]).await;
        assert!(offices.contains("Надішліть свою геолокацію"), "[{bk}] {offices}");
        let nearest = chat(&r, "bs", &[("lat", "49.19"), ("lon", "38.11")]).await;
        let village = nearest.find("Місце в селі").expect("the village office");
        let town = nearest.find("ЦНАП у місті").expect("the town office");
        assert!(village < town, "[{bk}] the nearest first: {nearest}");
        let online = chat(&r, "bs", &[("press", "services|online")]).await;
        assert!(online.contains("https://diia.gov.ua"), "[{bk}] {online}");
    }
}
