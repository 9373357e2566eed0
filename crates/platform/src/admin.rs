//! `/admin`: the community staff's shell — dashboard, users and roles, departments,
//! settlements, settings, and the audit log. Every change is audited.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use hromada_db::DbError;
use hromada_db::core::audit::{self, Actor};
use hromada_db::core::communities::{self, Contacts};
use hromada_db::core::users::{self, User};
use hromada_db::core::{departments, roles, settlements};
use hromada_kernel::{IdentityLevel, Permission, Role};
use hromada_web::auth::{self, Viewer};
use hromada_web::forms::FieldErrors;
use hromada_web::module::required_level;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Serde, Tenant, Value, context};
use serde::Deserialize;
use uuid::Uuid;

const PAGE_SIZE: i64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard))
        .route("/users", get(users_page))
        .route("/users/{id}", get(user_page))
        .route("/users/{id}/roles", post(grant_role))
        .route("/users/{id}/roles/{role}/revoke", post(revoke_role))
        .route("/users/{id}/verify", post(verify_in_person))
        .route("/users/{id}/idp", post(record_idp))
        .route("/users/{id}/departments", post(assign_department))
        .route("/users/{id}/departments/{dept}/remove", post(unassign_department))
        .route("/departments", get(departments_page).post(create_department))
        .route("/departments/{id}/delete", post(delete_department))
        .route("/departments/{id}/head", post(set_department_head))
        .route("/settlements", get(settlements_page).post(create_settlement))
        .route("/settlements/{id}/delete", post(delete_settlement))
        .route("/settings", get(settings_page).post(save_settings))
        .route("/settings/identity", post(save_identity_levels))
        .route("/audit", get(audit_page))
}

fn actor(user: &User) -> Actor {
    Actor::user(user)
}

/// The admin menu: core sections and the modules' sections this viewer may open.
fn menu(page: &Page, viewer: &Viewer) -> Vec<Value> {
    let core = [
        ("admin-dashboard", "/admin", Permission::EnterAdmin),
        ("admin-users", "/admin/users", Permission::ManageUsers),
        ("admin-departments", "/admin/departments", Permission::ManageDepartments),
        ("admin-settlements", "/admin/settlements", Permission::ManageSettlements),
        ("admin-settings", "/admin/settings", Permission::ManageSettings),
        ("admin-audit", "/admin/audit", Permission::ViewAuditLog),
    ];
    let modules = page.state.admin_sections.iter().map(|s| (s.label, s.path, s.permission));
    core.into_iter()
        .chain(modules)
        .filter(|(_, _, p)| viewer.may(*p) || (*p == Permission::ManageUsers && viewer.may(Permission::VerifyInPerson)))
        .map(|(label, path, _)| {
            let href = page.url(path);
            let current = page.path == href;
            context! { label => page.t(label), href => href, current => current }
        })
        .collect()
}

fn render(page: &Page, viewer: &Viewer, status: StatusCode, template: &str, extra: Value) -> AppResult<Response> {
    page.render_status(status, template, context! { ..extra, ..context! { admin_menu => menu(page, viewer) } })
}

async fn dashboard(State(state): State<AppState>, page: Page, viewer: Viewer, tenant: Tenant) -> AppResult<Response> {
    viewer.require(Permission::EnterAdmin)?;
    let community = tenant.community.id;
    let figures = [
        ("stat-users", users::count(&state.db, community).await?),
        ("stat-staff", roles::staff(&state.db, community).await?.len() as i64),
        ("stat-departments", departments::list(&state.db, community).await?.len() as i64),
        ("stat-settlements", settlements::list(&state.db, community).await?.len() as i64),
    ];
    let mut stats: Vec<Value> =
        figures.iter().map(|(label, n)| context! { label => page.t_count(label, *n), value => n }).collect();
    for module in &state.modules {
        for (label, value) in module.stats(&state.db, &tenant.community).await? {
            stats.push(context! { label => page.t_count(label, value), value => value });
        }
    }
    let my_roles: Vec<String> = viewer.roles.iter().map(|r| page.t(&format!("role-{}", r.code()))).collect();
    render(&page, &viewer, StatusCode::OK, "admin/dashboard.html", context! { stats => stats, roles => my_roles })
}

