// Apollo Client cache recipe for swcat: copy this file (with src/gql/ and documents.ts).
//
//   const client = new ApolloClient({ cache: new InMemoryCache({ typePolicies }), link });
//   await client.mutate({
//     mutation: DeleteSoftware,
//     variables: { id, ...pageVariables }, // the list page on screen, refetched in the same round trip
//     update: updateDeleteSoftware,
//   });
//   const feed = followCatalogChanges(client, page.catalogChangeCursor); // other clients' changes
//
// What stays true: no cached query returns a software or release that no longer exists, and
// a cached list is either what a fresh query would answer or missing (then Apollo refetches
// it as soon as a watching query needs it).
import type {
  ApolloCache,
  ApolloClient,
  FieldPolicy,
  MutationUpdaterFunction,
  DefaultContext,
  TypePolicies,
} from "@apollo/client/core";
import {
  CatalogChangesDocument,
  SoftwareFieldsFragmentDoc,
  SoftwareListPageFieldsFragmentDoc,
  type CatalogChangesSubscription,
  type DeleteReleaseMutation,
  type DeleteReleaseMutationVariables,
  type DeleteSoftwareMutation,
  type DeleteSoftwareMutationVariables,
} from "./gql/graphql";

export type CatalogChange = CatalogChangesSubscription["catalogChanges"];

/** A lookup by id whose object was evicted reads as `null`, which is what the server answers. */
const nullOnceEvicted: FieldPolicy = {
  read(existing, { canRead }) {
    return existing != null && !canRead(existing) ? null : existing;
  },
};

/**
 * `new InMemoryCache({ typePolicies })`. Software and Release are normalized by `id` (Apollo's
 * default). Connections, edges and page info have no id: each lives inside the list field
 * that holds it (one per set of arguments) and is replaced whole when that field is written.
 */
export const typePolicies: TypePolicies = {
  Software: {
    fields: {
      // The answer is the whole list (it is not paginated): a newer one replaces the older.
      releases: { merge: false },
    },
  },
  Query: {
    fields: {
      software: nullOnceEvicted,
      softwareByName: nullOnceEvicted,
      release: nullOnceEvicted,
    },
  },
};

// Deletes this client made and already applied, so that their echo in the feed (every client
// hears its own changes too) is not applied again. Ids are UUIDs and a delete happens once,
// so the echo of "Software:<id>" deleted can only be ours. Kept per cache.
const appliedDeletes = new WeakMap<object, Set<string>>();

function remember(cache: object, key: string) {
  let keys = appliedDeletes.get(cache);
  if (!keys) appliedDeletes.set(cache, (keys = new Set()));
  keys.add(key);
  // An echo may never come (no feed followed, or it came first): forget the oldest.
  if (keys.size > 1000) keys.delete(keys.values().next().value!);
}

function alreadyApplied(cache: object, key: string): boolean {
  return appliedDeletes.get(cache)?.delete(key) ?? false;
}

type Cache = ApolloCache<unknown>;

function softwareKey(cache: Cache, id: string) {
  return cache.identify({ __typename: "Software", id }) ?? `Software:${id}`;
}

function releaseKey(cache: Cache, id: string) {
  return cache.identify({ __typename: "Release", id }) ?? `Release:${id}`;
}

/** Removes fields (with every set of arguments they were read with) from one object. */
function dropFields(cache: Cache, id: string, ...fieldNames: string[]) {
  for (const fieldName of fieldNames) cache.evict({ id, fieldName, broadcast: false });
}

function evictSoftware(cache: Cache, softwareId: string, releaseIds: readonly string[]) {
  cache.evict({ id: softwareKey(cache, softwareId), broadcast: false });
  for (const id of releaseIds) cache.evict({ id: releaseKey(cache, id), broadcast: false });
}

/**
 * `update` for `DeleteSoftware`. Evicts the software and every release the cascade removed
 * (`deletedReleaseIds`), drops every cached page of `softwareList` and `releases` (their
 * items and `totalCount` changed), writes back the page that the mutation read again in its
 * `query` field (so the page on screen is right without another request), and collects what
 * nothing references any more.
 */
export const updateDeleteSoftware: MutationUpdaterFunction<
  DeleteSoftwareMutation,
  DeleteSoftwareMutationVariables,
  DefaultContext,
  ApolloCache<any>
> = (cache, { data }, { variables }) => {
  const deleted = data?.deleteSoftware;
  if (!deleted) return;
  remember(cache, softwareKey(cache, deleted.deletedSoftwareId));
  evictSoftware(cache, deleted.deletedSoftwareId, deleted.deletedReleaseIds);
  dropFields(cache, "ROOT_QUERY", "softwareList", "releases");
  cache.writeFragment({
    id: "ROOT_QUERY",
    fragment: SoftwareListPageFieldsFragmentDoc,
    fragmentName: "SoftwareListPageFields",
    variables,
    data: deleted.query,
  });
  cache.gc();
};

/**
 * `update` for `DeleteRelease`: evicts the release, replaces its software's release fields
 * by the software the mutation read again (`query { software(id: $softwareId) }`), and drops
 * the cached pages of `releases`.
 */
