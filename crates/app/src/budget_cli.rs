//! `hromada budget verify`: anyone recounts a contest from its published ballots, checks the
//! chain against the published length and head, and finds their own ballot by receipt code.

use crate::cli::chain_pages;
use anyhow::{Context, bail};
use clap::Subcommand;
use hromada_budget::domain::{self, BallotEntry};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum BudgetCommand {
    /// Recount a contest's public ballots and check the chain's head; with --receipt, find your ballot.
    Verify {
        /// The ballots' API address, e.g. https://gromada.example.ua/api/v1/budget/contests/1/ballots
        #[arg(long, required_unless_present = "file")]
        url: Option<String>,
        /// A saved JSON page of the ballots (as the API returns it) instead of the URL.
        #[arg(long, conflicts_with = "url")]
        file: Option<PathBuf>,
        /// The receipt code you got when voting.
        #[arg(long)]
        receipt: Option<String>,
    },
}

pub async fn run(cmd: BudgetCommand) -> anyhow::Result<()> {
    let BudgetCommand::Verify { url, file, receipt } = cmd;
    let (first, raw) = chain_pages(url, file).await?;
    let mut entries: Vec<BallotEntry> =
        raw.into_iter().map(serde_json::from_value).collect::<Result<_, _>>().context("malformed entries")?;
    let contest: uuid::Uuid = first["contest"].as_str().context("no contest id")?.parse().context("bad contest id")?;
    // Ballots may arrive while the pages are read: check the list as it was when first asked.
    let length = first["length"].as_u64().context("no published length")? as usize;
    if entries.len() < length {
        bail!("the list has {} entries but the contest shows {length}", entries.len());
    }
    entries.truncate(length);
    let recount =
        domain::verify_chain(contest, &entries).map_err(|e| anyhow::anyhow!("the ballots do not verify: {e}"))?;
    let published_ballots = first["ballots"].as_u64().context("no published ballot count")?;
    let published_head = first["head"].as_str().context("no published head")?;
    println!("entries: {}, live ballots: {}, head: {}", entries.len(), recount.ballots, hex::encode(recount.head));
    for (number, votes) in &recount.votes {
        println!("  project No. {number}: {votes} votes");
    }
    if recount.ballots != published_ballots || hex::encode(recount.head) != published_head {
        bail!("the ballots do not match what the contest shows ({published_ballots} ballots, head {published_head})");
    }
    println!("the ballots match the published count and head");
    if let Some(code) = receipt {
        match domain::find_receipt(contest, &entries, code.trim()) {
            Some(e) => {
                let choices: Vec<String> = e.choices.iter().map(|n| format!("No. {n}")).collect();
                let replaced = entries.iter().any(|later| later.supersedes == Some(e.seq));
                println!(
                    "your ballot is No. {}: {}{}",
                    e.seq,
                    choices.join(", "),
                    if replaced { " (replaced by a later ballot of yours)" } else { "" }
                );
            }
            None => bail!("no ballot with this receipt code is in the list"),
        }
    }
    Ok(())
}
