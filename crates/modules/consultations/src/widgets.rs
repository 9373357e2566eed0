//! Blocks the site's pages may embed: the open quick poll, and one survey answered right on
//! the page (the form posts to the survey's own address, so every rule still applies there).

use crate::store::{self, SurveyKind};
use crate::web::{sections_view, summary};
use hromada_web::auth::one_person_key;
use hromada_web::module::{SearchHit, Widget};
use hromada_web::{AppResult, Page, context};
use std::collections::BTreeMap;

pub const POLL: &str = "consultations.poll";
pub const SURVEY: &str = "consultations.survey";

pub fn list() -> Vec<Widget> {
    vec![
        Widget { key: POLL, label: "survey-widget-poll", takes_choice: false },
        Widget { key: SURVEY, label: "survey-widget-survey", takes_choice: true },
    ]
}

/// Surveys an editor may embed: the open ones.
pub async fn choices(page: &Page) -> AppResult<Vec<(String, String)>> {
    let Some(tenant) = &page.tenant else { return Ok(vec![]) };
    let open = store::open(&page.state.db, tenant.community.id, SurveyKind::Survey, page.state.now()).await?;
    Ok(open.iter().map(|s| (s.id.to_string(), s.title.get(page.lang).to_owned())).collect())
}

pub async fn render(page: &Page, widget: &str, choice: &str) -> AppResult<Option<String>> {
    match widget {
        POLL => crate::web::home_poll(page).await,
        SURVEY => survey(page, choice).await,
        _ => Ok(None),
    }
}

async fn survey(page: &Page, choice: &str) -> AppResult<Option<String>> {
    let Some(tenant) = &page.tenant else { return Ok(None) };
    let Ok(id) = uuid::Uuid::parse_str(choice) else { return Ok(None) };
    let state = &page.state;
    let Some(s) = store::get(&state.db, tenant.community.id, id).await? else { return Ok(None) };
    let now = state.now();
    let answered = match &page.viewer.user {
        Some(u) => store::has_answered(&state.db, &s, &one_person_key(u)).await?,
        None => false,
    };
    let html = page.fragment(
        "consultations/survey_block.html",
        context! {
            s => summary(page, &s),
            sections => sections_view(page, &s, &BTreeMap::new(), &BTreeMap::new()),
            open => s.is_open(now),
            answered => answered,
            may_answer => s.is_open(now) && (!answered || s.editable),
        },
    )?;
    Ok(Some(html))
}

/// Surveys and polls, open or closed, whose title or description has every word of the query.
pub async fn search(page: &Page, query: &str, limit: i64) -> AppResult<Vec<SearchHit>> {
    let Some(tenant) = &page.tenant else { return Ok(vec![]) };
    let words: Vec<String> =
        query.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_lowercase).collect();
    if words.is_empty() {
        return Ok(vec![]);
    }
    let (db, now, c) = (&page.state.db, page.state.now(), tenant.community.id);
    let mut all = store::open(db, c, SurveyKind::Survey, now).await?;
    all.extend(store::open(db, c, SurveyKind::Poll, now).await?);
    all.extend(store::closed(db, c, now, 200).await?);
    Ok(all
        .iter()
        .filter(|s| {
            let text =
                format!("{} {} {}", s.title.get(page.lang), s.title.get(hromada_kernel::Lang::Uk), s.description)
                    .to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .take(limit.max(0) as usize)
        .map(|s| SearchHit {
            kind: "survey-search-kind",
            title: s.title.get(page.lang).to_owned(),
            path: format!("/surveys/{}", s.id),
            excerpt: hromada_kernel::text::excerpt(&s.description, 200),
        })
        .collect())
}
