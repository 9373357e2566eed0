//! Residents' pages: open surveys and polls, answering them (every question type as a plain
//! form; conditions explained in words and applied by the server, so nothing needs
//! JavaScript), and the results as SVG bars with the same figures in tables.

use crate::RESPOND;
use crate::domain::{self, Answer, AnswerError, OTHER, Question, QuestionKind, RawAnswer, Tally};
use crate::store::{self, Outcome, Respondent, StoredSurvey, SurveyKind};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hromada_db::core::settlements;
use hromada_kernel::{Ineligible, Lang};
use hromada_web::auth::{Viewer, one_person_key};
use hromada_web::export::Csv;
use hromada_web::module::require_level;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, Value, context};
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list))
        .route("/surveys/{id}", get(show).post(respond))
        .route("/surveys/{id}/results", get(results))
        .route("/surveys/{id}/results.csv", get(results_csv))
        .route("/surveys/{id}/results.json", get(results_json))
        .route("/surveys/{id}/results/{question}", get(results_texts))
}

fn href(s: &StoredSurvey) -> String {
    format!("/surveys/{}", s.id)
}

pub fn summary(page: &Page, s: &StoredSurvey) -> Value {
    let now = page.state.now();
    context! {
        id => s.id.to_string(),
        title => s.title.get(page.lang),
        href => page.url(&href(s)),
        results => page.url(&format!("{}/results", href(s))),
        kind => &s.kind,
        open => s.is_open(now),
        closes => s.closes_at.format("%d.%m.%Y").to_string(),
    }
}

async fn list(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let c = tenant.community.id;
    let now = state.now();
    let surveys: Vec<Value> =
        store::open(&state.db, c, SurveyKind::Survey, now).await?.iter().map(|s| summary(&page, s)).collect();
    let polls: Vec<Value> =
        store::open(&state.db, c, SurveyKind::Poll, now).await?.iter().map(|s| summary(&page, s)).collect();
    let closed: Vec<Value> = store::closed(&state.db, c, now, 20).await?.iter().map(|s| summary(&page, s)).collect();
    page.render("consultations/list.html", context! { surveys => surveys, polls => polls, closed => closed })
}

