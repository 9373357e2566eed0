//! The editors' side of the site: pages and their blocks, publishing and history. News,
//! documents, the media library and the site's frame live in `admin_content` and `admin_site`.

use crate::domain::{self, Block, GalleryImage, NoticeLevel, PageContent, Question, Tile};
use crate::store::{self, Author, PageError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::core::audit::Actor;
use hromada_kernel::Permission;
use hromada_media::Upload;
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/pages", post(create_page))
        .route("/pages/{id}", get(editor))
        .route("/pages/{id}/meta", post(save_meta))
        .route("/pages/{id}/preview", get(preview))
        .route("/pages/{id}/blocks/{index}", get(block_form).post(save_block))
        .route("/pages/{id}/blocks/{index}/move", post(move_block))
        .route("/pages/{id}/blocks/{index}/delete", post(delete_block))
        .route("/pages/{id}/publish", post(publish))
        .route("/pages/{id}/unpublish", post(unpublish))
        .route("/pages/{id}/restore", post(restore))
        .route("/pages/{id}/delete", post(delete_page))
        .merge(crate::admin_content::routes())
        .merge(crate::admin_site::routes())
}

pub fn author(viewer: &Viewer) -> Author {
    let user = viewer.user.as_ref();
    Author { id: user.map(|u| u.id), name: user.map(|u| u.full_name.clone()).unwrap_or_default() }
}

pub fn actor(viewer: &Viewer) -> Actor {
    viewer.user.as_ref().map(Actor::user).unwrap_or_else(Actor::system)
}

fn page_error(e: PageError) -> AppError {
    match e {
        PageError::SlugTaken => {
            let mut errors = FieldErrors::new();
            errors.add("slug", "cms-slug-taken");
            AppError::Invalid(errors)
        }
        PageError::Stale => AppError::Conflict("cms-page-changed"),
        PageError::NotFound => AppError::NotFound,
        PageError::Db(e) => e.into(),
    }
}

/// A new draft of a page, made from the version the editor's form was opened on: stored with
/// its revision (refused if someone changed the page since), then audited.
#[allow(clippy::too_many_arguments)]
async fn save_change(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    id: Uuid,
    version: i64,
    content: &PageContent,
    revision: &str,
    audit: (&str, &str),
) -> AppResult<()> {
    store::save_draft(&state.db, tenant.community.id, id, version, content, revision, &author(viewer), state.now())
        .await
        .map_err(page_error)?;
    state.audit(Some(tenant.community.id), &actor(viewer), audit.0, "cms_page", id, audit.1).await?;
    Ok(())
}

fn pages_url(tenant: &Tenant, id: Uuid) -> String {
    tenant.url(&format!("/admin/cms/pages/{id}"))
}

async fn overview(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    render_overview(&state, &page, &tenant, &FieldErrors::new(), "", "", StatusCode::OK).await
}

async fn render_overview(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    errors: &FieldErrors,
    title: &str,
    slug: &str,
    status: StatusCode,
) -> AppResult<Response> {
    let now = state.now();
    let pages: Vec<Value> = store::pages(&state.db, tenant.community.id)
        .await?
        .iter()
        .map(|p| {
            context! {
                id => p.id.to_string(),
                title => p.draft.0.title(page.lang),
                href => if p.is_home() { page.url("/") } else { page.url(&format!("/pages/{}", p.slug)) },
                home => p.is_home(),
                live => p.visible(now).is_some(),
                scheduled => p.scheduled_at.filter(|at| *at > now).map(|at| hromada_kernel::clock::kyiv_time(at).format("%d.%m.%Y %H:%M").to_string()),
                changed => p.has_unpublished_changes(),
            }
        })
        .collect();
    let has_home = store::home_page(&state.db, tenant.community.id).await?.is_some();
    page.render_status(
        status,
        "cms/admin.html",
        context! { pages => pages, has_home => has_home, errors => Serde(errors), form => context! { title => title, slug => slug } },
    )
}

