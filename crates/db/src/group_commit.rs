//! The group-commit writer for hot writes (signatures, ballots, bot updates).
//!
//! One task takes requests off a queue, gathers what arrives within a short window (or up to
//! a batch size), writes them all in one transaction, commits durably, and only then answers
//! each caller. So a 2xx built on the answer means the row is on disk, and counters can be
//! updated once per batch instead of once per row.

use crate::{Db, DbError};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Writes a batch of items in one transaction.
pub trait BatchWriter: Send + Sync + 'static {
    type Item: Send + 'static;
    type Output: Send + 'static;

    /// Writes every item and commits once; returns one output per item, in order. An error
    /// means nothing of the batch was committed: the writer then retries the items one by one,
    /// so one bad item cannot sink its neighbours.
    fn write_batch(
        &self,
        db: &Db,
        items: &[Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Output>, DbError>> + Send;
}

#[derive(Debug, Clone, Copy)]
pub struct GroupCommitConfig {
    pub max_batch: usize,
    /// How long to wait for more items once the first one arrived.
    pub max_wait: Duration,
    /// Requests that may wait in the queue before callers are slowed down.
    pub queue: usize,
}

impl Default for GroupCommitConfig {
    fn default() -> Self {
        Self { max_batch: 256, max_wait: Duration::from_millis(1), queue: 10_000 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GroupCommitError {
    #[error("the writer has stopped")]
    Closed,
    #[error("the write failed: {0}")]
    Failed(String),
    #[error("unique constraint violated: {0}")]
    Unique(String),
}

type Reply<O> = oneshot::Sender<Result<O, GroupCommitError>>;

/// A handle to submit items; cheap to clone. The writer stops, after writing everything queued,
/// once every handle is dropped.
pub struct GroupCommit<W: BatchWriter> {
    tx: mpsc::Sender<(W::Item, Reply<W::Output>)>,
    stats: Arc<Stats>,
}

impl<W: BatchWriter> Clone for GroupCommit<W> {
    fn clone(&self) -> Self {
        Self { tx: self.tx.clone(), stats: self.stats.clone() }
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    pub batches: AtomicU64,
    pub items: AtomicU64,
}

impl<W: BatchWriter> GroupCommit<W> {
    /// Starts the writer task. Await the returned handle at shutdown to be sure every queued
    /// item was committed.
    pub fn spawn(db: Db, writer: W, config: GroupCommitConfig) -> (Self, JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let stats = Arc::new(Stats::default());
        let task = tokio::spawn(run(db, writer, config, rx, stats.clone()));
        (Self { tx, stats }, task)
    }

    /// Queues an item and waits until its batch is committed.
    pub async fn submit(&self, item: W::Item) -> Result<W::Output, GroupCommitError> {
        let (reply, answer) = oneshot::channel();
        self.tx.send((item, reply)).await.map_err(|_| GroupCommitError::Closed)?;
        answer.await.map_err(|_| GroupCommitError::Closed)?
    }

    /// (batches written, items written) so far.
    pub fn stats(&self) -> (u64, u64) {
        (self.stats.batches.load(Ordering::Relaxed), self.stats.items.load(Ordering::Relaxed))
    }
}

async fn run<W: BatchWriter>(
    db: Db,
    writer: W,
    config: GroupCommitConfig,
    mut rx: mpsc::Receiver<(W::Item, Reply<W::Output>)>,
    stats: Arc<Stats>,
) {
    let max = config.max_batch.max(1);
    let mut items = Vec::with_capacity(max);
    let mut replies = Vec::with_capacity(max);
    while let Some((item, reply)) = rx.recv().await {
        items.push(item);
        replies.push(reply);
        let deadline = tokio::time::Instant::now() + config.max_wait;
        while items.len() < max {
            match rx.try_recv() {
                Ok((item, reply)) => {
                    items.push(item);
                    replies.push(reply);
                }
                Err(mpsc::error::TryRecvError::Disconnected) => break,
                Err(mpsc::error::TryRecvError::Empty) => match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some((item, reply))) => {
                        items.push(item);
                        replies.push(reply);
                    }
                    Ok(None) | Err(_) => break,
                },
            }
        }
        write(&db, &writer, &stats, &mut items, &mut replies).await;
    }
}

async fn write<W: BatchWriter>(
    db: &Db,
    writer: &W,
    stats: &Stats,
    items: &mut Vec<W::Item>,
    replies: &mut Vec<Reply<W::Output>>,
) {
    let outcome = writer.write_batch(db, items).await;
    stats.batches.fetch_add(1, Ordering::Relaxed);
    match outcome {
        Ok(outputs) if outputs.len() == items.len() => {
            stats.items.fetch_add(items.len() as u64, Ordering::Relaxed);
            for (reply, output) in replies.drain(..).zip(outputs) {
                let _ = reply.send(Ok(output));
            }
            items.clear();
        }
        Ok(_) => {
            tracing::error!("batch writer returned a wrong number of outputs");
            for reply in replies.drain(..) {
                let _ = reply.send(Err(GroupCommitError::Failed("internal error".into())));
            }
            items.clear();
        }
        Err(_) if items.len() > 1 => {
            // Retry alone, so that only the item at fault fails.
            for (item, reply) in items.drain(..).zip(replies.drain(..)) {
                let one = [item];
                let result = writer.write_batch(db, &one).await;
                stats.batches.fetch_add(1, Ordering::Relaxed);
                let answer = match result {
                    Ok(mut out) if out.len() == 1 => {
                        stats.items.fetch_add(1, Ordering::Relaxed);
                        Ok(out.remove(0))
                    }
                    Ok(_) => Err(GroupCommitError::Failed("internal error".into())),
                    Err(e) => Err(to_error(e)),
                };
                let _ = reply.send(answer);
            }
        }
        Err(e) => {
            let err = to_error(e);
            items.clear();
            if let Some(reply) = replies.pop() {
                let _ = reply.send(Err(err));
            }
            replies.clear();
        }
    }
}

fn to_error(e: DbError) -> GroupCommitError {
    match e {
        DbError::Unique(what) => GroupCommitError::Unique(what),
        other => {
            tracing::error!(error = %other, "group commit failed");
            GroupCommitError::Failed(other.to_string())
        }
    }
}
