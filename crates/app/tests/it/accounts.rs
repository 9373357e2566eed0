use hromada_db::core::{outbox, users};
use hromada_testkit::{PASSWORD, spawn_apps};

fn confirmation_link(body: &str, slug: &str) -> String {
    let marker = format!("/c/{slug}/confirm/");
    let at = body.rfind(&marker).expect("a confirmation link in the mail");
    let rest = &body[at..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '"' || c == '<').unwrap_or(rest.len());
    rest[..end].to_owned()
}

#[tokio::test]
async fn a_resident_registers_confirms_email_and_signs_in() {
    for app in spawn_apps().await {
        let c = app.community("registers").await;
        let b = app.browser();
        let reply = b
            .submit(
                "/c/registers/register",
                "/c/registers/register",
                &[
                    ("full_name", "Олена Шевченко"),
                    ("email", "Olena@Example.org"),
                    ("password", "довгий пароль 123"),
                    ("password_confirm", "довгий пароль 123"),
                    ("birth_year", "1990"),
                ],
            )
            .await;
        assert_eq!(reply.status, 303, "[{}] {}", app.backend, reply.text());
        assert_eq!(reply.location().as_deref(), Some("/c/registers/account"));
        let account = b.follow(reply).await;
        assert!(account.text().contains("Обліковий запис створено"), "[{}] {}", app.backend, account.text());

        let user = users::by_email(&app.db, c.id, "olena@example.org").await.unwrap().expect("stored");
        assert_eq!(user.full_name, "Олена Шевченко");
        assert_eq!(user.birth_year, Some(1990));
        assert!(user.email_confirmed_at.is_none());
        assert!(user.password_hash.as_deref().unwrap().starts_with("$argon2id$"));

        // The mail waits in the outbox and shows on the development mail page.
        let mail = b.get("/c/registers/dev/mail").await;
        assert_eq!(mail.status, 200);
        assert!(mail.text().contains("Підтвердіть електронну пошту"), "[{}] {}", app.backend, mail.text());
        let link = confirmation_link(&hromada_testkit::browser::decode_entities(&mail.body), "registers");
        let confirmed = b.follow(b.get(&link).await).await;
        assert!(confirmed.text().contains("Електронну пошту підтверджено"), "[{}] {}", app.backend, confirmed.text());
        let user = users::by_id(&app.db, c.id, user.id).await.unwrap().unwrap();
        assert!(user.email_confirmed_at.is_some());
        assert_eq!(user.identity_level(), hromada_kernel::IdentityLevel::Email);
        // A confirmation link works once.
        let again = b.follow(b.get(&link).await).await;
        assert!(again.text().contains("Посилання недійсне"), "[{}]", app.backend);

        // Sign out, then in again.
        let out = b.submit("/c/registers/account", "/c/registers/logout", &[]).await;
        assert_eq!(out.status, 303);
        assert_eq!(b.get("/c/registers/account").await.status, 303, "signed out: the account page sends to sign-in");
        let signed_in = b.login("registers", "olena@example.org", "довгий пароль 123").await;
        assert_eq!(signed_in.status, 303, "[{}]", app.backend);
        assert!(b.get("/c/registers/account").await.text().contains("Олена Шевченко"));
    }
}