async fn create_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let title = form.text("title_uk").trim().to_owned();
    let home = form.text("home") == "1";
    let slug = match form.text("slug").trim() {
        "" if home => "home".to_owned(),
        "" => domain::slug_from(&title),
        s => s.to_owned(),
    };
    let mut errors = FieldErrors::new();
    if !(2..=200).contains(&title.chars().count()) {
        errors.add("title_uk", "cms-invalid-title");
    }
    if !domain::slug_is_valid(&slug) {
        errors.add("slug", "cms-invalid-slug");
    }
    if home && store::home_page(&state.db, tenant.community.id).await?.is_some() {
        errors.add("home", "cms-home-exists");
    }
    if errors.is_empty() {
        let content = PageContent { title_uk: title.clone(), ..Default::default() };
        match store::create_page(&state.db, tenant.community.id, &slug, home, &content, &author(&viewer), state.now())
            .await
        {
            Ok(id) => {
                state
                    .audit(Some(tenant.community.id), &actor(&viewer), "cms.page_create", "cms_page", id, &title)
                    .await?;
                return Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success("cms-page-created")));
            }
            Err(PageError::SlugTaken) => errors.add("slug", "cms-slug-taken"),
            // Two editors making the home page at once: the index lets one through.
            Err(PageError::Db(e)) if e.is_unique_on("home") || e.is_unique_on("cms_pages.community_id") => {
                errors.add("home", "cms-home-exists")
            }
            Err(e) => return Err(page_error(e)),
        }
    }
    render_overview(&state, &page, &tenant, &errors, &title, &slug, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn load(state: &AppState, tenant: &Tenant, id: Uuid) -> AppResult<store::StoredPage> {
    store::page(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)
}

async fn editor(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    render_editor(&state, &page, &tenant, &stored, &FieldErrors::new(), None, StatusCode::OK).await
}

/// A block as the editor's list shows it: its kind and a line of what it holds.
fn block_summary(page: &Page, block: &Block) -> String {
    let short = |s: &str| hromada_kernel::text::excerpt(s, 90);
    match block {
        Block::Text { uk, .. } | Block::Notice { uk, .. } => short(uk),
        Block::Image { alt_uk, .. } => short(alt_uk),
        Block::Gallery { images } => page.t_count("cms-count-images", images.len() as i64),
        Block::News { count, category } | Block::Documents { count, category } => {
            format!("{count}{}", if category.is_empty() { String::new() } else { format!(" · {category}") })
        }
        Block::Tiles { items } => short(&items.iter().map(|t| t.title_uk.as_str()).collect::<Vec<_>>().join(", ")),
        Block::Faq { items } => short(&items.iter().map(|q| q.question_uk.as_str()).collect::<Vec<_>>().join(" · ")),
        Block::Video { title_uk, .. } => short(title_uk),
        Block::Widget { choice, .. } => choice.clone(),
    }
}

fn block_label(page: &Page, block: &Block) -> String {
    match block {
        Block::Widget { key, .. } => page
            .state
            .modules
            .iter()
            .flat_map(|m| m.widgets())
            .find(|w| w.key == key)
            .map(|w| page.t(w.label))
            .unwrap_or_else(|| key.clone()),
        b => page.t(&format!("cms-block-{}", b.kind())),
    }
}

/// The kinds an editor may add: the site's own, then each module's widgets.
fn addable(page: &Page) -> Vec<Value> {
    let mut out: Vec<Value> = domain::BLOCK_KINDS
        .iter()
        .map(|k| context! { value => *k, label => page.t(&format!("cms-block-{k}")) })
        .collect();
    for w in page.state.modules.iter().flat_map(|m| m.widgets()) {
        out.push(context! { value => format!("widget:{}", w.key), label => page.t(w.label) });
    }
    out
}

async fn render_editor(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    stored: &store::StoredPage,
    errors: &FieldErrors,
    meta: Option<&PageContent>,
    status: StatusCode,
) -> AppResult<Response> {
    let now = state.now();
    let draft = &stored.draft.0;
    let blocks: Vec<Value> = draft
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            context! {
                index => i, label => block_label(page, b), summary => block_summary(page, b),
                first => i == 0, last => i + 1 == draft.blocks.len(), editable => !matches!(b, Block::Widget { .. }) || widget_takes_choice(page, b),
            }
        })
        .collect();
    let revisions: Vec<Value> = store::revisions(&state.db, tenant.community.id, stored.id, 30)
        .await?
        .iter()
        .map(|r| {
            context! {
                version => r.version, action => page.t(&format!("cms-revision-{}", r.action)), author => &r.author_name,
                at => hromada_kernel::clock::kyiv_time(r.created_at).format("%d.%m.%Y %H:%M").to_string(),
                current => r.version == stored.draft_version,
            }
        })
        .collect();
    let meta = meta.unwrap_or(draft);
    page.render_status(
        status,
        "cms/page_edit.html",
        context! {
            id => stored.id.to_string(),
            slug => &stored.slug,
            home => stored.is_home(),
            version => stored.draft_version,
            meta => Serde(meta),
            title => draft.title(page.lang),
            blocks => blocks,
            next_index => draft.blocks.len(),
            addable => addable(page),
            live => stored.visible(now).is_some(),
            changed => stored.has_unpublished_changes(),
            scheduled => stored.scheduled_at.filter(|at| *at > now).map(|at| hromada_kernel::clock::kyiv_time(at).format("%d.%m.%Y %H:%M").to_string()),
            public_href => if stored.is_home() { tenant.url("/") } else { tenant.url(&format!("/pages/{}", stored.slug)) },
            revisions => revisions,
            errors => Serde(errors),
        },
    )
}

