use crate::store::{self, NewContact};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hromada_db::core::audit::Actor;
use hromada_db::core::communities;
use hromada_kernel::Permission;
use hromada_media::{Accept, Limits, NewFile, Upload};
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page_admin).post(add_contact))
        .route("/intro", post(save_intro))
        .route("/{id}/delete", post(delete_contact))
}

#[derive(Debug, Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role_uk: String,
    #[serde(default)]
    role_en: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    reception_hours: String,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

async fn render(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    form: &ContactForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let contacts = store::list(&state.db, tenant.community.id).await?;
    let about = tenant.community.statute_of(crate::KEY);
    let text = |lang: &str| about.get(lang).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    page.render_status(
        status,
        "about/admin.html",
        context! {
            contacts => Serde(&contacts),
            intro_uk => text("uk"),
            intro_en => text("en"),
            form => context! { name => &form.name, role_uk => &form.role_uk, role_en => &form.role_en, phone => &form.phone, email => &form.email, reception_hours => &form.reception_hours },
            errors => Serde(errors),
        },
    )
}

async fn page_admin(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    render(&state, &page, &tenant, &ContactForm::default(), &FieldErrors::new(), StatusCode::OK).await
}

fn actor(viewer: &Viewer) -> Actor {
    let user = viewer.user.as_ref();
    Actor { kind: "user", id: user.map(|u| u.id), label: user.map(|u| u.full_name.clone()).unwrap_or_default() }
}

async fn add_contact(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = viewer.require(Permission::EditContent)?.clone();
    let form: ContactForm = upload.form()?;
    let photos = upload.process("photo", Accept::Images, &Limits::default()).await;
    let mut errors = std::mem::take(&mut upload.errors);
    if !(2..=200).contains(&form.name.trim().chars().count()) {
        errors.add("name", "invalid-full_name");
    }
    if !(2..=200).contains(&form.role_uk.trim().chars().count()) {
        errors.add("role_uk", "about-invalid-role");
    }
    if optional(&form.email).is_some_and(|e| !e.contains('@')) {
        errors.add("email", "invalid-email");
    }
    if !errors.is_empty() {
        return render(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let new = NewContact {
        name: form.name.trim().into(),
        role_uk: form.role_uk.trim().into(),
        role_en: optional(&form.role_en),
        phone: optional(&form.phone),
        email: optional(&form.email),
        reception_hours: optional(&form.reception_hours),
        photo: None,
    };
    let id = hromada_kernel::new_id();
    let mut new = new;
    if let Some(photo) = photos.first() {
        let object = id.to_string();
        let file = NewFile {
            owner: crate::KEY,
            object_id: Some(&object),
            purpose: "photo",
            public: true,
            created_by: Some(user.id),
        };
        new.photo =
            Some(hromada_media::store::save(&state.db, tenant.community.id, photo, &file, state.now()).await?.id);
    }
    store::create_with_id(&state.db, tenant.community.id, id, &new).await?;
    state
        .audit(Some(tenant.community.id), &actor(&viewer), "about.contact_add", "about_contact", id, &new.name)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/about"), Flash::success("flash-saved")))
}

async fn delete_contact(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    if !store::delete(&state.db, tenant.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    state.audit(Some(tenant.community.id), &actor(&viewer), "about.contact_delete", "about_contact", id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/about"), Flash::success("flash-deleted")))
}

#[derive(Debug, Default, Deserialize)]
pub struct IntroForm {
    #[serde(default)]
    intro_uk: String,
    #[serde(default)]
    intro_en: String,
}

async fn save_intro(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<IntroForm>,
) -> AppResult<Response> {
    viewer.require(Permission::EditContent)?;
    if form.intro_uk.len() > 20_000 || form.intro_en.len() > 20_000 {
        let mut errors = FieldErrors::new();
        errors.add("intro_uk", "about-invalid-intro");
        return render(&state, &page, &tenant, &ContactForm::default(), &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let value = serde_json::json!({ "uk": form.intro_uk.trim(), "en": form.intro_en.trim() });
    communities::set_statute(&state.db, tenant.community.id, crate::KEY, value).await?;
    state
        .audit(Some(tenant.community.id), &actor(&viewer), "about.intro", "community", tenant.community.id, "")
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/about"), Flash::success("flash-saved")))
}
