//! Residents' pages: what the law asks of an appeal and the form, the author's own appeals
//! with their timelines, rating an answer and complaining about it, answered appeals published
//! with their authors' consent, and the public dashboard of how the body answers.

use crate::domain::{self, Action, CATEGORIES, Kind, Missing, Status};
use crate::notify::{self, Notice};
use crate::store::{self, Appeal, NewAppeal, StepDetails};
use crate::{FILE, files, parse_reference, path};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, Months};
use hromada_db::core::{departments, holidays, settlements, users};
use hromada_kernel::Lang;
use hromada_media::Upload;
use hromada_media::view::describe_all;
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::module::{SeedContext, require_level};
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(index).post(create))
        .route("/appeals/new", get(new_form))
        .route("/appeals/dashboard", get(dashboard))
        .route("/appeals/{reference}", get(show))
        .route("/appeals/{reference}/rate", post(rate))
}

/// How a list shows an appeal.
pub fn summary(page: &Page, a: &Appeal) -> Value {
    let status = a.status();
    context! {
        number => &a.number,
        href => page.url(&path(a)),
        kind => page.t(&format!("appeal-kind-{}", a.kind().code())),
        category => page.t(&format!("appeal-category-{}", a.category)),
        status => status.code(),
        status_label => page.t(&format!("appeal-status-{}", status.code())),
        received => a.received_on.format("%d.%m.%Y").to_string(),
        due => status.open().then(|| a.answer_due.format("%d.%m.%Y").to_string()),
        essence => hromada_kernel::text::excerpt(&a.essence, 160),
    }
}

