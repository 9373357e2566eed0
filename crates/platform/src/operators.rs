//! The platform's own pages: the landing page listing communities, and `/platform` where
//! operators create communities, map their hosts, switch them off and on, and add operators.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Duration;
use hromada_db::DbError;
use hromada_db::core::audit::{self, Actor};
use hromada_db::core::communities::{self, Contacts, NewCommunity};
use hromada_db::core::operators::{self, Operator};
use hromada_db::core::sessions;
use hromada_web::auth::{self, Viewer};
use hromada_web::forms::FieldErrors;
use hromada_web::page::safe_next;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, context, cookies};
use serde::Deserialize;
use uuid::Uuid;

use crate::accounts::{LOCK_MINUTES, MAX_FAILED_LOGINS};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/platform/login", get(login_form).post(login))
        .route("/platform/logout", post(logout))
        .route("/platform", get(dashboard))
        .route("/platform/communities", post(create_community))
        .route("/platform/communities/{id}", get(community_page))
        .route("/platform/communities/{id}/hosts", post(add_host))
        .route("/platform/communities/{id}/hosts/remove", post(remove_host))
        .route("/platform/communities/{id}/enabled", post(set_enabled))
        .route("/platform/operators", post(create_operator))
        .merge(crate::accounts::lang_routes())
}

fn actor(op: &Operator) -> Actor {
    Actor { kind: "operator", id: Some(op.id), label: op.full_name.clone() }
}

/// A community's address: its primary host when it has one, `/c/{slug}/` otherwise.
async fn community_link(state: &AppState, id: Uuid, slug: &str) -> String {
    match communities::primary_host(&state.db, id).await {
        Ok(Some(host)) => {
            let scheme = if state.config.secure_cookies { "https" } else { "http" };
            format!("{scheme}://{host}/")
        }
        _ => format!("/c/{slug}/"),
    }
}

pub async fn landing(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    let mut rows = vec![];
    for c in communities::list(&state.db).await?.into_iter().filter(|c| c.enabled) {
        let href = community_link(&state, c.id, &c.slug).await;
        rows.push(context! { name => c.name(page.lang), href => href, arms => &c.coat_of_arms });
    }
    page.render("platform/landing.html", context! { communities => rows })
}

#[derive(Debug, Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login_form(page: Page) -> AppResult<Response> {
    page.render("platform/login.html", context! { email => "", failed => false })
}

async fn login(State(state): State<AppState>, page: Page, Form(form): Form<LoginForm>) -> AppResult<Response> {
    let email = hromada_db::core::users::normalize_email(&form.email);
    if !state.limiter.hit(
        &format!("platform-login:{email}"),
        MAX_FAILED_LOGINS as u32 * 2,
        std::time::Duration::from_secs(LOCK_MINUTES as u64 * 60),
    ) {
        return Err(AppError::TooManyRequests);
    }
    let op = operators::by_email(&state.db, &email).await?;
    let now = state.now();
    if op.as_ref().and_then(|o| o.locked_until).is_some_and(|t| t > now) {
        return Err(AppError::TooManyRequests);
    }
    let ok = auth::verify_password(op.as_ref().map(|o| o.password_hash.clone()), form.password).await;
    let Some(op) = op.filter(|_| ok) else {
        if let Some(o) = operators::by_email(&state.db, &email).await? {
            operators::record_failed_login(&state.db, o.id, MAX_FAILED_LOGINS, now + Duration::minutes(LOCK_MINUTES))
                .await?;
        }
        return page.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "platform/login.html",
            context! { email => form.email, failed => true },
        );
    };
    operators::reset_failed_logins(&state.db, op.id).await?;
    let token = auth::new_token();
    sessions::create(
        &state.db,
        &auth::hash_token(&token),
        sessions::Holder::Operator(op.id),
        now,
        now + Duration::days(1),
    )
    .await?;
    let mut response =
        page.redirect_with(&safe_next(form.next.as_deref(), "/platform"), Flash::success("flash-signed-in"));
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookies::SESSION, &token, "/", Some(86400), state.config.secure_cookies),
    );
    Ok(response)
}

