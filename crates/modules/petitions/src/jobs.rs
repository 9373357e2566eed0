//! Periodic work: petitions whose collection period ended without the threshold fall short.

use crate::domain::Action;
use crate::notify::{self, Notice};
use crate::store;
use hromada_db::core::{communities, holidays};
use hromada_web::AppState;

/// Moves every petition whose period ended to "fell short" and tells its author; returns how many.
pub async fn close_ended_collections(state: &AppState) -> anyhow::Result<usize> {
    let now = state.now();
    let calendar = holidays::calendar(&state.db).await?;
    let ended = store::ended_collections(&state.db, now.date_naive()).await?;
    let mut closed = 0;
    for (community, id) in ended {
        match store::step(&state.db, community, id, Action::EndCollection, None, "", &calendar, now).await {
            Ok(p) => {
                closed += 1;
                if let Some(c) = communities::by_id(&state.db, community).await? {
                    notify::author(state, &c, &p, Notice::FellShort).await?;
                }
            }
            // Reached the threshold in the meantime: nothing to do.
            Err(store::StepError::Transition(_)) => {}
            Err(store::StepError::Db(e)) => return Err(e.into()),
        }
    }
    Ok(closed)
}
