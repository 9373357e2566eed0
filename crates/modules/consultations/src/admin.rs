//! Officials build surveys and polls: a title, dates and the first question, then more
//! questions one form at a time (every type, sections, a condition on an earlier answer) until
//! the first response arrives; they close a survey early and export its results.

use crate::domain::{self, Choice, Condition, Question, QuestionKind, Survey, SurveyError};
use crate::store::{self, Moderation, NewSurvey, SaveError, StoredSurvey, SurveyKind, TextStatus};
use crate::web::summary;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{NaiveDate, TimeZone, Utc};
use hromada_db::core::audit::Actor;
use hromada_kernel::{LocalizedText, Permission};
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/{id}", get(builder))
        .route("/{id}/questions", post(add_question))
        .route("/{id}/questions/{key}/delete", post(remove_question))
        .route("/{id}/close", post(close))
        .route("/{id}/answers", get(answers))
        .route("/{id}/answers/premoderation", post(premoderation))
        .route("/{id}/answers/{text}/{step}", post(moderate))
}

/// The question types in the order the builder offers them.
const TYPES: [&str; 8] = ["single", "multiple", "scale", "ranking", "number", "date", "short_text", "long_text"];

async fn list(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::Moderate)?;
    let all: Vec<Value> = store::all(&state.db, tenant.community.id)
        .await?
        .iter()
        .map(|s| context! { info => summary(&page, s), edit => page.url(&format!("/admin/consultations/{}", s.id)) })
        .collect();
    page.render(
        "consultations/admin.html",
        context! { surveys => all, types => type_options(&page), today => state.now().date_naive().to_string() },
    )
}

fn type_options(page: &Page) -> Vec<Value> {
    TYPES.iter().map(|t| context! { value => *t, label => page.t(&format!("survey-type-{t}")) }).collect()
}

/// One question as the builder's form sends it.
#[derive(Debug, Deserialize, Default)]
pub struct QuestionForm {
    #[serde(default)]
    q_title: String,
    #[serde(default)]
    q_title_en: String,
    #[serde(default)]
    q_type: String,
    #[serde(default)]
    q_required: String,
    /// One option per line.
    #[serde(default)]
    q_options: String,
    #[serde(default)]
    q_other: String,
    #[serde(default)]
    q_min: String,
    #[serde(default)]
    q_max: String,
    #[serde(default)]
    q_whole: String,
    #[serde(default)]
    q_low: String,
    #[serde(default)]
    q_high: String,
    /// A new section starting with this question.
    #[serde(default)]
    q_section: String,
    /// `key=value` of an earlier choice.
    #[serde(default)]
    q_condition: String,
}

fn text(uk: &str, en: &str) -> LocalizedText {
    LocalizedText::new(uk.trim(), Some(en.trim().to_owned()))
}

/// Builds the question (its key the next free `qN`) and adds it, with its section, to `survey`.
fn add_to(survey: &mut Survey, f: &QuestionForm) -> Result<(), &'static str> {
    if f.q_title.trim().chars().count() < 3 {
        return Err("survey-error-question-title");
    }
    let options: Vec<Choice> = f
        .q_options
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| Choice { value: format!("o{}", i + 1), label: LocalizedText::new(l, None) })
        .collect();
    let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    let count = |s: &str, default: u32| s.trim().parse::<u32>().unwrap_or(default);
    let other = !f.q_other.is_empty();
    let kind = match f.q_type.as_str() {
        "single" => QuestionKind::Single { options, other },
        "multiple" => {
            let n = options.len() as u32 + u32::from(other);
            QuestionKind::Multiple { options, other, min: count(&f.q_min, 1), max: count(&f.q_max, n) }
        }
        "scale" => QuestionKind::Scale {
            // 5 or 10; anything else is refused by the check below, not quietly changed.
            max: match f.q_max.trim() {
                "" | "5" => 5,
                "10" => 10,
                _ => 0,
            },
            low: LocalizedText::new(f.q_low.trim(), None),
            high: LocalizedText::new(f.q_high.trim(), None),
        },
        "ranking" => QuestionKind::Ranking { options },
        "number" => QuestionKind::Number { min: number(&f.q_min), max: number(&f.q_max), whole: !f.q_whole.is_empty() },
        "date" => QuestionKind::Date {
            min: NaiveDate::parse_from_str(f.q_min.trim(), "%Y-%m-%d").ok(),
            max: NaiveDate::parse_from_str(f.q_max.trim(), "%Y-%m-%d").ok(),
        },
        "short_text" => QuestionKind::ShortText { max_chars: count(&f.q_max, 200) },
        "long_text" => QuestionKind::LongText { max_chars: count(&f.q_max, 3000) },
        _ => return Err("survey-error-question-type"),
    };
    if !f.q_section.trim().is_empty() {
        if survey.sections.is_empty() && !survey.questions.is_empty() {
            // The questions so far were in the untitled first section; name it.
            survey.sections.push(LocalizedText::new("—", None));
        }
        survey.sections.push(LocalizedText::new(f.q_section.trim(), None));
    }
    let section = survey.sections.len().saturating_sub(1);
    let show_when =
        f.q_condition.split_once('=').map(|(q, v)| Condition { question: q.to_owned(), any_of: vec![v.to_owned()] });
    let next =
        (1..).map(|n| format!("q{n}")).find(|k| survey.questions.iter().all(|q| &q.key != k)).unwrap_or_default();
    survey.questions.push(Question {
        key: next,
        title: text(&f.q_title, &f.q_title_en),
        hint: None,
        required: !f.q_required.is_empty(),
        section,
        kind,
        show_when,
    });
    survey.validate().map_err(survey_error_key)
}

