//! The `Query` root: lookups and paginated lists.

use async_graphql::{Context, Object, Result};

use super::db;
use super::inputs::{ReleaseFilter, ReleaseOrder, SoftwareFilter, SoftwareOrder};
use super::scalars::Id;
use super::types::{Release, ReleaseConnection, Software, SoftwareConnection};
use crate::catalog;
use crate::domain::PageSize;

#[derive(Default)]
pub struct QueryRoot;

#[Object(name = "Query")]
impl QueryRoot {
    /// Null when no software has this id.
    async fn software(&self, ctx: &Context<'_>, id: Id) -> Result<Option<Software>> {
        Ok(catalog::software::find(db(ctx)?, id.0)
            .await?
            .map(Into::into))
    }

    /// Null when no software has this display name (exact match).
    async fn software_by_name(
        &self,
        ctx: &Context<'_>,
        display_name: String,
    ) -> Result<Option<Software>> {
        Ok(catalog::software::find_by_name(db(ctx)?, &display_name)
            .await?
            .map(Into::into))
    }

    /// Forward pagination: `first` (default 20, at most 100) and `after` (an endCursor).
    async fn software_list(
        &self,
        ctx: &Context<'_>,
        filter: Option<SoftwareFilter>,
        #[graphql(desc = "Default: by displayName, ascending.")] order_by: Option<SoftwareOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<SoftwareConnection> {
        let filter = catalog::software::SoftwareFilter::from(filter.unwrap_or_default());
        let order = order_by.map(Into::into).unwrap_or_default();
        let first = PageSize::parse(first)?;
        let page =
            catalog::software::list(db(ctx)?, &filter, order, first, after.as_deref()).await?;
        Ok(SoftwareConnection { page, filter })
    }

    /// Null when no release has this id.
    async fn release(&self, ctx: &Context<'_>, id: Id) -> Result<Option<Release>> {
        Ok(catalog::release::find(db(ctx)?, id.0)
            .await?
            .map(Into::into))
    }

    /// Forward pagination: `first` (default 20, at most 100) and `after` (an endCursor).
    async fn releases(
        &self,
        ctx: &Context<'_>,
        filter: Option<ReleaseFilter>,
        #[graphql(desc = "Default: by releaseDate, newest first.")] order_by: Option<ReleaseOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ReleaseConnection> {
        let filter = catalog::release::ReleaseFilter::from(filter.unwrap_or_default());
        let order = order_by.map(Into::into).unwrap_or_default();
        let first = PageSize::parse(first)?;
        let page =
            catalog::release::list(db(ctx)?, &filter, order, first, after.as_deref()).await?;
        Ok(ReleaseConnection { page, filter })
    }
}
