//! What residents and search engines see: pages, the home page, news with feeds, documents,
//! the theme's stylesheet, `sitemap.xml` and `robots.txt`.

use crate::domain::{Block, PageContent, pick, video_embed};
use crate::feeds;
use crate::store::{self, DocumentFilter, NewsFilter};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use hromada_kernel::{CommunityId, Lang};
use hromada_media::Variant;
use hromada_web::cache::TtlMap;
use hromada_web::site::SiteFrame;
use hromada_web::{AppError, AppResult, AppState, Page, Tenant, Value, context};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pages/{slug}", get(show_page))
        .route("/news", get(news_list))
        .route("/news/feed.rss", get(feeds::rss))
        .route("/news/feed.atom", get(feeds::atom))
        .route("/news/{number}", get(news_item))
        .route("/documents", get(document_list))
        .route("/documents/{number}", get(document_item))
        .route("/theme.css", get(theme_css))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/search", get(search))
}

pub const PER_PAGE: i64 = 20;

/// Markdown to safe HTML, for templates.
pub fn markdown(text: &str) -> Value {
    Value::from_safe_string(hromada_web::markdown::render(text))
}

/// The blocks of a page, ready for `blocks.html`: each with its `kind` and what it shows.
pub async fn render_blocks(page: &Page, blocks: &[Block]) -> AppResult<Vec<Value>> {
    let state = &page.state;
    let community = page.tenant.as_ref().ok_or(AppError::NotFound)?.community.id;
    let lang = page.lang;
    let now = state.now();
    let mut out = vec![];
    for block in blocks {
        let value = match block {
            Block::Text { uk, en } => context! { kind => "text", html => markdown(pick(lang, uk, en)) },
            Block::Notice { level, uk, en } => {
                context! { kind => "notice", level => level.code(), html => markdown(pick(lang, uk, en)) }
            }
            Block::Image { media, alt_uk, alt_en, caption_uk, caption_en } => context! {
                kind => "image",
                display => page.url(&hromada_media::path(*media, Variant::Display)),
                thumb => page.url(&hromada_media::path(*media, Variant::Thumb)),
                alt => pick(lang, alt_uk, alt_en),
                caption => pick(lang, caption_uk, caption_en),
            },
            Block::Gallery { images } => {
                let images: Vec<Value> = images
                    .iter()
                    .map(|i| {
                        context! {
                            display => page.url(&hromada_media::path(i.media, Variant::Display)),
                            thumb => page.url(&hromada_media::path(i.media, Variant::Thumb)),
                            alt => pick(lang, &i.alt_uk, &i.alt_en),
                        }
                    })
                    .collect();
                context! { kind => "gallery", images => images }
            }
            Block::News { count, category } => {
                let filter =
                    NewsFilter { category: Some(category.clone()).filter(|c| !c.is_empty()), ..Default::default() };
                let (items, _) = store::public_news(&state.db, community, &filter, now, *count, 0).await?;
                let items: Vec<Value> = items.iter().map(|n| news_card(page, n)).collect();
                context! { kind => "news", items => items, more => page.url("/news") }
            }
            Block::Documents { count, category } => {
                let filter =
                    DocumentFilter { category: Some(category.clone()).filter(|c| !c.is_empty()), ..Default::default() };
                let (items, _) = store::documents(&state.db, community, &filter, *count, 0).await?;
                let items: Vec<Value> = items.iter().map(|d| document_card(page, d)).collect();
                context! { kind => "documents", items => items, more => page.url("/documents") }
            }
            Block::Tiles { items } => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|t| {
                        let href = if t.href.starts_with('/') { page.url(&t.href) } else { t.href.clone() };
                        context! { title => pick(lang, &t.title_uk, &t.title_en), text => pick(lang, &t.text_uk, &t.text_en), href => href }
                    })
                    .collect();
                context! { kind => "tiles", items => items }
            }
            Block::Faq { items } => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|q| context! { question => pick(lang, &q.question_uk, &q.question_en), answer => markdown(pick(lang, &q.answer_uk, &q.answer_en)) })
                    .collect();
                context! { kind => "faq", items => items }
            }
            Block::Video { url, title_uk, title_en } => {
                let Some(embed) = video_embed(url) else { continue };
                context! { kind => "video", embed => embed, url => url, title => pick(lang, title_uk, title_en) }
            }
            Block::Widget { key, choice } => {
                let mut html = None;
                for module in &state.modules {
                    if module.widgets().iter().any(|w| w.key == key) {
                        html = module.render_widget(page, key, choice).await?;
                        break;
                    }
                }
                let Some(html) = html else { continue };
                context! { kind => "widget", html => Value::from_safe_string(html) }
            }
        };
        out.push(value);
    }
    Ok(out)
}

