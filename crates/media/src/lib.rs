//! Uploaded files for every module: petition images and attachments, answer documents, appeal
//! photos, the site's media library.
//!
//! A handler reads a multipart form with [`Upload::read`], checks and re-encodes its files with
//! [`Upload::process`] (the real type from the bytes, size and pixel limits, EXIF and other
//! metadata removed, a display variant and a thumbnail), stores them in the database with
//! [`store::save`] under its module's key and object, and links to [`path`] on pages. Files are
//! served by [`routes`], which each community mounts.
//!
//! ```text
//! // The form: <form method="post" enctype="multipart/form-data"> with the usual hidden `_csrf`
//! // field, <input type="file" name="images" accept="image/jpeg,image/png,image/webp" multiple>
//! // and <input name="images_alt"> for the text alternative.
//! async fn create(
//!     State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant, multipart: Multipart,
//! ) -> AppResult<Response> {
//!     let user = viewer.require_user()?;
//!     let mut upload = Upload::read(multipart, &UploadLimits::default()).await;
//!     let form: PetitionForm = upload.form()?;
//!     let images = upload.process("images", Accept::Images, &Limits::default()).await;
//!     let mut errors = std::mem::take(&mut upload.errors);
//!     // … the module's own checks add to `errors`; if any, show the form again (422).
//!     let petition = store::create(&state.db, tenant.community.id, &form, state.now()).await?;
//!     let id = petition.id.to_string();
//!     for image in &images {
//!         let new = NewFile { owner: KEY, object_id: Some(&id), purpose: "image", public: false, created_by: Some(user.id) };
//!         hromada_media::store::save(&state.db, tenant.community.id, image, &new, state.now()).await?;
//!     }
//!     // Once the petition is published: store::set_public(&db, community, KEY, &id, true).
//!     Ok(page.redirect_with(&tenant.url(&format!("/petitions/{}", petition.number)), Flash::success("…")))
//! }
//! // On the page: hromada_media::store::list_for(&db, community, KEY, &id) gives the files;
//! // <img src="{{ base }}/media/{{ f.id }}/thumb" alt="{{ f.alt_text or '' }}">, and
//! // <a href="{{ base }}/media/{{ f.id }}/original">{{ f.file_name }}</a> for documents.
//! ```

pub mod process;
pub mod serve;
pub mod store;
pub mod upload;
pub mod view;

pub use process::{Accept, Kind, Limits, MediaError, Processed, Variant};
pub use store::{MediaFile, NewFile};
pub use upload::{Upload, UploadLimits, UploadedFile};

use axum::Router;
use axum::routing::get;
use hromada_db::{Migration, migration};
use hromada_kernel::Lang;
use hromada_web::AppState;
use hromada_web::i18n::Locales;
use uuid::Uuid;

/// Owner of the tables and of the translations.
pub const KEY: &str = "media";

/// The tables; they follow the core's migrations, before any module's.
pub fn migrations() -> Vec<Migration> {
    vec![migration!(KEY, 1, "0001_media"), migration!(KEY, 2, "0002_visible_to")]
}

/// The error messages of uploads.
pub fn locales() -> Locales {
    vec![(Lang::Uk, include_str!("../locales/uk/media.ftl")), (Lang::En, include_str!("../locales/en/media.ftl"))]
}

/// `GET /media/{id}/{variant}`, for a community's router.
pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{id}/{variant}", get(serve::file))
}

/// Path of a file's variant inside the community; prefix it with `tenant.url(…)` or `page.url(…)`.
pub fn path(id: Uuid, variant: Variant) -> String {
    format!("/media/{id}/{}", variant.code())
}
