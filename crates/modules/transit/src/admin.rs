//! The officials' side: the stored timetable and its import report, uploading a new GTFS
//! archive or a GTFS-Realtime message, and where realtime data is polled from.

use crate::{RealtimeSettings, import_feed, settings, store};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::core::audit::Actor;
use hromada_db::core::communities;
use hromada_kernel::Permission;
use hromada_media::Upload;
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/feed", post(upload_feed))
        .route("/realtime", post(upload_realtime))
        .route("/settings", post(save_settings))
}

const PERMISSION: Permission = Permission::ManageServices;

/// Problems listed on the page at most; the counts cover all of them.
const SHOWN_PROBLEMS: usize = 100;

async fn render(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    form: &RealtimeSettings,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let summary = store::summary(&state.db, tenant.community.id).await?;
    let feed = summary.as_ref().map(|s| {
        let report = &s.report.0;
        let counts: Vec<Value> = report.counts.iter().map(|(k, n)| context! { key => k, count => n }).collect();
        let problems: Vec<Value> = report
            .problems
            .iter()
            .take(SHOWN_PROBLEMS)
            .map(|p| context! { file => &p.file, line => p.line, text => p.kind.to_string(), error => p.severity() == crate::Severity::Error })
            .collect();
        context! {
            imported => hromada_kernel::clock::kyiv_time(s.imported_at).format("%d.%m.%Y %H:%M").to_string(),
            stops => s.stops, routes => s.routes, trips => s.trips, stop_times => s.stop_times,
            counts => counts, problems => problems, total => report.total(),
        }
    });
    page.render_status(
        status,
        "transit/admin.html",
        context! { feed => feed, form => Serde(form), errors => Serde(errors) },
    )
}

async fn overview(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(PERMISSION)?;
    render(&state, &page, &tenant, &settings(&tenant.community), &FieldErrors::new(), StatusCode::OK).await
}

async fn upload_feed(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let Some(file) = upload.files("feed").next() else {
        let mut errors = FieldErrors::new();
        errors.add("feed", "transit-no-file");
        return render(&state, &page, &tenant, &settings(&tenant.community), &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let community = tenant.community.id;
    match import_feed(&state.db, community, file.bytes.to_vec(), state.now(), |_, _| {}).await {
        Ok(report) => {
            let summary = format!("{} problems", report.total());
            state.audit(Some(community), &Actor::user(me), "transit.import", "community", community, &summary).await?;
            Ok(page.redirect_with(&tenant.url("/admin/transit"), Flash::success("transit-imported")))
        }
        Err(crate::FeedImportError::Feed(e)) => {
            let mut errors = FieldErrors::new();
            errors.add("feed", "transit-bad-feed");
            tracing::warn!(detail = %e, "a GTFS archive was refused");
            render(&state, &page, &tenant, &settings(&tenant.community), &errors, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(crate::FeedImportError::Db(e)) => Err(e.into()),
    }
}

async fn upload_realtime(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let Some(file) = upload.files("message").next() else { return Err(AppError::NotFound) };
    let now = state.now();
    if crate::Realtime::decode(&file.bytes, now).is_err() {
        let mut errors = FieldErrors::new();
        errors.add("message", "transit-bad-realtime");
        return render(&state, &page, &tenant, &settings(&tenant.community), &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let community = tenant.community.id;
    store::save_realtime(&state.db, community, &file.bytes, now).await?;
    state.audit(Some(community), &Actor::user(me), "transit.realtime", "community", community, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/transit"), Flash::success("transit-realtime-saved")))
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    upload: Upload,
) -> AppResult<Response> {
    let me = viewer.require(PERMISSION)?;
    let form: RealtimeSettings = upload.form()?;
    let mut errors = FieldErrors::new();
    let url = form.realtime_url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        errors.add("realtime_url", "transit-invalid-url");
    }
    if !(1..=60).contains(&form.max_age_minutes) {
        errors.add("max_age_minutes", "transit-invalid-max-age");
    }
    if !errors.is_empty() {
        return render(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let clean = RealtimeSettings { realtime_url: url.to_owned(), max_age_minutes: form.max_age_minutes };
    let value = serde_json::to_value(&clean).map_err(|e| AppError::unexpected(e.to_string()))?;
    communities::set_statute(&state.db, tenant.community.id, crate::KEY, value).await?;
    state
        .audit(Some(tenant.community.id), &Actor::user(me), "transit.settings", "community", tenant.community.id, url)
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/transit"), Flash::success("flash-saved")))
}
