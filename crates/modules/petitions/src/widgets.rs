//! What the site shows of petitions elsewhere: a block of those collecting signatures now (most
//! signed first), hits for the site search and addresses for the sitemap.

use crate::store::{self, ListFilter, Sort};
use hromada_web::module::{SearchHit, SitemapEntry, Widget};
use hromada_web::{AppResult, Page, context};

pub const LATEST: &str = "petitions.latest";

pub fn list() -> Vec<Widget> {
    vec![Widget { key: LATEST, label: "petition-widget-latest", takes_choice: false }]
}

pub async fn render(page: &Page, widget: &str) -> AppResult<Option<String>> {
    let Some(tenant) = &page.tenant else { return Ok(None) };
    if widget != LATEST {
        return Ok(None);
    }
    let filter = ListFilter { status: Some("collecting"), sort: Sort::MostSigned, ..Default::default() };
    let items: Vec<_> = store::list_filtered(&page.state.db, tenant.community.id, &filter, 5, 0)
        .await?
        .iter()
        .map(|p| {
            context! {
                href => page.url(&format!("/petitions/{}", p.number)),
                number => p.number,
                title => &p.title,
                count => p.signature_count,
                threshold => p.threshold,
                percent => (p.signature_count * 100 / p.threshold.max(1)).min(100),
            }
        })
        .collect();
    Ok(Some(page.fragment("petitions/latest_block.html", context! { items => items })?))
}

/// Public petitions with every word of the query.
pub async fn search(page: &Page, query: &str, limit: i64) -> AppResult<Vec<SearchHit>> {
    let Some(tenant) = &page.tenant else { return Ok(vec![]) };
    let filter = ListFilter { words: Some(query), sort: Sort::Relevance, ..Default::default() };
    Ok(store::list_filtered(&page.state.db, tenant.community.id, &filter, limit, 0)
        .await?
        .into_iter()
        .map(|p| SearchHit {
            kind: "petition-search-kind",
            path: format!("/petitions/{}", p.number),
            excerpt: hromada_kernel::text::excerpt(&p.body, 200),
            title: format!("№ {}. {}", p.number, p.title),
        })
        .collect())
}

/// Every public petition's address.
pub async fn sitemap(db: &hromada_db::Db, community: hromada_kernel::CommunityId) -> anyhow::Result<Vec<SitemapEntry>> {
    let mut out = vec![SitemapEntry { path: "/petitions".into(), modified: None }];
    let mut offset = 0;
    loop {
        let page = store::list_filtered(db, community, &ListFilter::default(), 500, offset).await?;
        let n = page.len() as i64;
        out.extend(page.into_iter().map(|p| SitemapEntry {
            path: format!("/petitions/{}", p.number),
            modified: p.answered_at.or(p.threshold_reached_at).or(p.published_at),
        }));
        if n < 500 || offset >= 50_000 {
            return Ok(out);
        }
        offset += n;
    }
}
