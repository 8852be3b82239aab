//! DataLoaders: one batched query per kind of relation instead of one query per parent.
//!
//! A page of 100 software asking for `releases`, `latestRelease` and `releaseCount` costs
//! two queries (releases by software, counts by software), not 300. The loaders hold no
//! cache, so they are shared by all requests and never answer stale data.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{release, software};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::catalog::{self, CatalogError};

/// Software by id, for `Release.software`.
pub struct SoftwareById(pub DatabaseConnection);

impl Loader<Uuid> for SoftwareById {
    type Value = software::Model;
    type Error = Arc<CatalogError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = catalog::software::find_many(&self.0, keys).await?;
        Ok(rows.into_iter().map(|row| (row.software_id, row)).collect())
    }
}

/// All releases of a software, newest first, for `Software.releases` and `latestRelease`.
pub struct ReleasesOfSoftware(pub DatabaseConnection);

impl Loader<Uuid> for ReleasesOfSoftware {
    type Value = Vec<release::Model>;
    type Error = Arc<CatalogError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(catalog::release::of_software(&self.0, keys).await?)
    }
}

/// The number of releases of a software, for `Software.releaseCount`.
pub struct ReleaseCountOfSoftware(pub DatabaseConnection);

impl Loader<Uuid> for ReleaseCountOfSoftware {
    type Value = u64;
    type Error = Arc<CatalogError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(catalog::release::count_of_software(&self.0, keys).await?)
    }
}
