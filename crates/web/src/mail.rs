//! Mail to accounts, each in its own language, through the outbox.

use crate::AppState;
use hromada_db::core::communities::Community;
use hromada_db::core::{outbox, users};
use hromada_kernel::{Lang, UserId};

/// Queues the message `{key}-subject` / `{key}-body` for every account in `to` that has an
/// e-mail address, once each, translated into the account's language with `values` and the
/// community's name (`community`). Gives how many were queued.
pub async fn to_accounts(
    state: &AppState,
    community: &Community,
    to: &[UserId],
    key: &str,
    values: &[(&str, &str)],
) -> anyhow::Result<usize> {
    let mut seen = std::collections::HashSet::new();
    let mut queued = 0;
    for id in to {
        if !seen.insert(*id) {
            continue;
        }
        let Some(user) = users::by_id(&state.db, community.id, *id).await? else { continue };
        let Some(email) = &user.email else { continue };
        let lang = Lang::parse(&user.lang).unwrap_or_default();
        let values = serde_json::Map::from_iter(
            values
                .iter()
                .copied()
                .chain([("community", community.name(lang))])
                .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned()))),
        );
        let args = crate::i18n::args_from_json(&values);
        let subject = state.i18n.t_args(lang, &format!("{key}-subject"), Some(&args));
        let body = state.i18n.t_args(lang, &format!("{key}-body"), Some(&args));
        outbox::enqueue(&state.db, Some(community.id), email, &subject, &body, state.now()).await?;
        queued += 1;
    }
    state
        .publish(hromada_kernel::DomainEvent::AccountsNotified {
            community: community.id,
            accounts: seen.into_iter().collect(),
            key: key.to_owned(),
            values: values.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        })
        .await;
    Ok(queued)
}
