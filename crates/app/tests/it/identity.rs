use hromada_db::core::users;
use hromada_kernel::IdentityLevel;
use hromada_testkit::{Options, fakes, spawn_apps_with};

/// Walks the e-ID redirect dance as a browser would, picking the stub's person `person`.
async fn verify_with_eid(b: &hromada_testkit::Browser, slug: &str, person: usize) -> hromada_testkit::Reply {
    let start = b.get(&format!("/c/{slug}/auth/eid/start")).await;
    assert_eq!(start.status, 303);
    let to_provider = start.location().unwrap();
    assert!(to_provider.contains("response_type=code"), "{to_provider}");
    assert!(to_provider.contains(&format!("client_id={}", fakes::EID_CLIENT_ID)));
    assert!(to_provider.contains("state=") && to_provider.contains("redirect_uri="));
    let authorize = to_provider.replacen("/?", &format!("/authorize?person={person}&"), 1);
    let back = b.get(&authorize).await;
    assert_eq!(back.status, 303);
    let callback = back.location().unwrap();
    assert!(callback.contains(&format!("/c/{slug}/auth/eid/callback?code=")));
    b.get(&callback).await
}

#[tokio::test]
async fn a_resident_verifies_with_eid_and_one_person_holds_one_account() {
    let provider = fakes::eid_provider(&[("3000000001", "Шевченко"), ("3000000002", "Коваленко")]).await;
    for app in spawn_apps_with(Options { eid_base_url: Some(provider.clone()), ..Default::default() }).await {
        let c = app.community("eid").await;
        let first = app.user(&c, "first@eid.test", &[]).await;
        app.user(&c, "second@eid.test", &[]).await;
        let b = app.signed_in(&c, "first@eid.test").await;
        let verify = b.get("/c/eid/account/verify").await;
        assert!(verify.text().contains("Підтвердити через ID.GOV.UA"));
        let done = verify_with_eid(&b, "eid", 0).await;
        assert_eq!(done.status, 303);
        let page = b.follow(done).await;
        assert!(page.text().contains("Особу підтверджено через ID.GOV.UA"), "[{}] {}", app.backend, page.text());
        let stored = users::by_id(&app.db, c.id, first.id).await.unwrap().unwrap();
        assert_eq!(stored.identity_level(), IdentityLevel::Eid);
        assert!(stored.eid_verified_at.is_some());

        // Another account of the same person is refused with a clear message.
        let other = app.signed_in(&c, "second@eid.test").await;
        let refused = other.follow(verify_with_eid(&other, "eid", 0).await).await;
        assert!(
            refused.text().contains("вже має підтверджений обліковий запис"),
            "[{}] {}",
            app.backend,
            refused.text()
        );
        // A forged or replayed state is refused.
        let forged = other.follow(other.get("/c/eid/auth/eid/callback?code=x&state=forged").await).await;
        assert!(forged.text().contains("Не вдалося підтвердити особу"));
        // A different person is fine.
        let ok = other.follow(verify_with_eid(&other, "eid", 1).await).await;
        assert!(ok.text().contains("Особу підтверджено"), "[{}]", app.backend);
    }
}

#[tokio::test]
async fn the_tax_number_is_never_stored() {
    let provider = fakes::eid_provider(&[("3000000009", "Бондар")]).await;
    for app in spawn_apps_with(Options { eid_base_url: Some(provider.clone()), ..Default::default() }).await {
        let c = app.community("private").await;
        app.user(&c, "p@private.test", &[]).await;
        let b = app.signed_in(&c, "p@private.test").await;
        verify_with_eid(&b, "private", 0).await;
        // Look through every text column of every table for the number.
        let found: Vec<(String,)> = match &app.db {
            hromada_db::Db::Sqlite(pool) => {
                let tables: Vec<(String,)> = sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                    .fetch_all(pool)
                    .await
                    .unwrap();
                let mut hits = vec![];
                for (t,) in tables {
                    let dump = format!("SELECT * FROM \"{t}\"");
                    let rows = sqlx::query(sqlx::AssertSqlSafe(dump)).fetch_all(pool).await.unwrap();
                    for row in rows {
                        use sqlx::Row;
                        for i in 0..row.len() {
                            if let Ok(Some(s)) = row.try_get::<Option<String>, _>(i)
                                && s.contains("3000000009")
                            {
                                hits.push((t.clone(),));
                            }
                        }
                    }
                }
                hits
            }
            hromada_db::Db::Postgres(pool) => {
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
                )
                .fetch_all(pool)
                .await
                .unwrap();
                let mut hits = vec![];
                for (t,) in tables {
                    let q = format!("SELECT COUNT(*) FROM \"{t}\" x WHERE x::text LIKE '%3000000009%'");
                    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(q)).fetch_one(pool).await.unwrap();
                    if n > 0 {
                        hits.push((t,));
                    }
                }
                hits
            }
        };
        assert!(found.is_empty(), "[{}] the tax number is stored in {found:?}", app.backend);
        let level = users::by_email(&app.db, c.id, "p@private.test").await.unwrap().unwrap().identity_level();
        assert_eq!(level, IdentityLevel::Eid);
    }
}
