//! The participatory budget in the chatbot: the contests, a contest's projects by category,
//! a project, voting by ticking projects on a ballot kept between messages, and results — by the
//! same rules and through the same writer as on the website.

use crate::store::{self, BallotOutcome, Contest};
use crate::web::{Casting, cast_as, category_view_text, today};
use futures::future::BoxFuture;
use hromada_kernel::money;
use hromada_kernel::text::excerpt;
use hromada_web::chat::{Button, ChatFlow, Entry, Reply, Step, Turn, split_data};
use hromada_web::{AppError, AppResult};
use serde_json::json;

pub struct BudgetInChat;

/// Longest project text shown in a chat; the whole is a link away.
const TEXT_SHOWN: usize = 1200;

impl ChatFlow for BudgetInChat {
    fn key(&self) -> &'static str {
        crate::KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![Entry { action: "list", label: "budget-bot-entry", emoji: "🗳️" }]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            let Some(data) = turn.input.button() else {
                return list(&turn).await;
            };
            let (action, arg) = split_data(data);
            match action {
                "c" => contest(&turn, number(arg)?).await,
                "p" => project(&turn, number(arg)?).await,
                "v" => ballot(&turn, number(arg)?, vec![]).await,
                "t" => toggle(&turn, number(arg)?).await,
                "cast" => cast(&turn).await,
                "r" => results(&turn, number(arg)?).await,
                _ => list(&turn).await,
            }
        })
    }
}

fn number(arg: &str) -> AppResult<i64> {
    arg.parse().map_err(|_| AppError::NotFound)
}

async fn by_number(turn: &Turn<'_>, number: i64) -> AppResult<Contest> {
    store::contest_by_number(&turn.state.db, turn.tenant.community.id, number).await?.ok_or(AppError::NotFound)
}

async fn list(turn: &Turn<'_>) -> AppResult<Step> {
    let contests = store::contests(&turn.state.db, turn.tenant.community.id).await?;
    if contests.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("budget-none"))]));
    }
    let day = today(turn.state);
    let mut reply = Reply::text(turn.t("budget-bot-contests"));
    for c in contests.iter().take(5) {
        let phase = turn.t(&format!("budget-phase-{}", c.phase_at(day).code()));
        reply = reply
            .button(Button::data(format!("{} — {phase}", excerpt(c.title(turn.lang), 40)), format!("c:{}", c.number)));
    }
    Ok(Step::done(vec![reply]))
}

async fn contest(turn: &Turn<'_>, number: i64) -> AppResult<Step> {
    let c = by_number(turn, number).await?;
    let phase = c.phase_at(today(turn.state));
    let categories = store::categories(&turn.state.db, turn.tenant.community.id, c.id).await?;
    let projects = store::projects(&turn.state.db, turn.tenant.community.id, c.id, &["admitted"]).await?;
    let mut text = format!(
        "{}\n{}: {}\n{}",
        c.title(turn.lang),
        turn.t("budget-total"),
        money::format(c.total_budget, turn.lang),
        turn.t(&format!("budget-phase-{}", phase.code()))
    );
    let mut reply = Reply::default();
    for k in &categories {
        text.push_str(&format!("\n\n{}\n{}", k.name(turn.lang), category_view_text(turn.state, turn.lang, k)));
        for p in projects.iter().filter(|p| p.category_id == k.id) {
            text.push_str(&format!("\n№{} {} — {}", p.number, p.title, money::format(p.cost, turn.lang)));
            reply = reply
                .button(Button::data(format!("№{} {}", p.number, excerpt(&p.title, 40)), format!("p:{}", p.number)));
        }
    }
    reply.text = text;
    if phase == crate::domain::Phase::Voting {
        reply = reply.button(Button::data(turn.t("budget-vote"), format!("v:{number}")));
    }
    if phase.shows_results() {
        reply = reply.button(Button::data(turn.t("budget-results"), format!("r:{number}")));
    }
    reply = reply.button(Button::link(turn.t("budget-bot-open"), turn.link(&format!("/budget/{number}"))));
    Ok(Step::done(vec![reply]))
}

async fn project(turn: &Turn<'_>, number: i64) -> AppResult<Step> {
    let p = store::project_by_number(&turn.state.db, turn.tenant.community.id, number)
        .await?
        .filter(|p| p.status().public())
        .ok_or(AppError::NotFound)?;
    let c = store::contest(&turn.state.db, turn.tenant.community.id, p.contest_id).await?.ok_or(AppError::NotFound)?;
    let text = format!(
        "№{} {}\n{}\n{}: {}\n\n{}",
        p.number,
        p.title,
        turn.t(&format!("budget-status-{}", p.status)),
        turn.t("budget-cost"),
        money::format(p.cost, turn.lang),
        excerpt(&p.body, TEXT_SHOWN)
    );
    let reply = Reply::text(text)
        .button(Button::link(turn.t("budget-bot-open"), turn.link(&format!("/budget/projects/{number}"))))
        .button(Button::data(turn.t("budget-bot-back"), format!("c:{}", c.number)));
    Ok(Step::done(vec![reply]))
}