// ---------- users and roles ----------

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

fn may_see_users(viewer: &Viewer) -> AppResult<&User> {
    let user = viewer.require_user()?;
    if viewer.may(Permission::ManageUsers) || viewer.may(Permission::VerifyInPerson) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn users_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    may_see_users(&viewer)?;
    let n = q.page.unwrap_or(1).max(1);
    let list = users::search(&state.db, tenant.community.id, &q.q, PAGE_SIZE + 1, (n - 1) * PAGE_SIZE).await?;
    let more = list.len() as i64 > PAGE_SIZE;
    let rows: Vec<Value> = list
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|u| {
            context! {
                id => u.id.to_string(),
                name => &u.full_name,
                email => &u.email,
                level => u.identity_level().code(),
                created_at => u.created_at.to_rfc3339(),
            }
        })
        .collect();
    let staff = roles::staff(&state.db, tenant.community.id).await?;
    let staff_rows: Vec<Value> = staff
        .iter()
        .map(|s| context! { id => s.user_id.to_string(), name => &s.full_name, role => page.t(&format!("role-{}", s.role)) })
        .collect();
    render(
        &page,
        &viewer,
        StatusCode::OK,
        "admin/users.html",
        context! { users => rows, staff => staff_rows, q => q.q, page => n, more => more },
    )
}

async fn load_user(state: &AppState, tenant: &Tenant, id: Uuid) -> AppResult<User> {
    users::by_id(&state.db, tenant.community.id, id).await?.ok_or(AppError::NotFound)
}

async fn user_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    may_see_users(&viewer)?;
    let user = load_user(&state, &tenant, id).await?;
    render_user(&state, &page, &viewer, &tenant, &user, &FieldErrors::new(), StatusCode::OK).await
}

async fn render_user(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    tenant: &Tenant,
    user: &User,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let community = tenant.community.id;
    let held = roles::roles_of(&state.db, community, user.id).await?;
    let role_rows: Vec<Value> = Role::ALL
        .iter()
        .map(
            |r| context! { code => r.code(), label => page.t(&format!("role-{}", r.code())), held => held.contains(r) },
        )
        .collect();
    let all_departments = departments::list(&state.db, community).await?;
    let mine = departments::departments_of(&state.db, community, user.id).await?;
    let dept_rows: Vec<Value> = all_departments
        .iter()
        .map(|d| context! { id => d.id.to_string(), name => &d.name_uk, assigned => mine.contains(&d.id) })
        .collect();
    let settlement = match user.settlement_id {
        Some(s) => settlements::list(&state.db, community)
            .await?
            .into_iter()
            .find(|x| x.id == s)
            .map(|x| x.name(page.lang).to_owned()),
        None => None,
    };
    let filter = audit::Filter { target_id: Some(user.id.to_string()), ..Default::default() };
    let history = audit::list(&state.db, Some(community), &filter, 20, 0).await?;
    render(
        page,
        viewer,
        status,
        "admin/user.html",
        context! {
            subject => context! {
                id => user.id.to_string(),
                name => &user.full_name,
                email => &user.email,
                level => user.identity_level().code(),
                confirmed => user.email_confirmed_at.is_some(),
                birth_year => user.birth_year,
                settlement => settlement,
                verified_in_person => user.verified_in_person_at.map(|t| t.to_rfc3339()),
                eid_verified => user.eid_verified_at.map(|t| t.to_rfc3339()),
                idp_registered => user.idp_registered_at.map(|t| t.to_rfc3339()),
                created_at => user.created_at.to_rfc3339(),
            },
            roles => role_rows,
            departments => dept_rows,
            history => Serde(&history),
            may_manage_roles => viewer.may(Permission::ManageRoles),
            may_verify => viewer.may(Permission::VerifyInPerson),
            errors => Serde(errors),
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn grant_role(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageRoles)?;
    let user = load_user(&state, &tenant, id).await?;
    let role = Role::parse(&form.role).ok_or(AppError::NotFound)?;
    if roles::grant(&state.db, tenant.community.id, user.id, role, state.now()).await? {
        let summary = format!("{} → {}", user.full_name, role.code());
        state.audit(Some(tenant.community.id), &actor(me), "role.grant", "user", user.id, &summary).await?;
    }
    Ok(page.redirect_with(&tenant.url(&format!("/admin/users/{id}")), Flash::success("flash-role-granted")))
}

async fn revoke_role(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, role)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageRoles)?;
    let user = load_user(&state, &tenant, id).await?;
    let role = Role::parse(&role).ok_or(AppError::NotFound)?;
    if user.id == me.id && role == Role::Admin {
        // An administrator cannot lock the community out of its own admin by accident.
        return Ok(page
            .redirect_with(&tenant.url(&format!("/admin/users/{id}")), Flash::error("flash-cannot-revoke-own-admin")));
    }
    if roles::revoke(&state.db, tenant.community.id, user.id, role).await? {
        let summary = format!("{} ✕ {}", user.full_name, role.code());
        state.audit(Some(tenant.community.id), &actor(me), "role.revoke", "user", user.id, &summary).await?;
    }
    Ok(page.redirect_with(&tenant.url(&format!("/admin/users/{id}")), Flash::success("flash-role-revoked")))
}

