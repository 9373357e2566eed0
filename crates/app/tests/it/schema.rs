//! Both backends get the same tables and columns from their migrations.

use hromada_db::migrate;
use hromada_db::testing::TestDb;

#[tokio::test]
async fn sqlite_and_postgresql_schemas_match() {
    let migrations = hromada_app::all_migrations(&hromada_app::modules());
    let sqlite = TestDb::sqlite(&migrations).await;
    let lite = migrate::schema_outline(&sqlite.db).await.unwrap();
    assert!(lite.contains(&("about_contacts".to_owned(), "role_uk".to_owned())));
    assert!(lite.contains(&("users".to_owned(), "person_key".to_owned())));
    // Every migration has the same owner/version pairs on both sides by construction; check
    // that none of them is empty on either side.
    for m in &migrations {
        assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty(), "{}/{}", m.owner, m.version);
    }
    let Some(pg) = TestDb::postgres(&migrations).await else { return };
    let post = migrate::schema_outline(&pg.db).await.unwrap();
    let only_lite: Vec<_> = lite.iter().filter(|c| !post.contains(c)).collect();
    let only_pg: Vec<_> = post.iter().filter(|c| !lite.contains(c)).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_lite:?}; only in PostgreSQL: {only_pg:?}"
    );
}

#[tokio::test]
async fn migrating_again_changes_nothing() {
    let migrations = hromada_app::all_migrations(&hromada_app::modules());
    for t in TestDb::each(&migrations).await {
        assert_eq!(migrate::run(&t.db, &migrations).await.unwrap(), 0, "[{}]", t.backend_name());
    }
}
