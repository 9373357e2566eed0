//! Carrying out the winners: officials post dated updates (status, progress, money spent, a
//! note and a photo) on each winning project; the public accountability page shows every winner
//! with where it stands.

use crate::domain::{self, Outcome};
use crate::results;
use crate::store::{self, NewProgress, ProgressUpdate};
use crate::web::{contest_by_number, contest_view, project_summary, today};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::core::audit::Actor;
use hromada_kernel::{Permission, money};
use hromada_media::{Accept, Limits, NewFile, Upload, Variant};
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};

/// The public page.
pub fn routes() -> Router<AppState> {
    Router::new().route("/budget/{contest}/implementation", get(accountability))
}

/// The officials' side, under `/admin/budget`.
pub fn admin_routes() -> Router<AppState> {
    Router::new().route("/projects/{number}/progress", post(add))
}

/// Updates as a page shows them.
pub fn updates_view(page: &Page, updates: &[ProgressUpdate]) -> Vec<Value> {
    updates
        .iter()
        .map(|u| {
            let photo = u.photo.as_deref().and_then(|id| uuid::Uuid::parse_str(id).ok());
            context! {
                at => u.at.to_rfc3339(),
                status => page.t(&format!("budget-progress-{}", u.status)),
                percent => u.percent,
                spent => money::format(u.spent, page.lang),
                note => &u.note,
                photo => photo.map(|id| page.url(&hromada_media::path(id, Variant::Display))),
            }
        })
        .collect()
}

async fn accountability(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    if c.phase_at(today(&state)) < domain::Phase::Results {
        return Err(AppError::NotFound);
    }
    let (counted, projects) = results::count(&state.db, tenant.community.id, &c).await?;
    let mut winners = vec![];
    let (mut planned, mut spent) = (0i64, 0i64);
    for r in &counted {
        for x in r.result.ranked.iter().filter(|x| x.outcome == Outcome::Winner) {
            let Some(p) = projects.get(&x.project.project) else { continue };
            let updates = store::progress(&state.db, tenant.community.id, p.id).await?;
            planned += p.cost;
            spent += p.spent;
            winners.push(context! {
                p => project_summary(&page, p),
                category => r.category.name(page.lang),
                status => page.t(&format!("budget-progress-{}", p.progress_status)),
                percent => p.progress_percent,
                spent => money::format(p.spent, page.lang),
                latest => updates_view(&page, &updates[..updates.len().min(1)]),
            });
        }
    }
    page.render(
        "budget/implementation.html",
        context! {
            c => contest_view(&page, &c, today(&state)),
            winners => winners,
            planned => money::format(planned, page.lang),
            spent => money::format(spent, page.lang),
        },
    )
}

async fn add(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(number): Path<i64>,
    mut upload: Upload,
) -> AppResult<Response> {
    let official = viewer.require(Permission::Moderate)?;
    let p = store::project_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let back = tenant.url(&format!("/admin/budget/projects/{number}"));
    let field = |name: &str| {
        upload.fields().iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    };
    let (status, note) = (field("status"), field("note"));
    let percent: i64 = field("percent").parse().unwrap_or(-1);
    let spent = money::parse(&field("spent")).unwrap_or(-1);
    if let Err(key) = domain::check_progress(&status, percent, spent) {
        return Ok(page.redirect_with(&back, Flash::error(key)));
    }
    if note.chars().count() > 5000 {
        return Ok(page.redirect_with(&back, Flash::error("budget-error-note")));
    }
    let photos = upload.process("photo", Accept::Images, &Limits::default()).await;
    if !upload.errors.is_empty() || photos.len() > 1 {
        return Ok(page.redirect_with(&back, Flash::error("budget-error-photo")));
    }
    let photo = match photos.first() {
        Some(image) => {
            let object = p.id.to_string();
            let new = NewFile {
                owner: crate::KEY,
                object_id: Some(&object),
                purpose: "progress",
                public: true,
                created_by: Some(official.id),
            };
            Some(hromada_media::store::save(&state.db, tenant.community.id, image, &new, state.now()).await?.id)
        }
        None => None,
    };
    let update = NewProgress { status: &status, percent, spent, note: &note, photo, author: official.id };
    store::add_progress(&state.db, tenant.community.id, p.id, &update, state.now()).await?;
    let summary = format!("{status} {percent}%");
    state
        .audit(Some(tenant.community.id), &Actor::user(official), "budget.progress", "budget_project", p.id, &summary)
        .await?;
    Ok(page.redirect_with(&back, Flash::success("budget-flash-progress")))
}