#[derive(Debug, Deserialize, Default)]
pub struct VerifyForm {
    #[serde(default)]
    tax_number: String,
    #[serde(default)]
    document_checked: Option<String>,
}

/// CNAP staff check an identity document at the counter and bind the account to the person.
async fn verify_in_person(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<VerifyForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::VerifyInPerson)?.clone();
    let user = load_user(&state, &tenant, id).await?;
    let mut errors = FieldErrors::new();
    if form.document_checked.is_none() {
        errors.add("document_checked", "invalid-document_checked");
    }
    let key = auth::person_key(&state.config.secret, &form.tax_number);
    if key.is_none() {
        errors.add("tax_number", "invalid-tax_number");
    }
    if let (true, Some(key)) = (errors.is_empty(), key) {
        let proof = users::PersonProof::InPerson { by: me.id };
        match users::set_person_key(&state.db, tenant.community.id, user.id, &key, proof, state.now()).await {
            Ok(()) => {
                state
                    .audit(
                        Some(tenant.community.id),
                        &actor(&me),
                        "user.verify_in_person",
                        "user",
                        user.id,
                        &user.full_name,
                    )
                    .await?;
                return Ok(page.redirect_with(
                    &tenant.url(&format!("/admin/users/{id}")),
                    Flash::success("flash-verified-in-person"),
                ));
            }
            Err(DbError::Unique(_)) => errors.add("tax_number", "person-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    render_user(&state, &page, &viewer, &tenant, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Debug, Deserialize, Default)]
pub struct IdpForm {
    #[serde(default)]
    registered: String,
}

/// CNAP staff record, after seeing the certificate, that the person is an internally displaced
/// person registered in the community (or withdraw it); statutes may count them as residents.
async fn record_idp(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<IdpForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::VerifyInPerson)?.clone();
    let user = load_user(&state, &tenant, id).await?;
    let registered = form.registered == "yes";
    let by = registered.then_some(me.id);
    users::set_idp_registered(&state.db, tenant.community.id, user.id, by, state.now()).await?;
    let action = if registered { "user.idp_registered" } else { "user.idp_withdrawn" };
    state.audit(Some(tenant.community.id), &actor(&me), action, "user", user.id, &user.full_name).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/users/{id}")), Flash::success("flash-saved")))
}

#[derive(Debug, Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    department_id: String,
}

async fn assign_department(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageRoles)?;
    let user = load_user(&state, &tenant, id).await?;
    let dept = Uuid::parse_str(&form.department_id).map_err(|_| AppError::NotFound)?;
    let list = departments::list(&state.db, tenant.community.id).await?;
    let d = list.iter().find(|d| d.id == dept).ok_or(AppError::NotFound)?;
    departments::add_officer(&state.db, tenant.community.id, dept, user.id).await?;
    let summary = format!("{} → {}", user.full_name, d.name_uk);
    state.audit(Some(tenant.community.id), &actor(me), "department.assign", "user", user.id, &summary).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/users/{id}")), Flash::success("flash-saved")))
}

