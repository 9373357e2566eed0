//! E-petitions to the local council (Law of Ukraine "On citizens' appeals", art. 23-1).
//!
//! [`domain`] holds the rules (pure and tested), [`store`] their storage and the group-commit
//! signature writer; `web` and `admin` are the residents' and the officials' pages.

mod admin;
mod api;
mod bot;
pub mod domain;
mod files;
pub mod jobs;
pub mod notify;
mod open_data;
pub mod store;
mod web;
mod widgets;

use domain::{Action, Rules};
use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::core::{holidays, users};
use hromada_db::{Db, GroupCommit, GroupCommitConfig, Migration, migration};
use hromada_kernel::{IdentityLevel, Lang, Permission};
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, GatedAction, Module, NavItem, SeedContext};
use hromada_web::state::AppStateBuilder;
use hromada_web::templates::TemplateSources;

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "petitions";

/// Writing a petition; the law lets the statute decide who may.
pub const CREATE: GatedAction =
    GatedAction { key: "petitions.create", label: "petition-gate-create", default_level: IdentityLevel::Eid };
/// Signing: one person, one signature, so a verified person by default.
pub const SIGN: GatedAction =
    GatedAction { key: "petitions.sign", label: "petition-gate-sign", default_level: IdentityLevel::Eid };

pub fn migrations() -> Vec<Migration> {
    vec![
        migration!(KEY, 1, "0001_petitions"),
        migration!(KEY, 2, "0002_search"),
        migration!(KEY, 3, "0003_sign_networks"),
        migration!(KEY, 4, "0004_list_indexes"),
    ]
}

/// Petitions by `(community, number)` as this node last read them; see [`store::changes`].
pub(crate) type PetitionCache = hromada_web::cache::TtlMap<(hromada_kernel::CommunityId, i64), store::Petition>;

/// A petition by its number, from this node's cache when nothing changed since it was read.
/// Its signature count may lag by the cache's lifetime; the writer checks the state itself.
pub(crate) async fn petition_by_number(
    state: &hromada_web::AppState,
    community: hromada_kernel::CommunityId,
    number: i64,
) -> Result<Option<store::Petition>, hromada_db::DbError> {
    let cache = state.extension::<PetitionCache>();
    let key = (community, number);
    if let Some(hit) = cache.and_then(|c| c.get(&key, store::changes())) {
        return Ok(Some(hit));
    }
    let generation = store::changes();
    let found = store::by_number(&state.db, community, number).await?;
    if let (Some(cache), Some(p)) = (cache, &found) {
        cache.put(key, p.clone(), generation, store::changes());
    }
    Ok(found)
}

/// The community's petition rules: its statute settings over the defaults.
pub fn rules_of(community: &Community) -> Rules {
    serde_json::from_value::<Rules>(community.statute_of(KEY).clone())
        .ok()
        .filter(|r| r.validate().is_ok())
        .unwrap_or_default()
}

pub struct Petitions;

impl Module for Petitions {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations()
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "petitions",
            "list.html",
            "latest_block.html",
            "new.html",
            "show.html",
            "signed.html",
            "signatures.html",
            "admin.html",
            "settings.html",
            "print.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![
            (Lang::Uk, include_str!("../locales/uk/petitions.ftl")),
            (Lang::En, include_str!("../locales/en/petitions.ftl")),
        ]
    }

    fn routes(&self) -> axum::Router<hromada_web::AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<hromada_web::AppState> {
        admin::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<hromada_web::AppState> {
        api::routes()
    }

    fn widgets(&self) -> Vec<hromada_web::Widget> {
        widgets::list()
    }

    fn render_widget<'a>(
        &'a self,
        page: &'a hromada_web::Page,
        widget: &'a str,
        _choice: &'a str,
    ) -> BoxFuture<'a, hromada_web::AppResult<Option<String>>> {
        Box::pin(widgets::render(page, widget))
    }

    fn search<'a>(
        &'a self,
        page: &'a hromada_web::Page,
        query: &'a str,
        limit: i64,
    ) -> BoxFuture<'a, hromada_web::AppResult<Vec<hromada_web::SearchHit>>> {
        Box::pin(widgets::search(page, query, limit))
    }

    fn sitemap<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<hromada_web::SitemapEntry>>> {
        Box::pin(widgets::sitemap(db, community.id))
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "petition-nav", path: "/petitions" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection { label: "petition-admin-nav", path: "/admin/petitions", permission: Permission::Moderate }]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![CREATE, SIGN]
    }

    fn start(&self, builder: &mut AppStateBuilder) {
        let (writer, task) =
            GroupCommit::spawn(builder.db.clone(), store::SignatureWriter, GroupCommitConfig::default());
        builder.extension(writer);
        builder.extension(PetitionCache::new(builder.config.cache_ttl));
        builder.tasks.push(task);
        builder.jobs.push(hromada_web::state::Job {
            name: "petitions.close_ended_collections",
            every: std::time::Duration::from_secs(300),
            run: std::sync::Arc::new(|state| {
                Box::pin(async move { jobs::close_ended_collections(&state).await.map(|_| ()) })
            }),
        });
    }

    fn chat_flows(&self) -> Vec<std::sync::Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![std::sync::Arc::new(bot::PetitionsInChat)]
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move {
            Ok(vec![
                ("petition-stat-moderation", store::count_in(db, community.id, "submitted").await?),
                ("petition-stat-collecting", store::count_in(db, community.id, "collecting").await?),
                ("petition-stat-consideration", store::count_in(db, community.id, "under_consideration").await?),
            ])
        })
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let c = ctx.community;
            if !store::list_filtered(ctx.db, c.id, &store::ListFilter::default(), 1, 0).await?.is_empty() {
                return Ok(());
            }
            let Some(author) = users::by_email(ctx.db, c.id, "resident@demo.hromada").await? else { return Ok(()) };
            let rules = rules_of(c);
            let calendar = holidays::calendar(ctx.db).await?;
            let now = ctx.clock.now();
            let demo: &[(&str, &str, &str, &[Action])] = if ctx.main {
                &[
                    (
                        "Відновити вуличне освітлення на вулиці Гагаріна",
                        "Після обстрілів на вулиці Гагаріна не працює жоден ліхтар. Вечорами там ходять діти зі школи № 5 \
                         та люди похилого віку. Просимо відновити освітлення і перейти на енергоощадні світильники з \
                         живленням від сонячних панелей, щоб світло було і під час відключень.",
                        "roads",
                        &[Action::Submit, Action::Publish],
                    ),
                    (
                        "Облаштувати укриття в дитячому садку «Сонечко»",
                        "Підвальне приміщення садка не відповідає вимогам до укриттів: немає вентиляції, запасного виходу \
                         й освітлення. Просимо передбачити кошти в бюджеті громади на облаштування укриття до початку \
                         навчального року.",
                        "education",
                        &[Action::Submit],
                    ),
                ]
            } else {
                &[(
                    "Встановити контейнери для роздільного збору сміття",
                    "Пропонуємо встановити біля кожного багатоквартирного будинку контейнери для скла, пластику та паперу \
                     й укласти договір з переробником, щоб менше відходів потрапляло на полігон.",
                    "environment",
                    &[Action::Submit, Action::Publish],
                )]
            };
            for (title, body, category, steps) in demo {
                let new =
                    store::NewPetition { author_id: author.id, author_name: &author.full_name, title, body, category };
                let p = store::create_draft(ctx.db, c.id, new, &rules, now).await?;
                for step in steps.iter() {
                    store::step(ctx.db, c.id, p.id, *step, None, "", &calendar, now)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                }
            }
            Ok(())
        })
    }
}
