//! The editors' news, documents and media library.

use crate::KEY;
use crate::admin::actor;
use crate::store::{self, NewDocument, NewsDraft};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use hromada_db::core::settlements;
use hromada_kernel::Permission;
use hromada_media::{Accept, Limits, MediaFile, NewFile, Upload, Variant};
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use uuid::Uuid;

/// The object the library's files belong to.
const LIBRARY: &str = "library";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/news", get(news_admin))
        .route("/news/new", get(new_news).post(create_news))
        .route("/news/{id}", get(edit_news).post(update_news))
        .route("/news/{id}/delete", post(delete_news))
        .route("/documents", get(documents_admin).post(create_document))
        .route("/documents/{id}/delete", post(delete_document))
        .route("/media", get(media_admin).post(upload_media))
}

// ---------------------------------------------------------------------------------------------
// Media library

async fn library(state: &AppState, tenant: &Tenant) -> AppResult<Vec<MediaFile>> {
    Ok(hromada_media::store::list_for(&state.db, tenant.community.id, KEY, LIBRARY).await?)
}

/// The library's images for a select or a list of checkboxes.
pub async fn library_images(state: &AppState, page: &Page, tenant: &Tenant) -> AppResult<Vec<Value>> {
    Ok(library(state, tenant)
        .await?
        .iter()
        .filter(|f| f.is_image())
        .map(|f| {
            context! {
                value => f.id.to_string(),
                label => format!("{} — {}", f.file_name, f.alt_text.as_deref().unwrap_or("")),
                alt => f.alt_text.as_deref().unwrap_or(""),
                thumb => page.url(&f.path(Variant::Thumb)),
            }
        })
        .collect())
}

/// An image of this community's library, or `None`.
pub async fn library_image(state: &AppState, tenant: &Tenant, id: Uuid) -> AppResult<Option<MediaFile>> {
    let file = hromada_media::store::get(&state.db, tenant.community.id, id).await?;
    Ok(file.filter(|f| f.owner == KEY && f.object_id.as_deref() == Some(LIBRARY) && f.is_image()))
}

pub async fn is_library_image(state: &AppState, tenant: &Tenant, id: Uuid) -> AppResult<bool> {
    Ok(library_image(state, tenant, id).await?.is_some())
}

async fn media_admin(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    render_media(&state, &page, &tenant, &FieldErrors::new(), StatusCode::OK).await
}

async fn render_media(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let files: Vec<Value> =
        library(state, tenant).await?.iter().map(|f| hromada_media::view::describe(page, f)).collect();
    page.render_status(status, "cms/media.html", context! { files => files, errors => Serde(errors) })
}