async fn unassign_department(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path((id, dept)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageRoles)?;
    let user = load_user(&state, &tenant, id).await?;
    departments::remove_officer(&state.db, tenant.community.id, dept, user.id).await?;
    state.audit(Some(tenant.community.id), &actor(me), "department.unassign", "user", user.id, &user.full_name).await?;
    Ok(page.redirect_with(&tenant.url(&format!("/admin/users/{id}")), Flash::success("flash-saved")))
}

// ---------- departments ----------

#[derive(Debug, Deserialize, Default)]
pub struct DepartmentForm {
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    email: String,
}

async fn departments_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::ManageDepartments)?;
    render_departments(&state, &page, &viewer, &tenant, &DepartmentForm::default(), &FieldErrors::new(), StatusCode::OK)
        .await
}

async fn render_departments(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    tenant: &Tenant,
    form: &DepartmentForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let list = departments::list(&state.db, tenant.community.id).await?;
    let officers = departments::officers(&state.db, tenant.community.id).await?;
    let rows: Vec<Value> = list
        .iter()
        .map(|d| {
            let own: Vec<Value> = officers
                .iter()
                .filter(|o| o.department_id == d.id)
                .map(|o| context! { value => o.user_id.to_string(), label => &o.full_name })
                .collect();
            let names: Vec<String> = officers.iter().filter(|o| o.department_id == d.id).map(|o| o.full_name.clone()).collect();
            context! {
                id => d.id.to_string(), name_uk => &d.name_uk, name_en => &d.name_en, email => &d.email, officers => names,
                choices => own, head => d.head_id.map(|h| h.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    render(
        page,
        viewer,
        status,
        "admin/departments.html",
        context! {
            departments => rows,
            form => context! { name_uk => &form.name_uk, name_en => &form.name_en, email => &form.email },
            errors => Serde(errors),
        },
    )
}

fn optional(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

#[derive(Debug, Deserialize, Default)]
pub struct HeadForm {
    #[serde(default)]
    head: String,
}

/// The head gets the overdue work of the department escalated to them.
async fn set_department_head(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
    Form(form): Form<HeadForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageDepartments)?;
    let head = match form.head.trim() {
        "" => None,
        raw => Some(Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?),
    };
    let back = tenant.url("/admin/departments");
    if !departments::set_head(&state.db, tenant.community.id, id, head).await? {
        return Ok(page.redirect_with(&back, Flash::error("flash-department-head-not-officer")));
    }
    let summary = head.map(|h| h.to_string()).unwrap_or_else(|| "—".into());
    state.audit(Some(tenant.community.id), &actor(me), "department.head", "department", id, &summary).await?;
    Ok(page.redirect_with(&back, Flash::success("flash-saved")))
}

async fn create_department(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<DepartmentForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageDepartments)?;
    let mut errors = FieldErrors::new();
    if !(2..=200).contains(&form.name_uk.trim().chars().count()) {
        errors.add("name_uk", "invalid-name_uk");
    }
    if optional(&form.email).is_some_and(|e| !e.contains('@')) {
        errors.add("email", "invalid-email");
    }
    if !errors.is_empty() {
        return render_departments(&state, &page, &viewer, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let id = departments::create(
        &state.db,
        tenant.community.id,
        form.name_uk.trim(),
        optional(&form.name_en),
        optional(&form.email),
        state.now(),
    )
    .await?;
    state
        .audit(Some(tenant.community.id), &actor(me), "department.create", "department", id, form.name_uk.trim())
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/departments"), Flash::success("flash-saved")))
}

async fn delete_department(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageDepartments)?;
    if !departments::delete(&state.db, tenant.community.id, id).await? {
        return Err(AppError::NotFound);
    }
    state.audit(Some(tenant.community.id), &actor(me), "department.delete", "department", id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/departments"), Flash::success("flash-deleted")))
}

// ---------- settlements ----------

#[derive(Debug, Deserialize, Default)]
pub struct SettlementForm {
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    starosta_district: String,
}

async fn settlements_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::ManageSettlements)?;
    render_settlements(&state, &page, &viewer, &tenant, &SettlementForm::default(), &FieldErrors::new(), StatusCode::OK)
        .await
}

async fn render_settlements(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    tenant: &Tenant,
    form: &SettlementForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let list = settlements::list(&state.db, tenant.community.id).await?;
    let rows: Vec<Value> = list
        .iter()
        .map(|s| {
            context! {
                id => s.id.to_string(), name_uk => &s.name_uk, name_en => &s.name_en,
                kind => page.t(&format!("settlement-kind-{}", s.kind)), starosta_district => &s.starosta_district,
            }
        })
        .collect();
    let kinds: Vec<Value> = settlements::KINDS
        .iter()
        .map(|k| context! { value => *k, label => page.t(&format!("settlement-kind-{k}")) })
        .collect();
    render(
        page,
        viewer,
        status,
        "admin/settlements.html",
        context! {
            settlements => rows,
            kinds => kinds,
            form => context! { name_uk => &form.name_uk, name_en => &form.name_en, kind => &form.kind, starosta_district => &form.starosta_district },
            errors => Serde(errors),
        },
    )
}

async fn create_settlement(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<SettlementForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettlements)?;
    let mut errors = FieldErrors::new();
    if !(2..=200).contains(&form.name_uk.trim().chars().count()) {
        errors.add("name_uk", "invalid-name_uk");
    }
    if !settlements::KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "invalid-kind");
    }
    if !errors.is_empty() {
        return render_settlements(&state, &page, &viewer, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let id = settlements::create(
        &state.db,
        tenant.community.id,
        form.name_uk.trim(),
        optional(&form.name_en),
        &form.kind,
        optional(&form.starosta_district),
    )
    .await?;
    state
        .audit(Some(tenant.community.id), &actor(me), "settlement.create", "settlement", id, form.name_uk.trim())
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/settlements"), Flash::success("flash-saved")))
}

async fn delete_settlement(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettlements)?;
    match settlements::delete(&state.db, tenant.community.id, id).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        Err(DbError::Unique(_)) => {
            return Ok(page.redirect_with(&tenant.url("/admin/settlements"), Flash::error("flash-settlement-in-use")));
        }
        Err(e) => return Err(e.into()),
    }
    state.audit(Some(tenant.community.id), &actor(me), "settlement.delete", "settlement", id, "").await?;
    Ok(page.redirect_with(&tenant.url("/admin/settlements"), Flash::success("flash-deleted")))
}

