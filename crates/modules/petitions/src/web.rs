//! Residents' pages: the list, a petition with its timeline and signer list, writing a
//! petition, submitting it for moderation, and signing.

use crate::domain::{self, Action, Rules, SignRefusal, Signer, Status};
use crate::notify::{self, Notice};
use crate::store::{self, NewPetition, Petition, SignOutcome, SignRequest, SignatureWriter};
use crate::{CREATE, SIGN, files, rules_of};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::GroupCommit;
use hromada_db::core::holidays;
use hromada_db::core::users::User;
use hromada_kernel::IdentityLevel;
use hromada_media::{MediaFile, Upload};
use hromada_web::auth::{Viewer, one_person_key};
use hromada_web::forms::FieldErrors;
use hromada_web::module::required_level;
use hromada_web::security::ClientIp;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions", get(list).post(create))
        .route("/petitions/new", get(new_form))
        .route("/petitions/open-data.csv", get(crate::open_data::csv))
        .route("/petitions/open-data.json", get(crate::open_data::json))
        .route("/petitions/{number}", get(show))
        .route("/petitions/{number}/edit", get(edit_form).post(save_edit))
        .route("/petitions/{number}/submit", post(submit))
        .route("/petitions/{number}/pass-on", post(pass_on))
        .route("/petitions/{number}/sign", post(sign))
        .route("/petitions/{number}/signatures", get(signatures))
        // The same chain as the API gives, beside the page that lists it.
        .route("/petitions/{number}/signatures.json", get(crate::api::chain))
        .route("/petitions/{number}/count.json", get(crate::api::count))
}

const PAGE: i64 = 20;

#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    sort: String,
    /// Search words.
    #[serde(default)]
    q: String,
}

const PUBLIC_STATUSES: [&str; 6] =
    ["collecting", "under_consideration", "answered", "refused", "fell_short", "archived"];

