//! Identity through the state e-ID (the id.gov.ua protocol): an authorization-code redirect,
//! then `get-access-token` and `get-user-info`, from which only a keyed hash of the tax number
//! is kept. Also the stub provider that demo installations and tests talk to.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use hromada_db::DbError;
use hromada_db::core::audit::Actor;
use hromada_db::core::{tokens, users};
use hromada_web::auth;
use hromada_web::page::urlencode;
use hromada_web::{AppError, AppResult, AppState, Flash, Page, Tenant, context};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/verify", get(verify_page))
        .route("/auth/eid/start", get(start))
        .route("/auth/eid/callback", get(callback))
}

/// The provider's base URL: the configured one, or the built-in stub in demo mode.
fn provider_base(state: &AppState) -> Option<String> {
    match &state.config.eid.base_url {
        Some(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ if state.config.demo => Some(format!("{}/dev/eid", state.config.public_url.trim_end_matches('/'))),
        _ => None,
    }
}

async fn verify_page(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    let user = page.viewer.require_user()?;
    page.render(
        "account/verify.html",
        context! {
            level => user.identity_level().code(),
            email_confirmed => user.email_confirmed_at.is_some(),
            phone_verified => user.phone_verified_at.is_some(),
            eid_verified => user.eid_verified_at.is_some(),
            in_person_verified => user.verified_in_person_at.is_some(),
            eid_available => provider_base(&state).is_some(),
        },
    )
}

async fn start(State(state): State<AppState>, page: Page, tenant: Tenant) -> AppResult<Response> {
    let user = page.viewer.require_user()?;
    let Some(base) = provider_base(&state) else {
        return Err(AppError::NotFound);
    };
    let request_state = auth::new_token();
    tokens::create_eid_request(&state.db, &request_state, tenant.community.id, user.id, state.now()).await?;
    let redirect_uri = tenant.absolute_url(&state, "/auth/eid/callback").await;
    let auth_type =
        if state.config.eid.auth_type.is_empty() { "dig_sign,bank_id,diia_id" } else { &state.config.eid.auth_type };
    let url = format!(
        "{base}/?response_type=code&client_id={}&auth_type={}&state={}&redirect_uri={}",
        urlencode(&client_id(&state)),
        urlencode(auth_type),
        urlencode(&request_state),
        urlencode(&redirect_uri)
    );
    Ok(Redirect::to(&url).into_response())
}

fn client_id(state: &AppState) -> String {
    if state.config.eid.client_id.is_empty() { "hromada-demo".into() } else { state.config.eid.client_id.clone() }
}

fn client_secret(state: &AppState) -> String {
    if state.config.eid.client_secret.is_empty() {
        "hromada-demo-secret".into()
    } else {
        state.config.eid.client_secret.clone()
    }
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct AccessToken {
    pub access_token: String,
    #[serde(default)]
    pub token_type: String,
    #[serde(default)]
    pub expires_in: i64,
    #[serde(default)]
    pub refresh_token: String,
    pub user_id: String,
}

/// What `get-user-info` answers (only the fields Hromada asks for).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserInfo {
    #[serde(default)]
    pub drfocode: String,
    #[serde(default)]
    pub lastname: String,
    #[serde(default)]
    pub givenname: String,
    #[serde(default)]
    pub middlename: String,
    #[serde(default)]
    pub address: String,
}

const USER_INFO_FIELDS: &str = "issuer,issuercn,serial,subjectcn,lastname,givenname,middlename,drfocode,address";

async fn fetch_identity(state: &AppState, base: &str, code: &str) -> anyhow::Result<UserInfo> {
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(15)).build()?;
    let token: AccessToken = http
        .get(format!("{base}/get-access-token"))
        .query(&[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id(state)),
            ("client_secret", &client_secret(state)),
            ("code", code),
        ])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let info: UserInfo = http
        .get(format!("{base}/get-user-info"))
        .query(&[("fields", USER_INFO_FIELDS), ("access_token", &token.access_token), ("user_id", &token.user_id)])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(info)
}

async fn callback(
    State(state): State<AppState>,
    page: Page,
    tenant: Tenant,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let user = page.viewer.require_user()?.clone();
    let back = tenant.url("/account/verify");
    let community = tenant.community.id;
    let Some(request_state) = q.state else {
        return Ok(page.redirect_with(&back, Flash::error("flash-eid-failed")));
    };
    let started_for =
        tokens::take_eid_request(&state.db, community, &request_state, state.now() - chrono::Duration::minutes(30))
            .await?;
    if started_for != Some(user.id) || q.error.is_some() {
        return Ok(page.redirect_with(&back, Flash::error("flash-eid-failed")));
    }
    let (Some(code), Some(base)) = (q.code, provider_base(&state)) else {
        return Ok(page.redirect_with(&back, Flash::error("flash-eid-failed")));
    };
    let info = match fetch_identity(&state, &base, &code).await {
        Ok(info) => info,
        Err(e) => {
            tracing::warn!(error = %e, "e-ID exchange failed");
            return Ok(page.redirect_with(&back, Flash::error("flash-eid-failed")));
        }
    };
    let Some(key) = auth::person_key(&state.config.secret, &info.drfocode) else {
        return Ok(page.redirect_with(&back, Flash::error("flash-eid-no-tax-number")));
    };
    match users::set_person_key(&state.db, community, user.id, &key, users::PersonProof::Eid, state.now()).await {
        Ok(()) => {}
        Err(DbError::Unique(_)) => {
            return Ok(page.redirect_with(&back, Flash::error("flash-person-taken")));
        }
        Err(e) => return Err(e.into()),
    }
    let actor = Actor::user(&user);
    state.audit(Some(community), &actor, "user.verify_eid", "user", user.id, "e-ID").await?;
    Ok(page.redirect_with(&back, Flash::success("flash-eid-verified")))
}

