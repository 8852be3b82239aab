//! The one row of `change_log_head`: where the change log stands.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log_head")]
pub struct Model {
    /// Always 1: the table has one row, which writers lock to take the next position.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// The newest position handed out (0 before the first change).
    pub position: i64,
    /// Every change at or before this position has been pruned.
    pub pruned_through: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
