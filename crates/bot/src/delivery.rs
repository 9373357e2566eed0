//! Delivering queued replies to the messengers, within their limits: about 30 messages a second
//! per bot, a chat's messages in the order they were written, a 429's `retry_after` honoured,
//! failures retried with growing pauses, and a chat that blocked the bot marked inactive.

use crate::store::{self, ChannelConfig, Outgoing};
use crate::telegram::{self, Sent};
use chrono::Utc;
use futures::StreamExt;
use hromada_db::Db;
use hromada_kernel::{Clock, CommunityId};
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, Notify};
use tokio::task::JoinHandle;

/// Messages a second one bot may send (Telegram's broadcast limit).
pub const PER_BOT_PER_SECOND: u32 = 30;
/// After this many failed tries a reply is dropped and counted as failed.
pub const MAX_ATTEMPTS: i64 = 8;
const LEASE: Duration = Duration::from_secs(60);
/// Replies taken at once: about three seconds of one bot's sending, so that a stop waits little.
const BATCH: i64 = 100;
/// Chats served at once.
const PARALLEL_CHATS: usize = 32;

/// A handle to wake the deliverer after queueing; the deliverer stops once the last handle is gone.
#[derive(Clone)]
pub struct Delivery {
    wake: Arc<Notify>,
    _alive: Arc<()>,
}

