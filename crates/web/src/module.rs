//! The module manifest: how a feature plugs into Hromada. The app holds an explicit list of
//! modules and asks each for its routes, tables, templates, translations and demo content.

use crate::i18n::Locales;
use crate::state::AppState;
use crate::templates::TemplateSources;
use axum::Router;
use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::{Db, Migration};
use hromada_kernel::{Clock, IdentityLevel};
use std::sync::Arc;

/// A module's templates, embedded from its crate's `templates/` folder and named under its key:
/// `module_templates!("petitions", "list.html", "show.html")` gives `petitions/list.html`, ….
#[macro_export]
macro_rules! module_templates {
    ($prefix:literal, $($name:literal),+ $(,)?) => {
        vec![$((
            concat!($prefix, "/", $name).to_string(),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $name)).to_string(),
        )),+]
    };
}

/// A link in the community's public navigation.
#[derive(Debug, Clone, Copy)]
pub struct NavItem {
    /// Translation key of the label.
    pub label: &'static str,
    /// Path inside the community, e.g. `/about`.
    pub path: &'static str,
}

/// A section of `/admin` a module adds.
#[derive(Debug, Clone, Copy)]
pub struct AdminSection {
    pub label: &'static str,
    /// Path under `/admin`, e.g. `/admin/about`.
    pub path: &'static str,
    /// Who sees it.
    pub permission: hromada_kernel::Permission,
}

/// An action a community may gate by identity level (sign a petition, vote, file an appeal).
#[derive(Debug, Clone, Copy)]
pub struct GatedAction {
    /// `module.action`, e.g. `petitions.sign`.
    pub key: &'static str,
    pub label: &'static str,
    pub default_level: IdentityLevel,
}

/// A block a module offers to the site's pages: the latest petitions, a quick poll, a survey,
/// the officials directory, a call to write an appeal.
#[derive(Debug, Clone, Copy)]
pub struct Widget {
    /// `module.widget`, e.g. `consultations.survey`; what a page's block stores.
    pub key: &'static str,
    /// Translation key of its name in the page editor.
    pub label: &'static str,
    /// Whether the editor picks one item for it (which survey); the module lists them through
    /// [`Module::widget_choices`].
    pub takes_choice: bool,
}

/// A public address for `sitemap.xml`.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    /// Path inside the community, e.g. `/petitions/12`.
    pub path: String,
    pub modified: Option<chrono::DateTime<chrono::Utc>>,
}

/// A public item of a module that the site search found.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// Translation key of what it is ("Petition").
    pub kind: &'static str,
    pub title: String,
    /// Path inside the community.
    pub path: String,
    pub excerpt: String,
}

/// What demo seeding gets to work with.
pub struct SeedContext<'a> {
    pub db: &'a Db,
    pub clock: Arc<dyn Clock>,
    pub community: &'a Community,
    /// Whether this is the main demo community (more content) or the smaller second one.
    pub main: bool,
}

