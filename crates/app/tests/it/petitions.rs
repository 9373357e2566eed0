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
        clock.advance(chrono::Duration::days(-30));
    }
}
