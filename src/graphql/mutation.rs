//! The `Mutation` root. Each mutation is one transaction: when it fails, nothing changed.
//! When the server has API tokens, each needs a valid bearer token ([`super::auth`]).

use async_graphql::{Context, Object, Result};

use super::auth::WriteAccess;
use super::db;
use super::inputs::{
    CreateReleaseInput, CreateSoftwareInput, UpdateReleaseInput, UpdateSoftwareInput,
};
use super::scalars::Id;
use super::types::{DeleteReleasePayload, DeleteSoftwarePayload, Release, Software};
use crate::catalog;

#[derive(Default)]
pub struct MutationRoot;

#[Object(name = "Mutation")]
impl MutationRoot {
    /// Creates a software, and its `releases` if given, all in one transaction.
    /// A taken displayName or a version given twice is CONFLICT and creates nothing.
    #[graphql(guard = "WriteAccess")]
    async fn create_software(
        &self,
        ctx: &Context<'_>,
        input: CreateSoftwareInput,
    ) -> Result<Software> {
        let new = input.parse()?;
        Ok(catalog::software::create(db(ctx)?, new).await?.into())
    }

    /// Changes the fields given in `input`; absent fields stay as they are.
    /// Unknown id: NOT_FOUND. A displayName taken by another software: CONFLICT.
    #[graphql(guard = "WriteAccess")]
    async fn update_software(
        &self,
        ctx: &Context<'_>,
        id: Id,
        input: UpdateSoftwareInput,
    ) -> Result<Software> {
        let changes = input.parse()?;
        Ok(catalog::software::update(db(ctx)?, id.0, changes)
            .await?
            .into())
    }

    /// Deletes a software; the database deletes its releases with it (ON DELETE CASCADE).
    /// Answers exactly the ids of the releases removed, so clients can evict them from their
    /// caches. Unknown id: NOT_FOUND.
    #[graphql(guard = "WriteAccess")]
    async fn delete_software(&self, ctx: &Context<'_>, id: Id) -> Result<DeleteSoftwarePayload> {
        Ok(catalog::software::delete(db(ctx)?, id.0).await?.into())
    }

    /// Adds a release to a software. Unknown softwareId: NOT_FOUND. A version the software
    /// already has: CONFLICT.
    #[graphql(guard = "WriteAccess")]
    async fn create_release(
        &self,
        ctx: &Context<'_>,
        input: CreateReleaseInput,
    ) -> Result<Release> {
        let (software_id, new) = input.parse()?;
        Ok(catalog::release::create(db(ctx)?, software_id, new)
            .await?
            .into())
    }

    /// Changes the fields given in `input`; absent fields stay as they are.
    /// Unknown id: NOT_FOUND. A version the software already has: CONFLICT.
    #[graphql(guard = "WriteAccess")]
    async fn update_release(
        &self,
        ctx: &Context<'_>,
        id: Id,
        input: UpdateReleaseInput,
    ) -> Result<Release> {
        let changes = input.parse()?;
        Ok(catalog::release::update(db(ctx)?, id.0, changes)
            .await?
            .into())
    }

    /// Deletes one release; its software stays. Unknown id: NOT_FOUND.
    #[graphql(guard = "WriteAccess")]
    async fn delete_release(&self, ctx: &Context<'_>, id: Id) -> Result<DeleteReleasePayload> {
        Ok(catalog::release::delete(db(ctx)?, id.0).await?.into())
    }
}
