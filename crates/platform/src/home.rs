//! The community's home page: the one the site constructor's editors built, or, until they
//! publish one, a plain page of the community's sections and the modules' home blocks.

use axum::extract::State;
use axum::response::Response;
use hromada_db::core::settlements;
use hromada_web::{AppResult, AppState, Page, Tenant, Value, context};

pub async fn home(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    for module in &state.modules {
        if let Some(response) = module.home_page(&page).await? {
            return Ok(response);
        }
    }
    let list = settlements::list(&state.db, tenant.community.id).await?;
    let names: Vec<String> = list.iter().map(|s| s.name(page.lang).to_owned()).collect();
    let sections: Vec<_> =
        state.nav.iter().map(|item| context! { label => page.t(item.label), href => tenant.url(item.path) }).collect();
    let mut blocks = vec![];
    for module in &state.modules {
        if let Some(html) = module.home_block(&page).await? {
            blocks.push(Value::from_safe_string(html));
        }
    }
    page.render("home.html", context! { settlements => names, sections => sections, blocks => blocks })
}
