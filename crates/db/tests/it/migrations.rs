use crate::each;
use hromada_db::migrate::{self, core_migrations};
use hromada_db::sqlx::{self, Connection, postgres::PgConnection};
use hromada_db::testing::{POSTGRES_ENV, TestDb};
use hromada_db::{Db, Migration, execute, fetch_one};

const THINGS_V1: Migration = Migration {
    owner: "it_module",
    version: 1,
    name: "0001_things",
    sqlite: "CREATE TABLE it_things (id BIGINT PRIMARY KEY, label TEXT NOT NULL);",
    postgres: "CREATE TABLE it_things (id BIGINT PRIMARY KEY, label TEXT NOT NULL);",
};

const THINGS_V2: Migration = Migration {
    owner: "it_module",
    version: 2,
    name: "0002_more_things",
    sqlite: "CREATE TABLE it_more_things (id BIGINT PRIMARY KEY);
             INSERT INTO it_things (id, label) VALUES (1, 'seed');",
    postgres: "CREATE TABLE it_more_things (id BIGINT PRIMARY KEY);
               INSERT INTO it_things (id, label) VALUES (1, 'seed');",
};

/// An empty database of each configured backend, not migrated at all.
struct Fresh {
    db: Db,
    name: &'static str,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Fresh {
    async fn each() -> Vec<Fresh> {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("fresh.sqlite").display());
        let mut all = vec![Fresh {
            db: Db::connect(&url).await.expect("open sqlite"),
            name: "sqlite",
            _dir: Some(dir),
            pg: None,
        }];
        if let Some(admin) = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty()) {
            let name = format!("hromada_it_fresh_{}", uuid::Uuid::now_v7().simple());
            let mut conn = PgConnection::connect(&admin).await.expect("connect admin");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create fresh database");
            let _ = conn.close().await;
            let url = hromada_db::testing::with_database(&admin, &name);
            all.push(Fresh {
                db: Db::connect(&url).await.expect("connect fresh database"),
                name: "postgres",
                _dir: None,
                pg: Some((admin, name)),
            });
        }
        all
    }

    /// Another pool on the same database, as a second app node would open.
    async fn second_pool(&self) -> Db {
        match (&self.db, &self.pg) {
            (Db::Sqlite(_), _) => {
                let dir = self._dir.as_ref().expect("sqlite dir");
                let url = format!("sqlite://{}", dir.path().join("fresh.sqlite").display());
                Db::connect(&url).await.expect("open sqlite again")
            }
            (Db::Postgres(_), Some((admin, name))) => {
                Db::connect(&hromada_db::testing::with_database(admin, name)).await.expect("connect again")
            }
            (Db::Postgres(_), None) => unreachable!(),
        }
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(mut conn) = PgConnection::connect(&admin).await {
                        let _ =
                            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

async fn table_exists(db: &Db, table: &str) -> bool {
    let outline = migrate::schema_outline(db).await.expect("outline");
    outline.iter().any(|(t, _)| t == table)
}

#[tokio::test]
async fn a_fresh_database_is_migrated_once_and_the_second_run_applies_nothing() {
    for fresh in Fresh::each().await {
        let b = fresh.name;
        let first = migrate::run(&fresh.db, &core_migrations()).await;
        assert_eq!(first.expect("first run"), core_migrations().len(), "{b}: first run applies every core migration");
        let second = migrate::run(&fresh.db, &core_migrations()).await;
        assert_eq!(second.expect("second run"), 0, "{b}: second run applies nothing");
        let ledger = crate::count(&fresh.db, "SELECT COUNT(*) FROM schema_migrations").await;
        assert_eq!(ledger, core_migrations().len() as i64, "{b}: one ledger row per migration");
    }
}

#[tokio::test]
async fn running_again_on_a_migrated_database_applies_nothing() {
    for t in each().await {
        let b = t.backend_name();
        for round in 0..2 {
            let n = migrate::run(&t.db, &core_migrations()).await;
            assert_eq!(n.expect("run"), 0, "{b}: round {round} applies nothing");
        }
    }
}

#[tokio::test]
async fn module_migrations_are_applied_incrementally() {
    for t in each().await {
        let b = t.backend_name();
        let mut set = core_migrations();
        set.push(THINGS_V1);
        assert_eq!(migrate::run(&t.db, &set).await.expect("v1"), 1, "{b}: v1 applied");
        assert!(table_exists(&t.db, "it_things").await, "{b}: it_things exists");
        assert!(!table_exists(&t.db, "it_more_things").await, "{b}: v2 not yet");

        set.push(THINGS_V2);
        assert_eq!(migrate::run(&t.db, &set).await.expect("v2"), 1, "{b}: only v2 applied");
        assert!(table_exists(&t.db, "it_more_things").await, "{b}: it_more_things exists");
        assert_eq!(crate::count(&t.db, "SELECT COUNT(*) FROM it_things").await, 1, "{b}: v2's data statement ran once");

        assert_eq!(migrate::run(&t.db, &set).await.expect("again"), 0, "{b}: nothing left");
        assert_eq!(crate::count(&t.db, "SELECT COUNT(*) FROM it_things").await, 1, "{b}: v2 did not run twice");
    }
}

#[tokio::test]
async fn a_migration_changed_after_it_was_applied_is_refused() {
    for t in each().await {
        let b = t.backend_name();
        let core = core_migrations()[0];
        let edited = Migration {
            sqlite: "CREATE TABLE sneaky (id BIGINT PRIMARY KEY);",
            postgres: "CREATE TABLE sneaky (id BIGINT PRIMARY KEY);",
            ..core
        };
        let err =
            migrate::run(&t.db, &[edited]).await.expect_err(&format!("{b}: an edited core migration must be refused"));
        assert!(err.to_string().contains("changed"), "{b}: the error says the migration was changed: {err}");
        assert!(!table_exists(&t.db, "sneaky").await, "{b}: the edited SQL did not run");

        // The same for a module's migration, and nothing after the edited one runs either.
        let mut set = core_migrations();
        set.push(THINGS_V1);
        migrate::run(&t.db, &set).await.expect("apply v1");
        let edited_v1 = Migration {
            sqlite: "CREATE TABLE it_things (id BIGINT PRIMARY KEY, label TEXT, extra TEXT);",
            postgres: "CREATE TABLE it_things (id BIGINT PRIMARY KEY, label TEXT, extra TEXT);",
            ..THINGS_V1
        };
        let result = migrate::run(&t.db, &[edited_v1, THINGS_V2]).await;
        assert!(result.is_err(), "{b}: an edited module migration must be refused");
        assert!(!table_exists(&t.db, "it_more_things").await, "{b}: a migration after the refused one did not run");
    }
}

#[tokio::test]
async fn a_failing_migration_leaves_no_trace_and_can_be_fixed() {
    const BROKEN: Migration = Migration {
        owner: "it_module",
        version: 1,
        name: "0001_broken",
        sqlite: "CREATE TABLE it_half (id BIGINT PRIMARY KEY); CREATE TABLE it_broken (;",
        postgres: "CREATE TABLE it_half (id BIGINT PRIMARY KEY); CREATE TABLE it_broken (;",
    };
    for t in each().await {
        let b = t.backend_name();
        let mut set = core_migrations();
        set.push(BROKEN);
        assert!(migrate::run(&t.db, &set).await.is_err(), "{b}: broken SQL fails");
        assert!(!table_exists(&t.db, "it_half").await, "{b}: the first half was rolled back");
        let (n,): (i64,) = fetch_one!(
            &t.db,
            sqlx::query_as("SELECT COUNT(*) FROM schema_migrations WHERE owner = $1").bind("it_module")
        )
        .expect("ledger");
        assert_eq!(n, 0, "{b}: the failed migration is not in the ledger");

        let mut fixed_set = core_migrations();
        fixed_set.push(THINGS_V1);
        assert_eq!(migrate::run(&t.db, &fixed_set).await.expect("fixed"), 1, "{b}: fixed one runs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_nodes_starting_together_migrate_once() {
    for fresh in Fresh::each().await {
        let b = fresh.name;
        let mut pools = vec![fresh.db.clone()];
        for _ in 0..5 {
            pools.push(fresh.second_pool().await);
        }
        let tasks: Vec<_> = pools
            .into_iter()
            .map(|db| tokio::spawn(async move { migrate::run(&db, &core_migrations()).await }))
            .collect();
        let mut applied = 0;
        for task in tasks {
            match task.await.expect("join") {
                Ok(n) => applied += n,
                Err(e) => panic!("{b}: a node failed to migrate: {e:#}"),
            }
        }
        assert_eq!(applied, core_migrations().len(), "{b}: each migration applied exactly once");
        assert_eq!(
            crate::count(&fresh.db, "SELECT COUNT(*) FROM schema_migrations").await,
            core_migrations().len() as i64,
            "{b}: ledger"
        );
    }
}

#[tokio::test]
async fn schema_outline_is_the_same_on_both_backends() {
    let sqlite = TestDb::sqlite(&core_migrations()).await;
    let lite = migrate::schema_outline(&sqlite.db).await.expect("sqlite outline");
    assert!(!lite.is_empty(), "sqlite: outline is not empty");
    for expected in [
        ("users", "email_norm"),
        ("users", "person_key"),
        ("communities", "statute"),
        ("community_hosts", "is_primary"),
        ("schema_migrations", "checksum"),
    ] {
        assert!(
            lite.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "sqlite: outline contains {expected:?}"
        );
    }
    let mut sorted = lite.clone();
    sorted.sort();
    assert_eq!(sorted, lite, "sqlite: outline is sorted");

    if let Some(pg) = TestDb::postgres(&core_migrations()).await {
        let pg_outline = migrate::schema_outline(&pg.db).await.expect("postgres outline");
        let only_lite: Vec<_> = lite.iter().filter(|c| !pg_outline.contains(c)).collect();
        let only_pg: Vec<_> = pg_outline.iter().filter(|c| !lite.contains(c)).collect();
        assert!(
            only_lite.is_empty() && only_pg.is_empty(),
            "only in sqlite: {only_lite:?}; only in postgres: {only_pg:?}"
        );
        assert_eq!(lite, pg_outline);
    }
}

#[tokio::test]
async fn ping_and_backend_name_agree() {
    for t in each().await {
        let b = t.backend_name();
        t.db.ping().await.unwrap_or_else(|e| panic!("{b}: ping: {e}"));
        let expected = match b {
            "sqlite" => hromada_db::Backend::Sqlite,
            _ => hromada_db::Backend::Postgres,
        };
        assert_eq!(t.db.backend(), expected, "{b}");
        execute!(&t.db, sqlx::query("SELECT 1")).expect("execute! works on either backend");
    }
}

/// The outline leaves out SQLite's full-text shadow tables (`*_fts*`), and nothing else: a
/// module's table such as `drafts` must be compared like any other.
#[tokio::test]
async fn schema_outline_keeps_tables_whose_names_merely_contain_fts() {
    const DRAFTS: Migration = Migration {
        owner: "it_module",
        version: 1,
        name: "0001_drafts",
        sqlite: "CREATE TABLE it_drafts (id BIGINT PRIMARY KEY, body TEXT NOT NULL);",
        postgres: "CREATE TABLE it_drafts (id BIGINT PRIMARY KEY, body TEXT NOT NULL);",
    };
    for t in each().await {
        let b = t.backend_name();
        let mut set = core_migrations();
        set.push(DRAFTS);
        migrate::run(&t.db, &set).await.expect("migrate");
        let outline = migrate::schema_outline(&t.db).await.expect("outline");
        for column in ["id", "body"] {
            assert!(
                outline.contains(&("it_drafts".to_owned(), column.to_owned())),
                "{b}: it_drafts.{column} is in the outline"
            );
        }
    }
}
