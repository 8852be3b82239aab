//! A row of `persisted_query`: a document registered by a client under its SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persisted_query")]
pub struct Model {
    /// The SHA-256 of `document`, in lowercase hex: what clients send instead of it.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    /// The GraphQL document, exactly as the client sent it.
    pub document: String,
    /// When it was first registered, in milliseconds since the Unix epoch.
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