pub fn news_card(page: &Page, n: &store::News) -> Value {
    context! {
        number => n.number,
        href => page.url(&format!("/news/{}", n.number)),
        title => pick(page.lang, &n.title_uk, &n.title_en),
        summary => pick(page.lang, &n.summary_uk, &n.summary_en),
        category => &n.category,
        pinned => n.pinned == 1,
        date => n.published_at.map(|d| hromada_kernel::clock::kyiv_time(d).format("%d.%m.%Y").to_string()),
        datetime => n.published_at.map(|d| d.to_rfc3339()),
        cover => n.cover.map(|c| page.url(&hromada_media::path(c, Variant::Thumb))),
    }
}

pub fn document_card(page: &Page, d: &store::Document) -> Value {
    context! {
        number => d.number,
        href => page.url(&format!("/documents/{}", d.number)),
        title => &d.title,
        act_number => &d.act_number,
        date => d.act_date.map(|d| d.format("%d.%m.%Y").to_string()),
        datetime => d.act_date.map(|d| d.to_string()),
        category => &d.category,
        file => d.file.map(|f| page.url(&hromada_media::path(f, Variant::Original))),
    }
}

fn page_context(page: &Page, content: &PageContent, blocks: Vec<Value>, canonical: String, home: bool) -> Value {
    let og = context! { title => content.title(page.lang), description => content.summary(page.lang) };
    context! { title => content.title(page.lang), blocks => blocks, canonical => canonical, og => og, home => home }
}

/// A page as residents see it; `canonical` is its address, for search engines and previews.
pub async fn render_page(page: &Page, content: &PageContent, canonical: String, home: bool) -> AppResult<Response> {
    let blocks = render_blocks(page, &content.blocks).await?;
    page.render("cms/page.html", page_context(page, content, blocks, canonical, home))
}

/// Pages as anonymous visitors get them, kept a few seconds on this node: the home page is
/// what every visitor opens first, and it draws from several modules.
pub struct RenderedPages(TtlMap<(CommunityId, String, Lang), Arc<str>>);

impl RenderedPages {
    pub fn new(ttl: std::time::Duration) -> Self {
        Self(TtlMap::new(ttl))
    }
}

/// What a cached copy depends on changing here: the site's rows and the community's own.
fn generation() -> u64 {
    store::generation().wrapping_add(hromada_db::core::changes::generation())
}

/// The node's cache, when this visitor may be served from it: signed-in people see their own
/// name, forms and answers, and a one-time message is theirs too.
fn cache_for(page: &Page) -> Option<&RenderedPages> {
    let anonymous = page.viewer.user.is_none() && page.viewer.operator.is_none() && page.flash.is_none();
    page.state.extension::<RenderedPages>().filter(|_| anonymous)
}

fn cache_key(page: &Page, path: &str) -> Option<(CommunityId, String, Lang)> {
    Some((page.tenant.as_ref()?.community.id, path.to_owned(), page.lang))
}

/// A copy of the page at `path` kept for anonymous visitors, without asking the database.
fn cached(page: &Page, path: &str) -> Option<Response> {
    let html = cache_for(page)?.0.get(&cache_key(page, path)?, generation())?;
    Some(Html(html.to_string()).into_response())
}

