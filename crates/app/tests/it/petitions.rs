//! A petition from writing to the council's answer, through the pages.

use hromada_db::core::{communities, users};
use hromada_kernel::Role;
use hromada_petitions::domain;
use hromada_testkit::{TestApp, spawn_apps};

async fn verified(app: &TestApp, c: &communities::Community, email: &str, tax: &str) -> users::User {
    let u = app.user(c, email, &[]).await;
    let key = hromada_web::auth::person_key(&app.state.config.secret, tax).unwrap();
    users::set_person_key(&app.db, c.id, u.id, &key, users::PersonProof::Eid, app.now()).await.unwrap();
    u
}

#[tokio::test]
async fn a_petition_is_written_moderated_signed_and_answered() {
    for app in spawn_apps().await {
        let c = app.community("pet").await;
        let rules = serde_json::json!({ "threshold": 2, "residents_only": false, "min_age": 0 });
        communities::set_statute(&app.db, c.id, "petitions", rules).await.unwrap();
        verified(&app, &c, "author@pet.test", "1000000001").await;
        verified(&app, &c, "second@pet.test", "1000000002").await;
        app.user(&c, "emailonly@pet.test", &[]).await;
        app.user(&c, "moderator@pet.test", &[Role::Moderator]).await;

        let author = app.signed_in(&c, "author@pet.test").await;
        let short = author
            .submit(
                "/c/pet/petitions/new",
                "/c/pet/petitions",
                &[("title", "Коротко"), ("body", "мало"), ("category", "roads")],
            )
            .await;
        assert_eq!(short.status, 422, "[{}]", app.backend);
        assert!(short.text().contains("від 10 до 200 символів"));
        let body =
            "На вулиці Садовій немає жодного ліхтаря, діти йдуть зі школи в темряві. Просимо встановити освітлення.";
        let created = author
            .submit(
                "/c/pet/petitions/new",
                "/c/pet/petitions",
                &[("title", "Освітлення вулиці Садової"), ("body", body), ("category", "roads")],
            )
            .await;
        assert_eq!(created.status, 303, "[{}] {}", app.backend, created.text());
        assert_eq!(created.location().as_deref(), Some("/c/pet/petitions/1"));
        // A draft is the author's alone.
        assert_eq!(app.browser().get("/c/pet/petitions/1").await.status, 404);
        let submitted = author.submit("/c/pet/petitions/1", "/c/pet/petitions/1/submit", &[]).await;
        assert_eq!(submitted.status, 303);
        assert!(author.get("/c/pet/petitions/1").await.text().contains("Рішення модератора — до"));

        let moderator = app.signed_in(&c, "moderator@pet.test").await;
        let queue = moderator.get("/c/pet/admin/petitions").await;
        assert!(queue.text().contains("Освітлення вулиці Садової"), "[{}]", app.backend);
        assert_eq!(
            moderator.submit("/c/pet/admin/petitions", "/c/pet/admin/petitions/1/publish", &[]).await.status,
            303
        );
        let public = app.browser().get("/c/pet/petitions/1").await;
        assert_eq!(public.status, 200);
        assert!(public.text().contains("збір підписів"));

        // Not verified enough: refused with the reason.
        let weak = app.signed_in(&c, "emailonly@pet.test").await;
        let refused = weak.follow(weak.submit("/c/pet/petitions/1", "/c/pet/petitions/1/sign", &[]).await).await;
        assert!(refused.text().contains("вимагає підтвердженої особи"), "[{}] {}", app.backend, refused.text());

        let signed = author.submit("/c/pet/petitions/1", "/c/pet/petitions/1/sign", &[]).await;
        assert_eq!(signed.status, 200, "[{}] {}", app.backend, signed.text());
        assert!(signed.text().contains("Ваш код квитанції"));
        let at = signed.body.find("<code>").unwrap() + 6;
        let receipt = signed.body[at..at + signed.body[at..].find("</code>").unwrap()].to_owned();
        let again = author.follow(author.submit("/c/pet/petitions/1", "/c/pet/petitions/1/sign", &[]).await).await;
        assert!(again.text().contains("Ви вже підписали"), "[{}]", app.backend);

        let second = app.signed_in(&c, "second@pet.test").await;
        assert_eq!(second.submit("/c/pet/petitions/1", "/c/pet/petitions/1/sign", &[]).await.status, 200);
        // The threshold of 2 is reached: the council must consider it.
        let page = app.browser().get("/c/pet/petitions/1").await.text();
        assert!(page.contains("на розгляді") && page.contains("Розглянути до"), "[{}] {page}", app.backend);

        let list: serde_json::Value = app.browser().get("/c/pet/petitions/1/signatures.json").await.json();
        let entries: Vec<domain::ChainEntry> = serde_json::from_value(list["entries"].clone()).unwrap();
        let petition: uuid::Uuid = list["petition"].as_str().unwrap().parse().unwrap();
        let (count, head) = domain::verify_chain(petition, &entries).unwrap();
        assert_eq!(count, 2);
        assert_eq!(hex::encode(head), list["head"].as_str().unwrap());
        assert_eq!(
            domain::find_receipt(petition, &entries, &receipt).map(|e| e.display_name.as_str()),
            Some("Тестовий A.")
        );
        assert!(!list.to_string().contains("author@pet.test"), "no e-mail in the public list");

        // The list for the council, as a spreadsheet and as a printable page, for officials only.
        let csv = moderator.get("/c/pet/admin/petitions/1/signers.csv").await;
        assert_eq!(csv.status, 200);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.body.contains("Тестовий A.,Тестовий author,"), "[{}] {}", app.backend, csv.body);
        assert_eq!(csv.body.lines().count(), 3, "a header and two signers");
        assert_eq!(second.get("/c/pet/admin/petitions/1/signers.csv").await.status, 403);
        let print = moderator.get("/c/pet/admin/petitions/1/print").await;
        assert!(print.text().contains("Тестовий second") && print.text().contains("Освітлення вулиці Садової"));

        let answer = "Рада підтримує петицію: освітлення встановлять до кінця року за кошти бюджету розвитку.";
        let answered = moderator
            .submit(
                "/c/pet/admin/petitions",
                "/c/pet/admin/petitions/1/answer",
                &[("decision", "supported"), ("note", answer)],
            )
            .await;
        assert_eq!(answered.status, 303);
        let done = app.browser().get("/c/pet/petitions/1").await.text();
        assert!(done.contains("підтримано") && done.contains("освітлення встановлять"), "[{}] {done}", app.backend);
        let audit = hromada_db::core::audit::list(
            &app.db,
            Some(c.id),
            &hromada_db::core::audit::Filter { action_prefix: Some("petition.".into()), ..Default::default() },
            10,
            0,
        )
        .await
        .unwrap();
        assert_eq!(audit.len(), 2, "publish and answer are audited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sign_requests_of_one_person_give_one_signature() {
    for app in spawn_apps().await {
        let c = app.community("once").await;
        communities::set_statute(
            &app.db,
            c.id,
            "petitions",
            serde_json::json!({ "residents_only": false, "min_age": 0 }),
        )
        .await
        .unwrap();
        let author = verified(&app, &c, "a@once.test", "2000000001").await;
        let calendar = hromada_kernel::WorkingCalendar::default();
        let new = hromada_petitions::store::NewPetition {
            author_id: author.id,
            author_name: "А",
            title: "Т",
            body: "Б",
            category: "other",
        };
        let p = hromada_petitions::store::create_draft(&app.db, c.id, new, &domain::Rules::default(), app.now())
            .await
            .unwrap();
        for step in [domain::Action::Submit, domain::Action::Publish] {
            hromada_petitions::store::step(&app.db, c.id, p.id, step, None, "", &calendar, app.now()).await.unwrap();
        }
        let b = std::sync::Arc::new(app.signed_in(&c, "a@once.test").await);
        let page = b.get("/c/once/petitions/1").await;
        let token = hromada_testkit::browser::csrf_token(&page.body).unwrap();
        let mut tasks = vec![];
        for _ in 0..25 {
            let (b, token) = (b.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                b.post_raw("/c/once/petitions/1/sign", &[("_csrf", &token)]).await.status
            }));
        }
        let mut ok = 0;
        for t in tasks {
            if t.await.unwrap() == 200 {
                ok += 1;
            }
        }
        assert_eq!(ok, 1, "[{}]", app.backend);
        let stored = hromada_petitions::store::get(&app.db, c.id, p.id).await.unwrap().unwrap();
        assert_eq!(stored.signature_count, 1, "[{}]", app.backend);
    }
}

