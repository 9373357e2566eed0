//! `hromada transit import | realtime`: a community's GTFS timetable and GTFS-Realtime data from files.

use crate::server;
use crate::settings::Settings;
use anyhow::Context;
use hromada_db::core::audit::{self, Actor};
use hromada_kernel::{Clock, SystemClock};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum TransitCommand {
    /// Import a GTFS archive in place of the community's timetable; bad rows are skipped and listed.
    Import {
        /// The GTFS `.zip`.
        file: PathBuf,
        #[arg(long)]
        community: String,
    },
    /// Store a GTFS-Realtime message (TripUpdates, VehiclePositions) read from a file.
    Realtime {
        file: PathBuf,
        #[arg(long)]
        community: String,
    },
}

/// Problems printed in full at most; the counts cover all of them.
const PRINTED: usize = 30;

pub async fn run(settings: &Settings, command: TransitCommand) -> anyhow::Result<()> {
    let db = server::open_database(settings).await?;
    let result = async {
        match command {
            TransitCommand::Import { file, community } => {
                let c = crate::cli::find_community(&db, &community).await?;
                let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
                let bar = crate::cli::progress_bar("rows");
                let progress = {
                    let bar = bar.clone();
                    move |done: u64, total: u64| {
                        bar.set_length(total);
                        bar.set_position(done);
                    }
                };
                let report = hromada_transit::import_feed(&db, c.id, bytes, SystemClock.now(), progress)
                    .await
                    .map_err(|e| match e {
                        hromada_transit::FeedImportError::Feed(e) => anyhow::anyhow!("not a GTFS archive: {e}"),
                        hromada_transit::FeedImportError::Db(e) => anyhow::anyhow!(e),
                    })?;
                bar.finish_and_clear();
                let summary =
                    hromada_transit::store::summary(&db, c.id).await?.context("the timetable was not stored")?;
                println!(
                    "Imported: {} stops, {} routes, {} trips, {} stop times.",
                    summary.stops, summary.routes, summary.trips, summary.stop_times
                );
                if report.is_clean() {
                    println!("No problems.");
                } else {
                    println!("Problems: {}", report.total());
                    for (key, count) in &report.counts {
                        println!("  {key}: {count}");
                    }
                    for p in report.problems.iter().take(PRINTED) {
                        println!("  {p}");
                    }
                }
                let target = c.id.to_string();
                audit::record(
                    &db,
                    Some(c.id),
                    &Actor::cli(),
                    "transit.import",
                    "community",
                    Some(&target),
                    &format!("{} problems", report.total()),
                    SystemClock.now(),
                )
                .await?;
                Ok(())
            }
            TransitCommand::Realtime { file, community } => {
                let c = crate::cli::find_community(&db, &community).await?;
                let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
                let now = SystemClock.now();
                hromada_transit::Realtime::decode(&bytes, now)
                    .map_err(|e| anyhow::anyhow!("not a GTFS-Realtime message: {e}"))?;
                hromada_transit::store::save_realtime(&db, c.id, &bytes, now).await?;
                println!("Stored the realtime message.");
                Ok(())
            }
        }
    }
    .await;
    db.close().await;
    result
}
