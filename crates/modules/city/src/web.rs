//! Residents' pages: the list and map of reports with filters, filing a report (on the map, or
//! by settlement and street with JavaScript off) with photos, a report with its timeline,
//! "I have this too", and following a report or an area.

use crate::domain::{self, Status};
use crate::intake::{self, Author, Source};
use crate::store::{self, Category, Follow, Report, SupportOutcome};
use crate::{REPORT, SUPPORT, files};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::core::{departments, settlements};
use hromada_kernel::Permission;
use hromada_media::Upload;
use hromada_web::auth::Viewer;
use hromada_web::forms::FieldErrors;
use hromada_web::module::require_level;
use hromada_web::page::urlencode;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/city", get(list).post(create))
        .route("/city/new", get(new_form))
        .route("/city/clusters.json", get(crate::map::clusters))
        .route("/city/feed.rss", get(crate::feeds::rss))
        .route("/city/feed.atom", get(crate::feeds::atom))
        .route("/city/follow-area", post(follow_area))
        .route("/city/{number}", get(show))
        .route("/city/{number}/support", post(support))
        .route("/city/{number}/follow", post(follow_report))
}

const PAGE: i64 = 20;

/// A message with named arguments in the page's language.
pub(crate) fn t_args(page: &Page, key: &str, args: &BTreeMap<&str, String>) -> String {
    let values =
        serde_json::Map::from_iter(args.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone()))));
    page.state.i18n.t_args(page.lang, key, Some(&hromada_web::i18n::args_from_json(&values)))
}

/// The filters of a list, a map, or a feed, as the query string gives them.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub settlement: String,
    pub page: Option<i64>,
}

impl ListQuery {
    /// The store filter of published reports (no duplicates), with unknown values ignored.
    pub fn filter(&self, categories: &[Category]) -> store::Filter {
        let category = categories.iter().find(|c| c.code == self.category).map(|c| c.id);
        let status = Status::parse(&self.status).filter(|s| Status::PUBLIC.contains(s));
        store::Filter {
            statuses: status.into_iter().collect(),
            categories: category.into_iter().collect(),
            settlement: self.settlement.parse().ok(),
            without_merged: true,
            ..Default::default()
        }
    }

    fn query_string(&self) -> String {
        format!(
            "category={}&status={}&settlement={}",
            urlencode(&self.category),
            urlencode(&self.status),
            urlencode(&self.settlement)
        )
    }
}

fn category_name<'a>(page: &Page, categories: &'a [Category], id: Uuid) -> &'a str {
    categories.iter().find(|c| c.id == id).map(|c| c.name(page.lang)).unwrap_or("")
}

/// What a list or a page shows of a report.
pub fn summary(page: &Page, categories: &[Category], r: &Report) -> Value {
    context! {
        number => r.number,
        category => category_name(page, categories, r.category_id),
        status => &r.status,
        status_label => page.t(&format!("city-status-{}", r.status)),
        address => &r.address,
        excerpt => r.description.chars().take(160).collect::<String>(),
        supports => r.support_count,
        supports_label => page.t_count("city-supports", r.support_count),
        href => page.url(&format!("/city/{}", r.number)),
        lat => r.lat,
        lon => r.lon,
        created_at => r.created_at.to_rfc3339(),
    }
}

fn options(page: &Page, categories: &[Category], places: &[settlements::Settlement]) -> (Value, Value, Value) {
    let categories: Vec<Value> =
        categories.iter().map(|c| context! { value => &c.code, label => c.name(page.lang) }).collect();
    let statuses: Vec<Value> = Status::PUBLIC
        .iter()
        .map(|s| context! { value => s.code(), label => page.t(&format!("city-status-{}", s.code())) })
        .collect();
    let places: Vec<Value> =
        places.iter().map(|s| context! { value => s.id.to_string(), label => s.name(page.lang) }).collect();
    (Value::from(categories), Value::from(statuses), Value::from(places))
}

