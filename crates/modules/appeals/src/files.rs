//! An appeal's attachments (art. 5 lets the author add documents and photos) and the signed
//! document of its answer. All private: the author, and the officials who handle it.

use crate::KEY;
use hromada_kernel::{CommunityId, UserId};
use hromada_media::{Accept, Limits, MediaFile, NewFile, Processed, Upload};
use hromada_web::{AppResult, AppState, FieldErrors};
use uuid::Uuid;

pub const ATTACHMENT: &str = "attachment";
pub const ANSWER: &str = "answer";
/// Files one appeal may carry.
pub const MAX_ATTACHMENTS: usize = 5;

/// Reads the `attachments` field (PDF or images); problems become field errors.
pub async fn read(upload: &mut Upload, errors: &mut FieldErrors) -> Vec<Processed> {
    let attachments = upload.process("attachments", Accept::Any, &Limits::default()).await;
    if attachments.len() > MAX_ATTACHMENTS {
        errors.add("attachments", "appeal-invalid-attachment-count");
    }
    for (field, keys) in std::mem::take(&mut upload.errors).0 {
        for key in keys {
            errors.add(&field, key);
        }
    }
    attachments
}

pub async fn save(
    state: &AppState,
    community: CommunityId,
    appeal: Uuid,
    files: &[Processed],
    purpose: &str,
    by: UserId,
) -> AppResult<Vec<MediaFile>> {
    let object = appeal.to_string();
    let new = NewFile { owner: KEY, object_id: Some(&object), purpose, public: false, created_by: Some(by) };
    let mut saved = vec![];
    for file in files {
        saved.push(hromada_media::store::save(&state.db, community, file, &new, state.now()).await?);
    }
    Ok(saved)
}

/// The answer's document, which its author may open as well as the officials.
pub async fn save_answer(
    state: &AppState,
    community: CommunityId,
    appeal: Uuid,
    author: UserId,
    documents: &[Processed],
    by: UserId,
) -> AppResult<()> {
    for file in save(state, community, appeal, documents, ANSWER, by).await? {
        hromada_media::store::share_with(&state.db, community, KEY, file.id, author).await?;
    }
    Ok(())
}

pub async fn list(state: &AppState, community: CommunityId, appeal: Uuid) -> AppResult<Vec<MediaFile>> {
    Ok(hromada_media::store::list_for(&state.db, community, KEY, &appeal.to_string()).await?)
}
