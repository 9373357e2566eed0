//! The officials' side: the catalogue's cards and categories, the offices, tiles and cameras,
//! and the catalogue in and out as files.

use crate::domain::{self, CardInput, TILE_ICONS};
use crate::exchange::{self, Format};
use crate::store::{self, CardFilter, CardWrite, NewCamera, NewOffice, NewTile};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
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
        .route("/", get(list))
        .route("/new", get(new_card).post(create_card))
        .route("/cards/{number}", get(edit_card).post(update_card))
        .route("/cards/{number}/delete", post(delete_card))
        .route("/categories", get(categories).post(save_category))
        .route("/categories/{id}/delete", post(delete_category))
        .route("/offices", places("offices").post(save_office))
        .route("/tiles", places("tiles").post(save_tile))
        .route("/cameras", places("cameras").post(save_camera))
        .route("/{what}/{id}/delete", post(delete_place))
        .route("/import", get(import_form).post(import))
        .route("/export.csv", get(export_csv))
        .route("/export.json", get(export_json))
}

const PERMISSION: Permission = Permission::ManageServices;

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn back(page: &Page, tenant: &Tenant, path: &str) -> Response {
    page.redirect_with(&tenant.url(path), Flash::success("flash-saved"))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let filter = CardFilter { query: optional(&q.q), category: None, unpublished: true };
    let cards: Vec<Value> = store::cards(&state.db, tenant.community.id, &filter, 2_000)
        .await?
        .iter()
        .map(|c| crate::web::card_summary(&page, c))
        .collect();
    page.render("services/admin.html", context! { cards => cards, q => q.q.trim() })
}

// ---------- cards ----------

/// What the card form shows: the card's number (when it exists), its fields, category and offices.
struct CardForm<'a> {
    number: Option<i64>,
    form: &'a CardInput,
    category: Option<Uuid>,
    offices: &'a [Uuid],
}

async fn render_card(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    card: CardForm<'_>,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let CardForm { number, form, category, offices } = card;
    let community = tenant.community.id;
    let categories: Vec<Value> = store::categories(&state.db, community)
        .await?
        .iter()
        .map(|c| context! { value => c.id.to_string(), label => &c.name_uk })
        .collect();
    let all_offices: Vec<Value> = store::offices(&state.db, community)
        .await?
        .iter()
        .map(|o| context! { id => o.id.to_string(), name => &o.name_uk, checked => offices.contains(&o.id) })
        .collect();
    page.render_status(
        status,
        "services/card_form.html",
        context! {
            number => number, form => Serde(form), errors => Serde(errors), categories => categories,
            category => category.map(|c| c.to_string()).unwrap_or_default(), offices => all_offices,
        },
    )
}

async fn new_card(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let form = CardInput { published: "так".into(), ..CardInput::default() };
    let card = CardForm { number: None, form: &form, category: None, offices: &[] };
    render_card(&state, &page, &tenant, card, &FieldErrors::new(), StatusCode::OK).await
}

