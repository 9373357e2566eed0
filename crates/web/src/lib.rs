//! The HTTP glue every Hromada module shares: tenant resolution, sessions and CSRF, templates
//! and translations, errors, security headers, rate limits, static assets and the module manifest.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod chat;
pub mod config;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod export;
pub mod forms;
pub mod i18n;
pub mod mail;
pub mod map;
pub mod markdown;
pub mod metrics;
pub mod module;
pub mod page;
pub mod rate_limit;
pub mod security;
pub mod site;
pub mod state;
pub mod templates;
pub mod tenant;

pub use config::{EidConfig, WebConfig};
pub use error::{AppError, AppResult};
pub use forms::FieldErrors;
pub use module::{AdminSection, GatedAction, Module, NavItem, SearchHit, SeedContext, SitemapEntry, Widget};
pub use page::{Flash, Page};
pub use state::AppState;
pub use tenant::Tenant;

pub use minijinja::context;
pub use minijinja::value::{Serde, Value};

/// The shell's own templates: the layout, the error page and the form macros.
pub fn shell_templates() -> templates::TemplateSources {
    vec![
        ("layout.html".into(), include_str!("../templates/layout.html").into()),
        ("error.html".into(), include_str!("../templates/error.html").into()),
        ("forms.html".into(), include_str!("../templates/forms.html").into()),
    ]
}

/// The shell's translations.
pub fn shell_locales() -> i18n::Locales {
    use hromada_kernel::Lang;
    vec![(Lang::Uk, include_str!("../locales/uk/shell.ftl")), (Lang::En, include_str!("../locales/en/shell.ftl"))]
}