impl Delivery {
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Starts the deliverer.
pub fn spawn(db: Db, clock: Arc<dyn Clock>) -> (Delivery, JoinHandle<()>) {
    let wake = Arc::new(Notify::new());
    let alive = Arc::new(());
    let task = tokio::spawn(run(db, clock, wake.clone(), Arc::downgrade(&alive)));
    (Delivery { wake, _alive: alive }, task)
}

async fn run(db: Db, clock: Arc<dyn Clock>, wake: Arc<Notify>, alive: Weak<()>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client with default settings");
    let buckets: Buckets = Arc::new(Mutex::new(HashMap::new()));
    loop {
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
        if alive.upgrade().is_none() {
            return;
        }
        if let Err(e) = deliver_due(&db, clock.as_ref(), &client, &buckets, &alive).await {
            tracing::warn!(error = %e, "delivering bot messages failed; will try again");
        }
    }
}

/// Per bot: when the next message may go.
type Buckets = Arc<Mutex<HashMap<(CommunityId, String), Instant>>>;

/// Waits for the bot's next free moment and takes it.
async fn take_turn(buckets: &Buckets, key: &(CommunityId, String)) {
    let gap = Duration::from_secs(1) / PER_BOT_PER_SECOND;
    let at = {
        let mut map = buckets.lock().await;
        let now = Instant::now();
        let next = map.entry(key.clone()).or_insert(now);
        let at = (*next).max(now);
        *next = at + gap;
        at
    };
    tokio::time::sleep_until(at.into()).await;
}

/// Sends everything due now, a batch at a time, until nothing is due or the app stops (what
/// is left keeps its lease and is taken again after it runs out); returns how many replies
/// were delivered.
pub async fn deliver_due(
    db: &Db,
    clock: &dyn Clock,
    client: &reqwest::Client,
    buckets: &Buckets,
    alive: &Weak<()>,
) -> anyhow::Result<usize> {
    let mut delivered = 0;
    let mut configs: HashMap<(CommunityId, String), Option<ChannelConfig>> = HashMap::new();
    loop {
        if alive.upgrade().is_none() {
            return Ok(delivered);
        }
        let now = clock.now();
        let lease = now + chrono::Duration::from_std(LEASE)?;
        let due = store::claim_due(db, now, lease, BATCH).await?;
        if due.is_empty() {
            return Ok(delivered);
        }
        // A chat's replies in order, chats side by side.
        let mut chats: Vec<Vec<Outgoing>> = vec![];
        let mut index: HashMap<(CommunityId, uuid::Uuid), usize> = HashMap::new();
        for item in due {
            let key = (item.community_id, item.chat_id);
            let slot = *index.entry(key).or_insert_with(|| {
                chats.push(vec![]);
                chats.len() - 1
            });
            chats[slot].push(item);
            let bot = (key.0, chats[slot][0].channel.clone());
            if let std::collections::hash_map::Entry::Vacant(v) = configs.entry(bot) {
                let channel = store::Channel::parse(&v.key().1).unwrap_or(store::Channel::Web);
                v.insert(store::channel_of(db, key.0, channel).await?.filter(|c| c.enabled));
            }
        }
        let configs_now = Arc::new(configs.clone());
        let results: Vec<Tally> = futures::stream::iter(chats)
            .map(|items| {
                let configs = configs_now.clone();
                async move { deliver_chat(db, clock, client, buckets, &configs, items).await }
            })
            .buffer_unordered(PARALLEL_CHATS)
            .collect()
            .await;
        let mut totals: HashMap<(CommunityId, String), Tally> = HashMap::new();
        for t in results {
            delivered += t.sent as usize;
            let entry = totals.entry((t.community, t.channel.clone())).or_default();
            entry.sent += t.sent;
            entry.failed += t.failed;
            entry.throttled += t.throttled;
        }
        let day = clock.now().date_naive();
        for ((community, channel), t) in totals {
            store::count_delivery(db, community, &channel, day, t.sent, t.failed, t.throttled).await?;
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Tally {
    community: CommunityId,
    channel: String,
    sent: i64,
    failed: i64,
    throttled: i64,
}

async fn deliver_chat(
    db: &Db,
    clock: &dyn Clock,
    client: &reqwest::Client,
    buckets: &Buckets,
    configs: &HashMap<(CommunityId, String), Option<ChannelConfig>>,
    items: Vec<Outgoing>,
) -> Tally {
    let first = &items[0];
    let mut tally = Tally { community: first.community_id, channel: first.channel.clone(), ..Tally::default() };
    let bot = (first.community_id, first.channel.clone());
    let config = configs.get(&bot).cloned().flatten();
    let mut pause_rest: Option<chrono::DateTime<Utc>> = None;
    for item in &items {
        let outcome = if let Some(until) = pause_rest {
            // An earlier message of this chat waits; the later ones wait behind it.
            Err(until)
        } else {
            match &config {
                None => Ok(Sent::Failed("the channel is not set up".into())),
                Some(c) => Ok(send(client, buckets, &bot, c, item).await),
            }
        };
        let result = match outcome {
            Err(until) => store::retry_at(db, item.community_id, item.id, until, item.attempts).await,
            Ok(Sent::Ok) => {
                tally.sent += 1;
                store::delivered(db, item.community_id, item.id).await
            }
            Ok(Sent::Blocked) => {
                // Deactivating drops the chat's queue too; nothing more goes to it.
                tally.failed += 1;
                if let Err(e) = store::deactivate(db, item.community_id, item.chat_id).await {
                    tracing::warn!(error = %e, "marking a blocked chat failed");
                }
                break;
            }
            Ok(Sent::RetryAfter(seconds)) => {
                tally.throttled += 1;
                let until = clock.now() + chrono::Duration::seconds(seconds.max(1) as i64);
                pause_rest = Some(until);
                // The whole bot is over its limit, not only this chat.
                let mut map = buckets.lock().await;
                map.insert(bot.clone(), Instant::now() + Duration::from_secs(seconds.max(1)));
                drop(map);
                store::retry_at(db, item.community_id, item.id, until, item.attempts).await
            }
            Ok(Sent::Failed(why)) => {
                let attempts = item.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    tracing::warn!(chat = %item.chat_id, error = %why, "a bot message could not be delivered; dropped");
                    tally.failed += 1;
                    store::delivered(db, item.community_id, item.id).await
                } else {
                    tracing::info!(chat = %item.chat_id, error = %why, attempts, "a bot message failed; will retry");
                    let until = clock.now() + chrono::Duration::seconds(1 << attempts.min(10));
                    pause_rest = Some(until);
                    store::retry_at(db, item.community_id, item.id, until, attempts).await
                }
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "recording a delivery failed");
        }
    }
    tally
}

async fn send(
    client: &reqwest::Client,
    buckets: &Buckets,
    bot: &(CommunityId, String),
    config: &ChannelConfig,
    item: &Outgoing,
) -> Sent {
    match item.channel.as_str() {
        "telegram" => {
            for call in telegram::render(&item.external_id, &item.body.0) {
                take_turn(buckets, bot).await;
                let sent = telegram::call(client, &config.api_base, &config.token, &call).await;
                if sent != Sent::Ok {
                    return sent;
                }
            }
            Sent::Ok
        }
        "viber" => {
            // The bot's URI doubles as the sender name Viber requires on every message.
            for body in crate::viber::render(&item.external_id, &config.username, &item.body.0) {
                take_turn(buckets, bot).await;
                let sent = crate::viber::call(client, &config.api_base, &config.token, "send_message", &body).await;
                if sent != Sent::Ok {
                    return sent;
                }
            }
            Sent::Ok
        }
        other => Sent::Failed(format!("no adapter for the {other} channel")),
    }
}
