//! Writing a project: the standard fields and cost breakdown, the contest's own questionnaire
//! (text, number, choice, file, location), images with their descriptions, and co-authors who
//! may edit and hand it in with the author; edits while a draft or returned for revision.

use crate::domain::{self, Phase, ProjectAction, QuestionKind};
use crate::store::{self, Category, Contest, Project, ProjectText};
use crate::web::{contest_by_number, contest_view, cost_error, refusal_key, today};
use crate::{KEY, SUBMIT};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::core::users::{self, User};
use hromada_kernel::{CommunityId, money};
use hromada_media::{Accept, Limits, MediaFile, NewFile, Processed, Upload};
use hromada_web::auth::eligibility_of;
use hromada_web::forms::FieldErrors;
use hromada_web::module::require_level;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Images one project may carry.
pub const MAX_IMAGES: usize = 5;
const IMAGE: &str = "image";
const ANSWER: &str = "answer";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/budget/{contest}/projects", post(create))
        .route("/budget/{contest}/projects/new", get(new_form))
        .route("/budget/projects/{number}/edit", get(edit_form).post(save_edit))
        .route("/budget/projects/{number}/submit", post(submit))
}

#[derive(Debug, Deserialize, Default, Serialize)]
pub struct ProjectForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    costs: String,
    /// E-mail addresses of co-authors' accounts, one a line or separated by commas.
    #[serde(default)]
    coauthors: String,
}

