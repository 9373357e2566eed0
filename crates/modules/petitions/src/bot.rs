//! Petitions in the chatbot: browse what is collecting, read one, and sign it by the same rules
//! and through the same writer as on the website.

use crate::store::{self, SignOutcome};
use crate::web::{Signing, refusal_key, sign_as};
use futures::future::BoxFuture;
use hromada_kernel::text::excerpt;
use hromada_web::chat::{Button, ChatFlow, Entry, Reply, Step, Turn, split_data};
use hromada_web::security::ClientIp;
use hromada_web::{AppError, AppResult};

pub struct PetitionsInChat;

/// Petitions per message of the list.
const PER_PAGE: i64 = 5;
/// Longest petition text shown in a chat; the whole is a link away.
const TEXT_SHOWN: usize = 1500;

impl ChatFlow for PetitionsInChat {
    fn key(&self) -> &'static str {
        crate::KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![Entry { action: "list", label: "petition-bot-entry", emoji: "✍️" }]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            let Some(data) = turn.input.button() else {
                return list(&turn, 1).await;
            };
            let (action, arg) = split_data(data);
            match action {
                "p" => show(&turn, number(arg)?).await,
                "sign" => sign(&turn, number(arg)?).await,
                _ => list(&turn, arg.parse().unwrap_or(1)).await,
            }
        })
    }
}

fn number(arg: &str) -> AppResult<i64> {
    arg.parse().map_err(|_| AppError::NotFound)
}

async fn list(turn: &Turn<'_>, page: i64) -> AppResult<Step> {
    let page = page.max(1);
    let filter = store::ListFilter {
        status: Some("collecting"),
        category: None,
        words: None,
        sort: store::Sort::parse("newest"),
    };
    let rows =
        store::list_filtered(&turn.state.db, turn.tenant.community.id, &filter, PER_PAGE + 1, (page - 1) * PER_PAGE)
            .await?;
    if rows.is_empty() {
        return Ok(Step::done(vec![
            Reply::text(turn.t("petition-bot-none"))
                .button(Button::link(turn.t("petition-bot-all"), turn.link("/petitions"))),
        ]));
    }
    let mut text = turn.t("petition-bot-collecting");
    let mut reply = Reply::default();
    for p in rows.iter().take(PER_PAGE as usize) {
        text.push_str(&format!("\n\n№{} {}\n{} / {}", p.number, p.title, p.signature_count, p.threshold));
        reply =
            reply.button(Button::data(format!("№{} {}", p.number, excerpt(&p.title, 40)), format!("p:{}", p.number)));
    }
    reply.text = text;
    if rows.len() as i64 > PER_PAGE {
        reply = reply.button(Button::data(turn.t("petition-bot-more"), format!("list:{}", page + 1)));
    }
    Ok(Step::done(vec![reply]))
}

async fn show(turn: &Turn<'_>, number: i64) -> AppResult<Step> {
    let p = crate::petition_by_number(turn.state, turn.tenant.community.id, number)
        .await?
        .filter(|p| p.status().public())
        .ok_or(AppError::NotFound)?;
    let status = turn.t(&format!("petition-status-{}", p.status().code()));
    let mut text = format!("№{} {}\n{status}\n{} / {}", p.number, p.title, p.signature_count, p.threshold);
    if let Some(ends) = p.collection_ends {
        text.push_str(&format!(
            "\n{}",
            turn.t_args("petition-bot-ends", &[("date", ends.format("%d.%m.%Y").to_string())])
        ));
    }
    text.push_str(&format!("\n\n{}", excerpt(&p.body, TEXT_SHOWN)));
    let mut reply = Reply::text(text);
    if p.status() == crate::domain::Status::Collecting {
        reply = reply.button(Button::data(turn.t("petition-bot-sign"), format!("sign:{number}")));
    }
    reply = reply
        .button(Button::link(turn.t("petition-bot-open"), turn.link(&format!("/petitions/{number}"))))
        .button(Button::data(turn.t("petition-bot-back"), "list"));
    Ok(Step::done(vec![reply]))
}

async fn sign(turn: &Turn<'_>, number: i64) -> AppResult<Step> {
    let user = turn.require_user()?;
    let p = crate::petition_by_number(turn.state, turn.tenant.community.id, number)
        .await?
        .filter(|p| p.status().public())
        .ok_or(AppError::NotFound)?;
    // A chat has no address of its own; the per-account limit still applies.
    let reply = match sign_as(turn.state, turn.tenant, user, &ClientIp(String::new()), &p).await? {
        Signing::Refused(refusal) => Reply::text(turn.t(refusal_key(refusal))),
        Signing::Done { outcome: SignOutcome::Signed { seq, count }, receipt } => Reply::text(turn.t_args(
            "petition-bot-signed",
            &[("seq", seq.to_string()), ("count", count.to_string()), ("receipt", receipt)],
        ))
        .button(Button::link(turn.t("petition-bot-check"), turn.link(&format!("/petitions/{number}/signatures")))),
        Signing::Done { outcome: SignOutcome::AlreadySigned, .. } => {
            Reply::text(turn.t("petition-refused-already-signed"))
        }
        Signing::Done { outcome: SignOutcome::NotCollecting, .. } => {
            Reply::text(turn.t("petition-refused-not-collecting"))
        }
    };
    Ok(Step::done(vec![reply]))
}
