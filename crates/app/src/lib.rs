//! The `hromada` program: settings, the module registry, the HTTP application, background
//! workers, demo content and the command line.

pub mod budget_cli;
pub mod cli;
pub mod demo;
pub mod mailer;
pub mod server;
pub mod services_cli;
pub mod settings;
pub mod transit_cli;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use hromada_db::{Db, Migration};
use hromada_kernel::Clock;
use hromada_web::module::Module;
use hromada_web::state::AppStateBuilder;
use hromada_web::tenant::{Surfaces, dispatch};
use hromada_web::{AppState, WebConfig};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;

/// The modules of this build, in the order their navigation appears. A new feature is one
/// more line here.
pub fn modules() -> Vec<Arc<dyn Module>> {
    let mut list: Vec<Arc<dyn Module>> = vec![
        Arc::new(hromada_about::About),
        Arc::new(hromada_petitions::Petitions),
        Arc::new(hromada_appeals::Appeals),
        Arc::new(hromada_consultations::Consultations),
        Arc::new(hromada_city::City),
        Arc::new(hromada_services::Services),
        Arc::new(hromada_booking::Booking),
        Arc::new(hromada_budget::Budget),
        Arc::new(hromada_transit::Transit),
        Arc::new(hromada_cms::Cms),
    ];
    // The chatbot meets the modules only through the chat flows their manifests give.
    let flows = list.iter().flat_map(|m| m.chat_flows()).collect();
    list.push(Arc::new(hromada_bot::Bot::new(flows)));
    list
}

/// The core's migrations, the shared uploads' tables, then each module's.
pub fn all_migrations(modules: &[Arc<dyn Module>]) -> Vec<Migration> {
    let mut all = hromada_db::migrate::core_migrations();
    all.extend(hromada_media::migrations());
    for m in modules {
        all.extend(m.migrations());
    }
    all
}

/// The application, ready to serve.
pub struct App {
    pub router: Router,
    pub state: AppState,
    /// Module writers; they finish their queues once the router and state are gone.
    pub tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Periodic jobs; they end when `stop` is sent.
    pub jobs: Vec<tokio::task::JoinHandle<()>>,
    pub stop: tokio::sync::watch::Sender<bool>,
}

/// Runs a job every so often until told to stop; a failure is logged and retried next time.
async fn schedule(job: hromada_web::state::Job, state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(job.every) => false,
            _ = stop.changed() => true,
        };
        // One last run on the way out, so that nothing noted in memory is lost.
        if let Err(e) = (job.run)(state.clone()).await {
            tracing::warn!(job = job.name, error = %e, "job failed");
        }
        if stopping {
            return;
        }
    }
}

/// Every translation of the build: the shell's, the platform's, the uploads' and each module's.
pub fn translations(modules: &[Arc<dyn Module>]) -> anyhow::Result<hromada_web::i18n::I18n> {
    let mut locales = vec![
        ("shell", hromada_web::shell_locales()),
        ("platform", hromada_platform::locales()),
        (hromada_media::KEY, hromada_media::locales()),
    ];
    locales.extend(modules.iter().map(|m| (m.key(), m.locales())));
    hromada_web::i18n::I18n::new(&locales)
}

