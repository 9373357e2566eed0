//! The cookies Hromada sets, all HttpOnly and SameSite=Lax, scoped to the community's path.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "hromada_session";
pub const CSRF: &str = "hromada_csrf";
pub const LANG: &str = "hromada_lang";
pub const FLASH: &str = "hromada_flash";

/// The value of a request cookie.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value. `max_age` of `Some(0)` removes the cookie; `None` keeps it for the browser session.
pub fn set(name: &str, value: &str, path: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let path = if path.is_empty() { "/" } else { path };
    let mut s = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).expect("cookie values are ASCII")
}

pub fn remove(name: &str, path: &str, secure: bool) -> HeaderValue {
    set(name, "", path, Some(0), secure)
}