#[tokio::test]
async fn authors_moderators_and_signers_are_told_by_mail() {
    for app in spawn_apps().await {
        let c = app.community("mail").await;
        communities::set_statute(
            &app.db,
            c.id,
            "petitions",
            serde_json::json!({ "threshold": 1, "residents_only": false, "min_age": 0 }),
        )
        .await
        .unwrap();
        verified(&app, &c, "author@mail.test", "3000000001").await;
        verified(&app, &c, "signer@mail.test", "3000000002").await;
        app.user(&c, "moderator@mail.test", &[Role::Moderator]).await;
        let author = app.signed_in(&c, "author@mail.test").await;
        let body = "Просимо відремонтувати дитячий майданчик у сквері біля школи, бо гойдалки зламані вже два роки.";
        author
            .submit(
                "/c/mail/petitions/new",
                "/c/mail/petitions",
                &[("title", "Ремонт дитячого майданчика"), ("body", body), ("category", "other")],
            )
            .await;
        author.submit("/c/mail/petitions/1", "/c/mail/petitions/1/submit", &[]).await;
        let moderator = app.signed_in(&c, "moderator@mail.test").await;
        moderator.submit("/c/mail/admin/petitions", "/c/mail/admin/petitions/1/publish", &[]).await;
        let signer = app.signed_in(&c, "signer@mail.test").await;
        assert_eq!(signer.submit("/c/mail/petitions/1", "/c/mail/petitions/1/sign", &[]).await.status, 200);
        let answer = "Майданчик відремонтують навесні: кошти передбачено в бюджеті на наступний рік.";
        moderator
            .submit(
                "/c/mail/admin/petitions",
                "/c/mail/admin/petitions/1/answer",
                &[("decision", "supported"), ("note", answer)],
            )
            .await;

        let mails = hromada_db::core::outbox::recent(&app.db, c.id, 50).await.unwrap();
        let to = |addr: &str, word: &str| mails.iter().any(|m| m.to_addr == addr && m.subject.contains(word));
        assert!(
            to("author@mail.test", "оприлюднено"),
            "[{}] {:?}",
            app.backend,
            mails.iter().map(|m| (&m.to_addr, &m.subject)).collect::<Vec<_>>()
        );
        assert!(to("author@mail.test", "набрала"));
        assert!(to("moderator@mail.test", "набрала"));
        assert!(to("author@mail.test", "Відповідь"));
        assert!(to("signer@mail.test", "Відповідь"));
        assert!(mails.iter().all(|m| m.body_text.contains("/c/mail/petitions/1")), "every mail links to the petition");
    }
}