/// A published page, rendered, and kept for the next anonymous visitors.
async fn serve_page(page: &Page, stored: &store::StoredPage, path: &str) -> AppResult<Response> {
    let state = &page.state;
    let tenant = page.tenant.as_ref().ok_or(AppError::NotFound)?;
    let content = stored.visible(state.now()).ok_or(AppError::NotFound)?;
    let canonical = tenant.absolute_url(state, path).await;
    let (Some(cache), Some(key)) = (cache_for(page), cache_key(page, path)) else {
        return render_page(page, content, canonical, stored.is_home()).await;
    };
    let read = generation();
    let blocks = render_blocks(page, &content.blocks).await?;
    let html = page.fragment("cms/page.html", page_context(page, content, blocks, canonical, stored.is_home()))?;
    // A page that holds this visitor's form token is theirs alone.
    if page.csrf.is_empty() || !html.contains(&page.csrf) {
        cache.0.put(key, Arc::from(html.as_str()), read, generation());
    }
    Ok(Html(html).into_response())
}

async fn show_page(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let path = format!("/pages/{slug}");
    if let Some(hit) = cached(&page, &path) {
        return Ok(hit);
    }
    let stored = store::page_by_slug(&state.db, tenant.community.id, &slug).await?.ok_or(AppError::NotFound)?;
    if stored.is_home() {
        // One address per page: the home page lives at the site's root.
        return Ok(axum::response::Redirect::permanent(&tenant.url("/")).into_response());
    }
    serve_page(&page, &stored, &path).await
}

/// The published home page, if the editors made one.
pub async fn home(page: &Page) -> AppResult<Option<Response>> {
    let Some(tenant) = page.tenant.as_ref() else { return Ok(None) };
    if let Some(hit) = cached(page, "/") {
        return Ok(Some(hit));
    }
    let state = &page.state;
    let Some(stored) = store::home_page(&state.db, tenant.community.id).await? else { return Ok(None) };
    if stored.visible(state.now()).is_none() {
        return Ok(None);
    }
    serve_page(page, &stored, "/").await.map(Some)
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The page number asked for, from 1; nonsense reads as the first.
fn page_number(raw: &Option<String>) -> i64 {
    raw.as_deref().and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1 && *p <= 10_000).unwrap_or(1)
}

fn pager(page: &Page, path: &str, query: &[(&str, Option<String>)], current: i64, total: i64) -> Value {
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let link = |n: i64| {
        let mut pairs: Vec<(&str, String)> = query.iter().filter_map(|(k, v)| v.clone().map(|v| (*k, v))).collect();
        pairs.push(("page", n.to_string()));
        format!("{}?{}", page.url(path), serde_urlencoded::to_string(&pairs).unwrap_or_default())
    };
    context! {
        current => current,
        pages => pages,
        prev => (current > 1).then(|| link(current - 1)),
        next => (current < pages).then(|| link(current + 1)),
    }
}

async fn news_list(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = NewsFilter { category: nonempty(&q.category), tag: nonempty(&q.tag), query: nonempty(&q.q) };
    let current = page_number(&q.page);
    let (items, total) =
        store::public_news(&state.db, tenant.community.id, &filter, state.now(), PER_PAGE, (current - 1) * PER_PAGE)
            .await?;
    let items: Vec<Value> = items.iter().map(|n| news_card(&page, n)).collect();
    let categories = store::news_categories(&state.db, tenant.community.id).await?;
    let pager = pager(
        &page,
        "/news",
        &[("category", filter.category.clone()), ("tag", filter.tag.clone()), ("q", filter.query.clone())],
        current,
        total,
    );
    let canonical = tenant.absolute_url(&state, "/news").await;
    page.render(
        "cms/news_list.html",
        context! {
            items => items, total => total, categories => categories, pager => pager, canonical => canonical,
            category => filter.category, tag => filter.tag, q => filter.query,
            rss => page.url("/news/feed.rss"), atom => page.url("/news/feed.atom"),
        },
    )
}

async fn news_item(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<String>,
) -> AppResult<Response> {
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let item = store::news_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let preview = !item.is_public(state.now());
    // Editors may look at a draft or a scheduled item; residents may not know it exists.
    if preview && !page.viewer.may(hromada_kernel::Permission::EditContent) {
        return Err(AppError::NotFound);
    }
    let canonical = tenant.absolute_url(&state, &format!("/news/{number}")).await;
    let image = match item.cover {
        Some(c) => Some(tenant.absolute_url(&state, &hromada_media::path(c, Variant::Display)).await),
        None => None,
    };
    let title = pick(page.lang, &item.title_uk, &item.title_en);
    let summary = pick(page.lang, &item.summary_uk, &item.summary_en);
    let og = context! { type => "article", title => title, description => summary, image => image };
    page.render(
        "cms/news.html",
        context! {
            item => news_card(&page, &item),
            body => markdown(pick(page.lang, &item.body_uk, &item.body_en)),
            tags => item.tag_list().into_iter().map(str::to_owned).collect::<Vec<_>>(),
            cover => item.cover.map(|c| page.url(&hromada_media::path(c, Variant::Display))),
            preview => preview,
            canonical => canonical,
            og => og,
        },
    )
}