/// What a list or a page shows of a petition.
pub fn summary(page: &Page, p: &Petition) -> Value {
    let status = p.status();
    context! {
        number => p.number,
        title => &p.title,
        status => status.code(),
        status_label => page.t(&format!("petition-status-{}", status.code())),
        count => p.signature_count,
        threshold => p.threshold,
        count_label => page.t_count("petition-signatures", p.signature_count),
        percent => (p.signature_count * 100 / p.threshold.max(1)).min(100),
        href => page.url(&format!("/petitions/{}", p.number)),
        published_at => p.published_at.map(|t| t.to_rfc3339()),
        collection_ends => p.collection_ends.map(|d| d.format("%d.%m.%Y").to_string()),
    }
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let n = q.page.unwrap_or(1).max(1);
    let words = q.q.trim();
    let searching = !words.is_empty();
    let sort_code = if q.sort.is_empty() && searching { "relevance" } else { q.sort.as_str() };
    let filter = store::ListFilter {
        status: Some(q.status.as_str()).filter(|s| PUBLIC_STATUSES.contains(s)),
        category: Some(q.category.as_str()).filter(|c| CATEGORIES.contains(c)),
        words: Some(words).filter(|w| !w.is_empty()),
        sort: store::Sort::parse(sort_code),
    };
    let rows = store::list_filtered(&state.db, tenant.community.id, &filter, PAGE + 1, (n - 1) * PAGE).await?;
    let more = rows.len() as i64 > PAGE;
    let items: Vec<Value> = rows.iter().take(PAGE as usize).map(|p| summary(&page, p)).collect();
    let mine = match &page.viewer.user {
        Some(u) => store::by_author(&state.db, tenant.community.id, u.id)
            .await?
            .iter()
            .filter(|p| !p.status().public())
            .map(|p| summary(&page, p))
            .collect(),
        None => vec![],
    };
    let rules = rules_of(&tenant.community);
    let statuses: Vec<Value> = PUBLIC_STATUSES
        .iter()
        .map(|s| context! { value => *s, label => page.t(&format!("petition-status-{s}")) })
        .collect();
    let relevance = Some(("relevance", "petition-sort-relevance")).filter(|_| searching);
    let sorts: Vec<Value> =
        [("newest", "petition-sort-newest"), ("signed", "petition-sort-signed"), ("ending", "petition-sort-ending")]
            .into_iter()
            .chain(relevance)
            .map(|(value, label)| context! { value => value, label => page.t(label) })
            .collect();
    let query = format!(
        "q={}&status={}&category={}&sort={}",
        hromada_web::page::urlencode(words),
        hromada_web::page::urlencode(filter.status.unwrap_or("")),
        hromada_web::page::urlencode(filter.category.unwrap_or("")),
        hromada_web::page::urlencode(sort_code)
    );
    page.render(
        "petitions/list.html",
        context! {
            petitions => items, mine => mine, page => n, more => more, threshold => rules.threshold, days => rules.collection_days,
            statuses => statuses, categories => categories(&page), sorts => sorts,
            status => filter.status.unwrap_or(""), category => filter.category.unwrap_or(""), sort => sort_code, query => query,
            words => words, searching => searching,
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct PetitionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
}

const CATEGORIES: [&str; 6] = ["roads", "housing", "environment", "education", "social", "other"];

fn categories(page: &Page) -> Vec<Value> {
    CATEGORIES.iter().map(|c| context! { value => *c, label => page.t(&format!("petition-category-{c}")) }).collect()
}

async fn new_form(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    if let Some(refused) = check_author(&state, &page, &tenant)? {
        return Ok(refused);
    }
    let form = PetitionForm::default();
    render_form(&page, &tenant, &form, &[], &FieldErrors::new(), None, StatusCode::OK)
}

/// The writing form; with `editing`, for the petition with that number.
fn render_form(
    page: &Page,
    tenant: &Tenant,
    form: &PetitionForm,
    files: &[MediaFile],
    errors: &FieldErrors,
    editing: Option<i64>,
    status: StatusCode,
) -> AppResult<Response> {
    let rules = rules_of(&tenant.community);
    page.render_status(
        status,
        "petitions/new.html",
        context! {
            form => context! { title => &form.title, body => &form.body, category => &form.category },
            categories => categories(page),
            errors => Serde(errors),
            threshold => rules.threshold,
            days => rules.collection_days,
            moderation_days => rules.moderation_working_days,
            consideration_days => rules.consideration_working_days,
            rules_text => Some(&rules.rules_text).filter(|t| !t.is_empty())
                .map(|t| Value::from_safe_string(hromada_web::markdown::render(t))),
            editing => editing,
            files => files::for_page(page, files),
            max_attachments => files::MAX_ATTACHMENTS,
        },
    )
}

/// The author's own petition, while its text may still change.
async fn editable(state: &AppState, tenant: &Tenant, viewer: &Viewer, number: i64) -> AppResult<Petition> {
    let (_, p) = authors_own(state, viewer, tenant, number).await?;
    if !p.status().editable() {
        return Err(AppError::Conflict("petition-error-not-editable"));
    }
    Ok(p)
}

async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let p = editable(&state, &tenant, &page.viewer, number).await?;
    let attached = files::list(&state, tenant.community.id, p.id).await?;
    let form = PetitionForm { title: p.title, body: p.body, category: p.category };
    render_form(&page, &tenant, &form, &attached, &FieldErrors::new(), Some(number), StatusCode::OK)
}

async fn save_edit(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    mut upload: Upload,
) -> AppResult<Response> {
    let p = editable(&state, &tenant, &page.viewer, number).await?;
    let user = page.viewer.require_user()?.clone();
    let form: PetitionForm = upload.form()?;
    let removed: Vec<Uuid> = upload.texts("remove_file").filter_map(|id| id.parse().ok()).collect();
    let attached = files::list(&state, tenant.community.id, p.id).await?;
    let kept = attached.iter().filter(|f| f.purpose == files::ATTACHMENT && !removed.contains(&f.id)).count();
    let mut errors = check(&form);
    let new_files = files::read(&mut upload, kept, &mut errors).await;
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_form(&page, &tenant, &form, &attached, &errors, Some(number), status);
    }
    if !store::update_text(&state.db, tenant.community.id, p.id, form.title.trim(), form.body.trim(), &form.category)
        .await?
    {
        return Err(AppError::Conflict("petition-error-not-editable"));
    }
    files::remove(&state, tenant.community.id, p.id, &removed).await?;
    files::save(&state, tenant.community.id, p.id, new_files, user.id).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/petitions/{number}")), Flash::success("petition-flash-draft")))
}

fn check(form: &PetitionForm) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(10..=200).contains(&form.title.trim().chars().count()) {
        errors.add("title", "petition-invalid-title");
    }
    if !(50..=10_000).contains(&form.body.trim().chars().count()) {
        errors.add("body", "petition-invalid-body");
    }
    if !CATEGORIES.contains(&form.category.as_str()) {
        errors.add("category", "petition-invalid-category");
    }
    errors
}

