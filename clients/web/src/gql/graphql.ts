/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date without time zone, ISO 8601 `YYYY-MM-DD` (e.g. 2024-05-31). */
  Date: { input: string; output: string; }
  /** An RFC 4122 UUID in its canonical hyphenated text form. */
  UUID: { input: string; output: string; }
};

/** One committed change to the catalog, as its mutation committed it. */
export type CatalogChange = {
  __typename: 'CatalogChange';
  /** Opaque position of this change in the feed. Pass it as `after` to resume after it. */
  cursor: Scalars['String']['output'];
  /** What the change did. */
  kind: CatalogChangeKind;
  /**
   * RELEASE_*: the one release. SOFTWARE_CREATED: the releases created with it.
   * SOFTWARE_DELETED: exactly the releases that the cascade removed. SOFTWARE_UPDATED:
   * empty.
   */
  releaseIds: Array<Scalars['UUID']['output']>;
  /** The software that changed, or whose release changed. */
  softwareId: Scalars['UUID']['output'];
};

/** What a committed change did. */
export type CatalogChangeKind =
  /** `createRelease`: `releaseIds` is the new release. */
  | 'RELEASE_CREATED'
  /** `deleteRelease`: `releaseIds` is the deleted release. */
  | 'RELEASE_DELETED'
  /** `updateRelease`: `releaseIds` is the changed release. */
  | 'RELEASE_UPDATED'
  /** `createSoftware`: `releaseIds` are the releases created with it. */
  | 'SOFTWARE_CREATED'
  /** `deleteSoftware`: `releaseIds` are exactly the releases the cascade removed. */
  | 'SOFTWARE_DELETED'
  /** `updateSoftware`: `releaseIds` is empty. */
  | 'SOFTWARE_UPDATED';

/** A new release of an existing software: `createRelease`'s input. */
export type CreateReleaseInput = {
  /** From 1000-01-01 to 9999-12-31. */
  releaseDate: Scalars['Date']['input'];
  /** The software this release belongs to; unknown is NOT_FOUND. */
  softwareId: Scalars['UUID']['input'];
  /** Trimmed; 1 to 64 characters; unique within the software. */
  version: Scalars['String']['input'];
};

/** A new software: `createSoftware`'s input. */
export type CreateSoftwareInput = {
  /** Trimmed; 1 to 200 characters; unique across the catalog (case-sensitive). */
  displayName: Scalars['String']['input'];
  /** Trimmed; at most 254 characters; one `@` and a domain with a dot. */
  maintainerEmail: Scalars['String']['input'];
  /** Trimmed; at most 200 characters; blank means none. */
  maintainerName?: InputMaybe<Scalars['String']['input']>;
  /** Releases created in the same transaction as the software. */
  releases?: InputMaybe<Array<NewRelease>>;
};

/** What a deleteRelease removed, and the software it belonged to (which stays). */
export type DeleteReleasePayload = {
  __typename: 'DeleteReleasePayload';
  /** The id of the release that no longer exists. */
  deletedReleaseId: Scalars['UUID']['output'];
  /**
   * The whole query root, read after the delete: ask here for what the delete changed
   * (a list and its `totalCount`, say) and get it in the same round trip.
   */
  query: Query;
  /** The software it belonged to; its `releases` and `releaseCount` have changed. */
  softwareId: Scalars['UUID']['output'];
};

/** What a deleteSoftware removed: the software and, by cascade, every one of its releases. */
export type DeleteSoftwarePayload = {
  __typename: 'DeleteSoftwarePayload';
  /** Exactly the releases that the cascade removed in the same transaction. */
  deletedReleaseIds: Array<Scalars['UUID']['output']>;
  /** The id of the software that no longer exists. */
  deletedSoftwareId: Scalars['UUID']['output'];
  /**
   * The whole query root, read after the delete: ask here for what the delete changed
   * (a list and its `totalCount`, say) and get it in the same round trip.
   */
  query: Query;
};

