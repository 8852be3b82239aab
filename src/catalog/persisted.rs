//! Persisted documents: GraphQL documents that clients registered by their SHA-256, kept in
//! the database so that every instance knows them.

use entity::persisted_query;
use sea_orm::{ConnectionTrait, EntityTrait, Set, SqlErr};

use super::CatalogError;

/// The document registered under `sha256`, if any.
pub async fn find(db: &impl ConnectionTrait, sha256: &str) -> Result<Option<String>, CatalogError> {
    Ok(persisted_query::Entity::find_by_id(sha256.to_owned())
        .one(db)
        .await?
        .map(|row| row.document))
}

/// Registers `document` under `sha256` (the caller has checked that it is its hash). A
/// document registered already, by this instance or another, is left as it is.
pub async fn store(
    db: &impl ConnectionTrait,
    sha256: &str,
    document: &str,
) -> Result<(), CatalogError> {
    let row = persisted_query::ActiveModel {
        sha256: Set(sha256.to_owned()),
        document: Set(document.to_owned()),
        created_at: Set(chrono::Utc::now().timestamp_millis()),
    };
    let inserted = persisted_query::Entity::insert(row)
        .exec_without_returning(db)
        .await;
    match inserted {
        Ok(_) => Ok(()),
        // Registered already (by a client of another instance, say): the same document.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(()),
        Err(err) => Err(err.into()),
    }
}
