//! A row of the `change_log` table: one committed mutation, as the change feed serves it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    /// The change's place in the feed: dense, and in commit order (taken under the lock of
    /// `change_log_head` at the end of the mutation's transaction).
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i64,
    /// What the mutation did, e.g. `SOFTWARE_DELETED`.
    pub kind: String,
    /// The software that changed, or whose release changed. No foreign key: the row
    /// outlives a deleted software.
    pub software_id: Uuid,
    /// The releases concerned, as a JSON array of UUIDs (all that a cascade removed).
    pub release_ids: String,
    /// When the position was taken, in milliseconds since the Unix epoch; pruning goes by it.
    pub committed_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
