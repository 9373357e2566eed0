//! Registration, e-mail confirmation, sign-in and out, password reset, profile, data export,
//! account deletion, API tokens, and the language switch.

use crate::mail;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use chrono::{Datelike, Duration};
use garde::Validate;
use hromada_db::DbError;
use hromada_db::core::users::{self, NewUser, Profile};
use hromada_db::core::{departments, roles, sessions, settlements, tokens};
use hromada_kernel::{Lang, UserId};
use hromada_web::auth::{self, Viewer};
use hromada_web::forms::{FieldErrors, validate};
use hromada_web::page::safe_next;
use hromada_web::security::ClientIp;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context, cookies};
use serde::Deserialize;
use uuid::Uuid;

pub const SESSION_DAYS: i64 = 30;
/// Failed sign-ins in a row before an account is locked for a while.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(register_form).post(register))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/confirm/{token}", get(confirm))
        .route("/confirm", post(resend_confirmation))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
        .route("/account", get(profile).post(update_profile))
        .route("/account/export", get(export))
        .route("/account/delete", get(delete_form).post(delete))
        .route("/account/tokens", get(tokens_page).post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/lang/{code}", get(switch_lang))
}

fn limit(state: &AppState, action: &str, who: &str, max: u32, minutes: u64) -> AppResult<()> {
    if who.is_empty() {
        // An unknown client address (see `ClientIp`): other limits still apply.
        return Ok(());
    }
    if state.limiter.hit(&format!("{action}:{who}"), max, std::time::Duration::from_secs(minutes * 60)) {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// Starts a session for the account and returns the cookie that carries it.
pub async fn start_session(state: &AppState, tenant: &Tenant, user: UserId) -> AppResult<header::HeaderValue> {
    let token = auth::new_token();
    let now = state.now();
    sessions::create(
        &state.db,
        &auth::hash_token(&token),
        sessions::Holder::User { community: tenant.community.id, user },
        now,
        now + Duration::days(SESSION_DAYS),
    )
    .await?;
    let path = if tenant.base.is_empty() { "/" } else { &tenant.base };
    Ok(cookies::set(cookies::SESSION, &token, path, Some(SESSION_DAYS * 86400), state.config.secure_cookies))
}

fn settlement_options(list: &[settlements::Settlement], lang: Lang) -> Vec<Value> {
    list.iter().map(|s| context! { value => s.id.to_string(), label => s.name(lang) }).collect()
}

// ---------- registration ----------

#[derive(Debug, Default, Deserialize, Validate)]
pub struct RegisterForm {
    #[garde(length(chars, min = 2, max = 200))]
    #[serde(default)]
    pub full_name: String,
    #[garde(email, length(max = 254))]
    #[serde(default)]
    pub email: String,
    #[garde(length(chars, min = 10, max = 200))]
    #[serde(default)]
    pub password: String,
    #[garde(skip)]
    #[serde(default)]
    pub password_confirm: String,
    #[garde(skip)]
    #[serde(default)]
    pub settlement_id: String,
    #[garde(skip)]
    #[serde(default)]
    pub birth_year: String,
}

async fn register_form(page: Page, tenant: Tenant) -> AppResult<Response> {
    render_register(&page, &tenant, &RegisterForm::default(), &FieldErrors::new(), StatusCode::OK).await
}

async fn render_register(
    page: &Page,
    tenant: &Tenant,
    form: &RegisterForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let list = settlements::list(&page.state.db, tenant.community.id).await?;
    page.render_status(
        status,
        "account/register.html",
        context! {
            form => context! { full_name => &form.full_name, email => &form.email, settlement_id => &form.settlement_id, birth_year => &form.birth_year },
            settlements => settlement_options(&list, page.lang),
            errors => Serde(errors),
        },
    )
}

/// A year of birth as typed, or an error key.
fn parse_birth_year(raw: &str, this_year: i32) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(y) if (1900..=i64::from(this_year)).contains(&y) => Ok(Some(y)),
        _ => Err("invalid-birth_year"),
    }
}