fn widget_takes_choice(page: &Page, block: &Block) -> bool {
    let Block::Widget { key, .. } = block else { return false };
    page.state.modules.iter().flat_map(|m| m.widgets()).any(|w| w.key == key && w.takes_choice)
}

fn version_of(form: &Upload) -> AppResult<i64> {
    form.text("version").parse().map_err(|_| AppError::Invalid(FieldErrors::new()))
}

async fn save_meta(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let version = version_of(&form)?;
    let mut content = stored.draft.0.clone();
    content.title_uk = form.text("title_uk").trim().to_owned();
    content.title_en = form.text("title_en").trim().to_owned();
    content.summary_uk = form.text("summary_uk").trim().to_owned();
    content.summary_en = form.text("summary_en").trim().to_owned();
    let slug = form.text("slug").trim().to_owned();
    let mut errors = FieldErrors::new();
    if !(2..=200).contains(&content.title_uk.chars().count()) {
        errors.add("title_uk", "cms-invalid-title");
    }
    if content.title_en.chars().count() > 200
        || content.summary_uk.chars().count() > 400
        || content.summary_en.chars().count() > 400
    {
        errors.add("summary_uk", "cms-invalid-too-long");
    }
    if !stored.is_home() && !domain::slug_is_valid(&slug) {
        errors.add("slug", "cms-invalid-slug");
    }
    if !errors.is_empty() {
        return render_editor(
            &state,
            &page,
            &tenant,
            &stored,
            &errors,
            Some(&content),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = state.now();
    if !stored.is_home()
        && slug != stored.slug
        && let Err(e) = store::set_slug(&state.db, tenant.community.id, id, &slug, now).await
    {
        let PageError::SlugTaken = e else { return Err(page_error(e)) };
        errors.add("slug", "cms-slug-taken");
        return render_editor(
            &state,
            &page,
            &tenant,
            &stored,
            &errors,
            Some(&content),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    save_change(&state, &viewer, &tenant, id, version, &content, "edit", ("cms.page_edit", &content.title_uk)).await?;
    Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success("flash-saved")))
}

async fn preview(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let canonical = tenant.absolute_url(&state, &format!("/pages/{}", stored.slug)).await;
    crate::web::render_page(&page, &stored.draft.0, canonical, stored.is_home()).await
}

#[derive(Debug, Deserialize)]
struct KindQuery {
    #[serde(default)]
    kind: Option<String>,
}

/// The block being edited: an existing one, or a new one of the asked kind at the end.
fn block_at(page: &Page, content: &PageContent, index: usize, kind: Option<&str>) -> AppResult<Block> {
    if let Some(block) = content.blocks.get(index) {
        return Ok(block.clone());
    }
    if index != content.blocks.len() {
        return Err(AppError::NotFound);
    }
    let kind = kind.unwrap_or_default();
    if let Some(widget) = kind.strip_prefix("widget:") {
        let known = page.state.modules.iter().flat_map(|m| m.widgets()).any(|w| w.key == widget);
        return if known {
            Ok(Block::Widget { key: widget.to_owned(), choice: String::new() })
        } else {
            Err(AppError::NotFound)
        };
    }
    Block::empty(kind).ok_or(AppError::NotFound)
}

async fn block_form(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, index)): Path<(Uuid, usize)>,
    Query(q): Query<KindQuery>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let block = block_at(&page, &stored.draft.0, index, q.kind.as_deref())?;
    render_block_form(&state, &page, &tenant, &stored, index, &block, &FieldErrors::new(), StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render_block_form(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    stored: &store::StoredPage,
    index: usize,
    block: &Block,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let library = crate::admin_content::library_images(state, page, tenant).await?;
    let choices = match block {
        Block::Widget { key, .. } => {
            let mut out = vec![];
            for m in &state.modules {
                if m.widgets().iter().any(|w| w.key == key && w.takes_choice) {
                    out = m.widget_choices(page, key).await?;
                }
            }
            out.into_iter().map(|(value, label)| context! { value => value, label => label }).collect()
        }
        _ => vec![],
    };
    // Repeated rows: the ones there are and two empty ones to add more without scripts.
    let rows = match block {
        Block::Tiles { items } => items.len() + 2,
        Block::Faq { items } => items.len() + 2,
        _ => 0,
    };
    let kind_param = match block {
        Block::Widget { key, .. } => format!("widget:{key}"),
        b => b.kind().to_owned(),
    };
    page.render_status(
        status,
        "cms/block_edit.html",
        context! {
            id => stored.id.to_string(),
            page_title => stored.draft.0.title(page.lang),
            version => stored.draft_version,
            index => index,
            is_new => index >= stored.draft.0.blocks.len(),
            kind => block.kind(),
            kind_param => kind_param,
            label => block_label(page, block),
            block => Serde(block),
            rows => (0..rows).collect::<Vec<_>>(),
            library => library,
            choices => choices,
            levels => NoticeLevel::ALL.iter().map(|l| context! { value => l.code(), label => page.t(&format!("cms-notice-{}", l.code())) }).collect::<Vec<_>>(),
            errors => Serde(errors),
            back => pages_url(tenant, stored.id),
        },
    )
}

/// The block an editor sent, read by the kind of block it replaces.
async fn block_from_form(state: &AppState, tenant: &Tenant, old: &Block, form: &Upload) -> AppResult<Block> {
    let text = |name: &str| form.text(name).trim().to_owned();
    let rows = |prefix: &str| -> usize {
        form.fields()
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(prefix).and_then(|i| i.parse::<usize>().ok()))
            .max()
            .map_or(0, |m| m + 1)
    };
    Ok(match old {
        Block::Text { .. } => Block::Text { uk: text("uk"), en: text("en") },
        Block::Notice { .. } => Block::Notice {
            level: NoticeLevel::parse(form.text("level")).unwrap_or(NoticeLevel::Info),
            uk: text("uk"),
            en: text("en"),
        },
        Block::Image { .. } => {
            let media = Uuid::parse_str(form.text("media")).ok().unwrap_or_else(Uuid::nil);
            // Only the community's own library images.
            let media =
                if crate::admin_content::is_library_image(state, tenant, media).await? { media } else { Uuid::nil() };
            Block::Image {
                media,
                alt_uk: text("alt_uk"),
                alt_en: text("alt_en"),
                caption_uk: text("caption_uk"),
                caption_en: text("caption_en"),
            }
        }
        Block::Gallery { .. } => {
            let mut images = vec![];
            for raw in form.texts("images") {
                let Ok(media) = Uuid::parse_str(raw) else { continue };
                if let Some(file) = crate::admin_content::library_image(state, tenant, media).await? {
                    images.push(GalleryImage {
                        media,
                        alt_uk: file.alt_text.unwrap_or_default(),
                        alt_en: String::new(),
                    });
                }
            }
            Block::Gallery { images }
        }
        Block::News { .. } => {
            Block::News { count: form.text("count").trim().parse().unwrap_or(0), category: text("category") }
        }
        Block::Documents { .. } => {
            Block::Documents { count: form.text("count").trim().parse().unwrap_or(0), category: text("category") }
        }
        Block::Tiles { .. } => {
            let items = (0..rows("href_"))
                .map(|i| Tile {
                    title_uk: text(&format!("title_uk_{i}")),
                    title_en: text(&format!("title_en_{i}")),
                    href: text(&format!("href_{i}")),
                    text_uk: text(&format!("text_uk_{i}")),
                    text_en: text(&format!("text_en_{i}")),
                })
                .filter(|t| !(t.title_uk.is_empty() && t.href.is_empty() && t.text_uk.is_empty()))
                .collect();
            Block::Tiles { items }
        }
        Block::Faq { .. } => {
            let items = (0..rows("question_uk_"))
                .map(|i| Question {
                    question_uk: text(&format!("question_uk_{i}")),
                    question_en: text(&format!("question_en_{i}")),
                    answer_uk: text(&format!("answer_uk_{i}")),
                    answer_en: text(&format!("answer_en_{i}")),
                })
                .filter(|q| !(q.question_uk.is_empty() && q.answer_uk.is_empty()))
                .collect();
            Block::Faq { items }
        }
        Block::Video { .. } => {
            Block::Video { url: text("url"), title_uk: text("title_uk"), title_en: text("title_en") }
        }
        Block::Widget { key, .. } => Block::Widget { key: key.clone(), choice: text("choice") },
    })
}

async fn save_block(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, index)): Path<(Uuid, usize)>,
    Query(q): Query<KindQuery>,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let version = version_of(&form)?;
    let old = block_at(&page, &stored.draft.0, index, q.kind.as_deref())?;
    let block = block_from_form(&state, &tenant, &old, &form).await?;
    let mut errors = FieldErrors::new();
    for (field, key) in block.problems() {
        errors.add(&field, key);
    }
    if let Block::Widget { key, choice } = &block
        && widget_takes_choice(&page, &block)
    {
        let mut allowed = false;
        for m in &state.modules {
            if m.widgets().iter().any(|w| w.key == key) {
                allowed = m.widget_choices(&page, key).await?.iter().any(|(v, _)| v == choice);
            }
        }
        if !allowed {
            errors.add("choice", "cms-invalid-widget");
        }
    }
    if !errors.is_empty() {
        return render_block_form(
            &state,
            &page,
            &tenant,
            &stored,
            index,
            &block,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let mut content = stored.draft.0.clone();
    if index < content.blocks.len() {
        content.blocks[index] = block;
    } else {
        content.blocks.push(block);
    }
    save_change(&state, &viewer, &tenant, id, version, &content, "edit", ("cms.block_save", &index.to_string()))
        .await?;
    Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success("flash-saved")))
}

