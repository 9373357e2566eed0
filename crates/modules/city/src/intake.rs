//! Filing a report, the same way from the web form and from Open311: the category's checks,
//! routing to a department by category and area, storage for moderation, mail to moderators.

use crate::domain::{self, Location};
use crate::notify;
use crate::store::{self, Category, NewReport, Report};
use hromada_db::core::communities::Community;
use hromada_kernel::UserId;
use hromada_web::{AppResult, AppState};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Who files the report.
#[derive(Debug, Clone)]
pub struct Author<'a> {
    pub id: Option<UserId>,
    pub name: &'a str,
    pub email: Option<&'a str>,
}

/// Where the report came from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Web,
    Open311 { client: Uuid, token: &'a str },
}

/// What is wrong with a report, as field keys and message keys.
pub type Problems = Vec<(String, String)>;

/// Checks the text and the answers to the category's questions; the answers as stored.
pub fn check(
    category: &Category,
    description: &str,
    answers: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Problems> {
    let mut problems: Problems = vec![];
    if let Err(key) = domain::check_description(description) {
        problems.push(("description".into(), key.into()));
    }
    let checked = match domain::check_answers(&category.questions.0, answers) {
        Ok(a) => a,
        Err(wrong) => {
            problems.extend(wrong.into_iter().map(|code| (format!("answer_{code}"), "city-invalid-answer".to_owned())));
            BTreeMap::new()
        }
    };
    if problems.is_empty() { Ok(checked) } else { Err(problems) }
}

/// The community's categories; a community that has none yet gets the defaults first.
pub async fn categories(state: &AppState, community: &Community, active_only: bool) -> AppResult<Vec<Category>> {
    let found = store::categories(&state.db, community.id, active_only).await?;
    if !found.is_empty() {
        return Ok(found);
    }
    store::seed_default_categories(&state.db, community.id, state.now()).await?;
    Ok(store::categories(&state.db, community.id, active_only).await?)
}

/// Stores a checked report for moderation, routed to its department, and tells the moderators.
#[allow(clippy::too_many_arguments)]
pub async fn file(
    state: &AppState,
    community: &Community,
    category: &Category,
    author: Author<'_>,
    description: &str,
    location: &Location,
    answers: BTreeMap<String, String>,
    source: Source<'_>,
) -> AppResult<Report> {
    let department = store::route(&state.db, community.id, category, location).await?;
    let (source_code, api_client, token) = match source {
        Source::Web => ("web", None, None),
        Source::Open311 { client, token } => ("open311", Some(client), Some(token)),
    };
    let new = NewReport {
        category,
        author_id: author.id,
        author_name: author.name,
        author_email: author.email,
        description: description.trim(),
        location,
        department,
        answers,
        source: source_code,
        api_client,
        token,
    };
    let report = store::create(&state.db, community.id, new, state.now()).await?;
    notify::moderators(state, community, &report).await?;
    Ok(report)
}
