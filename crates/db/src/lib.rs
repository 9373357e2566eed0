//! Storage for Hromada: one copy of the SQL over SQLite (embedded default) and PostgreSQL.
//!
//! Queries are runtime `sqlx` queries written once with `$1..$N` placeholders; the
//! [`dispatch!`] macro runs the same body on whichever pool the installation uses.

pub mod batch;
pub mod core;
pub mod error;
pub mod group_commit;
pub mod migrate;
pub mod testing;

pub use error::{DbError, DbResult};
pub use group_commit::{BatchWriter, GroupCommit, GroupCommitConfig};
pub use migrate::{Migration, MigrationSet};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub use sqlx;

/// A connection pool to the installation's database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body on the pool of either backend: `dispatch!(db, pool => query.fetch_all(pool).await)`.
#[macro_export]
macro_rules! dispatch {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Executes a statement on either backend; yields `Result<u64 rows affected, sqlx::Error>`.
/// The query expression is expanded once per backend, so its types are inferred for each.
#[macro_export]
macro_rules! execute {
    ($db:expr, $query:expr) => {
        $crate::dispatch!($db, pool => $query.execute(pool).await.map(|r| r.rows_affected()))
    };
}

/// `fetch_all` on either backend.
#[macro_export]
macro_rules! fetch_all {
    ($db:expr, $query:expr) => {
        $crate::dispatch!($db, pool => $query.fetch_all(pool).await)
    };
}

/// `fetch_optional` on either backend.
#[macro_export]
macro_rules! fetch_optional {
    ($db:expr, $query:expr) => {
        $crate::dispatch!($db, pool => $query.fetch_optional(pool).await)
    };
}

/// `fetch_one` on either backend.
#[macro_export]
macro_rules! fetch_one {
    ($db:expr, $query:expr) => {
        $crate::dispatch!($db, pool => $query.fetch_one(pool).await)
    };
}

/// Runs `body` inside a write transaction on either backend and commits it.
/// On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`), so two writers
/// wait for each other instead of failing on a lock upgrade.
#[macro_export]
macro_rules! write_tx {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern, so user input matches literally.
pub fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Db {
    /// Connects by URL: `postgres://…` for PostgreSQL, `sqlite://PATH` (created when missing) otherwise.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(20)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            Ok(Db::Sqlite(Self::open_sqlite(Path::new(path)).await?))
        }
    }

    /// Opens (creating when missing) an SQLite file with the pragmas Hromada relies on.
    pub async fn open_sqlite(path: &Path) -> anyhow::Result<SqlitePool> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL can lose the last transactions on power loss; a 2xx must mean
            // durable, so every commit is synced.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(pool)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> DbResult<()> {
        execute!(self, sqlx::query("SELECT 1"))?;
        Ok(())
    }

    pub async fn close(&self) {
        dispatch!(self, pool => pool.close().await)
    }
}
