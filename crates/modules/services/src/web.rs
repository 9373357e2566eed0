//! The public side: the catalogue with search and categories, a service's card, the offices
//! with their map, the online services' tiles, the cameras, and the catalogue as open data.

use crate::domain::{self, format_cost};
use crate::exchange;
use crate::store::{self, CardFilter, Category, Office, ServiceCard};
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hromada_kernel::Lang;
use hromada_web::{AppError, AppResult, AppState, Page, Tenant, Value, context};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services", get(catalogue))
        .route("/services.csv", get(export_csv))
        .route("/services.json", get(export_json))
        .route("/services/{number}", get(show))
        .route("/services/offices", get(offices))
        .route("/services/offices.json", get(office_points))
        .route("/services/cameras", get(cameras))
        .route("/services/cameras.json", get(camera_points))
}

#[derive(Debug, Default, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
}

/// The most cards a catalogue page lists; a catalogue is a few hundred services.
const MAX_CARDS: i64 = 1_000;

fn category_href(page: &Page, c: &Category) -> String {
    page.url(&format!("/services?category={}", hromada_web::page::urlencode(&c.code)))
}

pub fn card_summary(page: &Page, card: &ServiceCard) -> Value {
    context! {
        number => card.number,
        href => page.url(&format!("/services/{}", card.number)),
        name => card.name(page.lang),
        term => &card.term,
        cost => format_cost(card.cost_kopiykas, page.lang),
        online => card.online_url.is_some(),
        published => card.published,
    }
}

pub fn tile_views(page: &Page, tiles: &[store::Tile]) -> Vec<Value> {
    tiles
        .iter()
        .map(|t| {
            context! {
                symbol => domain::tile_symbol(&t.icon), title => t.title(page.lang),
                description => t.description(page.lang), url => &t.url,
            }
        })
        .collect()
}

async fn catalogue(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<CatalogueQuery>,
) -> AppResult<Response> {
    let community = tenant.community.id;
    let categories = store::categories(&state.db, community).await?;
    let chosen = categories.iter().find(|c| c.code == q.category);
    let query = q.q.trim();
    let filter = CardFilter {
        query: (!query.is_empty()).then(|| query.to_owned()),
        category: chosen.map(|c| c.id),
        unpublished: false,
    };
    // The whole published catalogue is a few hundred cards: it gives the categories' counts and,
    // without a search, the list itself; only a search asks the database again, for its ranking.
    let all = store::cards(&state.db, community, &CardFilter::default(), MAX_CARDS).await?;
    let cards = match &filter.query {
        Some(_) => store::cards(&state.db, community, &filter, MAX_CARDS).await?,
        None => all.iter().filter(|card| chosen.is_none_or(|c| card.category_id == Some(c.id))).cloned().collect(),
    };
    let category_links: Vec<Value> = categories
        .iter()
        .filter_map(|c| {
            let count = all.iter().filter(|card| card.category_id == Some(c.id)).count();
            (count > 0).then(|| {
                context! {
                    name => c.name(page.lang), count => count, current => chosen.is_some_and(|x| x.id == c.id),
                    href => category_href(&page, c),
                }
            })
        })
        .collect();
    // Without a search, the catalogue reads by category.
    let mut groups: Vec<Value> = vec![];
    if filter.query.is_none() {
        let summaries = |keep: &dyn Fn(&ServiceCard) -> bool| -> Vec<Value> {
            cards.iter().filter(|c| keep(c)).map(|c| card_summary(&page, c)).collect()
        };
        for c in categories.iter().filter(|c| chosen.is_none_or(|x| x.id == c.id)) {
            let list = summaries(&|card| card.category_id == Some(c.id));
            if !list.is_empty() {
                groups.push(context! { name => c.name(page.lang), cards => list });
            }
        }
        if chosen.is_none() {
            let list = summaries(&|card| card.category_id.is_none_or(|id| !categories.iter().any(|c| c.id == id)));
            if !list.is_empty() {
                groups.push(context! { name => page.t("services-other"), cards => list });
            }
        }
    }
    let found: Vec<Value> = cards.iter().map(|c| card_summary(&page, c)).collect();
    let tiles = if filter.query.is_none() && chosen.is_none() {
        tile_views(&page, &store::tiles(&state.db, community).await?)
    } else {
        vec![]
    };
    page.render(
        "services/index.html",
        context! {
            q => query, category => chosen.map(|c| c.name(page.lang)), categories => category_links,
            groups => groups, found => found, searching => filter.query.is_some(), tiles => tiles,
            total => all.len(),
        },
    )
}