async fn create(State(state): State<AppState>, page: Page, tenant: Tenant, mut upload: Upload) -> AppResult<Response> {
    if let Some(refused) = check_author(&state, &page, &tenant)? {
        return Ok(refused);
    }
    let user = page.viewer.require_user()?.clone();
    let form: PetitionForm = upload.form()?;
    let mut errors = check(&form);
    let new_files = files::read(&mut upload, 0, &mut errors).await;
    if !errors.is_empty() {
        return render_form(&page, &tenant, &form, &[], &errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let rules = rules_of(&tenant.community);
    let new = NewPetition {
        author_id: user.id,
        author_name: &user.full_name,
        title: form.title.trim(),
        body: form.body.trim(),
        category: &form.category,
    };
    let p = store::create_draft(&state.db, tenant.community.id, new, &rules, state.now()).await?;
    files::save(&state, tenant.community.id, p.id, new_files, user.id).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/petitions/{}", p.number)), Flash::success("petition-flash-draft")))
}

/// A petition the viewer may see: public ones to all, drafts and those in moderation to their author.
async fn visible(state: &AppState, tenant: &Tenant, viewer: &Viewer, number: i64) -> AppResult<Petition> {
    let p = store::by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let own = viewer.user.as_ref().is_some_and(|u| u.id == p.author_id);
    let official = viewer.may(hromada_kernel::Permission::Moderate);
    if p.status().public() || own || official { Ok(p) } else { Err(AppError::NotFound) }
}

/// What the statute's rules look at in a person.
fn person(user: &User) -> Signer {
    Signer {
        level: user.identity_level(),
        birth_year: user.birth_year.map(|y| y as i32),
        resident: user.settlement_id.is_some(),
        idp_registered: user.idp_registered_at.is_some(),
    }
}

/// The identity level the community asks of authors, then the statute's age and residency.
fn check_author(state: &AppState, page: &Page, tenant: &Tenant) -> AppResult<Option<Response>> {
    let user = page.viewer.require_user()?;
    let rules = rules_of(&tenant.community);
    let required = required_level(&tenant.community, &CREATE);
    match domain::may_author(&rules, required, state.now().date_naive(), &person(user)) {
        Ok(()) => Ok(None),
        // The page that explains how to verify, as for every gated action.
        Err(SignRefusal::NotVerifiedEnough(level)) => Err(AppError::IdentityRequired(level)),
        Err(refusal) => {
            Ok(Some(page.redirect_with(&tenant.url("/petitions"), Flash::error(refusal_author_key(refusal)))))
        }
    }
}

/// "Прізвище І." from the full name as the form asks for it (surname first).
pub fn public_name(full_name: &str) -> String {
    let mut words = full_name.split_whitespace();
    let surname = words.next().unwrap_or("");
    domain::display_name(surname, words.next().unwrap_or(""))
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let p = visible(&state, &tenant, &page.viewer, number).await?;
    let events: Vec<Value> = store::timeline(&state.db, tenant.community.id, p.id)
        .await?
        .iter()
        .map(|e| context! { at => e.at.to_rfc3339(), label => page.t(&format!("petition-status-{}", e.status)), note => &e.note })
        .collect();
    let signed = match &page.viewer.user {
        Some(u) => store::has_signed(&state.db, tenant.community.id, p.id, &one_person_key(u)).await?,
        None => false,
    };
    let own = page.viewer.user.as_ref().is_some_and(|u| u.id == p.author_id);
    let status = p.status();
    let recent = store::chain(&state.db, tenant.community.id, p.id, (p.signature_count - 10).max(0), 10).await?;
    let editable_by_me = own && status.editable();
    let attached = files::list(&state, tenant.community.id, p.id).await?;
    // Before submitting, the author sees what is already collecting on the same subject.
    let similar: Vec<Value> = if editable_by_me {
        store::similar(&state.db, tenant.community.id, &p.title, p.id, 5)
            .await?
            .iter()
            .map(|s| summary(&page, s))
            .collect()
    } else {
        vec![]
    };
    page.render(
        "petitions/show.html",
        context! {
            p => summary(&page, &p),
            body => hromada_web::Value::from_safe_string(hromada_web::markdown::render(&p.body)),
            author => &p.author_name,
            category => page.t(&format!("petition-category-{}", p.category)),
            created_at => p.created_at.to_rfc3339(),
            submitted_at => p.submitted_at.map(|t| t.to_rfc3339()),
            moderation_due => p.moderation_due.map(|d| d.format("%d.%m.%Y").to_string()),
            consideration_due => p.consideration_due.map(|d| d.format("%d.%m.%Y").to_string()),
            refusal => p.refusal_reason.as_ref().map(|r| page.t(&format!("petition-refusal-{r}"))),
            refusal_text => &p.refusal_text,
            decision => p.decision.as_ref().map(|d| page.t(&format!("petition-decision-{d}"))),
            answer => p.answer_text.as_ref().map(|a| hromada_web::Value::from_safe_string(hromada_web::markdown::render(a))),
            events => events,
            head => hex::encode(&p.chain_head),
            recent => Serde(&recent),
            collecting => status == Status::Collecting,
            editable_by_me => editable_by_me,
            may_pass_on => own && status == Status::FellShort,
            similar => similar,
            files => files::for_page(&page, &attached),
            signed => signed,
            sign_level => page.t(&format!("level-{}", required_level(&tenant.community, &SIGN).code())),
        },
    )
}

/// The signed-in author and their petition; anyone else's is not found.
async fn authors_own(state: &AppState, viewer: &Viewer, tenant: &Tenant, number: i64) -> AppResult<(User, Petition)> {
    let user = viewer.require_user()?.clone();
    let p = store::by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    if p.author_id != user.id {
        return Err(AppError::NotFound);
    }
    Ok((user, p))
}

async fn submit(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (user, p) = authors_own(&state, &page.viewer, &tenant, number).await?;
    let calendar = holidays::calendar(&state.db).await?;
    match store::step(&state.db, tenant.community.id, p.id, Action::Submit, Some(user.id), "", &calendar, state.now())
        .await
    {
        Ok(_) => Ok(page
            .redirect_with(&tenant.url(&format!("/petitions/{number}")), Flash::success("petition-flash-submitted"))),
        Err(store::StepError::Transition(_)) => Err(AppError::Conflict("petition-error-step")),
        Err(store::StepError::Db(e)) => Err(e.into()),
    }
}

/// The author of a petition that fell short passes it on, to be handled as an ordinary appeal.
async fn pass_on(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (user, p) = authors_own(&state, &page.viewer, &tenant, number).await?;
    let calendar = holidays::calendar(&state.db).await?;
    let now = state.now();
    let passed = match store::step(
        &state.db,
        tenant.community.id,
        p.id,
        Action::PassAsAppeal,
        Some(user.id),
        "",
        &calendar,
        now,
    )
    .await
    {
        Ok(passed) => passed,
        Err(store::StepError::Transition(_)) => return Err(AppError::Conflict("petition-error-step")),
        Err(store::StepError::Db(e)) => return Err(e.into()),
    };
    let actor = hromada_db::core::audit::Actor::user(&user);
    state.audit(Some(tenant.community.id), &actor, "petition.pass_as_appeal", "petition", p.id, &p.title).await?;
    notify::officials(&state, &tenant.community, &passed, Notice::PassedAsAppeal).await?;
    state
        .publish(hromada_kernel::DomainEvent::PetitionPassedAsAppeal {
            community: tenant.community.id,
            petition: passed.id,
            number: passed.number,
            author: passed.author_id,
            title: passed.title.clone(),
            body: passed.body.clone(),
            signatures: passed.signature_count,
            at: now,
        })
        .await;
    Ok(page.redirect_with(&tenant.url(&format!("/petitions/{number}")), Flash::success("petition-flash-passed-on")))
}

fn refusal_author_key(r: SignRefusal) -> &'static str {
    match r {
        SignRefusal::UnderAge(_) => "petition-author-under-age",
        SignRefusal::AgeUnknown => "petition-author-age-unknown",
        SignRefusal::NotResident => "petition-author-not-resident",
        other => refusal_key(other),
    }
}

pub(crate) fn refusal_key(r: SignRefusal) -> &'static str {
    match r {
        SignRefusal::NotCollecting => "petition-refused-not-collecting",
        SignRefusal::PeriodOver => "petition-refused-period-over",
        SignRefusal::NotVerifiedEnough(IdentityLevel::Eid) => "error-identity-eid",
        SignRefusal::NotVerifiedEnough(IdentityLevel::Phone) => "error-identity-phone",
        SignRefusal::NotVerifiedEnough(_) => "error-identity-email",
        SignRefusal::UnderAge(_) => "petition-refused-under-age",
        SignRefusal::AgeUnknown => "petition-refused-age-unknown",
        SignRefusal::NotResident => "petition-refused-not-resident",
    }
}

