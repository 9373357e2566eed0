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
    let Some(email) = &user.email else {
        return Ok(());
    };
    let token = auth::new_token();
    let now = state.now();
    tokens::create_account_token(
        &state.db,
        tenant.community.id,
        user.id,
        &auth::hash_token(&token),
        tokens::Purpose::ConfirmEmail,
        now,
        now + Duration::days(3),
    )
    .await?;
    let link = tenant.absolute_url(state, &format!("/confirm/{token}")).await;
    let community = tenant.community.name(lang).to_owned();
    let values = [("name", user.full_name.as_str()), ("community", community.as_str()), ("link", link.as_str())];
    let subject = render(state, lang, "mail-confirm-subject", &values);
    let body = render(state, lang, "mail-confirm-body", &values);
    outbox::enqueue(&state.db, Some(tenant.community.id), email, &subject, &body, now).await?;
    Ok(())
}

pub async fn send_password_reset(state: &AppState, tenant: &Tenant, user: &User, lang: Lang) -> AppResult<()> {
    let Some(email) = &user.email else {
        return Ok(());
    };
    let token = auth::new_token();
    let now = state.now();
    tokens::create_account_token(
        &state.db,
        tenant.community.id,
        user.id,
        &auth::hash_token(&token),
        tokens::Purpose::ResetPassword,
        now,
        now + Duration::hours(2),
    )
    .await?;
    let link = tenant.absolute_url(state, &format!("/password/reset/{token}")).await;
    let community = tenant.community.name(lang).to_owned();
    let values = [("name", user.full_name.as_str()), ("community", community.as_str()), ("link", link.as_str())];
    let subject = render(state, lang, "mail-reset-subject", &values);
    let body = render(state, lang, "mail-reset-body", &values);
    outbox::enqueue(&state.db, Some(tenant.community.id), email, &subject, &body, now).await?;
    Ok(())
}
