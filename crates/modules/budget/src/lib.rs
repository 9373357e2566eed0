//! Participatory budget (громадський бюджет): a contest per edition run by the council's
//! regulation as data — categories with their money and voting rule, phases with dates,
//! eligibility — projects submitted with a cost breakdown and worked by the review commission,
//! ballots taken through the group-commit writer into a public verifiable chain, and winners
//! found live by the regulation's rule.
//!
//! [`domain`] holds the rules (pure and tested), [`store`] their storage and the ballot writer;
//! `web` and `admin` are the residents' and the commission's pages.

mod admin;
mod api;
mod authoring;
mod bot;
mod demo;
mod desk;
pub mod domain;
mod implementation;
pub mod paper;
pub mod results;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::{Db, GroupCommit, GroupCommitConfig, Migration, migration};
use hromada_kernel::{IdentityLevel, Lang, Permission};
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, GatedAction, Module, NavItem, SeedContext, SitemapEntry};
use hromada_web::state::AppStateBuilder;
use hromada_web::templates::TemplateSources;

/// The key under which this module keeps its tables.
pub const KEY: &str = "budget";

/// Submitting a project.
pub const SUBMIT: GatedAction =
    GatedAction { key: "budget.submit", label: "budget-gate-submit", default_level: IdentityLevel::Email };
/// Voting: one person, one ballot, so a verified person by default. A community whose
/// regulation allows a lower level gets one ballot per account at that level.
pub const VOTE: GatedAction =
    GatedAction { key: "budget.vote", label: "budget-gate-vote", default_level: IdentityLevel::Eid };

pub fn migrations() -> Vec<Migration> {
    vec![
        migration!(KEY, 1, "0001_budget"),
        migration!(KEY, 2, "0002_paper_and_implementation"),
        migration!(KEY, 3, "0003_supports"),
        migration!(KEY, 4, "0004_questionnaire_and_coauthors"),
    ]
}

pub struct Budget;

impl Module for Budget {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations()
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "budget",
            "index.html",
            "contest.html",
            "project.html",
            "project_form.html",
            "ballot.html",
            "voted.html",
            "results.html",
            "ballots.html",
            "admin.html",
            "contest_form.html",
            "review.html",
            "paper.html",
            "implementation.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![(Lang::Uk, include_str!("../locales/uk/budget.ftl")), (Lang::En, include_str!("../locales/en/budget.ftl"))]
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

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "budget-nav", path: "/budget" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection { label: "budget-admin-nav", path: "/admin/budget", permission: Permission::Moderate }]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![SUBMIT, VOTE]
    }

    fn start(&self, builder: &mut AppStateBuilder) {
        let (writer, task) = GroupCommit::spawn(builder.db.clone(), store::BallotWriter, GroupCommitConfig::default());
        builder.extension(writer);
        builder.tasks.push(task);
    }

    fn chat_flows(&self) -> Vec<std::sync::Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![std::sync::Arc::new(bot::BudgetInChat)]
    }

    fn sitemap<'a>(&'a self, db: &'a Db, community: &'a Community) -> BoxFuture<'a, anyhow::Result<Vec<SitemapEntry>>> {
        Box::pin(async move {
            let mut out = vec![SitemapEntry { path: "/budget".into(), modified: None }];
            for c in store::contests(db, community.id).await? {
                out.push(SitemapEntry { path: format!("/budget/{}", c.number), modified: None });
                for p in
                    store::projects(db, community.id, c.id, &["submitted", "admitted", "rejected", "returned"]).await?
                {
                    out.push(SitemapEntry { path: format!("/budget/projects/{}", p.number), modified: None });
                }
            }
            Ok(out)
        })
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move { Ok(vec![("budget-stat-review", store::count_in(db, community.id, "submitted").await?)]) })
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(demo::seed(ctx))
    }
}
