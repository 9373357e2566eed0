//! Machine-read views of the site: RSS 2.0 and Atom feeds of the news, `sitemap.xml` (the
//! site's own addresses and every module's public ones) and `robots.txt`.

use crate::domain::pick;
use crate::store::{self, NewsFilter};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hromada_web::{AppResult, AppState, Page, Tenant};
use std::fmt::Write;

/// Items a feed carries.
const FEED_ITEMS: i64 = 30;

/// Text for XML character data and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn xml(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

/// A news item as a feed entry.
struct Entry {
    title: String,
    summary: String,
    link: String,
    id: String,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
    category: String,
}

async fn entries(state: &AppState, page: &Page, tenant: &Tenant, origin: &str) -> AppResult<Vec<Entry>> {
    let (items, _) =
        store::public_news(&state.db, tenant.community.id, &NewsFilter::default(), state.now(), FEED_ITEMS, 0).await?;
    let mut out = vec![];
    for n in items {
        let link = format!("{origin}/news/{}", n.number);
        let published = n.published_at.unwrap_or(n.created_at);
        out.push(Entry {
            title: pick(page.lang, &n.title_uk, &n.title_en).to_owned(),
            summary: pick(page.lang, &n.summary_uk, &n.summary_en).to_owned(),
            id: format!("urn:uuid:{}", n.id),
            link,
            published,
            updated: n.updated_at.max(published),
            category: n.category,
        });
    }
    Ok(out)
}

pub async fn rss(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let origin = tenant.origin(&state).await;
    let items = entries(&state, &page, &tenant, &origin).await?;
    let site = format!("{origin}/news");
    let me = format!("{origin}/news/feed.rss");
    let name = xml_escape(tenant.community.name(page.lang));
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        body,
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>\
         <title>{name}: {news}</title><link>{site}</link><description>{name}</description><language>{lang}</language>\
         <atom:link href=\"{me}\" rel=\"self\" type=\"application/rss+xml\"/>",
        news = xml_escape(&page.t("cms-news")),
        site = xml_escape(&site),
        me = xml_escape(&me),
        lang = page.lang.code(),
    );
    for e in &items {
        let _ = write!(
            body,
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate>\
             <description>{}</description>{}</item>",
            xml_escape(&e.title),
            xml_escape(&e.link),
            e.id,
            e.published.to_rfc2822(),
            xml_escape(&e.summary),
            if e.category.is_empty() {
                String::new()
            } else {
                format!("<category>{}</category>", xml_escape(&e.category))
            },
        );
    }
    body.push_str("</channel></rss>\n");
    Ok(xml(body, "application/rss+xml; charset=utf-8"))
}

pub async fn atom(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let origin = tenant.origin(&state).await;
    let items = entries(&state, &page, &tenant, &origin).await?;
    let site = format!("{origin}/news");
    let me = format!("{origin}/news/feed.atom");
    let updated = items.iter().map(|e| e.updated).max().unwrap_or(tenant.community.created_at);
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        body,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\"><title>{name}: {news}</title>\
         <id>urn:uuid:{id}</id><updated>{updated}</updated><link href=\"{site}\"/><link rel=\"self\" href=\"{me}\"/>\
         <author><name>{name}</name></author>",
        lang = page.lang.code(),
        name = xml_escape(tenant.community.name(page.lang)),
        news = xml_escape(&page.t("cms-news")),
        id = tenant.community.id,
        updated = updated.to_rfc3339(),
        site = xml_escape(&site),
        me = xml_escape(&me),
    );
    for e in &items {
        let _ = write!(
            body,
            "<entry><title>{}</title><link href=\"{}\"/><id>{}</id><published>{}</published><updated>{}</updated>\
             <summary>{}</summary>{}</entry>",
            xml_escape(&e.title),
            xml_escape(&e.link),
            e.id,
            e.published.to_rfc3339(),
            e.updated.to_rfc3339(),
            xml_escape(&e.summary),
            if e.category.is_empty() {
                String::new()
            } else {
                format!("<category term=\"{}\"/>", xml_escape(&e.category))
            },
        );
    }
    body.push_str("</feed>\n");
    Ok(xml(body, "application/atom+xml; charset=utf-8"))
}

/// Every public address of the community: the home page, the site's pages, news and
/// documents, and what each module lists.
pub async fn sitemap(State(state): State<AppState>, tenant: Tenant) -> AppResult<Response> {
    let community = tenant.community.id;
    let now = state.now();
    let mut urls: Vec<(String, Option<DateTime<Utc>>)> =
        vec![("/".into(), None), ("/news".into(), None), ("/documents".into(), None)];
    for p in store::pages(&state.db, community).await? {
        if p.visible(now).is_some() && !p.is_home() {
            urls.push((format!("/pages/{}", p.slug), p.modified(now)));
        }
    }
    let (news, _) = store::public_news(&state.db, community, &NewsFilter::default(), now, 200, 0).await?;
    urls.extend(news.iter().map(|n| (format!("/news/{}", n.number), Some(n.updated_at))));
    let (docs, _) = store::documents(&state.db, community, &Default::default(), 200, 0).await?;
    urls.extend(docs.iter().map(|d| (format!("/documents/{}", d.number), Some(d.created_at))));
    for module in &state.modules {
        let entries = module.sitemap(&state.db, &tenant.community).await.map_err(hromada_web::AppError::from)?;
        urls.extend(entries.into_iter().map(|e| (e.path, e.modified)));
    }
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let origin = tenant.origin(&state).await;
    for (path, modified) in urls {
        let loc = format!("{origin}{path}");
        let _ = write!(body, "<url><loc>{}</loc>", xml_escape(&loc));
        if let Some(m) = modified {
            let _ = write!(body, "<lastmod>{}</lastmod>", m.format("%Y-%m-%d"));
        }
        body.push_str("</url>\n");
    }
    body.push_str("</urlset>\n");
    Ok(xml(body, "application/xml; charset=utf-8"))
}

/// Officials' and residents' own pages stay out of search engines; the sitemap is named.
pub async fn robots(State(state): State<AppState>, tenant: Tenant) -> AppResult<Response> {
    let sitemap = tenant.absolute_url(&state, "/sitemap.xml").await;
    let base = &tenant.base;
    let body = format!(
        "User-agent: *\nDisallow: {base}/admin\nDisallow: {base}/account\nDisallow: {base}/login\n\
         Disallow: {base}/register\nDisallow: {base}/chat\nSitemap: {sitemap}\n"
    );
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            super::xml_escape("<a href=\"x\">Б'&</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Б&apos;&amp;&lt;/a&gt;"
        );
    }
}
