//! Starting and stopping the server: connect, migrate, build, serve, and on SIGINT/SIGTERM let
//! requests in flight finish and queued writes commit before the database closes.

use crate::settings::Settings;
use crate::{build, demo, mailer};
use anyhow::Context;
use hromada_db::{Db, migrate};
use hromada_kernel::{Clock, SystemClock};
use hromada_web::WebConfig;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

/// Opens the configured database and brings its schema up to date.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    if !settings.is_postgres() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("cannot create the data folder {}", settings.data_dir.display()))?;
    }
    let db = Db::connect(&settings.database_url).await.context("cannot open the database")?;
    migrate::run(&db, &crate::all_migrations(&crate::modules())).await.context("cannot migrate the database")?;
    Ok(db)
}

pub fn web_config(settings: &Settings, demo: bool, public_url: String) -> anyhow::Result<WebConfig> {
    Ok(WebConfig {
        secret: settings.resolve_secret()?,
        demo,
        smtp_configured: settings.smtp.is_some(),
        secure_cookies: public_url.starts_with("https://"),
        trust_proxy: settings.trust_proxy,
        theme_dir: settings.theme_dir.clone(),
        body_limit: settings.body_limit,
        upload_limit: settings.upload_limit,
        cache_ttl: settings.cache_ttl,
        public_url,
        eid: settings.eid.clone(),
    })
}

pub async fn run(settings: Settings, demo_mode: bool) -> anyhow::Result<()> {
    // Listen for signals before the port opens, so that a stop sent right after start is graceful too.
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(not(unix))]
    let terminate = ();
    let db = open_database(&settings).await?;
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let config = web_config(&settings, demo_mode, public_url.clone())?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    if demo_mode {
        demo::seed(&db, clock.clone(), &crate::modules()).await.context("cannot seed the demo")?;
    }
    let app = build(db.clone(), config, clock.clone(), crate::modules())?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let mut workers = vec![];
    // Demo mode never sends mail: it is read at the development mail page.
    if let (Some(smtp), false) = (settings.smtp.clone(), demo_mode) {
        workers.push(tokio::spawn(mailer::run(db.clone(), clock.clone(), smtp, stop_rx.clone())));
    }
    workers.push(tokio::spawn(purge_sessions(db.clone(), clock.clone(), stop_rx.clone())));

    if demo_mode {
        demo::print_welcome(&db, &public_url).await?;
    } else {
        println!("Hromada is serving at {public_url}/");
    }
    tracing::info!(%addr, "listening");
    axum::serve(listener, app.router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal(terminate))
        .await?;
    tracing::info!("shutting down: finishing background work");
    let _ = stop_tx.send(true);
    for w in workers {
        let _ = w.await;
    }
    // Jobs hold the state: stop them first, then the writers can see their last handle go.
    let _ = app.stop.send(true);
    for job in app.jobs {
        let _ = job.await;
    }
    drop(app.state);
    // Every handle to the writers is gone with the router: they commit what is queued and end.
    for task in app.tasks {
        let _ = task.await;
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn purge_sessions(db: Db, clock: Arc<dyn Clock>, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = hromada_db::core::sessions::purge_expired(&db, clock.now()).await {
            tracing::warn!(error = %e, "session purge failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(unix)]
async fn shutdown_signal(mut terminate: tokio::signal::unix::Signal) {
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}

#[cfg(not(unix))]
async fn shutdown_signal(_: ()) {
    let _ = tokio::signal::ctrl_c().await;
}

/// Serves a community's Telegram bot by long polling until Ctrl-C: the whole application runs
/// (its jobs, its delivery of replies), without listening for HTTP.
pub async fn poll_telegram(
    settings: &Settings,
    db: Db,
    community: hromada_db::core::communities::Community,
) -> anyhow::Result<()> {
    let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{}", settings.bind));
    let config = web_config(settings, false, public_url.clone())?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let app = build(db.clone(), config, clock, crate::modules())?;
    let base = match hromada_db::core::communities::primary_host(&db, community.id).await? {
        Some(_) => String::new(),
        None => format!("/c/{}", community.slug),
    };
    let tenant = hromada_web::Tenant { community, base };
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut polling = tokio::spawn(hromada_bot::setup::poll_telegram(app.state.clone(), tenant, stop_rx));
    println!("Polling Telegram; press Ctrl-C to stop.");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {
            let _ = stop_tx.send(true);
            let _ = (&mut polling).await;
        }
        done = &mut polling => done??,
    }
    let _ = app.stop.send(true);
    for job in app.jobs {
        let _ = job.await;
    }
    drop(app.state);
    drop(app.router);
    for task in app.tasks {
        let _ = task.await;
    }
    Ok(())
}
