//! The one error type of the catalog's operations.

use sea_orm::{DbErr, SqlErr};
use uuid::Uuid;

use crate::domain::ValidationError;

/// Why a catalog operation did not happen. Every variant but [`CatalogError::Internal`] is
/// the client's to act on; when an operation fails, nothing it meant to change has changed.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A value the catalog refuses (blank name, malformed e-mail, bad cursor, ...).
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The id names nothing (or a software that is being deleted right now).
    #[error("no {entity} has the id {id}")]
    NotFound { entity: &'static str, id: Uuid },
    /// A change-feed cursor whose successors have been pruned: the client reloads its data
    /// and subscribes again from a fresh cursor.
    #[error(
        "this cursor is older than the retained change history; reload, then subscribe from `catalogChangeCursor`"
    )]
    CursorExpired,
    /// A uniqueness rule would be broken; the message says which value is taken.
    #[error("{0}")]
    Conflict(String),
    /// The database failed in a way the client cannot fix. The cause stays in the log: its
    /// text may carry SQL or driver details, so it is never shown to clients.
    #[error("internal error")]
    Internal(#[from] DbErr),
}

impl CatalogError {
    /// Classifies a database error from a write: a broken unique constraint becomes
    /// [`CatalogError::Conflict`] with `conflict`'s message, a broken foreign key becomes
    /// `not_found` (the parent row is gone), anything else stays internal.
    ///
    /// Constraint violations are read from the database's own error, never from a pre-check,
    /// because a pre-check races with concurrent writers.
    pub(crate) fn from_write(
        err: DbErr,
        conflict: impl FnOnce() -> String,
        not_found: impl FnOnce() -> CatalogError,
    ) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::Conflict(conflict()),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => not_found(),
            _ => Self::Internal(err),
        }
    }
}
