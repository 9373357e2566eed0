//! `hromada-bench booking`: visits booked per second through the booking store under
//! contention. Two rounds from many clients at once: every client after the same few hot slots
//! (most attempts are refused, exactly one per slot must win), then every client after its own
//! slots. Prints attempts, bookings and refusals per second with latency percentiles, and checks
//! that no slot holds two live visits.

use crate::lists::ms;
use chrono::{Duration, TimeZone, Utc};
use hromada_booking::{domain, store};
use hromada_db::Db;
use hromada_db::core::communities::{self, Contacts, NewCommunity};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct BookingArgs {
    /// Clients booking at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Attempts per client in each round.
    #[arg(long, default_value_t = 50)]
    attempts: usize,
    /// Slots everybody is after in the contended round.
    #[arg(long, default_value_t = 20)]
    hot_slots: usize,
    /// `postgres://…` to measure PostgreSQL; a fresh SQLite file otherwise.
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(args: BookingArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("hromada-booking.").tempdir()?;
    let (url, pg) = match &args.database_url {
        Some(server) => {
            let (url, name) = crate::crash::fresh_pg_database(server, "hromada_booking").await?;
            (url, Some((server.clone(), name)))
        }
        None => (format!("sqlite://{}", dir.path().join("booking.sqlite").display()), None),
    };
    let outcome = measure(&args, &url).await;
    if let Some((server, name)) = pg {
        crate::crash::drop_pg_database(&server, &name).await;
    }
    outcome
}

struct Round {
    booked: usize,
    refused: usize,
    latencies: Vec<std::time::Duration>,
    elapsed: std::time::Duration,
}

async fn round(
    db: &Db,
    community: hromada_kernel::CommunityId,
    resource: uuid::Uuid,
    slots: std::sync::Arc<Vec<chrono::DateTime<Utc>>>,
    args: &BookingArgs,
    hot: bool,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<Round> {
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..args.concurrency {
        let (db, slots) = (db.clone(), slots.clone());
        let attempts = args.attempts;
        clients.spawn(async move {
            let (mut booked, mut refused, mut latencies) = (0usize, 0usize, vec![]);
            for attempt in 0..attempts {
                let at = if hot { slots[(client + attempt) % slots.len()] } else { slots[client * attempts + attempt] };
                // A new person each time: the one-visit-per-person rule is not what is measured.
                let visit = store::NewVisit {
                    resource,
                    starts_at: at,
                    ends_at: at + Duration::minutes(5),
                    user: Some(hromada_kernel::new_id()),
                    name: "Бенчмарк".into(),
                    phone: None,
                    // The random end of a v7 id: its start is the clock, shared by visits of one millisecond.
                    code: hromada_kernel::new_id().simple().to_string()[20..].to_owned(),
                    walk_in: false,
                };
                let t = Instant::now();
                match store::book(&db, community, &visit, None, now).await {
                    Ok(_) => booked += 1,
                    Err(store::BookError::Refused(_)) => refused += 1,
                    Err(store::BookError::Db(e)) => return Err(anyhow::anyhow!(e)),
                }
                latencies.push(t.elapsed());
            }
            anyhow::Ok((booked, refused, latencies))
        });
    }
    let mut out = Round { booked: 0, refused: 0, latencies: vec![], elapsed: std::time::Duration::ZERO };
    while let Some(done) = clients.join_next().await {
        let (booked, refused, latencies) = done??;
        out.booked += booked;
        out.refused += refused;
        out.latencies.extend(latencies);
    }
    out.elapsed = started.elapsed();
    out.latencies.sort();
    Ok(out)
}

fn report(name: &str, r: &Round) {
    let attempts = r.booked + r.refused;
    let secs = r.elapsed.as_secs_f64();
    let p = |q: f64| ms(r.latencies[((r.latencies.len() as f64 * q) as usize).min(r.latencies.len() - 1)]);
    println!(
        "{name}: {attempts} attempts in {secs:.2} s = {:.0} attempts/s; {} booked ({:.0}/s), {} refused; latency p50 {:.2} ms, p99 {:.2} ms",
        attempts as f64 / secs,
        r.booked,
        r.booked as f64 / secs,
        r.refused,
        p(0.5),
        p(0.99),
    );
}

async fn measure(args: &BookingArgs, url: &str) -> anyhow::Result<()> {
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    let db = Db::connect(url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 5, 0, 0).single().unwrap_or_else(Utc::now);
    let new = NewCommunity {
        slug: "bench".into(),
        name_uk: "Громада для вимірів".into(),
        name_en: None,
        coat_of_arms: None,
        contacts: Contacts::default(),
    };
    let community = communities::create(&db, new, now).await?;
    let hours = domain::parse_hours("00:00-24:00").map_err(|k| anyhow::anyhow!(k))?;
    let week: domain::Week = std::array::from_fn(|_| hours.clone());
    let resource = store::NewResource {
        kind: "cnap".into(),
        name_uk: "Вікно".into(),
        name_en: None,
        specialty: String::new(),
        place: "ЦНАП".into(),
        address: String::new(),
        service_number: None,
        rules: domain::Rules { slot_minutes: 5, horizon_days: 120, cancel_before_minutes: 0 },
        week,
        active: true,
    };
    let resource = store::save_resource(&db, community.id, None, &resource).await?.expect("a new resource");
    let start = now + Duration::days(1);
    let all: Vec<_> = (0..(args.concurrency * args.attempts + args.hot_slots) as i64)
        .map(|i| start + Duration::minutes(5 * i))
        .collect();
    let (hot, spread) = all.split_at(args.hot_slots);
    println!(
        "booking on {backend}: {} clients × {} attempts per round, {} hot slots",
        args.concurrency, args.attempts, args.hot_slots
    );
    let contended = round(&db, community.id, resource, std::sync::Arc::new(hot.to_vec()), args, true, now).await?;
    report("contended (everybody after the same slots)", &contended);
    anyhow::ensure!(
        contended.booked == args.hot_slots.min(args.concurrency * args.attempts),
        "each hot slot is booked once"
    );
    let own = round(&db, community.id, resource, std::sync::Arc::new(spread.to_vec()), args, false, now).await?;
    report("spread (each client after its own slots)", &own);
    let live = store::taken(&db, community.id, resource, start, start + Duration::days(365)).await?;
    let distinct: std::collections::HashSet<_> = live.iter().collect();
    anyhow::ensure!(distinct.len() == live.len(), "a slot holds two live visits");
    println!("check: {} live visits, every slot at most once", live.len());
    db.close().await;
    Ok(())
}