#[tokio::test]
async fn a_petition_whose_period_ends_falls_short() {
    let clock = hromada_kernel::FixedClock::new(chrono::Utc::now());
    let options = hromada_testkit::Options { clock: Some(std::sync::Arc::new(clock.clone())), ..Default::default() };
    for app in hromada_testkit::spawn_apps_with(options).await {
        let c = app.community("short").await;
        let author = verified(&app, &c, "a@short.test", "4000000001").await;
        let calendar = hromada_kernel::WorkingCalendar::default();
        let new = hromada_petitions::store::NewPetition {
            author_id: author.id,
            author_name: "А",
            title: "Т",
            body: "Б",
            category: "other",
        };
        let rules = domain::Rules { collection_days: 30, ..domain::Rules::default() };
        let p = hromada_petitions::store::create_draft(&app.db, c.id, new, &rules, app.now()).await.unwrap();
        for step in [domain::Action::Submit, domain::Action::Publish] {
            hromada_petitions::store::step(&app.db, c.id, p.id, step, None, "", &calendar, app.now()).await.unwrap();
        }
        assert_eq!(hromada_petitions::jobs::close_ended_collections(&app.state).await.unwrap(), 0, "still collecting");
        clock.advance(chrono::Duration::days(30));
        assert_eq!(hromada_petitions::jobs::close_ended_collections(&app.state).await.unwrap(), 1, "[{}]", app.backend);
        let stored = hromada_petitions::store::get(&app.db, c.id, p.id).await.unwrap().unwrap();
        assert_eq!(stored.status(), domain::Status::FellShort);
        let mails = hromada_db::core::outbox::recent(&app.db, c.id, 5).await.unwrap();
        assert!(mails.iter().any(|m| m.to_addr == "a@short.test" && m.subject.contains("не набрала")));

        // The author passes it on as an ordinary appeal; officials are told, then it is archived.
        app.user(&c, "m@short.test", &[Role::Moderator]).await;
        let path = format!("/c/short/petitions/{}", p.number);
        let other = app.signed_in(&c, "m@short.test").await;
        assert_eq!(other.submit(&path, &format!("{path}/pass-on"), &[]).await.status, 404, "only its author");
        let author = app.signed_in(&c, "a@short.test").await;
        let page = author.get(&path).await.text();
        assert!(page.contains("Передати петицію як звернення"), "[{}]", app.backend);
        let passed = author.submit(&path, &format!("{path}/pass-on"), &[]).await;
        assert_eq!(passed.status, 303, "[{}] {}", app.backend, passed.text());
        assert!(author.follow(passed).await.text().contains("Петицію передано як звернення"));
        let stored = hromada_petitions::store::get(&app.db, c.id, p.id).await.unwrap().unwrap();
        assert_eq!(stored.status(), domain::Status::PassedAsAppeal);
        let mails = hromada_db::core::outbox::recent(&app.db, c.id, 10).await.unwrap();
        assert!(mails.iter().any(|m| m.to_addr == "m@short.test" && m.subject.contains("передано як звернення")));
        let again = author.submit(&path, &format!("{path}/pass-on"), &[]).await;
        assert_eq!(again.status, 409, "passed on once");
        let audit = hromada_db::core::audit::list(&app.db, Some(c.id), &Default::default(), 20, 0).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "petition.pass_as_appeal"), "[{}]", app.backend);
        let queue = other.get("/c/short/admin/petitions").await.text();
        assert!(queue.contains("передано як звернення"), "ended petitions are listed for archiving");
        let archived = other
            .submit("/c/short/admin/petitions", &format!("/c/short/admin/petitions/{}/archive", p.number), &[])
            .await;
        assert_eq!(archived.status, 303);
        let stored = hromada_petitions::store::get(&app.db, c.id, p.id).await.unwrap().unwrap();
        assert_eq!(stored.status(), domain::Status::Archived, "[{}]", app.backend);
        assert!(app.browser().get(&path).await.text().contains("передано як звернення"), "the timeline keeps the step");
        clock.advance(chrono::Duration::days(-30));
    }
}