// ---------- settings ----------

#[derive(Debug, Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    coat_of_arms: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    hours: String,
}

async fn settings_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
) -> AppResult<Response> {
    viewer.require(Permission::ManageSettings)?;
    let c = &tenant.community;
    let form = SettingsForm {
        name_uk: c.name_uk.clone(),
        name_en: c.name_en.clone().unwrap_or_default(),
        coat_of_arms: c.coat_of_arms.clone().unwrap_or_default(),
        address: c.contacts.address.clone(),
        phone: c.contacts.phone.clone(),
        email: c.contacts.email.clone(),
        hours: c.contacts.hours.clone(),
    };
    render_settings(&state, &page, &viewer, &tenant, &form, &FieldErrors::new(), StatusCode::OK)
}

fn render_settings(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    tenant: &Tenant,
    form: &SettingsForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let levels: Vec<Value> = IdentityLevel::ALL
        .iter()
        .map(|l| context! { value => l.code(), label => page.t(&format!("level-{}", l.code())) })
        .collect();
    let actions: Vec<Value> = state
        .gated_actions
        .iter()
        .map(|a| context! { key => a.key, label => page.t(a.label), level => required_level(&tenant.community, a).code() })
        .collect();
    render(
        page,
        viewer,
        status,
        "admin/settings.html",
        context! {
            form => context! {
                name_uk => &form.name_uk, name_en => &form.name_en, coat_of_arms => &form.coat_of_arms,
                address => &form.address, phone => &form.phone, email => &form.email, hours => &form.hours,
            },
            levels => levels,
            actions => actions,
            errors => Serde(errors),
        },
    )
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let mut errors = FieldErrors::new();
    if !(2..=300).contains(&form.name_uk.trim().chars().count()) {
        errors.add("name_uk", "invalid-name_uk");
    }
    let arms = form.coat_of_arms.trim();
    let local = arms.starts_with('/') && !arms.starts_with("//");
    if !(arms.is_empty() || arms.starts_with("https://") || local) {
        errors.add("coat_of_arms", "invalid-coat_of_arms");
    }
    if optional(&form.email).is_some_and(|e| !e.contains('@')) {
        errors.add("email", "invalid-email");
    }
    if !errors.is_empty() {
        return render_settings(&state, &page, &viewer, &tenant, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let contacts = Contacts {
        address: form.address.trim().into(),
        phone: form.phone.trim().into(),
        email: form.email.trim().into(),
        hours: form.hours.trim().into(),
    };
    communities::update_details(
        &state.db,
        tenant.community.id,
        form.name_uk.trim(),
        optional(&form.name_en),
        optional(arms),
        &contacts,
    )
    .await?;
    state
        .audit(
            Some(tenant.community.id),
            &actor(me),
            "community.update",
            "community",
            tenant.community.id,
            form.name_uk.trim(),
        )
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/settings"), Flash::success("flash-saved")))
}

/// Which identity level each gated action demands, per the community's statute.
async fn save_identity_levels(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let me = viewer.require(Permission::ManageSettings)?;
    let mut levels = serde_json::Map::new();
    for action in &state.gated_actions {
        let chosen = form.iter().find(|(k, _)| k == action.key).and_then(|(_, v)| IdentityLevel::parse(v));
        let level = chosen.unwrap_or_else(|| required_level(&tenant.community, action));
        levels.insert(action.key.to_owned(), serde_json::Value::String(level.code().to_owned()));
    }
    let summary = serde_json::Value::Object(levels.clone()).to_string();
    communities::set_statute(&state.db, tenant.community.id, "identity", serde_json::Value::Object(levels)).await?;
    state
        .audit(
            Some(tenant.community.id),
            &actor(me),
            "settings.identity_levels",
            "community",
            tenant.community.id,
            &summary,
        )
        .await?;
    Ok(page.redirect_with(&tenant.url("/admin/settings"), Flash::success("flash-saved")))
}

// ---------- audit log ----------

#[derive(Debug, Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    page: Option<i64>,
}

async fn audit_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    tenant: Tenant,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    viewer.require(Permission::ViewAuditLog)?;
    let n = q.page.unwrap_or(1).max(1);
    let filter = audit::Filter {
        action_prefix: optional(&q.action).map(str::to_owned),
        actor: optional(&q.actor).map(str::to_owned),
        ..Default::default()
    };
    let entries =
        audit::list(&state.db, Some(tenant.community.id), &filter, PAGE_SIZE + 1, (n - 1) * PAGE_SIZE).await?;
    let more = entries.len() as i64 > PAGE_SIZE;
    let rows: Vec<_> = entries.into_iter().take(PAGE_SIZE as usize).collect();
    render(
        &page,
        &viewer,
        StatusCode::OK,
        "admin/audit.html",
        context! { entries => Serde(&rows), action => q.action, actor => q.actor, page => n, more => more },
    )
}