/** The `Mutation` root: every resource's mutations. */
export type Mutation = {
  __typename: 'Mutation';
  /**
   * Adds a release to a software. Unknown softwareId: NOT_FOUND. A version the software
   * already has: CONFLICT.
   */
  createRelease: Release;
  /**
   * Creates a software, and its `releases` if given, all in one transaction.
   * A taken displayName or a version given twice is CONFLICT and creates nothing.
   */
  createSoftware: Software;
  /** Deletes one release; its software stays. Unknown id: NOT_FOUND. */
  deleteRelease: DeleteReleasePayload;
  /**
   * Deletes a software; the database deletes its releases with it (ON DELETE CASCADE).
   * Answers exactly the ids of the releases removed, so clients can evict them from their
   * caches. Unknown id: NOT_FOUND.
   */
  deleteSoftware: DeleteSoftwarePayload;
  /**
   * Changes the fields given in `input`; absent fields stay as they are.
   * Unknown id: NOT_FOUND. A version the software already has: CONFLICT.
   */
  updateRelease: Release;
  /**
   * Changes the fields given in `input`; absent fields stay as they are.
   * Unknown id: NOT_FOUND. A displayName taken by another software: CONFLICT.
   */
  updateSoftware: Software;
};


/** The `Mutation` root: every resource's mutations. */
export type MutationCreateReleaseArgs = {
  input: CreateReleaseInput;
};


/** The `Mutation` root: every resource's mutations. */
export type MutationCreateSoftwareArgs = {
  input: CreateSoftwareInput;
};


/** The `Mutation` root: every resource's mutations. */
export type MutationDeleteReleaseArgs = {
  id: Scalars['UUID']['input'];
};


/** The `Mutation` root: every resource's mutations. */
export type MutationDeleteSoftwareArgs = {
  id: Scalars['UUID']['input'];
};


/** The `Mutation` root: every resource's mutations. */
export type MutationUpdateReleaseArgs = {
  id: Scalars['UUID']['input'];
  input: UpdateReleaseInput;
};


/** The `Mutation` root: every resource's mutations. */
export type MutationUpdateSoftwareArgs = {
  id: Scalars['UUID']['input'];
  input: UpdateSoftwareInput;
};

/** A release created together with its software. */
export type NewRelease = {
  /** From 1000-01-01 to 9999-12-31. */
  releaseDate: Scalars['Date']['input'];
  /** Trimmed; 1 to 64 characters; unique within the software. */
  version: Scalars['String']['input'];
};

/** Relay cursor-connection page information. */
export type PageInfo = {
  __typename: 'PageInfo';
  /**
   * The cursor of the last item of this page; pass it as `after` for the next page.
   * Null when the page is empty.
   */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** More items follow the last one of this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** `after` was given and at least one item precedes it. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first item of this page; null when the page is empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** The `Query` root: every resource's lookups and lists. */
export type Query = {
  __typename: 'Query';
  /**
   * The position of the newest committed change. Read it with a page of data, then
   * subscribe with `after:` it, and no change that commits later is missed.
   */
  catalogChangeCursor: Scalars['String']['output'];
  /** Null when no release has this id. */
  release?: Maybe<Release>;
  /** Forward pagination: `first` (default 20, at most 100) and `after` (an endCursor). */
  releases: ReleaseConnection;
  /** Null when no software has this id. */
  software?: Maybe<Software>;
  /** Null when no software has this display name (exact match). */
  softwareByName?: Maybe<Software>;
  /** Forward pagination: `first` (default 20, at most 100) and `after` (an endCursor). */
  softwareList: SoftwareConnection;
};


/** The `Query` root: every resource's lookups and lists. */
export type QueryReleaseArgs = {
  id: Scalars['UUID']['input'];
};


/** The `Query` root: every resource's lookups and lists. */
export type QueryReleasesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ReleaseFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ReleaseOrder>;
};


/** The `Query` root: every resource's lookups and lists. */
export type QuerySoftwareArgs = {
  id: Scalars['UUID']['input'];
};


/** The `Query` root: every resource's lookups and lists. */
export type QuerySoftwareByNameArgs = {
  displayName: Scalars['String']['input'];
};


/** The `Query` root: every resource's lookups and lists. */
export type QuerySoftwareListArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SoftwareFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<SoftwareOrder>;
};

/** One released version of a piece of software. */
export type Release = {
  __typename: 'Release';
  /** Stable identifier, assigned by the catalog when the release is created. */
  id: Scalars['UUID']['output'];
  /** The day it was released. */
  releaseDate: Scalars['Date']['output'];
  /** The software this release belongs to. */
  software: Software;
  /** Unique within its software. */
  version: Scalars['String']['output'];
};

