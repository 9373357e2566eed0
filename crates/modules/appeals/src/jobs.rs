//! Reminders before an appeal's due date and escalation once it has passed: to whoever works
//! it, and when late to the department's head as well. Each goes out once per due date, however
//! many app nodes run the job (an extension sets a new date, and with it new reminders).

use crate::domain::{self, REMIND_WORKING_DAYS, Urgency};
use crate::notify::{self, Notice};
use crate::store;
use hromada_db::core::{communities, holidays};
use std::collections::HashMap;

/// Appeals one run looks at; the rest wait for the next run.
const BATCH: i64 = 5_000;

/// Sends the reminders and escalations due now; gives how many went out.
pub async fn remind(state: &hromada_web::AppState) -> anyhow::Result<usize> {
    let calendar = holidays::calendar(&state.db).await?;
    let now = state.now();
    let today = now.date_naive();
    let until = calendar.add_working_days(today, REMIND_WORKING_DAYS);
    let mut communities = HashMap::new();
    let mut sent = 0;
    for a in store::due_by(&state.db, until, BATCH).await? {
        let (kind, notice, escalate) = match domain::urgency(a.answer_due, today, &calendar) {
            Urgency::Overdue => ("overdue", Notice::Overdue, true),
            Urgency::DueToday | Urgency::DueSoon => ("soon", Notice::DueSoon, false),
            Urgency::OnTrack => continue,
        };
        if !store::note_reminder(&state.db, a.community_id, a.id, kind, a.answer_due, now).await? {
            continue;
        }
        let community = match communities.get(&a.community_id) {
            Some(c) => c,
            None => {
                let Some(c) = communities::by_id(&state.db, a.community_id).await? else { continue };
                communities.entry(a.community_id).or_insert(c)
            }
        };
        notify::handlers(state, community, &a, notice, escalate).await?;
        sent += 1;
    }
    Ok(sent)
}
