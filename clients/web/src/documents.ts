// The documents a frontend sends, typed by graphql-codegen (`npm run codegen` writes
// src/gql/ from every `graphql(...)` call here). Import the constants; their types carry
// the variables and the result.
import { graphql } from "./gql";

export const ReleaseFields = graphql(`
  fragment ReleaseFields on Release {
    id
    version
    releaseDate
  }
`);

export const SoftwareFields = graphql(`
  fragment SoftwareFields on Software {
    id
    displayName
    maintainerName
    maintainerEmail
    releaseCount
    latestRelease {
      ...ReleaseFields
    }
    releases {
      ...ReleaseFields
    }
  }
`);

/**
 * One page of the software list, as a fragment on the query root so that `deleteSoftware`
 * can ask for the same page in its `query` field (one round trip, see DeleteSoftware).
 * It uses the variables of the operation that spreads it: $first, $after, $filter, $orderBy.
 */
export const SoftwareListPageFields = graphql(`
  fragment SoftwareListPageFields on Query {
    softwareList(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      nodes {
        ...SoftwareFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/**
 * The list page, with its releases and `totalCount`, and in the same round trip the feed
 * position to subscribe from (`catalogChanges(after: catalogChangeCursor)`).
 */
export const SoftwareListPage = graphql(`
  query SoftwareListPage(
    $first: Int
    $after: String
    $filter: SoftwareFilter
    $orderBy: SoftwareOrder
  ) {
    ...SoftwareListPageFields
    catalogChangeCursor
  }
`);

export const SoftwareById = graphql(`
  query SoftwareById($id: UUID!) {
    software(id: $id) {
      ...SoftwareFields
    }
  }
`);

export const ReleaseById = graphql(`
  query ReleaseById($id: UUID!) {
    release(id: $id) {
      ...ReleaseFields
      software {
        id
        displayName
        releaseCount
      }
    }
  }
`);

/** Releases across the catalog (newest first unless `orderBy` says otherwise). */
export const ReleaseListPage = graphql(`
  query ReleaseListPage(
    $first: Int
    $after: String
    $filter: ReleaseFilter
    $orderBy: ReleaseOrder
  ) {
    releases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      nodes {
        ...ReleaseFields
        software {
          id
          displayName
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateSoftware = graphql(`
  mutation CreateSoftware($input: CreateSoftwareInput!) {
    createSoftware(input: $input) {
      ...SoftwareFields
    }
  }
`);

/**
 * Deletes a software (its releases go with it) and, in the same round trip, reads the list
 * page the user is on again: pass that page's variables ($first, $after, $filter,
 * $orderBy). `deletedReleaseIds` are exactly the releases the cascade removed; the cache
 * helpers (apollo.ts, urql.ts) evict them and write `query` back as the page.
 */
export const DeleteSoftware = graphql(`
  mutation DeleteSoftware(
    $id: UUID!
    $first: Int
    $after: String
    $filter: SoftwareFilter
    $orderBy: SoftwareOrder
  ) {
    deleteSoftware(id: $id) {
      deletedSoftwareId
      deletedReleaseIds
      query {
        ...SoftwareListPageFields
      }
    }
  }
`);

/**
 * Deletes one release and, in the same round trip, reads its software again (its
 * `releases`, `releaseCount` and `latestRelease` changed). $softwareId is the release's
 * software, which the frontend showing the release knows.
 */
export const DeleteRelease = graphql(`
  mutation DeleteRelease($id: UUID!, $softwareId: UUID!) {
    deleteRelease(id: $id) {
      deletedReleaseId
      softwareId
      query {
        software(id: $softwareId) {
          ...SoftwareFields
        }
      }
    }
  }
`);

/** The position of the newest committed change (also in SoftwareListPage). */
export const CatalogChangeCursor = graphql(`
  query CatalogChangeCursor {
    catalogChangeCursor
  }
`);

/** Every committed change after `$after`, whichever client or instance made it. */
export const CatalogChanges = graphql(`
  subscription CatalogChanges($after: String, $softwareId: UUID) {
    catalogChanges(after: $after, softwareId: $softwareId) {
      cursor
      kind
      softwareId
      releaseIds
    }
  }
`);
