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
