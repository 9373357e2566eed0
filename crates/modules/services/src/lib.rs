//! City services: the CNAP catalogue of administrative services with its offices, tiles for
//! services run elsewhere (the e-ticket, the school e-diary, Diia) and the public cameras.

mod admin;
mod api;
mod bot;
pub mod domain;
pub mod exchange;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{GeoPoint, Lang, Permission};
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, Module, NavItem, SearchHit, SeedContext, SitemapEntry, Widget};
use hromada_web::templates::TemplateSources;
use hromada_web::{AppResult, AppState, Page, context};
use std::sync::Arc;

pub struct Services;

/// The key under which this module keeps its tables and settings.
pub const KEY: &str = "services";

const TILES_WIDGET: &str = "services.tiles";
const OFFICES_WIDGET: &str = "services.offices";

impl Module for Services {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![migration!(KEY, 1, "0001_services")]
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "services",
            "index.html",
            "card.html",
            "offices.html",
            "cameras.html",
            "tiles_block.html",
            "offices_block.html",
            "admin.html",
            "card_form.html",
            "categories.html",
            "places.html",
            "import.html",
            "summary.html",
            "tiles_list.html",
            "admin_nav.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![
            (Lang::Uk, include_str!("../locales/uk/services.ftl")),
            (Lang::En, include_str!("../locales/en/services.ftl")),
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<AppState> {
        admin::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        api::routes()
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "services-nav", path: "/services" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection {
            label: "services-admin-nav",
            path: "/admin/services",
            permission: Permission::ManageServices,
        }]
    }

    fn widgets(&self) -> Vec<Widget> {
        vec![
            Widget { key: TILES_WIDGET, label: "services-widget-tiles", takes_choice: false },
            Widget { key: OFFICES_WIDGET, label: "services-widget-offices", takes_choice: false },
        ]
    }

    fn render_widget<'a>(
        &'a self,
        page: &'a Page,
        widget: &'a str,
        _choice: &'a str,
    ) -> BoxFuture<'a, AppResult<Option<String>>> {
        Box::pin(async move {
            let Some(tenant) = &page.tenant else { return Ok(None) };
            let db = &page.state.db;
            match widget {
                TILES_WIDGET => {
                    let tiles = web::tile_views(page, &store::tiles(db, tenant.community.id).await?);
                    if tiles.is_empty() {
                        return Ok(None);
                    }
                    Ok(Some(page.fragment("services/tiles_block.html", context! { tiles => tiles })?))
                }
                OFFICES_WIDGET => {
                    let offices = store::offices(db, tenant.community.id).await?;
                    if offices.is_empty() {
                        return Ok(None);
                    }
                    let list: Vec<_> = offices
                        .iter()
                        .map(|o| context! { name => o.name(page.lang), address => &o.address, hours => &o.hours, phone => &o.phone })
                        .collect();
                    Ok(Some(page.fragment("services/offices_block.html", context! { offices => list })?))
                }
                _ => Ok(None),
            }
        })
    }

    fn search<'a>(&'a self, page: &'a Page, query: &'a str, limit: i64) -> BoxFuture<'a, AppResult<Vec<SearchHit>>> {
        Box::pin(async move {
            let Some(tenant) = &page.tenant else { return Ok(vec![]) };
            let filter = store::CardFilter { query: Some(query.to_owned()), ..store::CardFilter::default() };
            Ok(store::cards(&page.state.db, tenant.community.id, &filter, limit)
                .await?
                .into_iter()
                .map(|c| SearchHit {
                    kind: "services-search-kind",
                    title: c.name(page.lang).to_owned(),
                    path: format!("/services/{}", c.number),
                    excerpt: hromada_kernel::text::excerpt(&format!("{} {}", c.result, c.term), 200),
                })
                .collect())
        })
    }

    fn sitemap<'a>(&'a self, db: &'a Db, community: &'a Community) -> BoxFuture<'a, anyhow::Result<Vec<SitemapEntry>>> {
        Box::pin(async move {
            let mut out = vec![
                SitemapEntry { path: "/services".into(), modified: None },
                SitemapEntry { path: "/services/offices".into(), modified: None },
            ];
            if !store::cameras(db, community.id).await?.is_empty() {
                out.push(SitemapEntry { path: "/services/cameras".into(), modified: None });
            }
            let cards = store::cards(db, community.id, &store::CardFilter::default(), 100_000).await?;
            out.extend(
                cards
                    .into_iter()
                    .map(|c| SitemapEntry { path: format!("/services/{}", c.number), modified: Some(c.updated_at) }),
            );
            Ok(out)
        })
    }

    fn chat_flows(&self) -> Vec<Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![Arc::new(bot::ServicesInChat)]
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move { Ok(vec![("services-stat-cards", store::count_published(db, community.id).await?)]) })
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(seed(ctx))
    }
}