pub trait Module: Send + Sync + 'static {
    /// Short stable key: owner of tables, template prefix, statute settings key.
    fn key(&self) -> &'static str;

    fn migrations(&self) -> Vec<Migration> {
        vec![]
    }

    fn templates(&self) -> TemplateSources {
        vec![]
    }

    fn locales(&self) -> Locales {
        vec![]
    }

    /// Public pages of a community.
    fn routes(&self) -> Router<AppState> {
        Router::new()
    }

    /// Pages under `/admin/{key}`, for officials.
    fn admin_routes(&self) -> Router<AppState> {
        Router::new()
    }

    /// JSON endpoints under `/api/v1`, with their OpenAPI description.
    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        utoipa_axum::router::OpenApiRouter::new()
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![]
    }

    /// Static scripts (names under the shared assets) loaded, deferred, on every page of a
    /// community: a widget such as the chat launcher. Every page works without them.
    fn page_scripts(&self) -> Vec<&'static str> {
        vec![]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![]
    }

    /// Figures for the admin dashboard: `(translation key, value)`.
    fn stats<'a>(
        &'a self,
        _db: &'a Db,
        _community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async { Ok(vec![]) })
    }

    /// Starts what the module needs while the app runs (a group-commit writer, a client) and
    /// hands it to handlers through [`crate::state::AppStateBuilder::extension`]. Background
    /// tasks pushed to `builder.tasks` are awaited at shutdown, after the last request.
    fn start(&self, _builder: &mut crate::state::AppStateBuilder) {}

    /// A block for the community's home page (a quick poll, say), as HTML the module rendered
    /// with its own template ([`crate::Page::fragment`]); `None` when it has nothing to show.
    fn home_block<'a>(&'a self, _page: &'a crate::Page) -> BoxFuture<'a, crate::AppResult<Option<String>>> {
        Box::pin(async { Ok(None) })
    }

    /// Blocks the module offers to the site's pages.
    fn widgets(&self) -> Vec<Widget> {
        vec![]
    }

    /// The items an editor may pick for a widget that takes one: `(value, label)`.
    fn widget_choices<'a>(
        &'a self,
        _page: &'a crate::Page,
        _widget: &'a str,
    ) -> BoxFuture<'a, crate::AppResult<Vec<(String, String)>>> {
        Box::pin(async { Ok(vec![]) })
    }

    /// One of the module's widgets as HTML, for a site page; `None` when there is nothing to
    /// show (the survey closed, say) or the widget is not this module's.
    fn render_widget<'a>(
        &'a self,
        _page: &'a crate::Page,
        _widget: &'a str,
        _choice: &'a str,
    ) -> BoxFuture<'a, crate::AppResult<Option<String>>> {
        Box::pin(async { Ok(None) })
    }

    /// The community's whole home page, when this module builds it (the site constructor).
    fn home_page<'a>(
        &'a self,
        _page: &'a crate::Page,
    ) -> BoxFuture<'a, crate::AppResult<Option<axum::response::Response>>> {
        Box::pin(async { Ok(None) })
    }

    /// The module's public items that have every word of a site search query, best first.
    fn search<'a>(
        &'a self,
        _page: &'a crate::Page,
        _query: &'a str,
        _limit: i64,
    ) -> BoxFuture<'a, crate::AppResult<Vec<SearchHit>>> {
        Box::pin(async { Ok(vec![]) })
    }

    /// The module's public addresses for `sitemap.xml`.
    fn sitemap<'a>(
        &'a self,
        _db: &'a Db,
        _community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<SitemapEntry>>> {
        Box::pin(async { Ok(vec![]) })
    }

    /// The module's tasks in the community's chatbot.
    fn chat_flows(&self) -> Vec<Arc<dyn crate::chat::ChatFlow>> {
        vec![]
    }

    /// Demo content for a community.
    fn seed_demo<'a>(&'a self, _ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// The identity level a community demands for an action: its statute setting, or the module's default.
pub fn required_level(community: &Community, action: &GatedAction) -> IdentityLevel {
    community
        .statute_of("identity")
        .get(action.key)
        .and_then(|v| v.as_str())
        .and_then(IdentityLevel::parse)
        .unwrap_or(action.default_level)
}

/// Refuses the action unless the account has the identity level the community demands for it.
pub fn require_level(
    viewer: &crate::auth::Viewer,
    community: &Community,
    action: &GatedAction,
) -> Result<(), crate::AppError> {
    viewer.require_user()?;
    let needed = required_level(community, action);
    if viewer.identity_level().satisfies(needed) { Ok(()) } else { Err(crate::AppError::IdentityRequired(needed)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_db::sqlx::types::Json;

    fn community(statute: serde_json::Value) -> Community {
        Community {
            id: hromada_kernel::new_id(),
            slug: "t".into(),
            name_uk: "Т".into(),
            name_en: None,
            coat_of_arms: None,
            contacts: Json(Default::default()),
            statute: Json(statute),
            enabled: true,
            created_at: chrono::Utc::now(),
        }
    }

    const SIGN: GatedAction = GatedAction { key: "petitions.sign", label: "x", default_level: IdentityLevel::Email };

    #[test]
    fn the_statute_overrides_the_modules_default() {
        assert_eq!(required_level(&community(serde_json::json!({})), &SIGN), IdentityLevel::Email);
        let strict = community(serde_json::json!({ "identity": { "petitions.sign": "eid" } }));
        assert_eq!(required_level(&strict, &SIGN), IdentityLevel::Eid);
        let nonsense = community(serde_json::json!({ "identity": { "petitions.sign": "royal" } }));
        assert_eq!(required_level(&nonsense, &SIGN), IdentityLevel::Email);
    }
}