#[tokio::test]
async fn the_api_lists_counts_chains_and_signs() {
    for app in spawn_apps().await {
        let c = app.community("api").await;
        communities::set_statute(
            &app.db,
            c.id,
            "petitions",
            serde_json::json!({ "residents_only": false, "min_age": 0 }),
        )
        .await
        .unwrap();
        let author = verified(&app, &c, "a@api.test", "5000000001").await;
        let calendar = hromada_kernel::WorkingCalendar::default();
        let new = hromada_petitions::store::NewPetition {
            author_id: author.id,
            author_name: "Автор",
            title: "Парк",
            body: "Текст",
            category: "environment",
        };
        let p = hromada_petitions::store::create_draft(&app.db, c.id, new, &domain::Rules::default(), app.now())
            .await
            .unwrap();
        let http = reqwest::Client::new();
        assert_eq!(
            http.get(app.url("/c/api/api/v1/petitions/1")).send().await.unwrap().status(),
            404,
            "drafts are not public"
        );
        for step in [domain::Action::Submit, domain::Action::Publish] {
            hromada_petitions::store::step(&app.db, c.id, p.id, step, None, "", &calendar, app.now()).await.unwrap();
        }
        let list: serde_json::Value =
            http.get(app.url("/c/api/api/v1/petitions")).send().await.unwrap().json().await.unwrap();
        assert_eq!(list[0]["title"], "Парк");

        // Sign with a personal token.
        let b = app.signed_in(&c, "a@api.test").await;
        let created = b.submit("/c/api/account/tokens", "/c/api/account/tokens", &[("name", "bot")]).await;
        let at = created.body.find("<code>").unwrap() + 6;
        let token = created.body[at..at + created.body[at..].find("</code>").unwrap()].to_owned();
        let anonymous = http.post(app.url("/c/api/api/v1/petitions/1/signatures")).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let signed =
            http.post(app.url("/c/api/api/v1/petitions/1/signatures")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(signed.status(), 201, "[{}]", app.backend);
        let receipt: serde_json::Value = signed.json().await.unwrap();
        assert_eq!(receipt["seq"], 1);
        let again =
            http.post(app.url("/c/api/api/v1/petitions/1/signatures")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(again.status(), 409);

        let count = http.get(app.url("/c/api/api/v1/petitions/1/count")).send().await.unwrap();
        assert!(count.headers()["cache-control"].to_str().unwrap().contains("stale-while-revalidate"));
        let count: serde_json::Value = count.json().await.unwrap();
        assert_eq!(count["signatures"], 1);
        let page: serde_json::Value =
            http.get(app.url("/c/api/api/v1/petitions/1/signatures")).send().await.unwrap().json().await.unwrap();
        let entries: Vec<domain::ChainEntry> = serde_json::from_value(page["entries"].clone()).unwrap();
        let (n, head) = domain::verify_chain(p.id, &entries).unwrap();
        assert_eq!((n, hex::encode(head)), (1, count["chain_head"].as_str().unwrap().to_owned()));
        assert!(domain::find_receipt(p.id, &entries, receipt["receipt_code"].as_str().unwrap()).is_some());
        // Anyone can recount the list and a signer can find their signature, with the command line.
        let chain_url = app.url("/c/api/api/v1/petitions/1/signatures");
        let code = receipt["receipt_code"].as_str().unwrap().to_owned();
        let (u, c2) = (chain_url.clone(), code.clone());
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
                .args(["petitions", "verify", "--url", &u, "--receipt", &c2])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(out.status.success(), "[{}] {}", app.backend, String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("your signature is No. 1"));
        let u = chain_url.clone();
        let wrong = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
                .args(["petitions", "verify", "--url", &u, "--receipt", "NOPE"])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(!wrong.status.success());
        let doc: serde_json::Value =
            http.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
        assert!(doc["paths"]["/api/v1/petitions/{number}/signatures"]["post"].is_object());
    }
}

#[tokio::test]
async fn the_administrator_sets_the_statute_rules() {
    for app in spawn_apps().await {
        let c = app.community("rules").await;
        app.user(&c, "admin@rules.test", &[Role::Admin]).await;
        app.user(&c, "moderator@rules.test", &[Role::Moderator]).await;
        let moderator = app.signed_in(&c, "moderator@rules.test").await;
        assert_eq!(moderator.get("/c/rules/admin/petitions/settings").await.status, 403);
        let admin = app.signed_in(&c, "admin@rules.test").await;
        let page = "/c/rules/admin/petitions/settings";
        let fields = |days: &'static str| {
            vec![
                ("threshold", "250"),
                ("collection_days", days),
                ("moderation_working_days", "2"),
                ("consideration_working_days", "10"),
                ("min_age", "16"),
                ("accept_idp", "yes"),
                ("addressee", "mayor"),
            ]
        };
        let bad = admin.submit(page, page, &fields("120")).await;
        assert_eq!(bad.status, 422);
        assert!(bad.text().contains("Від 1 до 90 днів"), "[{}] {}", app.backend, bad.text());
        assert_eq!(admin.submit(page, page, &fields("45")).await.status, 303);
        let c = communities::by_id(&app.db, c.id).await.unwrap().unwrap();
        let rules = hromada_petitions::rules_of(&c);
        assert_eq!((rules.threshold, rules.collection_days, rules.min_age), (250, 45, 16));
        assert!(!rules.residents_only && rules.accept_idp);
        assert_eq!(rules.addressee, domain::Addressee::Mayor);
        assert!(app.browser().get("/c/rules/petitions").await.text().contains("250"), "the rules show to residents");
    }
}

#[tokio::test]
async fn only_drafts_and_returned_petitions_can_be_edited_by_their_author() {
    for app in spawn_apps().await {
        let c = app.community("edit").await;
        let rules = serde_json::json!({ "residents_only": false, "min_age": 0 });
        communities::set_statute(&app.db, c.id, "petitions", rules).await.unwrap();
        verified(&app, &c, "author@edit.test", "6000000001").await;
        verified(&app, &c, "other@edit.test", "6000000002").await;
        app.user(&c, "moderator@edit.test", &[Role::Moderator]).await;
        let author = app.signed_in(&c, "author@edit.test").await;
        let body = "Просимо облаштувати пішохідний перехід біля ринку: люди переходять дорогу де доведеться.";
        author
            .submit(
                "/c/edit/petitions/new",
                "/c/edit/petitions",
                &[("title", "Пішохідний перехід біля ринку"), ("body", body), ("category", "roads")],
            )
            .await;
        let changed = "Просимо облаштувати освітлений пішохідний перехід біля ринку й острівець безпеки посередині.";
        let saved = author
            .submit(
                "/c/edit/petitions/1/edit",
                "/c/edit/petitions/1/edit",
                &[("title", "Безпечний перехід біля ринку"), ("body", changed), ("category", "roads")],
            )
            .await;
        assert_eq!(saved.status, 303, "[{}] {}", app.backend, saved.text());
        assert!(author.get("/c/edit/petitions/1").await.text().contains("Безпечний перехід біля ринку"));
        let other = app.signed_in(&c, "other@edit.test").await;
        assert_eq!(other.get("/c/edit/petitions/1/edit").await.status, 404, "not someone else's");

        author.submit("/c/edit/petitions/1", "/c/edit/petitions/1/submit", &[]).await;
        assert_eq!(author.get("/c/edit/petitions/1/edit").await.status, 409, "not while in moderation");
        let moderator = app.signed_in(&c, "moderator@edit.test").await;
        moderator.submit("/c/edit/admin/petitions", "/c/edit/admin/petitions/1/return", &[]).await;
        assert_eq!(author.get("/c/edit/petitions/1/edit").await.status, 200, "[{}] returned for changes", app.backend);
        author.submit("/c/edit/petitions/1", "/c/edit/petitions/1/submit", &[]).await;
        moderator.submit("/c/edit/admin/petitions", "/c/edit/admin/petitions/1/publish", &[]).await;
        let late = author
            .submit(
                "/c/edit/petitions/1",
                "/c/edit/petitions/1/edit",
                &[("title", "Зовсім інша вимога тепер"), ("body", changed), ("category", "roads")],
            )
            .await;
        assert_eq!(late.status, 409, "[{}] the text people sign never changes", app.backend);
        assert!(app.browser().get("/c/edit/petitions/1").await.text().contains("Безпечний перехід біля ринку"));
    }
}

#[tokio::test]
async fn the_list_page_filters_and_keeps_its_choices_in_page_links() {
    let app = hromada_testkit::spawn_app().await;
    let c = app.community("filters").await;
    let page = app.browser().get("/c/filters/petitions?status=collecting&category=roads&sort=signed").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<option value=\"signed\" selected>"), "the chosen order stays selected");
    let junk = app.browser().get("/c/filters/petitions?status=draft&category=%27%3B--&sort=x").await;
    assert_eq!(junk.status, 200, "unknown values are ignored, drafts never listed");
    let _ = c;
}

