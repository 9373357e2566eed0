//! `hromada services import | export`: the CNAP catalogue to and from CSV or JSON files.

use crate::server;
use crate::settings::Settings;
use anyhow::Context;
use hromada_db::core::audit::{self, Actor};
use hromada_kernel::{Clock, Lang, SystemClock};
use hromada_services::exchange::{self, Format};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum ServicesCommand {
    /// Load service cards from a CSV or JSON file; rows with errors are listed and skipped.
    Import {
        /// The file: `.json`, or CSV (commas or semicolons, UTF-8).
        file: PathBuf,
        #[arg(long)]
        community: String,
        /// The language of the report: uk or en.
        #[arg(long, default_value = "uk")]
        lang: String,
    },
    /// Write the catalogue as CSV or JSON (by the file's extension) to a file or standard output.
    Export {
        #[arg(long)]
        community: String,
        /// The file to write; standard output (CSV) when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Drafts too, not only published cards.
        #[arg(long)]
        all: bool,
    },
}

pub async fn run(settings: &Settings, command: ServicesCommand) -> anyhow::Result<()> {
    let db = server::open_database(settings).await?;
    let result = match command {
        ServicesCommand::Import { file, community, lang } => import(&db, &file, &community, &lang).await,
        ServicesCommand::Export { community, out, all } => export(&db, &community, out.as_deref(), all).await,
    };
    db.close().await;
    result
}

async fn import(db: &hromada_db::Db, file: &Path, slug: &str, lang: &str) -> anyhow::Result<()> {
    let lang = Lang::parse(lang).context("--lang is uk or en")?;
    let community = crate::cli::find_community(db, slug).await?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let i18n = crate::translations(&crate::modules())?;
    let t = |key: &str| i18n.t(lang, key);
    let parsed = exchange::parse(&bytes, Format::of_file(&file.to_string_lossy()))
        .map_err(|p| anyhow::anyhow!("{} {}", t(p.key), p.detail))?;
    let bar = crate::cli::progress_bar("rows");
    bar.set_length(parsed.rows.len() as u64);
    let report = exchange::import(db, community.id, parsed, SystemClock.now(), &mut |done, _| {
        bar.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    let summary = format!("+{} ~{} !{}", report.created, report.updated, report.failed_rows());
    let target = community.id.to_string();
    audit::record(
        db,
        Some(community.id),
        &Actor::cli(),
        "services.import",
        "community",
        Some(&target),
        &summary,
        SystemClock.now(),
    )
    .await?;
    println!(
        "{}",
        i18n.t_pairs(
            lang,
            "services-import-summary",
            &[
                ("created", report.created.to_string()),
                ("updated", report.updated.to_string()),
                ("failed", report.failed_rows().to_string()),
            ],
        )
    );
    if !report.unknown_columns.is_empty() {
        println!("{}: {}", t("services-import-unknown"), report.unknown_columns.join(", "));
    }
    for p in &report.problems {
        println!("{} {}: {}", t("services-import-line"), p.line, exchange::problem_text(&t, p));
    }
    if report.problems.is_empty() { Ok(()) } else { anyhow::bail!("{}", t("services-import-problems")) }
}

async fn export(db: &hromada_db::Db, slug: &str, out: Option<&Path>, all: bool) -> anyhow::Result<()> {
    let community = crate::cli::find_community(db, slug).await?;
    let rows = exchange::rows(db, community.id, all).await?;
    let format = out.map_or(Format::Csv, |p| Format::of_file(&p.to_string_lossy()));
    let text = match format {
        Format::Csv => exchange::to_csv(&rows).into_text(),
        Format::Json => serde_json::to_string_pretty(&exchange::to_json(&rows))?,
    };
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}
