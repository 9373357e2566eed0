use crate::{count, each};
use futures::FutureExt;
use hromada_db::group_commit::GroupCommitError;
use hromada_db::sqlx;
use hromada_db::{BatchWriter, Db, DbError, GroupCommit, GroupCommitConfig, execute, write_tx};
use std::collections::BTreeSet;
use std::time::Duration;

/// Writes `(id, value)` rows; a `None` value breaks the NOT NULL constraint on purpose.
struct Items;

impl BatchWriter for Items {
    type Item = (i64, Option<String>);
    type Output = i64;

    async fn write_batch(&self, db: &Db, items: &[Self::Item]) -> Result<Vec<i64>, DbError> {
        let out = write_tx!(db, tx => {
            let mut out = Vec::with_capacity(items.len());
            for (id, v) in items {
                sqlx::query("INSERT INTO gc_items (id, v) VALUES ($1, $2)")
                    .bind(*id)
                    .bind(v.clone())
                    .execute(&mut *tx)
                    .await?;
                out.push(*id);
            }
            out
        });
        Ok(out)
    }
}

async fn create_table(db: &Db) {
    execute!(db, sqlx::query("CREATE TABLE gc_items (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"))
        .expect("create gc_items");
}

async fn stored(db: &Db) -> BTreeSet<i64> {
    let rows: Vec<(i64,)> = hromada_db::fetch_all!(db, sqlx::query_as("SELECT id FROM gc_items")).expect("select ids");
    rows.into_iter().map(|r| r.0).collect()
}

