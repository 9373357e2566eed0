//! N parallel identical requests: exactly one wins, the rest get a clean answer.

use crate::{at, community, count, each, new_user, t0, user};
use hromada_db::core::communities;
use hromada_db::core::roles;
use hromada_db::core::tokens::{self, Purpose};
use hromada_db::core::users::{self, PersonProof};
use hromada_db::{Db, DbError};
use hromada_kernel::Role;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Barrier;

const N: usize = 50;

/// Runs `n` copies of `f(i)` at once (released together by a barrier) and returns their results
/// in task order.
async fn race<T, F, Fut>(n: usize, f: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let fut = f(i);
            tokio::spawn(async move {
                barrier.wait().await;
                fut.await
            })
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for task in tasks {
        out.push(task.await.expect("task panicked"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_signups_with_one_email_create_one_account() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let results = race(N, |i| {
            let db: Db = t.db.clone();
            // The same address, spelt differently by each request.
            let email = if i % 2 == 0 { "Twin@Example.com" } else { " twin@example.COM" };
            async move { users::create(&db, c.id, new_user(Some(email), "Близнюк"), t0()).await }
        })
        .await;
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let unique =
            results.iter().filter(|r| matches!(r, Err(e @ DbError::Unique(_)) if e.is_unique_on("email"))).count();
        let other: Vec<_> =
            results.iter().filter_map(|r| r.as_ref().err()).filter(|e| !matches!(e, DbError::Unique(_))).collect();
        assert!(other.is_empty(), "{b}: unexpected errors: {other:?}");
        assert_eq!(ok, 1, "{b}: exactly one signup succeeds");
        assert_eq!(unique, N - 1, "{b}: every other one is Unique on email");
        assert_eq!(users::count(&t.db, c.id).await.expect("count"), 1, "{b}: exactly one row");
        assert_eq!(count(&t.db, "SELECT COUNT(*) FROM users").await, 1, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clicks_consume_a_token_once() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        tokens::create_account_token(&t.db, c.id, u.id, b"click", Purpose::ResetPassword, t0(), at(3600))
            .await
            .expect("token");
        let results = race(N, |_| {
            let db = t.db.clone();
            async move { tokens::consume_account_token(&db, c.id, b"click", Purpose::ResetPassword, at(1)).await }
        })
        .await;
        let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(errors.is_empty(), "{b}: no errors: {errors:?}");
        let winners: Vec<_> = results.iter().filter_map(|r| *r.as_ref().unwrap()).collect();
        assert_eq!(winners, [u.id], "{b}: exactly one request gets the account");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_grants_of_one_role_report_one_new_grant() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let results = race(N, |_| {
            let db = t.db.clone();
            async move { roles::grant(&db, c.id, u.id, Role::Moderator, t0()).await }
        })
        .await;
        let granted = results
            .iter()
            .map(|r| *r.as_ref().unwrap_or_else(|e| panic!("{b}: grant failed: {e}")))
            .filter(|new| *new)
            .count();
        assert_eq!(granted, 1, "{b}: one grant is new, the others are no-ops");
        assert_eq!(roles::roles_of(&t.db, c.id, u.id).await.expect("roles"), [Role::Moderator], "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_person_bindings_keep_one_account_per_person() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let mut accounts = Vec::new();
        for i in 0..N {
            accounts.push(user(&t.db, c.id, &format!("p{i}@example.com"), "Особа").await.id);
        }
        let results = race(N, |i| {
            let db = t.db.clone();
            let id = accounts[i];
            async move { users::set_person_key(&db, c.id, id, b"one-person", PersonProof::Eid, t0()).await }
        })
        .await;
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let unique = results.iter().filter(|r| matches!(r, Err(e) if e.is_unique_on("person_key"))).count();
        assert_eq!((ok, unique), (1, N - 1), "{b}: one binding wins, the rest are Unique: {results:?}");
        assert_eq!(count(&t.db, "SELECT COUNT(*) FROM users WHERE person_key IS NOT NULL").await, 1, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_failed_logins_are_all_counted() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;
        let results = race(N, |_| {
            let db = t.db.clone();
            async move { users::record_failed_login(&db, c.id, u.id, 10, at(900)).await }
        })
        .await;
        let mut seen: Vec<i64> = results.into_iter().map(|r| r.unwrap_or_else(|e| panic!("{b}: {e}"))).collect();
        seen.sort();
        assert_eq!(seen, (1..=N as i64).collect::<Vec<_>>(), "{b}: each failure sees its own count");
        let row = users::by_id(&t.db, c.id, u.id).await.expect("by_id").expect("row");
        assert_eq!(row.failed_logins, N as i64, "{b}");
        assert_eq!(row.locked_until, Some(at(900)), "{b}");
    }
}

/// Two operators editing different modules' statute settings at the same moment must not
/// undo each other's change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_statute_edits_of_different_modules_are_all_kept() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let results = race(20, |i| {
            let db = t.db.clone();
            async move {
                communities::set_statute(&db, c.id, &format!("module_{i}"), serde_json::json!({"n": i}))
                    .await
            }
        })
        .await;
        for r in &results {
            assert!(r.is_ok(), "{b}: set_statute failed: {r:?}");
        }
        let got = communities::by_id(&t.db, c.id).await.expect("by_id").expect("row");
        let missing: Vec<usize> = (0..20).filter(|i| got.statute_of(&format!("module_{i}")).is_null()).collect();
        assert!(missing.is_empty(), "{b}: settings lost to a concurrent edit: modules {missing:?}");
    }
}

/// Several communities claiming one new host name at once: exactly one gets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_claims_of_one_host_give_it_to_one_community() {
    for t in each().await {
        let b = t.backend_name();
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(community(&t.db, &format!("c{i}")).await.id);
        }
        let results = race(ids.len(), |i| {
            let db = t.db.clone();
            let id = ids[i];
            async move { communities::set_primary_host(&db, id, "contested.example").await }
        })
        .await;
        let winners: Vec<_> = results.iter().enumerate().filter(|(_, r)| r.is_ok()).map(|(i, _)| ids[i]).collect();
        let (owner, _) = communities::by_host(&t.db, "contested.example")
            .await
            .expect("by_host")
            .expect("the host belongs to someone");
        assert_eq!(winners, [owner.id], "{b}: exactly one claim succeeds, and it is the owner's: {results:?}");
        for (i, r) in results.iter().enumerate() {
            if ids[i] != owner.id {
                assert!(matches!(r, Err(DbError::Unique(_))), "{b}: loser {i} got {r:?}");
            }
        }
    }
}
