//! Integration tests of the storage layer. Every store test runs on SQLite, and on PostgreSQL
//! too when `HROMADA_TEST_POSTGRES_URL` is set (a fresh database per test).

mod audit;
mod communities;
mod concurrency;
mod group_commit;
mod migrations;
mod operators;
mod outbox;
mod props;
mod roles;
mod sessions;
mod settlements;
mod tokens;
mod users;

use chrono::{DateTime, Duration, TimeZone, Utc};
use hromada_db::core::communities::{Community, Contacts, NewCommunity};
use hromada_db::core::users::{NewUser, User};
use hromada_db::migrate;
use hromada_db::testing::TestDb;
use hromada_db::{Db, fetch_one};
use hromada_kernel::CommunityId;

/// A fresh, migrated database of every configured backend.
pub async fn each() -> Vec<TestDb> {
    TestDb::each(&migrate::core_migrations()).await
}

/// A fixed instant with whole seconds, so that PostgreSQL's microsecond precision never matters.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
}

pub fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

pub fn new_community(slug: &str) -> NewCommunity {
    NewCommunity {
        slug: slug.into(),
        name_uk: format!("Громада {slug}"),
        name_en: Some(format!("Community {slug}")),
        coat_of_arms: None,
        contacts: Contacts {
            address: "вул. Соборна, 1".into(),
            phone: "+380441234567".into(),
            email: format!("rada@{slug}.example"),
            hours: "Пн–Пт 9–18".into(),
        },
    }
}

pub async fn community(db: &Db, slug: &str) -> Community {
    hromada_db::core::communities::create(db, new_community(slug), t0()).await.expect("create community")
}

pub fn new_user(email: Option<&str>, full_name: &str) -> NewUser {
    NewUser {
        email: email.map(str::to_owned),
        password_hash: Some("$argon2id$stub".into()),
        full_name: full_name.into(),
        settlement_id: None,
        birth_year: Some(1990),
        lang: "uk".into(),
    }
}

pub async fn user(db: &Db, community: CommunityId, email: &str, full_name: &str) -> User {
    hromada_db::core::users::create(db, community, new_user(Some(email), full_name), t0()).await.expect("create user")
}

/// `SELECT COUNT(*) …` on either backend.
pub async fn count(db: &Db, sql: &'static str) -> i64 {
    let (n,): (i64,) = fetch_one!(db, hromada_db::sqlx::query_as(sql)).expect("count");
    n
}