fn item(id: i64) -> (i64, Option<String>) {
    (id, Some(format!("value {id}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_submits_are_written_in_fewer_batches() {
    const ITEMS: i64 = 500;
    for t in each().await {
        let b = t.backend_name();
        create_table(&t.db).await;
        let config = GroupCommitConfig { max_batch: 64, max_wait: Duration::from_millis(20), queue: 10_000 };
        let (gc, writer) = GroupCommit::spawn(t.db.clone(), Items, config);
        let tasks: Vec<_> = (0..ITEMS)
            .map(|id| {
                let gc = gc.clone();
                tokio::spawn(async move { (id, gc.submit(item(id)).await) })
            })
            .collect();
        for task in tasks {
            let (id, result) = task.await.expect("join");
            match result {
                Ok(out) => assert_eq!(out, id, "{b}: each caller gets its own output"),
                Err(e) => panic!("{b}: item {id} failed: {e}"),
            }
        }
        // Every answer came after the commit: the rows are there now.
        assert_eq!(stored(&t.db).await, (0..ITEMS).collect(), "{b}: every row is stored");
        let (batches, items) = gc.stats();
        assert_eq!(items, ITEMS as u64, "{b}: items counted");
        assert!(batches < items, "{b}: {batches} batches for {items} items");
        assert!(batches >= (ITEMS as u64).div_ceil(64), "{b}: no batch exceeds max_batch");

        drop(gc);
        writer.await.expect("the writer stops cleanly once every handle is dropped");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_item_fails_alone() {
    for t in each().await {
        let b = t.backend_name();
        create_table(&t.db).await;
        execute!(&t.db, sqlx::query("INSERT INTO gc_items (id, v) VALUES ($1, $2)").bind(1000_i64).bind("original"))
            .expect("seed");

        // Big enough to gather all of them into one batch.
        let config = GroupCommitConfig { max_batch: 22, max_wait: Duration::from_secs(5), queue: 100 };
        let (gc, writer) = GroupCommit::spawn(t.db.clone(), Items, config);
        let mut submitted: Vec<(i64, Option<String>)> = (1..=20).map(item).collect();
        submitted.insert(7, (1000, Some("duplicate".into()))); // primary key taken
        submitted.insert(15, (2000, None)); // NOT NULL broken
        let tasks: Vec<_> = submitted
            .into_iter()
            .map(|it| {
                let gc = gc.clone();
                tokio::spawn(async move { (it.0, gc.submit(it).await) })
            })
            .collect();
        for task in tasks {
            let (id, result) = task.await.expect("join");
            match (id, result) {
                (1000, Err(GroupCommitError::Unique(_))) => {}
                (1000, other) => panic!("{b}: the duplicate key must fail as Unique, got {other:?}"),
                (2000, Err(GroupCommitError::Failed(_))) => {}
                (2000, other) => panic!("{b}: the NULL value must fail, got {other:?}"),
                (id, Ok(out)) => assert_eq!(out, id, "{b}"),
                (id, Err(e)) => panic!("{b}: good item {id} failed with its neighbour: {e}"),
            }
        }
        let mut expected: BTreeSet<i64> = (1..=20).collect();
        expected.insert(1000);
        assert_eq!(stored(&t.db).await, expected, "{b}: the good items and the seed row only");
        let (v,): (String,) =
            hromada_db::fetch_one!(&t.db, sqlx::query_as("SELECT v FROM gc_items WHERE id = $1").bind(1000_i64))
                .expect("seed row");
        assert_eq!(v, "original", "{b}: the duplicate did not overwrite the seed");
        let (batches, items) = gc.stats();
        assert_eq!(items, 20, "{b}: only written items are counted");
        assert!(batches >= 2, "{b}: the failed batch was retried item by item");

        drop(gc);
        writer.await.expect("writer stops");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_submits_of_one_key_in_a_batch_one_wins() {
    for t in each().await {
        let b = t.backend_name();
        create_table(&t.db).await;
        let config = GroupCommitConfig { max_batch: 4, max_wait: Duration::from_secs(5), queue: 100 };
        let (gc, writer) = GroupCommit::spawn(t.db.clone(), Items, config);
        let tasks: Vec<_> = [item(1), item(7), (7, Some("again".into())), item(2)]
            .into_iter()
            .map(|it| {
                let gc = gc.clone();
                tokio::spawn(async move { (it.0, gc.submit(it).await) })
            })
            .collect();
        let mut sevens = Vec::new();
        for task in tasks {
            let (id, result) = task.await.expect("join");
            if id == 7 {
                sevens.push(result);
            } else {
                assert_eq!(result.expect("a different key succeeds"), id, "{b}");
            }
        }
        let wins = sevens.iter().filter(|r| r.is_ok()).count();
        let unique = sevens.iter().filter(|r| matches!(r, Err(GroupCommitError::Unique(_)))).count();
        assert_eq!((wins, unique), (1, 1), "{b}: one of the two wins: {sevens:?}");
        assert_eq!(stored(&t.db).await, BTreeSet::from([1, 2, 7]), "{b}");
        drop(gc);
        writer.await.expect("writer stops");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_queued_when_the_last_handle_drops_are_still_written() {
    const ITEMS: i64 = 300;
    for t in each().await {
        let b = t.backend_name();
        create_table(&t.db).await;
        // Small batches, so that most items are still queued when the handles go.
        let config = GroupCommitConfig { max_batch: 4, max_wait: Duration::from_millis(1), queue: 10_000 };
        let (gc, writer) = GroupCommit::spawn(t.db.clone(), Items, config);
        let mut queued = BTreeSet::new();
        for id in 0..ITEMS {
            let handle = gc.clone();
            // Poll the submission once: that puts the item on the queue. Then the caller goes
            // away (its handle and its reply channel are dropped) without waiting for the answer.
            let once = tokio::task::unconstrained(async move { handle.submit(item(id)).await }).now_or_never();
            match once {
                None | Some(Ok(_)) => {
                    queued.insert(id);
                }
                Some(Err(e)) => panic!("{b}: submit {id} failed: {e}"),
            }
        }
        assert_eq!(queued.len() as i64, ITEMS, "{b}: every item was queued");
        drop(gc);
        writer.await.expect("the writer drains the queue and stops");
        assert_eq!(stored(&t.db).await, queued, "{b}: every queued item is durable after shutdown");
        assert_eq!(count(&t.db, "SELECT COUNT(*) FROM gc_items").await, ITEMS, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_writer_answers_closed() {
    for t in each().await {
        let b = t.backend_name();
        create_table(&t.db).await;
        let (gc, writer) = GroupCommit::spawn(t.db.clone(), Items, GroupCommitConfig::default());
        assert_eq!(gc.submit(item(1)).await.expect("submit"), 1, "{b}");
        writer.abort();
        assert!(writer.await.is_err_and(|e| e.is_cancelled()), "{b}: aborted");
        match gc.submit(item(2)).await {
            Err(GroupCommitError::Closed) => {}
            other => panic!("{b}: expected Closed, got {other:?}"),
        }
        assert_eq!(stored(&t.db).await, BTreeSet::from([1]), "{b}");
    }
}
