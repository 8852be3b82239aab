// urql Graphcache recipe for swcat: copy this file (with src/gql/ and documents.ts).
//
//   const client = new Client({ url, exchanges: [cacheExchange(cacheConfig), fetchExchange, subscriptionExchange(...)] });
//   await client.mutation(DeleteSoftware, { id, ...pageVariables }).toPromise(); // one round trip
//   const feed = followCatalogChanges(client, page.catalogChangeCursor);      // other clients' changes
//
// What stays true: no cached query returns a software or release that no longer exists, and
// a cached list is either what a fresh query would answer or invalidated (then Graphcache
// refetches the queries that are active, and the others when they are next used).
import type { Cache, CacheExchangeOpts, DataFields, Variables } from "@urql/exchange-graphcache";
import type { Client } from "@urql/core";
import {
  CatalogChangesDocument,
  SoftwareFieldsFragmentDoc,
  SoftwareListPageFieldsFragmentDoc,
  type CatalogChangesSubscription,
  type DeleteReleaseMutation,
  type DeleteSoftwareMutation,
} from "./gql/graphql";

export type CatalogChange = CatalogChangesSubscription["catalogChanges"];

// Deletes this client made and already applied, so that their echo in the feed (every client
// hears its own changes too) is not applied again. Ids are UUIDs and a delete happens once,
// so the echo of "Software:<id>" deleted can only be ours. Kept per cache.
const appliedDeletes = new WeakMap<object, Set<string>>();

function remember(cache: Cache, key: string) {
  let keys = appliedDeletes.get(cache);
  if (!keys) appliedDeletes.set(cache, (keys = new Set()));
  keys.add(key);
  // An echo may never come (no feed followed, or it came first): forget the oldest.
  if (keys.size > 1000) keys.delete(keys.values().next().value!);
}

function alreadyApplied(cache: Cache, key: string): boolean {
  return appliedDeletes.get(cache)?.delete(key) ?? false;
}

const software = (id: string) => ({ __typename: "Software", id });
const release = (id: string) => ({ __typename: "Release", id });