/// What came of an attempt to sign.
pub(crate) enum Signing {
    Refused(SignRefusal),
    Done { outcome: SignOutcome, receipt: String },
}

/// Checks the statute's rules for this signer, takes the signature through the writer (it is on
/// disk when this returns), and tells the author and the officials when it reached the threshold.
pub(crate) async fn sign_as(
    state: &AppState,
    tenant: &Tenant,
    user: &User,
    client: &ClientIp,
    p: &Petition,
) -> AppResult<Signing> {
    // Per account, and per address (generous: a CNAP hall or a school shares one address).
    let minute = std::time::Duration::from_secs(60);
    if !state.limiter.hit(&format!("sign:{}", user.id), 30, minute)
        || (client.known() && !state.limiter.hit(&format!("sign-ip:{}", client.0), 600, minute))
    {
        return Err(AppError::TooManyRequests);
    }
    let rules: Rules = rules_of(&tenant.community);
    let now = state.now();
    let signer = person(user);
    let ends = p.collection_ends.unwrap_or(now.date_naive());
    let required = required_level(&tenant.community, &SIGN);
    if let Err(refusal) = domain::may_sign(&rules, required, p.status(), ends, now.date_naive(), &signer) {
        return Ok(Signing::Refused(refusal));
    }
    let writer =
        state.extension::<GroupCommit<SignatureWriter>>().ok_or_else(|| AppError::unexpected("no signature writer"))?;
    let receipt = hromada_web::auth::receipt_code();
    let request = SignRequest {
        community: tenant.community.id,
        petition: p.id,
        signer_key: one_person_key(user),
        user_id: Some(user.id),
        display_name: public_name(&user.full_name),
        receipt_code: receipt.clone(),
        at: now,
        network: client.network(),
    };
    let outcome = writer.submit(request).await.map_err(|e| AppError::unexpected(e.to_string()))?;
    if let SignOutcome::Signed { count, .. } = outcome
        && count == p.threshold
        && let Some(updated) = store::get(&state.db, tenant.community.id, p.id).await?
    {
        notify::author(state, &tenant.community, &updated, Notice::ThresholdReached).await?;
        notify::officials(state, &tenant.community, &updated, Notice::ThresholdReached).await?;
    }
    Ok(Signing::Done { outcome, receipt })
}