/// The map's settings for the page's script, as data attributes.
fn map_context(page: &Page, tenant: &Tenant) -> Value {
    context! { clusters => page.url("/city/clusters.json"), ..hromada_web::map::context(&tenant.community) }
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let c = &tenant.community;
    let categories = intake::categories(&state, c, false).await?;
    let places = settlements::list(&state.db, c.id).await?;
    let n = q.page.unwrap_or(1).max(1);
    let filter = q.filter(&categories);
    let rows = store::list(&state.db, c.id, &filter, PAGE + 1, (n - 1) * PAGE).await?;
    let more = rows.len() as i64 > PAGE;
    let items: Vec<Value> = rows.iter().take(PAGE as usize).map(|r| summary(&page, &categories, r)).collect();
    let (category_options, status_options, place_options) = options(&page, &categories, &places);
    let area = match (&page.viewer.user, filter.settlement) {
        (Some(u), Some(s)) => Some(
            context! { id => s.to_string(), following => store::is_subscribed(&state.db, c.id, u.id, Follow::Area(s)).await? },
        ),
        _ => None,
    };
    let feed_query = format!("category={}&settlement={}", urlencode(&q.category), urlencode(&q.settlement));
    page.render(
        "city/list.html",
        context! {
            reports => items, page => n, more => more, query => q.query_string(), feed_query => feed_query,
            categories => category_options, statuses => status_options, settlements => place_options,
            category => &q.category, status => &q.status, settlement => &q.settlement,
            area => area, map => map_context(&page, &tenant),
        },
    )
}

/// The filing form's fields, as sent.
#[derive(Debug, Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    address: String,
}

#[allow(clippy::too_many_arguments)]
fn render_form(
    page: &Page,
    tenant: &Tenant,
    categories: &[Category],
    places: &[settlements::Settlement],
    form: &ReportForm,
    answers: &BTreeMap<String, String>,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let (category_options, _, place_options) = options(page, categories, places);
    let questions: Vec<Value> = categories
        .iter()
        .filter(|c| !c.questions.0.is_empty())
        .map(|c| {
            let fields: Vec<Value> = c
                .questions
                .0
                .iter()
                .map(|q| {
                    let name = format!("answer_{}_{}", c.code, q.code);
                    context! {
                        name => &name, label => q.label(page.lang), required => q.required,
                        number => q.datatype == "number", value => answers.get(&name).cloned().unwrap_or_default(),
                    }
                })
                .collect();
            context! { code => &c.code, name => c.name(page.lang), fields => fields }
        })
        .collect();
    let mut limits = BTreeMap::new();
    limits.insert("count", domain::MAX_PHOTOS.to_string());
    page.render_status(
        status,
        "city/new.html",
        context! {
            form => context! {
                category => &form.category, description => &form.description, lat => &form.lat, lon => &form.lon,
                settlement => &form.settlement, address => &form.address,
            },
            categories => category_options, settlements => place_options, questions => questions,
            descriptions => categories.iter().map(|c| context! { name => c.name(page.lang), text => &c.description_uk }).collect::<Vec<_>>(),
            errors => Serde(errors), photos_hint => t_args(page, "city-hint-photos", &limits),
            map => map_context(page, tenant),
        },
    )
}

async fn new_form(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    require_level(&page.viewer, &tenant.community, &REPORT)?;
    let categories = intake::categories(&state, &tenant.community, true).await?;
    let places = settlements::list(&state.db, tenant.community.id).await?;
    let form = ReportForm::default();
    render_form(&page, &tenant, &categories, &places, &form, &BTreeMap::new(), &FieldErrors::new(), StatusCode::OK)
}

