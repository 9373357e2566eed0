//! The community's website constructor: a theme and a menu, pages built from blocks (the home
//! page is one of them) with drafts, scheduled publishing and a history to restore from; news
//! with categories, tags, scheduled publishing and feeds; a documents repository; a media
//! library; `sitemap.xml` and `robots.txt`.
//!
//! [`domain`] holds the rules (blocks, addresses, allowed video hosts), [`store`] the rows;
//! `web` and `feeds` are what residents and machines read, `admin*` what editors use.

mod admin;
mod admin_content;
mod admin_site;
pub mod domain;
mod feeds;
mod seed;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::{self, Community};
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{DomainEvent, Lang, Permission};
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, Module, NavItem, SeedContext};
use hromada_web::templates::TemplateSources;
use hromada_web::{AppResult, AppState, Page, Tenant};
use std::time::Duration;

/// The key under which this module keeps its tables and files.
pub const KEY: &str = "cms";

pub struct Cms;

impl Module for Cms {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![migration!(KEY, 1, "0001_site"), migration!(KEY, 2, "0002_search")]
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "cms",
            "page.html",
            "blocks.html",
            "news_list.html",
            "news.html",
            "documents.html",
            "document.html",
            "admin.html",
            "page_edit.html",
            "block_edit.html",
            "news_admin.html",
            "news_edit.html",
            "documents_admin.html",
            "media.html",
            "site.html",
            "search.html",
        )
    }

    fn locales(&self) -> Locales {
        vec![(Lang::Uk, include_str!("../locales/uk/cms.ftl")), (Lang::En, include_str!("../locales/en/cms.ftl"))]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<AppState> {
        admin::routes()
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "cms-news", path: "/news" }, NavItem { label: "cms-documents", path: "/documents" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![
            AdminSection { label: "cms-admin-pages", path: "/admin/cms", permission: Permission::EditContent },
            AdminSection { label: "cms-admin-news", path: "/admin/cms/news", permission: Permission::EditContent },
            AdminSection {
                label: "cms-admin-documents",
                path: "/admin/cms/documents",
                permission: Permission::EditContent,
            },
            AdminSection { label: "cms-admin-media", path: "/admin/cms/media", permission: Permission::EditContent },
            AdminSection { label: "cms-admin-site", path: "/admin/cms/site", permission: Permission::EditContent },
        ]
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move {
            let pages = store::pages(db, community.id).await?.len() as i64;
            let (_, news) = store::public_news(db, community.id, &Default::default(), chrono::Utc::now(), 1, 0).await?;
            Ok(vec![("cms-stat-pages", pages), ("cms-stat-news", news)])
        })
    }

    fn start(&self, builder: &mut hromada_web::state::AppStateBuilder) {
        builder.extension(web::RenderedPages::new(builder.config.cache_ttl));
        // Scheduled pages go live and scheduled news reach the chatbot's subscribers.
        builder.jobs.push(hromada_web::state::Job {
            name: "cms.scheduled",
            every: Duration::from_secs(30),
            run: std::sync::Arc::new(|state: AppState| {
                Box::pin(async move {
                    store::fold_scheduled(&state.db, state.now()).await?;
                    announce_due_news(&state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                    Ok(())
                })
            }),
        });
    }

    fn home_page<'a>(&'a self, page: &'a Page) -> BoxFuture<'a, AppResult<Option<axum::response::Response>>> {
        Box::pin(web::home(page))
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(seed::demo(ctx))
    }
}

/// Tells the app about every news item whose time has come and that was not announced yet;
/// the app passes it on to the chatbot.
pub async fn announce_due_news(state: &AppState) -> AppResult<()> {
    let now = state.now();
    loop {
        let due = store::take_unannounced(&state.db, now, 50).await?;
        if due.is_empty() {
            return Ok(());
        }
        for item in due {
            let Some(community) = communities::by_id(&state.db, item.community_id).await? else { continue };
            // An empty base: the community's own host when it has one, the installation's address otherwise.
            let tenant = Tenant { community, base: String::new() };
            let url = tenant.absolute_url(state, &format!("/news/{}", item.number)).await;
            let image = match item.cover {
                Some(c) => {
                    Some(tenant.absolute_url(state, &hromada_media::path(c, hromada_media::Variant::Display)).await)
                }
                None => None,
            };
            state
                .publish(DomainEvent::NewsPublished {
                    community: item.community_id,
                    news: item.id,
                    title: item.title_uk.clone(),
                    summary: item.summary_uk.clone(),
                    url,
                    image,
                    settlements: item.settlements.0.clone(),
                })
                .await;
        }
    }
}
