//! The platform core's pages: accounts and identity, the community's admin shell, the
//! platform operators' pages, the core API and the development mail page.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod dev;
pub mod eid;
pub mod home;
pub mod mail;
pub mod operators;

use axum::Router;
use axum::routing::get;
use hromada_kernel::Lang;
use hromada_web::AppState;
use hromada_web::i18n::Locales;
use hromada_web::templates::TemplateSources;

/// Pages of every community, before any module adds its own.
pub fn community_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .merge(accounts::routes())
        .merge(eid::routes())
        .merge(dev::routes())
        .nest("/admin", admin::routes())
}

/// Pages served when the request is for no community.
pub fn platform_routes() -> Router<AppState> {
    Router::new().route("/", get(operators::landing)).merge(operators::routes())
}

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        vec![$(($name.to_string(), include_str!(concat!("../templates/", $name)).to_string())),*]
    };
}

pub fn templates() -> TemplateSources {
    templates![
        "home.html",
        "account/login.html",
        "account/register.html",
        "account/profile.html",
        "account/forgot.html",
        "account/reset.html",
        "account/verify.html",
        "account/tokens.html",
        "account/delete.html",
        "account/dev_mail.html",
        "admin/layout.html",
        "admin/dashboard.html",
        "admin/users.html",
        "admin/user.html",
        "admin/departments.html",
        "admin/settlements.html",
        "admin/settings.html",
        "admin/audit.html",
        "platform/landing.html",
        "platform/login.html",
        "platform/dashboard.html",
        "platform/community.html",
    ]
}

/// Actions of the core that a community may gate by identity level.
pub const API_TOKENS: hromada_web::GatedAction = hromada_web::GatedAction {
    key: "account.api_tokens",
    label: "gate-api-tokens",
    default_level: hromada_kernel::IdentityLevel::Email,
};

pub fn gated_actions() -> Vec<hromada_web::GatedAction> {
    vec![API_TOKENS]
}

pub fn locales() -> Locales {
    vec![(Lang::Uk, include_str!("../locales/uk/platform.ftl")), (Lang::En, include_str!("../locales/en/platform.ftl"))]
}
