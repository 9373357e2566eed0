//! The development mail page: with no SMTP server configured (and always in demo mode) mail
//! is kept in the outbox and shown here, so a demo can confirm e-mail addresses.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use hromada_db::core::outbox;
use hromada_web::{AppError, AppResult, AppState, Page, Serde, Tenant, context};

pub fn routes() -> Router<AppState> {
    Router::new().route("/dev/mail", get(mail_page))
}

async fn mail_page(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    if !state.config.demo && state.config.smtp_configured {
        return Err(AppError::NotFound);
    }
    let mails = outbox::recent(&state.db, tenant.community.id, 50).await?;
    page.render("account/dev_mail.html", context! { mails => Serde(&mails) })
}
