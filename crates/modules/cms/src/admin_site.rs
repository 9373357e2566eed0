//! The site's frame in the editors' hands: the theme (checked for contrast before it is
//! saved), the two-level menu and the footer text.

use crate::admin::actor;
use crate::domain::link_is_allowed;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::core::communities;
use hromada_kernel::Permission;
use hromada_media::Upload;
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::site::{LAYOUTS, MenuItem, SETTINGS_KEY, SiteFrame, Theme};
use hromada_web::{AppResult, AppState, Flash, Page, Serde, Tenant, context};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/site", get(site))
        .route("/site/theme", post(save_theme))
        .route("/site/menu", post(save_menu))
        .route("/site/footer", post(save_footer))
        .route("/site/arms", post(save_arms))
}

/// Menu rows shown: the ones there are and three empty ones.
const SPARE_ROWS: usize = 3;

/// A menu flattened into rows for the form: a second-level item follows its parent.
#[derive(Debug, Default, serde::Serialize)]
struct MenuRow {
    label_uk: String,
    label_en: String,
    href: String,
    level: u8,
}

fn rows_of(menu: &[MenuItem]) -> Vec<MenuRow> {
    let mut rows = vec![];
    for item in menu {
        rows.push(MenuRow {
            label_uk: item.label_uk.clone(),
            label_en: item.label_en.clone(),
            href: item.href.clone(),
            level: 1,
        });
        for child in &item.children {
            rows.push(MenuRow {
                label_uk: child.label_uk.clone(),
                label_en: child.label_en.clone(),
                href: child.href.clone(),
                level: 2,
            });
        }
    }
    rows
}

async fn site(page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let frame = SiteFrame::of(&tenant.community);
    let theme = frame.theme.clone().unwrap_or_else(default_theme);
    render(&page, &frame, &theme, rows_of(&frame.menu), &FieldErrors::new(), StatusCode::OK)
}

fn render(
    page: &Page,
    frame: &SiteFrame,
    theme: &Theme,
    mut rows: Vec<MenuRow>,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    rows.extend((0..SPARE_ROWS).map(|_| MenuRow { level: 1, ..Default::default() }));
    let layouts: Vec<_> =
        LAYOUTS.iter().map(|l| context! { value => *l, label => page.t(&format!("cms-layout-{l}")) }).collect();
    page.render_status(
        status,
        "cms/site.html",
        context! {
            theme => Serde(theme), layouts => layouts, rows => Serde(&rows), errors => Serde(errors),
header_uk => &frame.header_uk, header_en => &frame.header_en, footer_uk => &frame.footer_uk, footer_en => &frame.footer_en,
        },
    )
}

async fn store_frame(state: &AppState, tenant: &Tenant, frame: &SiteFrame) -> AppResult<()> {
    let value = serde_json::to_value(frame).map_err(|e| hromada_web::AppError::unexpected(e.to_string()))?;
    communities::set_statute(&state.db, tenant.community.id, SETTINGS_KEY, value).await?;
    Ok(())
}

