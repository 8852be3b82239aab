//! Keyset pagination shared by the catalog's lists.
//!
//! Every list is ordered by one sort column and then by id in the same direction, so the
//! order is total; a page is "the next `first` rows after this (sort value, id)". Unlike
//! offsets, this never repeats or skips a row that exists for the whole walk, even while
//! other rows are inserted or deleted, and it costs the same on page 1 and page 1000.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, QueryTrait, Select, Value,
};
use uuid::Uuid;

use super::cursor::Position;
use super::sql;
use crate::domain::PageSize;

/// Which way a list is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortDirection {
    Asc,
    Desc,
}

impl SortDirection {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SortDirection::Asc => "ASC",
            SortDirection::Desc => "DESC",
        }
    }

    pub(crate) fn order(self) -> Order {
        match self {
            SortDirection::Asc => Order::Asc,
            SortDirection::Desc => Order::Desc,
        }
    }
}

/// One page of a list, each item with its position, which makes the cursor that points
/// just past it.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<(Position, T)>,
    /// More items follow the last one of this page.
    pub has_next_page: bool,
    /// `after` was given and at least one item comes before it.
    pub has_previous_page: bool,
}

/// The order of a list: a sort column, then the id column, both in `direction`.
pub(crate) struct Keyset<C> {
    pub sort: C,
    pub id: C,
    pub direction: SortDirection,
}

impl<C: ColumnTrait> Keyset<C> {
    /// Rows that come strictly after the position (`sort`, `id`).
    fn after(&self, sort: Value, id: Uuid) -> Condition {
        let (beyond, tie) = match self.direction {
            SortDirection::Asc => (self.sort.gt(sort.clone()), self.id.gt(id)),
            SortDirection::Desc => (self.sort.lt(sort.clone()), self.id.lt(id)),
        };
        Condition::any()
            .add(beyond)
            .add(Condition::all().add(self.sort.eq(sort)).add(tie))
    }

    /// Rows at the position (`sort`, `id`) or before it: the complement of [`Self::after`].
    fn at_or_before(&self, sort: Value, id: Uuid) -> Condition {
        self.after(sort, id).not()
    }

    /// Reads the page of `query` (already filtered, selecting the entity's columns in their
    /// order, which `row` reads by position) that starts after `after`.
    pub(crate) async fn fetch<E>(
        &self,
        db: &(impl ConnectionTrait + 'static),
        query: Select<E>,
        first: PageSize,
        after: Option<(Value, Uuid)>,
        row: fn(&QueryResult) -> Result<E::Model, DbErr>,
        position_of: impl Fn(&E::Model) -> Position,
    ) -> Result<Page<E::Model>, DbErr>
    where
        E: EntityTrait<Column = C>,
    {
        let mut query = query;
        let mut has_previous_page = false;
        if let Some((sort, id)) = after {
            has_previous_page = query
                .clone()
                .filter(self.at_or_before(sort.clone(), id))
                .limit(1)
                .one(db)
                .await?
                .is_some();
            query = query.filter(self.after(sort, id));
        }
        let order = self.direction.order();
        let statement = query
            .order_by(self.sort, order.clone())
            .order_by(self.id, order)
            .limit(first.get() + 1)
            .build(db.get_database_backend());
        let mut rows = sql::all(db, statement, row).await?;
        let has_next_page = rows.len() as u64 > first.get();
        rows.truncate(first.get() as usize);
        Ok(Page {
            items: rows
                .into_iter()
                .map(|row| (position_of(&row), row))
                .collect(),
            has_next_page,
            has_previous_page,
        })
    }
}