async fn register(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    ClientIp(ip): ClientIp,
    Form(form): Form<RegisterForm>,
) -> AppResult<Response> {
    limit(&state, "register", &ip, 10, 60)?;
    let community = tenant.community.id;
    let mut errors = validate(&form).err().unwrap_or_default();
    if form.password != form.password_confirm {
        errors.add("password_confirm", "invalid-password_confirm");
    }
    let birth_year = parse_birth_year(&form.birth_year, state.now().year()).unwrap_or_else(|key| {
        errors.add("birth_year", key);
        None
    });
    let settlement_id = match form.settlement_id.trim() {
        "" => None,
        raw => {
            let known = settlements::list(&state.db, community).await?;
            match Uuid::parse_str(raw).ok().filter(|id| known.iter().any(|s| s.id == *id)) {
                Some(id) => Some(id),
                None => {
                    errors.add("settlement_id", "invalid-settlement_id");
                    None
                }
            }
        }
    };
    if !errors.is_empty() {
        return render_register(&page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let hash = auth::hash_password(form.password.clone()).await?;
    let new = NewUser {
        email: Some(form.email.trim().to_owned()),
        password_hash: Some(hash),
        full_name: form.full_name.trim().to_owned(),
        settlement_id,
        birth_year,
        lang: page.lang.code().to_owned(),
    };
    let user = match users::create(&state.db, community, new, state.now()).await {
        Ok(user) => user,
        Err(DbError::Unique(_)) => {
            errors.add("email", "email-taken");
            return render_register(&page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e.into()),
    };
    mail::send_confirmation(&state, &tenant, &user, page.lang).await?;
    let cookie = start_session(&state, &tenant, user.id).await?;
    let mut response = page.redirect_with(&tenant.url("/account"), Flash::success("flash-registered"));
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

// ---------- e-mail confirmation ----------

async fn confirm(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let community = tenant.community.id;
    let used = tokens::consume_account_token(
        &state.db,
        community,
        &auth::hash_token(&token),
        tokens::Purpose::ConfirmEmail,
        state.now(),
    )
    .await?;
    let target = if page.viewer.user.is_some() { tenant.url("/account") } else { tenant.url("/login") };
    match used {
        Some(user) => {
            users::confirm_email(&state.db, community, user, state.now()).await?;
            Ok(page.redirect_with(&target, Flash::success("flash-email-confirmed")))
        }
        None => Ok(page.redirect_with(&target, Flash::error("flash-link-invalid"))),
    }
}

async fn resend_confirmation(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    limit(&state, "confirm-resend", &user.id.to_string(), 3, 60)?;
    if user.email_confirmed_at.is_none() {
        mail::send_confirmation(&state, &tenant, &user, page.lang).await?;
    }
    Ok(page.redirect_with(&tenant.url("/account"), Flash::info("flash-confirmation-sent")))
}

// ---------- sign in / out ----------

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

async fn login_form(page: Page, Query(q): Query<NextQuery>) -> AppResult<Response> {
    page.render("account/login.html", context! { email => "", next => q.next, failed => false })
}

async fn login(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    limit(&state, "login-ip", &ip, 100, 15)?;
    let community = tenant.community.id;
    let email = users::normalize_email(&form.email);
    // Unknown and known addresses are throttled alike, so the limit tells nothing about accounts.
    limit(&state, "login-email", &format!("{community}:{email}"), MAX_FAILED_LOGINS as u32 * 2, LOCK_MINUTES as u64)?;
    let user = users::by_email(&state.db, community, &email).await?;
    let now = state.now();
    if user.as_ref().and_then(|u| u.locked_until).is_some_and(|until| until > now) {
        return Err(AppError::TooManyRequests);
    }
    let ok = auth::verify_password(user.as_ref().and_then(|u| u.password_hash.clone()), form.password.clone()).await;
    let Some(user) = user.filter(|_| ok) else {
        if let Some(u) = users::by_email(&state.db, community, &email).await? {
            users::record_failed_login(
                &state.db,
                community,
                u.id,
                MAX_FAILED_LOGINS,
                now + Duration::minutes(LOCK_MINUTES),
            )
            .await?;
        }
        return page.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "account/login.html",
            context! { email => form.email, next => form.next, failed => true },
        );
    };
    users::reset_failed_logins(&state.db, community, user.id).await?;
    let cookie = start_session(&state, &tenant, user.id).await?;
    let next = safe_next(form.next.as_deref(), &tenant.url("/account"));
    let mut response = page.redirect_with(&next, Flash::success("flash-signed-in"));
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

async fn logout(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    if let Some(hash) = &page.viewer.session_hash {
        sessions::delete(&state.db, hash).await?;
    }
    let path = if tenant.base.is_empty() { "/" } else { &tenant.base };
    let mut response = page.redirect_with(&tenant.url("/"), Flash::info("flash-signed-out"));
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookies::remove(cookies::SESSION, path, state.config.secure_cookies));
    Ok(response)
}

// ---------- password reset ----------

#[derive(Debug, Default, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

async fn forgot_form(page: Page) -> AppResult<Response> {
    page.render("account/forgot.html", context! { sent => false })
}

async fn forgot(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    ClientIp(ip): ClientIp,
    Form(form): Form<ForgotForm>,
) -> AppResult<Response> {
    limit(&state, "reset-ip", &ip, 5, 15)?;
    if let Some(user) = users::by_email(&state.db, tenant.community.id, &form.email).await? {
        mail::send_password_reset(&state, &tenant, &user, page.lang).await?;
    }
    // The same answer whether or not the address has an account.
    page.render("account/forgot.html", context! { sent => true })
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

async fn reset_form(page: Page, Path(token): Path<String>) -> AppResult<Response> {
    page.render("account/reset.html", context! { token => token, errors => Serde(FieldErrors::new()) })
}

async fn reset(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let chars = form.password.chars().count();
    if !(10..=200).contains(&chars) {
        errors.add("password", "invalid-password");
    }
    if form.password != form.password_confirm {
        errors.add("password_confirm", "invalid-password_confirm");
    }
    if !errors.is_empty() {
        return page.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "account/reset.html",
            context! { token => token, errors => Serde(errors) },
        );
    }
    let community = tenant.community.id;
    let Some(user) = tokens::consume_account_token(
        &state.db,
        community,
        &auth::hash_token(&token),
        tokens::Purpose::ResetPassword,
        state.now(),
    )
    .await?
    else {
        return Ok(page.redirect_with(&tenant.url("/password/forgot"), Flash::error("flash-link-invalid")));
    };
    let hash = auth::hash_password(form.password).await?;
    users::set_password(&state.db, community, user, &hash).await?;
    // Whoever had the old password is signed out everywhere.
    sessions::delete_for_user(&state.db, community, user).await?;
    // Following the link proves the mailbox too.
    users::confirm_email(&state.db, community, user, state.now()).await?;
    Ok(page.redirect_with(&tenant.url("/login"), Flash::success("flash-password-changed")))
}

// ---------- profile ----------

async fn profile(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    render_profile(&state, &page, &tenant, &user, &FieldErrors::new(), StatusCode::OK).await
}

async fn render_profile(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    user: &users::User,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let list = settlements::list(&state.db, tenant.community.id).await?;
    let my_roles: Vec<String> = page.viewer.roles.iter().map(|r| page.t(&format!("role-{}", r.code()))).collect();
    let depts = departments::departments_of(&state.db, tenant.community.id, user.id).await?;
    page.render_status(
        status,
        "account/profile.html",
        context! {
            profile => context! {
                full_name => &user.full_name,
                email => &user.email,
                settlement_id => user.settlement_id.map(|s| s.to_string()).unwrap_or_default(),
                birth_year => user.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                lang => &user.lang,
                confirmed => user.email_confirmed_at.is_some(),
                level => user.identity_level().code(),
            },
            settlements => settlement_options(&list, page.lang),
            roles => my_roles,
            department_count => depts.len(),
            errors => Serde(errors),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub settlement_id: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub lang: String,
}

async fn update_profile(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    let community = tenant.community.id;
    let mut errors = FieldErrors::new();
    let name = form.full_name.trim();
    if !(2..=200).contains(&name.chars().count()) {
        errors.add("full_name", "invalid-full_name");
    }
    let birth_year = parse_birth_year(&form.birth_year, state.now().year()).unwrap_or_else(|key| {
        errors.add("birth_year", key);
        None
    });
    let known = settlements::list(&state.db, community).await?;
    let settlement_id = match form.settlement_id.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw).ok().filter(|id| known.iter().any(|s| s.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.add("settlement_id", "invalid-settlement_id");
                None
            }
        },
    };
    let lang = Lang::parse(&form.lang).unwrap_or(page.lang);
    if !errors.is_empty() {
        return render_profile(&state, &page, &tenant, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    users::update_profile(
        &state.db,
        community,
        user.id,
        Profile { full_name: name, settlement_id, birth_year, lang: lang.code() },
    )
    .await?;
    let mut response = page.redirect_with(&tenant.url("/account"), Flash::success("flash-profile-saved"));
    let path = if tenant.base.is_empty() { "/" } else { &tenant.base };
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookies::LANG, lang.code(), path, Some(365 * 86400), state.config.secure_cookies),
    );
    Ok(response)
}

/// Everything the platform keeps about the account, as JSON (the right of access).
async fn export(State(state): State<AppState>, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let community = tenant.community.id;
    let user_roles: Vec<&str> =
        roles::roles_of(&state.db, community, user.id).await?.iter().map(|r| r.code()).collect();
    let api_tokens = tokens::api_tokens_of(&state.db, community, user.id).await?;
    let depts = departments::departments_of(&state.db, community, user.id).await?;
    let body = serde_json::json!({
        "community": { "slug": tenant.community.slug, "name": tenant.community.name_uk },
        "account": user,
        "identity_level": user.identity_level().code(),
        "roles": user_roles,
        "departments": depts,
        "api_tokens": api_tokens,
        "exported_at": state.now(),
    });
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        header::HeaderValue::from_static("attachment; filename=\"hromada-account.json\""),
    );
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    pub password: String,
}

async fn delete_form(page: Page) -> AppResult<Response> {
    page.viewer.require_user()?;
    page.render("account/delete.html", context! { failed => false })
}

async fn delete(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    limit(&state, "delete", &user.id.to_string(), 5, 15)?;
    if !auth::verify_password(user.password_hash.clone(), form.password).await {
        return page.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "account/delete.html",
            context! { failed => true },
        );
    }
    users::delete(&state.db, tenant.community.id, user.id).await?;
    let path = if tenant.base.is_empty() { "/" } else { &tenant.base };
    let mut response = page.redirect_with(&tenant.url("/"), Flash::info("flash-account-deleted"));
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookies::remove(cookies::SESSION, path, state.config.secure_cookies));
    Ok(response)
}