fn survey_error_key(e: SurveyError) -> &'static str {
    match e {
        SurveyError::Empty => "survey-error-empty",
        SurveyError::DuplicateKey(_) | SurveyError::DuplicateOption(_) => "survey-error-duplicate-option",
        SurveyError::TooFewOptions(_) => "survey-error-too-few-options",
        SurveyError::BadLimits(_) => "survey-error-limits",
        SurveyError::BadCondition(_) => "survey-error-condition",
        SurveyError::BadSection(_) => "survey-error-section",
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct SurveyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    editable: String,
    #[serde(default)]
    anonymous: String,
    #[serde(default)]
    results_after_close: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    residents_only: String,
    #[serde(default)]
    accept_idp: String,
    #[serde(default)]
    texts_premoderated: String,
    #[serde(flatten)]
    first: QuestionForm,
}

/// The start (UTC) of the day an admin form's date field names.
pub(crate) fn day_start(raw: &str) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()?;
    Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?))
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::Moderate)?;
    let back = tenant.url("/admin/consultations");
    let fail = |key: &str| Ok(page.redirect_with(&back, Flash::error(key)));
    if form.title.trim().chars().count() < 3 {
        return fail("survey-error-title");
    }
    let (Some(opens), Some(closes)) = (day_start(&form.opens), day_start(&form.closes)) else {
        return fail("survey-error-dates");
    };
    let min_age = match form.min_age.trim() {
        "" => Some(0),
        raw => raw.parse::<u32>().ok().filter(|a| *a <= 120),
    };
    if min_age.is_none() {
        return fail("survey-error-min-age");
    }
    let mut definition = Survey::default();
    if let Err(key) = add_to(&mut definition, &form.first) {
        return fail(key);
    }
    let new = NewSurvey {
        kind: if form.kind == "poll" { SurveyKind::Poll } else { SurveyKind::Survey },
        title: text(&form.title, &form.title_en),
        description: &form.description,
        definition,
        opens_at: opens,
        // The whole closing day is still open.
        closes_at: closes + chrono::Duration::days(1),
        editable: !form.editable.is_empty(),
        anonymous: !form.anonymous.is_empty(),
        results_after_close: !form.results_after_close.is_empty(),
        eligibility: hromada_kernel::Eligibility {
            min_age: min_age.unwrap_or(0),
            residents_only: !form.residents_only.is_empty(),
            accept_idp: !form.accept_idp.is_empty(),
        },
        texts_premoderated: !form.texts_premoderated.is_empty(),
        created_by: Some(me.id),
    };
    let id = match store::create(&state.db, tenant.community.id, new, state.now()).await {
        Ok(id) => id,
        Err(SaveError::Survey(e)) => return fail(survey_error_key(e)),
        Err(SaveError::Dates) => return fail("survey-error-dates"),
        Err(SaveError::NotAPoll) => return fail("survey-error-not-a-poll"),
        Err(SaveError::Db(e)) => return Err(e.into()),
    };
    state.audit(Some(tenant.community.id), &Actor::user(me), "survey.create", "survey", id, form.title.trim()).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/consultations/{id}")), Flash::success("flash-saved")))
}

async fn managed(state: &AppState, viewer: &Viewer, tenant: &Tenant, id: Uuid) -> AppResult<StoredSurvey> {
    viewer.require(Permission::Moderate)?;
    store::get(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)
}

