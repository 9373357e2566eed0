//! RSS 2.0 and Atom feeds of published reports, per area (settlement) and category, with the
//! list's filters: `/city/feed.rss?settlement=…&category=…`.

use crate::intake;
use crate::store::{self, Category, Report};
use crate::web::ListQuery;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hromada_db::core::settlements;
use hromada_kernel::Lang;
use hromada_web::{AppResult, AppState, Tenant};

const ITEMS: i64 = 50;

use hromada_web::export::xml_escape;

struct Feed {
    title: String,
    link: String,
    self_link: String,
    items: Vec<(Report, String, String)>,
}

async fn feed(state: &AppState, tenant: &Tenant, q: &ListQuery, ext: &str) -> AppResult<Feed> {
    let c = &tenant.community;
    let categories: Vec<Category> = intake::categories(state, c, false).await?;
    let filter = q.filter(&categories);
    let rows = store::list(&state.db, c.id, &filter, ITEMS, 0).await?;
    let lang = Lang::Uk;
    let mut title = format!("{} — {}", state.i18n.t(lang, "city-title"), c.name(lang));
    if let Some(cat) = filter.categories.first().and_then(|id| categories.iter().find(|x| x.id == *id)) {
        title.push_str(&format!(" — {}", cat.name(lang)));
    }
    if let Some(place) = filter.settlement
        && let Some(s) = settlements::list(&state.db, c.id).await?.into_iter().find(|s| s.id == place)
    {
        title.push_str(&format!(" — {}", s.name(lang)));
    }
    let encode = hromada_web::page::urlencode;
    let query = format!("category={}&settlement={}", encode(&q.category), encode(&q.settlement));
    let link = tenant.absolute_url(state, &format!("/city?{query}")).await;
    let self_link = tenant.absolute_url(state, &format!("/city/feed.{ext}?{query}")).await;
    let mut items = vec![];
    for r in rows {
        let href = tenant.absolute_url(state, &format!("/city/{}", r.number)).await;
        let name = categories.iter().find(|x| x.id == r.category_id).map(|x| x.name(lang)).unwrap_or("");
        let status = state.i18n.t(lang, &format!("city-status-{}", r.status));
        let item_title = match r.address.as_str() {
            "" => format!("№ {}. {name} ({status})", r.number),
            address => format!("№ {}. {name}: {address} ({status})", r.number),
        };
        items.push((r, item_title, href));
    }
    Ok(Feed { title, link, self_link, items })
}

fn xml(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

pub async fn rss(State(state): State<AppState>, tenant: Tenant, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let f = feed(&state, &tenant, &q, "rss").await?;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>");
    out.push_str(&format!(
        "<title>{}</title><link>{}</link><description>{}</description><language>uk</language>\
         <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        xml_escape(&f.title),
        xml_escape(&f.link),
        xml_escape(&f.title),
        xml_escape(&f.self_link)
    ));
    for (r, title, href) in &f.items {
        let at = r.published_at.unwrap_or(r.created_at);
        out.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"true\">{}</guid><pubDate>{}</pubDate>\
             <description>{}</description></item>",
            xml_escape(title),
            xml_escape(href),
            xml_escape(href),
            at.to_rfc2822(),
            xml_escape(&r.description)
        ));
    }
    out.push_str("</channel></rss>\n");
    Ok(xml(out, "application/rss+xml; charset=utf-8"))
}

pub async fn atom(State(state): State<AppState>, tenant: Tenant, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let f = feed(&state, &tenant, &q, "atom").await?;
    let updated = f.items.iter().map(|(r, _, _)| r.updated_at).max().unwrap_or(state.now());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"uk\"><title>{}</title><id>{}</id>\
         <link rel=\"alternate\" href=\"{}\"/><link rel=\"self\" href=\"{}\"/><updated>{}</updated>",
        xml_escape(&f.title),
        xml_escape(&f.self_link),
        xml_escape(&f.link),
        xml_escape(&f.self_link),
        updated.to_rfc3339()
    ));
    for (r, title, href) in &f.items {
        out.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><published>{}</published><updated>{}</updated>\
             <author><name>{}</name></author><summary>{}</summary></entry>",
            xml_escape(title),
            xml_escape(href),
            xml_escape(href),
            r.published_at.unwrap_or(r.created_at).to_rfc3339(),
            r.updated_at.to_rfc3339(),
            xml_escape(tenant.community.name(Lang::Uk)),
            xml_escape(&r.description)
        ));
    }
    out.push_str("</feed>\n");
    Ok(xml(out, "application/atom+xml; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(super::xml_escape("a < b & \"c\" 'd' >\u{1}"), "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt;");
        assert_eq!(super::xml_escape("рядок\nдругий"), "рядок\nдругий");
    }
}