// ---------- API tokens ----------

async fn tokens_page(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let user = page.viewer.require_user()?;
    let list = tokens::api_tokens_of(&state.db, tenant.community.id, user.id).await?;
    page.render(
        "account/tokens.html",
        context! { tokens => Serde(&list), created => Value::from(()) , errors => Serde(FieldErrors::new()) },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
}

async fn create_token(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    hromada_web::module::require_level(&page.viewer, &tenant.community, &crate::API_TOKENS)?;
    let community = tenant.community.id;
    let name = form.name.trim();
    if !(1..=100).contains(&name.chars().count()) {
        let mut errors = FieldErrors::new();
        errors.add("name", "invalid-token-name");
        let list = tokens::api_tokens_of(&state.db, community, user.id).await?;
        return page.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "account/tokens.html",
            context! { tokens => Serde(&list), created => Value::from(()), errors => Serde(errors) },
        );
    }
    let token = auth::new_token();
    tokens::create_api_token(&state.db, community, user.id, name, &auth::hash_token(&token), state.now()).await?;
    let list = tokens::api_tokens_of(&state.db, community, user.id).await?;
    // The token is shown once, on this page only.
    let mut response = page.render(
        "account/tokens.html",
        context! { tokens => Serde(&list), created => token, errors => Serde(FieldErrors::new()) },
    )?;
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke_token(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?;
    if !tokens::revoke_api_token(&state.db, tenant.community.id, user.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(page.redirect_with(&tenant.url("/account/tokens"), Flash::info("flash-token-revoked")))
}

// ---------- language ----------

/// Remembers the chosen language and goes back to the page the reader was on.
async fn switch_lang(
    State(state): State<AppState>,
    tenant: Option<Tenant>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let base = tenant.as_ref().map(|t| t.base.clone()).unwrap_or_default();
    let Some(lang) = Lang::parse(&code) else {
        return AppError::NotFound.into_response();
    };
    let fallback = if base.is_empty() { "/".to_owned() } else { format!("{base}/") };
    let next = safe_next(q.next.as_deref(), &fallback);
    let path = if base.is_empty() { "/".to_owned() } else { base };
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookies::LANG, lang.code(), &path, Some(365 * 86400), state.config.secure_cookies),
    );
    response
}

pub fn lang_routes() -> Router<AppState> {
    Router::new().route("/lang/{code}", get(switch_lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_years_are_checked() {
        assert_eq!(parse_birth_year("", 2026), Ok(None));
        assert_eq!(parse_birth_year(" 1980 ", 2026), Ok(Some(1980)));
        assert!(parse_birth_year("1800", 2026).is_err());
        assert!(parse_birth_year("2030", 2026).is_err());
        assert!(parse_birth_year("abc", 2026).is_err());
    }
}
