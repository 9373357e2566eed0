//! Open City: residents report public problems (a pothole, a dark street, an overflowing bin)
//! on the map or by address, with photos; a moderator publishes them, the department the
//! category and area route them to works them to a solution, and everyone can follow along.
//!
//! [`domain`] holds the rules (pure and tested), [`store`] their storage; `web` and `admin` are
//! the residents' and the officials' pages. The Open311 surface lives in its own crate and
//! uses [`intake`] to file reports the same way the web form does.

mod admin;
mod bot;
pub mod domain;
mod feeds;
mod files;
pub mod intake;
mod map;
pub mod notify;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::core::{settlements, users};
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{IdentityLevel, Lang, Permission};
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, GatedAction, Module, NavItem, SeedContext};
use hromada_web::templates::TemplateSources;

/// The key under which this module keeps its settings, tables and files.
pub const KEY: &str = "city";

/// Filing a report: a confirmed e-mail by default, so that the department can answer.
pub const REPORT: GatedAction =
    GatedAction { key: "city.report", label: "city-gate-report", default_level: IdentityLevel::Email };
/// "I have this too".
pub const SUPPORT: GatedAction =
    GatedAction { key: "city.support", label: "city-gate-support", default_level: IdentityLevel::Email };

pub fn migrations() -> Vec<Migration> {
    vec![migration!(KEY, 1, "0001_city")]
}

/// The stored form of an Open311 client's key: its SHA-256 (the key is random and long, so it
/// needs no salt or slow hash).
pub fn client_key_hash(key: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(key.as_bytes()).to_vec()
}

pub struct City;

impl Module for City {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations()
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "city",
            "list.html",
            "cta_block.html",
            "new.html",
            "show.html",
            "admin.html",
            "admin_report.html",
            "categories.html",
            "category.html",
            "category_fields.html",
            "clients.html",
            "settings.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![(Lang::Uk, include_str!("../locales/uk/city.ftl")), (Lang::En, include_str!("../locales/en/city.ftl"))]
    }

    fn routes(&self) -> axum::Router<hromada_web::AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<hromada_web::AppState> {
        admin::routes()
    }

    fn widgets(&self) -> Vec<hromada_web::Widget> {
        vec![hromada_web::Widget { key: "city.report", label: "city-widget", takes_choice: false }]
    }

    fn render_widget<'a>(
        &'a self,
        page: &'a hromada_web::Page,
        widget: &'a str,
        _choice: &'a str,
    ) -> futures::future::BoxFuture<'a, hromada_web::AppResult<Option<String>>> {
        Box::pin(async move {
            if widget != "city.report" {
                return Ok(None);
            }
            Ok(Some(page.fragment("city/cta_block.html", hromada_web::context! {})?))
        })
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "city-nav", path: "/city" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![
            AdminSection { label: "city-admin-nav", path: "/admin/city", permission: Permission::Moderate },
            AdminSection { label: "city-admin-work-nav", path: "/admin/city", permission: Permission::AnswerAppeals },
            AdminSection {
                label: "city-admin-categories",
                path: "/admin/city/categories",
                permission: Permission::ManageSettings,
            },
        ]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![REPORT, SUPPORT]
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        use domain::Status;
        Box::pin(async move {
            let c = community.id;
            Ok(vec![
                ("city-stat-moderation", store::count_in(db, c, Status::Moderation).await?),
                ("city-stat-new", store::count_in(db, c, Status::New).await?),
                (
                    "city-stat-in-work",
                    store::count_in(db, c, Status::Accepted).await?
                        + store::count_in(db, c, Status::InProgress).await?,
                ),
                ("city-stat-solved", store::count_in(db, c, Status::Solved).await?),
            ])
        })
    }

    fn chat_flows(&self) -> Vec<std::sync::Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![std::sync::Arc::new(bot::CityInChat)]
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let c = ctx.community;
            let now = ctx.clock.now();
            store::seed_default_categories(ctx.db, c.id, now).await?;
            let any = store::Filter { unpublished: true, ..Default::default() };
            if !store::list(ctx.db, c.id, &any, 1, 0).await?.is_empty() {
                return Ok(());
            }
            let Some(author) = users::by_email(ctx.db, c.id, "resident@demo.hromada").await? else { return Ok(()) };
            let settlement = settlements::list(ctx.db, c.id).await?.first().map(|s| s.id);
            let map = hromada_web::map::settings(c);
            let demo: &[(&str, &str, f64, f64, &str, bool)] = if ctx.main {
                &[
                    (
                        "pothole",
                        "Глибока яма на проїжджій частині біля зупинки «Ринок».",
                        0.002,
                        0.003,
                        "вул. Соборна, 12",
                        true,
                    ),
                    (
                        "lighting",
                        "Не світять три ліхтарі підряд уздовж парку, увечері дуже темно.",
                        -0.004,
                        0.001,
                        "вул. Паркова",
                        true,
                    ),
                    ("waste", "Контейнери біля будинку переповнені вже тиждень.", 0.001, -0.005, "вул. Миру, 3", false),
                ]
            } else {
                &[(
                    "greenery",
                    "Аварійне дерево нахилилося над дитячим майданчиком.",
                    0.0,
                    0.002,
                    "вул. Садова, 7",
                    true,
                )]
            };
            for (code, description, dlat, dlon, address, publish) in demo {
                let Some(category) = store::category_by_code(ctx.db, c.id, code).await? else { continue };
                let location = domain::Location {
                    point: hromada_kernel::GeoPoint::new(map.center_lat + dlat, map.center_lon + dlon),
                    settlement,
                    address: (*address).to_owned(),
                };
                let department = store::route(ctx.db, c.id, &category, &location).await?;
                let new = store::NewReport {
                    category: &category,
                    author_id: Some(author.id),
                    author_name: &author.full_name,
                    author_email: author.email.as_deref(),
                    description,
                    location: &location,
                    department,
                    answers: Default::default(),
                    source: "web",
                    api_client: None,
                    token: None,
                };
                let report = store::create(ctx.db, c.id, new, now).await?;
                if *publish {
                    let actor = store::Actor { id: None, name: "" };
                    store::step(ctx.db, c.id, report.id, domain::Action::Publish, &actor, "", now)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    hromada_media::store::set_public(ctx.db, c.id, KEY, &report.id.to_string(), true).await?;
                }
            }
            Ok(())
        })
    }
}