async fn survey_of(state: &AppState, tenant: &Tenant, id: &str) -> AppResult<StoredSurvey> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let s = store::get(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)?;
    // Not published before it opens, except to the officials preparing it.
    if s.opens_at > state.now() {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

/// A question as the form draws it, with the values already given.
fn question_view(
    page: &Page,
    s: &StoredSurvey,
    q: &Question,
    given: Option<&RawAnswer>,
    error: Option<AnswerError>,
) -> Value {
    let lang = page.lang;
    let values: Vec<String> = given.map(|g| g.values.clone()).unwrap_or_default();
    let options: Vec<Value> = q
        .kind
        .options()
        .iter()
        .map(|o| context! { value => &o.value, label => o.label.get(lang), checked => values.contains(&o.value) })
        .collect();
    let (kind, extra) = match &q.kind {
        QuestionKind::Single { other, .. } => ("single", context! { other => other }),
        QuestionKind::Multiple { other, min, max, .. } => {
            ("multiple", context! { other => other, min => min, max => max })
        }
        QuestionKind::Scale { max, low, high } => (
            "scale",
            context! { points => (1..=*max).map(|n| context! { value => n.to_string(), checked => values.contains(&n.to_string()) }).collect::<Vec<_>>(), low => low.get(lang), high => high.get(lang) },
        ),
        QuestionKind::Ranking { options } => (
            "ranking",
            context! { places => (1..=options.len()).collect::<Vec<_>>(), placed => values.iter().enumerate().map(|(i, v)| (v.clone(), i + 1)).collect::<BTreeMap<_, _>>() },
        ),
        QuestionKind::Number { min, max, whole } => ("number", context! { min => min, max => max, whole => whole }),
        QuestionKind::Date { min, max } => {
            ("date", context! { min => min.map(|d| d.to_string()), max => max.map(|d| d.to_string()) })
        }
        QuestionKind::ShortText { max_chars } => ("short_text", context! { max => max_chars }),
        QuestionKind::LongText { max_chars } => ("long_text", context! { max => max_chars }),
    };
    let condition = q.show_when.as_ref().and_then(|c| {
        let parent = s.definition.questions.iter().find(|p| p.key == c.question)?;
        let labels: Vec<&str> = parent
            .kind
            .options()
            .iter()
            .filter(|o| c.any_of.contains(&o.value))
            .map(|o| o.label.get(lang))
            .collect();
        Some(context! { question => parent.title.get(lang), parent => &parent.key, values => &c.any_of, labels => labels.join(", ") })
    });
    context! {
        key => &q.key,
        title => q.title.get(lang),
        hint => q.hint.as_ref().map(|h| h.get(lang)),
        required => q.required,
        kind => kind,
        extra => extra,
        options => options,
        value => values.first(),
        other_text => given.map(|g| g.other.as_str()).unwrap_or(""),
        other_checked => values.iter().any(|v| v == OTHER),
        condition => condition,
        error => error.map(|e| page.t(e.key())),
    }
}

pub(crate) fn sections_view(
    page: &Page,
    s: &StoredSurvey,
    given: &BTreeMap<String, RawAnswer>,
    errors: &BTreeMap<String, AnswerError>,
) -> Vec<Value> {
    let def = &s.definition.0;
    let count = def.sections.len().max(1);
    (0..count)
        .map(|i| {
            let questions: Vec<Value> = def
                .questions
                .iter()
                .filter(|q| q.section == i)
                .map(|q| question_view(page, s, q, given.get(&q.key), errors.get(&q.key).copied()))
                .collect();
            context! { title => def.sections.get(i).map(|t| t.get(page.lang)), questions => questions }
        })
        .collect()
}

/// What a stored answer looks like as the form's raw values, to show it again.
fn as_raw(answers: &BTreeMap<String, Answer>) -> BTreeMap<String, RawAnswer> {
    answers
        .iter()
        .map(|(k, a)| {
            let raw = match a {
                Answer::Choices { values, other } => {
                    RawAnswer { values: values.clone(), other: other.clone().unwrap_or_default() }
                }
                Answer::Scale(n) => RawAnswer { values: vec![n.to_string()], other: String::new() },
                Answer::Ranking(order) => RawAnswer { values: order.clone(), other: String::new() },
                Answer::Number(n) => RawAnswer { values: vec![n.to_string()], other: String::new() },
                Answer::Date(d) => RawAnswer { values: vec![d.to_string()], other: String::new() },
                Answer::Text(t) => RawAnswer { values: vec![t.clone()], other: String::new() },
            };
            (k.clone(), raw)
        })
        .collect()
}

async fn render_form(
    state: &AppState,
    page: &Page,
    s: &StoredSurvey,
    given: &BTreeMap<String, RawAnswer>,
    errors: &BTreeMap<String, AnswerError>,
    status: StatusCode,
) -> AppResult<Response> {
    let now = state.now();
    let key = page.viewer.user.as_ref().map(one_person_key);
    let answered = match &key {
        Some(k) => store::has_answered(&state.db, s, k).await?,
        None => false,
    };
    let error_list: Vec<Value> = errors
        .iter()
        .filter_map(|(k, e)| {
            let q = s.definition.questions.iter().find(|q| &q.key == k)?;
            Some(context! { key => k, title => q.title.get(page.lang), message => page.t(e.key()) })
        })
        .collect();
    page.render_status(
        status,
        "consultations/survey.html",
        context! {
            s => summary(page, s),
            description => Some(s.description.as_str()).filter(|d| !d.is_empty()).map(|d| Value::from_safe_string(hromada_web::markdown::render(d))),
            sections => sections_view(page, s, given, errors),
            errors => error_list,
            open => s.is_open(now),
            answered => answered,
            may_answer => s.is_open(now) && (!answered || s.editable),
            editable => s.editable,
            anonymous => s.anonymous,
            min_age => s.min_age,
            residents_only => s.residents_only,
            results_visible => results_visible(s, now, answered, &page.viewer),
            has_texts => s.definition.questions.iter().any(domain::has_texts),
            texts_premoderated => s.texts_premoderated,
        },
    )
}

pub(crate) fn results_visible(
    s: &StoredSurvey,
    now: chrono::DateTime<chrono::Utc>,
    answered: bool,
    viewer: &Viewer,
) -> bool {
    let closed = now >= s.closes_at;
    closed || viewer.may(hromada_kernel::Permission::Moderate) || (!s.results_after_close && answered)
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let s = survey_of(&state, &tenant, &id).await?;
    let given = match &page.viewer.user {
        Some(u) => store::own_answers(&state.db, &s, &one_person_key(u)).await?.map(|a| as_raw(&a)).unwrap_or_default(),
        None => BTreeMap::new(),
    };
    render_form(&state, &page, &s, &given, &BTreeMap::new(), StatusCode::OK).await
}

/// Reads the form: `q.{key}` (repeated for several choices), `q.{key}.other`, and for a
/// ranking `q.{key}.rank.{value}` = place.
pub fn read_form(s: &StoredSurvey, fields: &[(String, String)]) -> BTreeMap<String, RawAnswer> {
    let mut out: BTreeMap<String, RawAnswer> = BTreeMap::new();
    for q in &s.definition.questions {
        let name = format!("q.{}", q.key);
        let mut raw = RawAnswer::default();
        if let QuestionKind::Ranking { options } = &q.kind {
            let mut places: Vec<(usize, String)> = options
                .iter()
                .filter_map(|o| {
                    let field = format!("{name}.rank.{}", o.value);
                    let place = fields.iter().find(|(k, _)| *k == field)?.1.trim().parse().ok()?;
                    Some((place, o.value.clone()))
                })
                .collect();
            places.sort();
            // Two options in one place leave the ranking incomplete, which the check refuses.
            places.dedup_by_key(|(p, _)| *p);
            raw.values = places.into_iter().map(|(_, v)| v).collect();
        } else {
            raw.values = fields.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.clone()).collect();
        }
        raw.other =
            fields.iter().find(|(k, _)| *k == format!("{name}.other")).map(|(_, v)| v.clone()).unwrap_or_default();
        out.insert(q.key.clone(), raw);
    }
    out
}