/** One page of a list, as a Relay connection. `totalCount` is only counted when asked for. */
export type ReleaseConnection = {
  __typename: 'ReleaseConnection';
  /** The items of this page, each with its cursor. */
  edges: Array<ReleaseEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Release>;
  /** Where this page is in the list, and the cursors to read on from it. */
  pageInfo: PageInfo;
  /** All items that match the filter, ignoring pagination. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a page, with the cursor that points just past it. */
export type ReleaseEdge = {
  __typename: 'ReleaseEdge';
  /** Pass it as `after` to read the items that follow this one. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Release;
};

/** Narrows the release list; all given bounds apply together. */
export type ReleaseFilter = {
  /** Inclusive lower bound on the release date. */
  releasedFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Inclusive upper bound on the release date. */
  releasedTo?: InputMaybe<Scalars['Date']['input']>;
  /** Only the releases of this software. */
  softwareId?: InputMaybe<Scalars['UUID']['input']>;
};

/** The order of a release list; ties are broken by id in the same direction. */
export type ReleaseOrder = {
  /** Which way. */
  direction: SortDirection;
  /** What to sort by. */
  field: ReleaseOrderField;
};

/** What a release list can be sorted by. */
export type ReleaseOrderField =
  /** By the day of release. */
  | 'RELEASE_DATE'
  /** Plain text order by code point: `1.10` comes before `1.9`. */
  | 'VERSION';

/** A piece of software tracked by the catalog. */
export type Software = {
  __typename: 'Software';
  /** Unique across the catalog. */
  displayName: Scalars['String']['output'];
  /** Stable identifier, assigned by the catalog when the software is created. */
  id: Scalars['UUID']['output'];
  /** The release with the newest release date, or null when there is none. */
  latestRelease?: Maybe<Release>;
  /** Where to reach the maintainer. */
  maintainerEmail: Scalars['String']['output'];
  /** Who maintains it; null when nobody is named. */
  maintainerName?: Maybe<Scalars['String']['output']>;
  /** How many releases this software has. */
  releaseCount: Scalars['Int']['output'];
  /**
   * This software's releases, newest release date first unless `orderBy` says otherwise:
   * the first 100 unless `first` asks for another number (at most 500). For more, page
   * through `releases(filter: {softwareId: …})`.
   */
  releases: Array<Release>;
};


/** A piece of software tracked by the catalog. */
export type SoftwareReleasesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ReleaseOrder>;
};

/** One page of a list, as a Relay connection. `totalCount` is only counted when asked for. */
export type SoftwareConnection = {
  __typename: 'SoftwareConnection';
  /** The items of this page, each with its cursor. */
  edges: Array<SoftwareEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Software>;
  /** Where this page is in the list, and the cursors to read on from it. */
  pageInfo: PageInfo;
  /** All items that match the filter, ignoring pagination. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a page, with the cursor that points just past it. */
export type SoftwareEdge = {
  __typename: 'SoftwareEdge';
  /** Pass it as `after` to read the items that follow this one. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Software;
};

/**
 * Narrows the software list. Values are used as given (not trimmed); a NUL character or
 * more characters than the field can hold is BAD_USER_INPUT.
 */
export type SoftwareFilter = {
  /** Case-insensitive substring of the display name. */
  displayNameContains?: InputMaybe<Scalars['String']['input']>;
  /** Exact match, ignoring ASCII case. */
  maintainerEmail?: InputMaybe<Scalars['String']['input']>;
};

/** The order of the software list; ties are broken by id in the same direction. */
export type SoftwareOrder = {
  /** Which way. */
  direction: SortDirection;
  /** What to sort by. */
  field: SoftwareOrderField;
};

/** What the software list can be sorted by. */
export type SoftwareOrderField =
  /** By display name, in code point order. */
  | 'DISPLAY_NAME';

/** Which way a list is sorted. */
export type SortDirection =
  /** Smallest first: A to Z, oldest first. */
  | 'ASC'
  /** Largest first: Z to A, newest first. */
  | 'DESC';

/** The `Subscription` root: the live change feed. */
export type Subscription = {
  __typename: 'Subscription';
  /**
   * Committed changes, oldest first, each once. Without `after`: those committed after
   * the subscription starts. With `after`: first every retained change after that cursor,
   * then live ones, with no gap and no repeat at the seam. `softwareId` narrows the feed
   * to one software and its releases.
   *
   * A cursor that is not one of ours is `BAD_USER_INPUT`; one older than the retained
   * history is `CURSOR_EXPIRED` (reload the data, then subscribe from a fresh
   * `catalogChangeCursor`).
   */
  catalogChanges: CatalogChange;
};


/** The `Subscription` root: the live change feed. */
export type SubscriptionCatalogChangesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  softwareId?: InputMaybe<Scalars['UUID']['input']>;
};

/** Only the fields given are changed; null is refused for both. */
export type UpdateReleaseInput = {
  /** From 1000-01-01 to 9999-12-31. */
  releaseDate?: InputMaybe<Scalars['Date']['input']>;
  /** Trimmed; 1 to 64 characters; unique within the software. */
  version?: InputMaybe<Scalars['String']['input']>;
};

/** Only the fields given are changed; an explicit null clears maintainerName. */
export type UpdateSoftwareInput = {
  /** Trimmed; 1 to 200 characters; unique across the catalog. Null is refused. */
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** Trimmed; at most 254 characters; one `@` and a domain with a dot. Null is refused. */
  maintainerEmail?: InputMaybe<Scalars['String']['input']>;
  /** Trimmed; at most 200 characters; null or blank clears it. */
  maintainerName?: InputMaybe<Scalars['String']['input']>;
};

export type ReleaseFieldsFragment = { __typename: 'Release', id: string, version: string, releaseDate: string };

export type SoftwareFieldsFragment = { __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> };

export type SoftwareListPageFieldsFragment = { __typename: 'Query', softwareList: { __typename: 'SoftwareConnection', totalCount: number, nodes: Array<{ __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type SoftwareListPageQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SoftwareFilter>;
  orderBy?: InputMaybe<SoftwareOrder>;
}>;


export type SoftwareListPageQuery = { __typename: 'Query', catalogChangeCursor: string, softwareList: { __typename: 'SoftwareConnection', totalCount: number, nodes: Array<{ __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type SoftwareByIdQueryVariables = Exact<{
  id: Scalars['UUID']['input'];
}>;


export type SoftwareByIdQuery = { __typename: 'Query', software?: { __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> } | null };

export type ReleaseByIdQueryVariables = Exact<{
  id: Scalars['UUID']['input'];
}>;


export type ReleaseByIdQuery = { __typename: 'Query', release?: { __typename: 'Release', id: string, version: string, releaseDate: string, software: { __typename: 'Software', id: string, displayName: string, releaseCount: number } } | null };

export type ReleaseListPageQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ReleaseFilter>;
  orderBy?: InputMaybe<ReleaseOrder>;
}>;


export type ReleaseListPageQuery = { __typename: 'Query', releases: { __typename: 'ReleaseConnection', totalCount: number, nodes: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string, software: { __typename: 'Software', id: string, displayName: string } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type CreateSoftwareMutationVariables = Exact<{
  input: CreateSoftwareInput;
}>;


export type CreateSoftwareMutation = { __typename: 'Mutation', createSoftware: { __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> } };

export type DeleteSoftwareMutationVariables = Exact<{
  id: Scalars['UUID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SoftwareFilter>;
  orderBy?: InputMaybe<SoftwareOrder>;
}>;


export type DeleteSoftwareMutation = { __typename: 'Mutation', deleteSoftware: { __typename: 'DeleteSoftwarePayload', deletedSoftwareId: string, deletedReleaseIds: Array<string>, query: { __typename: 'Query', softwareList: { __typename: 'SoftwareConnection', totalCount: number, nodes: Array<{ __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } } };

export type DeleteReleaseMutationVariables = Exact<{
  id: Scalars['UUID']['input'];
  softwareId: Scalars['UUID']['input'];
}>;


export type DeleteReleaseMutation = { __typename: 'Mutation', deleteRelease: { __typename: 'DeleteReleasePayload', deletedReleaseId: string, softwareId: string, query: { __typename: 'Query', software?: { __typename: 'Software', id: string, displayName: string, maintainerName?: string | null, maintainerEmail: string, releaseCount: number, latestRelease?: { __typename: 'Release', id: string, version: string, releaseDate: string } | null, releases: Array<{ __typename: 'Release', id: string, version: string, releaseDate: string }> } | null } } };

export type CatalogChangeCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type CatalogChangeCursorQuery = { __typename: 'Query', catalogChangeCursor: string };

export type CatalogChangesSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
  softwareId?: InputMaybe<Scalars['UUID']['input']>;
}>;


export type CatalogChangesSubscription = { __typename: 'Subscription', catalogChanges: { __typename: 'CatalogChange', cursor: string, kind: CatalogChangeKind, softwareId: string, releaseIds: Array<string> } };

export const ReleaseFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}}]} as unknown as DocumentNode<ReleaseFieldsFragment, unknown>;
export const SoftwareFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}}]} as unknown as DocumentNode<SoftwareFieldsFragment, unknown>;
export const SoftwareListPageFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareListPageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Query"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"softwareList"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}}]} as unknown as DocumentNode<SoftwareListPageFieldsFragment, unknown>;
export const SoftwareListPageDocument = {"__meta__":{"hash":"86e24cfaf526117b86f56be2268713f4bc316d551430a375b3c58dc8b82b7444"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SoftwareListPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SoftwareFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SoftwareOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareListPageFields"}},{"kind":"Field","name":{"kind":"Name","value":"catalogChangeCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareListPageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Query"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"softwareList"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<SoftwareListPageQuery, SoftwareListPageQueryVariables>;
export const SoftwareByIdDocument = {"__meta__":{"hash":"5828555266a74452dfa4107be2308fe92f02ce6593cdae4b24cc18b955491cee"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SoftwareById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"software"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}}]} as unknown as DocumentNode<SoftwareByIdQuery, SoftwareByIdQueryVariables>;
export const ReleaseByIdDocument = {"__meta__":{"hash":"0ae17a6b163078200524275f9c91870fa6fa0e4824dc309be6522988f57f58aa"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReleaseById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"release"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}},{"kind":"Field","name":{"kind":"Name","value":"software"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}}]} as unknown as DocumentNode<ReleaseByIdQuery, ReleaseByIdQueryVariables>;
export const ReleaseListPageDocument = {"__meta__":{"hash":"ac91709846a24f7624aa40493cc15afd458b7b8fe387b7ce8608026f15e299b5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReleaseListPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ReleaseFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ReleaseOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}},{"kind":"Field","name":{"kind":"Name","value":"software"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}}]} as unknown as DocumentNode<ReleaseListPageQuery, ReleaseListPageQueryVariables>;
export const CreateSoftwareDocument = {"__meta__":{"hash":"8751fdf96a42fd99486b28a08d9f9c9b1b9c2c3557a8606027217c4c3bb47455"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateSoftware"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateSoftwareInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"createSoftware"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}}]} as unknown as DocumentNode<CreateSoftwareMutation, CreateSoftwareMutationVariables>;
export const DeleteSoftwareDocument = {"__meta__":{"hash":"2aa8ee7769fd6652d3edf0359f6eccd0a69f83ae7b0e942129ebc87c28f70dd5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteSoftware"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SoftwareFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SoftwareOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deleteSoftware"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deletedSoftwareId"}},{"kind":"Field","name":{"kind":"Name","value":"deletedReleaseIds"}},{"kind":"Field","name":{"kind":"Name","value":"query"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareListPageFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareListPageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Query"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"softwareList"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteSoftwareMutation, DeleteSoftwareMutationVariables>;
export const DeleteReleaseDocument = {"__meta__":{"hash":"a4f75b19b2e28c9d3738f9500f1101044d5596963171c075c2a22ba87efcdbd3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteRelease"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"softwareId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deleteRelease"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deletedReleaseId"}},{"kind":"Field","name":{"kind":"Name","value":"softwareId"}},{"kind":"Field","name":{"kind":"Name","value":"query"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"software"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"softwareId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SoftwareFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReleaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Release"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"releaseDate"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SoftwareFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Software"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerName"}},{"kind":"Field","name":{"kind":"Name","value":"maintainerEmail"}},{"kind":"Field","name":{"kind":"Name","value":"releaseCount"}},{"kind":"Field","name":{"kind":"Name","value":"latestRelease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"releases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReleaseFields"}}]}}]}}]} as unknown as DocumentNode<DeleteReleaseMutation, DeleteReleaseMutationVariables>;
export const CatalogChangeCursorDocument = {"__meta__":{"hash":"849628b73127e240726bade0476da3cdaa112e13b17f6a462e755bfa00e3241c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CatalogChangeCursor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"catalogChangeCursor"}}]}}]} as unknown as DocumentNode<CatalogChangeCursorQuery, CatalogChangeCursorQueryVariables>;
export const CatalogChangesDocument = {"__meta__":{"hash":"469c4e8f94c973cac80001988ed0b1146e42eecdaf1708b851bc2bc52bd2867a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CatalogChanges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"softwareId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"catalogChanges"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"softwareId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"softwareId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"softwareId"}},{"kind":"Field","name":{"kind":"Name","value":"releaseIds"}}]}}]}}]} as unknown as DocumentNode<CatalogChangesSubscription, CatalogChangesSubscriptionVariables>;