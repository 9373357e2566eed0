//! Reading `multipart/form-data` forms: the text fields and the files, each within limits, with
//! every problem turned into a field error, so that the form can be shown again with its values.

use crate::process::{self, Accept, Limits, MediaError, Processed};
use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart};
use axum::http::StatusCode;
use hromada_web::{AppError, FieldErrors};
use serde::de::DeserializeOwned;

/// The error key for problems of the whole form (its body could not be read to the end).
pub const WHOLE_FORM: &str = "upload";

/// How much one form may carry. The request body limit of the installation applies first.
#[derive(Debug, Clone)]
pub struct UploadLimits {
    pub max_file_bytes: usize,
    /// All files of the form together.
    pub max_total_bytes: usize,
    pub max_files: usize,
    pub max_text_bytes: usize,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 20 * 1024 * 1024,
            max_total_bytes: 40 * 1024 * 1024,
            max_files: 10,
            max_text_bytes: 64 * 1024,
        }
    }
}

/// A file as the browser sent it, not checked yet.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    /// As the browser named it; only ever used after [`process::sanitize_file_name`].
    pub file_name: String,
    pub bytes: Bytes,
}

/// A multipart form that has been read.
#[derive(Debug, Default)]
pub struct Upload {
    fields: Vec<(String, String)>,
    files: Vec<UploadedFile>,
    /// Problems found so far, keyed by field, as translation keys.
    pub errors: FieldErrors,
}

impl Upload {
    /// Reads the whole form. A field past its limit is read to its end and dropped, so that the
    /// fields after it still arrive.
    pub async fn read(mut multipart: Multipart, limits: &UploadLimits) -> Upload {
        let mut upload = Upload::default();
        let mut file_bytes = 0;
        let mut current = WHOLE_FORM.to_owned();
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) => {
                    upload.refuse(&current, broken(&e));
                    break;
                }
            };
            current = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let cap = if file_name.is_some() { limits.max_file_bytes } else { limits.max_text_bytes };
            let mut data = Vec::new();
            let mut over = false;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        over |= data.len() + chunk.len() > cap;
                        if !over {
                            data.extend_from_slice(&chunk);
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        upload.refuse(&current, broken(&e));
                        return upload;
                    }
                }
            }
            match file_name {
                None if over => upload.refuse(&current, "media-error-field-too-long"),
                None => upload.fields.push((current.clone(), String::from_utf8_lossy(&data).into_owned())),
                // A file input left empty.
                Some(name) if name.is_empty() && data.is_empty() => {}
                Some(_) if over => upload.refuse(&current, MediaError::TooLarge.key()),
                Some(_) if upload.files.len() >= limits.max_files => {
                    upload.refuse(&current, "media-error-too-many-files")
                }
                Some(_) if file_bytes + data.len() > limits.max_total_bytes => {
                    upload.refuse(&current, "media-error-total-too-large")
                }
                Some(file_name) => {
                    file_bytes += data.len();
                    upload.files.push(UploadedFile { field: current.clone(), file_name, bytes: data.into() });
                }
            }
        }
        upload
    }

    /// The first value of a text field, or `""`.
    pub fn text(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v)
    }

    /// Every value of a text field, in form order.
    pub fn texts<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The text fields as a form struct, the way `axum::Form` would give them.
    pub fn form<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let encoded = serde_urlencoded::to_string(&self.fields).map_err(|e| AppError::unexpected(e.to_string()))?;
        serde_urlencoded::from_str(&encoded).map_err(|_| AppError::Invalid(FieldErrors::new()))
    }

    /// The files sent in a field, not checked yet.
    pub fn files<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a UploadedFile> + 'a {
        self.files.iter().filter(move |f| f.field == field)
    }

    /// Checks and re-encodes the files of a field (see [`process::process`]); refusals become
    /// errors of that field. The n-th file gets the n-th value of the text field `{field}_alt`
    /// as its text alternative.
    pub async fn process(&mut self, field: &str, accept: Accept, limits: &Limits) -> Vec<Processed> {
        let alts: Vec<String> = self.texts(&format!("{field}_alt")).map(str::to_owned).collect();
        let (mine, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.files).into_iter().partition(|f| f.field == field);
        self.files = rest;
        let mut out = vec![];
        for (file, alt) in mine.into_iter().zip(alts.into_iter().chain(std::iter::repeat(String::new()))) {
            let limits = limits.clone();
            // Decoding a photo takes a while: off the async threads. A decoder that panics on a
            // hostile file refuses that file only.
            let done = tokio::task::spawn_blocking(move || {
                process::process(&file.bytes, &file.file_name, &alt, accept, &limits)
            })
            .await
            .unwrap_or(Err(MediaError::Unreadable));
            match done {
                Ok(processed) => out.push(processed),
                Err(e) => self.refuse(field, e.key()),
            }
        }
        out
    }

    /// Adds an error to a field once, however many files share it.
    pub fn refuse(&mut self, field: &str, key: &str) {
        if !self.errors.0.get(field).is_some_and(|keys| keys.iter().any(|k| k == key)) {
            self.errors.add(field, key);
        }
    }
}

/// A form as a handler takes it: `multipart/form-data` (read with the default limits) or an
/// ordinary urlencoded form, which simply has no files. One handler serves both, so that a
/// form without files keeps working from scripts and tests.
impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = axum::response::Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        if hromada_web::forms::is_multipart(req.headers()) {
            let form = Multipart::from_request(req, state).await.map_err(IntoResponse::into_response)?;
            return Ok(Upload::read(form, &UploadLimits::default()).await);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        let fields = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .map_err(|_| AppError::Invalid(FieldErrors::new()).into_response())?;
        Ok(Upload { fields, ..Upload::default() })
    }
}

fn broken(e: &MultipartError) -> &'static str {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE { "media-error-request-too-large" } else { "media-error-upload" }
}