async fn respond(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_level(&viewer, &tenant.community, &RESPOND)?;
    let user = viewer.require_user()?;
    let s = survey_of(&state, &tenant, &id).await?;
    let back = tenant.url(&href(&s));
    if !s.is_open(state.now()) {
        return Ok(page.redirect_with(&back, Flash::error("survey-error-closed")));
    }
    if let Err(why) = s.eligibility().check(state.now().date_naive(), &hromada_web::auth::eligibility_of(user)) {
        let key = match why {
            Ineligible::AgeUnknown => "survey-refused-age-unknown",
            Ineligible::UnderAge(_) => "survey-refused-under-age",
            Ineligible::NotResident => "survey-refused-not-resident",
        };
        return Ok(page.redirect_with(&back, Flash::error(key)));
    }
    let given = read_form(&s, &fields);
    let answers = match domain::check_response(&s.definition, &given) {
        Ok(a) => a,
        Err(errors) => {
            let errors: BTreeMap<String, AnswerError> = errors.into_iter().collect();
            return render_form(&state, &page, &s, &given, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let settlement = settlements::home_name(&state.db, tenant.community.id, user.settlement_id).await?;
    let year = chrono::Datelike::year(&state.now());
    let key = one_person_key(user);
    let band = domain::age_band(user.birth_year.map(|y| y as i32), year);
    let who = Respondent { key: &key, settlement: &settlement, age_band: band };
    let flash = match store::respond(&state.db, &s, &who, &answers, state.now()).await? {
        Outcome::Recorded => Flash::success("survey-flash-recorded"),
        Outcome::Replaced => Flash::success("survey-flash-replaced"),
        Outcome::AlreadyAnswered => Flash::error("survey-error-already"),
        Outcome::Changed => Flash::error("survey-error-changed"),
    };
    Ok(page.redirect_with(&back, flash))
}

// ---------- results ----------

/// A bar chart's rows: label, count, share in whole percent and the bar's width.
fn bars(page: &Page, labels: &[(String, String)], counts: &[(String, u64)], answered: u64) -> Vec<Value> {
    counts
        .iter()
        .map(|(value, n)| {
            let label = labels
                .iter()
                .find(|(v, _)| v == value)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| page.t("survey-other"));
            let percent = (n * 100 + answered / 2).checked_div(answered).unwrap_or(0);
            context! { short => short(&label), label => label, count => n, percent => percent, width => percent * 3 }
        })
        .collect()
}

/// A label short enough for the chart; the table beside it has the whole.
fn short(label: &str) -> String {
    hromada_kernel::text::excerpt(label, 22)
}

/// Free-text answers a results page lists per question, the newest first; the rest are a page
/// of their own away, and all of them (published) are in the JSON export.
const TEXTS_SHOWN: i64 = 20;

/// Free-text answers per page of a question's list.
const TEXTS_PER_PAGE: i64 = 100;

/// The published free texts of a question: how many, and where to read them all.
struct TextsLink {
    published: u64,
    href: String,
}

fn tally_view(page: &Page, q: &Question, tally: &Tally, texts: Option<&TextsLink>) -> Value {
    let labels: Vec<(String, String)> =
        q.kind.options().iter().map(|o| (o.value.clone(), o.label.get(page.lang).to_owned())).collect();
    let fmt = |x: Option<f64>| x.map(|v| format!("{v:.1}").trim_end_matches(".0").to_owned());
    let more = |shown: usize| texts.map(|t| t.published.saturating_sub(shown as u64)).unwrap_or(0);
    let all = texts.map(|t| t.href.as_str());
    match tally {
        Tally::Choices { answered, counts, others } => context! {
            kind => "bars", answered => answered, bars => bars(page, &labels, counts, *answered),
            texts => others, more => more(others.len()), all_texts => all,
        },
        Tally::Scale { answered, counts, mean } => {
            let points: Vec<(String, u64)> =
                counts.iter().enumerate().map(|(i, n)| ((i + 1).to_string(), *n)).collect();
            let labels: Vec<(String, String)> = points.iter().map(|(v, _)| (v.clone(), v.clone())).collect();
            context! { kind => "bars", answered => answered, bars => bars(page, &labels, &points, *answered), mean => fmt(*mean) }
        }
        Tally::Ranking { answered, points } => {
            let top = points.iter().map(|(_, p)| *p).max().unwrap_or(0).max(1);
            let rows: Vec<Value> = points
                .iter()
                .map(|(v, p)| {
                    let label = labels.iter().find(|(x, _)| x == v).map(|(_, l)| l.as_str()).unwrap_or(v);
                    context! { short => short(label), label => label, count => p, width => p * 300 / top }
                })
                .collect();
            context! { kind => "ranking", answered => answered, bars => rows }
        }
        Tally::Number { answered, mean, median, min, max } => context! {
            kind => "number", answered => answered, mean => fmt(*mean), median => fmt(*median), min => fmt(*min), max => fmt(*max),
        },
        Tally::Dates { answered, earliest, latest } => context! {
            kind => "dates", answered => answered, earliest => earliest.map(|d| d.format("%d.%m.%Y").to_string()), latest => latest.map(|d| d.format("%d.%m.%Y").to_string()),
        },
        Tally::Texts { answered, texts } => context! {
            kind => "texts", answered => answered, texts => texts, more => more(texts.len()), all_texts => all,
        },
    }
}

/// Every question's tally and breakdowns, drawn from the stored counts with the newest
/// published texts; kept on this node until a response or a moderator changes something
/// (see [`store::changes`]) or the cache's time runs out.
pub(crate) struct Computed {
    pub(crate) respondents: u64,
    pub(crate) questions: Vec<Counted>,
}

pub(crate) struct Counted {
    pub(crate) tally: Tally,
    /// Published free texts, of which the tally lists the newest.
    published_texts: u64,
    by_settlement: Vec<domain::GroupRow>,
    by_age: Vec<domain::GroupRow>,
}

pub(crate) type ResultsCache = hromada_web::cache::TtlMap<Uuid, std::sync::Arc<Computed>>;

/// Puts the listed free texts into a tally.
fn with_texts(tally: &mut Tally, listed: Vec<String>) {
    match tally {
        Tally::Choices { others, .. } => *others = listed,
        Tally::Texts { texts, .. } => *texts = listed,
        _ => {}
    }
}

/// How many free texts a question has in all, shown or not: one for each "other" chosen, or
/// for each answer to a text question.
fn texts_given(tally: &Tally) -> u64 {
    match tally {
        Tally::Choices { counts, .. } => counts.iter().find(|(v, _)| v == OTHER).map(|(_, n)| *n).unwrap_or(0),
        Tally::Texts { answered, .. } => *answered,
        _ => 0,
    }
}

pub(crate) async fn computed(state: &AppState, s: &StoredSurvey) -> AppResult<std::sync::Arc<Computed>> {
    let cache = state.extension::<ResultsCache>();
    if let Some(hit) = cache.and_then(|c| c.get(&s.id, store::changes())) {
        return Ok(hit);
    }
    let generation = store::changes();
    if !s.counted {
        // Answered before counts were kept: counted once, before the reads below.
        store::count_afresh(&state.db, s).await?;
    }
    let listed: Vec<&str> =
        s.definition.questions.iter().filter(|q| domain::has_texts(q)).map(|q| q.key.as_str()).collect();
    // Three reads that do not depend on each other, each on its own connection: the page
    // waits for the slowest, not for all three in turn.
    let counted = StoredSurvey { counted: true, ..s.clone() };
    let (counts, unpublished, mut newest) = futures::try_join!(
        store::counts(&state.db, &counted),
        async { if listed.is_empty() { Ok(vec![]) } else { store::unpublished_texts(&state.db, s).await } },
        store::newest_texts(&state.db, s, &listed, TEXTS_SHOWN),
    )?;
    let mut questions = Vec::with_capacity(s.definition.questions.len());
    for q in &s.definition.questions {
        let mut tally = domain::tally_counted(q, &counts);
        let published_texts = if domain::has_texts(q) {
            let withheld: i64 = unpublished.iter().filter(|(k, _, _)| *k == q.key).map(|(_, _, n)| *n).sum();
            let mine: Vec<String> = newest.extract_if(.., |t| t.question == q.key).map(|t| t.body).collect();
            with_texts(&mut tally, mine);
            texts_given(&tally).saturating_sub(withheld.max(0) as u64)
        } else {
            0
        };
        let choice = matches!(q.kind, QuestionKind::Single { .. } | QuestionKind::Multiple { .. });
        let by = |prefix: &str| if choice { domain::breakdown_counted(q, &counts, prefix) } else { vec![] };
        questions.push(Counted { published_texts, by_settlement: by("s:"), by_age: by("a:"), tally });
    }
    let done = std::sync::Arc::new(Computed { respondents: counts.respondents(), questions });
    if let Some(cache) = cache {
        cache.put(s.id, done.clone(), generation, store::changes());
    }
    Ok(done)
}

fn texts_link(page: &Page, s: &StoredSurvey, q: &Question, counted: &Counted) -> TextsLink {
    TextsLink { published: counted.published_texts, href: page.url(&format!("{}/results/{}", href(s), q.key)) }
}

async fn visible_results(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    id: &str,
) -> AppResult<(StoredSurvey, std::sync::Arc<Computed>)> {
    let s = survey_of(state, tenant, id).await?;
    let answered = match &page.viewer.user {
        Some(u) => store::has_answered(&state.db, &s, &one_person_key(u)).await?,
        None => false,
    };
    if !results_visible(&s, state.now(), answered, &page.viewer) {
        return Err(AppError::Forbidden);
    }
    let results = computed(state, &s).await?;
    Ok((s, results))
}

async fn results(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (s, results) = visible_results(&state, &page, &tenant, &id).await?;
    let questions: Vec<Value> = s
        .definition
        .questions
        .iter()
        .zip(&results.questions)
        .map(|(q, counted)| {
            let labels: Vec<(String, String)> =
                q.kind.options().iter().map(|o| (o.value.clone(), o.label.get(page.lang).to_owned())).collect();
            let groups = |rows: &[domain::GroupRow]| -> Vec<Value> {
                rows.iter()
                    .map(|row| {
                        let name = match row.group.as_deref() {
                            Some("") | None => page.t("survey-group-other"),
                            Some(g) if g.contains('-') || g == "unknown" => page.t(&format!("survey-age-{g}")),
                            Some(g) => g.to_owned(),
                        };
                        context! { name => name, respondents => row.respondents, bars => bars(&page, &labels, &row.counts, row.respondents) }
                    })
                    .collect()
            };
            context! {
                key => &q.key,
                title => q.title.get(page.lang),
                tally => tally_view(&page, q, &counted.tally, Some(&texts_link(&page, &s, q, counted))),
                by_settlement => groups(&counted.by_settlement),
                by_age => groups(&counted.by_age),
            }
        })
        .collect();
    page.render(
        "consultations/results.html",
        context! {
            s => summary(&page, &s), respondents => results.respondents, questions => questions, min_group => domain::MIN_GROUP,
            moderate => page.viewer.may(hromada_kernel::Permission::Moderate).then(|| page.url(&format!("/admin/consultations/{}/answers", s.id))),
        },
    )
}

async fn results_csv(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (s, results) = visible_results(&state, &page, &tenant, &id).await?;
    let mut csv = Csv::new(&["question", "answer", "count"]);
    for (q, counted) in s.definition.questions.iter().zip(&results.questions) {
        let title = q.title.get(Lang::Uk);
        match counted.tally.clone() {
            Tally::Choices { counts, .. } => {
                for (value, n) in counts {
                    let label = q
                        .kind
                        .options()
                        .iter()
                        .find(|o| o.value == value)
                        .map(|o| o.label.get(Lang::Uk))
                        .unwrap_or(OTHER);
                    csv.row(&[title, label, &n.to_string()]);
                }
            }
            Tally::Scale { counts, .. } => {
                for (i, n) in counts.iter().enumerate() {
                    csv.row(&[title, &(i + 1).to_string(), &n.to_string()]);
                }
            }
            Tally::Ranking { points, .. } => {
                for (value, p) in points {
                    csv.row(&[title, &value, &p.to_string()]);
                }
            }
            other => {
                let answered = match other {
                    Tally::Number { answered, .. } | Tally::Dates { answered, .. } | Tally::Texts { answered, .. } => {
                        answered
                    }
                    _ => 0,
                };
                csv.row(&[title, "", &answered.to_string()]);
            }
        }
    }
    Ok(csv.into_download(&format!("survey-{}.csv", s.id)))
}

/// Every question's tally, the published free texts whole, as JSON.
async fn results_json(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (s, results) = visible_results(&state, &page, &tenant, &id).await?;
    let mut questions: Vec<serde_json::Value> = vec![];
    for (q, counted) in s.definition.questions.iter().zip(&results.questions) {
        let mut tally = counted.tally.clone();
        if counted.published_texts > 0 {
            let all = store::published_texts(&state.db, &s, &q.key, i64::MAX, 0).await?;
            with_texts(&mut tally, all.into_iter().map(|t| t.body).collect());
        }
        questions.push(serde_json::json!({ "key": q.key, "title": q.title, "type": q.kind, "results": tally }));
    }
    let body = serde_json::json!({
        "id": s.id, "title": s.title.0, "opens_at": s.opens_at, "closes_at": s.closes_at,
        "respondents": results.respondents, "questions": questions,
    });
    Ok(axum::Json(body).into_response())
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<u32>,
}

/// Every published free text of one question, a page at a time, the newest first.
async fn results_texts(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path((id, key)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> AppResult<Response> {
    let (s, results) = visible_results(&state, &page, &tenant, &id).await?;
    let (q, counted) = s
        .definition
        .questions
        .iter()
        .zip(&results.questions)
        .find(|(q, _)| q.key == key && domain::has_texts(q))
        .ok_or(AppError::NotFound)?;
    let number = query.page.unwrap_or(1).max(1);
    let offset = i64::from(number - 1) * TEXTS_PER_PAGE;
    let mut texts = store::published_texts(&state.db, &s, &q.key, TEXTS_PER_PAGE + 1, offset).await?;
    let more = texts.len() as i64 > TEXTS_PER_PAGE;
    texts.truncate(TEXTS_PER_PAGE as usize);
    let bodies: Vec<String> = texts.into_iter().map(|t| t.body).collect();
    page.render(
        "consultations/results_texts.html",
        context! {
            s => summary(&page, &s), title => q.title.get(page.lang), texts => bodies, published => counted.published_texts,
            first => offset + 1, page => number, more => more,
        },
    )
}

/// The newest open quick poll for the home page: the question, or its results once answered.
pub async fn home_poll(page: &Page) -> AppResult<Option<String>> {
    let Some(tenant) = &page.tenant else { return Ok(None) };
    let state = &page.state;
    let now = state.now();
    let Some(poll) = store::open(&state.db, tenant.community.id, SurveyKind::Poll, now).await?.into_iter().next()
    else {
        return Ok(None);
    };
    let answered = match &page.viewer.user {
        Some(u) => store::has_answered(&state.db, &poll, &one_person_key(u)).await?,
        None => false,
    };
    let q = &poll.definition.questions[0];
    let tally = if results_visible(&poll, now, answered, &page.viewer) && answered {
        let results = computed(state, &poll).await?;
        results.questions.first().map(|counted| tally_view(page, q, &counted.tally, None))
    } else {
        None
    };
    let html = page.fragment(
        "consultations/poll_block.html",
        context! {
            s => summary(page, &poll),
            q => question_view(page, &poll, q, None, None),
            answered => answered,
            tally => tally,
        },
    )?;
    Ok(Some(html))
}