/// Builds the whole application: translations, templates, state, and both surfaces (the
/// communities' and the platform's) behind tenant dispatch and the shared layers.
pub fn build(db: Db, config: WebConfig, clock: Arc<dyn Clock>, modules: Vec<Arc<dyn Module>>) -> anyhow::Result<App> {
    let mut templates = vec![hromada_web::shell_templates(), hromada_platform::templates()];
    templates.extend(modules.iter().map(|m| m.templates()));
    let i18n = Arc::new(translations(&modules)?);
    let templates = hromada_web::templates::Templates::new(&templates, config.theme_dir.as_deref(), i18n.clone())?;
    let demo = config.demo;
    let upload_limit = config.upload_limit.max(config.body_limit);

    let mut builder = AppStateBuilder::new(db, clock, config, templates, i18n);
    builder.gated_actions.extend(hromada_platform::gated_actions());
    for m in &modules {
        builder.nav.extend(m.nav());
        builder.page_scripts.extend(m.page_scripts());
        builder.admin_sections.extend(m.admin_sections());
        builder.gated_actions.extend(m.gated_actions());
    }
    builder.modules = modules.clone();
    for m in &modules {
        m.start(&mut builder);
    }
    builder.jobs.push(hromada_web::state::Job {
        name: "core.api_token_uses",
        every: std::time::Duration::from_secs(60),
        run: Arc::new(|state: AppState| Box::pin(async move { Ok(state.flush_token_uses().await?) })),
    });
    builder.jobs.push(hromada_web::state::Job {
        name: "media.purge_unattached",
        every: std::time::Duration::from_secs(3600),
        run: Arc::new(|state: AppState| {
            Box::pin(async move {
                // Files uploaded for a form that was never sent; a day is plenty to finish one.
                let before = state.now() - chrono::Duration::days(1);
                hromada_media::store::purge_unattached(&state.db, before).await?;
                Ok(())
            })
        }),
    });
    // A petition its author passed on becomes an appeal, and notices reach the chatbot: the
    // app joins the modules.
    builder.listeners.push(Arc::new(|state: AppState, event: hromada_kernel::DomainEvent| {
        Box::pin(async move {
            match &event {
                hromada_kernel::DomainEvent::PetitionPassedAsAppeal { .. } => {
                    hromada_appeals::take_passed_petition(&state, &event).await
                }
                // What residents are told by mail reaches their linked messenger chats too.
                hromada_kernel::DomainEvent::AccountsNotified { community, accounts, key, values } => {
                    hromada_bot::notify::linked_chats(&state, *community, accounts, key, values).await.map(|_| ())
                }
                // News from the site reach the chatbot's subscribers of the settlements it is for.
                hromada_kernel::DomainEvent::NewsPublished {
                    community,
                    title,
                    summary,
                    url,
                    image,
                    settlements,
                    ..
                } => {
                    hromada_bot::broadcast::news(&state, *community, title, summary, url, image.as_deref(), settlements)
                        .await
                        .map(|_| ())
                }
            }
        })
    }));
    let built = builder.build();
    let (state, tasks) = (built.state, built.tasks);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let jobs = built.jobs.into_iter().map(|job| tokio::spawn(schedule(job, state.clone(), stopped.clone()))).collect();

    // The API document covers the core's and every module's endpoints.
    let mut api = hromada_platform::api::community_api();
    for m in &modules {
        api = api.merge(m.api_routes());
    }
    let (community_api, doc) = hromada_platform::api::document(api);
    let (platform_api, _) = hromada_platform::api::document(hromada_platform::api::platform_api());
    let docs = hromada_platform::api::docs_routes(doc);

    let mut community = hromada_platform::community_routes()
        .merge(hromada_media::routes())
        .merge(community_api)
        .merge(docs.clone())
        .merge(hromada_open311::routes());
    for m in &modules {
        community = community.merge(m.routes()).nest(&format!("/admin/{}", m.key()), m.admin_routes());
    }
    let community = with_infrastructure(community)
        .layer(from_fn_with_state(state.clone(), hromada_web::auth::load_community_viewer))
        .layer(from_fn_with_state(state.clone(), hromada_web::csrf::protect))
        .with_state(state.clone());

    // Open311 on the platform's host too, for clients that name the community by `jurisdiction_id`.
    let mut platform =
        hromada_platform::platform_routes().merge(platform_api).merge(docs).merge(hromada_open311::routes());
    if demo {
        platform = platform.nest_service("/dev/eid", hromada_platform::eid::StubEid::demo().router());
    }
    let platform = with_infrastructure(platform)
        .layer(from_fn_with_state(state.clone(), hromada_web::auth::load_platform_viewer))
        .layer(from_fn_with_state(state.clone(), hromada_web::csrf::protect))
        .with_state(state.clone());

    let surfaces = Surfaces { community, platform };
    let communities = Router::new().fallback(dispatch).with_state((state.clone(), surfaces));
    let router = Router::new()
        // Assets and health checks are the same for every community (and must answer when the
        // database does not): no need to find a community first.
        .route("/static/{*path}", get(hromada_web::assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state.clone())
        .fallback_service(communities)
        // Extractors may read up to the larger bound; `limit_body` holds each request to its own.
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(from_fn_with_state(state.clone(), hromada_web::security::limit_body))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), hromada_web::page::render_errors))
        .layer(CompressionLayer::new())
        .layer(from_fn(hromada_web::security::headers))
        .layer(from_fn_with_state(state.clone(), hromada_web::security::observe));
    Ok(App { router, state, tasks, jobs, stop })
}

/// Health, readiness, metrics and static files, on every surface.
fn with_infrastructure(router: Router<AppState>) -> Router<AppState> {
    router
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/static/{*path}", get(hromada_web::assets::serve))
        .fallback(|| async { hromada_web::AppError::NotFound })
}

async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    let pending = hromada_db::core::outbox::pending_count(&state.db).await.unwrap_or(-1);
    let body = state.metrics.render(&[("hromada_outbox_pending", "Mail waiting to be sent.", pending)]);
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
