//! Citizens' appeals (звернення громадян) under the Law of Ukraine "On citizens' appeals": what
//! an appeal must contain, its registration number, the deadlines the law sets and the steps
//! of its handling.
//!
//! [`domain`] holds the rules, pure and tested, and [`store`] keeps appeals with their numbers,
//! dates and timeline; `web` is the residents' side (the form, their appeals, the public
//! dashboard), `admin` the officials' inbox, [`jobs`] the reminders and escalations.

mod admin;
mod bot;
pub mod domain;
mod files;
pub mod jobs;
pub mod notify;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::{self, Community};
use hromada_db::core::{holidays, settlements, users};
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{DomainEvent, IdentityLevel, Lang, Permission};
use hromada_web::AppState;
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, GatedAction, Module, NavItem, SeedContext};
use hromada_web::state::AppStateBuilder;
use hromada_web::templates::TemplateSources;
use notify::Notice;
use store::{Appeal, NewAppeal};

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "appeals";

/// Filing an appeal: the law asks for a name, an address and a contact, not an identity check,
/// so a confirmed e-mail by default; a community may ask for more.
pub const FILE: GatedAction =
    GatedAction { key: "appeals.file", label: "appeal-gate-file", default_level: IdentityLevel::Email };

pub fn migrations() -> Vec<Migration> {
    vec![migration!(KEY, 1, "0001_appeals"), migration!(KEY, 2, "0002_work")]
}

/// The author's page of an appeal: `/appeals/2026-000123`.
pub fn path(a: &Appeal) -> String {
    format!("/appeals/{}", reference(a))
}

/// The officials' page of an appeal.
pub fn admin_path(a: &Appeal) -> String {
    format!("/admin/appeals/{}", reference(a))
}

/// The registration number as it goes in a URL: year and running number, without the letter.
fn reference(a: &Appeal) -> String {
    format!("{}-{:06}", a.year, a.seq)
}

/// The year and running number of a URL's reference.
fn parse_reference(raw: &str) -> Option<(i64, i64)> {
    let (year, seq) = raw.split_once('-')?;
    Some((year.parse().ok()?, seq.parse().ok()?)).filter(|(y, s)| *y > 0 && *s > 0)
}

/// Registers the petition its author passed on as an appeal (art. 23-1): the petition's text
/// is its essence, the account's name and settlement its author's. Once per petition.
pub async fn take_passed_petition(state: &AppState, event: &DomainEvent) -> anyhow::Result<()> {
    let DomainEvent::PetitionPassedAsAppeal { community, petition, number, author, title, body, signatures, at } =
        event
    else {
        return Ok(());
    };
    let Some(c) = communities::by_id(&state.db, *community).await? else { return Ok(()) };
    let Some(user) = users::by_id(&state.db, c.id, *author).await? else { return Ok(()) };
    let settlement = settlements::home_name(&state.db, c.id, user.settlement_id).await?;
    let lang = Lang::parse(&user.lang).unwrap_or_default();
    let args = hromada_web::i18n::args_from_json(&serde_json::Map::from_iter([
        ("number".to_owned(), serde_json::json!(number)),
        ("title".to_owned(), serde_json::json!(title)),
        ("signatures".to_owned(), serde_json::json!(signatures)),
    ]));
    let essence = format!("{}\n\n{}", state.i18n.t_args(lang, "appeal-from-petition", Some(&args)), body);
    let new = NewAppeal {
        kind: domain::Kind::Proposal,
        author_id: user.id,
        full_name: &user.full_name,
        settlement: &settlement,
        street: "",
        contact: user.email.as_deref().or(user.phone.as_deref()).unwrap_or(""),
        essence: &essence,
        complaint_about: None,
        publish_consent: false,
        category: "other",
        submission_key: None,
        from_petition: Some(*petition),
    };
    let calendar = holidays::calendar(&state.db).await?;
    let registered = store::register(&state.db, c.id, &new, &calendar, *at).await?;
    if registered.new {
        notify::author(state, &c, &registered.appeal, Notice::Registered).await?;
        notify::administrators(state, &c, &registered.appeal, Notice::New).await?;
    }
    Ok(())
}

pub struct Appeals;

impl Module for Appeals {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations()
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "appeals",
            "index.html",
            "cta_block.html",
            "new.html",
            "show.html",
            "dashboard.html",
            "inbox.html",
            "work.html",
            "templates.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![
            (Lang::Uk, include_str!("../locales/uk/appeals.ftl")),
            (Lang::En, include_str!("../locales/en/appeals.ftl")),
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<AppState> {
        admin::routes()
    }

    fn widgets(&self) -> Vec<hromada_web::Widget> {
        vec![hromada_web::Widget { key: "appeals.write", label: "appeal-widget", takes_choice: false }]
    }

    fn render_widget<'a>(
        &'a self,
        page: &'a hromada_web::Page,
        widget: &'a str,
        _choice: &'a str,
    ) -> futures::future::BoxFuture<'a, hromada_web::AppResult<Option<String>>> {
        Box::pin(async move {
            if widget != "appeals.write" {
                return Ok(None);
            }
            Ok(Some(page.fragment("appeals/cta_block.html", hromada_web::context! {})?))
        })
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "appeal-nav", path: "/appeals" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection { label: "appeal-admin-nav", path: "/admin/appeals", permission: Permission::AnswerAppeals }]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![FILE]
    }

    fn start(&self, builder: &mut AppStateBuilder) {
        builder.jobs.push(hromada_web::state::Job {
            name: "appeals.reminders",
            every: std::time::Duration::from_secs(900),
            run: std::sync::Arc::new(|state| Box::pin(async move { jobs::remind(&state).await.map(|_| ()) })),
        });
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move { Ok(vec![("appeal-stat-open", store::count_open(db, community.id).await?)]) })
    }

    fn chat_flows(&self) -> Vec<std::sync::Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![std::sync::Arc::new(bot::AppealsInChat)]
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move { web::seed_demo(ctx).await })
    }
}
