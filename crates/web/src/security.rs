//! Response headers that keep pages from being framed, sniffed or fed foreign scripts, and the
//! per-request bookkeeping (request id, metrics, log span).

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;
use std::time::Instant;

const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; \
    font-src 'self'; connect-src 'self'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
/// The only sites a page may frame: the video players the site's video block embeds.
pub const FRAME_SOURCES: [&str; 2] = ["https://www.youtube-nocookie.com/", "https://player.vimeo.com/"];
/// Swagger UI sets inline styles.
const CSP_DOCS: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
    script-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// Bounds every request body: forms with files may carry `upload_limit` bytes, anything else
/// `body_limit`. A declared length over the bound is refused before reading; a body that grows
/// past it fails its reader, which answers 413 as well.
pub async fn limit_body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = body_limit_for(&state, req.headers());
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, "payload too large").into_response();
    }
    let (parts, body) = req.into_parts();
    next.run(Request::from_parts(parts, axum::body::Body::new(http_body_util::Limited::new(body, limit)))).await
}

/// The body bound of a request, by its content type.
pub fn body_limit_for(state: &AppState, headers: &axum::http::HeaderMap) -> usize {
    if crate::forms::is_multipart(headers) {
        state.config.upload_limit.max(state.config.body_limit)
    } else {
        state.config.body_limit
    }
}

pub async fn headers(req: Request, next: Next) -> Response {
    let docs = req.uri().path().starts_with("/api/docs");
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(self)"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    response
}

/// The request id of a request, for logs and error pages.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_owned)
        .unwrap_or_else(|| hromada_kernel::new_id().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path());
    let started = Instant::now();
    state.metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let mut response = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    state.metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    let elapsed = started.elapsed().as_micros() as u64;
    state.metrics.observe(response.status().as_u16(), elapsed);
    if response.status().is_server_error() {
        tracing::error!(parent: &span, status = response.status().as_u16(), "request failed");
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// The client's address, for rate limits: the peer address, or the first `X-Forwarded-For`
/// entry when the installation sits behind a trusted reverse proxy. Empty when the address is
/// not the client's: a loopback peer without `trust_proxy` is a local proxy or tool, and
/// limiting it by address would throttle everyone behind it at once.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl ClientIp {
    pub fn known(&self) -> bool {
        !self.0.is_empty()
    }

    /// The network the address belongs to, as far as one operator's customers usually share it:
    /// `/24` for IPv4, `/48` for IPv6. Empty when the address is unknown. Counting by network
    /// shows a burst of sign-ups from one place without keeping anyone's own address.
    pub fn network(&self) -> String {
        match self.0.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(v4)) => {
                let [a, b, c, _] = v4.octets();
                format!("{a}.{b}.{c}.0/24")
            }
            Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientIp(v4.to_string()).network(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
                }
            },
            Err(_) => String::new(),
        }
    }
}

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy
            && let Some(first) =
                parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
        {
            return Ok(ClientIp(first.trim().to_owned()));
        }
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .filter(|ip| !ip.is_loopback())
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        Ok(ClientIp(peer))
    }
}

#[cfg(test)]
mod network_tests {
    use super::ClientIp;

    #[test]
    fn addresses_are_grouped_by_network() {
        assert_eq!(ClientIp("203.0.113.77".into()).network(), "203.0.113.0/24");
        assert_eq!(ClientIp("2001:db8:abcd:12::1".into()).network(), "2001:db8:abcd::/48");
        assert_eq!(ClientIp("::ffff:198.51.100.9".into()).network(), "198.51.100.0/24");
        assert_eq!(ClientIp(String::new()).network(), "");
        assert_eq!(ClientIp("not an address".into()).network(), "");
    }
}