impl ProjectForm {
    fn of(p: &Project, coauthor_emails: &[String]) -> Self {
        ProjectForm {
            category: p.category_id.to_string(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            body: p.body.clone(),
            address: p.address.clone(),
            lat: p.lat.map(|v| v.to_string()).unwrap_or_default(),
            lon: p.lon.map(|v| v.to_string()).unwrap_or_default(),
            costs: domain::costs_text(&p.items.0),
            coauthors: coauthor_emails.join("\n"),
        }
    }

    /// The standard fields as the author wrote them; problems go under their fields.
    fn check(&self, page: &Page, categories: &[Category], errors: &mut FieldErrors) -> ProjectText {
        let category = categories.iter().find(|k| k.id.to_string() == self.category);
        if category.is_none() {
            errors.add("category", "budget-error-category");
        }
        let title = self.title.trim();
        if title.chars().count() < 5 || title.chars().count() > 200 {
            errors.add("title", "budget-error-title");
        }
        let summary = self.summary.trim();
        if summary.is_empty() || summary.chars().count() > 500 {
            errors.add("summary", "budget-error-summary");
        }
        if self.body.trim().chars().count() < 20 || self.body.chars().count() > 20_000 {
            errors.add("body", "budget-error-body");
        }
        if self.address.trim().is_empty() || self.address.chars().count() > 300 {
            errors.add("address", "budget-error-address");
        }
        let point = match (self.lat.trim(), self.lon.trim()) {
            ("", "") => None,
            (lat, lon) => match (lat.replace(',', ".").parse::<f64>(), lon.replace(',', ".").parse::<f64>()) {
                (Ok(lat), Ok(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                    Some((lat, lon))
                }
                _ => {
                    errors.add("lat", "budget-error-point");
                    None
                }
            },
        };
        let items = domain::parse_costs(&self.costs).unwrap_or_else(|e| {
            errors.add("costs", cost_error(page, &e));
            vec![]
        });
        if let (Some(k), Some(cost)) = (category, domain::total_cost(&items))
            && !items.is_empty()
            && !k.rules().admits_cost(cost)
        {
            let range = [("min", money::format(k.min_cost, page.lang)), ("max", money::format(k.max_cost, page.lang))];
            errors.add("costs", page.t_with("budget-error-cost-range", &range));
        }
        ProjectText {
            category_id: category.map(|k| k.id).unwrap_or_default(),
            title: title.to_owned(),
            summary: summary.to_owned(),
            body: self.body.trim().to_owned(),
            address: self.address.trim().to_owned(),
            point,
            items,
            answers: BTreeMap::new(),
        }
    }
}

/// Everything a project form sent, checked: the text, the answers, files to store, images to
/// drop, co-authors.
struct Written {
    text: ProjectText,
    /// New files for file questions, by question key.
    answer_files: Vec<(String, Processed)>,
    image: Option<Processed>,
    remove: Vec<Uuid>,
    coauthors: Vec<(hromada_kernel::UserId, String)>,
}

/// Reads and checks the whole form; on any problem, the form to show again with its errors.
#[allow(clippy::too_many_arguments)]
async fn read(
    state: &AppState,
    page: &Page,
    tenant: &Tenant,
    c: &Contest,
    categories: &[Category],
    upload: &mut Upload,
    existing: Option<(&Project, &[MediaFile])>,
    author: &User,
) -> AppResult<Result<Written, (ProjectForm, FieldErrors)>> {
    let form: ProjectForm = upload.form()?;
    let mut errors = FieldErrors::new();
    let mut text = form.check(page, categories, &mut errors);
    let limits = Limits::default();
    let mut answer_files = vec![];
    for q in &c.rules.questions {
        let field = format!("q_{}", q.key);
        let before = existing.and_then(|(p, _)| p.answers.get(&q.key).cloned()).unwrap_or_default();
        if q.kind == QuestionKind::File {
            let mut files = upload.process(&field, Accept::Any, &limits).await;
            match files.pop() {
                Some(file) => answer_files.push((q.key.clone(), file)),
                None if before.is_empty() && q.required => errors.add(&field, "budget-answer-required"),
                None => {
                    text.answers.insert(q.key.clone(), before);
                }
            }
            continue;
        }
        match domain::check_answer(q, upload.text(&field)) {
            Ok(answer) => {
                text.answers.insert(q.key.clone(), answer);
            }
            Err(key) => errors.add(&field, key),
        }
    }
    let mut images = upload.process(IMAGE, Accept::Images, &limits).await;
    let image = images.pop();
    if image.as_ref().is_some_and(|i| i.alt_text.as_deref().is_none_or(|a| a.trim().is_empty())) {
        errors.add("image_alt", "budget-error-image-alt");
    }
    let remove: Vec<Uuid> = upload.texts("remove_file").filter_map(|id| Uuid::parse_str(id).ok()).collect();
    let kept =
        existing.map_or(0, |(_, files)| files.iter().filter(|f| f.purpose == IMAGE && !remove.contains(&f.id)).count());
    if image.is_some() && kept >= MAX_IMAGES {
        errors.add(IMAGE, "budget-error-images");
    }
    let mut coauthors = vec![];
    for email in form.coauthors.split([',', '\n', ';']).map(str::trim).filter(|e| !e.is_empty()) {
        match users::by_email(&state.db, tenant.community.id, email).await? {
            Some(u) if u.id != author.id => coauthors.push((u.id, u.full_name.clone())),
            Some(_) => {}
            None => errors.add("coauthors", page.t_with("budget-error-coauthor", &[("email", email.to_owned())])),
        }
    }
    for (field, keys) in std::mem::take(&mut upload.errors).0 {
        for key in keys {
            errors.add(&field, key);
        }
    }
    if errors.is_empty() {
        Ok(Ok(Written { text, answer_files, image, remove, coauthors }))
    } else {
        Ok(Err((form, errors)))
    }
}

/// Stores what [`read`] accepted for the project: files first (a file answer is its id), then
/// the text, the co-authors.
async fn save(
    state: &AppState,
    community: CommunityId,
    project: Uuid,
    mut written: Written,
    by: &User,
    public: bool,
) -> AppResult<ProjectText> {
    let object = project.to_string();
    let store_one = |file: Processed, purpose: &'static str| {
        let object = object.clone();
        async move {
            let new = NewFile { owner: KEY, object_id: Some(&object), purpose, public, created_by: Some(by.id) };
            hromada_media::store::save(&state.db, community, &file, &new, state.now()).await
        }
    };
    for (key, file) in written.answer_files.drain(..) {
        let saved = store_one(file, ANSWER).await?;
        written.text.answers.insert(key, saved.id.to_string());
    }
    if let Some(image) = written.image.take() {
        store_one(image, IMAGE).await?;
    }
    let mine = hromada_media::store::list_for(&state.db, community, KEY, &object).await?;
    for id in written.remove.iter().filter(|id| mine.iter().any(|f| f.id == **id && f.purpose == IMAGE)) {
        hromada_media::store::delete(&state.db, community, KEY, *id).await?;
    }
    // A file answer replaced by a new one leaves the old file behind: drop it.
    let answered: Vec<&String> = written.text.answers.values().collect();
    for old in mine.iter().filter(|f| f.purpose == ANSWER && !answered.contains(&&f.id.to_string())) {
        hromada_media::store::delete(&state.db, community, KEY, old.id).await?;
    }
    store::set_coauthors(&state.db, community, project, &written.coauthors).await?;
    Ok(written.text)
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    page: &Page,
    c: &Contest,
    categories: &[Category],
    form: &ProjectForm,
    errors: &FieldErrors,
    existing: Option<(&Project, &[MediaFile])>,
    upload: Option<&Upload>,
) -> AppResult<Response> {
    let options: Vec<Value> = categories
        .iter()
        .map(|k| {
            context! {
                value => k.id.to_string(),
                label => format!("{} ({}–{})", k.name(page.lang), money::format(k.min_cost, page.lang), money::format(k.max_cost, page.lang)),
            }
        })
        .collect();
    let files = existing.map(|(_, f)| f).unwrap_or_default();
    let questions: Vec<Value> = c
        .rules
        .questions
        .iter()
        .map(|q| {
            let field = format!("q_{}", q.key);
            let stored = existing.and_then(|(p, _)| p.answers.get(&q.key).cloned()).unwrap_or_default();
            let value = upload.map_or(stored.clone(), |u| u.text(&field).to_owned());
            let file = (q.kind == QuestionKind::File)
                .then(|| files.iter().find(|f| f.id.to_string() == stored).map(|f| f.file_name.clone()))
                .flatten();
            let options: Vec<Value> = q.options.iter().map(|o| context! { value => o, label => o }).collect();
            context! {
                field => field, label => &q.label, kind => q.kind.code(), required => q.required,
                value => value, options => options, file => file,
            }
        })
        .collect();
    let images: Vec<Value> = hromada_media::view::describe_all(page, files, IMAGE);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let number = existing.map(|(p, _)| p.number);
    page.render_status(
        status,
        "budget/project_form.html",
        context! {
            c => contest_view(page, c, today(state)),
            categories => options,
            form => Serde(form),
            errors => Serde(errors),
            number => number,
            questions => questions,
            images => images,
            max_images => MAX_IMAGES,
            action => match number {
                Some(n) => page.url(&format!("/budget/projects/{n}/edit")),
                None => page.url(&format!("/budget/{}/projects", c.number)),
            },
        },
    )
}

/// The identity level for authors, then the phase and the regulation's age and residency; a
/// refusal is a page back to the contest with the reason.
fn check_author(state: &AppState, page: &Page, tenant: &Tenant, c: &Contest) -> AppResult<Result<User, Response>> {
    require_level(&page.viewer, &tenant.community, &SUBMIT)?;
    let user = page.viewer.require_user()?.clone();
    let back = tenant.url(&format!("/budget/{}", c.number));
    if c.phase_at(today(state)) != Phase::Submission {
        return Ok(Err(page.redirect_with(&back, Flash::error("budget-refused-not-submission"))));
    }
    if let Err(e) = c.rules.admits(today(state), &eligibility_of(&user)) {
        return Ok(Err(page.redirect_with(&back, Flash::error(refusal_key(e, true)))));
    }
    Ok(Ok(user))
}

async fn new_form(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    if let Err(refused) = check_author(&state, &page, &tenant, &c)? {
        return Ok(refused);
    }
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    render_form(&state, &page, &c, &categories, &ProjectForm::default(), &FieldErrors::new(), None, None).await
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    mut upload: Upload,
) -> AppResult<Response> {
    let c = contest_by_number(&state, &tenant, number).await?;
    let user = match check_author(&state, &page, &tenant, &c)? {
        Ok(user) => user,
        Err(refused) => return Ok(refused),
    };
    if !state.limiter.hit(&format!("budget-project:{}", user.id), 20, std::time::Duration::from_secs(3600)) {
        return Err(AppError::TooManyRequests);
    }
    let categories = store::categories(&state.db, tenant.community.id, c.id).await?;
    let written = match read(&state, &page, &tenant, &c, &categories, &mut upload, None, &user).await? {
        Ok(written) => written,
        Err((form, errors)) => {
            return render_form(&state, &page, &c, &categories, &form, &errors, None, Some(&upload)).await;
        }
    };
    let community = tenant.community.id;
    let p = store::create_project(&state.db, community, c.id, (user.id, &user.full_name), &written.text, state.now())
        .await?;
    let text = save(&state, community, p.id, written, &user, false).await?;
    store::update_project(&state.db, community, p.id, &text).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/budget/projects/{}", p.number)), Flash::success("budget-flash-draft")))
}

/// A project the signed-in person writes (as its author or a co-author), with the contest.
async fn own(state: &AppState, page: &Page, tenant: &Tenant, number: i64) -> AppResult<(User, Project, Contest)> {
    let user = page.viewer.require_user()?.clone();
    let p = store::project_by_number(&state.db, tenant.community.id, number).await?.ok_or(AppError::NotFound)?;
    let coauthor = store::coauthors(&state.db, tenant.community.id, p.id).await?.iter().any(|(id, _)| *id == user.id);
    if p.author_id != user.id && !coauthor {
        return Err(AppError::NotFound);
    }
    let c = store::contest(&state.db, tenant.community.id, p.contest_id).await?.ok_or(AppError::NotFound)?;
    Ok((user, p, c))
}

/// [`own`], still open to changes.
async fn editable(state: &AppState, page: &Page, tenant: &Tenant, number: i64) -> AppResult<(User, Project, Contest)> {
    let (user, p, c) = own(state, page, tenant, number).await?;
    if !p.status().editable() || c.phase_at(today(state)) >= Phase::Voting {
        return Err(AppError::Conflict("budget-error-not-editable"));
    }
    Ok((user, p, c))
}

async fn coauthor_emails(state: &AppState, community: CommunityId, project: Uuid) -> AppResult<Vec<String>> {
    let mut emails = vec![];
    for (id, _) in store::coauthors(&state.db, community, project).await? {
        if let Some(email) = users::by_id(&state.db, community, id).await?.and_then(|u| u.email) {
            emails.push(email);
        }
    }
    Ok(emails)
}

async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (_, p, c) = editable(&state, &page, &tenant, number).await?;
    let community = tenant.community.id;
    let categories = store::categories(&state.db, community, c.id).await?;
    let files = hromada_media::store::list_for(&state.db, community, KEY, &p.id.to_string()).await?;
    let form = ProjectForm::of(&p, &coauthor_emails(&state, community, p.id).await?);
    render_form(&state, &page, &c, &categories, &form, &FieldErrors::new(), Some((&p, &files)), None).await
}

