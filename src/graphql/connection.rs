//! Lists: one generic Relay connection for every paginated list, its edges and page info,
//! and the sort direction that list orders share.

use std::borrow::Cow;
use std::future::Future;

use async_graphql::{Context, Enum, Object, OutputType, Result, ResultExt, SimpleObject, TypeName};
use sea_orm::DatabaseConnection;

use super::direct::{Direct, DirectList, PlainFields};
use super::request::db;
use crate::catalog::{self, CatalogError, Page, Position};

/// An item type that lists page through: what it is read from, how its list is filtered
/// and counted, and what its connection and edge types are called in the schema.
pub trait Node: OutputType + PlainFields + Clone {
    /// The database row an item is made from.
    type Row: Clone + Send + Sync;
    /// The catalog's filter of the list, kept to count the whole list on demand.
    type Filter: Send + Sync;
    /// The connection's type name, e.g. `SoftwareConnection`.
    const CONNECTION: &'static str;
    /// The edge's type name, e.g. `SoftwareEdge`.
    const EDGE: &'static str;

    /// How many items match `filter`, ignoring pagination.
    fn count(
        db: &DatabaseConnection,
        filter: &Self::Filter,
    ) -> impl Future<Output = Result<u64, CatalogError>> + Send;

    /// The items of `rows`, in one group whose related fields load together.
    fn group(rows: Vec<Self::Row>) -> Vec<Self>;
}

/// One page of a list.
pub struct Connection<N: Node> {
    /// The items, each with its position, which makes the cursor that points just past it
    /// when a client asks for it.
    items: Vec<(Position, N)>,
    has_next_page: bool,
    has_previous_page: bool,
    filter: N::Filter,
}

impl<N: Node> Connection<N> {
    /// The connection of `page`, read from the list that `filter` selects. The page's
    /// items are one group: their related fields load once for the whole page.
    pub fn new(page: Page<N::Row>, filter: N::Filter) -> Self {
        let (positions, rows): (Vec<Position>, Vec<N::Row>) = page.items.into_iter().unzip();
        Self {
            items: positions.into_iter().zip(N::group(rows)).collect(),
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            filter,
        }
    }
}

impl<N: Node> TypeName for Connection<N> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(N::CONNECTION)
    }
}

/// One page of a list, as a Relay connection. `totalCount` is only counted when asked for.
#[Object(name_type, serial)]
impl<N: Node> Connection<N> {
    /// The items of this page, each with its cursor.
    async fn edges(&self) -> Vec<Edge<N>> {
        self.items
            .iter()
            .map(|(position, node)| Edge {
                position: position.clone(),
                node: node.clone(),
            })
            .collect()
    }

    /// The items of this page, without cursors.
    async fn nodes(&self) -> DirectList<Vec<&N>> {
        DirectList(self.items.iter().map(|(_, node)| node).collect())
    }

    /// Where this page is in the list, and the cursors to read on from it.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.items.first().map(|(position, _)| position.cursor()),
            end_cursor: self.items.last().map(|(position, _)| position.cursor()),
        }
    }

    /// All items that match the filter, ignoring pagination.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = N::count(db(ctx)?, &self.filter).await.extend()?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

/// An item of a page and its position, which makes its cursor.
pub struct Edge<N: Node> {
    position: Position,
    node: N,
}

impl<N: Node> TypeName for Edge<N> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(N::EDGE)
    }
}

/// An item of a page, with the cursor that points just past it.
#[Object(name_type, serial)]
impl<N: Node> Edge<N> {
    /// Pass it as `after` to read the items that follow this one.
    async fn cursor(&self) -> String {
        self.position.cursor()
    }

    /// The item.
    async fn node(&self) -> Direct<&N> {
        Direct(&self.node)
    }
}

/// Relay cursor-connection page information.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct PageInfo {
    /// More items follow the last one of this page.
    pub has_next_page: bool,
    /// `after` was given and at least one item precedes it.
    pub has_previous_page: bool,
    /// The cursor of the first item of this page; null when the page is empty.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of this page; pass it as `after` for the next page.
    /// Null when the page is empty.
    pub end_cursor: Option<String>,
}

/// Which way a list is sorted.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    /// Smallest first: A to Z, oldest first.
    Asc,
    /// Largest first: Z to A, newest first.
    Desc,
}

impl From<SortDirection> for catalog::SortDirection {
    fn from(direction: SortDirection) -> Self {
        match direction {
            SortDirection::Asc => Self::Asc,
            SortDirection::Desc => Self::Desc,
        }
    }
}
