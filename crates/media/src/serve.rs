//! `GET /media/{id}/{variant}` of a community. A file's bytes never change under its id, so
//! responses are cached for a year and revalidated by their SHA-256.

use crate::process::{Kind, Variant};
use crate::store;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hromada_kernel::Permission;
use hromada_web::auth::Viewer;
use hromada_web::{AppError, AppResult, AppState, Tenant};
use std::fmt::Write;
use uuid::Uuid;

pub async fn file(
    State(state): State<AppState>,
    tenant: Tenant,
    viewer: Viewer,
    Path((id, variant)): Path<(String, String)>,
    request: HeaderMap,
) -> AppResult<Response> {
    let (Ok(id), Some(variant)) = (Uuid::parse_str(&id), Variant::parse(&variant)) else {
        return Err(AppError::NotFound);
    };
    let content = store::content(&state.db, tenant.community.id, id, variant).await?.ok_or(AppError::NotFound)?;
    let uploader =
        viewer.user.as_ref().is_some_and(|u| Some(u.id) == content.created_by || Some(u.id) == content.visible_to);
    // A file not shown yet is as good as missing to others: not even its existence is told.
    if !content.public && !uploader && !viewer.may(Permission::EnterAdmin) {
        return Err(AppError::NotFound);
    }

    let mut headers = HeaderMap::new();
    let etag = format!("\"{}\"", content.sha256);
    headers.insert(header::ETAG, header_value(&etag)?);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if content.public {
            "public, max-age=31536000, immutable"
        } else {
            "private, max-age=31536000, immutable"
        }),
    );
    if etag_matches(&request, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    headers.insert(header::CONTENT_TYPE, header_value(&content.content_type)?);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let kind = Kind::parse(&content.kind).unwrap_or(Kind::Document);
    headers.insert(header::CONTENT_DISPOSITION, header_value(&content_disposition(kind, &content.file_name))?);
    Ok((headers, content.data).into_response())
}

fn header_value(text: &str) -> AppResult<HeaderValue> {
    HeaderValue::from_str(text).map_err(|e| AppError::unexpected(format!("media header {text:?}: {e}")))
}

fn etag_matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// Images open in the browser; documents download. The plain `filename` is an ASCII stand-in
/// for old clients, `filename*` the real name (RFC 6266).
pub fn content_disposition(kind: Kind, file_name: &str) -> String {
    let disposition = match kind {
        Kind::Image => "inline",
        Kind::Document => "attachment",
    };
    let ascii: String = file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in file_name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_download_under_their_real_name() {
        assert_eq!(
            content_disposition(Kind::Document, "Рішення №5.pdf"),
            "attachment; filename=\"_______ _5.pdf\"; \
             filename*=UTF-8''%D0%A0%D1%96%D1%88%D0%B5%D0%BD%D0%BD%D1%8F%20%E2%84%965.pdf"
        );
        assert_eq!(
            content_disposition(Kind::Image, "a b.jpg"),
            "inline; filename=\"a b.jpg\"; filename*=UTF-8''a%20b.jpg"
        );
    }

    #[test]
    fn if_none_match_understands_lists_and_weak_tags() {
        let etag = "\"abc\"";
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            etag_matches(&h, etag)
        };
        assert!(with("\"abc\""));
        assert!(with("\"x\", W/\"abc\""));
        assert!(with("*"));
        assert!(!with("\"abcd\""));
        assert!(!etag_matches(&HeaderMap::new(), etag));
    }
}