async fn sign(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    client: ClientIp,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    // Only a published petition can be signed; the writer checks its state again.
    let p = crate::petition_by_number(&state, tenant.community.id, number)
        .await?
        .filter(|p| p.status().public())
        .ok_or(AppError::NotFound)?;
    let back = tenant.url(&format!("/petitions/{number}"));
    match sign_as(&state, &tenant, &user, &client, &p).await? {
        Signing::Refused(refusal) => Ok(page.redirect_with(&back, Flash::error(refusal_key(refusal)))),
        Signing::Done { outcome: SignOutcome::Signed { seq, count }, receipt } => {
            let mut response = page.render(
                "petitions/signed.html",
                context! { number => number, title => &p.title, seq => seq, count => count, receipt => receipt, back => back },
            )?;
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Signing::Done { outcome: SignOutcome::AlreadySigned, .. } => {
            Ok(page.redirect_with(&back, Flash::info("petition-refused-already-signed")))
        }
        Signing::Done { outcome: SignOutcome::NotCollecting, .. } => {
            Ok(page.redirect_with(&back, Flash::error("petition-refused-not-collecting")))
        }
    }
}

async fn signatures(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let p = visible(&state, &tenant, &page.viewer, number).await?;
    if !p.status().public() {
        return Err(AppError::NotFound);
    }
    let n = q.page.unwrap_or(1).max(1);
    let per = 100;
    let entries = store::chain(&state.db, tenant.community.id, p.id, (n - 1) * per, per + 1).await?;
    let more = entries.len() as i64 > per;
    let rows: Vec<_> = entries.into_iter().take(per as usize).collect();
    page.render(
        "petitions/signatures.html",
        context! { p => summary(&page, &p), entries => Serde(&rows), page => n, more => more, head => hex::encode(&p.chain_head) },
    )
}
