//! Surveys and quick polls in the chatbot: every question type has a chat form (buttons for
//! choices and scales, a ranking one place at a time, typed numbers, dates and texts), the
//! conditions and the rules are the web form's own, and the response is stored the same way.

use crate::domain::{self, Answer, OTHER, Question, QuestionKind, RawAnswer, Tally};
use crate::store::{self, Outcome, Respondent, StoredSurvey, SurveyKind};
use crate::{KEY, RESPOND};
use futures::future::BoxFuture;
use hromada_db::core::settlements;
use hromada_kernel::Ineligible;
use hromada_web::auth::{Viewer, one_person_key};
use hromada_web::chat::{Button, ChatFlow, Entry, Reply, Step, Turn, split_data};
use hromada_web::module::required_level;
use hromada_web::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub struct SurveysInChat;

/// Where a resident is in a survey: what the flow keeps between messages.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct Progress {
    survey: Uuid,
    /// Index of the question being asked, in the survey's order.
    at: usize,
    /// Raw answers given so far, checked one by one as given.
    given: BTreeMap<String, (Vec<String>, String)>,
    /// Options picked so far for a multiple choice or a ranking.
    #[serde(default)]
    picked: Vec<String>,
    /// "Other" was chosen: the next text is its own answer.
    #[serde(default)]
    awaiting_other: bool,
    /// Every question answered: waiting for "send".
    #[serde(default)]
    confirming: bool,
}

impl ChatFlow for SurveysInChat {
    fn key(&self) -> &'static str {
        KEY
    }

    fn entries(&self) -> Vec<Entry> {
        vec![Entry { action: "list", label: "survey-bot-entry", emoji: "📊" }]
    }

    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>> {
        Box::pin(async move {
            if let Some(data) = turn.input.button() {
                let (action, arg) = split_data(data);
                return match action {
                    "list" => list(&turn).await,
                    "s" => begin(&turn, arg).await,
                    _ => answer(&turn, Some((action, arg))).await,
                };
            }
            answer(&turn, None).await
        })
    }
}

async fn list(turn: &Turn<'_>) -> AppResult<Step> {
    let now = turn.now();
    let community = turn.tenant.community.id;
    let mut open = store::open(&turn.state.db, community, SurveyKind::Poll, now).await?;
    open.extend(store::open(&turn.state.db, community, SurveyKind::Survey, now).await?);
    if open.is_empty() {
        return Ok(Step::done(vec![Reply::text(turn.t("survey-bot-none"))]));
    }
    let mut reply = Reply::text(turn.t("survey-bot-open"));
    for s in open.iter().take(10) {
        reply = reply.button(Button::data(s.title.get(turn.lang), format!("s:{}", s.id)));
    }
    Ok(Step::done(vec![reply]))
}

