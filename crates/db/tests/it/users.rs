use crate::{at, community, each, new_user, t0, user};
use hromada_db::DbError;
use hromada_db::core::departments;
use hromada_db::core::roles;
use hromada_db::core::sessions::{self, Holder};
use hromada_db::core::tokens::{self, Purpose};
use hromada_db::core::users::{self, PersonProof, Profile};
use hromada_kernel::{IdentityLevel, Role};

#[tokio::test]
async fn create_and_read_back() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let created = users::create(&t.db, c.id, new_user(Some("  Olena@Example.COM "), "Олена"), t0())
            .await
            .unwrap_or_else(|e| panic!("{b}: create: {e}"));
        assert_eq!(created.community_id, c.id, "{b}");
        assert_eq!(created.email.as_deref(), Some("Olena@Example.COM"), "{b}: stored trimmed");
        assert_eq!(created.email_norm.as_deref(), Some("olena@example.com"), "{b}: normalised");
        assert_eq!(created.full_name, "Олена", "{b}");
        assert_eq!(created.birth_year, Some(1990), "{b}");
        assert_eq!(created.failed_logins, 0, "{b}");
        assert_eq!(created.created_at, t0(), "{b}");
        assert_eq!(created.identity_level(), IdentityLevel::None, "{b}");

        let again = users::by_id(&t.db, c.id, created.id).await.expect("by_id").expect("row");
        assert_eq!(again.id, created.id, "{b}");
        assert_eq!(users::count(&t.db, c.id).await.expect("count"), 1, "{b}");

        // Accounts without e-mail (e.g. from a messenger) do not collide with each other.
        users::create(&t.db, c.id, new_user(None, "Бот 1"), t0()).await.expect("no email 1");
        users::create(&t.db, c.id, new_user(None, "Бот 2"), t0()).await.expect("no email 2");
        assert_eq!(users::count(&t.db, c.id).await.expect("count"), 3, "{b}");

        // by_id is scoped to the community.
        let other = community(&t.db, "irpin").await;
        assert!(
            users::by_id(&t.db, other.id, created.id).await.expect("by_id").is_none(),
            "{b}: an account is not visible from another community"
        );
    }
}

#[tokio::test]
async fn same_email_in_another_case_is_taken_in_the_same_community_only() {
    for t in each().await {
        let b = t.backend_name();
        let bucha = community(&t.db, "bucha").await;
        let irpin = community(&t.db, "irpin").await;
        user(&t.db, bucha.id, "olena@example.com", "Олена").await;

        let dup = users::create(&t.db, bucha.id, new_user(Some("OLENA@example.com "), "Інша"), t0()).await;
        match dup {
            Err(e) => assert!(e.is_unique_on("email"), "{b}: Unique naming email, got {e:?}"),
            Ok(_) => panic!("{b}: a second account with the same e-mail was created"),
        }
        assert_eq!(users::count(&t.db, bucha.id).await.expect("count"), 1, "{b}");

        let elsewhere = users::create(&t.db, irpin.id, new_user(Some("Olena@Example.com"), "Олена"), t0()).await;
        assert!(elsewhere.is_ok(), "{b}: the same e-mail in another community is fine: {elsewhere:?}");
    }
}

#[tokio::test]
async fn by_email_ignores_case_and_space_and_community_scope() {
    for t in each().await {
        let b = t.backend_name();
        let bucha = community(&t.db, "bucha").await;
        let irpin = community(&t.db, "irpin").await;
        let u = user(&t.db, bucha.id, "Taras@Example.com", "Тарас").await;
        for probe in ["taras@example.com", "TARAS@EXAMPLE.COM", "  Taras@example.Com\t"] {
            let found = users::by_email(&t.db, bucha.id, probe).await.expect("by_email");
            assert_eq!(found.map(|f| f.id), Some(u.id), "{b}: by_email({probe:?})");
        }
        assert!(
            users::by_email(&t.db, irpin.id, "taras@example.com").await.expect("by_email").is_none(),
            "{b}: not found in another community"
        );
        assert!(
            users::by_email(&t.db, bucha.id, "taras@example.org").await.expect("by_email").is_none(),
            "{b}: another address"
        );
    }
}

#[tokio::test]
async fn identity_level_grows_with_proofs() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let level = |u: &users::User| u.identity_level();
        assert_eq!(level(&u), IdentityLevel::None, "{b}");

        users::confirm_email(&t.db, c.id, u.id, at(10)).await.expect("confirm");
        let u1 = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(level(&u1), IdentityLevel::Email, "{b}");
        assert_eq!(u1.email_confirmed_at, Some(at(10)), "{b}");
        // Confirming again keeps the first confirmation time.
        users::confirm_email(&t.db, c.id, u.id, at(20)).await.expect("confirm again");
        let u1 = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(u1.email_confirmed_at, Some(at(10)), "{b}: first confirmation kept");

        users::set_phone_verified(&t.db, c.id, u.id, "+380501112233", at(30)).await.expect("phone");
        let u2 = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(level(&u2), IdentityLevel::Phone, "{b}");
        assert_eq!(u2.phone.as_deref(), Some("+380501112233"), "{b}");

        users::set_person_key(&t.db, c.id, u.id, b"person-1", PersonProof::Eid, at(40)).await.expect("person key");
        let u3 = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(level(&u3), IdentityLevel::Eid, "{b}");
        assert_eq!(u3.eid_verified_at, Some(at(40)), "{b}");
        assert_eq!(u3.person_key.as_deref(), Some(&b"person-1"[..]), "{b}");
        let by_key = users::by_person_key(&t.db, c.id, b"person-1").await.expect("by key");
        assert_eq!(by_key.map(|x| x.id), Some(u.id), "{b}");
    }
}

