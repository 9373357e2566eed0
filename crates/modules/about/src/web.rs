use crate::store;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use hromada_db::core::{departments, settlements};
use hromada_web::{AppResult, AppState, Page, Tenant, context};

pub fn routes() -> Router<AppState> {
    Router::new().route("/about", get(about))
}

async fn about(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let community = tenant.community.id;
    let contacts: Vec<_> = store::list(&state.db, community).await?.iter().map(|c| contact_view(&page, c)).collect();
    let places: Vec<_> = settlements::list(&state.db, community)
        .await?
        .iter()
        .map(|s| context! { name => s.name(page.lang), kind => page.t(&format!("settlement-kind-{}", s.kind)), district => &s.starosta_district })
        .collect();
    let units: Vec<_> = departments::list(&state.db, community)
        .await?
        .iter()
        .map(|d| {
            let name = match page.lang {
                hromada_kernel::Lang::En => d.name_en.clone().unwrap_or_else(|| d.name_uk.clone()),
                hromada_kernel::Lang::Uk => d.name_uk.clone(),
            };
            context! { name => name, email => &d.email }
        })
        .collect();
    let text = tenant.community.statute_of(crate::KEY).get(page.lang.code()).and_then(|t| t.as_str()).unwrap_or("");
    let intro = hromada_web::markdown::render(text);
    page.render(
        "about/index.html",
        context! { contacts => contacts, settlements => places, departments => units, intro => hromada_web::Value::from_safe_string(intro) },
    )
}

/// A contact for a template: name, role in the reader's language, phone, e-mail, hours, photo.
pub fn contact_view(page: &Page, c: &store::Contact) -> hromada_web::Value {
    context! {
        name => &c.name, role => c.role(page.lang), phone => &c.phone, email => &c.email, hours => &c.reception_hours,
        photo => c.photo.map(|p| page.url(&hromada_media::path(p, hromada_media::Variant::Thumb))),
    }
}
