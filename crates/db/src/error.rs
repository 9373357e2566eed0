use thiserror::Error;

/// What the store layer reports; unique-constraint violations are told apart so that the web
/// layer can turn them into field errors.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("unique constraint violated: {0}")]
    Unique(String),
    #[error("row not found")]
    NotFound,
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

pub type DbResult<T> = Result<T, DbError>;

impl DbError {
    /// Whether this is a unique violation whose constraint or column list mentions `name`.
    pub fn is_unique_on(&self, name: &str) -> bool {
        matches!(self, DbError::Unique(detail) if detail.contains(name))
    }
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                // PostgreSQL names the constraint; SQLite lists the columns in the message.
                let detail = d.constraint().map(str::to_owned).unwrap_or_else(|| d.message().to_owned());
                DbError::Unique(detail)
            }
            _ => DbError::Sqlx(e),
        }
    }
}