async fn document_list(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let year = q.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (1991..=2200).contains(y));
    let filter = DocumentFilter { category: nonempty(&q.category), year, query: nonempty(&q.q) };
    let current = page_number(&q.page);
    let (items, total) =
        store::documents(&state.db, tenant.community.id, &filter, PER_PAGE, (current - 1) * PER_PAGE).await?;
    let items: Vec<Value> = items.iter().map(|d| document_card(&page, d)).collect();
    let categories = store::document_categories(&state.db, tenant.community.id).await?;
    let pager = pager(
        &page,
        "/documents",
        &[("category", filter.category.clone()), ("year", year.map(|y| y.to_string())), ("q", filter.query.clone())],
        current,
        total,
    );
    let canonical = tenant.absolute_url(&state, "/documents").await;
    page.render(
        "cms/documents.html",
        context! {
            items => items, total => total, categories => categories, pager => pager, canonical => canonical,
            category => filter.category, year => year, q => filter.query,
        },
    )
}

async fn document_item(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<String>,
) -> AppResult<Response> {
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let doc = store::document(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    if doc.published != 1 {
        return Err(AppError::NotFound);
    }
    let file = match doc.file {
        Some(id) => hromada_media::store::get(&state.db, tenant.community.id, id)
            .await?
            .map(|f| hromada_media::view::describe(&page, &f)),
        None => None,
    };
    let canonical = tenant.absolute_url(&state, &format!("/documents/{number}")).await;
    let og = context! { title => &doc.title, description => hromada_kernel::text::excerpt(&doc.description, 200) };
    page.render(
        "cms/document.html",
        context! {
            doc => document_card(&page, &doc),
            description => markdown(&doc.description),
            file => file,
            canonical => canonical,
            og => og,
        },
    )
}

/// The community's colours and layout; its address changes with every saved theme, so it can
/// be cached for long.
async fn theme_css(tenant: Tenant) -> AppResult<Response> {
    let frame = SiteFrame::of(&tenant.community);
    let theme = frame.theme.ok_or(AppError::NotFound)?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok((headers, theme.css()).into_response())
}

/// Results per group on the search page.
const SEARCH_LIMIT: i64 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The site search: the site's own pages, news and documents, then every module's public
/// items, grouped by what they are.
async fn search(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let query: String = q.q.trim().chars().take(200).collect();
    let mut groups: Vec<Value> = vec![];
    let mut total = 0;
    if !query.is_empty() {
        let found = store::search(&state.db, tenant.community.id, &query, state.now(), SEARCH_LIMIT * 3).await?;
        for kind in ["page", "news", "document"] {
            let hits: Vec<Value> = found
                .iter()
                .filter(|f| f.kind == kind)
                .take(SEARCH_LIMIT as usize)
                .map(|f| context! { title => &f.title, href => page.url(&f.path), excerpt => &f.excerpt })
                .collect();
            if !hits.is_empty() {
                total += hits.len();
                groups.push(context! { label => page.t(&format!("cms-search-{kind}")), hits => hits });
            }
        }
        for module in &state.modules {
            let hits = module.search(&page, &query, SEARCH_LIMIT).await?;
            let Some(kind) = hits.first().map(|h| h.kind) else { continue };
            total += hits.len();
            let hits: Vec<Value> = hits
                .iter()
                .map(|h| context! { title => &h.title, href => page.url(&h.path), excerpt => &h.excerpt })
                .collect();
            groups.push(context! { label => page.t(kind), hits => hits });
        }
    }
    page.render("cms/search.html", context! { q => query, groups => groups, total => total })
}