async fn builder(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    let lang = page.lang;
    let questions: Vec<Value> = s
        .definition
        .questions
        .iter()
        .map(|q| {
            context! {
                key => &q.key,
                title => q.title.get(lang),
                kind => page.t(&format!("survey-type-{}", kind_code(&q.kind))),
                required => q.required,
                options => q.kind.options().iter().map(|o| o.label.get(lang).to_owned()).collect::<Vec<_>>(),
                condition => q.show_when.as_ref().map(|c| format!("{} = {}", c.question, c.any_of.join(", "))),
            }
        })
        .collect();
    let conditions: Vec<Value> = s
        .definition
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::Single { .. } | QuestionKind::Multiple { .. }))
        .flat_map(|q| {
            q.kind.options().iter().map(move |o| {
                context! { value => format!("{}={}", q.key, o.value), label => format!("{}: {}", q.title.get(lang), o.label.get(lang)) }
            })
        })
        .collect();
    let answered = store::any_response(&state.db, &s).await? || store::any_respondent(&state.db, &s).await?;
    page.render(
        "consultations/builder.html",
        context! {
            s => summary(&page, &s), questions => questions, conditions => conditions, types => type_options(&page),
            locked => answered || s.kind == "poll", open => s.is_open(state.now()),
            answers => s.definition.questions.iter().any(domain::has_texts).then(|| page.url(&format!("/admin/consultations/{}/answers", s.id))),
            texts_premoderated => s.texts_premoderated,
        },
    )
}

fn kind_code(k: &QuestionKind) -> &'static str {
    match k {
        QuestionKind::Single { .. } => "single",
        QuestionKind::Multiple { .. } => "multiple",
        QuestionKind::Scale { .. } => "scale",
        QuestionKind::Ranking { .. } => "ranking",
        QuestionKind::Number { .. } => "number",
        QuestionKind::Date { .. } => "date",
        QuestionKind::ShortText { .. } => "short_text",
        QuestionKind::LongText { .. } => "long_text",
    }
}

async fn save_definition(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    s: &StoredSurvey,
    definition: &Survey,
    viewer: &Viewer,
    action: &str,
) -> AppResult<Response> {
    let back = tenant.url(&format!("/admin/consultations/{}", s.id));
    match store::set_definition(&state.db, tenant.community.id, s.id, definition).await {
        Ok(true) => {
            let me = viewer.require(Permission::Moderate)?;
            state
                .audit(Some(tenant.community.id), &Actor::user(me), action, "survey", s.id, s.title.get(page.lang))
                .await?;
            Ok(page.redirect_with(&back, Flash::success("flash-saved")))
        }
        Ok(false) => Ok(page.redirect_with(&back, Flash::error("survey-error-has-responses"))),
        Err(SaveError::Survey(e)) => Ok(page.redirect_with(&back, Flash::error(survey_error_key(e)))),
        Err(SaveError::Db(e)) => Err(e.into()),
        Err(_) => Ok(page.redirect_with(&back, Flash::error("survey-error-empty"))),
    }
}

async fn add_question(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    if s.kind == "poll" {
        return Ok(page.redirect_with(
            &tenant.url(&format!("/admin/consultations/{id}")),
            Flash::error("survey-error-not-a-poll"),
        ));
    }
    let mut definition = s.definition.0.clone();
    if let Err(key) = add_to(&mut definition, &form) {
        return Ok(page.redirect_with(&tenant.url(&format!("/admin/consultations/{id}")), Flash::error(key)));
    }
    save_definition(&state, &page, &tenant, &s, &definition, &viewer, "survey.question.add").await
}

async fn remove_question(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, key)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    let mut definition = s.definition.0.clone();
    // Questions that depended on it go with it.
    definition.questions.retain(|q| q.key != key && q.show_when.as_ref().is_none_or(|c| c.question != key));
    save_definition(&state, &page, &tenant, &s, &definition, &viewer, "survey.question.remove").await
}

async fn close(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    let me = viewer.require(Permission::Moderate)?;
    store::close(&state.db, tenant.community.id, s.id, state.now()).await?;
    state
        .audit(Some(tenant.community.id), &Actor::user(me), "survey.close", "survey", s.id, s.title.get(page.lang))
        .await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/consultations/{id}")), Flash::success("flash-saved")))
}

// ---------- free-text answers ----------

/// Texts per page of the moderators' list.
const TEXTS_PER_PAGE: i64 = 50;

/// Which texts the moderators' list shows: of one question or all (`q` empty), in one status
/// or all, which page.
#[derive(Debug, Deserialize, Default)]
pub struct AnswersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<u32>,
}

impl AnswersQuery {
    fn status(&self) -> Option<TextStatus> {
        TextStatus::parse(&self.status)
    }

    /// The list's address with this filter, on the given page.
    fn href(&self, page: &Page, id: Uuid, number: u32) -> String {
        let status = self.status().map(TextStatus::code).unwrap_or("");
        let q: String = self.q.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        page.url(&format!("/admin/consultations/{id}/answers?q={q}&status={status}&page={number}"))
    }
}

