//! A contest's results, counted live: the votes per project from the live ballots, then each
//! category's winners by the regulation's rule; and their chart.

use crate::domain::{self, CategoryResult, Tallied};
use crate::store::{self, Category, Contest, Project};
use hromada_db::{Db, DbResult};
use hromada_kernel::CommunityId;
use std::collections::HashMap;

/// One category's results with its projects by id.
pub struct CategoryResults {
    pub category: Category,
    pub result: CategoryResult,
    /// Votes cast in the category, for each project's share.
    pub votes: u64,
}

/// Counts the contest now: the projects on the ballot with their votes, ranked per category.
pub async fn count(
    db: &Db,
    community: CommunityId,
    contest: &Contest,
) -> DbResult<(Vec<CategoryResults>, HashMap<uuid::Uuid, Project>)> {
    let categories = store::categories(db, community, contest.id).await?;
    let projects = store::projects(db, community, contest.id, &["admitted"]).await?;
    let votes = store::tally(db, community, contest.id).await?;
    let min_votes = contest.rules.min_votes_to_win;
    let results = categories
        .into_iter()
        .map(|category| {
            let mine: Vec<Tallied> = projects
                .iter()
                .filter(|p| p.category_id == category.id)
                .map(|p| Tallied {
                    project: p.id,
                    number: p.number,
                    cost: p.cost,
                    votes: votes.get(&p.id).copied().unwrap_or(0).max(0) as u64,
                })
                .collect();
            let total = mine.iter().map(|t| t.votes).sum();
            let result = domain::winners(category.budget, min_votes, mine);
            CategoryResults { category, result, votes: total }
        })
        .collect();
    Ok((results, projects.into_iter().map(|p| (p.id, p)).collect()))
}

/// A share of the category's votes as a person reads it, with one decimal.
pub fn share(votes: u64, total: u64) -> String {
    if total == 0 {
        return "0".into();
    }
    let tenths = (votes * 1000 + total / 2) / total;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// One bar of a chart.
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub winner: bool,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A horizontal bar chart as SVG. It is drawn for the eye only (`aria-hidden`): the table next
/// to it carries the same figures for everyone. Winners are told by a pattern as well as by
/// colour, so the chart reads in grey too.
pub fn bar_chart(bars: &[Bar]) -> String {
    const ROW: u64 = 28;
    const LABEL: u64 = 300;
    const WIDTH: u64 = 640;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as u64 + 8;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"100%\" aria-hidden=\"true\" focusable=\"false\">\
         <defs><pattern id=\"win\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#1b5e20\"/><rect width=\"2\" height=\"6\" fill=\"#66bb6a\"/></pattern></defs>"
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i as u64 * ROW + 4;
        let length = (WIDTH - LABEL - 60) * bar.value / max;
        let fill = if bar.winner { "url(#win)" } else { "#5c6bc0" };
        // About what fits before the bars; the table has the whole name.
        let label: String = if bar.label.chars().count() > 34 {
            bar.label.chars().take(33).chain(['…']).collect()
        } else {
            bar.label.clone()
        };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" font-size=\"13\" fill=\"#212121\">{label}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{length}\" height=\"{h}\" fill=\"{fill}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"13\" fill=\"#212121\">{value}</text>",
            ty = y + 15,
            h = ROW - 8,
            tx = LABEL + length + 6,
            label = escape(&label),
            value = bar.value,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_to_a_tenth() {
        assert_eq!(share(1, 3), "33.3");
        assert_eq!(share(2, 3), "66.7");
        assert_eq!(share(5, 5), "100.0");
        assert_eq!(share(0, 0), "0");
    }

    #[test]
    fn the_chart_escapes_names_and_scales_to_the_largest() {
        let svg = bar_chart(&[
            Bar { label: "Сквер <біля> школи & парк".into(), value: 10, winner: true },
            Bar { label: "Лавки".into(), value: 5, winner: false },
        ]);
        assert!(svg.contains("&lt;біля&gt;") && svg.contains("&amp;") && !svg.contains("<біля>"));
        assert!(svg.contains("width=\"280\"") && svg.contains("width=\"140\""), "{svg}");
        let long =
            bar_chart(&[Bar {
                label: "№ 5 Сонячна станція для укриття школи № 2".into(), value: 1, winner: false
            }]);
        assert!(long.contains("№ 5 Сонячна станція для укриття ш…"), "{long}");
        assert!(svg.contains("aria-hidden=\"true\""));
        assert!(bar_chart(&[]).starts_with("<svg"));
    }
}