/// The ballot with the ticked projects; the choice is kept between messages until cast.
async fn ballot(turn: &Turn<'_>, number: i64, chosen: Vec<i64>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let c = by_number(turn, number).await?;
    if let Err(refusal) = crate::web::may_vote(turn.state, turn.tenant, &c, user)? {
        return Ok(Step::done(vec![Reply::text(turn.t(refusal))]));
    }
    let voter = hromada_web::auth::one_person_key(user);
    if !c.rules.changeable_ballots && store::has_voted(&turn.state.db, turn.tenant.community.id, c.id, &voter).await? {
        return Ok(Step::done(vec![Reply::text(turn.t("budget-refused-already-voted"))]));
    }
    let categories = store::categories(&turn.state.db, turn.tenant.community.id, c.id).await?;
    let projects = store::projects(&turn.state.db, turn.tenant.community.id, c.id, &["admitted"]).await?;
    let mut text = turn.t("budget-bot-ballot");
    let mut reply = Reply::default();
    for k in &categories {
        text.push_str(&format!("\n\n{} — {}", k.name(turn.lang), category_view_text(turn.state, turn.lang, k)));
        for p in projects.iter().filter(|p| p.category_id == k.id) {
            let mark = if chosen.contains(&p.number) { "☑" } else { "☐" };
            reply = reply.button(Button::data(
                format!("{mark} №{} {} — {}", p.number, excerpt(&p.title, 30), money::format(p.cost, turn.lang)),
                format!("t:{}", p.number),
            ));
        }
    }
    reply.text = text;
    reply = reply.button(Button::data(turn.t("budget-cast"), "cast"));
    Ok(Step::wait(vec![reply], json!({ "contest": number, "chosen": chosen })))
}

/// The ballot kept from the last message: (contest number, projects ticked).
fn kept(turn: &Turn<'_>) -> Option<(i64, Vec<i64>)> {
    let contest = turn.memory.get("contest")?.as_i64()?;
    let chosen = turn.memory.get("chosen")?.as_array()?.iter().filter_map(|v| v.as_i64()).collect();
    Some((contest, chosen))
}

async fn toggle(turn: &Turn<'_>, project: i64) -> AppResult<Step> {
    let Some((contest, mut chosen)) = kept(turn) else { return list(turn).await };
    match chosen.iter().position(|n| *n == project) {
        Some(i) => {
            chosen.remove(i);
        }
        None => chosen.push(project),
    }
    ballot(turn, contest, chosen).await
}

async fn cast(turn: &Turn<'_>) -> AppResult<Step> {
    let user = turn.require_user()?;
    let Some((number, chosen)) = kept(turn) else { return list(turn).await };
    let c = by_number(turn, number).await?;
    let reply = match cast_as(turn.state, turn.tenant, user, turn.lang, &c, &chosen).await? {
        Casting::Refused(key) => Reply::text(turn.t(key)),
        // The ballot stays as ticked so the voter can fix it.
        Casting::Invalid(message) => {
            let mut again = ballot(turn, number, chosen).await?;
            again.replies.insert(0, Reply::text(message));
            return Ok(again);
        }
        Casting::Done { outcome: BallotOutcome::Cast { seq, .. }, receipt } => {
            Reply::text(turn.t_args("budget-bot-voted", &[("seq", seq.to_string()), ("receipt", receipt)]))
                .button(Button::link(turn.t("budget-ballots"), turn.link(&format!("/budget/{number}/ballots"))))
        }
        Casting::Done { outcome: BallotOutcome::Closed, .. } => Reply::text(turn.t("budget-refused-not-voting")),
        Casting::Done { .. } => Reply::text(turn.t("budget-refused-already-voted")),
    };
    Ok(Step::done(vec![reply]))
}

async fn results(turn: &Turn<'_>, number: i64) -> AppResult<Step> {
    let c = by_number(turn, number).await?;
    if !c.phase_at(today(turn.state)).shows_results() {
        return Err(AppError::NotFound);
    }
    let (counted, projects) = crate::results::count(&turn.state.db, turn.tenant.community.id, &c).await?;
    let mut text = format!("{} — {}", turn.t("budget-results"), c.title(turn.lang));
    for r in &counted {
        text.push_str(&format!("\n\n{}", r.category.name(turn.lang)));
        for x in &r.result.ranked {
            let title = projects.get(&x.project.project).map(|p| p.title.as_str()).unwrap_or("");
            let outcome = turn.t(&format!("budget-outcome-{}", x.outcome.code()));
            text.push_str(&format!(
                "\n{}. №{} {} — {} ({outcome})",
                x.rank,
                x.project.number,
                excerpt(title, 40),
                x.project.votes
            ));
        }
    }
    let reply = Reply::text(text)
        .button(Button::link(turn.t("budget-bot-open"), turn.link(&format!("/budget/{number}/results"))));
    Ok(Step::done(vec![reply]))
}