async fn create(State(state): State<AppState>, page: Page, tenant: Tenant, mut upload: Upload) -> AppResult<Response> {
    require_level(&page.viewer, &tenant.community, &REPORT)?;
    let user = page.viewer.require_user()?.clone();
    if !state.limiter.hit(&format!("city-report:{}", user.id), 20, std::time::Duration::from_secs(3600)) {
        return Err(AppError::TooManyRequests);
    }
    let c = &tenant.community;
    let form: ReportForm = upload.form()?;
    let categories = intake::categories(&state, c, true).await?;
    let places = settlements::list(&state.db, c.id).await?;
    let given: BTreeMap<String, String> =
        upload.fields().iter().filter(|(k, _)| k.starts_with("answer_")).cloned().collect();
    let mut errors = FieldErrors::new();
    let category = categories.iter().find(|cat| cat.code == form.category);
    if category.is_none() {
        errors.add("category", "city-invalid-category");
    }
    let settlement = match form.settlement.as_str() {
        "" => None,
        s => match s.parse::<Uuid>().ok().filter(|id| places.iter().any(|p| p.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.add("settlement", "city-invalid-settlement");
                None
            }
        },
    };
    let location = match domain::location(&form.lat, &form.lon, settlement, &form.address) {
        Ok(l) => Some(l),
        Err(key) => {
            errors.add(if key == "city-invalid-point" { "lat" } else { "address" }, key);
            None
        }
    };
    let mut answers = BTreeMap::new();
    match category {
        Some(cat) => {
            let prefix = format!("answer_{}_", cat.code);
            let mine: BTreeMap<String, String> =
                given.iter().filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.to_owned(), v.clone()))).collect();
            match intake::check(cat, &form.description, &mine) {
                Ok(checked) => answers = checked,
                Err(problems) => {
                    for (field, key) in problems {
                        let field = match field.strip_prefix("answer_") {
                            Some(code) => format!("{prefix}{code}"),
                            None => field,
                        };
                        errors.add(&field, key);
                    }
                }
            }
        }
        None => {
            if let Err(key) = domain::check_description(&form.description) {
                errors.add("description", key);
            }
        }
    }
    let photos = files::read(&mut upload, &mut errors).await;
    let (Some(category), Some(location), true) = (category, location, errors.is_empty()) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_form(&page, &tenant, &categories, &places, &form, &given, &errors, status);
    };
    let author = Author { id: Some(user.id), name: &user.full_name, email: user.email.as_deref() };
    let report = intake::file(&state, c, category, author, &form.description, &location, answers, Source::Web).await?;
    files::save(&state, c.id, report.id, &photos, Some(user.id)).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/city/{}", report.number)), Flash::success("city-flash-filed")))
}

/// Whether the viewer works the report as an official: a moderator, or an officer of the
/// department it is routed to.
pub(crate) async fn works_on(state: &AppState, tenant: &Tenant, viewer: &Viewer, r: &Report) -> AppResult<bool> {
    if viewer.may(Permission::Moderate) {
        return Ok(true);
    }
    let Some(user) = viewer.user.as_ref().filter(|_| viewer.may(Permission::AnswerAppeals)) else { return Ok(false) };
    let mine = departments::departments_of(&state.db, tenant.community.id, user.id).await?;
    Ok(r.department_id.is_some_and(|d| mine.contains(&d)))
}

/// A report the viewer may see: published ones to all, others to their author and officials.
async fn visible(state: &AppState, tenant: &Tenant, viewer: &Viewer, number: i64) -> AppResult<Report> {
    let r = store::by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let own = viewer.user.as_ref().is_some_and(|u| Some(u.id) == r.author_id);
    if r.public() || own || works_on(state, tenant, viewer, &r).await? { Ok(r) } else { Err(AppError::NotFound) }
}

