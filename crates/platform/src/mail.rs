//! The mail the platform core sends. Messages go to the outbox first; a worker delivers them.

use chrono::Duration;
use hromada_db::core::users::User;
use hromada_db::core::{outbox, tokens};
use hromada_kernel::Lang;
use hromada_web::auth;
use hromada_web::{AppResult, AppState, Tenant};

fn render(state: &AppState, lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        values.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned()))).collect();
    state.i18n.t_args(lang, key, Some(&hromada_web::i18n::args_from_json(&map)))
}

pub async fn send_confirmation(state: &AppState, tenant: &Tenant, user: &User, lang: Lang) -> AppResult<()> {
    let link = Link { purpose: tokens::Purpose::ConfirmEmail, path: "/confirm/", valid: Duration::days(3) };
    send_link(state, tenant, user, lang, link, "mail-confirm").await
}

pub async fn send_password_reset(state: &AppState, tenant: &Tenant, user: &User, lang: Lang) -> AppResult<()> {
    let link = Link { purpose: tokens::Purpose::ResetPassword, path: "/password/reset/", valid: Duration::hours(2) };
    send_link(state, tenant, user, lang, link, "mail-reset").await
}

/// A one-time link sent by mail.
struct Link {
    purpose: tokens::Purpose,
    path: &'static str,
    valid: Duration,
}

/// Creates a one-time token and queues a message (`{message}-subject`, `{message}-body`) with its link.
async fn send_link(
    state: &AppState,
    tenant: &Tenant,
    user: &User,
    lang: Lang,
    link: Link,
    message: &str,
) -> AppResult<()> {
    let Some(email) = &user.email else { return Ok(()) };
    let token = auth::new_token();
    let now = state.now();
    let hash = auth::hash_token(&token);
    tokens::create_account_token(&state.db, tenant.community.id, user.id, &hash, link.purpose, now, now + link.valid)
        .await?;
    let url = tenant.absolute_url(state, &format!("{}{token}", link.path)).await;
    let community = tenant.community.name(lang).to_owned();
    let values = [("name", user.full_name.as_str()), ("community", community.as_str()), ("link", url.as_str())];
    let subject = render(state, lang, &format!("{message}-subject"), &values);
    let body = render(state, lang, &format!("{message}-body"), &values);
    outbox::enqueue(&state.db, Some(tenant.community.id), email, &subject, &body, now).await?;
    Ok(())
}