// ---------- the stub provider ----------

/// A person the stub provider can sign in as.
#[derive(Debug, Clone, Serialize)]
pub struct StubPerson {
    pub drfocode: String,
    pub lastname: String,
    pub givenname: String,
    pub middlename: String,
    pub address: String,
}

/// A local e-ID provider that speaks the same protocol, for demos and tests.
#[derive(Clone)]
pub struct StubEid {
    pub client_id: String,
    pub client_secret: String,
    pub persons: Vec<StubPerson>,
    grants: Arc<Mutex<HashMap<String, usize>>>,
    tokens: Arc<Mutex<HashMap<String, usize>>>,
}

impl StubEid {
    pub fn new(client_id: &str, client_secret: &str, persons: Vec<StubPerson>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            persons,
            grants: Default::default(),
            tokens: Default::default(),
        }
    }

    /// The stub the demo uses, with three test people.
    pub fn demo() -> Self {
        let person = |code: &str, last: &str, given: &str, middle: &str| StubPerson {
            drfocode: code.into(),
            lastname: last.into(),
            givenname: given.into(),
            middlename: middle.into(),
            address: "м. Сєвєродонецьк, вул. Гагаріна, 1".into(),
        };
        Self::new(
            "hromada-demo",
            "hromada-demo-secret",
            vec![
                person("3000000001", "Шевченко", "Олена", "Петрівна"),
                person("3000000002", "Коваленко", "Андрій", "Іванович"),
                person("3000000003", "Бондар", "Марія", "Олегівна"),
            ],
        )
    }

    pub fn router(self) -> Router {
        Router::new()
            .route("/", get(stub_authorize_page))
            .route("/authorize", get(stub_authorize))
            .route("/get-access-token", get(stub_token).post(stub_token))
            .route("/get-user-info", get(stub_user_info).post(stub_user_info))
            .with_state(self)
    }
}

#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    redirect_uri: String,
    person: Option<usize>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn stub_authorize_page(State(stub): State<StubEid>, Query(q): Query<AuthorizeQuery>) -> Response {
    if q.client_id != stub.client_id {
        return (StatusCode::BAD_REQUEST, "unknown client_id").into_response();
    }
    let items: String = stub
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let href = format!(
                "authorize?person={i}&client_id={}&state={}&redirect_uri={}",
                urlencode(&q.client_id),
                urlencode(&q.state),
                urlencode(&q.redirect_uri)
            );
            format!(
                "<li><a href=\"{}\">{} {} {}</a></li>",
                escape(&href),
                escape(&p.lastname),
                escape(&p.givenname),
                escape(&p.middlename)
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><html lang=\"uk\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Тестовий ID.GOV.UA</title></head><body><main><h1>Тестовий провайдер e-ID</h1>\
         <p>Це заглушка для демонстрації та тестів. Оберіть особу:</p><ul>{items}</ul></main></body></html>"
    ))
    .into_response()
}

async fn stub_authorize(State(stub): State<StubEid>, Query(q): Query<AuthorizeQuery>) -> Response {
    let Some(person) = q.person.filter(|p| *p < stub.persons.len()) else {
        return (StatusCode::BAD_REQUEST, "unknown person").into_response();
    };
    if q.client_id != stub.client_id || q.redirect_uri.is_empty() {
        return (StatusCode::BAD_REQUEST, "bad request").into_response();
    }
    let code = auth::new_token();
    stub.grants.lock().expect("stub lock").insert(code.clone(), person);
    let sep = if q.redirect_uri.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{}{sep}code={}&state={}", q.redirect_uri, urlencode(&code), urlencode(&q.state)))
        .into_response()
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    code: String,
}

async fn stub_token(State(stub): State<StubEid>, Query(q): Query<TokenQuery>) -> Response {
    let bad = |what: &str| (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({ "error": what }))).into_response();
    if q.grant_type != "authorization_code" {
        return bad("unsupported_grant_type");
    }
    if q.client_id != stub.client_id || q.client_secret != stub.client_secret {
        return bad("invalid_client");
    }
    let Some(person) = stub.grants.lock().expect("stub lock").remove(&q.code) else {
        return bad("invalid_grant");
    };
    let access_token = auth::new_token();
    stub.tokens.lock().expect("stub lock").insert(access_token.clone(), person);
    axum::Json(AccessToken {
        access_token,
        token_type: "bearer".into(),
        expires_in: 3600,
        refresh_token: auth::new_token(),
        user_id: format!("stub-{person}"),
    })
    .into_response()
}

#[derive(Debug, Deserialize)]
struct UserInfoQuery {
    #[serde(default)]
    access_token: String,
    #[serde(default)]
    user_id: String,
}

async fn stub_user_info(State(stub): State<StubEid>, Query(q): Query<UserInfoQuery>) -> Response {
    let person = stub.tokens.lock().expect("stub lock").get(&q.access_token).copied();
    match person {
        Some(i) if q.user_id == format!("stub-{i}") => {
            let p = &stub.persons[i];
            axum::Json(UserInfo {
                drfocode: p.drfocode.clone(),
                lastname: p.lastname.clone(),
                givenname: p.givenname.clone(),
                middlename: p.middlename.clone(),
                address: p.address.clone(),
            })
            .into_response()
        }
        _ => (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "invalid_token" }))).into_response(),
    }
}