#[tokio::test]
async fn in_person_verification_records_who_verified() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let clerk = user(&t.db, c.id, "clerk@example.com", "Працівник ЦНАП").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        users::set_person_key(&t.db, c.id, u.id, b"person-2", PersonProof::InPerson { by: clerk.id }, at(5))
            .await
            .expect("verify in person");
        let got = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(got.identity_level(), IdentityLevel::Eid, "{b}");
        assert_eq!(got.verified_in_person_by, Some(clerk.id), "{b}");
        assert_eq!(got.verified_in_person_at, Some(at(5)), "{b}");
        assert_eq!(got.eid_verified_at, None, "{b}");
    }
}

#[tokio::test]
async fn one_person_key_per_community() {
    for t in each().await {
        let b = t.backend_name();
        let bucha = community(&t.db, "bucha").await;
        let irpin = community(&t.db, "irpin").await;
        let first = user(&t.db, bucha.id, "first@example.com", "Перший").await;
        let second = user(&t.db, bucha.id, "second@example.com", "Другий").await;
        let elsewhere = user(&t.db, irpin.id, "first@example.com", "Перший").await;

        users::set_person_key(&t.db, bucha.id, first.id, b"same-person", PersonProof::Eid, t0())
            .await
            .expect("first binding");
        match users::set_person_key(&t.db, bucha.id, second.id, b"same-person", PersonProof::Eid, t0()).await {
            Err(e) => assert!(e.is_unique_on("person_key"), "{b}: Unique on person_key, got {e:?}"),
            Ok(()) => panic!("{b}: two accounts of one person in a community"),
        }
        let second_now = users::by_id(&t.db, bucha.id, second.id).await.expect("by_id").expect("row");
        assert!(second_now.person_key.is_none(), "{b}: the refused key was not stored");
        assert_eq!(second_now.identity_level(), IdentityLevel::None, "{b}");

        users::set_person_key(&t.db, irpin.id, elsewhere.id, b"same-person", PersonProof::Eid, t0())
            .await
            .unwrap_or_else(|e| panic!("{b}: the same person in another community is fine: {e}"));

        // Re-binding the same key to the same account is fine.
        users::set_person_key(&t.db, bucha.id, first.id, b"same-person", PersonProof::Eid, at(1))
            .await
            .unwrap_or_else(|e| panic!("{b}: re-binding the same account: {e}"));
    }
}

#[tokio::test]
async fn failed_logins_lock_and_reset_clears() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let lock_until = at(900);
        for expected in 1..=2 {
            let n = users::record_failed_login(&t.db, c.id, u.id, 3, lock_until).await.expect("fail");
            assert_eq!(n, expected, "{b}: failure count");
            let row = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
            assert_eq!(row.locked_until, None, "{b}: not locked after {n} failures");
        }
        let n = users::record_failed_login(&t.db, c.id, u.id, 3, lock_until).await.expect("fail");
        assert_eq!(n, 3, "{b}");
        let row = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(row.locked_until, Some(lock_until), "{b}: locked at the maximum");
        assert_eq!(row.failed_logins, 3, "{b}");

        users::reset_failed_logins(&t.db, c.id, u.id).await.expect("reset");
        let row = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!((row.failed_logins, row.locked_until), (0, None), "{b}: reset clears");

        // A new password clears the counter too.
        users::record_failed_login(&t.db, c.id, u.id, 3, lock_until).await.expect("fail");
        users::set_password(&t.db, c.id, u.id, "$argon2id$new").await.expect("password");
        let row = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!((row.failed_logins, row.locked_until), (0, None), "{b}: set_password clears");
        assert_eq!(row.password_hash.as_deref(), Some("$argon2id$new"), "{b}");

        match users::record_failed_login(&t.db, c.id, uuid::Uuid::now_v7(), 3, lock_until).await {
            Err(DbError::NotFound) => {}
            other => panic!("{b}: unknown account is NotFound, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn update_profile_and_search() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let olena = users::create(&t.db, c.id, new_user(Some("olena@example.com"), "Олена Коваль"), at(1))
            .await
            .expect("create");
        users::create(&t.db, c.id, new_user(Some("petro@example.com"), "Петро Шевчук"), at(2)).await.expect("create");
        users::create(&t.db, c.id, new_user(Some("ivan@koval.example"), "Іван"), at(3)).await.expect("create");
        users::create(&t.db, other.id, new_user(Some("koval@example.com"), "Коваль"), at(4)).await.expect("create");

        users::update_profile(
            &t.db,
            c.id,
            olena.id,
            Profile {
                full_name: "Олена Коваль-Мельник", settlement_id: None, birth_year: None, lang: "en"
            },
        )
        .await
        .expect("profile");
        let got = users::by_id(&t.db, c.id, olena.id).await.expect("by_id").expect("row");
        assert_eq!(got.full_name, "Олена Коваль-Мельник", "{b}");
        assert_eq!(got.birth_year, None, "{b}");
        assert_eq!(got.lang, "en", "{b}");

        let found: Vec<String> = users::search(&t.db, c.id, "koval", 10, 0)
            .await
            .expect("search")
            .into_iter()
            .map(|u| u.full_name)
            .collect();
        assert_eq!(found, ["Іван"], "{b}: e-mail match, this community only");

        let all: Vec<String> =
            users::search(&t.db, c.id, "", 10, 0).await.expect("search").into_iter().map(|u| u.full_name).collect();
        assert_eq!(all, ["Іван", "Петро Шевчук", "Олена Коваль-Мельник"], "{b}: newest first");
        let page: Vec<String> =
            users::search(&t.db, c.id, "", 1, 1).await.expect("search").into_iter().map(|u| u.full_name).collect();
        assert_eq!(page, ["Петро Шевчук"], "{b}: limit/offset");
    }
}

