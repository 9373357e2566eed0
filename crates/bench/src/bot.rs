//! `hromada-bench bot`: the chatbot under load. Serves the real app in-process with its
//! Telegram bot pointed at a local stand-in of the Bot API, then prints:
//! - inbound updates per second through the webhook, each turn persisted (the chat's state,
//!   the conversation and the reply queued) before the 200 answer;
//! - the time to queue one broadcast to `--subscribers` subscribed chats;
//! - the delivery rate the deliverer holds against the per-bot limit while that queue drains.
//!
//! Figures only; nothing is asserted about time. Checks that every update was answered 200
//! and that the broadcast queued one message per subscriber.

use crate::bench_community;
use crate::crash::{drop_pg_database, fresh_pg_database};
use hromada_bot::broadcast::{self, Topic};
use hromada_bot::store::{self as bot_store, Channel};
use hromada_db::{Db, write_tx};
use hromada_kernel::{Clock, SystemClock};
use hromada_web::chat::Reply;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct BotArgs {
    /// Webhook updates sent.
    #[arg(long, default_value_t = 20_000)]
    updates: usize,
    /// Distinct chats they come from.
    #[arg(long, default_value_t = 2_000)]
    chats: usize,
    /// Updates in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Subscribed chats one broadcast goes to.
    #[arg(long, default_value_t = 100_000)]
    subscribers: usize,
    /// Seconds the delivery rate is watched.
    #[arg(long, default_value_t = 5)]
    deliver_secs: u64,
    /// `postgres://…` to measure PostgreSQL; a fresh SQLite file otherwise.
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(args: BotArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("hromada-bot.").tempdir()?;
    let (url, pg) = match &args.database_url {
        Some(server) => {
            let (url, name) = fresh_pg_database(server, "hromada_bot").await?;
            (url, Some((server.clone(), name)))
        }
        None => (format!("sqlite://{}", dir.path().join("bot.sqlite").display()), None),
    };
    let outcome = measure(&args, &url).await;
    if let Some((server, name)) = &pg {
        drop_pg_database(server, name).await;
    }
    outcome
}

/// A Bot API that accepts everything and counts the messages sent.
async fn fake_telegram(sent: Arc<AtomicUsize>) -> anyhow::Result<String> {
    let router = axum::Router::new().route(
        "/{bot}/{method}",
        axum::routing::post(move |axum::extract::Path((_, method)): axum::extract::Path<(String, String)>| {
            let sent = sent.clone();
            async move {
                if method == "sendMessage" {
                    sent.fetch_add(1, Ordering::Relaxed);
                }
                axum::Json(serde_json::json!({ "ok": true, "result": { "message_id": 1 } }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(format!("http://{addr}"))
}

async fn measure(args: &BotArgs, url: &str) -> anyhow::Result<()> {
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    let db = Db::connect(url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (community_id, slug) = bench_community(&db, clock.now()).await?;
    let community = hromada_db::core::communities::by_id(&db, community_id).await?.expect("the community was made");
    let sent = Arc::new(AtomicUsize::new(0));
    let api = fake_telegram(sent.clone()).await?;
    let (addr, app) = crate::serve_in_process(&db, clock.clone(), modules).await?;
    let site = format!("http://{addr}/c/{slug}");
    hromada_bot::setup::connect_telegram(&db, &community, "1:BENCH", "bench_bot", &api, &site, true).await?;
    let config = bot_store::channel_of(&db, community.id, Channel::Telegram).await?.expect("the channel was saved");
    let hook = format!("{site}/hooks/telegram/{}", config.hook);

    // Inbound: each update a resident's "меню", answered with the menu.
    let http = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = vec![];
    for _ in 0..args.concurrency {
        let (http, hook, secret, next, failures) =
            (http.clone(), hook.clone(), config.secret.clone(), next.clone(), failures.clone());
        let (updates, chats) = (args.updates, args.chats.max(1));
        workers.push(tokio::spawn(async move {
            let mut latencies = vec![];
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= updates {
                    return latencies;
                }
                let chat = 100_000 + (i % chats) as i64;
                let update = serde_json::json!({ "update_id": i + 1, "message": { "message_id": i + 1, "date": 0,
                    "chat": { "id": chat, "type": "private" }, "from": { "id": chat, "is_bot": false, "first_name": "Б" },
                    "text": "меню" } });
                let t = Instant::now();
                match http.post(&hook).header("X-Telegram-Bot-Api-Secret-Token", &secret).json(&update).send().await {
                    Ok(r) if r.status() == 200 => latencies.push(t.elapsed()),
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let mut latencies = vec![];
    for w in workers {
        latencies.extend(w.await?);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)));
    let failed = failures.load(Ordering::Relaxed);
    anyhow::ensure!(failed == 0, "{failed} updates were not answered 200");
    let (batches, turns) = app
        .state
        .extension::<hromada_db::GroupCommit<hromada_bot::store::TurnWriter>>()
        .map(|w| w.stats())
        .unwrap_or_default();
    println!(
        "bot [{backend}]: {turns} turns saved in {batches} batches ({:.1} a batch)",
        turns as f64 / batches.max(1) as f64
    );
    println!(
        "bot [{backend}]: {} webhook updates from {} chats, {} in flight: {:.0} updates/s (p50 {:.1} ms, p99 {:.1} ms), every turn persisted",
        args.updates,
        args.chats,
        args.concurrency,
        args.updates as f64 / elapsed.as_secs_f64(),
        pct(0.50).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
        pct(0.99).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
    );

    // A broadcast to many subscribers: the chats and their subscriptions are written directly.
    subscribe_many(&db, community.id, args.subscribers, clock.now()).await?;
    let reply = Reply::text("Повітряна тривога! Пройдіть до укриття.");
    let t = Instant::now();
    let b = broadcast::queue(&db, community.id, Topic::Alerts, &[], &reply, None, clock.now()).await?;
    let queued_in = t.elapsed();
    anyhow::ensure!(b.recipients as usize == args.subscribers, "queued {} of {}", b.recipients, args.subscribers);
    println!(
        "bot [{backend}]: one broadcast queued to {} subscribers in {:.2} s",
        b.recipients,
        queued_in.as_secs_f64()
    );

    // Delivery while the queue is long: the deliverer holds the per-bot limit.
    if let Some(d) = app.state.extension::<hromada_bot::delivery::Delivery>() {
        d.wake();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = sent.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(args.deliver_secs)).await;
    let delivered = sent.load(Ordering::Relaxed) - before;
    println!(
        "bot [{backend}]: delivery held at {:.1} messages/s over {} s (limit {} per bot)",
        delivered as f64 / args.deliver_secs as f64,
        args.deliver_secs,
        hromada_bot::delivery::PER_BOT_PER_SECOND
    );
    let _ = app.stop.send(true);
    Ok(())
}

/// `n` messenger chats subscribed to alerts everywhere, in multi-row inserts.
async fn subscribe_many(
    db: &Db,
    community: uuid::Uuid,
    n: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let ids: Vec<uuid::Uuid> = (0..n).map(|_| hromada_kernel::new_id()).collect();
    for chunk in ids.chunks(1000) {
        let mut chats = String::from(
            "INSERT INTO bot_chats (community_id, id, channel, external_id, user_id, lang, flow, memory, with_official, \
             active, messages, created_at, last_seen_at) VALUES ",
        );
        let mut subs = String::from(
            "INSERT INTO bot_subscriptions (community_id, chat_id, settlement_id, news, alerts, updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let sep = if i > 0 { "," } else { "" };
            chats.push_str(&format!(
                "{sep}($1, ${}, 'telegram', ${}, NULL, 'uk', NULL, $2, FALSE, TRUE, 0, $3, $3)",
                4 + 2 * i,
                5 + 2 * i
            ));
            subs.push_str(&format!("{sep}($1, ${}, NULL, FALSE, TRUE, $2)", 3 + i));
        }
        write_tx!(db, tx => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(chats.as_str()))
                .bind(community)
                .bind(sqlx::types::Json(serde_json::Value::Null))
                .bind(now);
            for id in chunk {
                q = q.bind(*id).bind(format!("s{id}"));
            }
            q.execute(&mut *tx).await?;
            let mut q = sqlx::query(sqlx::AssertSqlSafe(subs.as_str())).bind(community).bind(now);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *tx).await?;
        });
    }
    Ok(())
}
