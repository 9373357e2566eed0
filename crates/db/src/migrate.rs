//! Embedded schema migrations, one sequence per owner (the core, then each module), each
//! written for both backends under the same version number.

use crate::{Db, DbResult};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Who owns the tables: `core` or a module's key.
    pub owner: &'static str,
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub type MigrationSet = Vec<Migration>;

/// Declares a migration from files `migrations/{sqlite,postgres}/NNNN_name.sql` of the calling crate.
#[macro_export]
macro_rules! migration {
    ($owner:expr, $version:expr, $file:literal) => {
        $crate::Migration {
            owner: $owner,
            version: $version,
            name: $file,
            sqlite: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres/", $file, ".sql")),
        }
    };
}

/// The platform core's own tables.
pub fn core_migrations() -> MigrationSet {
    vec![
        migration!("core", 1, "0001_core"),
        migration!("core", 2, "0002_idp"),
        migration!("core", 3, "0003_department_heads"),
    ]
}

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    owner TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY (owner, version)
)";

fn checksum(m: &Migration, db: &Db) -> String {
    let sql = match db {
        Db::Sqlite(_) => m.sqlite,
        Db::Postgres(_) => m.postgres,
    };
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Applies every migration not applied yet, each in its own transaction; returns how many ran.
/// Fails when an applied migration was edited afterwards.
pub async fn run(db: &Db, migrations: &[Migration]) -> anyhow::Result<usize> {
    // The same steps on either backend's transaction.
    macro_rules! apply_in {
        ($tx:ident, $m:ident, $sum:ident, $sql:expr) => {{
            let existing: Option<(String,)> =
                sqlx::query_as("SELECT checksum FROM schema_migrations WHERE owner = $1 AND version = $2")
                    .bind($m.owner)
                    .bind($m.version)
                    .fetch_optional(&mut *$tx)
                    .await?;
            match existing {
                Some((old,)) => {
                    anyhow::ensure!(
                        old == $sum,
                        "migration {}/{} ({}) was changed after it was applied",
                        $m.owner,
                        $m.version,
                        $m.name
                    );
                    false
                }
                None => {
                    sqlx::raw_sql($sql).execute(&mut *$tx).await?;
                    sqlx::query(
                        "INSERT INTO schema_migrations (owner, version, name, checksum) VALUES ($1, $2, $3, $4)",
                    )
                    .bind($m.owner)
                    .bind($m.version)
                    .bind($m.name)
                    .bind(&$sum)
                    .execute(&mut *$tx)
                    .await?;
                    true
                }
            }
        }};
    }

    match db {
        Db::Sqlite(pool) => {
            sqlx::query(CREATE_LEDGER).execute(pool).await?;
        }
        Db::Postgres(pool) => {
            // Several app nodes may start together on an empty database: the ledger itself is
            // created under the same lock that orders the migrations.
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(724306)").execute(&mut *tx).await?;
            sqlx::query(CREATE_LEDGER).execute(&mut *tx).await?;
            tx.commit().await?;
        }
    }
    let mut applied = 0;
    for m in migrations {
        let sum = checksum(m, db);
        let ran = match db {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let done = apply_in!(tx, m, sum, m.sqlite);
                tx.commit().await?;
                done
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Several app nodes may start together: one migrates, the others wait.
                sqlx::query("SELECT pg_advisory_xact_lock(724306)").execute(&mut *tx).await?;
                let done = apply_in!(tx, m, sum, m.postgres);
                tx.commit().await?;
                done
            }
        };
        if ran {
            tracing::info!(owner = m.owner, version = m.version, name = m.name, "migration applied");
            applied += 1;
        }
    }
    Ok(applied)
}

/// Tables and their columns as the database itself reports them, sorted; for comparing backends.
pub async fn schema_outline(db: &Db) -> DbResult<Vec<(String, String)>> {
    let mut cols: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name NOT LIKE '%\\_fts%' ESCAPE '\\'",
            )
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(
                // Generated columns (a stored search vector) are PostgreSQL's own; SQLite's
                // table_info does not list its generated ones either.
                "SELECT table_name::text, column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND is_generated = 'NEVER'",
            )
            .fetch_all(pool)
            .await?
        }
    };
    cols.sort();
    Ok(cols)
}