async fn edit_card(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let card = store::card(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let offices = store::card_offices(&state.db, tenant.community.id, card.id).await?;
    let mut form = exchange::row_of(&card, "");
    form.published = if card.published { "так".into() } else { "ні".into() };
    render_card(
        &state,
        &page,
        &tenant,
        CardForm { number: Some(number), form: &form, category: card.category_id, offices: &offices },
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn create_card(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    save_card(state, page, viewer, tenant, None, upload).await
}

async fn update_card(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    upload: Upload,
) -> AppResult<Response> {
    save_card(state, page, viewer, tenant, Some(number), upload).await
}

/// The card form: its fields, a category picked by id and the offices ticked.
async fn save_card(
    state: AppState,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    number: Option<i64>,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    let existing = match number {
        Some(n) => Some(store::card(&state.db, community, n).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let mut form: CardInput = upload.form()?;
    // A box that is not ticked is not sent at all.
    form.published = if upload.text("published") == "1" { "так".into() } else { "ні".into() };
    let known = store::categories(&state.db, community).await?;
    let category = upload.text("category_id").parse::<Uuid>().ok().filter(|id| known.iter().any(|c| c.id == *id));
    let offices: Vec<Uuid> = upload.texts("office").filter_map(|o| o.parse().ok()).collect();
    let card = match form.check() {
        Ok(card) => card,
        Err(problems) => {
            let mut errors = FieldErrors::new();
            for (field, key) in problems {
                errors.add(field, key);
            }
            return render_card(
                &state,
                &page,
                &tenant,
                CardForm { number, form: &form, category, offices: &offices },
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let write =
        CardWrite { id: existing.as_ref().map(|c| c.id), card: &card, category, offices: Some(&offices), merge: false };
    let saved = match store::save_cards(&state.db, community, std::slice::from_ref(&write), state.now()).await {
        Ok(saved) => saved[0],
        Err(e) if e.is_unique_on("code") => {
            let mut errors = FieldErrors::new();
            errors.add("code", "services-code-taken");
            return render_card(
                &state,
                &page,
                &tenant,
                CardForm { number, form: &form, category, offices: &offices },
                &errors,
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let (id, number) = (saved.id, saved.number);
    let action = if existing.is_some() { "services.card_update" } else { "services.card_create" };
    state.audit(Some(community), &Actor::user(me), action, "services_card", id, &card.name_uk).await?;
    Ok(back(&page, &tenant, &format!("/admin/services/cards/{number}")))
}

async fn delete_card(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    let card = store::card(&state.db, community, number).await?.ok_or(AppError::NotFound)?;
    store::delete_card(&state.db, community, card.id).await?;
    state
        .audit(Some(community), &Actor::user(me), "services.card_delete", "services_card", card.id, &card.name_uk)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/services"), Flash::success("flash-deleted")))
}

// ---------- categories ----------

#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct CategoryForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
}

async fn render_categories(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    form: &CategoryForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let list = store::categories(&state.db, tenant.community.id).await?;
    page.render_status(
        status,
        "services/categories.html",
        context! { categories => Serde(&list), form => Serde(form), errors => Serde(errors) },
    )
}

async fn categories(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    render_categories(&state, &page, &tenant, &CategoryForm::default(), &FieldErrors::new(), StatusCode::OK).await
}

async fn save_category(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let form: CategoryForm = upload.form()?;
    let mut errors = FieldErrors::new();
    let name = domain::check_place_name(&form.name_uk);
    if name.is_err() {
        errors.add("name_uk", "services-invalid-place-name");
    }
    let code =
        if form.code.trim().is_empty() { domain::category_code(&form.name_uk) } else { form.code.trim().to_owned() };
    if code.len() > 40 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.add("code", "services-invalid-category-code");
    }
    let Ok(name) = name else {
        return render_categories(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if !errors.is_empty() {
        return render_categories(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let community = tenant.community.id;
    let id = store::save_category(&state.db, community, &code, &name, optional(&form.name_en).as_deref()).await?;
    state.audit(Some(community), &Actor::user(me), "services.category", "services_category", id, &name).await?;
    Ok(back(&page, &tenant, "/admin/services/categories"))
}

async fn delete_category(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    if !store::delete_category(&state.db, tenant.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    state
        .audit(Some(tenant.community.id), &Actor::user(me), "services.category_delete", "services_category", id, "")
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/services/categories"), Flash::success("flash-deleted")))
}

// ---------- offices, tiles, cameras: a list and one form that adds or, with `id`, changes ----------

#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    edit: Option<Uuid>,
}

#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
pub struct PlaceForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    snapshot_url: String,
    #[serde(default)]
    stream_url: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    icon: String,
    #[serde(default)]
    description_uk: String,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    in_bot: String,
}

fn coordinate(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn options(page: &Page, values: &[&str], prefix: &str) -> Vec<Value> {
    values.iter().map(|v| context! { value => *v, label => page.t(&format!("{prefix}{v}")) }).collect()
}

async fn render_places(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    what: &str,
    form: &PlaceForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let community = tenant.community.id;
    let items: Vec<Value> = match what {
        "offices" => store::offices(&state.db, community)
            .await?
            .iter()
            .map(|o| context! { id => o.id.to_string(), name => &o.name_uk, detail => &o.address })
            .collect(),
        "tiles" => store::tiles(&state.db, community)
            .await?
            .iter()
            .map(|t| context! { id => t.id.to_string(), name => &t.title_uk, detail => &t.url })
            .collect(),
        _ => store::cameras(&state.db, community)
            .await?
            .iter()
            .map(|c| context! { id => c.id.to_string(), name => &c.name_uk, detail => page.t(&format!("services-camera-{}", c.status)) })
            .collect(),
    };
    let icons: Vec<Value> = TILE_ICONS
        .iter()
        .map(|(code, symbol)| context! { value => *code, label => format!("{symbol} {code}") })
        .collect();
    page.render_status(
        status,
        "services/places.html",
        context! {
            what => what, items => items, form => Serde(form), errors => Serde(errors),
            kinds => options(page, &domain::OFFICE_KINDS, "services-office-kind-"),
            statuses => options(page, &domain::CAMERA_STATUSES, "services-camera-"),
            icons => icons,
        },
    )
}

async fn places_page(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    what: &str,
    edit: Option<Uuid>,
) -> AppResult<Response> {
    let community = tenant.community.id;
    let mut form = PlaceForm::default();
    if let Some(id) = edit {
        form.id = id.to_string();
        match what {
            "offices" => {
                let o = store::offices(&state.db, community)
                    .await?
                    .into_iter()
                    .find(|o| o.id == id)
                    .ok_or(AppError::NotFound)?;
                form = PlaceForm {
                    kind: o.kind,
                    name_uk: o.name_uk,
                    name_en: o.name_en.unwrap_or_default(),
                    address: o.address,
                    lat: coordinate(o.lat),
                    lon: coordinate(o.lon),
                    hours: o.hours,
                    phone: o.phone.unwrap_or_default(),
                    email: o.email.unwrap_or_default(),
                    ..form
                };
            }
            "tiles" => {
                let t = store::tiles(&state.db, community)
                    .await?
                    .into_iter()
                    .find(|t| t.id == id)
                    .ok_or(AppError::NotFound)?;
                form = PlaceForm {
                    icon: t.icon,
                    name_uk: t.title_uk,
                    name_en: t.title_en.unwrap_or_default(),
                    description_uk: t.description_uk,
                    description_en: t.description_en.unwrap_or_default(),
                    url: t.url,
                    in_bot: if t.in_bot { "1".into() } else { String::new() },
                    ..form
                };
            }
            _ => {
                let c = store::cameras(&state.db, community)
                    .await?
                    .into_iter()
                    .find(|c| c.id == id)
                    .ok_or(AppError::NotFound)?;
                form = PlaceForm {
                    name_uk: c.name_uk,
                    name_en: c.name_en.unwrap_or_default(),
                    address: c.address,
                    lat: coordinate(c.lat),
                    lon: coordinate(c.lon),
                    snapshot_url: c.snapshot_url.unwrap_or_default(),
                    stream_url: c.stream_url.unwrap_or_default(),
                    status: c.status,
                    ..form
                };
            }
        }
    }
    render_places(state, page, tenant, what, &form, &FieldErrors::new(), StatusCode::OK).await
}

/// The list and form of offices, tiles or cameras (`what`), with `?edit=ID` filling the form.
fn places(what: &'static str) -> MethodRouter<AppState> {
    get(
        move |State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant, Query(q): Query<EditQuery>| async move {
            viewer.require(PERMISSION)?;
            places_page(&state, &page, &tenant, what, q.edit).await
        },
    )
}

/// Checks what every kind of place shares: a name, an optional English name, a point.
fn check_common(form: &PlaceForm, errors: &mut FieldErrors) -> Option<hromada_kernel::GeoPoint> {
    if domain::check_place_name(&form.name_uk).is_err() {
        errors.add("name_uk", "services-invalid-place-name");
    }
    if form.name_en.trim().chars().count() > 200 {
        errors.add("name_en", "services-invalid-place-name");
    }
    match domain::parse_point(&form.lat, &form.lon) {
        Ok(p) => p,
        Err(key) => {
            errors.add("lat", key);
            None
        }
    }
}

fn check_link(errors: &mut FieldErrors, field: &str, value: &str, required: bool) -> Option<String> {
    let value = optional(value);
    match &value {
        None if required => errors.add(field, "services-invalid-url"),
        Some(v) if !domain::is_web_link(v) => errors.add(field, "services-invalid-url"),
        _ => {}
    }
    value
}

async fn save_office(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let form: PlaceForm = upload.form()?;
    let mut errors = FieldErrors::new();
    let point = check_common(&form, &mut errors);
    if !domain::OFFICE_KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "services-invalid-kind");
    }
    if !(3..=300).contains(&form.address.trim().chars().count()) {
        errors.add("address", "services-invalid-address");
    }
    if form.hours.trim().chars().count() > 300 {
        errors.add("hours", "services-too-long");
    }
    if optional(&form.email).is_some_and(|e| !e.contains('@')) {
        errors.add("email", "invalid-email");
    }
    if !errors.is_empty() {
        return render_places(&state, &page, &tenant, "offices", &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let office = NewOffice {
        kind: form.kind.clone(),
        name_uk: form.name_uk.trim().into(),
        name_en: optional(&form.name_en),
        address: form.address.trim().into(),
        point,
        hours: form.hours.trim().into(),
        phone: optional(&form.phone),
        email: optional(&form.email),
    };
    let community = tenant.community.id;
    let id =
        store::save_office(&state.db, community, form.id.parse().ok(), &office).await?.ok_or(AppError::NotFound)?;
    state.audit(Some(community), &Actor::user(me), "services.office", "services_office", id, &office.name_uk).await?;
    Ok(back(&page, &tenant, "/admin/services/offices"))
}

async fn save_tile(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let form: PlaceForm = upload.form()?;
    let mut errors = FieldErrors::new();
    if domain::check_place_name(&form.name_uk).is_err() {
        errors.add("name_uk", "services-invalid-place-name");
    }
    if form.description_uk.trim().chars().count() > 300 || form.description_en.trim().chars().count() > 300 {
        errors.add("description_uk", "services-invalid-description");
    }
    if !TILE_ICONS.iter().any(|(code, _)| *code == form.icon) {
        errors.add("icon", "services-invalid-icon");
    }
    let url = check_link(&mut errors, "url", &form.url, true);
    if !errors.is_empty() {
        return render_places(&state, &page, &tenant, "tiles", &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let tile = NewTile {
        icon: form.icon.clone(),
        title_uk: form.name_uk.trim().into(),
        title_en: optional(&form.name_en),
        description_uk: form.description_uk.trim().into(),
        description_en: optional(&form.description_en),
        url: url.unwrap_or_default(),
        in_bot: form.in_bot == "1",
    };
    let community = tenant.community.id;
    let id = store::save_tile(&state.db, community, form.id.parse().ok(), &tile).await?.ok_or(AppError::NotFound)?;
    state.audit(Some(community), &Actor::user(me), "services.tile", "services_tile", id, &tile.title_uk).await?;
    Ok(back(&page, &tenant, "/admin/services/tiles"))
}

async fn save_camera(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let form: PlaceForm = upload.form()?;
    let mut errors = FieldErrors::new();
    let point = check_common(&form, &mut errors);
    if !domain::CAMERA_STATUSES.contains(&form.status.as_str()) {
        errors.add("status", "services-invalid-status");
    }
    let snapshot_url = check_link(&mut errors, "snapshot_url", &form.snapshot_url, false);
    let stream_url = check_link(&mut errors, "stream_url", &form.stream_url, false);
    if snapshot_url.is_none() && stream_url.is_none() && !errors.has("snapshot_url") {
        errors.add("snapshot_url", "services-camera-needs-link");
    }
    if !errors.is_empty() {
        return render_places(&state, &page, &tenant, "cameras", &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let camera = NewCamera {
        name_uk: form.name_uk.trim().into(),
        name_en: optional(&form.name_en),
        address: form.address.trim().chars().take(300).collect(),
        point,
        snapshot_url,
        stream_url,
        status: form.status.clone(),
    };
    let community = tenant.community.id;
    let id =
        store::save_camera(&state.db, community, form.id.parse().ok(), &camera).await?.ok_or(AppError::NotFound)?;
    state.audit(Some(community), &Actor::user(me), "services.camera", "services_camera", id, &camera.name_uk).await?;
    Ok(back(&page, &tenant, "/admin/services/cameras"))
}

/// Deletes an office, a tile or a camera: `what` is the list it is in.
async fn delete_place(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((what, id)): Path<(String, Uuid)>,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let community = tenant.community.id;
    let (deleted, action, target) = match what.as_str() {
        "offices" => {
            (store::delete_office(&state.db, community, id).await?, "services.office_delete", "services_office")
        }
        "tiles" => (store::delete_tile(&state.db, community, id).await?, "services.tile_delete", "services_tile"),
        "cameras" => {
            (store::delete_camera(&state.db, community, id).await?, "services.camera_delete", "services_camera")
        }
        _ => return Err(AppError::NotFound),
    };
    if !deleted {
        return Err(AppError::NotFound);
    }
    state.audit(Some(community), &Actor::user(me), action, target, id, "").await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/services/{what}")), Flash::success("flash-deleted")))
}

// ---------- files ----------

async fn import_form(page: Page, viewer: Viewer) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    page.render("services/import.html", context! { columns => exchange::COLUMNS })
}

async fn import(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let Some(file) = upload.files("file").next() else {
        let mut errors = FieldErrors::new();
        errors.add("file", "services-import-no-file");
        return Err(AppError::Invalid(errors));
    };
    let parsed = match exchange::parse(&file.bytes, Format::of_file(&file.file_name)) {
        Ok(parsed) => parsed,
        Err(problem) => {
            return page.render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "services/import.html",
                context! { columns => exchange::COLUMNS, file_problem => page.t(problem.key), detail => problem.detail },
            );
        }
    };
    let community = tenant.community.id;
    let report = exchange::import(&state.db, community, parsed, state.now(), &mut |_, _| {}).await?;
    let summary = format!("+{} ~{} !{}", report.created, report.updated, report.failed_rows());
    state.audit(Some(community), &Actor::user(me), "services.import", "community", community, &summary).await?;
    let t = |key: &str| page.t(key);
    let problems: Vec<Value> =
        report.problems.iter().map(|p| context! { line => p.line, text => exchange::problem_text(&t, p) }).collect();
    let status = if report.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    page.render_status(
        status,
        "services/import.html",
        context! {
            columns => exchange::COLUMNS, done => true, created => report.created, updated => report.updated,
            failed => report.failed_rows(), problems => problems, unknown => report.unknown_columns,
        },
    )
}

async fn export_csv(State(state): State<AppState>, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let rows = exchange::rows(&state.db, tenant.community.id, true).await?;
    Ok(exchange::to_csv(&rows).into_download(&format!("services-{}-all.csv", tenant.community.slug)))
}

async fn export_json(State(state): State<AppState>, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    let rows = exchange::rows(&state.db, tenant.community.id, true).await?;
    Ok(hromada_web::export::download(
        exchange::to_json(&rows).to_string(),
        "application/json",
        &format!("services-{}-all.json", tenant.community.slug),
    ))
}
