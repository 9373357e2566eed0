//! A petition's image and attachments, and the document of the council's answer. The media
//! crate checks, re-encodes, stores and serves them; this module says which files a petition
//! has and who may see them: the author and officials until publication, everyone after.

use crate::KEY;
use hromada_kernel::{CommunityId, UserId};
use hromada_media::{Accept, Limits, MediaFile, NewFile, Processed, Upload};
use hromada_web::{AppResult, AppState, FieldErrors, Page, Value, context};
use uuid::Uuid;

pub const IMAGE: &str = "image";
pub const ATTACHMENT: &str = "attachment";
pub const ANSWER: &str = "answer";
/// Attachments one petition may carry.
pub const MAX_ATTACHMENTS: usize = 3;

/// Files sent with the petition form, checked and re-encoded.
#[derive(Default)]
pub struct PetitionFiles {
    image: Option<Processed>,
    attachments: Vec<Processed>,
}

/// Reads the `image` (with `image_alt`) and `attachments` fields; problems become field errors.
pub async fn read(upload: &mut Upload, existing_attachments: usize, errors: &mut FieldErrors) -> PetitionFiles {
    let limits = Limits::default();
    let mut images = upload.process(IMAGE, Accept::Images, &limits).await;
    if images.len() > 1 {
        errors.add(IMAGE, "petition-invalid-image-count");
    }
    let image = images.drain(..).next();
    if image.as_ref().is_some_and(|i| i.alt_text.as_deref().is_none_or(|a| a.trim().is_empty())) {
        errors.add("image_alt", "petition-invalid-image-alt");
    }
    let attachments = upload.process("attachments", Accept::Any, &limits).await;
    if existing_attachments + attachments.len() > MAX_ATTACHMENTS {
        errors.add("attachments", "petition-invalid-attachment-count");
    }
    for (field, keys) in std::mem::take(&mut upload.errors).0 {
        for key in keys {
            errors.add(&field, key);
        }
    }
    PetitionFiles { image, attachments }
}

/// Stores what [`read`] accepted for the petition; a new image replaces the old one.
pub async fn save(
    state: &AppState,
    community: CommunityId,
    petition: Uuid,
    files: PetitionFiles,
    by: UserId,
) -> AppResult<()> {
    let object = petition.to_string();
    if let Some(image) = files.image {
        for old in hromada_media::store::list_for(&state.db, community, KEY, &object).await? {
            if old.purpose == IMAGE {
                hromada_media::store::delete(&state.db, community, KEY, old.id).await?;
            }
        }
        store_one(state, community, &object, &image, IMAGE, false, by).await?;
    }
    for attachment in &files.attachments {
        store_one(state, community, &object, attachment, ATTACHMENT, false, by).await?;
    }
    Ok(())
}

/// Stores the document of the council's answer; public at once, like the answer.
pub async fn save_answer(
    state: &AppState,
    community: CommunityId,
    petition: Uuid,
    document: &Processed,
    by: UserId,
) -> AppResult<()> {
    store_one(state, community, &petition.to_string(), document, ANSWER, true, by).await
}

async fn store_one(
    state: &AppState,
    community: CommunityId,
    object: &str,
    file: &Processed,
    purpose: &str,
    public: bool,
    by: UserId,
) -> AppResult<()> {
    let new = NewFile { owner: KEY, object_id: Some(object), purpose, public, created_by: Some(by) };
    hromada_media::store::save(&state.db, community, file, &new, state.now()).await?;
    Ok(())
}

/// Removes the petition's files with the given ids (the author's "remove" boxes).
pub async fn remove(state: &AppState, community: CommunityId, petition: Uuid, ids: &[Uuid]) -> AppResult<()> {
    let mine = list(state, community, petition).await?;
    for id in ids.iter().filter(|id| mine.iter().any(|f| f.id == **id && f.purpose != ANSWER)) {
        hromada_media::store::delete(&state.db, community, KEY, *id).await?;
    }
    Ok(())
}

/// Publication makes the petition's files public with it.
pub async fn publish(state: &AppState, community: CommunityId, petition: Uuid) -> AppResult<()> {
    hromada_media::store::set_public(&state.db, community, KEY, &petition.to_string(), true).await?;
    Ok(())
}

pub async fn list(state: &AppState, community: CommunityId, petition: Uuid) -> AppResult<Vec<MediaFile>> {
    Ok(hromada_media::store::list_for(&state.db, community, KEY, &petition.to_string()).await?)
}

/// What a page shows of the files: the image, the attachments and the answer's documents.
pub fn for_page(page: &Page, files: &[MediaFile]) -> Value {
    use hromada_media::view::describe_all;
    context! {
        image => describe_all(page, files, IMAGE).into_iter().next(),
        attachments => describe_all(page, files, ATTACHMENT),
        answer => describe_all(page, files, ANSWER),
    }
}
