use crate::{at, community, each, t0, user};
use hromada_db::core::operators;
use hromada_db::core::sessions::{self, Holder};

#[tokio::test]
async fn create_find_and_expiry() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let holder = Holder::User { community: c.id, user: u.id };
        sessions::create(&t.db, b"hash-1", holder, t0(), at(3600)).await.expect("create");

        let s = sessions::find(&t.db, b"hash-1", at(10))
            .await
            .expect("find")
            .unwrap_or_else(|| panic!("{b}: a live session is found"));
        assert_eq!(s.token_hash, b"hash-1", "{b}");
        assert_eq!(s.community_id, Some(c.id), "{b}");
        assert_eq!(s.user_id, Some(u.id), "{b}");
        assert_eq!(s.operator_id, None, "{b}");
        assert_eq!((s.created_at, s.expires_at), (t0(), at(3600)), "{b}");

        assert!(
            sessions::find(&t.db, b"hash-1", at(3599)).await.expect("find").is_some(),
            "{b}: live one second before expiry"
        );
        assert!(
            sessions::find(&t.db, b"hash-1", at(3600)).await.expect("find").is_none(),
            "{b}: expired at its expiry instant"
        );
        assert!(sessions::find(&t.db, b"hash-1", at(7200)).await.expect("find").is_none(), "{b}: expired later");
        assert!(sessions::find(&t.db, b"other", at(10)).await.expect("find").is_none(), "{b}: unknown hash");
    }
}

#[tokio::test]
async fn expiry_compares_instants_not_text() {
    // Sub-second instants are written with a varying number of digits on SQLite; the comparison
    // must still follow time.
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let holder = Holder::User { community: c.id, user: u.id };
        let expires = at(60) + chrono::Duration::milliseconds(500);
        sessions::create(&t.db, b"frac", holder, t0(), expires).await.expect("create");
        assert!(
            sessions::find(&t.db, b"frac", at(60)).await.expect("find").is_some(),
            "{b}: whole second before a .5 expiry is live"
        );
        assert!(
            sessions::find(&t.db, b"frac", at(60) + chrono::Duration::milliseconds(499)).await.expect("find").is_some(),
            "{b}: .499 is live"
        );
        assert!(
            sessions::find(&t.db, b"frac", at(61)).await.expect("find").is_none(),
            "{b}: the next whole second is past expiry"
        );
    }
}

#[tokio::test]
async fn delete_and_delete_for_user() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let v = user(&t.db, c.id, "b@example.com", "Б").await;
        let w = user(&t.db, other.id, "a@example.com", "А").await;
        let mk = |community, user| Holder::User { community, user };
        for (hash, holder) in [
            (b"u1".as_slice(), mk(c.id, u.id)),
            (b"u2", mk(c.id, u.id)),
            (b"u3", mk(c.id, u.id)),
            (b"v1", mk(c.id, v.id)),
            (b"w1", mk(other.id, w.id)),
        ] {
            sessions::create(&t.db, hash, holder, t0(), at(3600)).await.expect("create");
        }

        sessions::delete(&t.db, b"u1").await.expect("delete");
        assert!(sessions::find(&t.db, b"u1", at(1)).await.expect("find").is_none(), "{b}");
        assert!(sessions::find(&t.db, b"u2", at(1)).await.expect("find").is_some(), "{b}");
        sessions::delete(&t.db, b"u1").await.expect("deleting twice is fine");

        let n = sessions::delete_for_user(&t.db, c.id, u.id).await.expect("delete_for_user");
        assert_eq!(n, 2, "{b}: both remaining sessions of the account");
        for gone in [b"u2".as_slice(), b"u3"] {
            assert!(sessions::find(&t.db, gone, at(1)).await.expect("find").is_none(), "{b}");
        }
        for kept in [b"v1".as_slice(), b"w1"] {
            assert!(
                sessions::find(&t.db, kept, at(1)).await.expect("find").is_some(),
                "{b}: other accounts keep their sessions"
            );
        }
        // The same user id in another community is someone else.
        assert_eq!(sessions::delete_for_user(&t.db, other.id, u.id).await.expect("delete_for_user"), 0, "{b}");
    }
}