/// Uploads go to the site's library, public at once: they are there to be shown. Images
/// need their text alternative before they are taken.
async fn upload_media(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = viewer.require(Permission::EditContent)?;
    let alt = upload.text("file_alt").trim().to_owned();
    let is_image = upload.files("file").any(|f| {
        hromada_media::process::sniff(&f.bytes).is_some_and(|format| format.kind() == hromada_media::Kind::Image)
    });
    if upload.files("file").next().is_none() {
        upload.refuse("file", "cms-invalid-file");
    }
    if is_image && alt.is_empty() {
        upload.refuse("file_alt", "cms-invalid-alt");
    }
    let processed =
        if upload.errors.is_empty() { upload.process("file", Accept::Any, &Limits::default()).await } else { vec![] };
    if !upload.errors.is_empty() {
        return render_media(&state, &page, &tenant, &upload.errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    for file in &processed {
        let purpose = if file.kind == hromada_media::Kind::Image { "image" } else { "document" };
        let new = NewFile { owner: KEY, object_id: Some(LIBRARY), purpose, public: true, created_by: Some(user.id) };
        let saved = hromada_media::store::save(&state.db, tenant.community.id, file, &new, state.now()).await?;
        state
            .audit(
                Some(tenant.community.id),
                &actor(&viewer),
                "cms.media_upload",
                "media_file",
                saved.id,
                &saved.file_name,
            )
            .await?;
    }
    Ok(page.redirect_with(&tenant.url("/admin/cms/media"), Flash::success("cms-media-uploaded")))
}

// ---------------------------------------------------------------------------------------------
// News

async fn news_admin(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let now = state.now();
    let items: Vec<Value> = store::all_news(&state.db, tenant.community.id, 200, 0)
        .await?
        .iter()
        .map(|n| {
            let status = match (n.status.as_str(), n.published_at) {
                ("published", Some(at)) if at > now => "scheduled",
                ("published", _) => "published",
                _ => "draft",
            };
            context! {
                id => n.id.to_string(), number => n.number, title => &n.title_uk, status => status,
                status_label => page.t(&format!("cms-news-{status}")),
                at => n.published_at.map(|d| hromada_kernel::clock::kyiv_time(d).format("%d.%m.%Y %H:%M").to_string()),
                pinned => n.pinned == 1,
            }
        })
        .collect();
    page.render("cms/news_admin.html", context! { items => items })
}

/// The news form's fields as they were typed, so that a refused form comes back filled in.
#[derive(Debug, Default, serde::Serialize)]
struct NewsForm {
    title_uk: String,
    title_en: String,
    summary_uk: String,
    summary_en: String,
    body_uk: String,
    body_en: String,
    category: String,
    tags: String,
    cover: String,
    pinned: bool,
    settlements: Vec<String>,
    when: String,
    at: String,
}

impl NewsForm {
    fn read(form: &Upload) -> Self {
        let text = |n: &str| form.text(n).trim().to_owned();
        NewsForm {
            title_uk: text("title_uk"),
            title_en: text("title_en"),
            summary_uk: text("summary_uk"),
            summary_en: text("summary_en"),
            body_uk: text("body_uk"),
            body_en: text("body_en"),
            category: text("category"),
            tags: text("tags"),
            cover: text("cover"),
            pinned: form.text("pinned") == "1",
            settlements: form.texts("settlements").map(str::to_owned).collect(),
            when: text("when"),
            at: text("at"),
        }
    }

    fn of(n: &store::News) -> Self {
        NewsForm {
            title_uk: n.title_uk.clone(),
            title_en: n.title_en.clone(),
            summary_uk: n.summary_uk.clone(),
            summary_en: n.summary_en.clone(),
            body_uk: n.body_uk.clone(),
            body_en: n.body_en.clone(),
            category: n.category.clone(),
            tags: n.tags.clone(),
            cover: n.cover.map(|c| c.to_string()).unwrap_or_default(),
            pinned: n.pinned == 1,
            settlements: n.settlements.0.iter().map(Uuid::to_string).collect(),
            when: if n.status == "published" { "later".into() } else { "draft".into() },
            at: n
                .published_at
                .map(|d| hromada_kernel::clock::kyiv_time(d).format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default(),
        }
    }

    /// The draft to store, or what is wrong with the form.
    async fn check(&self, state: &AppState, tenant: &Tenant) -> AppResult<Result<NewsDraft, FieldErrors>> {
        let now = state.now();
        let mut errors = FieldErrors::new();
        if !(2..=300).contains(&self.title_uk.chars().count()) {
            errors.add("title_uk", "cms-invalid-title");
        }
        if self.summary_uk.chars().count() > 600 || self.summary_en.chars().count() > 600 {
            errors.add("summary_uk", "cms-invalid-too-long");
        }
        if self.body_uk.is_empty() {
            errors.add("body_uk", "cms-invalid-text");
        }
        if self.body_uk.len() > 100_000 || self.body_en.len() > 100_000 {
            errors.add("body_uk", "cms-invalid-too-long");
        }
        let cover = match self.cover.as_str() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(id) if is_library_image(state, tenant, id).await? => Some(id),
                _ => {
                    errors.add("cover", "cms-invalid-image");
                    None
                }
            },
        };
        let known: Vec<Uuid> = settlements::list(&state.db, tenant.community.id).await?.iter().map(|s| s.id).collect();
        let targets: Vec<Uuid> =
            self.settlements.iter().filter_map(|s| Uuid::parse_str(s).ok()).filter(|id| known.contains(id)).collect();
        let publish_at = match self.when.as_str() {
            "now" => Some(now),
            "later" => match hromada_kernel::clock::parse_kyiv_input(&self.at) {
                Some(at) => Some(at),
                None => {
                    errors.add("at", "cms-invalid-publish-at");
                    None
                }
            },
            _ => None,
        };
        // Tags as the filter reads them: trimmed, comma-separated, no empties or repeats.
        let mut tags: Vec<String> = vec![];
        for tag in self.tags.split(',').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
            if !tags.contains(&tag) && tags.len() < 12 {
                tags.push(tag.chars().take(40).collect());
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        Ok(Ok(NewsDraft {
            title_uk: self.title_uk.clone(),
            title_en: self.title_en.clone(),
            summary_uk: self.summary_uk.clone(),
            summary_en: self.summary_en.clone(),
            body_uk: self.body_uk.clone(),
            body_en: self.body_en.clone(),
            category: self.category.chars().take(80).collect(),
            tags: tags.join(","),
            cover,
            pinned: self.pinned,
            settlements: targets,
            publish_at,
        }))
    }
}

async fn render_news_form(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    id: Option<Uuid>,
    form: &NewsForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let places: Vec<Value> = settlements::list(&state.db, tenant.community.id)
        .await?
        .iter()
        .map(|s| context! { value => s.id.to_string(), label => s.name(page.lang), checked => form.settlements.contains(&s.id.to_string()) })
        .collect();
    let categories = store::news_categories(&state.db, tenant.community.id).await?;
    let library = library_images(state, page, tenant).await?;
    let number = match id {
        Some(id) => store::news(&state.db, tenant.community.id, id).await?.map(|n| n.number),
        None => None,
    };
    page.render_status(
        status,
        "cms/news_edit.html",
        context! {
            id => id.map(|i| i.to_string()), number => number, form => Serde(form), errors => Serde(errors),
            settlements => places, categories => categories, library => library,
        },
    )
}

async fn new_news(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let form = NewsForm { when: "now".into(), ..Default::default() };
    render_news_form(&state, &page, &tenant, None, &form, &FieldErrors::new(), StatusCode::OK).await
}

async fn create_news(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let user = viewer.require(Permission::EditContent)?;
    let form = NewsForm::read(&upload);
    let draft = match form.check(&state, &tenant).await? {
        Ok(d) => d,
        Err(errors) => {
            return render_news_form(&state, &page, &tenant, None, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let (id, _) = store::create_news(&state.db, tenant.community.id, &draft, Some(user.id), state.now()).await?;
    state.audit(Some(tenant.community.id), &actor(&viewer), "cms.news_create", "cms_news", id, &draft.title_uk).await?;
    crate::announce_due_news(&state).await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/news"), Flash::success(news_flash(&draft, &state))))
}

fn news_flash(draft: &NewsDraft, state: &AppState) -> &'static str {
    match draft.publish_at {
        None => "cms-news-saved-draft",
        Some(at) if at > state.now() => "cms-news-scheduled-flash",
        Some(_) => "cms-news-published-flash",
    }
}

async fn edit_news(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let item = store::news(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    render_news_form(&state, &page, &tenant, Some(id), &NewsForm::of(&item), &FieldErrors::new(), StatusCode::OK).await
}

async fn update_news(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    upload: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let existing = store::news(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    let form = NewsForm::read(&upload);
    let mut draft = match form.check(&state, &tenant).await? {
        Ok(d) => d,
        Err(errors) => {
            return render_news_form(
                &state,
                &page,
                &tenant,
                Some(id),
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    // "Publish now" on an item already out keeps its original date: a correction is not news.
    if form.when == "now"
        && let Some(at) = existing.published_at.filter(|at| existing.status == "published" && *at <= state.now())
    {
        draft.publish_at = Some(at);
    }
    store::update_news(&state.db, tenant.community.id, id, &draft, state.now()).await?;
    state.audit(Some(tenant.community.id), &actor(&viewer), "cms.news_edit", "cms_news", id, &draft.title_uk).await?;
    crate::announce_due_news(&state).await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/news"), Flash::success(news_flash(&draft, &state))))
}

async fn delete_news(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    if !store::delete_news(&state.db, tenant.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    state.audit(Some(tenant.community.id), &actor(&viewer), "cms.news_delete", "cms_news", id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/news"), Flash::success("flash-deleted")))
}

// ---------------------------------------------------------------------------------------------
// Documents

#[derive(Debug, Default, serde::Serialize)]
struct DocumentForm {
    title: String,
    act_number: String,
    act_date: String,
    category: String,
    description: String,
}

async fn documents_admin(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    render_documents(&state, &page, &tenant, &DocumentForm::default(), &FieldErrors::new(), StatusCode::OK).await
}

async fn render_documents(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    form: &DocumentForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let (docs, total) = store::documents(&state.db, tenant.community.id, &Default::default(), 200, 0).await?;
    let items: Vec<Value> =
        docs.iter().map(|d| context! { id => d.id.to_string(), ..crate::web::document_card(page, d) }).collect();
    let categories = store::document_categories(&state.db, tenant.community.id).await?;
    page.render_status(
        status,
        "cms/documents_admin.html",
        context! { items => items, total => total, categories => categories, form => Serde(form), errors => Serde(errors) },
    )
}

async fn create_document(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = viewer.require(Permission::EditContent)?;
    let text = |n: &str| upload.text(n).trim().to_owned();
    let form = DocumentForm {
        title: text("title"),
        act_number: text("act_number"),
        act_date: text("act_date"),
        category: text("category"),
        description: text("description"),
    };
    let act_date = NaiveDate::parse_from_str(&form.act_date, "%Y-%m-%d").ok();
    if !(2..=300).contains(&form.title.chars().count()) {
        upload.refuse("title", "cms-invalid-title");
    }
    if !form.act_date.is_empty() && act_date.is_none() {
        upload.refuse("act_date", "cms-invalid-date");
    }
    if form.description.len() > 20_000 || form.act_number.chars().count() > 80 || form.category.chars().count() > 80 {
        upload.refuse("description", "cms-invalid-too-long");
    }
    let files = upload.process("file", Accept::Any, &Limits::default()).await;
    if !upload.errors.is_empty() {
        return render_documents(&state, &page, &tenant, &form, &upload.errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let mut file = None;
    if let Some(processed) = files.first() {
        let new = NewFile {
            owner: KEY,
            object_id: Some("documents"),
            purpose: "document",
            public: true,
            created_by: Some(user.id),
        };
        file = Some(hromada_media::store::save(&state.db, tenant.community.id, processed, &new, state.now()).await?.id);
    }
    let doc = NewDocument {
        title: form.title.clone(),
        act_number: form.act_number.clone(),
        act_date,
        category: form.category.clone(),
        description: form.description.clone(),
        file,
    };
    let (id, _) = store::create_document(&state.db, tenant.community.id, &doc, Some(user.id), state.now()).await?;
    state
        .audit(Some(tenant.community.id), &actor(&viewer), "cms.document_create", "cms_document", id, &doc.title)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/documents"), Flash::success("flash-saved")))
}

async fn delete_document(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let doc = store::document_by_id(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    store::delete_document(&state.db, tenant.community.id, id).await?;
    state
        .audit(Some(tenant.community.id), &actor(&viewer), "cms.document_delete", "cms_document", id, &doc.title)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/documents"), Flash::success("flash-deleted")))
}
