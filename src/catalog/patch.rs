//! Partial updates: the one way the catalog changes some columns of a row and leaves the
//! rest. Each update function lists every field of its `…Changes` struct (destructured, so
//! a new field that is not written is a compile error), and this issues one `UPDATE`.

use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryFilter, Value};

use super::CatalogError;

/// The columns an update sets; a field given as `None` keeps its value.
pub(crate) struct Patch<E: EntityTrait> {
    assignments: Vec<(E::Column, Value)>,
}

impl<E: EntityTrait> Patch<E> {
    pub(crate) fn new() -> Self {
        Self {
            assignments: Vec::new(),
        }
    }

    /// Sets `column` to `value` when it is `Some`.
    pub(crate) fn set<V: Into<Value>>(mut self, column: E::Column, value: Option<V>) -> Self {
        if let Some(value) = value {
            self.assignments.push((column, value.into()));
        }
        self
    }

    /// Runs the `UPDATE` on the rows `target` selects; with nothing to set, does nothing.
    /// A database error goes through `on_error`, which classifies constraint violations.
    pub(crate) async fn apply(
        self,
        db: &impl ConnectionTrait,
        target: impl IntoCondition,
        on_error: impl FnOnce(DbErr) -> CatalogError,
    ) -> Result<(), CatalogError> {
        if self.assignments.is_empty() {
            return Ok(());
        }
        let mut update = E::update_many().filter(target);
        for (column, value) in self.assignments {
            update = update.col_expr(column, Expr::value(value));
        }
        update.exec(db).await.map_err(on_error)?;
        Ok(())
    }
}
