//! What every HTML page shares: language, community, viewer, CSRF token, flash message, and
//! navigation; and the error pages built from the same frame.

use crate::auth::Viewer;
use crate::cookies;
use crate::csrf::CsrfToken;
use crate::error::{AppError, AppResult, ErrorInfo, message_for_status};
use crate::state::AppState;
use crate::tenant::Tenant;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hromada_kernel::Lang;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

/// A one-time message shown on the next page, as a translation key.
#[derive(Debug, Clone, Serialize)]
pub struct Flash {
    pub kind: &'static str,
    pub key: String,
}

impl Flash {
    pub fn success(key: &str) -> Self {
        Self { kind: "success", key: key.to_owned() }
    }
    pub fn info(key: &str) -> Self {
        Self { kind: "info", key: key.to_owned() }
    }
    pub fn error(key: &str) -> Self {
        Self { kind: "error", key: key.to_owned() }
    }

    fn encode(&self) -> String {
        format!("{}.{}", self.kind, self.key)
    }

    fn decode(raw: &str) -> Option<Self> {
        let (kind, key) = raw.split_once('.')?;
        let kind = match kind {
            "success" => "success",
            "info" => "info",
            "error" => "error",
            _ => return None,
        };
        key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-').then(|| Self { kind, key: key.to_owned() })
    }
}

/// Everything a page's layout needs, taken from the request.
#[derive(Clone)]
pub struct Page {
    pub state: AppState,
    pub lang: Lang,
    pub tenant: Option<Tenant>,
    pub viewer: Viewer,
    pub csrf: String,
    pub flash: Option<Flash>,
    /// The path as the browser sees it (with the `/c/{slug}` prefix, if any).
    pub path: String,
}

pub fn resolve_lang(headers: &HeaderMap, viewer: &Viewer) -> Lang {
    cookies::get(headers, cookies::LANG)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| viewer.user.as_ref().and_then(|u| Lang::parse(&u.lang)))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let tenant = parts.extensions.get::<Tenant>().cloned();
        let viewer = parts.extensions.get::<Viewer>().cloned().unwrap_or_default();
        let csrf = parts.extensions.get::<CsrfToken>().map(|c| c.0.clone()).unwrap_or_default();
        let lang = resolve_lang(&parts.headers, &viewer);
        let flash = cookies::get(&parts.headers, cookies::FLASH).and_then(|f| Flash::decode(&f));
        let base = tenant.as_ref().map(|t| t.base.as_str()).unwrap_or("");
        let path = format!("{base}{}", parts.uri.path());
        Ok(Page { state: state.clone(), lang, tenant, viewer, csrf, flash, path })
    }
}

impl Page {
    pub fn base(&self) -> &str {
        self.tenant.as_ref().map(|t| t.base.as_str()).unwrap_or("")
    }

    /// A path inside the current community (or the platform).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base(), path)
    }

    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang, key)
    }

    /// A message that agrees with a number (Ukrainian: one / few / many).
    pub fn t_count(&self, key: &str, count: i64) -> String {
        self.state.i18n.t_count(self.lang, key, count)
    }

    /// A message with named text arguments (names, dates, sums already written out).
    pub fn t_with(&self, key: &str, args: &[(&str, String)]) -> String {
        self.state.i18n.t_pairs(self.lang, key, args)
    }

    /// The layout's context; page templates extend `layout.html` and read these.
    pub fn context(&self) -> Value {
        let frame = self.tenant.as_ref().map(|t| crate::site::SiteFrame::of(&t.community)).unwrap_or_default();
        let nav: Vec<Value> = if self.tenant.is_some() && !frame.menu.is_empty() {
            frame.menu.iter().map(|item| self.menu_item(item)).collect()
        } else if self.tenant.is_some() {
            self.state
                .nav
                .iter()
                .map(|item| {
                    let href = self.url(item.path);
                    let current = self.path == href || (item.path != "/" && self.path.starts_with(&href));
                    context! { label => self.t(item.label), href => href, current => current }
                })
                .collect()
        } else {
            vec![]
        };
        let community = self.tenant.as_ref().map(|t| {
            let c = &t.community;
            context! {
                id => c.id.to_string(),
                slug => &c.slug,
                name => c.name(self.lang),
                // `/media/…` is the community's own file, under its prefix; anything else is
                // an address of the installation.
                coat_of_arms => c.coat_of_arms.as_deref().map(|a| if a.starts_with("/media/") { self.url(a) } else { a.to_owned() }),
                contacts => Value::from(Serde(&c.contacts.0)),
            }
        });
        let user = self.viewer.user.as_ref().map(|u| {
            context! {
                name => &u.full_name,
                email => u.email.clone(),
                level => u.identity_level().code(),
                confirmed => u.email_confirmed_at.is_some(),
            }
        });
        let operator = self.viewer.operator.as_ref().map(|o| context! { name => &o.full_name });
        let (flash_kind, flash_text) = match &self.flash {
            Some(f) => (Some(f.kind), Some(self.t(&f.key))),
            None => (None, None),
        };
        context! {
            lang => self.lang.code(),
            other_lang => if self.lang == Lang::Uk { "en" } else { "uk" },
            base => self.base(),
            path => &self.path,
            community => community,
            nav => nav,
            user => user,
            is_staff => self.viewer.may(hromada_kernel::Permission::EnterAdmin),
            operator => operator,
            csrf => &self.csrf,
            flash_kind => flash_kind,
            flash_text => flash_text,
            demo => self.state.config.demo,
            dev_mail => self.state.config.demo || !self.state.config.smtp_configured,
            year => chrono::Datelike::year(&self.state.now()),
            page_scripts => if self.tenant.is_some() { self.state.page_scripts.clone() } else { vec![] },
            theme_css => frame.theme.as_ref().map(|t| format!("{}?v={}", self.url("/theme.css"), t.version)),
            layout => frame.theme.as_ref().map(|t| t.layout.clone()).unwrap_or_else(|| "classic".into()),
            header_text => frame.header(self.lang),
            footer_text => frame.footer(self.lang),
        }
    }

    fn menu_item(&self, item: &crate::site::MenuItem) -> Value {
        let href = if item.is_external() { item.href.clone() } else { self.url(&item.href) };
        let current = !item.is_external() && (self.path == href || (item.href != "/" && self.path.starts_with(&href)));
        let children: Vec<Value> = item.children.iter().map(|c| self.menu_item(c)).collect();
        context! { label => item.label(self.lang), href => href, current => current, children => children }
    }

    /// Renders a template with the layout's context and `extra` merged in.
    pub fn render(&self, template: &str, extra: Value) -> AppResult<Response> {
        self.render_status(StatusCode::OK, template, extra)
    }

    pub fn render_status(&self, status: StatusCode, template: &str, extra: Value) -> AppResult<Response> {
        let ctx = context! { ..extra, ..self.context() };
        let html = self.state.templates.render(template, ctx)?;
        let mut response = (status, Html(html)).into_response();
        if self.flash.is_some() {
            let path = if self.base().is_empty() { "/" } else { self.base() };
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookies::remove(cookies::FLASH, path, self.state.config.secure_cookies));
        }
        Ok(response)
    }

    /// Renders a template that is a part of a page (a block another page embeds), with the
    /// layout's context, to HTML.
    pub fn fragment(&self, template: &str, extra: Value) -> AppResult<String> {
        self.state.templates.render(template, context! { ..extra, ..self.context() })
    }

    /// POST-redirect-GET with a message for the next page.
    pub fn redirect_with(&self, to: &str, flash: Flash) -> Response {
        let path = if self.base().is_empty() { "/" } else { self.base() };
        let mut response = Redirect::to(to).into_response();
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(cookies::FLASH, &flash.encode(), path, Some(300), self.state.config.secure_cookies),
        );
        response
    }
}

