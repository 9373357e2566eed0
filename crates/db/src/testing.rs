//! Fresh databases for tests: an SQLite file in a temporary folder always, and a PostgreSQL
//! database cloned from a migrated template when `HROMADA_TEST_POSTGRES_URL` is set.

use crate::{Db, Migration, migrate};
use sha2::{Digest, Sha256};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tempfile::TempDir;

pub const POSTGRES_ENV: &str = "HROMADA_TEST_POSTGRES_URL";

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite(migrations: &[Migration]) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hromada.sqlite");
        let url = format!("sqlite://{}", path.display());
        let db = Db::connect(&url).await.expect("open sqlite");
        migrate::run(&db, migrations).await.expect("migrate sqlite");
        TestDb { db, url, _dir: Some(dir), pg: None }
    }

    /// A fresh PostgreSQL database, or `None` when no server is configured for tests.
    pub async fn postgres(migrations: &[Migration]) -> Option<TestDb> {
        let admin_url = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
        let template = ensure_template(&admin_url, migrations).await;
        let name = format!("hromada_t_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(&admin_url).await.expect("connect to PostgreSQL");
        let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
        let mut tries = 0;
        loop {
            match sqlx::raw_sql(sqlx::AssertSqlSafe(create.clone())).execute(&mut admin).await {
                Ok(_) => break,
                // Two tests may clone the template at the same moment; one waits.
                Err(e) if tries < 100 && e.to_string().contains("being accessed by other users") => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                Err(e) => panic!("create test database: {e}"),
            }
        }
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        let db = Db::connect(&url).await.expect("connect to test database");
        Some(TestDb { db, url, _dir: None, pg: Some((admin_url, name)) })
    }

    /// SQLite, and PostgreSQL too when configured: run a store test on each.
    pub async fn each(migrations: &[Migration]) -> Vec<TestDb> {
        let mut all = vec![TestDb::sqlite(migrations).await];
        all.extend(TestDb::postgres(migrations).await);
        all
    }

    pub fn backend_name(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            // Dropping runs outside any runtime that may be shutting down: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop)).execute(&mut admin).await;
                    }
                });
            })
            .join();
        }
    }
}

/// The same server URL pointing at another database (user, host and options kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("PostgreSQL URL with a scheme");
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

/// A migrated template database, named after the migrations it holds, created once per change.
async fn ensure_template(admin_url: &str, migrations: &[Migration]) -> String {
    let mut hasher = Sha256::new();
    for m in migrations {
        hasher.update(m.owner.as_bytes());
        hasher.update(m.version.to_le_bytes());
        hasher.update(m.postgres.as_bytes());
    }
    let name = format!("hromada_tpl_{}", &hex::encode(hasher.finalize())[..16]);
    let mut admin = PgConnection::connect(admin_url).await.expect("connect to PostgreSQL");
    // Test processes run side by side: one builds the template, the others wait for it.
    sqlx::query("SELECT pg_advisory_lock(724307)").execute(&mut admin).await.expect("lock");
    let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await
        .expect("look up template");
    if exists.is_none() {
        let build = format!("{name}_build");
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {build} WITH (FORCE)")))
            .execute(&mut admin)
            .await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {build}")))
            .execute(&mut admin)
            .await
            .expect("create template");
        let db = Db::connect(&with_database(admin_url, &build)).await.expect("connect template");
        migrate::run(&db, migrations).await.expect("migrate template");
        db.close().await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("ALTER DATABASE {build} RENAME TO {name}")))
            .execute(&mut admin)
            .await
            .expect("publish template");
    }
    sqlx::query("SELECT pg_advisory_unlock(724307)").execute(&mut admin).await.expect("unlock");
    let _ = admin.close().await;
    name
}

/// A community for a store test, named after its slug.
pub async fn community(db: &Db, slug: &str, now: chrono::DateTime<chrono::Utc>) -> crate::core::communities::Community {
    let new = crate::core::communities::NewCommunity {
        slug: slug.into(),
        name_uk: format!("Громада {slug}"),
        name_en: None,
        coat_of_arms: None,
        contacts: Default::default(),
    };
    crate::core::communities::create(db, new, now).await.expect("create community")
}
