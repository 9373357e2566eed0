//! Form input: field errors keyed by field, carrying translation keys, shown next to each field.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message_key: impl Into<String>) {
        self.0.entry(field.to_owned()).or_default().push(message_key.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// `Ok(())` when there is nothing to report.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Each field garde rejected gets the message `invalid-FIELD` (a per-field explanation of
    /// what is expected, written for people rather than per rule).
    pub fn from_garde(report: &garde::Report) -> Self {
        let mut errors = FieldErrors::new();
        for (path, _) in report.iter() {
            let field = path.to_string();
            let key = format!("invalid-{field}");
            if !errors.0.get(&field).is_some_and(|v| v.contains(&key)) {
                errors.add(&field, key);
            }
        }
        errors
    }
}

/// Validates with garde and turns the report into field errors.
pub fn validate<T: garde::Validate<Context = ()>>(value: &T) -> Result<(), FieldErrors> {
    value.validate().map_err(|r| FieldErrors::from_garde(&r))
}

/// Whether a request carries a form with files (`multipart/form-data`, in any letter case).
pub fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    const TYPE: &str = "multipart/form-data";
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_start().get(..TYPE.len()))
        .is_some_and(|start| start.eq_ignore_ascii_case(TYPE))
}

#[cfg(test)]
mod tests {
    use super::is_multipart;

    #[test]
    fn forms_with_files_are_told_by_their_content_type() {
        let with = |value: &str| {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(axum::http::header::CONTENT_TYPE, value.parse().unwrap());
            is_multipart(&headers)
        };
        assert!(with("multipart/form-data; boundary=x"));
        assert!(with("Multipart/Form-Data; boundary=x"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("multipart"));
        assert!(!is_multipart(&axum::http::HeaderMap::new()));
    }
}