fn office_view(page: &Page, o: &Office, index: usize) -> Value {
    context! {
        index => index + 1,
        id => o.id.to_string(),
        name => o.name(page.lang),
        kind => page.t(&format!("services-office-kind-{}", o.kind)),
        address => &o.address,
        hours => &o.hours,
        phone => &o.phone,
        email => &o.email,
        lat => o.lat,
        lon => o.lon,
        osm => o.point().map(|p| format!("https://www.openstreetmap.org/?mlat={0:.6}&mlon={1:.6}#map=17/{0:.6}/{1:.6}", p.lat, p.lon)),
    }
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let community = tenant.community.id;
    let card = store::card(&state.db, community, number).await?.filter(|c| c.published).ok_or(AppError::NotFound)?;
    let category = match card.category_id {
        Some(id) => store::categories(&state.db, community).await?.into_iter().find(|c| c.id == id),
        None => None,
    };
    let given_at = store::card_offices(&state.db, community, card.id).await?;
    let offices: Vec<Value> = store::offices(&state.db, community)
        .await?
        .iter()
        .enumerate()
        .filter(|(_, o)| given_at.is_empty() || given_at.contains(&o.id))
        .map(|(i, o)| office_view(&page, o, i))
        .collect();
    page.render(
        "services/card.html",
        context! {
            card => card_view(&page, &card, category.as_ref()),
            offices => offices,
            all_offices => given_at.is_empty(),
        },
    )
}

fn card_view(page: &Page, card: &ServiceCard, category: Option<&Category>) -> Value {
    context! {
        number => card.number,
        code => &card.code,
        name => card.name(page.lang),
        category => category.map(|c| c.name(page.lang)),
        category_href => category.map(|c| category_href(page, c)),
        recipients => &card.recipients,
        documents => domain::document_lines(&card.documents).into_iter().map(str::to_owned).collect::<Vec<_>>(),
        cost => format_cost(card.cost_kopiykas, page.lang),
        free => card.cost_kopiykas.is_none(),
        cost_note => &card.cost_note,
        term => &card.term,
        result => &card.result,
        how_to_receive => &card.how_to_receive,
        legal_basis => &card.legal_basis,
        online_url => &card.online_url,
        updated => hromada_kernel::clock::kyiv_time(card.updated_at).date().to_string(),
        ukrainian_only => page.lang == Lang::En,
    }
}

async fn offices(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let offices = store::offices(&state.db, tenant.community.id).await?;
    let list: Vec<Value> = offices.iter().enumerate().map(|(i, o)| office_view(&page, o, i)).collect();
    page.render(
        "services/offices.html",
        context! {
            offices => list, with_map => offices.iter().any(|o| o.point().is_some()),
            map => hromada_web::map::context(&tenant.community), points => page.url("/services/offices.json"),
        },
    )
}

/// Points for the shared map script; the few places there are need no clustering or box.
fn points(items: Vec<serde_json::Value>) -> Response {
    let mut response = Json(serde_json::json!({ "clusters": items })).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    response
}

async fn office_points(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let list = store::offices(&state.db, tenant.community.id).await?;
    Ok(points(
        list.iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let p = o.point()?;
                Some(serde_json::json!({
                    "lat": p.lat, "lon": p.lon, "count": 1, "label": (i + 1).to_string(),
                    "title": o.name(page.lang), "href": format!("{}#office-{}", page.url("/services/offices"), o.id),
                }))
            })
            .collect(),
    ))
}

fn camera_view(page: &Page, c: &store::Camera, index: usize) -> Value {
    context! {
        index => index + 1,
        id => c.id.to_string(),
        name => c.name(page.lang),
        address => &c.address,
        status => &c.status,
        status_label => page.t(&format!("services-camera-{}", c.status)),
        snapshot => &c.snapshot_url,
        stream => &c.stream_url,
        lat => c.lat,
        lon => c.lon,
    }
}

async fn cameras(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let list = store::cameras(&state.db, tenant.community.id).await?;
    let with_points = list.iter().any(|c| c.point().is_some());
    let views: Vec<Value> = list.iter().enumerate().map(|(i, c)| camera_view(&page, c, i)).collect();
    page.render(
        "services/cameras.html",
        context! {
            cameras => views, with_map => with_points, map => hromada_web::map::context(&tenant.community),
            points => page.url("/services/cameras.json"),
        },
    )
}

async fn camera_points(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let list = store::cameras(&state.db, tenant.community.id).await?;
    Ok(points(
        list.iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let p = c.point()?;
                Some(serde_json::json!({
                    "lat": p.lat, "lon": p.lon, "count": 1, "label": (i + 1).to_string(),
                    "title": c.name(page.lang), "href": format!("{}#camera-{}", page.url("/services/cameras"), c.id),
                }))
            })
            .collect(),
    ))
}

async fn export_csv(State(state): State<AppState>, tenant: Tenant) -> AppResult<Response> {
    let rows = exchange::rows(&state.db, tenant.community.id, false).await?;
    Ok(exchange::to_csv(&rows).into_download(&format!("services-{}.csv", tenant.community.slug)))
}

async fn export_json(State(state): State<AppState>, tenant: Tenant) -> AppResult<Response> {
    let rows = exchange::rows(&state.db, tenant.community.id, false).await?;
    Ok(Json(exchange::to_json(&rows)).into_response())
}
