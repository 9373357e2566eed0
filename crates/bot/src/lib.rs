//! The community's chatbot: one conversation engine for Telegram, Viber and the web chat.
//!
//! [`engine`] runs a conversation over the [`ChatFlow`]s the modules registered; [`telegram`]
//! speaks the Bot API; [`delivery`] sends queued replies within each channel's limits; `web`
//! holds the webhooks, the web chat and account linking. The engine imports no module: the app
//! hands it the flows from the modules' manifests.

mod admin;
pub mod broadcast;
pub mod delivery;
pub mod engine;
pub mod inbox;
pub mod menu;
pub mod notify;
pub mod photos;
pub mod setup;
pub mod store;
pub mod telegram;
pub mod viber;
mod web;

use engine::Engine;
use hromada_db::{Migration, migration};
use hromada_kernel::{Lang, Permission};
use hromada_web::chat::ChatFlow;
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, Module, NavItem};
use hromada_web::state::AppStateBuilder;
use hromada_web::templates::TemplateSources;
use std::sync::Arc;

pub const KEY: &str = "bot";

pub fn migrations() -> Vec<Migration> {
    vec![
        migration!(KEY, 1, "0001_bot"),
        migration!(KEY, 2, "0002_inbox"),
        migration!(KEY, 3, "0003_broadcasts"),
        migration!(KEY, 4, "0004_menu"),
    ]
}

/// The bot as a module, with the flows of the modules registered before it.
pub struct Bot {
    engine: Arc<Engine>,
}

impl Bot {
    pub fn new(flows: Vec<Arc<dyn ChatFlow>>) -> Self {
        Bot { engine: Arc::new(Engine::new(flows)) }
    }
}

impl Module for Bot {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations()
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "bot",
            "chat.html",
            "link.html",
            "admin.html",
            "inbox.html",
            "conversation.html",
            "canned.html",
            "broadcasts.html",
            "menu.html",
            "menu_buttons.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![(Lang::Uk, include_str!("../locales/uk/bot.ftl")), (Lang::En, include_str!("../locales/en/bot.ftl"))]
    }

    fn routes(&self) -> axum::Router<hromada_web::AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<hromada_web::AppState> {
        admin::routes()
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection { label: "bot-admin-title", path: "/admin/bot", permission: Permission::OperateBot }]
    }

    fn stats<'a>(
        &'a self,
        db: &'a hromada_db::Db,
        community: &'a hromada_db::core::communities::Community,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move { Ok(vec![("bot-admin-waiting", inbox::count_waiting(db, community.id).await?)]) })
    }

    fn seed_demo<'a>(
        &'a self,
        ctx: hromada_web::SeedContext<'a>,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let id = ctx.community.id;
            if !inbox::canned(ctx.db, id).await?.is_empty() {
                return Ok(());
            }
            let now = ctx.clock.now();
            let answers = [
                (
                    "Графік прийому ЦНАП",
                    "ЦНАП працює з понеділка по п’ятницю з 8:00 до 17:00, без перерви. Записатися можна на сайті громади.",
                ),
                (
                    "Відключення світла",
                    "Графіки відключень публікує обленерго; про аварійні відключення громада повідомляє в розсилці «Тривоги й надзвичайні події».",
                ),
                (
                    "Передано у відділ",
                    "Дякуємо! Ваше питання передано у профільний відділ; відповідь надійде в цей чат.",
                ),
            ];
            for (title, body) in answers {
                inbox::add_canned(ctx.db, id, title, body, now).await?;
            }
            Ok(())
        })
    }

    fn page_scripts(&self) -> Vec<&'static str> {
        vec!["chat.js"]
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "bot-nav", path: "/chat" }]
    }

    fn start(&self, builder: &mut AppStateBuilder) {
        builder.extension(self.engine.clone());
        builder.extension(menu::MenuCache::new(builder.config.cache_ttl));
        builder.extension(store::HookCache::new(builder.config.cache_ttl));
        builder.extension(engine::SiteCache::new(builder.config.cache_ttl));
        let (writer, task) = hromada_db::GroupCommit::spawn(
            builder.db.clone(),
            store::TurnWriter,
            hromada_db::GroupCommitConfig::default(),
        );
        builder.extension(writer);
        builder.tasks.push(task);
        let (delivery, task) = delivery::spawn(builder.db.clone(), builder.clock.clone());
        builder.extension(delivery);
        builder.tasks.push(task);
        builder.jobs.push(hromada_web::state::Job {
            name: "bot.purge",
            every: std::time::Duration::from_secs(3600),
            run: Arc::new(|state| {
                Box::pin(async move {
                    // Channels retry an update for a day at most.
                    store::purge_updates(&state.db, state.now() - chrono::Duration::days(2)).await?;
                    store::purge_links(&state.db, state.now()).await?;
                    Ok(())
                })
            }),
        });
    }
}