/** Invalidates fields of one entity, with every set of arguments they were read with. */
function dropFields(cache: Cache, entity: string | { __typename: string; id: string }, ...fieldNames: string[]) {
  for (const field of cache.inspectFields(entity)) {
    if (fieldNames.includes(field.fieldName)) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

const LOOKUPS = ["software", "softwareByName", "release"];

/**
 * Removes software and releases that no longer exist: their entities are invalidated, and
 * the cached lookups that found them (`software`, `softwareByName`, `release`) now answer
 * `null`, as the server would, so they need no refetch.
 */
function removeEntities(cache: Cache, entities: { __typename: string; id: string }[]) {
  const keys = new Set(entities.map((entity) => cache.keyOfEntity(entity)));
  for (const field of cache.inspectFields("Query")) {
    if (!LOOKUPS.includes(field.fieldName)) continue;
    const link = cache.resolve("Query", field.fieldKey);
    if (typeof link === "string" && keys.has(link)) cache.link("Query", field.fieldName, field.arguments ?? {}, null);
  }
  for (const entity of entities) cache.invalidate(entity);
}

const removeSoftware = (cache: Cache, softwareId: string, releaseIds: readonly string[]) =>
  removeEntities(cache, [software(softwareId), ...releaseIds.map(release)]);

/**
 * Applies one change from `catalogChanges` (made by any client, on any instance).
 *
 * The policy, the simplest that is correct: a change says which objects changed but not
 * their new values or where they now sort, so
 * - what no longer exists is invalidated (the software, and exactly the releases in
 *   `releaseIds` for SOFTWARE_DELETED; the release for RELEASE_DELETED), and the cached
 *   lookups of it by id or name answer `null`;
 * - fields that may now be stale are invalidated: the changed entity's own fields, its
 *   software's `releases`, `releaseCount` and `latestRelease` when a release changed, and
 *   every cached page of the lists whose items, order or `totalCount` it may change
 *   (`softwareList` and `softwareByName` for software, `releases` for releases).
 * Graphcache refetches the active queries that lost data. Deletes this client made itself
 * (the `deleteSoftware` and `deleteRelease` updates) are already applied, and their echo is
 * skipped. Applying a change twice is harmless.
 */
export function applyCatalogChange(cache: Cache, change: CatalogChange): void {
  switch (change.kind) {
    case "SOFTWARE_DELETED":
      if (alreadyApplied(cache, cache.keyOfEntity(software(change.softwareId))!)) return;
      removeSoftware(cache, change.softwareId, change.releaseIds);
      dropFields(cache, "Query", "softwareList", "releases");
      return;
    case "SOFTWARE_CREATED":
      dropFields(cache, "Query", "softwareList", "softwareByName");
      if (change.releaseIds.length > 0) dropFields(cache, "Query", "releases");
      return;
    case "SOFTWARE_UPDATED":
      dropFields(cache, software(change.softwareId), "displayName", "maintainerName", "maintainerEmail");
      dropFields(cache, "Query", "softwareList", "softwareByName");
      return;
    case "RELEASE_DELETED":
      if (change.releaseIds.every((id) => alreadyApplied(cache, cache.keyOfEntity(release(id))!))) return;
      removeEntities(cache, change.releaseIds.map(release));
      dropFields(cache, software(change.softwareId), "releases", "releaseCount", "latestRelease");
      dropFields(cache, "Query", "releases");
      return;
    case "RELEASE_CREATED":
      dropFields(cache, software(change.softwareId), "releases", "releaseCount", "latestRelease");
      dropFields(cache, "Query", "releases");
      return;
    case "RELEASE_UPDATED":
      for (const id of change.releaseIds) dropFields(cache, release(id), "version", "releaseDate");
      dropFields(cache, software(change.softwareId), "releases", "latestRelease");
      dropFields(cache, "Query", "releases");
      return;
    default: {
      // A kind this client does not know (the server added one): drop every cached query.
      const unknown: never = change.kind;
      void unknown;
      for (const field of cache.inspectFields("Query")) cache.invalidate("Query", field.fieldName, field.arguments ?? undefined);
    }
  }
}

/**
 * `cacheExchange(cacheConfig)`. Software and Release are keyed by `id` (Graphcache's default);
 * the types without an id are embedded in the field that holds them.
 */
export const cacheConfig: CacheExchangeOpts = {
  keys: {
    SoftwareConnection: () => null,
    SoftwareEdge: () => null,
    ReleaseConnection: () => null,
    ReleaseEdge: () => null,
    PageInfo: () => null,
    DeleteSoftwarePayload: () => null,
    DeleteReleasePayload: () => null,
    CatalogChange: () => null,
  },
  updates: {
    Mutation: {
      /**
       * Invalidates the software and every release the cascade removed
       * (`deletedReleaseIds`) and every cached page of `softwareList` and `releases` (their
       * items and `totalCount` changed), then writes back the page that the mutation read
       * again in its `query` field, so the page on screen is right without another request.
       */
      deleteSoftware(result: DataFields, _args, cache: Cache, info) {
        const deleted = (result as DeleteSoftwareMutation).deleteSoftware;
        if (!deleted) return;
        remember(cache, cache.keyOfEntity(software(deleted.deletedSoftwareId))!);
        removeSoftware(cache, deleted.deletedSoftwareId, deleted.deletedReleaseIds);
        dropFields(cache, "Query", "softwareList", "releases");
        cache.writeFragment(SoftwareListPageFieldsFragmentDoc, deleted.query, info.variables as Variables);
      },
      /**
       * Invalidates the release and the cached pages of `releases`, and replaces its
       * software's release fields by the software the mutation read again.
       */
      deleteRelease(result: DataFields, _args, cache: Cache) {
        const deleted = (result as DeleteReleaseMutation).deleteRelease;
        if (!deleted) return;
        remember(cache, cache.keyOfEntity(release(deleted.deletedReleaseId))!);
        removeEntities(cache, [release(deleted.deletedReleaseId)]);
        dropFields(cache, software(deleted.softwareId), "releases", "releaseCount", "latestRelease");
        if (deleted.query.software) cache.writeFragment(SoftwareFieldsFragmentDoc, deleted.query.software);
        dropFields(cache, "Query", "releases");
      },
    },
    Subscription: {
      catalogChanges(result: DataFields, _args, cache: Cache) {
        const change = (result as CatalogChangesSubscription).catalogChanges;
        if (change) applyCatalogChange(cache, change);
      },
    },
  },
};

/**
 * Follows the change feed from `after` (the `catalogChangeCursor` read with the data); the
 * cache applies each change (`updates.Subscription.catalogChanges`). `cursor()` is the last
 * change received: subscribe again from it after `stop()` or an error, and nothing is missed
 * or repeated. A cursor older than the feed's history fails with `CURSOR_EXPIRED`: refetch,
 * and follow from a fresh one.
 */
export function followCatalogChanges(
  client: Client,
  after: string,
  options: { onChange?: (change: CatalogChange) => void; onError?: (error: unknown) => void } = {},
) {
  let cursor = after;
  const subscription = client.subscription(CatalogChangesDocument, { after }).subscribe((result) => {
    if (result.error) return options.onError?.(result.error);
    const change = result.data?.catalogChanges;
    if (!change) return;
    cursor = change.cursor;
    options.onChange?.(change);
  });
  return { cursor: () => cursor, stop: () => subscription.unsubscribe() };
}