/// A demo catalogue: the services a CNAP gives most, its offices, tiles and a camera.
async fn seed(ctx: SeedContext<'_>) -> anyhow::Result<()> {
    let c = ctx.community.id;
    if !store::offices(ctx.db, c).await?.is_empty() {
        return Ok(());
    }
    let map = hromada_web::map::settings(ctx.community);
    let near = |dlat: f64, dlon: f64| GeoPoint::new(map.center_lat + dlat, map.center_lon + dlon);
    let offices: &[(&str, &str, &str, &str, f64, f64)] = if ctx.main {
        &[
            (
                "cnap",
                "Центр надання адміністративних послуг",
                "вул. Центральна, 1",
                "Пн–Пт 8:00–17:00, Ср до 20:00",
                0.0,
                0.0,
            ),
            (
                "remote",
                "Віддалене робоче місце ЦНАП у Борівському",
                "вул. Шкільна, 4, с. Борівське",
                "Вт, Чт 9:00–15:00",
                0.03,
                -0.04,
            ),
            (
                "starosta",
                "Старостинський округ Воронове",
                "вул. Миру, 10, с. Воронове",
                "Пн–Пт 8:00–16:00",
                -0.05,
                0.02,
            ),
        ]
    } else {
        &[("cnap", "ЦНАП", "просп. Миру, 5", "Пн–Пт 8:00–16:00", 0.0, 0.0)]
    };
    for (kind, name, address, hours, dlat, dlon) in offices {
        let office = store::NewOffice {
            kind: (*kind).into(),
            name_uk: (*name).into(),
            name_en: None,
            address: (*address).into(),
            point: near(*dlat, *dlon),
            hours: (*hours).into(),
            phone: Some("+380 64 522 00 10".into()),
            email: None,
        };
        store::save_office(ctx.db, c, None, &office).await?;
    }
    let file = include_str!("../seed/catalogue.csv");
    let parsed = exchange::parse(file.as_bytes(), exchange::Format::Csv)
        .map_err(|p| anyhow::anyhow!("{}: {}", p.key, p.detail))?;
    let report = exchange::import(ctx.db, c, parsed, ctx.clock.now(), &mut |_, _| {}).await?;
    anyhow::ensure!(report.problems.is_empty(), "the demo catalogue has problems: {:?}", report.problems);
    let tiles: &[(&str, &str, &str, &str, &str)] = &[
        (
            "ticket",
            "Електронний квиток",
            "E-ticket",
            "Поповнити проїзний і купити квиток у транспорті громади.",
            "https://eticket.example.ua",
        ),
        (
            "school",
            "Електронний щоденник",
            "School e-diary",
            "Оцінки, розклад і домашні завдання школярів.",
            "https://e-journal.example.ua",
        ),
        ("diia", "Дія", "Diia", "Державні послуги онлайн.", "https://diia.gov.ua"),
    ];
    for (icon, title_uk, title_en, description, url) in tiles {
        let tile = store::NewTile {
            icon: (*icon).into(),
            title_uk: (*title_uk).into(),
            title_en: Some((*title_en).into()),
            description_uk: (*description).into(),
            description_en: None,
            url: (*url).into(),
            in_bot: true,
        };
        store::save_tile(ctx.db, c, None, &tile).await?;
    }
    if ctx.main {
        let camera = store::NewCamera {
            name_uk: "Центральна площа".into(),
            name_en: Some("Central square".into()),
            address: "пл. Центральна".into(),
            point: near(0.001, 0.001),
            snapshot_url: None,
            stream_url: Some("https://cameras.example.ua/central".into()),
            status: "online".into(),
        };
        store::save_camera(ctx.db, c, None, &camera).await?;
    }
    Ok(())
}
