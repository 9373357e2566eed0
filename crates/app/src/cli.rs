//! The command line: `hromada serve | demo | migrate | community … | user … | backup | restore`.

use crate::server;
use crate::settings::{Overrides, Settings};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use hromada_db::Db;
use hromada_db::core::audit::{self, Actor};
use hromada_db::core::communities::{self, Contacts, NewCommunity};
use hromada_db::core::users::{self, NewUser, PersonProof};
use hromada_db::core::{operators, roles};
use hromada_kernel::{Clock, Role, SystemClock};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "hromada", version, about = "Hromada: e-democracy, website and chatbot for territorial communities")]
pub struct Cli {
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the installation.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Serve with demo communities, accounts and content (seeded on first start).
    Demo {
        /// Address to listen on.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage communities.
    #[command(subcommand)]
    Community(CommunityCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Petitions: check a published signer list.
    #[command(subcommand)]
    Petitions(PetitionsCommand),
    /// Participatory budget: recount a contest's published ballots.
    #[command(subcommand)]
    Budget(crate::budget_cli::BudgetCommand),
    /// The CNAP catalogue: import and export service cards.
    #[command(subcommand)]
    Services(crate::services_cli::ServicesCommand),
    /// SMART stops: import a GTFS timetable or a GTFS-Realtime message.
    #[command(subcommand)]
    Transit(crate::transit_cli::TransitCommand),
    /// The community's chatbot in the messengers.
    #[command(subcommand)]
    Bot(BotCommand),
    /// Copy the embedded database to a file while the server runs.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the embedded database with a backup (stop the server first).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum CommunityCommand {
    /// Create a community.
    Create {
        /// Short Latin name used in addresses, e.g. `sievierodonetska`.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name_uk: String,
        #[arg(long)]
        name_en: Option<String>,
        /// Its own host name, if it has one.
        #[arg(long)]
        host: Option<String>,
    },
    /// List communities with their hosts.
    List,
    /// Map a host name to a community (primary, or an alias that redirects to it).
    SetHost {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        host: String,
        /// Add as an alias instead of making it the primary host.
        #[arg(long)]
        alias: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BotCommand {
    /// Connect the community's Telegram bot (made with @BotFather) and register its webhook.
    Telegram {
        #[arg(long)]
        community: String,
        /// The bot's token from @BotFather.
        #[arg(long, env = "HROMADA_TELEGRAM_TOKEN")]
        token: String,
        /// The bot's username, for links that open it.
        #[arg(long)]
        username: String,
        #[arg(long, default_value = hromada_bot::telegram::DEFAULT_API)]
        api_base: String,
        /// Only save the bot; do not call setWebhook (for `hromada bot poll`).
        #[arg(long)]
        no_webhook: bool,
    },
    /// Connect the community's Viber bot and register its webhook.
    Viber {
        #[arg(long)]
        community: String,
        /// The bot's authentication token (the app key under the bot's "Edit info").
        #[arg(long, env = "HROMADA_VIBER_TOKEN")]
        token: String,
        /// The bot's URI, for links that open it (`viber://pa?chatURI=…`); also the sender name.
        #[arg(long)]
        uri: String,
        #[arg(long, default_value = hromada_bot::viber::DEFAULT_API)]
        api_base: String,
        /// Only save the bot; do not call set_webhook.
        #[arg(long)]
        no_webhook: bool,
    },
    /// Serve the community's Telegram bot by long polling (development, no public address).
    Poll {
        #[arg(long)]
        community: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PetitionsCommand {
    /// Recount a petition's public signer chain and check its head; with --receipt, find your signature.
    Verify {
        /// The chain's API address, e.g. https://gromada.example.ua/api/v1/petitions/12/signatures
        #[arg(long, required_unless_present = "file")]
        url: Option<String>,
        /// A saved JSON page of the chain (as the API returns it) instead of the URL.
        #[arg(long, conflicts_with = "url")]
        file: Option<PathBuf>,
        /// The receipt code you got when signing.
        #[arg(long)]
        receipt: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account in a community, or a platform operator with --platform-admin.
    Create {
        #[arg(long, required_unless_present = "platform_admin")]
        community: Option<String>,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The password (visible to other local users; prefer --password-stdin).
        #[arg(long, conflicts_with = "password_stdin")]
        password: Option<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Roles to grant: admin, moderator, editor, department_officer, bot_operator, cnap_staff.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Create a platform operator instead of a community account.
        #[arg(long)]
        platform_admin: bool,
    },
    /// Grant (or with --revoke, take away) a role.
    SetRole {
        #[arg(long)]
        community: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        revoke: bool,
    },
    /// Mark an account's e-mail confirmed, or its person verified by a tax number checked in person.
    Verify {
        #[arg(long)]
        community: String,
        #[arg(long)]
        email: String,
        /// Verify the person by this tax number (RNOKPP), as checked against a document.
        #[arg(long)]
        tax_number: Option<String>,
        /// Mark this phone number as the account's own, verified.
        #[arg(long)]
        phone: Option<String>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { bind } => server::run(Settings::load(&cli.overrides, bind, "127.0.0.1:8080")?, false).await,
        Command::Demo { bind } => server::run(Settings::load(&cli.overrides, bind, "127.0.0.1:8080")?, true).await,
        Command::Migrate => {
            let settings = Settings::load(&cli.overrides, None, "127.0.0.1:8080")?;
            let db = server::open_database(&settings).await?;
            println!("The database is up to date.");
            db.close().await;
            Ok(())
        }
        Command::Community(cmd) => {
            let settings = Settings::load(&cli.overrides, None, "127.0.0.1:8080")?;
            let db = server::open_database(&settings).await?;
            let result = community(&db, cmd).await;
            db.close().await;
            result
        }
        Command::User(cmd) => {
            let settings = Settings::load(&cli.overrides, None, "127.0.0.1:8080")?;
            let db = server::open_database(&settings).await?;
            let result = user(&db, &settings, cmd).await;
            db.close().await;
            result
        }
        Command::Petitions(PetitionsCommand::Verify { url, file, receipt }) => {
            verify_petition(url, file, receipt).await
        }
        Command::Budget(cmd) => crate::budget_cli::run(cmd).await,
        Command::Services(cmd) => {
            crate::services_cli::run(&Settings::load(&cli.overrides, None, "127.0.0.1:8080")?, cmd).await
        }
        Command::Transit(cmd) => {
            crate::transit_cli::run(&Settings::load(&cli.overrides, None, "127.0.0.1:8080")?, cmd).await
        }
        Command::Bot(cmd) => bot(&cli.overrides, cmd).await,
        Command::Backup { to } => backup(&Settings::load(&cli.overrides, None, "127.0.0.1:8080")?, &to).await,
        Command::Restore { from } => restore(&Settings::load(&cli.overrides, None, "127.0.0.1:8080")?, &from).await,
    }
}

/// The community's address as messengers reach it: its own host, or the installation's.
async fn site_of(db: &Db, settings: &Settings, community: &communities::Community) -> anyhow::Result<String> {
    if let Some(host) = communities::primary_host(db, community.id).await? {
        return Ok(format!("https://{host}"));
    }
    let public =
        settings.public_url.clone().context("set public_url (HROMADA_PUBLIC_URL) to the address Telegram can reach")?;
    Ok(format!("{}/c/{}", public.trim_end_matches('/'), community.slug))
}

async fn bot(overrides: &crate::settings::Overrides, cmd: BotCommand) -> anyhow::Result<()> {
    let settings = Settings::load(overrides, None, "127.0.0.1:8080")?;
    let db = server::open_database(&settings).await?;
    let result = match cmd {
        BotCommand::Telegram { community, token, username, api_base, no_webhook } => {
            let c = find_community(&db, &community).await?;
            let site = if no_webhook { String::new() } else { site_of(&db, &settings, &c).await? };
            let url =
                hromada_bot::setup::connect_telegram(&db, &c, &token, &username, &api_base, &site, !no_webhook).await?;
            if no_webhook {
                println!(
                    "The Telegram bot @{username} is saved; serve it with `hromada bot poll --community {community}`."
                );
            } else {
                println!("The Telegram bot @{username} is connected; Telegram will call {url}");
            }
            Ok(())
        }
        BotCommand::Viber { community, token, uri, api_base, no_webhook } => {
            let c = find_community(&db, &community).await?;
            // Viber has no polling: even an unregistered bot needs the address to register later.
            let site = match site_of(&db, &settings, &c).await {
                Ok(site) => site,
                Err(_) if no_webhook => String::new(),
                Err(e) => return Err(e),
            };
            let url = hromada_bot::setup::connect_viber(&db, &c, &token, &uri, &api_base, &site, !no_webhook).await?;
            if no_webhook {
                println!("The Viber bot {uri} is saved; its webhook is {url}, for set_webhook.");
            } else {
                println!("The Viber bot {uri} is connected; Viber will call {url}");
            }
            Ok(())
        }
        BotCommand::Poll { community } => {
            let c = find_community(&db, &community).await?;
            server::poll_telegram(&settings, db.clone(), c).await
        }
    };
    db.close().await;
    result
}

async fn community(db: &Db, cmd: CommunityCommand) -> anyhow::Result<()> {
    let now = SystemClock.now();
    match cmd {
        CommunityCommand::Create { slug, name_uk, name_en, host } => {
            if !hromada_platform::operators::valid_slug(&slug) {
                bail!("the slug must be 2–63 lowercase Latin letters, digits or hyphens");
            }
            let new = NewCommunity {
                slug: slug.clone(),
                name_uk,
                name_en,
                coat_of_arms: None,
                contacts: Contacts::default(),
            };
            let c = match communities::create(db, new, now).await {
                Ok(c) => c,
                Err(hromada_db::DbError::Unique(_)) => {
                    bail!("a community with the slug {slug} already exists")
                }
                Err(e) => return Err(e.into()),
            };
            if let Some(host) = host {
                set_host(db, &c.slug, &host, false).await?;
            }
            audit::record(
                db,
                Some(c.id),
                &Actor::cli(),
                "community.create",
                "community",
                Some(&c.id.to_string()),
                &c.slug,
                now,
            )
            .await?;
            println!("Created {} ({})", c.name_uk, c.slug);
        }
        CommunityCommand::List => {
            for c in communities::list(db).await? {
                let hosts: Vec<String> = communities::hosts(db, c.id)
                    .await?
                    .into_iter()
                    .map(|h| if h.is_primary { h.host } else { format!("{} (alias)", h.host) })
                    .collect();
                let state = if c.enabled { "" } else { " [disabled]" };
                println!("{}\t{}\t{}{state}", c.slug, c.name_uk, hosts.join(", "));
            }
        }
        CommunityCommand::SetHost { slug, host, alias } => set_host(db, &slug, &host, alias).await?,
    }
    Ok(())
}

async fn set_host(db: &Db, slug: &str, host: &str, alias: bool) -> anyhow::Result<()> {
    let host = host.trim().to_ascii_lowercase();
    if !hromada_platform::operators::valid_host(&host) {
        bail!("{host} is not a valid host name");
    }
    let c = communities::by_slug(db, slug).await?.with_context(|| format!("no community with the slug {slug}"))?;
    let result = if alias {
        communities::add_alias_host(db, c.id, &host).await
    } else {
        communities::set_primary_host(db, c.id, &host).await
    };
    match result {
        Ok(()) => {}
        Err(hromada_db::DbError::Unique(_)) => bail!("{host} already belongs to another community"),
        Err(e) => return Err(e.into()),
    }
    let action = if alias { "community.host_alias" } else { "community.host_primary" };
    audit::record(
        db,
        Some(c.id),
        &Actor::cli(),
        action,
        "community",
        Some(&c.id.to_string()),
        &host,
        SystemClock.now(),
    )
    .await?;
    println!("{host} → {slug}{}", if alias { " (alias)" } else { "" });
    Ok(())
}

fn read_password(password: Option<String>, from_stdin: bool) -> anyhow::Result<String> {
    let password = match (password, from_stdin) {
        (Some(p), _) => p,
        (None, true) => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            s.trim_end_matches(['\n', '\r']).to_owned()
        }
        (None, false) => bail!("give the password with --password or --password-stdin"),
    };
    if password.chars().count() < 10 {
        bail!("the password needs at least 10 characters");
    }
    Ok(password)
}

pub(crate) async fn find_community(db: &Db, slug: &str) -> anyhow::Result<communities::Community> {
    communities::by_slug(db, slug).await?.with_context(|| format!("no community with the slug {slug}"))
}

/// A progress bar on standard error for a long import (hidden when that is not a terminal).
pub(crate) fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what}"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn parse_role(code: &str) -> anyhow::Result<Role> {
    Role::parse(code).with_context(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        format!("unknown role {code}; known roles: {}", known.join(", "))
    })
}

async fn user(db: &Db, settings: &Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let now = SystemClock.now();
    match cmd {
        UserCommand::Create { community, email, name, password, password_stdin, roles: role_codes, platform_admin } => {
            if !email.contains('@') {
                bail!("{email} is not an e-mail address");
            }
            let roles_to_grant = role_codes.iter().map(|r| parse_role(r)).collect::<anyhow::Result<Vec<_>>>()?;
            let password = read_password(password, password_stdin)?;
            let hash = hromada_web::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            if platform_admin {
                match operators::create(db, &email, &name, &hash, now).await {
                    Ok(id) => {
                        audit::record(
                            db,
                            None,
                            &Actor::cli(),
                            "operator.create",
                            "operator",
                            Some(&id.to_string()),
                            &email,
                            now,
                        )
                        .await?;
                        println!("Created platform operator {email}");
                        return Ok(());
                    }
                    Err(hromada_db::DbError::Unique(_)) => {
                        bail!("an operator with the e-mail {email} already exists")
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            let c = find_community(db, community.as_deref().unwrap_or_default()).await?;
            let new = NewUser {
                email: Some(email.clone()),
                password_hash: Some(hash),
                full_name: name,
                lang: "uk".into(),
                ..Default::default()
            };
            let u = match users::create(db, c.id, new, now).await {
                Ok(u) => u,
                Err(hromada_db::DbError::Unique(_)) => {
                    bail!("{email} already has an account in {}", c.slug)
                }
                Err(e) => return Err(e.into()),
            };
            // Accounts made by the operator are trusted to own their address.
            users::confirm_email(db, c.id, u.id, now).await?;
            for role in roles_to_grant {
                roles::grant(db, c.id, u.id, role, now).await?;
                audit::record(
                    db,
                    Some(c.id),
                    &Actor::cli(),
                    "role.grant",
                    "user",
                    Some(&u.id.to_string()),
                    role.code(),
                    now,
                )
                .await?;
            }
            println!("Created {email} in {}", c.slug);
        }
        UserCommand::SetRole { community, email, role, revoke } => {
            let c = find_community(db, &community).await?;
            let role = parse_role(&role)?;
            let u = users::by_email(db, c.id, &email)
                .await?
                .with_context(|| format!("no account {email} in {community}"))?;
            let (changed, action) = if revoke {
                (roles::revoke(db, c.id, u.id, role).await?, "role.revoke")
            } else {
                (roles::grant(db, c.id, u.id, role, now).await?, "role.grant")
            };
            if changed {
                audit::record(db, Some(c.id), &Actor::cli(), action, "user", Some(&u.id.to_string()), role.code(), now)
                    .await?;
            }
            println!("{email}: {} {}", if revoke { "no longer" } else { "now" }, role.code());
        }
        UserCommand::Verify { community, email, tax_number, phone } => {
            let c = find_community(db, &community).await?;
            let u = users::by_email(db, c.id, &email)
                .await?
                .with_context(|| format!("no account {email} in {community}"))?;
            users::confirm_email(db, c.id, u.id, now).await?;
            if let Some(phone) = phone {
                let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
                if digits.trim_start_matches('+').len() < 9 {
                    bail!("{phone} is not a phone number");
                }
                users::set_phone_verified(db, c.id, u.id, &digits, now).await?;
                audit::record(
                    db,
                    Some(c.id),
                    &Actor::cli(),
                    "user.verify_phone",
                    "user",
                    Some(&u.id.to_string()),
                    &email,
                    now,
                )
                .await?;
            }
            if let Some(number) = tax_number {
                let secret = settings.resolve_secret()?;
                let key = hromada_web::auth::person_key(&secret, &number).context("a tax number has 10 digits")?;
                match users::set_person_key(db, c.id, u.id, &key, PersonProof::InPerson { by: u.id }, now).await {
                    Ok(()) => {}
                    Err(hromada_db::DbError::Unique(_)) => {
                        bail!("this person already has a verified account in {community}")
                    }
                    Err(e) => return Err(e.into()),
                }
                audit::record(
                    db,
                    Some(c.id),
                    &Actor::cli(),
                    "user.verify_in_person",
                    "user",
                    Some(&u.id.to_string()),
                    &email,
                    now,
                )
                .await?;
            }
            println!("{email} verified");
        }
    }
    Ok(())
}

async fn backup(settings: &Settings, to: &std::path::Path) -> anyhow::Result<()> {
    if settings.is_postgres() {
        println!("This installation uses PostgreSQL. Back it up with its own tools, for example:");
        println!("  pg_dump --format=custom --file=hromada.dump \"$HROMADA_DATABASE_URL\"");
        println!("and restore with:");
        println!("  pg_restore --clean --if-exists --dbname=\"$HROMADA_DATABASE_URL\" hromada.dump");
        return Ok(());
    }
    if to.exists() {
        bail!("{} already exists; choose a new file", to.display());
    }
    let db = server::open_database(settings).await?;
    // VACUUM INTO writes a consistent copy while other connections keep working.
    let target = to.to_str().context("the backup path must be valid UTF-8")?.replace('\'', "''");
    hromada_db::execute!(&db, sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{target}'"))))?;
    db.close().await;
    println!("Backed up to {}", to.display());
    Ok(())
}

async fn restore(settings: &Settings, from: &std::path::Path) -> anyhow::Result<()> {
    if settings.is_postgres() {
        println!("This installation uses PostgreSQL. Restore it with:");
        println!("  pg_restore --clean --if-exists --dbname=\"$HROMADA_DATABASE_URL\" hromada.dump");
        return Ok(());
    }
    let check = Db::connect(&format!("sqlite://{}", from.display()))
        .await
        .with_context(|| format!("cannot open {}", from.display()))?;
    let ok: Result<(i64,), _> =
        hromada_db::fetch_one!(&check, sqlx::query_as("SELECT COUNT(*) FROM schema_migrations"));
    check.close().await;
    if ok.is_err() {
        bail!("{} is not a Hromada backup", from.display());
    }
    let path = settings
        .database_url
        .strip_prefix("sqlite://")
        .context("restore works with the embedded database only")?
        .to_owned();
    std::fs::create_dir_all(&settings.data_dir)?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    std::fs::copy(from, &path).with_context(|| format!("cannot write {path}"))?;
    let db = server::open_database(settings).await?;
    db.close().await;
    println!("Restored {} into {path}", from.display());
    Ok(())
}

/// The first page of a published chain and all its entries (as JSON), fetched page by page
/// from the API (`after`, `limit`) or read from a saved page.
pub(crate) async fn chain_pages(
    url: Option<String>,
    file: Option<PathBuf>,
) -> anyhow::Result<(serde_json::Value, Vec<serde_json::Value>)> {
    let entries_of = |page: &serde_json::Value| -> anyhow::Result<Vec<serde_json::Value>> {
        page["entries"].as_array().cloned().context("malformed entries")
    };
    match (url, file) {
        (_, Some(path)) => {
            let page: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?,
            )
            .context("the file is not a chain page")?;
            let entries = entries_of(&page)?;
            Ok((page, entries))
        }
        (Some(url), None) => {
            let http = reqwest::Client::new();
            let (mut after, mut first, mut entries) = (0u64, None, vec![]);
            loop {
                let sep = if url.contains('?') { '&' } else { '?' };
                let page: serde_json::Value = http
                    .get(format!("{url}{sep}after={after}&limit=1000"))
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await
                    .context("the answer is not a chain page")?;
                let batch = entries_of(&page)?;
                let done = batch.is_empty();
                after = batch.last().and_then(|e| e["seq"].as_u64()).unwrap_or(after);
                entries.extend(batch);
                first.get_or_insert(page);
                if done {
                    break;
                }
            }
            Ok((first.context("no answer")?, entries))
        }
        (None, None) => bail!("give --url or --file"),
    }
}

/// Fetches every page of a signer chain (or reads a saved one), recomputes it and compares it
/// with the published count and head.
async fn verify_petition(url: Option<String>, file: Option<PathBuf>, receipt: Option<String>) -> anyhow::Result<()> {
    use hromada_petitions::domain::{self, ChainEntry};
    let (first, raw) = chain_pages(url, file).await?;
    let mut entries: Vec<ChainEntry> =
        raw.into_iter().map(serde_json::from_value).collect::<Result<_, _>>().context("malformed entries")?;
    let petition: uuid::Uuid =
        first["petition"].as_str().context("no petition id")?.parse().context("bad petition id")?;
    // Signatures may arrive while the pages are read: check the list as it was when first asked.
    let shown = first["count"].as_u64().context("no published count")? as usize;
    if entries.len() < shown {
        bail!("the list has {} entries but the petition shows {shown}", entries.len());
    }
    entries.truncate(shown);
    let (count, head) =
        domain::verify_chain(petition, &entries).map_err(|e| anyhow::anyhow!("the chain does not verify: {e}"))?;
    let published_count = first["count"].as_u64().context("no published count")?;
    let published_head = first["head"].as_str().context("no published head")?;
    println!("entries: {count}, head: {}", hex::encode(head));
    if count != published_count || hex::encode(head) != published_head {
        bail!("the chain does not match what the petition shows (count {published_count}, head {published_head})");
    }
    println!("the chain matches the published count and head");
    if let Some(code) = receipt {
        match domain::find_receipt(petition, &entries, code.trim()) {
            Some(e) => println!("your signature is No. {} ({}, {})", e.seq, e.display_name, e.signed_at),
            None => bail!("no signature with this receipt code is in the list"),
        }
    }
    Ok(())
}