async fn index(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let c = tenant.community.id;
    let mine: Vec<Value> = match &page.viewer.user {
        Some(u) => store::of_author(&state.db, c, u.id).await?.iter().map(|a| summary(&page, a)).collect(),
        None => vec![],
    };
    let published: Vec<Value> = store::published(&state.db, c, 10).await?.iter().map(|a| summary(&page, a)).collect();
    page.render(
        "appeals/index.html",
        context! {
            mine => mine, published => published,
            no_study => 15, with_study => 1, longest => 45, forward => 5, give_back => 10,
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct AppealForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    essence: String,
    /// The reference of the author's earlier appeal a complaint disputes.
    #[serde(default)]
    about: String,
    #[serde(default)]
    publish: String,
    /// The form's one-time key.
    #[serde(default)]
    submission: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    about: String,
}

async fn new_form(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    require_level(&page.viewer, &tenant.community, &FILE)?;
    let user = page.viewer.require_user()?;
    let settlement = settlements::home_name(&state.db, tenant.community.id, user.settlement_id).await?;
    let form = AppealForm {
        kind: if q.about.is_empty() { q.kind } else { Kind::Complaint.code().to_owned() },
        full_name: user.full_name.clone(),
        settlement,
        contact: user.email.clone().unwrap_or_default(),
        about: q.about,
        submission: Uuid::now_v7().to_string(),
        ..AppealForm::default()
    };
    render_form(&state, &page, &tenant, &form, &FieldErrors::new(), StatusCode::OK).await
}

async fn render_form(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    form: &AppealForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .map(|k| {
            context! {
                value => k.code(),
                label => page.t(&format!("appeal-kind-{}", k.code())),
                hint => page.t(&format!("appeal-kind-{}-hint", k.code())),
            }
        })
        .collect();
    let categories: Vec<Value> =
        CATEGORIES.iter().map(|c| context! { value => *c, label => page.t(&format!("appeal-category-{c}")) }).collect();
    let places: Vec<Value> = settlements::list(&state.db, tenant.community.id)
        .await?
        .iter()
        .map(|s| context! { value => &s.name_uk, label => s.name(page.lang) })
        .collect();
    let about = match parse_reference(&form.about) {
        Some((year, seq)) => store::by_reference(&state.db, tenant.community.id, year, seq).await?.map(|a| a.number),
        None => None,
    };
    let anonymous = errors.0.contains_key("full_name") || errors.0.contains_key("street");
    page.render_status(
        status,
        "appeals/new.html",
        context! {
            form => context! {
                kind => &form.kind, category => &form.category, full_name => &form.full_name,
                settlement => &form.settlement, street => &form.street, contact => &form.contact,
                essence => &form.essence, about => &form.about, publish => !form.publish.is_empty(),
                submission => &form.submission,
            },
            about_number => about,
            kinds => kinds, categories => categories, places => places,
            errors => Serde(errors), anonymous => anonymous,
            max_attachments => files::MAX_ATTACHMENTS,
        },
    )
}

/// The form's fields a missing part of the appeal points at.
fn missing_field(m: Missing) -> (&'static str, &'static str) {
    match m {
        Missing::FullName => ("full_name", "appeal-invalid-full-name"),
        Missing::Address => ("street", "appeal-invalid-address"),
        Missing::Contact => ("contact", "appeal-invalid-contact"),
        Missing::Essence => ("essence", "appeal-invalid-essence"),
    }
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    mut upload: Upload,
) -> AppResult<Response> {
    require_level(&viewer, &tenant.community, &FILE)?;
    let user = viewer.require_user()?;
    let c = &tenant.community;
    let hour = std::time::Duration::from_secs(3600);
    if !state.limiter.hit(&format!("appeal:{}", user.id), 20, hour) {
        return Err(AppError::TooManyRequests);
    }
    let mut form: AppealForm = upload.form()?;
    let mut errors = FieldErrors::new();
    let attachments = files::read(&mut upload, &mut errors).await;
    let draft = domain::Draft {
        full_name: &form.full_name,
        settlement: Some(form.settlement.as_str()).filter(|s| !s.trim().is_empty()),
        street: &form.street,
        contact: &form.contact,
        essence: &form.essence,
    };
    if let Err(missing) = domain::check(&draft) {
        for m in missing {
            let (field, key) = missing_field(m);
            errors.add(field, key);
        }
    }
    let kind = Kind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "appeal-invalid-kind");
    }
    if !CATEGORIES.contains(&form.category.as_str()) {
        errors.add("category", "appeal-invalid-category");
    }
    // A complaint may point at an earlier answer of the author's own.
    let about = match parse_reference(&form.about) {
        Some((year, seq)) => store::by_reference(&state.db, c.id, year, seq)
            .await?
            .filter(|a| a.author_id == user.id && matches!(a.status(), Status::Answered | Status::Closed)),
        None => None,
    };
    if !form.about.trim().is_empty() && about.is_none() {
        errors.add("about", "appeal-invalid-about");
    }
    if Uuid::parse_str(form.submission.trim()).is_err() {
        form.submission = Uuid::now_v7().to_string();
    }
    if !errors.is_empty() {
        return render_form(&state, &page, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let new = NewAppeal {
        kind: kind.unwrap_or(Kind::Statement),
        author_id: user.id,
        full_name: &form.full_name,
        settlement: &form.settlement,
        street: &form.street,
        contact: &form.contact,
        essence: &form.essence,
        complaint_about: about.map(|a| a.id),
        publish_consent: !form.publish.is_empty(),
        category: &form.category,
        submission_key: Some(form.submission.trim()),
        from_petition: None,
    };
    let calendar = holidays::calendar(&state.db).await?;
    let registered = store::register(&state.db, c.id, &new, &calendar, state.now()).await?;
    let appeal = registered.appeal;
    if registered.new {
        files::save(&state, c.id, appeal.id, &attachments, files::ATTACHMENT, user.id).await?;
        notify::author(&state, c, &appeal, Notice::Registered).await?;
        notify::administrators(&state, c, &appeal, Notice::New).await?;
    }
    Ok(page.redirect_with(&tenant.url(&path(&appeal)), Flash::success("appeal-flash-registered")))
}

/// The appeal of a URL's reference, or not found.
pub async fn by_reference(state: &AppState, tenant: &Tenant, reference: &str) -> AppResult<Appeal> {
    let (year, seq) = parse_reference(reference).ok_or(AppError::NotFound)?;
    store::by_reference(&state.db, tenant.community.id, year, seq).await?.ok_or(AppError::NotFound)
}

/// The timeline as pages show it: when, which step, and the note the step carried.
pub fn timeline(page: &Page, events: &[store::Event]) -> Vec<Value> {
    events
        .iter()
        .map(|e| {
            context! {
                at => e.at.format("%d.%m.%Y %H:%M").to_string(),
                iso => e.at.to_rfc3339(),
                status => page.t(&format!("appeal-status-{}", e.status)),
                note => &e.note,
            }
        })
        .collect()
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(reference): Path<String>,
) -> AppResult<Response> {
    let a = by_reference(&state, &tenant, &reference).await?;
    let mine = page.viewer.user.as_ref().is_some_and(|u| u.id == a.author_id);
    let status = a.status();
    let published = a.publish_consent && matches!(status, Status::Answered | Status::Closed);
    if !mine && !published {
        // Private: not even its existence is told to others.
        return Err(AppError::NotFound);
    }
    let events = if mine { store::timeline(&state.db, tenant.community.id, a.id).await? } else { vec![] };
    let all_files = if mine { files::list(&state, tenant.community.id, a.id).await? } else { vec![] };
    let about = match a.complaint_about {
        Some(id) => store::get(&state.db, tenant.community.id, id)
            .await?
            .map(|e| context! { number => &e.number, href => page.url(&path(&e)) }),
        None => None,
    };
    // Only the author of an appeal nobody has yet is told the forwarding term.
    let forward_by = if mine && status == Status::Registered {
        let calendar = holidays::calendar(&state.db).await?;
        Some(domain::term_end(a.received_on, domain::FORWARD, &calendar).format("%d.%m.%Y").to_string())
    } else {
        None
    };
    let today = state.now().date_naive();
    page.render(
        "appeals/show.html",
        context! {
            a => summary(&page, &a),
            mine => mine,
            open => status.open(),
            overdue => status.open() && today > a.answer_due,
            extended => a.extension_reason.as_deref(),
            study => a.study.as_deref(),
            full_name => mine.then_some(&a.full_name),
            address => mine.then(|| format!("{}, {}", a.settlement, a.street).trim_end_matches([',', ' ']).to_owned()),
            contact => mine.then_some(&a.contact),
            essence => &a.essence,
            answer => a.answer_text.as_deref(),
            answered => a.answered_at.map(|t| t.format("%d.%m.%Y").to_string()),
            forwarded_to => a.forwarded_to.as_deref(),
            return_reason => a.return_reason.as_deref(),
            rating => a.rating,
            rating_comment => a.rating_comment.as_deref(),
            may_rate => mine && status == Status::Answered,
            may_complain => mine && matches!(status, Status::Answered | Status::Closed),
            reference => &reference,
            about => about,
            publish_consent => a.publish_consent,
            timeline => timeline(&page, &events),
            attachments => describe_all(&page, &all_files, files::ATTACHMENT),
            answer_files => describe_all(&page, &all_files, files::ANSWER),
            forward_by => forward_by,
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct RateForm {
    #[serde(default)]
    stars: String,
    #[serde(default)]
    comment: String,
}

async fn rate(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(reference): Path<String>,
    axum::Form(form): axum::Form<RateForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let a = by_reference(&state, &tenant, &reference).await?;
    if a.author_id != user.id {
        return Err(AppError::NotFound);
    }
    let back = tenant.url(&path(&a));
    let Some(stars) = form.stars.trim().parse().ok().and_then(domain::rating) else {
        return Ok(page.redirect_with(&back, Flash::error("appeal-invalid-rating")));
    };
    let details = StepDetails { rating: Some(stars), note: &form.comment, ..StepDetails::default() };
    let calendar = holidays::calendar(&state.db).await?;
    match store::step(
        &state.db,
        tenant.community.id,
        a.id,
        Action::Close,
        Some(user.id),
        &details,
        &calendar,
        state.now(),
    )
    .await
    {
        Ok(_) => Ok(page.redirect_with(&back, Flash::success("appeal-flash-rated"))),
        Err(store::StepError::Db(e)) => Err(e.into()),
        Err(_) => Ok(page.redirect_with(&back, Flash::error("appeal-error-step"))),
    }
}

// ---------- the public dashboard ----------

/// Months the dashboard looks back.
const DASHBOARD_MONTHS: u32 = 12;

fn figures_row(page: &Page, name: String, f: &domain::Figures) -> Value {
    context! {
        name => name,
        received => f.received,
        answered => f.answered,
        on_time => f.on_time_percent(),
        median => f.median_days.map(|d| format!("{d:.1}").trim_end_matches(".0").to_owned()),
        overdue => f.overdue_now,
        on_time_label => f.on_time_percent().map(|p| page.t_count("appeal-dashboard-percent", p as i64)),
    }
}

async fn dashboard(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let c = tenant.community.id;
    let today = state.now().date_naive();
    let this_month = today.with_day(1).unwrap_or(today);
    let since = this_month.checked_sub_months(Months::new(DASHBOARD_MONTHS - 1)).unwrap_or(this_month);
    let rows = store::handled_since(&state.db, c, since).await?;
    let in_window: Vec<domain::Handled> =
        rows.iter().map(store::HandledRow::handled).filter(|h| h.received_on >= since || h.open).collect();
    let mut by_department: BTreeMap<Option<Uuid>, Vec<domain::Handled>> = BTreeMap::new();
    for r in &rows {
        by_department.entry(r.department_id).or_default().push(r.handled());
    }
    let names = departments::list(&state.db, c).await?;
    let mut departments_rows: Vec<Value> = names
        .iter()
        .filter_map(|d| {
            let rows = by_department.get(&Some(d.id))?;
            let name = if page.lang == Lang::En {
                d.name_en.clone().unwrap_or_else(|| d.name_uk.clone())
            } else {
                d.name_uk.clone()
            };
            Some(figures_row(&page, name, &domain::figures(rows, today)))
        })
        .collect();
    if let Some(rows) = by_department.get(&None) {
        departments_rows.push(figures_row(&page, page.t("appeal-dashboard-unassigned"), &domain::figures(rows, today)));
    }
    let total = figures_row(&page, page.t("appeal-dashboard-total"), &domain::figures(&in_window, today));
    let series = domain::by_month(&in_window, today, DASHBOARD_MONTHS);
    page.render(
        "appeals/dashboard.html",
        context! {
            departments => departments_rows,
            total => total,
            chart => chart(&page, &series),
            since => since.format("%m.%Y").to_string(),
        },
    )
}

/// Bars of received and answered appeals per month, scaled to the chart's height; the template
/// draws them as SVG beside a table with the same figures.
fn chart(page: &Page, series: &[(chrono::NaiveDate, u64, u64)]) -> Value {
    const HEIGHT: u64 = 160;
    let top = series.iter().map(|(_, r, a)| (*r).max(*a)).max().unwrap_or(0).max(1);
    let months: Vec<Value> = series
        .iter()
        .enumerate()
        .map(|(i, (month, received, answered))| {
            let label = page.t(&format!("appeal-month-{}", month.month()));
            context! {
                x => i * 48,
                label => label,
                year => month.year(),
                received => received,
                answered => answered,
                received_h => received * HEIGHT / top,
                answered_h => answered * HEIGHT / top,
            }
        })
        .collect();
    context! { months => months, height => HEIGHT, top => top, width => series.len() * 48 }
}

// ---------- demo content ----------

pub async fn seed_demo(ctx: SeedContext<'_>) -> anyhow::Result<()> {
    let c = ctx.community;
    let Some(author) = users::by_email(ctx.db, c.id, "resident@demo.hromada").await? else { return Ok(()) };
    if !store::of_author(ctx.db, c.id, author.id).await?.is_empty() {
        return Ok(());
    }
    let calendar = holidays::calendar(ctx.db).await?;
    let settlement = settlements::list(ctx.db, c.id).await?.into_iter().next().map(|s| s.name_uk).unwrap_or_default();
    let department = departments::list(ctx.db, c.id).await?.into_iter().next();
    let now = ctx.clock.now();
    let demo: &[(Kind, &str, &str, &[Action])] = &[
        (
            Kind::Statement,
            "utilities",
            "Прошу полагодити водогін біля будинку № 12 на вулиці Миру: третій тиждень тече вода, утворилася \
             калюжа, взимку вона замерзне на тротуарі.",
            &[Action::Assign, Action::Start],
        ),
        (
            Kind::Proposal,
            "transport",
            "Пропоную додати вечірній рейс автобуса № 3 о 21:30, щоб працівники лікарні могли дістатися додому \
             після зміни.",
            &[],
        ),
    ];
    let demo = if ctx.main { demo } else { &demo[..1] };
    for (i, (kind, category, essence, steps)) in demo.iter().enumerate() {
        let key = format!("demo-{i}");
        let new = NewAppeal {
            kind: *kind,
            author_id: author.id,
            full_name: &author.full_name,
            settlement: &settlement,
            street: "вул. Миру, 12",
            contact: author.email.as_deref().unwrap_or(""),
            essence,
            complaint_about: None,
            publish_consent: false,
            category,
            submission_key: Some(&key),
            from_petition: None,
        };
        let appeal = store::register(ctx.db, c.id, &new, &calendar, now).await?.appeal;
        for step in steps.iter() {
            let details = StepDetails { department: department.as_ref().map(|d| d.id), ..StepDetails::default() };
            store::step(ctx.db, c.id, appeal.id, *step, None, &details, &calendar, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(())
}