/// The timeline as a page shows it.
pub(crate) fn events(page: &Page, events: &[store::Event]) -> Vec<Value> {
    events
        .iter()
        .map(|e| {
            let label = match (e.kind.as_str(), &e.status) {
                ("status", Some(s)) => page.t(&format!("city-status-{s}")),
                (kind, _) => page.t(&format!("city-event-{kind}")),
            };
            let note = match e.kind.as_str() {
                "merged_into" | "merged_in" => format!("№ {}", e.note),
                _ => e.note.clone(),
            };
            context! {
                at => e.at.to_rfc3339(), kind => &e.kind, label => label, note => note,
                official => e.actor_name.clone(), comment => e.kind == "comment",
            }
        })
        .collect()
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let c = &tenant.community;
    let r = visible(&state, &tenant, &page.viewer, number).await?;
    let categories = store::categories(&state.db, c.id, false).await?;
    let places = settlements::list(&state.db, c.id).await?;
    let timeline = store::timeline(&state.db, c.id, r.id).await?;
    let photos = files::list(&state, c.id, r.id).await?;
    let merged_into = match r.merged_into {
        Some(target) => store::get(&state.db, c.id, target).await?.filter(|t| t.public()).map(|t| t.number),
        None => None,
    };
    let (supported, following) = match &page.viewer.user {
        Some(u) => (
            store::has_supported(&state.db, c.id, r.id, u.id).await?,
            store::is_subscribed(&state.db, c.id, u.id, Follow::Report(r.id)).await?,
        ),
        None => (false, false),
    };
    let own = page.viewer.user.as_ref().is_some_and(|u| Some(u.id) == r.author_id);
    let category = categories.iter().find(|cat| cat.id == r.category_id);
    let answers: Vec<Value> = category
        .map(|cat| {
            cat.questions
                .0
                .iter()
                .filter_map(|q| Some(context! { label => q.label(page.lang), value => r.answers.0.get(&q.code)? }))
                .collect()
        })
        .unwrap_or_default();
    let official = works_on(&state, &tenant, &page.viewer, &r).await?;
    page.render(
        "city/show.html",
        context! {
            r => summary(&page, &categories, &r),
            description => &r.description,
            settlement => r.settlement_id.and_then(|s| places.iter().find(|p| p.id == s)).map(|s| s.name(page.lang)),
            rejection => &r.rejection_reason,
            published => r.public(),
            open => r.public() && r.status().is_open(),
            merged_into => merged_into,
            events => events(&page, &timeline),
            photos => files::for_page(&page, r.number, &photos),
            answers => answers,
            supported => supported,
            following => following,
            own => own,
            official => official,
            map => map_context(&page, &tenant),
        },
    )
}

async fn support(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    require_level(&page.viewer, &tenant.community, &SUPPORT)?;
    let user = page.viewer.require_user()?.clone();
    if !state.limiter.hit(&format!("city-support:{}", user.id), 60, std::time::Duration::from_secs(60)) {
        return Err(AppError::TooManyRequests);
    }
    let c = &tenant.community;
    let r = store::by_number(&state.db, c.id, number).await?.filter(|r| r.public()).ok_or(AppError::NotFound)?;
    let back = tenant.url(&format!("/city/{number}"));
    let flash = match store::support(&state.db, c.id, r.id, user.id, state.now()).await? {
        SupportOutcome::Supported { .. } => {
            // Who has the same problem wants to hear how it ends.
            store::subscribe(&state.db, c.id, user.id, Follow::Report(r.id), state.now()).await?;
            Flash::success("city-flash-supported")
        }
        SupportOutcome::AlreadySupported => Flash::info("city-flash-already-supported"),
        SupportOutcome::NotOpen => Flash::error("city-flash-support-closed"),
    };
    Ok(page.redirect_with(&back, flash))
}

#[derive(Debug, Deserialize, Default)]
pub struct FollowForm {
    /// `on` or `off`.
    #[serde(default)]
    follow: String,
    #[serde(default)]
    settlement: String,
}

async fn follow_report(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    axum::Form(form): axum::Form<FollowForm>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    let r = visible(&state, &tenant, &page.viewer, number).await?;
    let c = tenant.community.id;
    let flash = if form.follow == "off" {
        store::unsubscribe(&state.db, c, user.id, Follow::Report(r.id)).await?;
        "city-flash-unfollowed"
    } else {
        store::subscribe(&state.db, c, user.id, Follow::Report(r.id), state.now()).await?;
        "city-flash-followed"
    };
    Ok(page.redirect_with(&tenant.url(&format!("/city/{number}")), Flash::success(flash)))
}

async fn follow_area(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    axum::Form(form): axum::Form<FollowForm>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    let c = tenant.community.id;
    let place = form.settlement.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    if !settlements::list(&state.db, c).await?.iter().any(|s| s.id == place) {
        return Err(AppError::NotFound);
    }
    let flash = if form.follow == "off" {
        store::unsubscribe(&state.db, c, user.id, Follow::Area(place)).await?;
        "city-flash-area-unfollowed"
    } else {
        store::subscribe(&state.db, c, user.id, Follow::Area(place), state.now()).await?;
        "city-flash-area-followed"
    };
    Ok(page.redirect_with(&tenant.url(&format!("/city?settlement={place}")), Flash::success(flash)))
}
