use crate::{at, community, each, t0, user};
use hromada_db::core::accounts;
use hromada_db::core::tokens::{self, Purpose};

#[tokio::test]
async fn account_token_is_consumed_once() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        tokens::create_account_token(&t.db, c.id, u.id, b"tok", Purpose::ConfirmEmail, t0(), at(3600))
            .await
            .expect("create");
        let first =
            tokens::consume_account_token(&t.db, c.id, b"tok", Purpose::ConfirmEmail, at(1)).await.expect("consume");
        assert_eq!(first, Some(u.id), "{b}: the first use gives the account");
        let second =
            tokens::consume_account_token(&t.db, c.id, b"tok", Purpose::ConfirmEmail, at(2)).await.expect("consume");
        assert_eq!(second, None, "{b}: a used token gives nothing");
    }
}

#[tokio::test]
async fn account_token_wrong_purpose_expired_or_other_community_gives_nothing() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        tokens::create_account_token(&t.db, c.id, u.id, b"reset", Purpose::ResetPassword, t0(), at(600))
            .await
            .expect("create");

        let consume = |community, purpose, now| {
            let db = t.db.clone();
            async move { tokens::consume_account_token(&db, community, b"reset", purpose, now).await }
        };
        assert_eq!(consume(c.id, Purpose::ConfirmEmail, at(1)).await.expect("consume"), None, "{b}: wrong purpose");
        assert_eq!(
            consume(other.id, Purpose::ResetPassword, at(1)).await.expect("consume"),
            None,
            "{b}: wrong community"
        );
        assert_eq!(
            consume(c.id, Purpose::ResetPassword, at(600)).await.expect("consume"),
            None,
            "{b}: expired at its expiry instant"
        );
        assert_eq!(consume(c.id, Purpose::ResetPassword, at(601)).await.expect("consume"), None, "{b}: expired");
        // None of the refused attempts used the token up.
        assert_eq!(
            consume(c.id, Purpose::ResetPassword, at(599)).await.expect("consume"),
            Some(u.id),
            "{b}: still usable by the right request"
        );
        assert_eq!(consume(c.id, Purpose::ResetPassword, at(599)).await.expect("consume"), None, "{b}: and only once");
    }
}

#[tokio::test]
async fn api_tokens_work_in_their_community_only_until_revoked() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let v = user(&t.db, c.id, "b@example.com", "Б").await;
        let id =
            tokens::create_api_token(&t.db, c.id, u.id, "нічний імпорт", b"api-secret", t0()).await.expect("create");
        tokens::create_api_token(&t.db, c.id, u.id, "другий", b"api-second", at(1)).await.expect("create");

        assert_eq!(
            accounts::by_api_token(&t.db, c.id, b"api-secret").await.expect("lookup").map(|a| a.user.id),
            Some(u.id),
            "{b}: right community"
        );
        assert_eq!(
            accounts::by_api_token(&t.db, other.id, b"api-secret").await.expect("lookup").map(|a| a.user.id),
            None,
            "{b}: another community"
        );
        assert_eq!(
            accounts::by_api_token(&t.db, c.id, b"nope").await.expect("lookup").map(|a| a.user.id),
            None,
            "{b}: unknown token"
        );

        // Uses are noted in batches, apart from the lookup.
        let listed = tokens::api_tokens_of(&t.db, c.id, u.id).await.expect("list");
        assert!(listed.iter().all(|x| x.last_used_at.is_none()), "{b}: a lookup writes nothing");
        tokens::touch_api_tokens(
            &t.db,
            &[(c.id, b"api-secret".to_vec(), at(10)), (other.id, b"api-second".to_vec(), at(11))],
        )
        .await
        .expect("touch");
        let listed = tokens::api_tokens_of(&t.db, c.id, u.id).await.expect("list");
        let names: Vec<&str> = listed.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["другий", "нічний імпорт"], "{b}: newest first");
        let first = listed.iter().find(|x| x.id == id).expect("listed");
        assert_eq!(first.last_used_at, Some(at(10)), "{b}: use is noted");
        let second = listed.iter().find(|x| x.id != id).expect("listed");
        assert_eq!(second.last_used_at, None, "{b}: a use noted under another community touches nothing");
        assert!(tokens::api_tokens_of(&t.db, c.id, v.id).await.expect("list").is_empty(), "{b}");

        assert!(
            !tokens::revoke_api_token(&t.db, c.id, v.id, id).await.expect("revoke"),
            "{b}: another account cannot revoke it"
        );
        assert!(
            !tokens::revoke_api_token(&t.db, other.id, u.id, id).await.expect("revoke"),
            "{b}: not from another community"
        );
        assert!(tokens::revoke_api_token(&t.db, c.id, u.id, id).await.expect("revoke"), "{b}");
        assert_eq!(
            accounts::by_api_token(&t.db, c.id, b"api-secret").await.expect("lookup").map(|a| a.user.id),
            None,
            "{b}: revoked"
        );
        assert_eq!(
            accounts::by_api_token(&t.db, c.id, b"api-second").await.expect("lookup").map(|a| a.user.id),
            Some(u.id),
            "{b}: the other token still works"
        );
    }
}

#[tokio::test]
async fn eid_requests_are_taken_once_and_expire() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        tokens::create_eid_request(&t.db, "state-1", c.id, u.id, at(100)).await.expect("create");
        tokens::create_eid_request(&t.db, "state-old", c.id, u.id, at(0)).await.expect("create");

        assert_eq!(
            tokens::take_eid_request(&t.db, other.id, "state-1", at(0)).await.expect("take"),
            None,
            "{b}: another community cannot take it"
        );
        assert_eq!(
            tokens::take_eid_request(&t.db, c.id, "state-1", at(100)).await.expect("take"),
            Some(u.id),
            "{b}: started exactly at not_before is still fresh"
        );
        assert_eq!(
            tokens::take_eid_request(&t.db, c.id, "state-1", at(0)).await.expect("take"),
            None,
            "{b}: taken only once"
        );
        assert_eq!(
            tokens::take_eid_request(&t.db, c.id, "state-old", at(1)).await.expect("take"),
            None,
            "{b}: too old"
        );
        assert_eq!(
            tokens::take_eid_request(&t.db, c.id, "unknown", at(0)).await.expect("take"),
            None,
            "{b}: unknown state"
        );
    }
}
