use crate::{at, each, t0};
use hromada_db::core::operators;

#[tokio::test]
async fn operators_are_unique_by_email_and_lock_after_failures() {
    for t in each().await {
        let b = t.backend_name();
        assert_eq!(operators::count(&t.db).await.expect("count"), 0, "{b}");
        let id = operators::create(&t.db, " Root@Example.com", "Адмін", "$hash", t0()).await.expect("create");
        match operators::create(&t.db, "root@EXAMPLE.com", "Інший", "$hash", t0()).await {
            Err(e) => assert!(e.is_unique_on("email"), "{b}: Unique on email, got {e:?}"),
            Ok(_) => panic!("{b}: two operators with one e-mail"),
        }
        operators::create(&t.db, "second@example.com", "Другий", "$hash", t0()).await.expect("create");
        assert_eq!(operators::count(&t.db).await.expect("count"), 2, "{b}");

        let found = operators::by_email(&t.db, "ROOT@example.com ").await.expect("by_email").expect("found");
        assert_eq!(found.id, id, "{b}");
        assert_eq!(found.email_norm, "root@example.com", "{b}");
        assert_eq!(operators::by_id(&t.db, id).await.expect("by_id").map(|o| o.full_name).as_deref(), Some("Адмін"));
        let emails: Vec<String> =
            operators::list(&t.db).await.expect("list").into_iter().map(|o| o.email_norm).collect();
        assert_eq!(emails, ["root@example.com", "second@example.com"], "{b}");

        assert_eq!(operators::record_failed_login(&t.db, id, 2, at(60)).await.expect("fail"), 1, "{b}");
        assert_eq!(operators::by_id(&t.db, id).await.expect("by_id").expect("row").locked_until, None, "{b}");
        assert_eq!(operators::record_failed_login(&t.db, id, 2, at(60)).await.expect("fail"), 2, "{b}");
        assert_eq!(
            operators::by_id(&t.db, id).await.expect("by_id").expect("row").locked_until,
            Some(at(60)),
            "{b}: locked at the maximum"
        );
        operators::reset_failed_logins(&t.db, id).await.expect("reset");
        let row = operators::by_id(&t.db, id).await.expect("by_id").expect("row");
        assert_eq!((row.failed_logins, row.locked_until), (0, None), "{b}");
    }
}
