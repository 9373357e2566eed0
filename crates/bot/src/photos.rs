//! Photos residents send the bot, from any channel: checked and re-encoded by the media crate
//! (EXIF and GPS removed), then kept as a pending upload of the chat's account until a flow gives
//! it to its appeal or report. Pending uploads nobody took are purged after a day.

use hromada_kernel::{CommunityId, UserId};
use hromada_media::{Accept, Limits, NewFile};
use hromada_web::chat::CHAT_UPLOADS;
use hromada_web::{AppError, AppResult, AppState};
use uuid::Uuid;

/// Checks and stores a photo; `Err` with the media crate's reason for a file that is not one.
pub async fn keep(
    state: &AppState,
    community: CommunityId,
    by: Option<UserId>,
    bytes: Vec<u8>,
    file_name: &str,
) -> AppResult<Result<Uuid, hromada_media::MediaError>> {
    let name = file_name.to_owned();
    let processed = tokio::task::spawn_blocking(move || {
        hromada_media::process::process(&bytes, &name, "", Accept::Images, &Limits::default())
    })
    .await
    .map_err(|e| AppError::unexpected(e.to_string()))?;
    let processed = match processed {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    let new = NewFile { owner: CHAT_UPLOADS, object_id: None, purpose: "photo", public: false, created_by: by };
    let file = hromada_media::store::save(&state.db, community, &processed, &new, state.now()).await?;
    Ok(Ok(file.id))
}
