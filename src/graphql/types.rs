//! The schema's output types. They convert from the database models (`From<Model>`) and
//! name their fields themselves, so a renamed column cannot silently change the API.

use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject};
use entity::{release, software};

use super::loaders::{ReleaseCountOfSoftware, ReleasesOfSoftware, SoftwareById};
use super::scalars::{Date, Id};
use super::{ReleaseOrder, db};
use crate::catalog::{self, CatalogError, Page};

/// A piece of software tracked by the catalog.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Software {
    pub id: Id,
    /// Unique across the catalog.
    pub display_name: String,
    pub maintainer_name: Option<String>,
    pub maintainer_email: String,
}

impl From<software::Model> for Software {
    fn from(row: software::Model) -> Self {
        Self {
            id: Id(row.software_id),
            display_name: row.display_name,
            maintainer_name: row.maintainer_name,
            maintainer_email: row.maintainer_email,
        }
    }
}

#[ComplexObject]
impl Software {
    /// This software's releases, newest release date first unless `orderBy` says otherwise.
    async fn releases(
        &self,
        ctx: &Context<'_>,
        order_by: Option<ReleaseOrder>,
    ) -> Result<Vec<Release>> {
        let loader = ctx.data::<DataLoader<ReleasesOfSoftware>>()?;
        let mut releases = loader.load_one(self.id.0).await?.unwrap_or_default();
        if let Some(order) = order_by {
            let order = catalog::release::ReleaseOrder::from(order);
            releases.sort_by(|a, b| order.compare(a, b));
        }
        Ok(releases.into_iter().map(Release::from).collect())
    }

    /// The release with the newest release date, or null when there is none.
    async fn latest_release(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        let loader = ctx.data::<DataLoader<ReleasesOfSoftware>>()?;
        let releases = loader.load_one(self.id.0).await?.unwrap_or_default();
        Ok(releases.into_iter().next().map(Release::from))
    }

    async fn release_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let loader = ctx.data::<DataLoader<ReleaseCountOfSoftware>>()?;
        let count = loader.load_one(self.id.0).await?.unwrap_or_default();
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

/// One released version of a piece of software.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Release {
    pub id: Id,
    /// Unique within its software.
    pub version: String,
    pub release_date: Date,
    #[graphql(skip)]
    pub software_id: Id,
}

impl From<release::Model> for Release {
    fn from(row: release::Model) -> Self {
        Self {
            id: Id(row.release_id),
            version: row.version,
            release_date: Date(row.release_date),
            software_id: Id(row.software_id),
        }
    }
}

#[ComplexObject]
impl Release {
    async fn software(&self, ctx: &Context<'_>) -> Result<Software> {
        let loader = ctx.data::<DataLoader<SoftwareById>>()?;
        let software = loader.load_one(self.software_id.0).await?;
        // Only possible when the software was deleted after this release was read.
        let software = software.ok_or(CatalogError::NotFound {
            entity: "software",
            id: self.software_id.0,
        })?;
        Ok(software.into())
    }
}

/// Which way a list is sorted.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    Asc,
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

/// Relay cursor-connection page information.
#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

impl PageInfo {
    fn of<T>(page: &Page<T>) -> Self {
        Self {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.items.first().map(|(cursor, _)| cursor.clone()),
            end_cursor: page.items.last().map(|(cursor, _)| cursor.clone()),
        }
    }
}

#[derive(SimpleObject)]
pub struct SoftwareEdge {
    pub cursor: String,
    pub node: Software,
}

/// A page of software. `totalCount` is only counted when asked for.
pub struct SoftwareConnection {
    pub page: Page<software::Model>,
    pub filter: catalog::software::SoftwareFilter,
}

#[Object]
impl SoftwareConnection {
    async fn edges(&self) -> Vec<SoftwareEdge> {
        self.page
            .items
            .iter()
            .map(|(cursor, row)| SoftwareEdge {
                cursor: cursor.clone(),
                node: row.clone().into(),
            })
            .collect()
    }

    async fn nodes(&self) -> Vec<Software> {
        self.page
            .items
            .iter()
            .map(|(_, row)| row.clone().into())
            .collect()
    }

    async fn page_info(&self) -> PageInfo {
        PageInfo::of(&self.page)
    }

    /// All items that match the filter, ignoring pagination.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = catalog::software::count(db(ctx)?, &self.filter).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

#[derive(SimpleObject)]
pub struct ReleaseEdge {
    pub cursor: String,
    pub node: Release,
}

/// A page of releases. `totalCount` is only counted when asked for.
pub struct ReleaseConnection {
    pub page: Page<release::Model>,
    pub filter: catalog::release::ReleaseFilter,
}

#[Object]
impl ReleaseConnection {
    async fn edges(&self) -> Vec<ReleaseEdge> {
        self.page
            .items
            .iter()
            .map(|(cursor, row)| ReleaseEdge {
                cursor: cursor.clone(),
                node: row.clone().into(),
            })
            .collect()
    }

    async fn nodes(&self) -> Vec<Release> {
        self.page
            .items
            .iter()
            .map(|(_, row)| row.clone().into())
            .collect()
    }

    async fn page_info(&self) -> PageInfo {
        PageInfo::of(&self.page)
    }

    /// All items that match the filter, ignoring pagination.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = catalog::release::count(db(ctx)?, &self.filter).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

/// What a deleteSoftware removed: the software and, by cascade, every one of its releases.
#[derive(SimpleObject)]
pub struct DeleteSoftwarePayload {
    pub deleted_software_id: Id,
    /// Exactly the releases that the cascade removed in the same transaction.
    pub deleted_release_ids: Vec<Id>,
}

impl From<catalog::software::DeletedSoftware> for DeleteSoftwarePayload {
    fn from(deleted: catalog::software::DeletedSoftware) -> Self {
        Self {
            deleted_software_id: Id(deleted.software_id),
            deleted_release_ids: deleted.release_ids.into_iter().map(Id).collect(),
        }
    }
}

/// What a deleteRelease removed, and the software it belonged to (which stays).
#[derive(SimpleObject)]
pub struct DeleteReleasePayload {
    pub deleted_release_id: Id,
    pub software_id: Id,
}

impl From<release::Model> for DeleteReleasePayload {
    fn from(row: release::Model) -> Self {
        Self {
            deleted_release_id: Id(row.release_id),
            software_id: Id(row.software_id),
        }
    }
}
