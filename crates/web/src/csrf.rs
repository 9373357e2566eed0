//! CSRF protection for every state-changing form: a random cookie per browser, and a token in
//! each form that is an HMAC of that cookie under the installation secret. A request that
//! changes state without a matching token is refused with 403 before any handler runs.

use crate::cookies;
use crate::error::AppError;
use crate::state::AppState;
use crate::tenant::Tenant;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";

/// The form token for the request, for templates.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

pub fn token_for(secret: &[u8], cookie: &str) -> String {
    hex::encode(&crate::auth::keyed_hash(secret, format!("csrf:{cookie}").as_bytes())[..20])
}

fn matches(expected: &str, given: &str) -> bool {
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// Paths that take requests from machines with their own authentication (Open311 clients
/// send an `api_key`).
fn exempt(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/hooks/") || path.starts_with("/open311/")
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let base = req.extensions().get::<Tenant>().map(|t| t.base.clone()).unwrap_or_default();
    let existing = cookies::get(req.headers(), cookies::CSRF).filter(|c| c.len() >= 32);
    let cookie = existing.clone().unwrap_or_else(crate::auth::new_token);
    let expected = token_for(&state.config.secret, &cookie);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);

    let mut req = req;
    if unsafe_method && !exempt(req.uri().path()) {
        if existing.is_none() {
            return AppError::CsrfRejected.into_response();
        }
        let from_header = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let from_query = req.uri().query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v)
        });
        let given = match (from_header.or(from_query), form_kind(&req)) {
            (Some(t), _) => Some(t),
            (None, Some(kind)) => {
                // Read the form to find the token, then hand the same bytes on to the handler.
                let (parts, body) = req.into_parts();
                let Ok(bytes) = to_bytes(body, crate::security::body_limit_for(&state, &parts.headers)).await else {
                    return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, "payload too large").into_response();
                };
                let token = match kind {
                    FormKind::Urlencoded => serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                        .ok()
                        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v)),
                    FormKind::Multipart(boundary) => multipart_token(bytes.clone(), boundary).await,
                };
                req = Request::from_parts(parts, Body::from(bytes));
                token
            }
            (None, None) => None,
        };
        if !given.is_some_and(|g| matches(&expected, &g)) {
            return AppError::CsrfRejected.into_response();
        }
    }

    req.extensions_mut().insert(CsrfToken(expected.clone()));
    let mut response = next.run(req).await;
    response.extensions_mut().insert(CsrfToken(expected));
    if existing.is_none() {
        let path = if base.is_empty() { "/".to_owned() } else { base };
        let value = cookies::set(cookies::CSRF, &cookie, &path, Some(60 * 60 * 24 * 365), state.config.secure_cookies);
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The kinds of form body a browser sends.
enum FormKind {
    Urlencoded,
    /// With its boundary.
    Multipart(String),
}

fn form_kind(req: &Request) -> Option<FormKind> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v: &HeaderValue| v.to_str().ok())?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        Some(FormKind::Urlencoded)
    } else if crate::forms::is_multipart(req.headers()) {
        multer::parse_boundary(content_type).ok().map(FormKind::Multipart)
    } else {
        None
    }
}

/// The `_csrf` field of a multipart form (file uploads), wherever it stands among the parts.
async fn multipart_token(body: axum::body::Bytes, boundary: String) -> Option<String> {
    let stream = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}