#[tokio::test]
async fn delete_cascades_sessions_tokens_roles_and_offices() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "gone@example.com", "Піде").await;
        let stays = user(&t.db, c.id, "stays@example.com", "Лишиться").await;
        for (who, hash) in [(u.id, b"session-gone".as_slice()), (stays.id, b"session-stays")] {
            sessions::create(&t.db, hash, Holder::User { community: c.id, user: who }, t0(), at(3600))
                .await
                .expect("session");
        }
        roles::grant(&t.db, c.id, u.id, Role::Editor, t0()).await.expect("grant");
        roles::grant(&t.db, c.id, stays.id, Role::Editor, t0()).await.expect("grant");
        tokens::create_account_token(&t.db, c.id, u.id, b"confirm", Purpose::ConfirmEmail, t0(), at(3600))
            .await
            .expect("account token");
        tokens::create_api_token(&t.db, c.id, u.id, "script", b"api", t0()).await.expect("api");
        let dept = departments::create(&t.db, c.id, "ЖКГ", None, None, t0()).await.expect("dept");
        departments::add_officer(&t.db, c.id, dept, u.id).await.expect("officer");
        departments::add_officer(&t.db, c.id, dept, stays.id).await.expect("officer");

        assert!(users::delete(&t.db, c.id, u.id).await.expect("delete"), "{b}: deleted");
        assert!(!users::delete(&t.db, c.id, u.id).await.expect("delete"), "{b}: already gone");
        assert!(users::by_id(&t.db, c.id, u.id).await.expect("by_id").is_none(), "{b}");

        assert!(
            sessions::find(&t.db, b"session-gone", at(1)).await.expect("find").is_none(),
            "{b}: the account's session went with it"
        );
        assert!(
            sessions::find(&t.db, b"session-stays", at(1)).await.expect("find").is_some(),
            "{b}: other sessions stay"
        );
        assert!(roles::roles_of(&t.db, c.id, u.id).await.expect("roles").is_empty(), "{b}");
        assert_eq!(roles::staff(&t.db, c.id).await.expect("staff").len(), 1, "{b}: one role left");
        assert_eq!(
            tokens::consume_account_token(&t.db, c.id, b"confirm", Purpose::ConfirmEmail, at(1))
                .await
                .expect("consume"),
            None,
            "{b}: the account token went with it"
        );
        assert_eq!(
            hromada_db::core::accounts::by_api_token(&t.db, c.id, b"api").await.expect("api").map(|a| a.user.id),
            None,
            "{b}: the API token went with it"
        );
        let officers = departments::officers(&t.db, c.id).await.expect("officers");
        assert_eq!(
            officers.iter().map(|o| o.user_id).collect::<Vec<_>>(),
            [stays.id],
            "{b}: only the remaining officer is listed"
        );
        assert_eq!(users::count(&t.db, c.id).await.expect("count"), 1, "{b}");
    }
}

/// Residents' names are Ukrainian: searching for "Олена" (or "олена") must find "Олена Коваль"
/// on every backend.
#[tokio::test]
async fn search_finds_cyrillic_names_in_any_case() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let olena = user(&t.db, c.id, "o@example.com", "Олена Коваль").await;
        for query in ["Олена", "олена", "КОВАЛЬ", "коваль"] {
            let found: Vec<_> =
                users::search(&t.db, c.id, query, 10, 0).await.expect("search").into_iter().map(|u| u.id).collect();
            assert_eq!(found, [olena.id], "{b}: search({query:?})");
        }
    }
}
