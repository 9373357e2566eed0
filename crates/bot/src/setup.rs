//! Connecting a community's messenger bot (Telegram, Viber) from the command line, and long
//! polling for development machines that Telegram cannot reach.

use crate::engine::{Engine, Handled};
use crate::store::{self, Channel, ChannelConfig};
use crate::telegram;
use crate::viber;
use hromada_db::Db;
use hromada_db::core::communities::Community;
use hromada_web::{AppState, Tenant};
use std::sync::Arc;

/// Saves the community's Telegram bot with a fresh webhook path and secret; with `register`,
/// tells Telegram the webhook's address. Returns that address.
pub async fn connect_telegram(
    db: &Db,
    community: &Community,
    token: &str,
    username: &str,
    api_base: &str,
    site: &str,
    register: bool,
) -> anyhow::Result<String> {
    let hook = hromada_web::auth::new_token();
    // Telegram allows letters, digits, `_` and `-` in the secret: base64url is that.
    let secret = hromada_web::auth::new_token();
    let config = ChannelConfig {
        community_id: community.id,
        channel: Channel::Telegram.code().into(),
        token: token.into(),
        hook: hook.clone(),
        secret: secret.clone(),
        username: username.trim_start_matches('@').into(),
        api_base: api_base.trim_end_matches('/').into(),
        enabled: true,
    };
    let url = format!("{}/hooks/telegram/{hook}", site.trim_end_matches('/'));
    if register {
        let client = reqwest::Client::new();
        telegram::set_webhook(&client, &config.api_base, token, &url, &secret).await?;
    }
    store::save_channel(db, &config).await?;
    Ok(url)
}

/// Saves the community's Viber bot with a fresh webhook path; with `register`, tells Viber the
/// webhook's address. Returns that address. `uri` is the bot's URI, the name in its links
/// (`viber://pa?chatURI=…`).
pub async fn connect_viber(
    db: &Db,
    community: &Community,
    token: &str,
    uri: &str,
    api_base: &str,
    site: &str,
    register: bool,
) -> anyhow::Result<String> {
    anyhow::ensure!(!token.trim().is_empty(), "the Viber bot's token is empty");
    let hook = hromada_web::auth::new_token();
    let config = ChannelConfig {
        community_id: community.id,
        channel: Channel::Viber.code().into(),
        token: token.trim().into(),
        hook: hook.clone(),
        // Viber signs its callbacks with the bot's token; there is no secret of our own.
        secret: String::new(),
        username: uri.trim().trim_start_matches('@').into(),
        api_base: api_base.trim_end_matches('/').into(),
        enabled: true,
    };
    let url = format!("{}/hooks/viber/{hook}", site.trim_end_matches('/'));
    // Viber calls the new webhook before `set_webhook` answers, so the channel is saved first,
    // and the one it replaced is put back if Viber refuses.
    let previous = store::channel_of(db, community.id, Channel::Viber).await?;
    store::save_channel(db, &config).await?;
    if register {
        let client = reqwest::Client::new();
        if let Err(e) = viber::set_webhook(&client, &config.api_base, &config.token, &url).await {
            let restore = previous.unwrap_or(ChannelConfig { enabled: false, ..config });
            store::save_channel(db, &restore).await?;
            return Err(e);
        }
    }
    Ok(url)
}

/// Fetches updates by long polling and hands them to the engine until `stop` turns true.
pub async fn poll_telegram(
    state: AppState,
    tenant: Tenant,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let config = store::channel_of(&state.db, tenant.community.id, Channel::Telegram)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the community has no Telegram bot; connect one first"))?;
    let engine = state.extension::<Arc<Engine>>().cloned().ok_or_else(|| anyhow::anyhow!("no bot engine"))?;
    let client = reqwest::Client::new();
    let mut offset = 0;
    loop {
        let updates = tokio::select! {
            got = telegram::get_updates(&client, &config.api_base, &config.token, offset, 25) => got,
            _ = stop.changed() => return Ok(()),
        };
        let updates = match updates {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!(error = %e, "polling Telegram failed; trying again shortly");
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                continue;
            }
        };
        if updates.is_empty() {
            // Telegram holds an empty poll for the whole timeout; anything answering at once
            // (a proxy, a stand-in) is not asked again in a tight loop.
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_millis(250)) => {}
                _ = stop.changed() => return Ok(()),
            }
        }
        for raw in updates {
            offset = offset.max(raw["update_id"].as_i64().unwrap_or(0) + 1);
            let Ok(update) = serde_json::from_value::<telegram::Update>(raw) else { continue };
            let understood = telegram::understand(&update);
            if let Some(q) = &understood.callback_query {
                let call = telegram::Call {
                    method: "answerCallbackQuery",
                    params: serde_json::json!({ "callback_query_id": q }),
                };
                telegram::call(&client, &config.api_base, &config.token, &call).await;
            }
            if let Some(incoming) = understood.incoming {
                match engine.handle(&state, &tenant, incoming, None).await {
                    Ok(Handled::Answered { .. }) => {
                        if let Some(d) = state.extension::<crate::delivery::Delivery>() {
                            d.wake();
                        }
                    }
                    Ok(Handled::Duplicate) => {}
                    Err(e) => tracing::error!(error = ?e, "handling a Telegram update failed"),
                }
            }
        }
    }
}