async fn move_block(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, index)): Path<(Uuid, usize)>,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let version = version_of(&form)?;
    let mut content = stored.draft.0.clone();
    let other = match form.text("direction") {
        "up" if index > 0 => index - 1,
        "down" => index + 1,
        _ => return Err(AppError::NotFound),
    };
    if index >= content.blocks.len() || other >= content.blocks.len() {
        return Err(AppError::NotFound);
    }
    content.blocks.swap(index, other);
    let summary = format!("{index}→{other}");
    save_change(&state, &viewer, &tenant, id, version, &content, "edit", ("cms.block_move", &summary)).await?;
    Ok(page.redirect_with(&format!("{}#block-{other}", pages_url(&tenant, id)), Flash::success("cms-block-moved")))
}

async fn delete_block(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, index)): Path<(Uuid, usize)>,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let version = version_of(&form)?;
    let mut content = stored.draft.0.clone();
    if index >= content.blocks.len() {
        return Err(AppError::NotFound);
    }
    content.blocks.remove(index);
    save_change(&state, &viewer, &tenant, id, version, &content, "edit", ("cms.block_delete", &index.to_string()))
        .await?;
    Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success("flash-deleted")))
}

async fn publish(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let version = version_of(&form)?;
    let now = state.now();
    let at = match form.text("when") {
        "later" => {
            let Some(at) = hromada_kernel::clock::parse_kyiv_input(form.text("at")).filter(|at| *at > now) else {
                let mut errors = FieldErrors::new();
                errors.add("at", "cms-invalid-publish-at");
                return render_editor(&state, &page, &tenant, &stored, &errors, None, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            };
            Some(at)
        }
        _ => None,
    };
    // A page with a broken block (a widget whose module was removed) still publishes; what
    // cannot be shown is skipped on the page.
    store::publish(&state.db, tenant.community.id, id, version, at, &author(&viewer), now).await.map_err(page_error)?;
    let action = if at.is_some() { "cms.page_schedule" } else { "cms.page_publish" };
    state.audit(Some(tenant.community.id), &actor(&viewer), action, "cms_page", id, &stored.draft.0.title_uk).await?;
    let flash = if at.is_some() { "cms-page-scheduled" } else { "cms-page-published" };
    Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success(flash)))
}