async fn save_theme(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let mut frame = SiteFrame::of(&tenant.community);
    let version = frame.theme.as_ref().map_or(0, |t| t.version) + 1;
    let theme = Theme {
        brand: form.text("brand").trim().to_lowercase(),
        brand_dark: form.text("brand_dark").trim().to_lowercase(),
        accent: form.text("accent").trim().to_lowercase(),
        layout: form.text("layout").trim().to_owned(),
        version,
    };
    let problems = theme.problems();
    if !problems.is_empty() {
        let mut errors = FieldErrors::new();
        for (field, key) in problems {
            errors.add(field, key);
        }
        return render(&page, &frame, &theme, rows_of(&frame.menu), &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let summary = format!("{} {} {} {}", theme.brand, theme.brand_dark, theme.accent, theme.layout);
    frame.theme = Some(theme);
    store_frame(&state, &tenant, &frame).await?;
    state
        .audit(Some(tenant.community.id), &actor(&viewer), "cms.theme", "community", tenant.community.id, &summary)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/site"), Flash::success("flash-saved")))
}

async fn save_menu(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let mut frame = SiteFrame::of(&tenant.community);
    let count = form
        .fields()
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("href_").and_then(|i| i.parse::<usize>().ok()))
        .max()
        .map_or(0, |m| m + 1)
        .min(60);
    let mut rows = vec![];
    for i in 0..count {
        let text = |n: &str| form.text(&format!("{n}_{i}")).trim().to_owned();
        let row = MenuRow {
            label_uk: text("label_uk"),
            label_en: text("label_en"),
            href: text("href"),
            level: if text("level") == "2" { 2 } else { 1 },
        };
        if !(row.label_uk.is_empty() && row.href.is_empty()) {
            rows.push(row);
        }
    }
    let mut errors = FieldErrors::new();
    let mut menu: Vec<MenuItem> = vec![];
    for (i, row) in rows.iter().enumerate() {
        if !(1..=60).contains(&row.label_uk.chars().count()) {
            errors.add(&format!("label_uk_{i}"), "cms-invalid-title");
        }
        if !link_is_allowed(&row.href) {
            errors.add(&format!("href_{i}"), "cms-invalid-link");
        }
        let item = MenuItem {
            label_uk: row.label_uk.clone(),
            label_en: row.label_en.clone(),
            href: row.href.clone(),
            children: vec![],
        };
        match (row.level, menu.last_mut()) {
            (2, Some(parent)) => parent.children.push(item),
            (2, None) => errors.add(&format!("level_{i}"), "cms-invalid-menu-level"),
            _ => menu.push(item),
        }
    }
    if !errors.is_empty() {
        let theme = frame.theme.clone().unwrap_or_else(default_theme);
        return render(&page, &frame, &theme, rows, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    frame.menu = menu;
    store_frame(&state, &tenant, &frame).await?;
    state.audit(Some(tenant.community.id), &actor(&viewer), "cms.menu", "community", tenant.community.id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/site"), Flash::success("flash-saved")))
}

async fn save_footer(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    form: Upload,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    let mut frame = SiteFrame::of(&tenant.community);
    frame.header_uk = form.text("header_uk").trim().chars().take(120).collect();
    frame.header_en = form.text("header_en").trim().chars().take(120).collect();
    frame.footer_uk = form.text("footer_uk").trim().chars().take(500).collect();
    frame.footer_en = form.text("footer_en").trim().chars().take(500).collect();
    store_frame(&state, &tenant, &frame).await?;
    state.audit(Some(tenant.community.id), &actor(&viewer), "cms.footer", "community", tenant.community.id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/site"), Flash::success("flash-saved")))
}

/// The coat of arms or logo in the header: an uploaded image, re-encoded, served from the
/// community's own media.
async fn save_arms(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = viewer.require(Permission::EditContent)?;
    if upload.files("arms").next().is_none() {
        upload.refuse("arms", "cms-invalid-file");
    }
    let images = if upload.errors.is_empty() {
        upload.process("arms", hromada_media::Accept::Images, &hromada_media::Limits::default()).await
    } else {
        vec![]
    };
    let Some(image) = images.first().filter(|_| upload.errors.is_empty()) else {
        let frame = SiteFrame::of(&tenant.community);
        let theme = frame.theme.clone().unwrap_or_else(default_theme);
        return render(&page, &frame, &theme, rows_of(&frame.menu), &upload.errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let new = hromada_media::NewFile {
        owner: crate::KEY,
        object_id: Some("branding"),
        purpose: "arms",
        public: true,
        created_by: Some(user.id),
    };
    let saved = hromada_media::store::save(&state.db, tenant.community.id, image, &new, state.now()).await?;
    let c = &tenant.community;
    // A `/media/…` path is the community's own: the layout puts the community's prefix before it.
    let path = hromada_media::path(saved.id, hromada_media::Variant::Thumb);
    communities::update_details(&state.db, c.id, &c.name_uk, c.name_en.as_deref(), Some(&path), &c.contacts.0).await?;
    state.audit(Some(c.id), &actor(&viewer), "cms.arms", "community", c.id, &saved.file_name).await?;
    Ok(page.redirect_with(&tenant.url("/admin/cms/site"), Flash::success("flash-saved")))
}

fn default_theme() -> Theme {
    let (brand, brand_dark, accent) = Theme::DEFAULT;
    Theme {
        brand: brand.into(),
        brand_dark: brand_dark.into(),
        accent: accent.into(),
        layout: "classic".into(),
        version: 0,
    }
}
