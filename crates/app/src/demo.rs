//! Demo content: two communities with settlements, departments, one account per role, and
//! each module's own demo content. Seeding twice changes nothing.

use hromada_db::Db;
use hromada_db::core::communities::{self, Community, Contacts, NewCommunity};
use hromada_db::core::users::{self, NewUser};
use hromada_db::core::{departments, operators, roles, settlements};
use hromada_kernel::{Clock, Role};
use hromada_web::module::{Module, SeedContext};
use std::sync::Arc;

pub const PASSWORD: &str = "hromada-demo";
pub const MAIN: &str = "sievierodonetska";
pub const SECOND: &str = "bobrovytska";
pub const OPERATOR: &str = "operator@demo.hromada";

/// `(e-mail, name, role)` of the main community's demo accounts.
pub const ACCOUNTS: &[(&str, &str, Option<Role>)] = &[
    ("admin@demo.hromada", "Оксана Адміністраторка", Some(Role::Admin)),
    ("moderator@demo.hromada", "Максим Модератор", Some(Role::Moderator)),
    ("editor@demo.hromada", "Ірина Редакторка", Some(Role::Editor)),
    ("officer@demo.hromada", "Василь Посадовець", Some(Role::DepartmentOfficer)),
    ("bot@demo.hromada", "Богдан Оператор", Some(Role::BotOperator)),
    ("cnap@demo.hromada", "Світлана з ЦНАП", Some(Role::CnapStaff)),
    ("resident@demo.hromada", "Петро Мешканець", None),
];

pub async fn seed(db: &Db, clock: Arc<dyn Clock>, modules: &[Arc<dyn Module>]) -> anyhow::Result<()> {
    let hash = hromada_web::auth::hash_password(PASSWORD.to_owned()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let now = clock.now();
    if operators::by_email(db, OPERATOR).await?.is_none() {
        operators::create(db, OPERATOR, "Оператор платформи", &hash, now).await?;
    }
    let main = community(
        db,
        MAIN,
        "Сєвєродонецька міська територіальна громада",
        "Sievierodonetsk City Territorial Community",
        Contacts {
            address: "вул. Центральна, 1, м. Сєвєродонецьк".into(),
            phone: "+380 64 522 00 00".into(),
            email: "rada@sievierodonetsk.demo".into(),
            hours: "Пн–Пт, 8:00–17:00".into(),
        },
        &[
            ("Сєвєродонецьк", "Sievierodonetsk", "city", None),
            ("Борівське", "Borivske", "town", Some("Борівський старостинський округ")),
            ("Метьолкіне", "Metolkine", "village", Some("Метьолкінський старостинський округ")),
            ("Воронове", "Voronove", "village", Some("Борівський старостинський округ")),
            ("Синецький", "Synetskyi", "village", Some("Метьолкінський старостинський округ")),
        ],
        &["Відділ житлово-комунального господарства", "Управління соціального захисту населення", "Відділ освіти"],
        now,
    )
    .await?;
    let second = community(
        db,
        SECOND,
        "Бобровицька міська територіальна громада",
        "Bobrovytsia City Territorial Community",
        Contacts {
            address: "вул. Незалежності, 43, м. Бобровиця".into(),
            phone: "+380 46 322 11 00".into(),
            email: "rada@bobrovytsia.demo".into(),
            hours: "Пн–Пт, 8:00–17:00".into(),
        },
        &[
            ("Бобровиця", "Bobrovytsia", "city", None),
            ("Браниця", "Branytsia", "village", Some("Браницький старостинський округ")),
            ("Кобижча", "Kobyzhcha", "village", Some("Кобижчанський старостинський округ")),
        ],
        &["Відділ житлово-комунального господарства"],
        now,
    )
    .await?;

    for (email, name, role) in ACCOUNTS {
        account(db, &main, email, name, *role, &hash, now).await?;
    }
    account(db, &second, "admin@demo.hromada", "Наталія Адміністраторка", Some(Role::Admin), &hash, now).await?;
    account(db, &second, "resident@demo.hromada", "Олег Мешканець", None, &hash, now).await?;

    // The demo officer works for the first department.
    if let (Some(officer), Some(dept)) = (
        users::by_email(db, main.id, "officer@demo.hromada").await?,
        departments::list(db, main.id).await?.into_iter().next(),
    ) {
        departments::add_officer(db, main.id, dept.id, officer.id).await?;
    }

    for module in modules {
        for (c, is_main) in [(&main, true), (&second, false)] {
            module.seed_demo(SeedContext { db, clock: clock.clone(), community: c, main: is_main }).await?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn community(
    db: &Db,
    slug: &str,
    name_uk: &str,
    name_en: &str,
    contacts: Contacts,
    places: &[(&str, &str, &str, Option<&str>)],
    units: &[&str],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Community> {
    if let Some(existing) = communities::by_slug(db, slug).await? {
        return Ok(existing);
    }
    let c = communities::create(
        db,
        NewCommunity {
            slug: slug.into(),
            name_uk: name_uk.into(),
            name_en: Some(name_en.into()),
            coat_of_arms: Some("/static/arms-demo.svg".into()),
            contacts,
        },
        now,
    )
    .await?;
    for (uk, en, kind, district) in places {
        settlements::create(db, c.id, uk, Some(en), kind, *district).await?;
    }
    for unit in units {
        departments::create(db, c.id, unit, None, None, now).await?;
    }
    Ok(c)
}

async fn account(
    db: &Db,
    community: &Community,
    email: &str,
    name: &str,
    role: Option<Role>,
    hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    if users::by_email(db, community.id, email).await?.is_some() {
        return Ok(());
    }
    let settlement = settlements::list(db, community.id).await?.first().map(|s| s.id);
    let user = users::create(
        db,
        community.id,
        NewUser {
            email: Some(email.into()),
            password_hash: Some(hash.into()),
            full_name: name.into(),
            settlement_id: settlement,
            birth_year: Some(1985),
            lang: "uk".into(),
        },
        now,
    )
    .await?;
    users::confirm_email(db, community.id, user.id, now).await?;
    if let Some(role) = role {
        roles::grant(db, community.id, user.id, role, now).await?;
    }
    Ok(())
}

pub async fn print_welcome(db: &Db, public_url: &str) -> anyhow::Result<()> {
    let base = public_url.trim_end_matches('/');
    println!();
    println!("Hromada demo is running at {base}/");
    for c in communities::list(db).await? {
        println!("  {}: {base}/c/{}/", c.name_uk, c.slug);
    }
    println!();
    println!("Demo logins (password for all: {PASSWORD}):");
    println!("  platform operator    {OPERATOR:<26} at {base}/platform/login");
    for (email, _, role) in ACCOUNTS {
        let what = role.map(|r| r.code()).unwrap_or("resident");
        println!("  {what:<20} {email:<26} at {base}/c/{MAIN}/login");
    }
    println!("  ({SECOND} has admin@demo.hromada and resident@demo.hromada too)");
    println!();
    println!("Mail is not sent in demo mode: read it at {base}/c/{MAIN}/dev/mail");
    println!("Stop with Ctrl+C; the data stays in the data folder for the next start.");
    Ok(())
}