async fn logout(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    if let Some(hash) = &page.viewer.session_hash {
        sessions::delete(&state.db, hash).await?;
    }
    let mut response = page.redirect_with("/", Flash::info("flash-signed-out"));
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookies::remove(cookies::SESSION, "/", state.config.secure_cookies));
    Ok(response)
}

#[derive(Debug, Deserialize, Default)]
pub struct CommunityForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
}

/// Slugs are lowercase Latin letters, digits and hyphens, 2–63 characters.
pub fn valid_slug(slug: &str) -> bool {
    (2..=63).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// Host names: letters, digits, hyphens and dots, as DNS allows.
pub fn valid_host(host: &str) -> bool {
    (1..=253).contains(&host.len())
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

async fn dashboard(State(state): State<AppState>, page: Page, viewer: Viewer) -> AppResult<Response> {
    viewer.require_operator()?;
    render_dashboard(&state, &page, &CommunityForm::default(), &FieldErrors::new(), StatusCode::OK).await
}

async fn render_dashboard(
    state: &AppState,
    page: &Page,
    form: &CommunityForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let mut rows = vec![];
    for c in communities::list(&state.db).await? {
        let hosts: Vec<String> = communities::hosts(&state.db, c.id).await?.into_iter().map(|h| h.host).collect();
        rows.push(context! { id => c.id.to_string(), name => &c.name_uk, slug => &c.slug, enabled => c.enabled, hosts => hosts });
    }
    let ops = operators::list(&state.db).await?;
    let entries = audit::list(&state.db, None, &audit::Filter::default(), 20, 0).await?;
    page.render_status(
        status,
        "platform/dashboard.html",
        context! {
            communities => rows,
            operators => Serde(&ops),
            audit => Serde(&entries),
            form => context! { slug => &form.slug, name_uk => &form.name_uk, name_en => &form.name_en },
            errors => Serde(errors),
        },
    )
}

async fn create_community(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Form(form): Form<CommunityForm>,
) -> AppResult<Response> {
    let op = viewer.require_operator()?;
    let mut errors = FieldErrors::new();
    let slug = form.slug.trim().to_ascii_lowercase();
    if !valid_slug(&slug) {
        errors.add("slug", "invalid-slug");
    }
    if !(2..=300).contains(&form.name_uk.trim().chars().count()) {
        errors.add("name_uk", "invalid-name_uk");
    }
    if errors.is_empty() {
        let new = NewCommunity {
            slug: slug.clone(),
            name_uk: form.name_uk.trim().into(),
            name_en: Some(form.name_en.trim().to_owned()).filter(|n| !n.is_empty()),
            coat_of_arms: None,
            contacts: Contacts::default(),
        };
        match communities::create(&state.db, new, state.now()).await {
            Ok(c) => {
                state.audit(Some(c.id), &actor(op), "community.create", "community", c.id, &c.slug).await?;
                return Ok(
                    page.redirect_with(&format!("/platform/communities/{}", c.id), Flash::success("flash-saved"))
                );
            }
            Err(DbError::Unique(_)) => errors.add("slug", "slug-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    render_dashboard(&state, &page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn community_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require_operator()?;
    render_community(&state, &page, id, &FieldErrors::new(), StatusCode::OK).await
}

async fn render_community(
    state: &AppState,
    page: &Page,
    id: Uuid,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let c = communities::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let hosts = communities::hosts(&state.db, id).await?;
    let link = community_link(state, c.id, &c.slug).await;
    let filter = audit::Filter::default();
    let entries = audit::list(&state.db, Some(id), &filter, 20, 0).await?;
    page.render_status(
        status,
        "platform/community.html",
        context! {
            c => context! { id => c.id.to_string(), name_uk => &c.name_uk, name_en => &c.name_en, slug => &c.slug, enabled => c.enabled, link => link },
            hosts => Serde(&hosts),
            audit => Serde(&entries),
            errors => Serde(errors),
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct HostForm {
    #[serde(default)]
    host: String,
    #[serde(default)]
    primary: Option<String>,
}

async fn add_host(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Path(id): Path<Uuid>,
    Form(form): Form<HostForm>,
) -> AppResult<Response> {
    let op = viewer.require_operator()?;
    communities::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let host = form.host.trim().to_ascii_lowercase();
    let mut errors = FieldErrors::new();
    if !valid_host(&host) {
        errors.add("host", "invalid-host");
    } else {
        let primary = form.primary.is_some();
        let result = if primary {
            communities::set_primary_host(&state.db, id, &host).await
        } else {
            communities::add_alias_host(&state.db, id, &host).await
        };
        match result {
            Ok(()) => {
                let action = if primary { "community.host_primary" } else { "community.host_alias" };
                state.audit(Some(id), &actor(op), action, "community", id, &host).await?;
                return Ok(page.redirect_with(&format!("/platform/communities/{id}"), Flash::success("flash-saved")));
            }
            Err(DbError::Unique(_)) => errors.add("host", "host-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    render_community(&state, &page, id, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn remove_host(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Path(id): Path<Uuid>,
    Form(form): Form<HostForm>,
) -> AppResult<Response> {
    let op = viewer.require_operator()?;
    if communities::remove_host(&state.db, id, form.host.trim()).await? {
        state.audit(Some(id), &actor(op), "community.host_remove", "community", id, form.host.trim()).await?;
    }
    Ok(page.redirect_with(&format!("/platform/communities/{id}"), Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize, Default)]
pub struct EnabledForm {
    #[serde(default)]
    enabled: String,
}

async fn set_enabled(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Path(id): Path<Uuid>,
    Form(form): Form<EnabledForm>,
) -> AppResult<Response> {
    let op = viewer.require_operator()?;
    communities::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let enabled = form.enabled == "true";
    communities::set_enabled(&state.db, id, enabled).await?;
    let action = if enabled { "community.enable" } else { "community.disable" };
    state.audit(Some(id), &actor(op), action, "community", id, "").await?;
    Ok(page.redirect_with(&format!("/platform/communities/{id}"), Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize, Default)]
pub struct OperatorForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
}

async fn create_operator(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Form(form): Form<OperatorForm>,
) -> AppResult<Response> {
    let op = viewer.require_operator()?;
    let mut errors = FieldErrors::new();
    if !form.email.contains('@') {
        errors.add("op_email", "invalid-email");
    }
    if !(2..=200).contains(&form.full_name.trim().chars().count()) {
        errors.add("op_full_name", "invalid-full_name");
    }
    if form.password.chars().count() < 10 {
        errors.add("op_password", "invalid-password");
    }
    if errors.is_empty() {
        let hash = auth::hash_password(form.password.clone()).await?;
        match operators::create(&state.db, &form.email, form.full_name.trim(), &hash, state.now()).await {
            Ok(id) => {
                state.audit(None, &actor(op), "operator.create", "operator", id, form.email.trim()).await?;
                return Ok(page.redirect_with("/platform", Flash::success("flash-saved")));
            }
            Err(DbError::Unique(_)) => errors.add("op_email", "email-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    render_dashboard(&state, &page, &CommunityForm::default(), &errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_hosts_are_checked() {
        assert!(valid_slug("sievierodonetska"));
        assert!(valid_slug("kyiv-2"));
        assert!(!valid_slug("Kyiv"));
        assert!(!valid_slug("-a"));
        assert!(!valid_slug("a"));
        assert!(valid_host("gromada.example.org"));
        assert!(!valid_host("bad host"));
        assert!(!valid_host("a..b"));
        assert!(!valid_host("-a.org"));
    }
}