fn wants_json(path: &str, headers: &HeaderMap) -> bool {
    if path.contains("/api/") {
        return true;
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

/// Turns bare error responses (from handlers, the router, or body limits) into pages in the
/// reader's language, or JSON for API clients; a browser that must sign in is sent to the sign-in page.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    // Only what an error page needs (language, cookies, JSON or HTML), not every header of
    // every request.
    let mut headers = HeaderMap::new();
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE, header::ACCEPT] {
        for value in req.headers().get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let request_id = req.extensions().get::<crate::security::RequestId>().map(|r| r.0.clone());
    let response = next.run(req).await;
    let status = response.status();
    if status.as_u16() < 400 {
        return response;
    }
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // Machine formats that carry their own errors (Open311's XML) pass through as well.
    if content_type.starts_with("text/html")
        || content_type.starts_with("application/json")
        || content_type.contains("xml")
    {
        return response;
    }
    let info = response.extensions().get::<ErrorInfo>().cloned();
    let message = info.as_ref().map(|i| i.message).unwrap_or_else(|| message_for_status(status));
    // A switched-off community shows no data of its own, not even in the page frame.
    let tenant = response.extensions().get::<Tenant>().cloned().filter(|t| t.community.enabled);
    let viewer = response.extensions().get::<Viewer>().cloned().unwrap_or_default();
    let csrf = response.extensions().get::<CsrfToken>().map(|c| c.0.clone()).unwrap_or_default();
    let lang = resolve_lang(&headers, &viewer);
    let keep: Vec<_> = [header::SET_COOKIE, header::RETRY_AFTER]
        .iter()
        .flat_map(|name| response.headers().get_all(name).iter().map(move |v| (name.clone(), v.clone())))
        .collect();

    let mut out = if wants_json(&path, &headers) {
        let body = serde_json::json!({
            "request_id": request_id.filter(|_| status.is_server_error()),
            "error": message.trim_start_matches("error-"),
            "message": state.i18n.t(lang, message),
            "fields": info.and_then(|i| i.fields),
        });
        (status, axum::Json(body)).into_response()
    } else if status == StatusCode::UNAUTHORIZED {
        let login = match &tenant {
            Some(t) => t.url("/login"),
            None => "/platform/login".to_owned(),
        };
        let next = urlencode(&path);
        Redirect::to(&format!("{login}?next={next}")).into_response()
    } else {
        let page = Page { state: state.clone(), lang, tenant, viewer, csrf, flash: None, path };
        let extra = context! {
            status => status.as_u16(),
            title => state.i18n.t(lang, &format!("{message}-title")),
            message => state.i18n.t(lang, message),
            // Only for our own failures, so that a resident can quote it to support.
            request_id => request_id.filter(|_| status.is_server_error()),
        };
        match page.render_status(status, "error.html", extra) {
            Ok(r) => r,
            Err(_) => {
                (status, Html(format!("<!doctype html><title>{status}</title><h1>{status}</h1>"))).into_response()
            }
        }
    };
    for (name, value) in keep {
        out.headers_mut().append(name, value);
    }
    out
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e.trim_start_matches('=').to_owned()).unwrap_or_default()
}

/// A `next` parameter that may be followed: a path on this site only.
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => fallback.to_owned(),
    }
}
