//! `hromada-bench site`: the demo community's home page, built by the site constructor from
//! its blocks (notice, text, tiles, quick poll, news, petitions, documents). Prints the page's
//! weight (HTML and CSS, as sent and uncompressed) and its requests per second against a static
//! asset served by the same process, in the same run, and once more with every per-node cache
//! off. Figures only; nothing is asserted but that the page is the constructor's.

use crate::lists::{Load, load, ms};
use hromada_db::Db;
use hromada_kernel::{Clock, SystemClock};
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct SiteArgs {
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// How long each URL is loaded, in milliseconds.
    #[arg(long, default_value_t = 5000)]
    duration_ms: u64,
    /// `postgres://…` to measure PostgreSQL; a fresh SQLite file otherwise.
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(args: SiteArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("hromada-site.").tempdir()?;
    let (url, pg) = match &args.database_url {
        Some(server) => {
            let (url, name) = crate::crash::fresh_pg_database(server, "hromada_site").await?;
            (url, Some((server.clone(), name)))
        }
        None => (format!("sqlite://{}", dir.path().join("site.sqlite").display()), None),
    };
    let outcome = measure(&args, &url).await;
    if let Some((server, name)) = pg {
        crate::crash::drop_pg_database(&server, &name).await;
    }
    outcome
}

async fn measure(args: &SiteArgs, url: &str) -> anyhow::Result<()> {
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    let db = Db::connect(url).await?;
    let modules = hromada_app::modules();
    hromada_db::migrate::run(&db, &hromada_app::all_migrations(&modules)).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    hromada_app::demo::seed(&db, clock.clone(), &modules).await?;
    let (addr, _app) = crate::serve_in_process(&db, clock.clone(), modules.clone()).await?;
    // The same page with every per-node cache off: each request reads and renders it all.
    let (cold_addr, _cold) =
        crate::serve_in_process_with(&db, clock, modules, |c| c.cache_ttl = Duration::ZERO).await?;
    let cold_home = format!("http://{cold_addr}/c/{}/", hromada_app::demo::MAIN);
    let base = format!("http://{addr}");
    let home = format!("{base}/c/{}/", hromada_app::demo::MAIN);

    let plain = reqwest::Client::builder().no_gzip().no_brotli().build()?;
    let page = plain.get(&home).send().await?.error_for_status()?.text().await?;
    anyhow::ensure!(
        page.contains("block-tiles") && page.contains("block-news"),
        "the home page is not the constructor's"
    );
    // Every stylesheet the page links, as a browser would fetch them.
    let mut css = vec![];
    for href in page.split("rel=\"stylesheet\" href=\"").skip(1).filter_map(|s| s.split('"').next()) {
        let href = href.replace("&#x2f;", "/").replace("&amp;", "&");
        css.push((
            href.clone(),
            plain.get(format!("{base}{href}")).send().await?.error_for_status()?.bytes().await?.len(),
        ));
    }
    let compressed = |path: String| {
        let base = base.clone();
        async move {
            let http = reqwest::Client::builder().no_gzip().no_brotli().build()?;
            let r = http.get(format!("{base}{path}")).header("accept-encoding", "br, gzip").send().await?;
            anyhow::Ok(r.bytes().await?.len())
        }
    };
    let home_path = format!("/c/{}/", hromada_app::demo::MAIN);
    let page_sent = compressed(home_path).await?;
    let mut css_sent = 0;
    for (href, _) in &css {
        css_sent += compressed(href.clone()).await?;
    }
    let css_plain: usize = css.iter().map(|(_, n)| n).sum();
    let kb = |n: usize| n as f64 / 1024.0;
    println!(
        "site on {backend}: the demo community's home page ({} connections, {} ms a URL)",
        args.concurrency, args.duration_ms
    );
    println!(
        "  weight: HTML {:.1} KB + CSS {:.1} KB = {:.1} KB uncompressed; {:.1} KB as sent (brotli/gzip); target < 50 KB",
        kb(page.len()),
        kb(css_plain),
        kb(page.len() + css_plain),
        kb(page_sent + css_sent)
    );

    let http =
        reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).timeout(Duration::from_secs(60)).build()?;
    let asset = css.first().map(|(h, _)| h.clone()).unwrap_or_else(|| "/healthz".into());
    let duration = Duration::from_millis(args.duration_ms);
    // A short warm-up, so that both are measured with open connections and warm caches.
    load(&http, &home, args.concurrency, Duration::from_millis(500)).await;
    let page_load = load(&http, &home, args.concurrency, duration).await;
    let asset_load = load(&http, &format!("{base}{asset}"), args.concurrency, duration).await;
    load(&http, &cold_home, args.concurrency, Duration::from_millis(500)).await;
    let cold_load = load(&http, &cold_home, args.concurrency, duration).await;
    let rate = |l: &Load| l.latencies.len() as f64 / l.elapsed.as_secs_f64();
    for (name, l) in [("home page", &page_load), ("static asset", &asset_load), ("home, no cache", &cold_load)] {
        println!(
            "  {name:<14} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests, {} failed)",
            rate(l),
            ms(l.percentile(0.5)),
            ms(l.percentile(0.99)),
            l.count(),
            l.failures
        );
    }
    println!(
        "  home page / static asset: {:.0}% (target ≥ 30%)",
        100.0 * rate(&page_load) / rate(&asset_load).max(1e-9)
    );
    Ok(())
}