export const updateDeleteRelease: MutationUpdaterFunction<
  DeleteReleaseMutation,
  DeleteReleaseMutationVariables,
  DefaultContext,
  ApolloCache<any>
> = (cache, { data }) => {
  const deleted = data?.deleteRelease;
  if (!deleted) return;
  const release = releaseKey(cache, deleted.deletedReleaseId);
  remember(cache, release);
  cache.evict({ id: release, broadcast: false });
  const software = softwareKey(cache, deleted.softwareId);
  dropFields(cache, software, "releases", "releaseCount", "latestRelease");
  if (deleted.query.software) {
    cache.writeFragment({
      id: software,
      fragment: SoftwareFieldsFragmentDoc,
      fragmentName: "SoftwareFields",
      data: deleted.query.software,
    });
  }
  dropFields(cache, "ROOT_QUERY", "releases");
  cache.gc();
};

/**
 * Applies one change from `catalogChanges` (made by any client, on any instance) to the
 * cache, in one broadcast.
 *
 * The policy, the simplest that is correct: a change says which objects changed but not
 * their new values or where they now sort, so
 * - what no longer exists is evicted (the software, and exactly the releases in
 *   `releaseIds` for SOFTWARE_DELETED; the release for RELEASE_DELETED), and lookups of it
 *   read as `null` (typePolicies);
 * - fields that may now be stale are dropped: the changed object's own fields, its
 *   software's `releases`, `releaseCount` and `latestRelease` when a release changed, and
 *   every cached page of the lists whose items, order or `totalCount` it may change
 *   (`softwareList` and `softwareByName` for software, `releases` for releases).
 * A watched query that loses data is refetched by Apollo (its fetch policy falls back to the
 * network); a query nobody watches is refetched when it is next used. Nothing stale is ever
 * read. Deletes this client made itself (updateDeleteSoftware, updateDeleteRelease) are
 * already applied, and their echo is skipped. Applying a change twice is harmless.
 */
export function applyCatalogChange(cache: Cache, change: CatalogChange): void {
  cache.batch({
    optimistic: false,
    update: (cache) => {
      const software = softwareKey(cache, change.softwareId);
      switch (change.kind) {
        case "SOFTWARE_DELETED":
          if (alreadyApplied(cache, software)) return;
          evictSoftware(cache, change.softwareId, change.releaseIds);
          dropFields(cache, "ROOT_QUERY", "softwareList", "releases");
          break;
        case "SOFTWARE_CREATED":
          dropFields(cache, "ROOT_QUERY", "softwareList", "softwareByName");
          if (change.releaseIds.length > 0) dropFields(cache, "ROOT_QUERY", "releases");
          break;
        case "SOFTWARE_UPDATED":
          dropFields(cache, software, "displayName", "maintainerName", "maintainerEmail");
          dropFields(cache, "ROOT_QUERY", "softwareList", "softwareByName");
          break;
        case "RELEASE_DELETED":
          if (change.releaseIds.every((id) => alreadyApplied(cache, releaseKey(cache, id)))) return;
          for (const id of change.releaseIds) cache.evict({ id: releaseKey(cache, id), broadcast: false });
          dropFields(cache, software, "releases", "releaseCount", "latestRelease");
          dropFields(cache, "ROOT_QUERY", "releases");
          break;
        case "RELEASE_CREATED":
          dropFields(cache, software, "releases", "releaseCount", "latestRelease");
          dropFields(cache, "ROOT_QUERY", "releases");
          break;
        case "RELEASE_UPDATED":
          for (const id of change.releaseIds) dropFields(cache, releaseKey(cache, id), "version", "releaseDate");
          dropFields(cache, software, "releases", "latestRelease");
          dropFields(cache, "ROOT_QUERY", "releases");
          break;
        default: {
          // A kind this client does not know (the server added one): drop everything.
          const unknown: never = change.kind;
          void unknown;
          cache.evict({ id: "ROOT_QUERY", broadcast: false });
        }
      }
      cache.gc();
    },
  });
}

/**
 * Follows the change feed from `after` (the `catalogChangeCursor` read with the data) and
 * applies every change to `client.cache`. `cursor()` is the last change applied: subscribe
 * again from it after `stop()` or an error, and nothing is missed or repeated. A cursor older
 * than the feed's history fails with `CURSOR_EXPIRED`: refetch, and follow from a fresh one.
 */
export function followCatalogChanges(
  client: ApolloClient<unknown>,
  after: string,
  options: { onChange?: (change: CatalogChange) => void; onError?: (error: unknown) => void } = {},
) {
  let cursor = after;
  const subscription = client
    .subscribe({ query: CatalogChangesDocument, variables: { after }, fetchPolicy: "no-cache" })
    .subscribe({
      next: ({ data, errors }) => {
        if (errors?.length) return options.onError?.(errors);
        if (!data) return;
        applyCatalogChange(client.cache, data.catalogChanges);
        cursor = data.catalogChanges.cursor;
        options.onChange?.(data.catalogChanges);
      },
      error: (error) => options.onError?.(error),
    });
  return { cursor: () => cursor, stop: () => subscription.unsubscribe() };
}