#[tokio::test]
async fn operator_sessions_and_purge_expired() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let op = operators::create(&t.db, "root@example.com", "Оператор", "$hash", t0()).await.expect("operator");
        sessions::create(&t.db, b"op", Holder::Operator(op), t0(), at(100)).await.expect("op");
        let holder = Holder::User { community: c.id, user: u.id };
        sessions::create(&t.db, b"short", holder, t0(), at(50)).await.expect("short");
        sessions::create(&t.db, b"long", holder, t0(), at(5000)).await.expect("long");

        let s = sessions::find(&t.db, b"op", at(1)).await.expect("find").expect("operator session");
        assert_eq!(s.operator_id, Some(op), "{b}");
        assert_eq!((s.community_id, s.user_id), (None, None), "{b}");

        assert_eq!(sessions::purge_expired(&t.db, at(49)).await.expect("purge"), 0, "{b}");
        assert_eq!(
            sessions::purge_expired(&t.db, at(100)).await.expect("purge"),
            2,
            "{b}: sessions expiring at or before now are purged"
        );
        assert_eq!(crate::count(&t.db, "SELECT COUNT(*) FROM sessions").await, 1, "{b}");
        assert!(sessions::find(&t.db, b"long", at(101)).await.expect("find").is_some(), "{b}");
    }
}

#[tokio::test]
async fn a_credential_gives_the_account_with_its_roles_in_its_own_community_only() {
    use hromada_db::core::{accounts, roles, tokens};
    use hromada_kernel::Role;
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "irpin").await;
        let other = community(&t.db, "hostomel").await;
        let u = user(&t.db, c.id, "o@example.com", "Олена").await;
        roles::grant(&t.db, c.id, u.id, Role::Moderator, t0()).await.unwrap();
        roles::grant(&t.db, c.id, u.id, Role::Editor, t0()).await.unwrap();
        sessions::create(&t.db, b"s-1", Holder::User { community: c.id, user: u.id }, t0(), at(3600)).await.unwrap();
        tokens::create_api_token(&t.db, c.id, u.id, "script", b"t-1", t0()).await.unwrap();

        let by_session = accounts::by_session(&t.db, c.id, b"s-1", at(10)).await.unwrap().expect("signed in");
        assert_eq!(by_session.user.id, u.id, "{b}");
        let mut held = by_session.roles.clone();
        held.sort_by_key(|r| r.code());
        assert_eq!(held, vec![Role::Editor, Role::Moderator], "{b}");
        assert_eq!(by_session.session_expires_at, Some(at(3600)), "{b}");
        assert!(accounts::by_session(&t.db, c.id, b"s-1", at(3600)).await.unwrap().is_none(), "{b}: expired");
        assert!(accounts::by_session(&t.db, other.id, b"s-1", at(10)).await.unwrap().is_none(), "{b}: other community");

        let by_token = accounts::by_api_token(&t.db, c.id, b"t-1").await.unwrap().expect("a token's account");
        assert_eq!((by_token.user.id, by_token.roles.len(), by_token.session_expires_at), (u.id, 2, None), "{b}");
        assert!(accounts::by_api_token(&t.db, other.id, b"t-1").await.unwrap().is_none(), "{b}: other community");
        assert!(accounts::by_api_token(&t.db, c.id, b"s-1").await.unwrap().is_none(), "{b}: a session is no token");

        let plain = user(&t.db, c.id, "p@example.com", "Петро").await;
        tokens::create_api_token(&t.db, c.id, plain.id, "mine", b"t-2", t0()).await.unwrap();
        assert!(accounts::by_api_token(&t.db, c.id, b"t-2").await.unwrap().unwrap().roles.is_empty(), "{b}: no roles");
    }
}