async fn survey(turn: &Turn<'_>, id: Uuid) -> AppResult<StoredSurvey> {
    let s = store::get(&turn.state.db, turn.tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    if s.opens_at > turn.now() {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

/// Checks that the resident may answer, as the web form does, and asks the first question.
async fn begin(turn: &Turn<'_>, arg: &str) -> AppResult<Step> {
    let id = Uuid::parse_str(arg).map_err(|_| AppError::NotFound)?;
    let s = survey(turn, id).await?;
    let user = turn.require_user()?;
    let needed = required_level(&turn.tenant.community, &RESPOND);
    if !user.identity_level().satisfies(needed) {
        return Err(AppError::IdentityRequired(needed));
    }
    if !s.is_open(turn.now()) {
        return Ok(Step::done(vec![Reply::text(turn.t("survey-error-closed"))]));
    }
    if let Err(why) = s.eligibility().check(turn.now().date_naive(), &hromada_web::auth::eligibility_of(user)) {
        let key = match why {
            Ineligible::AgeUnknown => "survey-refused-age-unknown",
            Ineligible::UnderAge(_) => "survey-refused-under-age",
            Ineligible::NotResident => "survey-refused-not-resident",
        };
        return Ok(Step::done(vec![Reply::text(turn.t(key))]));
    }
    let mut intro = vec![];
    if store::has_answered(&turn.state.db, &s, &one_person_key(user)).await? {
        if !s.editable {
            return Ok(Step::done(vec![Reply::text(turn.t("survey-error-already")), results(turn, &s, true).await?]));
        }
        intro.push(Reply::text(turn.t("survey-bot-replacing")));
    } else {
        let title = s.title.get(turn.lang);
        let text =
            if s.description.trim().is_empty() { title.to_owned() } else { format!("{title}\n\n{}", s.description) };
        intro.push(Reply::text(text));
    }
    let progress = Progress { survey: s.id, at: 0, ..Progress::default() };
    match next_visible(&s, &progress, 0) {
        Some(at) => {
            let progress = Progress { at, ..progress };
            intro.push(ask(turn, &s, &progress));
            Ok(Step::wait(intro, serde_json::to_value(&progress).expect("progress serialises")))
        }
        None => Ok(Step::done(vec![Reply::text(turn.t("survey-bot-none"))])),
    }
}

/// The answers given so far, checked: for conditions.
fn checked(s: &StoredSurvey, progress: &Progress) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    for q in &s.definition.questions {
        if let Some((values, other)) = progress.given.get(&q.key)
            && let Ok(Some(a)) = domain::check_one(q, &RawAnswer { values: values.clone(), other: other.clone() })
        {
            out.insert(q.key.clone(), a);
        }
    }
    out
}

/// The first question at or after `from` that the answers so far show.
fn next_visible(s: &StoredSurvey, progress: &Progress, from: usize) -> Option<usize> {
    let answers = checked(s, progress);
    let visible: Vec<&str> = s.definition.visible(&answers).iter().map(|q| q.key.as_str()).collect();
    (from..s.definition.questions.len()).find(|&i| visible.contains(&s.definition.questions[i].key.as_str()))
}

/// The question as a chat message, with its buttons.
fn ask(turn: &Turn<'_>, s: &StoredSurvey, progress: &Progress) -> Reply {
    let q = &s.definition.questions[progress.at];
    let lang = turn.lang;
    let visible = s.definition.visible(&checked(s, progress)).len();
    let place = s.definition.visible(&checked(s, progress)).iter().position(|v| v.key == q.key).unwrap_or(0) + 1;
    let mut text = String::new();
    if let Some(section) = s.definition.sections.get(q.section)
        && (progress.at == 0 || s.definition.questions[progress.at - 1].section != q.section)
    {
        text.push_str(&format!("§ {}\n\n", section.get(lang)));
    }
    text.push_str(&turn.t_args("survey-bot-question", &[("n", place.to_string()), ("total", visible.to_string())]));
    text.push_str(&format!("\n{}", q.title.get(lang)));
    if let Some(hint) = &q.hint {
        text.push_str(&format!("\n{}", hint.get(lang)));
    }
    let how = match &q.kind {
        QuestionKind::Single { .. } => "survey-bot-pick-one",
        QuestionKind::Multiple { .. } => "survey-bot-pick-many",
        QuestionKind::Scale { .. } => "survey-bot-pick-point",
        QuestionKind::Ranking { .. } => "survey-bot-rank",
        QuestionKind::Number { .. } => "survey-bot-type-number",
        QuestionKind::Date { .. } => "survey-bot-type-date",
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => "survey-bot-type-text",
    };
    text.push_str(&format!("\n\n{}", turn.t(how)));
    let mut reply = Reply::text(text);
    match &q.kind {
        QuestionKind::Single { options, other } => {
            for (i, o) in options.iter().enumerate() {
                reply = reply.button(Button::data(o.label.get(lang), format!("o:{i}")));
            }
            if *other {
                reply = reply.button(Button::data(turn.t("survey-other"), "o:other"));
            }
        }
        QuestionKind::Multiple { options, other, .. } => {
            for (i, o) in options.iter().enumerate() {
                let mark = if progress.picked.contains(&o.value) { "☑" } else { "☐" };
                reply = reply.button(Button::data(format!("{mark} {}", o.label.get(lang)), format!("t:{i}")));
            }
            if *other {
                let mark = if progress.picked.iter().any(|p| p == OTHER) { "☑" } else { "☐" };
                reply = reply.button(Button::data(format!("{mark} {}", turn.t("survey-other")), "t:other"));
            }
            reply = reply.button(Button::data(turn.t("survey-bot-done"), "done"));
        }
        QuestionKind::Scale { max, low, high } => {
            reply.text.push_str(&format!("\n1 — {}, {max} — {}", low.get(lang), high.get(lang)));
            let points: Vec<Button> = (1..=*max).map(|n| Button::data(n.to_string(), format!("o:{n}"))).collect();
            for row in points.chunks(5) {
                reply = reply.row(row.to_vec());
            }
        }
        QuestionKind::Ranking { options } => {
            let place = progress.picked.len() + 1;
            reply
                .text
                .push_str(&format!("\n{}", turn.t_args("survey-bot-rank-place", &[("place", place.to_string())])));
            for (i, o) in options.iter().enumerate().filter(|(_, o)| !progress.picked.contains(&o.value)) {
                reply = reply.button(Button::data(o.label.get(lang), format!("r:{i}")));
            }
            if !progress.picked.is_empty() {
                reply = reply.button(Button::data(turn.t("survey-bot-rank-again"), "r:reset"));
            }
        }
        _ => {}
    }
    if !q.required {
        reply = reply.button(Button::data(turn.t("survey-bot-skip"), "skip"));
    }
    reply
}

/// Takes a press or a typed reply for the question being asked.
async fn answer(turn: &Turn<'_>, press: Option<(&str, &str)>) -> AppResult<Step> {
    let Ok(mut progress) = serde_json::from_value::<Progress>(turn.memory.clone()) else {
        // A button of a survey this chat is no longer in: start from the list.
        return list(turn).await;
    };
    let s = survey(turn, progress.survey).await?;
    if !s.is_open(turn.now()) {
        return Ok(Step::done(vec![Reply::text(turn.t("survey-error-closed"))]));
    }
    if progress.confirming {
        return match press {
            Some(("send", _)) => submit(turn, &s, &progress).await,
            _ => Ok(Step::done(vec![Reply::text(turn.t("survey-bot-cancelled"))])),
        };
    }
    let Some(q) = s.definition.questions.get(progress.at).cloned() else {
        return list(turn).await;
    };
    let typed = turn.input.text().map(str::to_owned);
    let raw: Option<RawAnswer> = match (&q.kind, press, typed) {
        (_, Some(("skip", _)), _) if !q.required => Some(RawAnswer::default()),
        (_, None, Some(text)) if progress.awaiting_other => {
            let mut values = progress.picked.clone();
            if !values.iter().any(|v| v == OTHER) {
                values.push(OTHER.to_owned());
            }
            Some(RawAnswer { values, other: text })
        }
        (QuestionKind::Single { .. }, Some(("o", "other")), _) => {
            progress.awaiting_other = true;
            progress.picked = vec![OTHER.to_owned()];
            return wait(turn, vec![Reply::text(turn.t("survey-bot-type-other"))], &progress);
        }
        (QuestionKind::Single { options, .. }, Some(("o", i)), _) => {
            let value = option_value(options, i);
            Some(RawAnswer { values: vec![value], other: String::new() })
        }
        (QuestionKind::Scale { .. }, Some(("o", n)), _) => {
            Some(RawAnswer { values: vec![n.to_owned()], other: String::new() })
        }
        (QuestionKind::Multiple { options, .. }, Some(("t", i)), _) => {
            let value = if i == "other" { OTHER.to_owned() } else { option_value(options, i) };
            if let Some(at) = progress.picked.iter().position(|p| *p == value) {
                progress.picked.remove(at);
            } else {
                progress.picked.push(value);
            }
            return wait(turn, vec![ask(turn, &s, &progress)], &progress);
        }
        (QuestionKind::Multiple { .. }, Some(("done", _)), _) => {
            if progress.picked.iter().any(|p| p == OTHER) {
                progress.awaiting_other = true;
                return wait(turn, vec![Reply::text(turn.t("survey-bot-type-other"))], &progress);
            }
            Some(RawAnswer { values: progress.picked.clone(), other: String::new() })
        }
        (QuestionKind::Ranking { options }, Some(("r", i)), _) => {
            if i == "reset" {
                progress.picked.clear();
            } else {
                let value = option_value(options, i);
                if !progress.picked.contains(&value) {
                    progress.picked.push(value);
                }
                // The last option takes the last place by itself.
                let left: Vec<&str> = options
                    .iter()
                    .map(|o| o.value.as_str())
                    .filter(|v| !progress.picked.iter().any(|p| p == v))
                    .collect();
                if left.len() == 1 {
                    progress.picked.push(left[0].to_owned());
                }
            }
            if progress.picked.len() < options.len() {
                return wait(turn, vec![ask(turn, &s, &progress)], &progress);
            }
            Some(RawAnswer { values: progress.picked.clone(), other: String::new() })
        }
        (
            QuestionKind::Number { .. } | QuestionKind::ShortText { .. } | QuestionKind::LongText { .. },
            None,
            Some(text),
        ) => Some(RawAnswer { values: vec![text], other: String::new() }),
        (QuestionKind::Date { .. }, None, Some(text)) => {
            Some(RawAnswer { values: vec![iso_date(&text)], other: String::new() })
        }
        _ => None,
    };
    let Some(raw) = raw else {
        // Text where a button is wanted, or a stale button: ask again.
        return wait(turn, vec![Reply::text(turn.t("survey-bot-use-buttons")), ask(turn, &s, &progress)], &progress);
    };
    match domain::check_one(&q, &raw) {
        Err(e) => {
            progress.awaiting_other = false;
            if !matches!(q.kind, QuestionKind::Multiple { .. } | QuestionKind::Ranking { .. }) {
                progress.picked.clear();
            }
            wait(turn, vec![Reply::text(turn.t(e.key())), ask(turn, &s, &progress)], &progress)
        }
        Ok(_) => {
            progress.given.insert(q.key.clone(), (raw.values, raw.other));
            progress.picked.clear();
            progress.awaiting_other = false;
            // Answers to questions a changed answer now hides are dropped by the final check.
            match next_visible(&s, &progress, progress.at + 1) {
                Some(at) => {
                    progress.at = at;
                    wait(turn, vec![ask(turn, &s, &progress)], &progress)
                }
                None => {
                    progress.confirming = true;
                    let reply = Reply::text(turn.t("survey-bot-confirm")).row(vec![
                        Button::data(turn.t("survey-bot-send"), "send"),
                        Button::data(turn.t("survey-bot-cancel"), "cancel"),
                    ]);
                    wait(turn, vec![reply], &progress)
                }
            }
        }
    }
}

fn wait(_turn: &Turn<'_>, replies: Vec<Reply>, progress: &Progress) -> AppResult<Step> {
    Ok(Step::wait(replies, serde_json::to_value(progress).map_err(|e| AppError::unexpected(e.to_string()))?))
}

fn option_value(options: &[domain::Choice], index: &str) -> String {
    index.parse::<usize>().ok().and_then(|i| options.get(i)).map(|o| o.value.clone()).unwrap_or_default()
}

/// `31.12.2026` as well as `2026-12-31`; anything else is left for the check to refuse.
fn iso_date(text: &str) -> String {
    let t = text.trim();
    chrono::NaiveDate::parse_from_str(t, "%d.%m.%Y").map(|d| d.to_string()).unwrap_or_else(|_| t.to_owned())
}

/// The same final check and storage as the web form.
async fn submit(turn: &Turn<'_>, s: &StoredSurvey, progress: &Progress) -> AppResult<Step> {
    let user = turn.require_user()?;
    let raw: BTreeMap<String, RawAnswer> = progress
        .given
        .iter()
        .map(|(k, (values, other))| (k.clone(), RawAnswer { values: values.clone(), other: other.clone() }))
        .collect();
    let answers = match domain::check_response(&s.definition, &raw) {
        Ok(a) => a,
        Err(errors) => {
            let first = errors.first().map(|(_, e)| e.key()).unwrap_or("survey-error-required");
            return Ok(Step::done(vec![Reply::text(turn.t(first))]));
        }
    };
    let settlement = settlements::home_name(&turn.state.db, turn.tenant.community.id, user.settlement_id).await?;
    let year = chrono::Datelike::year(&turn.now());
    let key = one_person_key(user);
    let band = domain::age_band(user.birth_year.map(|y| y as i32), year);
    let who = Respondent { key: &key, settlement: &settlement, age_band: band };
    let said = match store::respond(&turn.state.db, s, &who, &answers, turn.now()).await? {
        Outcome::Recorded => "survey-flash-recorded",
        Outcome::Replaced => "survey-flash-replaced",
        Outcome::AlreadyAnswered => "survey-error-already",
        Outcome::Changed => "survey-error-changed",
    };
    Ok(Step::done(vec![Reply::text(turn.t(said)), results(turn, s, true).await?]))
}

/// The results as text, or when they will be shown.
async fn results(turn: &Turn<'_>, s: &StoredSurvey, answered: bool) -> AppResult<Reply> {
    let link = turn.link(&format!("/surveys/{}/results", s.id));
    if !crate::web::results_visible(s, turn.now(), answered, &Viewer::default()) {
        return Ok(Reply::text(turn.t("survey-bot-results-later")));
    }
    let computed = crate::web::computed(turn.state, s).await?;
    let lang = turn.lang;
    let mut text = turn.t_args("survey-bot-results", &[("count", computed.respondents.to_string())]);
    for (q, counted) in s.definition.questions.iter().zip(&computed.questions) {
        text.push_str(&format!("\n\n{}", q.title.get(lang)));
        text.push_str(&tally_text(turn, q, &counted.tally));
    }
    Ok(Reply::text(text).button(Button::link(turn.t("survey-bot-results-page"), link)))
}

fn tally_text(turn: &Turn<'_>, q: &Question, tally: &Tally) -> String {
    let label = |value: &str| {
        q.kind
            .options()
            .iter()
            .find(|o| o.value == value)
            .map(|o| o.label.get(turn.lang).to_owned())
            .unwrap_or_else(|| turn.t("survey-other"))
    };
    let percent = |n: u64, of: u64| (n * 100 + of / 2).checked_div(of).unwrap_or(0);
    match tally {
        Tally::Choices { answered, counts, .. } => {
            counts.iter().map(|(v, n)| format!("\n• {} — {n} ({}%)", label(v), percent(*n, *answered))).collect()
        }
        Tally::Scale { answered, counts, mean } => {
            let mut out: String = counts
                .iter()
                .enumerate()
                .map(|(i, n)| format!("\n• {} — {n} ({}%)", i + 1, percent(*n, *answered)))
                .collect();
            if let Some(m) = mean {
                out.push_str(&format!("\n⌀ {m:.1}"));
            }
            out
        }
        Tally::Ranking { points, .. } => {
            points.iter().enumerate().map(|(i, (v, p))| format!("\n{}. {} — {p}", i + 1, label(v))).collect()
        }
        Tally::Number { answered, mean, median, .. } => format!(
            "\n{}; ⌀ {}; ½ {}",
            turn.t_args("survey-answered-count", &[("count", answered.to_string())]),
            mean.map(|m| format!("{m:.1}")).unwrap_or_default(),
            median.map(|m| format!("{m:.1}")).unwrap_or_default()
        ),
        Tally::Dates { answered, earliest, latest } => format!(
            "\n{}; {} — {}",
            turn.t_args("survey-answered-count", &[("count", answered.to_string())]),
            earliest.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
            latest.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()
        ),
        Tally::Texts { answered, .. } => {
            format!("\n{}", turn.t_args("survey-answered-count", &[("count", answered.to_string())]))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_read_the_way_people_write_them() {
        assert_eq!(super::iso_date("31.12.2026"), "2026-12-31");
        assert_eq!(super::iso_date(" 2026-12-31 "), "2026-12-31");
        assert_eq!(super::iso_date("завтра"), "завтра");
    }
}