#[tokio::test]
async fn residents_search_petitions_see_similar_ones_and_take_all_as_open_data() {
    for app in spawn_apps().await {
        let c = app.community("open").await;
        let rules = serde_json::json!({
            "threshold": 5, "residents_only": false, "min_age": 0, "rules_text": "Лише **питання громади**."
        });
        communities::set_statute(&app.db, c.id, "petitions", rules).await.unwrap();
        verified(&app, &c, "author@open.test", "7000000001").await;
        app.user(&c, "moderator@open.test", &[Role::Moderator]).await;
        let author = app.signed_in(&c, "author@open.test").await;
        let form = author.get("/c/open/petitions/new").await.text();
        assert!(form.contains("Лише питання громади"), "[{}] the statute's rules above the form", app.backend);
        let write = |title: &'static str| {
            let author = &author;
            async move {
                let body = "Просимо вирішити це питання якнайшвидше, бо мешканці чекають уже не перший рік.";
                let reply = author
                    .submit(
                        "/c/open/petitions/new",
                        "/c/open/petitions",
                        &[("title", title), ("body", body), ("category", "roads")],
                    )
                    .await;
                assert_eq!(reply.status, 303, "{}", reply.text());
            }
        };
        write("Освітлення вулиці Садової").await;
        write("Ремонт даху школи №2").await;
        let moderator = app.signed_in(&c, "moderator@open.test").await;
        for n in 1..=2 {
            author.submit(&format!("/c/open/petitions/{n}"), &format!("/c/open/petitions/{n}/submit"), &[]).await;
            let published =
                moderator.submit("/c/open/admin/petitions", &format!("/c/open/admin/petitions/{n}/publish"), &[]).await;
            assert_eq!(published.status, 303);
        }
        write("Освітлення парку Перемоги").await;
        let draft = author.get("/c/open/petitions/3").await.text();
        assert!(draft.contains("Схожі петиції") && draft.contains("Освітлення вулиці Садової"), "[{}]", app.backend);

        let found = app.browser().get("/c/open/petitions?q=%D0%BE%D1%81%D0%B2%D1%96%D1%82%D0%BB").await.text();
        assert!(found.contains("Освітлення вулиці Садової"), "[{}] {found}", app.backend);
        assert!(!found.contains("Ремонт даху") && !found.contains("парку Перемоги"), "[{}]", app.backend);
        let api = app.browser().get("/c/open/api/v1/petitions?q=%D0%94%D0%90%D0%A5").await.json();
        assert_eq!(api.as_array().map(|a| a.len()), Some(1), "[{}] {api}", app.backend);
        assert_eq!(api[0]["number"], 2);

        let csv = app.browser().get("/c/open/petitions/open-data.csv").await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
        assert!(csv.body.starts_with('\u{feff}'), "a byte-order mark for spreadsheet programs");
        let lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 3, "[{}] a header and the two published petitions: {lines:?}", app.backend);
        assert!(lines[2].starts_with("1,Освітлення вулиці Садової,roads,collecting,"), "{}", lines[2]);
        assert!(lines[2].ends_with("/c/open/petitions/1"), "{}", lines[2]);
        let json = app.browser().get("/c/open/petitions/open-data.json").await.json();
        assert_eq!(json.as_array().map(|a| a.len()), Some(2));

        let count = app.browser().get("/c/open/petitions/1/count.json").await;
        assert_eq!(count.json()["signatures"], 0);
        assert!(count.header("cache-control").unwrap_or_default().contains("stale-while-revalidate"));
        assert_eq!(
            app.browser().get("/c/open/petitions/3/count.json").await.status,
            404,
            "drafts have no public count"
        );
    }
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(vec![]);
    image::DynamicImage::ImageRgb8(pixels).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_petition_carries_an_image_and_attachments_and_its_answer_a_document() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("files").await;
        let rules = serde_json::json!({ "threshold": 1, "residents_only": false, "min_age": 0 });
        communities::set_statute(&app.db, c.id, "petitions", rules).await.unwrap();
        verified(&app, &c, "author@files.test", "8000000001").await;
        app.user(&c, "moderator@files.test", &[Role::Moderator]).await;
        let author = app.signed_in(&c, "author@files.test").await;
        let body = "Просимо облаштувати майданчик для вигулу собак у парку, як показано на схемі в додатку.";
        let fields = [("title", "Майданчик для собак у парку"), ("body", body), ("category", "environment")];
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();

        // An image without its description is sent back with the reason, and nothing is kept.
        let files = [("image", "photo.jpg", jpeg(800, 600)), ("attachments", "scheme.pdf", pdf.clone())];
        let missing_alt = author.submit_files("/c/files/petitions/new", "/c/files/petitions", &fields, &files).await;
        assert_eq!(missing_alt.status, 422, "[{b}] {}", missing_alt.text());
        assert!(missing_alt.text().contains("Опишіть, що на зображенні"), "[{b}]");
        let fake = [("image", "photo.jpg", b"<html>not an image</html>".to_vec())];
        let mut with_alt = fields.to_vec();
        with_alt.push(("image_alt", "Порожня ділянка в парку біля ставка"));
        let refused = author.submit_files("/c/files/petitions/new", "/c/files/petitions", &with_alt, &fake).await;
        assert_eq!(refused.status, 422, "[{b}] the real type is read from the bytes");
        assert!(hromada_petitions::store::by_number(&app.db, c.id, 1).await.unwrap().is_none(), "[{b}]");

        let created = author.submit_files("/c/files/petitions/new", "/c/files/petitions", &with_alt, &files).await;
        assert_eq!(created.status, 303, "[{b}] {}", created.text());
        let draft = hromada_testkit::browser::decode_entities(&author.get("/c/files/petitions/1").await.body);
        assert!(draft.contains("alt=\"Порожня ділянка в парку біля ставка\""), "[{b}] {draft}");
        assert!(draft.contains("scheme.pdf"), "[{b}]");
        let at = draft.find("/c/files/media/").expect("a media link");
        let image = draft[at..at + draft[at..].find('"').unwrap()].to_owned();
        assert_eq!(author.get(&image).await.status, 200, "[{b}] the author sees the draft's image");
        assert_eq!(app.browser().get(&image).await.status, 404, "[{b}] nobody else before publication");

        author.submit("/c/files/petitions/1", "/c/files/petitions/1/submit", &[]).await;
        let moderator = app.signed_in(&c, "moderator@files.test").await;
        moderator.submit("/c/files/admin/petitions", "/c/files/admin/petitions/1/publish", &[]).await;
        let public = app.browser().get(&image).await;
        assert_eq!(public.status, 200, "[{b}] public with the petition");
        assert_eq!(public.header("content-type").as_deref(), Some("image/jpeg"));

        assert_eq!(author.submit("/c/files/petitions/1", "/c/files/petitions/1/sign", &[]).await.status, 200);
        let answer = "Рада підтримала петицію: майданчик облаштують навесні, кошти передбачено в бюджеті.";
        let answered = moderator
            .submit_files(
                "/c/files/admin/petitions",
                "/c/files/admin/petitions/1/answer",
                &[("decision", "supported"), ("note", answer)],
                &[("document", "Рішення ради.pdf", pdf.clone())],
            )
            .await;
        assert_eq!(answered.status, 303, "[{b}] {}", answered.text());
        let page = app.browser().get("/c/files/petitions/1").await.text();
        assert!(page.contains("Документ відповіді: Рішення ради.pdf"), "[{b}] {page}");
        let files = hromada_media::store::list_for(&app.db, c.id, "petitions", &{
            let p = hromada_petitions::store::by_number(&app.db, c.id, 1).await.unwrap().unwrap();
            p.id.to_string()
        })
        .await
        .unwrap();
        let purposes: Vec<&str> = files.iter().map(|f| f.purpose.as_str()).collect();
        assert_eq!(purposes.len(), 3, "[{b}] {purposes:?}");
        assert!(files.iter().all(|f| f.public), "[{b}]");
    }
}

