//! One error type for every surface. It becomes an HTML page in the reader's language, or JSON
//! for the API, by the `render_errors` middleware, which knows the request.

use crate::forms::FieldErrors;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hromada_db::DbError;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    /// Signed in, but not allowed.
    Forbidden,
    /// Needs signing in first.
    Unauthorized,
    Invalid(FieldErrors),
    /// The request clashes with what exists; the value is a translation key.
    Conflict(&'static str),
    TooManyRequests,
    /// The community asks for a stronger identity for this action.
    IdentityRequired(hromada_kernel::IdentityLevel),
    CsrfRejected,
    CommunityDisabled,
    Unexpected(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// Put on error responses so that the middleware can render them.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    /// Translation key of the explanation.
    pub message: &'static str,
    pub fields: Option<FieldErrors>,
}

impl AppError {
    pub fn unexpected(detail: impl Into<String>) -> Self {
        AppError::Unexpected(detail.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected | AppError::IdentityRequired(_) => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::CommunityDisabled => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::Unauthorized => "error-unauthorized",
            AppError::Invalid(_) => "error-invalid",
            AppError::Conflict(key) => key,
            AppError::TooManyRequests => "error-too-many-requests",
            AppError::IdentityRequired(level) => match level {
                hromada_kernel::IdentityLevel::Eid => "error-identity-eid",
                hromada_kernel::IdentityLevel::Phone => "error-identity-phone",
                _ => "error-identity-email",
            },
            AppError::CsrfRejected => "error-csrf",
            AppError::CommunityDisabled => "error-community-disabled",
            AppError::Unexpected(_) => "error-unexpected",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unexpected(detail) = &self {
            // The request id is added to this line by the tracing span of the request.
            tracing::error!(error = %detail, "unexpected error");
        }
        let info = ErrorInfo {
            status: self.status(),
            message: self.message_key(),
            fields: match self {
                AppError::Invalid(f) => Some(f),
                _ => None,
            },
        };
        let mut response = (info.status, info.message).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => AppError::NotFound,
            other => AppError::Unexpected(other.to_string()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Unexpected(format!("{e:#}"))
    }
}

/// The status-to-message table for errors raised outside handlers (404 of the router, 413 of the body limit).
pub fn message_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "error-unauthorized",
        403 => "error-forbidden",
        404 | 405 => "error-not-found",
        413 => "error-too-large",
        415 | 400 | 422 => "error-invalid",
        429 => "error-too-many-requests",
        503 => "error-community-disabled",
        _ => "error-unexpected",
    }
}
