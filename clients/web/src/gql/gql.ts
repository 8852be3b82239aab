/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ReleaseFields on Release {\n    id\n    version\n    releaseDate\n  }\n": typeof types.ReleaseFieldsFragmentDoc,
    "\n  fragment SoftwareFields on Software {\n    id\n    displayName\n    maintainerName\n    maintainerEmail\n    releaseCount\n    latestRelease {\n      ...ReleaseFields\n    }\n    releases {\n      ...ReleaseFields\n    }\n  }\n": typeof types.SoftwareFieldsFragmentDoc,
    "\n  fragment SoftwareListPageFields on Query {\n    softwareList(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...SoftwareFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SoftwareListPageFieldsFragmentDoc,
    "\n  query SoftwareListPage(\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    ...SoftwareListPageFields\n    catalogChangeCursor\n  }\n": typeof types.SoftwareListPageDocument,
    "\n  query SoftwareById($id: UUID!) {\n    software(id: $id) {\n      ...SoftwareFields\n    }\n  }\n": typeof types.SoftwareByIdDocument,
    "\n  query ReleaseById($id: UUID!) {\n    release(id: $id) {\n      ...ReleaseFields\n      software {\n        id\n        displayName\n        releaseCount\n      }\n    }\n  }\n": typeof types.ReleaseByIdDocument,
    "\n  query ReleaseListPage(\n    $first: Int\n    $after: String\n    $filter: ReleaseFilter\n    $orderBy: ReleaseOrder\n  ) {\n    releases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...ReleaseFields\n        software {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ReleaseListPageDocument,
    "\n  mutation CreateSoftware($input: CreateSoftwareInput!) {\n    createSoftware(input: $input) {\n      ...SoftwareFields\n    }\n  }\n": typeof types.CreateSoftwareDocument,
    "\n  mutation DeleteSoftware(\n    $id: UUID!\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    deleteSoftware(id: $id) {\n      deletedSoftwareId\n      deletedReleaseIds\n      query {\n        ...SoftwareListPageFields\n      }\n    }\n  }\n": typeof types.DeleteSoftwareDocument,
    "\n  mutation DeleteRelease($id: UUID!, $softwareId: UUID!) {\n    deleteRelease(id: $id) {\n      deletedReleaseId\n      softwareId\n      query {\n        software(id: $softwareId) {\n          ...SoftwareFields\n        }\n      }\n    }\n  }\n": typeof types.DeleteReleaseDocument,
    "\n  query CatalogChangeCursor {\n    catalogChangeCursor\n  }\n": typeof types.CatalogChangeCursorDocument,
    "\n  subscription CatalogChanges($after: String, $softwareId: UUID) {\n    catalogChanges(after: $after, softwareId: $softwareId) {\n      cursor\n      kind\n      softwareId\n      releaseIds\n    }\n  }\n": typeof types.CatalogChangesDocument,
};
const documents: Documents = {
    "\n  fragment ReleaseFields on Release {\n    id\n    version\n    releaseDate\n  }\n": types.ReleaseFieldsFragmentDoc,
    "\n  fragment SoftwareFields on Software {\n    id\n    displayName\n    maintainerName\n    maintainerEmail\n    releaseCount\n    latestRelease {\n      ...ReleaseFields\n    }\n    releases {\n      ...ReleaseFields\n    }\n  }\n": types.SoftwareFieldsFragmentDoc,
    "\n  fragment SoftwareListPageFields on Query {\n    softwareList(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...SoftwareFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SoftwareListPageFieldsFragmentDoc,
    "\n  query SoftwareListPage(\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    ...SoftwareListPageFields\n    catalogChangeCursor\n  }\n": types.SoftwareListPageDocument,
    "\n  query SoftwareById($id: UUID!) {\n    software(id: $id) {\n      ...SoftwareFields\n    }\n  }\n": types.SoftwareByIdDocument,
    "\n  query ReleaseById($id: UUID!) {\n    release(id: $id) {\n      ...ReleaseFields\n      software {\n        id\n        displayName\n        releaseCount\n      }\n    }\n  }\n": types.ReleaseByIdDocument,
    "\n  query ReleaseListPage(\n    $first: Int\n    $after: String\n    $filter: ReleaseFilter\n    $orderBy: ReleaseOrder\n  ) {\n    releases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...ReleaseFields\n        software {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ReleaseListPageDocument,
    "\n  mutation CreateSoftware($input: CreateSoftwareInput!) {\n    createSoftware(input: $input) {\n      ...SoftwareFields\n    }\n  }\n": types.CreateSoftwareDocument,
    "\n  mutation DeleteSoftware(\n    $id: UUID!\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    deleteSoftware(id: $id) {\n      deletedSoftwareId\n      deletedReleaseIds\n      query {\n        ...SoftwareListPageFields\n      }\n    }\n  }\n": types.DeleteSoftwareDocument,
    "\n  mutation DeleteRelease($id: UUID!, $softwareId: UUID!) {\n    deleteRelease(id: $id) {\n      deletedReleaseId\n      softwareId\n      query {\n        software(id: $softwareId) {\n          ...SoftwareFields\n        }\n      }\n    }\n  }\n": types.DeleteReleaseDocument,
    "\n  query CatalogChangeCursor {\n    catalogChangeCursor\n  }\n": types.CatalogChangeCursorDocument,
    "\n  subscription CatalogChanges($after: String, $softwareId: UUID) {\n    catalogChanges(after: $after, softwareId: $softwareId) {\n      cursor\n      kind\n      softwareId\n      releaseIds\n    }\n  }\n": types.CatalogChangesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReleaseFields on Release {\n    id\n    version\n    releaseDate\n  }\n"): (typeof documents)["\n  fragment ReleaseFields on Release {\n    id\n    version\n    releaseDate\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SoftwareFields on Software {\n    id\n    displayName\n    maintainerName\n    maintainerEmail\n    releaseCount\n    latestRelease {\n      ...ReleaseFields\n    }\n    releases {\n      ...ReleaseFields\n    }\n  }\n"): (typeof documents)["\n  fragment SoftwareFields on Software {\n    id\n    displayName\n    maintainerName\n    maintainerEmail\n    releaseCount\n    latestRelease {\n      ...ReleaseFields\n    }\n    releases {\n      ...ReleaseFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SoftwareListPageFields on Query {\n    softwareList(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...SoftwareFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SoftwareListPageFields on Query {\n    softwareList(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...SoftwareFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SoftwareListPage(\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    ...SoftwareListPageFields\n    catalogChangeCursor\n  }\n"): (typeof documents)["\n  query SoftwareListPage(\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    ...SoftwareListPageFields\n    catalogChangeCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SoftwareById($id: UUID!) {\n    software(id: $id) {\n      ...SoftwareFields\n    }\n  }\n"): (typeof documents)["\n  query SoftwareById($id: UUID!) {\n    software(id: $id) {\n      ...SoftwareFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReleaseById($id: UUID!) {\n    release(id: $id) {\n      ...ReleaseFields\n      software {\n        id\n        displayName\n        releaseCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReleaseById($id: UUID!) {\n    release(id: $id) {\n      ...ReleaseFields\n      software {\n        id\n        displayName\n        releaseCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReleaseListPage(\n    $first: Int\n    $after: String\n    $filter: ReleaseFilter\n    $orderBy: ReleaseOrder\n  ) {\n    releases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...ReleaseFields\n        software {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReleaseListPage(\n    $first: Int\n    $after: String\n    $filter: ReleaseFilter\n    $orderBy: ReleaseOrder\n  ) {\n    releases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      nodes {\n        ...ReleaseFields\n        software {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSoftware($input: CreateSoftwareInput!) {\n    createSoftware(input: $input) {\n      ...SoftwareFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSoftware($input: CreateSoftwareInput!) {\n    createSoftware(input: $input) {\n      ...SoftwareFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSoftware(\n    $id: UUID!\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    deleteSoftware(id: $id) {\n      deletedSoftwareId\n      deletedReleaseIds\n      query {\n        ...SoftwareListPageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSoftware(\n    $id: UUID!\n    $first: Int\n    $after: String\n    $filter: SoftwareFilter\n    $orderBy: SoftwareOrder\n  ) {\n    deleteSoftware(id: $id) {\n      deletedSoftwareId\n      deletedReleaseIds\n      query {\n        ...SoftwareListPageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRelease($id: UUID!, $softwareId: UUID!) {\n    deleteRelease(id: $id) {\n      deletedReleaseId\n      softwareId\n      query {\n        software(id: $softwareId) {\n          ...SoftwareFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteRelease($id: UUID!, $softwareId: UUID!) {\n    deleteRelease(id: $id) {\n      deletedReleaseId\n      softwareId\n      query {\n        software(id: $softwareId) {\n          ...SoftwareFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CatalogChangeCursor {\n    catalogChangeCursor\n  }\n"): (typeof documents)["\n  query CatalogChangeCursor {\n    catalogChangeCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CatalogChanges($after: String, $softwareId: UUID) {\n    catalogChanges(after: $after, softwareId: $softwareId) {\n      cursor\n      kind\n      softwareId\n      releaseIds\n    }\n  }\n"): (typeof documents)["\n  subscription CatalogChanges($after: String, $softwareId: UUID) {\n    catalogChanges(after: $after, softwareId: $softwareId) {\n      cursor\n      kind\n      softwareId\n      releaseIds\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;