#[tokio::test]
async fn a_taken_email_is_a_field_error_and_nothing_is_created() {
    for app in spawn_apps().await {
        let c = app.community("taken").await;
        app.user(&c, "petro@example.org", &[]).await;
        let b = app.browser();
        let reply = b
            .submit(
                "/c/taken/register",
                "/c/taken/register",
                &[
                    ("full_name", "Інший Петро"),
                    ("email", "PETRO@example.org"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(reply.status, 422, "[{}]", app.backend);
        assert!(reply.text().contains("Ця адреса вже зареєстрована"), "[{}] {}", app.backend, reply.text());
        assert!(reply.body.contains("aria-invalid=\"true\""), "the field is marked invalid");
        assert!(reply.body.contains("value=\"Інший Петро\""), "what was typed is kept");
        assert_eq!(users::count(&app.db, c.id).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn registration_checks_every_field_in_the_readers_language() {
    for app in spawn_apps().await {
        app.community("fields").await;
        let b = app.browser();
        let reply = b
            .submit(
                "/c/fields/register",
                "/c/fields/register",
                &[
                    ("full_name", "Я"),
                    ("email", "not-an-email"),
                    ("password", "short"),
                    ("password_confirm", "other"),
                    ("birth_year", "1850"),
                    ("settlement_id", "nonsense"),
                ],
            )
            .await;
        assert_eq!(reply.status, 422);
        let text = reply.text();
        for expected in [
            "від 2 до 200 символів",
            "правильну адресу",
            "щонайменше 10 символів",
            "Паролі не збігаються",
            "чотирма цифрами",
            "зі списку",
        ] {
            assert!(text.contains(expected), "[{}] missing «{expected}» in {text}", app.backend);
        }
        let english = b.get_with("/c/fields/register", &[]).await;
        assert_eq!(english.status, 200);
        b.get("/c/fields/lang/en?next=/c/fields/register").await;
        let reply = b.submit("/c/fields/register", "/c/fields/register", &[("email", "x")]).await;
        assert!(reply.text().contains("Give a valid e-mail address"), "[{}] {}", app.backend, reply.text());
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer_and_are_throttled() {
    for app in spawn_apps().await {
        let c = app.community("throttle").await;
        let user = app.user(&c, "known@example.org", &[]).await;
        let b = app.browser();
        let wrong = b.login("throttle", "known@example.org", "not the password").await;
        let unknown = b.login("throttle", "nobody@example.org", "not the password").await;
        assert_eq!(wrong.status, 422);
        assert_eq!(unknown.status, 422);
        assert_eq!(wrong.text(), unknown.text(), "no account enumeration");

        // Four more failures lock the account, even with the right password afterwards.
        for _ in 0..4 {
            b.login("throttle", "known@example.org", "still wrong").await;
        }
        let locked = b.login("throttle", "known@example.org", PASSWORD).await;
        assert_eq!(locked.status, 429, "[{}] {}", app.backend, locked.text());
        assert!(locked.text().contains("Забагато спроб"));
        let stored = users::by_id(&app.db, c.id, user.id).await.unwrap().unwrap();
        assert!(stored.locked_until.is_some());
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_mail_and_old_sessions_end() {
    for app in spawn_apps().await {
        let c = app.community("reset").await;
        app.user(&c, "anna@example.org", &[]).await;
        let old_session = app.signed_in(&c, "anna@example.org").await;
        let b = app.browser();
        let unknown =
            b.submit("/c/reset/password/forgot", "/c/reset/password/forgot", &[("email", "ghost@example.org")]).await;
        let known =
            b.submit("/c/reset/password/forgot", "/c/reset/password/forgot", &[("email", "anna@example.org")]).await;
        assert_eq!(known.status, 200);
        assert_eq!(unknown.text(), known.text(), "the same answer for unknown addresses");
        let mails = outbox::recent(&app.db, c.id, 10).await.unwrap();
        assert_eq!(mails.len(), 1, "[{}] only the real account gets mail", app.backend);
        let body = &mails[0].body_text;
        let at = body.find("/c/reset/password/reset/").unwrap();
        let link = body[at..].split_whitespace().next().unwrap().to_owned();

        let short = b.submit(&link, &link, &[("password", "short"), ("password_confirm", "short")]).await;
        assert_eq!(short.status, 422);
        let done = b
            .submit(
                &link,
                &link,
                &[("password", "новий надійний пароль"), ("password_confirm", "новий надійний пароль")],
            )
            .await;
        assert_eq!(done.status, 303, "[{}] {}", app.backend, done.text());
        assert_eq!(old_session.get("/c/reset/account").await.status, 303, "the old session ended");
        assert_eq!(b.login("reset", "anna@example.org", PASSWORD).await.status, 422);
        assert_eq!(b.login("reset", "anna@example.org", "новий надійний пароль").await.status, 303);
        // The link cannot be used twice.
        let reused =
            b.submit(&link, &link, &[("password", "ще один пароль 1"), ("password_confirm", "ще один пароль 1")]).await;
        assert_eq!(reused.location().as_deref(), Some("/c/reset/password/forgot"));
    }
}

#[tokio::test]
async fn the_profile_export_and_deletion_work() {
    for app in spawn_apps().await {
        let c = app.community("profile").await;
        let user = app.user(&c, "ivan@example.org", &[]).await;
        let b = app.signed_in(&c, "ivan@example.org").await;
        let saved = b
            .submit(
                "/c/profile/account",
                "/c/profile/account",
                &[("full_name", "Іван Франко"), ("birth_year", "1956"), ("lang", "en"), ("settlement_id", "")],
            )
            .await;
        assert_eq!(saved.status, 303);
        let page = b.follow(saved).await;
        assert!(page.body.contains("<html lang=\"en\">"), "the chosen language is used");
        let stored = users::by_id(&app.db, c.id, user.id).await.unwrap().unwrap();
        assert_eq!(
            (stored.full_name.as_str(), stored.birth_year, stored.lang.as_str()),
            ("Іван Франко", Some(1956), "en")
        );

        let export = b.get("/c/profile/account/export").await;
        assert_eq!(export.status, 200);
        assert!(export.header("content-disposition").unwrap().contains("attachment"));
        let json = export.json();
        assert_eq!(json["account"]["full_name"], "Іван Франко");
        assert!(json["account"].get("password_hash").is_none(), "secrets are not exported");

        let wrong =
            b.submit("/c/profile/account/delete", "/c/profile/account/delete", &[("password", "wrong password")]).await;
        assert_eq!(wrong.status, 422);
        let gone = b.submit("/c/profile/account/delete", "/c/profile/account/delete", &[("password", PASSWORD)]).await;
        assert_eq!(gone.status, 303);
        assert!(users::by_id(&app.db, c.id, user.id).await.unwrap().is_none(), "[{}]", app.backend);
        assert_eq!(b.get("/c/profile/account").await.status, 303);
    }
}

#[tokio::test]
async fn an_api_token_acts_for_its_owner_and_can_be_revoked() {
    for app in spawn_apps().await {
        let c = app.community("tokens").await;
        app.user(&c, "dev@example.org", &[hromada_kernel::Role::Editor]).await;
        let b = app.signed_in(&c, "dev@example.org").await;
        let created = b.submit("/c/tokens/account/tokens", "/c/tokens/account/tokens", &[("name", "script")]).await;
        assert_eq!(created.status, 200);
        assert_eq!(created.header("cache-control").as_deref(), Some("no-store"));
        let at = created.body.find("<code>").unwrap() + 6;
        let token = created.body[at..at + created.body[at..].find("</code>").unwrap()].to_owned();

        let http = reqwest::Client::new();
        let me = http.get(app.url("/c/tokens/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(me.status(), 200);
        let me: serde_json::Value = me.json().await.unwrap();
        assert_eq!(me["email"], "dev@example.org");
        assert_eq!(me["roles"], serde_json::json!(["editor"]));

        let anonymous = http.get(app.url("/c/tokens/api/v1/me")).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let body: serde_json::Value = anonymous.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized");

        let owner = me["id"].as_str().unwrap().parse().unwrap();
        let list = hromada_db::core::tokens::api_tokens_of(&app.db, c.id, owner).await.unwrap();
        assert!(list[0].last_used_at.is_none(), "use is noted in memory first");
        app.state.flush_token_uses().await.unwrap();
        let list = hromada_db::core::tokens::api_tokens_of(&app.db, c.id, owner).await.unwrap();
        assert!(list[0].last_used_at.is_some(), "[{}] and written by the periodic job", app.backend);
        let revoke = format!("/c/tokens/account/tokens/{}/revoke", list[0].id);
        assert_eq!(b.submit("/c/tokens/account/tokens", &revoke, &[]).await.status, 303);
        let after = http.get(app.url("/c/tokens/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(after.status(), 401, "[{}]", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_identical_registrations_at_once_make_one_account() {
    for app in spawn_apps().await {
        let c = app.community("race").await;
        let mut tasks = vec![];
        for _ in 0..20 {
            let b = app.browser();
            tasks.push(tokio::spawn(async move {
                b.submit(
                    "/c/race/register",
                    "/c/race/register",
                    &[
                        ("full_name", "Близнюк"),
                        ("email", "twin@example.org"),
                        ("password", PASSWORD),
                        ("password_confirm", PASSWORD),
                    ],
                )
                .await
                .status
            }));
        }
        let mut created = 0;
        for t in tasks {
            let status = t.await.unwrap();
            assert!(status == 303 || status == 422 || status == 429, "[{}] {status}", app.backend);
            if status == 303 {
                created += 1;
            }
        }
        assert_eq!(created, 1, "[{}]", app.backend);
        assert_eq!(users::count(&app.db, c.id).await.unwrap(), 1, "[{}]", app.backend);
    }
}

#[tokio::test]
async fn the_community_decides_which_identity_level_api_tokens_need() {
    for app in spawn_apps().await {
        let c = app.community("gates").await;
        app.user(&c, "admin@gates.test", &[hromada_kernel::Role::Admin]).await;
        let resident = app.user(&c, "resident@gates.test", &[]).await;
        // Default: a confirmed e-mail is enough.
        let b = app.signed_in(&c, "resident@gates.test").await;
        assert_eq!(b.submit("/c/gates/account/tokens", "/c/gates/account/tokens", &[("name", "a")]).await.status, 200);

        // The administrator raises the bar to a verified person.
        let admin = app.signed_in(&c, "admin@gates.test").await;
        let settings = admin.get("/c/gates/admin/settings").await;
        assert!(settings.text().contains("Створення токенів доступу до API"), "[{}] {}", app.backend, settings.text());
        let saved = admin
            .submit("/c/gates/admin/settings", "/c/gates/admin/settings/identity", &[("account.api_tokens", "eid")])
            .await;
        assert_eq!(saved.status, 303);
        let refused = b.submit("/c/gates/account/tokens", "/c/gates/account/tokens", &[("name", "b")]).await;
        assert_eq!(refused.status, 403, "[{}]", app.backend);
        assert!(refused.text().contains("вимагає підтвердженої особи"), "{}", refused.text());
        assert_eq!(hromada_db::core::tokens::api_tokens_of(&app.db, c.id, resident.id).await.unwrap().len(), 1);
        let audit = hromada_db::core::audit::list(&app.db, Some(c.id), &Default::default(), 5, 0).await.unwrap();
        assert_eq!(audit[0].action, "settings.identity_levels");
        // The dashboard speaks Ukrainian plurals.
        let dash = admin.get("/c/gates/admin").await.text();
        assert!(dash.contains("2 користувачі"), "[{}] {dash}", app.backend);
    }
}

#[tokio::test]
async fn sign_ins_are_limited_per_client_address_behind_a_trusted_proxy() {
    let app = hromada_testkit::spawn_with(hromada_testkit::Options { trust_proxy: true, ..Default::default() })
        .await
        .unwrap();
    app.community("ip").await;
    let b = app.browser();
    let page = b.get("/c/ip/login").await;
    let token = hromada_testkit::browser::csrf_token(&page.body).unwrap();
    let mut limited_at = None;
    for i in 0..120 {
        if login_from(&app, &b, &token, i, "203.0.113.7").await == 429 {
            limited_at = Some(i);
            break;
        }
    }
    assert_eq!(limited_at, Some(100), "the 101st attempt from one address is refused");
    assert_eq!(login_from(&app, &b, &token, 500, "198.51.100.9").await, 422, "another address is not affected");
}

async fn login_from(
    app: &hromada_testkit::TestApp,
    b: &hromada_testkit::Browser,
    token: &str,
    i: usize,
    from: &str,
) -> reqwest::StatusCode {
    let email = format!("nobody{i}@ip.test");
    let form = [("email", email.as_str()), ("password", "wrong password"), ("_csrf", token)];
    let request = b.client().post(app.url("/c/ip/login")).header("x-forwarded-for", from).form(&form);
    request.send().await.unwrap().status()
}
