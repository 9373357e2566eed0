//! Reminders the day before a visit, by mail and in the chatbot where the resident linked it.
//! Each visit is reminded once, however many app nodes run the job.

use crate::desk;
use crate::domain;
use crate::store;
use chrono::Duration;
use hromada_db::core::communities;
use std::collections::HashMap;

/// Visits one run reminds at most; the rest wait for the next run.
const BATCH: i64 = 2_000;

/// Reminds of tomorrow's visits (Kyiv dates); gives how many reminders went out.
pub async fn remind(state: &hromada_web::AppState) -> anyhow::Result<usize> {
    let now = state.now();
    let tomorrow = domain::local_day(now) + Duration::days(1);
    let from = domain::slot_instant(tomorrow, 0);
    let to = domain::slot_instant(tomorrow + Duration::days(1), 0);
    let mut communities_seen = HashMap::new();
    let mut resources = HashMap::new();
    let mut sent = 0;
    for v in store::to_remind(&state.db, from, to, BATCH).await? {
        let Some(user) = v.user_id else { continue };
        if !store::mark_reminded(&state.db, v.community_id, v.id, now).await? {
            continue;
        }
        let community = match communities_seen.get(&v.community_id) {
            Some(c) => c,
            None => {
                let Some(c) = communities::by_id(&state.db, v.community_id).await? else { continue };
                communities_seen.entry(v.community_id).or_insert(c)
            }
        };
        let r = match resources.get(&v.resource_id) {
            Some(r) => r,
            None => {
                let Some(r) = store::resource(&state.db, v.community_id, v.resource_id).await? else { continue };
                resources.entry(v.resource_id).or_insert(r)
            }
        };
        let values = [
            ("what", r.name_uk.as_str()),
            ("place", r.place.as_str()),
            ("address", r.address.as_str()),
            ("when", &desk::when(v.starts_at)),
            ("code", v.code.as_str()),
        ];
        hromada_web::mail::to_accounts(state, community, &[user], "booking-mail-reminder", &values).await?;
        sent += 1;
    }
    Ok(sent)
}
