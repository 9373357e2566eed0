//! About the community: how to reach the council, its people and its settlements.
//! The first module, and the example of how a module plugs in.

mod admin;
mod api;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{Lang, Permission};
use hromada_web::AppState;
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, Module, NavItem, SeedContext};
use hromada_web::templates::TemplateSources;

pub struct About;

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "about";

impl Module for About {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![migration!(KEY, 1, "0001_about"), migration!(KEY, 2, "0002_photo")]
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!("about", "index.html", "admin.html", "contacts_block.html")
    }

    fn locales(&self) -> Locales {
        vec![(Lang::Uk, include_str!("../locales/uk/about.ftl")), (Lang::En, include_str!("../locales/en/about.ftl"))]
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

    fn widgets(&self) -> Vec<hromada_web::Widget> {
        vec![hromada_web::Widget { key: "about.contacts", label: "about-widget", takes_choice: false }]
    }

    fn render_widget<'a>(
        &'a self,
        page: &'a hromada_web::Page,
        widget: &'a str,
        _choice: &'a str,
    ) -> futures::future::BoxFuture<'a, hromada_web::AppResult<Option<String>>> {
        Box::pin(async move {
            if widget != "about.contacts" {
                return Ok(None);
            }
            let Some(tenant) = &page.tenant else { return Ok(None) };
            let contacts: Vec<_> = store::list(&page.state.db, tenant.community.id)
                .await?
                .iter()
                .map(|c| web::contact_view(page, c))
                .collect();
            Ok(Some(page.fragment("about/contacts_block.html", hromada_web::context! { contacts => contacts })?))
        })
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "about-nav", path: "/about" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection { label: "about-admin-nav", path: "/admin/about", permission: Permission::EditContent }]
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move { Ok(vec![("about-stat-contacts", store::list(db, community.id).await?.len() as i64)]) })
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let id = ctx.community.id;
            if !store::list(ctx.db, id).await?.is_empty() {
                return Ok(());
            }
            let people: &[(&str, &str, &str, &str, &str)] = if ctx.main {
                &[
                    ("Олександр Струк", "Міський голова", "Mayor", "+380 64 522 00 01", "Пн, 10:00–12:00"),
                    (
                        "Ірина Коваль",
                        "Секретар міської ради",
                        "Secretary of the council",
                        "+380 64 522 00 02",
                        "Вт, 14:00–16:00",
                    ),
                    (
                        "Центр надання адміністративних послуг",
                        "ЦНАП",
                        "Administrative services centre (CNAP)",
                        "+380 64 522 00 10",
                        "Пн–Пт, 8:00–17:00",
                    ),
                    ("Гаряча лінія громади", "Цілодобово", "Hotline, round the clock", "1580", ""),
                ]
            } else {
                &[
                    ("Микола Ткаченко", "Міський голова", "Mayor", "+380 46 322 11 01", "Ср, 10:00–12:00"),
                    (
                        "ЦНАП",
                        "Центр надання адміністративних послуг",
                        "Administrative services centre",
                        "+380 46 322 11 10",
                        "Пн–Пт, 8:00–16:00",
                    ),
                ]
            };
            for (name, role_uk, role_en, phone, hours) in people {
                let contact = store::NewContact {
                    name: (*name).into(),
                    role_uk: (*role_uk).into(),
                    role_en: Some((*role_en).into()),
                    phone: Some((*phone).into()),
                    email: None,
                    reception_hours: Some((*hours).into()).filter(|h: &String| !h.is_empty()),
                    photo: None,
                };
                store::create(ctx.db, id, &contact).await?;
            }
            Ok(())
        })
    }
}