async fn save_edit(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
    mut upload: Upload,
) -> AppResult<Response> {
    let (user, p, c) = editable(&state, &page, &tenant, number).await?;
    let community = tenant.community.id;
    let categories = store::categories(&state.db, community, c.id).await?;
    let files = hromada_media::store::list_for(&state.db, community, KEY, &p.id.to_string()).await?;
    // The author stays the author when a co-author saves.
    let author = users::by_id(&state.db, community, p.author_id).await?.unwrap_or_else(|| user.clone());
    let written = match read(&state, &page, &tenant, &c, &categories, &mut upload, Some((&p, &files)), &author).await? {
        Ok(written) => written,
        Err((form, errors)) => {
            let existing = Some((&p, files.as_slice()));
            return render_form(&state, &page, &c, &categories, &form, &errors, existing, Some(&upload)).await;
        }
    };
    let text = save(&state, community, p.id, written, &user, p.status().public()).await?;
    if !store::update_project(&state.db, community, p.id, &text).await? {
        return Err(AppError::Conflict("budget-error-not-editable"));
    }
    Ok(page.redirect_with(&tenant.url(&format!("/budget/projects/{number}")), Flash::success("budget-flash-saved")))
}

async fn submit(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (user, p, _) = own(&state, &page, &tenant, number).await?;
    let review = store::Review::default();
    let community = tenant.community.id;
    match store::step(
        &state.db,
        community,
        p.id,
        ProjectAction::Submit,
        Some(user.id),
        &review,
        state.now(),
        today(&state),
    )
    .await
    {
        Ok(_) => {
            // Handed in, it is public, and so are its images and files.
            hromada_media::store::set_public(&state.db, community, KEY, &p.id.to_string(), true).await?;
            Ok(page.redirect_with(
                &tenant.url(&format!("/budget/projects/{number}")),
                Flash::success("budget-flash-submitted"),
            ))
        }
        Err(store::StepError::RevisionOverdue(_)) => Ok(page.redirect_with(
            &tenant.url(&format!("/budget/projects/{number}")),
            Flash::error("budget-error-revision-overdue"),
        )),
        Err(store::StepError::Transition(_) | store::StepError::NotEnoughSupports(..)) => {
            Err(AppError::Conflict("budget-error-step"))
        }
        Err(store::StepError::Db(e)) => Err(e.into()),
    }
}

/// What a project page shows of the questionnaire, the images and the co-authors.
pub async fn extras(
    state: &AppState,
    page: &Page,
    c: &Contest,
    p: &Project,
    coauthors: &[(hromada_kernel::UserId, String)],
) -> AppResult<Value> {
    let community = page.tenant.as_ref().map(|t| t.community.id).ok_or(AppError::NotFound)?;
    let files = hromada_media::store::list_for(&state.db, community, KEY, &p.id.to_string()).await?;
    let answers: Vec<Value> = c
        .rules
        .questions
        .iter()
        .filter_map(|q| {
            let value = p.answers.get(&q.key).filter(|v| !v.is_empty())?;
            let file = (q.kind == QuestionKind::File)
                .then(|| files.iter().find(|f| f.id.to_string() == *value))
                .flatten()
                .map(|f| hromada_media::view::describe(page, f));
            Some(context! { label => &q.label, value => value, file => file })
        })
        .collect();
    let coauthors: Vec<String> = coauthors.iter().map(|(_, name)| name.clone()).collect();
    Ok(context! {
        answers => answers,
        images => hromada_media::view::describe_all(page, &files, IMAGE),
        coauthors => coauthors,
    })
}
