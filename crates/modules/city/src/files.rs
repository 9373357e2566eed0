//! A report's photos. The media crate checks, re-encodes (EXIF and GPS removed), stores and
//! serves them; this module says which photos a report has and when they become public: with
//! the report's publication.

use crate::KEY;
use crate::domain::MAX_PHOTOS;
use hromada_kernel::{CommunityId, UserId};
use hromada_media::{Accept, Limits, MediaFile, Processed, Upload, Variant};
use hromada_web::{AppResult, AppState, FieldErrors, Page, Value, context};
use uuid::Uuid;

pub const PHOTOS: &str = "photos";

/// Reads up to [`MAX_PHOTOS`] photos of the `photos` field (with `photos_alt`); problems become
/// field errors in the reader's language.
pub async fn read(upload: &mut Upload, errors: &mut FieldErrors) -> Vec<Processed> {
    if upload.files(PHOTOS).count() > MAX_PHOTOS {
        errors.add(PHOTOS, "city-invalid-photo-count");
        return vec![];
    }
    let photos = upload.process(PHOTOS, Accept::Images, &Limits::default()).await;
    for (field, keys) in std::mem::take(&mut upload.errors).0 {
        for key in keys {
            errors.add(&field, key);
        }
    }
    photos
}

pub async fn save(
    state: &AppState,
    community: CommunityId,
    report: Uuid,
    photos: &[Processed],
    by: Option<UserId>,
) -> AppResult<()> {
    let object = report.to_string();
    for photo in photos {
        let new = hromada_media::NewFile {
            owner: KEY,
            object_id: Some(&object),
            purpose: "photo",
            public: false,
            created_by: by,
        };
        hromada_media::store::save(&state.db, community, photo, &new, state.now()).await?;
    }
    Ok(())
}

/// Publication makes the report's photos public with it.
pub async fn publish(state: &AppState, community: CommunityId, report: Uuid) -> AppResult<()> {
    hromada_media::store::set_public(&state.db, community, KEY, &report.to_string(), true).await?;
    Ok(())
}

pub async fn list(state: &AppState, community: CommunityId, report: Uuid) -> AppResult<Vec<MediaFile>> {
    Ok(hromada_media::store::list_for(&state.db, community, KEY, &report.to_string()).await?)
}

/// What a page shows of the photos; a photo without its own description gets a plain one.
pub fn for_page(page: &Page, number: i64, files: &[MediaFile]) -> Vec<Value> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let alt = match f.alt_text.as_deref().map(str::trim) {
                Some(a) if !a.is_empty() => a.to_owned(),
                _ => {
                    let mut args = std::collections::BTreeMap::new();
                    args.insert("number", number.to_string());
                    args.insert("index", (i + 1).to_string());
                    crate::web::t_args(page, "city-photo-alt", &args)
                }
            };
            context! {
                alt => alt,
                href => page.url(&f.path(Variant::Original)),
                display => page.url(&f.path(Variant::Display)),
                thumb => page.url(&f.path(Variant::Thumb)),
                width => f.width,
                height => f.height,
            }
        })
        .collect()
}