async fn unpublish(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    if !store::unpublish(&state.db, tenant.community.id, id, state.now()).await? {
        return Err(AppError::NotFound);
    }
    state.audit(Some(tenant.community.id), &actor(&viewer), "cms.page_unpublish", "cms_page", id, "").await?;
    Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success("cms-page-unpublished")))
}

async fn restore(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    let from: i64 = form.text("from").parse().map_err(|_| AppError::NotFound)?;
    let content = store::revision(&state.db, tenant.community.id, id, from).await?.ok_or(AppError::NotFound)?;
    let summary = from.to_string();
    save_change(
        &state,
        &viewer,
        &tenant,
        id,
        stored.draft_version,
        &content,
        "restore",
        ("cms.page_restore", &summary),
    )
    .await?;
    Ok(page.redirect_with(&pages_url(&tenant, id), Flash::success("cms-page-restored")))
}

async fn delete_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let stored = load(&state, &tenant, id).await?;
    if !store::delete_page(&state.db, tenant.community.id, id).await? {
        // The home page is not deleted: the site would be left without one.
        return Err(AppError::Conflict("cms-home-kept"));
    }
    state
        .audit(Some(tenant.community.id), &actor(&viewer), "cms.page_delete", "cms_page", id, &stored.draft.0.title_uk)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms"), Flash::success("flash-deleted")))
}
