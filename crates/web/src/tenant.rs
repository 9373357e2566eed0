//! Which community a request is for: by its host name, or by a `/c/{slug}` path prefix on
//! installations without DNS. Alias hosts redirect to the primary one; other hosts get the
//! platform's own pages.

use crate::cache::{TenantEntry, TenantKey};
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use hromada_db::core::changes;
use hromada_db::core::communities::{self, Community};
use tower::ServiceExt;

/// The community of the request.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub community: Community,
    /// `""` when the community has its own host, `/c/{slug}` otherwise; every link starts with it.
    pub base: String,
}

impl Tenant {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// An absolute link for mail and messengers: the community's own host when it is reached
    /// by one, the installation's public URL otherwise.
    pub async fn absolute_url(&self, state: &AppState, path: &str) -> String {
        format!("{}{path}", self.origin(state).await)
    }

    /// What [`Tenant::absolute_url`] puts before a path; a page of many links (a feed, the
    /// sitemap) asks for it once.
    pub async fn origin(&self, state: &AppState) -> String {
        if self.base.is_empty()
            && let Ok(Some(host)) = communities::primary_host(&state.db, self.community.id).await
        {
            let scheme = if state.config.secure_cookies { "https" } else { "http" };
            return format!("{scheme}://{host}");
        }
        let public = state.config.public_url.trim_end_matches('/');
        format!("{public}/c/{}", self.community.slug)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Tenant {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Tenant>().cloned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Tenant>().cloned().ok_or(AppError::NotFound)
    }
}

/// The routers a request can end up in.
#[derive(Clone)]
pub struct Surfaces {
    pub community: Router,
    pub platform: Router,
}

fn request_host(req: &Request) -> String {
    let raw = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).or_else(|| req.uri().host()).unwrap_or("");
    let host =
        raw.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit())).map_or(raw, |(h, _)| h);
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Sends the request to the community it is for, or to the platform pages.
pub async fn dispatch(State((state, surfaces)): State<(AppState, Surfaces)>, mut req: Request) -> Response {
    let host = request_host(&req);
    match community_by(&state, TenantKey::Host(host)).await {
        Ok(Some((community, true))) => {
            return enter(community, String::new(), req, &surfaces).await;
        }
        Ok(Some((community, false))) => {
            let target = match communities::primary_host(&state.db, community.id).await {
                Ok(Some(primary)) => primary,
                _ => return enter(community, String::new(), req, &surfaces).await,
            };
            let scheme = if state.config.secure_cookies { "https" } else { "http" };
            let port = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .and_then(|h| h.rsplit_once(':'))
                .map(|(_, p)| format!(":{p}"))
                .unwrap_or_default();
            let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            // 301, not 308: old links and search engines know it best, and only GETs follow aliases.
            let location = format!("{scheme}://{target}{port}{path}");
            return match HeaderValue::from_str(&location) {
                Ok(value) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)]).into_response(),
                Err(_) => StatusCode::BAD_REQUEST.into_response(),
            };
        }
        Ok(None) => {}
        Err(e) => return AppError::from(e).into_response(),
    }
    if let Some(rest) = req.uri().path().strip_prefix("/c/") {
        let (slug, tail) = rest.split_once('/').map_or((rest, ""), |(s, t)| (s, t));
        let slug = slug.to_owned();
        if tail.is_empty() && !req.uri().path().ends_with('/') {
            return Redirect::permanent(&format!("/c/{slug}/")).into_response();
        }
        let tail = format!("/{tail}");
        match community_by(&state, TenantKey::Slug(slug.clone())).await {
            Ok(Some((community, _))) => {
                let rewritten = match req.uri().query() {
                    Some(q) => format!("{tail}?{q}"),
                    None => tail,
                };
                match rewritten.parse::<Uri>() {
                    Ok(uri) => *req.uri_mut() = uri,
                    Err(_) => return StatusCode::BAD_REQUEST.into_response(),
                }
                return enter(community, format!("/c/{slug}"), req, &surfaces).await;
            }
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    surfaces.platform.clone().oneshot(req).await.unwrap_or_else(|e| match e {})
}

/// The community behind a host or slug, from this node's cache when it is fresh.
async fn community_by(state: &AppState, key: TenantKey) -> Result<TenantEntry, hromada_db::DbError> {
    if let Some(hit) = state.cache.tenant(&key) {
        return Ok(hit);
    }
    let generation = changes::generation();
    let found = match &key {
        TenantKey::Host(host) => communities::by_host(&state.db, host).await?,
        TenantKey::Slug(slug) => communities::by_slug(&state.db, slug).await?.map(|c| (c, false)),
    };
    state.cache.put_tenant(key, found.clone(), generation);
    Ok(found)
}

async fn enter(community: Community, base: String, mut req: Request, surfaces: &Surfaces) -> Response {
    let disabled = !community.enabled;
    let tenant = Tenant { community, base };
    req.extensions_mut().insert(tenant.clone());
    let mut response = if disabled && !is_infrastructure(req.uri().path()) {
        let mut response = AppError::CommunityDisabled.into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
        response
    } else {
        surfaces.community.clone().oneshot(req).await.unwrap_or_else(|e| match e {})
    };
    response.extensions_mut().insert(tenant);
    response
}

fn is_infrastructure(path: &str) -> bool {
    path.starts_with("/static/") || path == "/healthz" || path == "/readyz"
}