#[tokio::test]
async fn the_statute_decides_who_may_write_and_cnap_staff_record_displaced_persons() {
    for app in spawn_apps().await {
        let b = app.backend;
        let c = app.community("statute").await;
        let rules = serde_json::json!({ "residents_only": true, "accept_idp": true, "min_age": 16 });
        communities::set_statute(&app.db, c.id, "petitions", rules).await.unwrap();
        let displaced = verified(&app, &c, "idp@statute.test", "9000000001").await;
        let profile =
            users::Profile {
                full_name: "Переселенка Олена", settlement_id: None, birth_year: Some(1980), lang: "uk"
            };
        users::update_profile(&app.db, c.id, displaced.id, profile).await.unwrap();
        let young = verified(&app, &c, "young@statute.test", "9000000002").await;
        let profile =
            users::Profile {
                full_name: "Юний Андрій", settlement_id: None, birth_year: Some(2020), lang: "uk"
            };
        users::update_profile(&app.db, c.id, young.id, profile).await.unwrap();
        app.user(&c, "cnap@statute.test", &[Role::CnapStaff]).await;

        let person = app.signed_in(&c, "idp@statute.test").await;
        let refused = person.follow(person.get("/c/statute/petitions/new").await).await;
        assert!(refused.text().contains("Подавати петиції можуть мешканці громади"), "[{b}] {}", refused.text());
        let kid = app.signed_in(&c, "young@statute.test").await;
        let refused = kid.follow(kid.get("/c/statute/petitions/new").await).await;
        assert!(refused.text().contains("від певного віку"), "[{b}]");
        let body = "Просимо облаштувати гуртожиток для переселенців у приміщенні колишнього училища на околиці.";
        let fields = [("title", "Гуртожиток для переселенців"), ("body", body), ("category", "social")];
        let sneaked = person.submit("/c/statute/petitions", "/c/statute/petitions", &fields).await;
        assert_eq!(sneaked.status, 303);
        assert!(
            hromada_petitions::store::by_number(&app.db, c.id, 1).await.unwrap().is_none(),
            "[{b}] not by POST either"
        );

        // CNAP staff see the certificate and record it; the statute counts displaced persons in.
        let cnap = app.signed_in(&c, "cnap@statute.test").await;
        let user_page = format!("/c/statute/admin/users/{}", displaced.id);
        let recorded = cnap.submit(&user_page, &format!("{user_page}/idp"), &[("registered", "yes")]).await;
        assert_eq!(recorded.status, 303, "[{b}]");
        assert!(cnap.get(&user_page).await.text().contains("зареєстрована в громаді"), "[{b}]");
        assert_eq!(person.get("/c/statute/petitions/new").await.status, 200, "[{b}]");
        let written = person.submit("/c/statute/petitions/new", "/c/statute/petitions", &fields).await;
        assert_eq!(written.status, 303, "[{b}] {}", written.text());
        assert!(hromada_petitions::store::by_number(&app.db, c.id, 1).await.unwrap().is_some(), "[{b}]");
        let audit = hromada_db::core::audit::list(&app.db, Some(c.id), &Default::default(), 20, 0).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "user.idp_registered"), "[{b}]");
        let resident = app.signed_in(&c, "young@statute.test").await;
        assert_eq!(
            resident.submit(&user_page, &format!("{user_page}/idp"), &[("registered", "no")]).await.status,
            403,
            "[{b}] CNAP staff only"
        );
    }
}
