//! Notices to residents' linked messenger chats: what the modules tell an account by mail
//! (an appeal answered, a petition's threshold reached) goes to its chats as well.

use crate::delivery::Delivery;
use crate::store::{self, Said};
use hromada_db::core::communities;
use hromada_kernel::{CommunityId, Lang, UserId};
use hromada_web::AppState;
use hromada_web::chat::Reply;

/// Queues the message `{key}-body` for every active messenger chat linked to these accounts,
/// each in its chat's language. Gives how many were queued.
pub async fn linked_chats(
    state: &AppState,
    community: CommunityId,
    accounts: &[UserId],
    key: &str,
    values: &[(String, String)],
) -> anyhow::Result<usize> {
    let Some(c) = communities::by_id(&state.db, community).await? else { return Ok(0) };
    let mut queued = 0;
    for account in accounts {
        for chat in store::chats_of(&state.db, community, *account).await? {
            let lang = Lang::parse(&chat.lang).unwrap_or_default();
            let mut args: Vec<(&str, String)> = values.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            args.push(("community", c.name(lang).to_owned()));
            let text = state.i18n.t_pairs(lang, &format!("{key}-body"), &args);
            store::send_to(&state.db, &chat, Said::Bot { reply: Reply::text(text) }, state.now()).await?;
            queued += 1;
        }
    }
    if queued > 0
        && let Some(d) = state.extension::<Delivery>()
    {
        d.wake();
    }
    Ok(queued)
}