/// The free-text answers of a survey for the moderators: every status, hidden ones marked
/// with the reason; approving, hiding and showing again one at a time.
async fn answers(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Query(query): Query<AnswersQuery>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    let lang = page.lang;
    let with_texts: Vec<&Question> = s.definition.questions.iter().filter(|q| domain::has_texts(q)).collect();
    let question = with_texts.iter().find(|q| q.key == query.q).map(|q| q.key.as_str()).unwrap_or("");
    let number = query.page.unwrap_or(1).max(1);
    let offset = i64::from(number - 1) * TEXTS_PER_PAGE;
    let mut texts =
        store::texts_for_moderation(&state.db, &s, question, query.status(), TEXTS_PER_PAGE + 1, offset).await?;
    let more = texts.len() as i64 > TEXTS_PER_PAGE;
    texts.truncate(TEXTS_PER_PAGE as usize);
    let waiting = store::unpublished_texts(&state.db, &s).await?;
    let of_status = |status: TextStatus| -> i64 {
        waiting.iter().filter(|(_, st, _)| st == status.code()).map(|(_, _, n)| *n).sum()
    };
    let title_of = |key: &str| {
        s.definition.questions.iter().find(|q| q.key == key).map(|q| q.title.get(lang).to_owned()).unwrap_or_default()
    };
    let items: Vec<Value> = texts
        .iter()
        .map(|t| {
            let status = t.status();
            context! {
                id => t.id.to_string(), body => &t.body, question => title_of(&t.question),
                day => chrono::NaiveDate::parse_from_str(&t.submitted_on, "%Y-%m-%d").map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| t.submitted_on.clone()),
                status => status.code(), status_label => page.t(&format!("survey-text-{}", status.code())),
                note => t.moderation_note.as_deref(),
            }
        })
        .collect();
    let questions: Vec<Value> = with_texts
        .iter()
        .map(|q| context! { key => &q.key, title => q.title.get(lang), selected => q.key == question })
        .collect();
    let statuses: Vec<Value> = TextStatus::ALL
        .iter()
        .map(|st| context! { value => st.code(), label => page.t(&format!("survey-text-{}", st.code())), selected => query.status() == Some(*st) })
        .collect();
    page.render(
        "consultations/answers.html",
        context! {
            s => summary(&page, &s),
            builder => page.url(&format!("/admin/consultations/{id}")),
            action => page.url(&format!("/admin/consultations/{id}/answers")),
            items => items, questions => questions, statuses => statuses,
            pending => of_status(TextStatus::Pending), hidden => of_status(TextStatus::Hidden),
            texts_premoderated => s.texts_premoderated, anonymous => s.anonymous,
            filter => context! { q => question, status => query.status().map(TextStatus::code).unwrap_or(""), page => number },
            previous => (number > 1).then(|| query.href(&page, id, number - 1)),
            next => more.then(|| query.href(&page, id, number + 1)),
        },
    )
}

/// A moderator's step, with the list's filter to return to.
#[derive(Debug, Deserialize, Default)]
pub struct ModerationForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<u32>,
}

async fn moderate(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, text, step)): Path<(Uuid, Uuid, String)>,
    Form(form): Form<ModerationForm>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    let me = viewer.require(Permission::Moderate)?;
    let filter = AnswersQuery { q: form.q, status: form.status, page: form.page };
    let back = filter.href(&page, id, filter.page.unwrap_or(1).max(1));
    let reason = form.reason.trim();
    let moderation = match step.as_str() {
        "approve" => Moderation::Approve,
        "hide" if reason.is_empty() => return Ok(page.redirect_with(&back, Flash::error("survey-error-hide-reason"))),
        "hide" => Moderation::Hide(reason),
        "unhide" => Moderation::Unhide,
        _ => return Err(AppError::NotFound),
    };
    if !store::moderate_text(&state.db, &s, text, moderation).await? {
        return Ok(page.redirect_with(&back, Flash::error("survey-error-text-moderated")));
    }
    // The reason, never the text: the log keeps no answer, and nothing of who gave it.
    let summary = if matches!(moderation, Moderation::Hide(_)) { reason } else { "" };
    state
        .audit(
            Some(tenant.community.id),
            &Actor::user(me),
            &format!("survey.text.{step}"),
            "survey_text",
            text,
            summary,
        )
        .await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize, Default)]
pub struct PremoderationForm {
    #[serde(default)]
    texts_premoderated: String,
}

async fn premoderation(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<PremoderationForm>,
) -> AppResult<Response> {
    let s = managed(&state, &viewer, &tenant, id).await?;
    let me = viewer.require(Permission::Moderate)?;
    let on = !form.texts_premoderated.is_empty();
    let published = store::set_texts_premoderated(&state.db, &s, on).await?;
    let summary = if on { "on".to_owned() } else { format!("off; {published} published") };
    state
        .audit(Some(tenant.community.id), &Actor::user(me), "survey.texts.premoderation", "survey", s.id, &summary)
        .await?;
    Ok(page.redirect_with(&page.url(&format!("/admin/consultations/{id}/answers")), Flash::success("flash-saved")))
}
