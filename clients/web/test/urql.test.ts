// The urql Graphcache recipe (src/urql.ts) with the real cache exchange against live swcat
// instances: A serves this client (HTTP and WebSocket), B is another client's instance on
// the same database.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { Client, fetchExchange, subscriptionExchange, type AnyVariables, type OperationResult, type TypedDocumentNode } from "@urql/core";
import { cacheExchange } from "@urql/exchange-graphcache";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { cacheConfig, followCatalogChanges, type CatalogChange } from "../src/urql";
import { DeleteRelease, DeleteSoftware, ReleaseById, ReleaseListPage, SoftwareById, SoftwareListPage } from "../src/documents";
import { countingFetch, plain, post, seed, settle, startSwcat, tempDatabase, waitFor, type Swcat } from "./support";

let db: ReturnType<typeof tempDatabase>;
let a: Swcat;
let b: Swcat;

before(async () => {
  db = tempDatabase();
  a = await startSwcat(db.url);
  b = await startSwcat(db.url);
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  db?.remove();
});

function urql(server: Swcat) {
  const counter = countingFetch();
  const ws = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  const client = new Client({
    url: server.url,
    fetch: counter.fetch,
    preferGetMethod: false,
    exchanges: [
      cacheExchange(cacheConfig),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  // Another client's view: no cache at all, every query goes to the server.
  const uncached = new Client({ url: server.url, preferGetMethod: false, exchanges: [fetchExchange] });
  return {
    client,
    counter,
    /** What a fresh query answers, without touching the cache. */
    fresh: async (query: TypedDocumentNode<any, any>, variables: AnyVariables) => {
      const result = await uncached.query(query, variables, { requestPolicy: "network-only" }).toPromise();
      if (result.error) throw result.error;
      return plain(result.data);
    },
    close: async () => {
      await ws.dispose();
    },
  };
}

/** Keeps a query active (as a mounted component would) and hands out its latest result. */
function watch(client: Client, query: TypedDocumentNode<any, any>, variables: AnyVariables) {
  let latest: OperationResult | undefined;
  const subscription = client.query(query, variables).subscribe((result) => (latest = result));
  return {
    first: () => waitFor("the first result", () => latest?.data),
    /** The latest result once it is neither stale nor being refetched. */
    settled: () => (latest && !latest.stale && !latest.hasNext ? latest : undefined),
    stop: () => subscription.unsubscribe(),
  };
}

/** What the cache answers by itself (no request); null when it does not have it all. */
const read = (client: Client, query: TypedDocumentNode<any, any>, variables: AnyVariables) =>
  plain(client.readQuery(query, variables)?.data ?? null);

/** A list page without the feed position, which moves with every change. */
const listOf = (page: any) => (page ? page.softwareList : page);

const sorted = (ids: readonly string[]) => [...ids].sort();

test("deleteSoftware invalidates the software and every cascaded release, keeps counts right, in one round trip", async () => {
  const [victim, second, third] = await seed(a.url, ["Own-1", "Own-2", "Own-3"], 3);
  const { client, counter, fresh, close } = urql(a);
  try {
    const page = { first: 2, filter: { displayNameContains: "Own-" } };
    const list = watch(client, SoftwareListPage, page);
    assert.equal((await list.first()).softwareList.totalCount, 3);
    const software = watch(client, SoftwareById, { id: victim.id });
    assert.equal((await software.first()).software.releases.length, 3);
    for (const id of victim.releaseIds) {
      const { data } = await client.query(ReleaseById, { id }).toPromise();
      assert.equal(data?.release?.id, id);
    }
    const releasesOfVictim = { filter: { softwareId: victim.id } };
    await client.query(ReleaseListPage, releasesOfVictim).toPromise();
    // Another page of the list, which does not show the software but counts it.
    const lastOnly = { first: 1, filter: page.filter, orderBy: { field: "DISPLAY_NAME", direction: "DESC" } } as const;
    await client.query(SoftwareListPage, lastOnly).toPromise();

    counter.requests.length = 0;
    const { data, error } = await client.mutation(DeleteSoftware, { id: victim.id, ...page }).toPromise();
    assert.ifError(error);
    assert.equal(data?.deleteSoftware.deletedSoftwareId, victim.id);
    assert.deepEqual(sorted(data!.deleteSoftware.deletedReleaseIds), sorted(victim.releaseIds));
    // Let Graphcache deliver to the active queries (and refetch, if anything went missing).
    await settle();
    assert.deepEqual(counter.requests, ["DeleteSoftware"], "the delete and the refetched page are one round trip");

    // The page on screen is what a fresh query answers: the third software moved up.
    const cachedPage = read(client, SoftwareListPage, page);
    assert.equal(cachedPage.softwareList.totalCount, 2);
    assert.deepEqual(cachedPage.softwareList.nodes.map((s: any) => s.id), [second.id, third.id]);
    assert.deepEqual(listOf(cachedPage), listOf(await fresh(SoftwareListPage, page)));
    assert.deepEqual(listOf(plain(list.settled()?.data)), listOf(cachedPage));

    // No cached query returns the software or a cascaded release.
    assert.equal(read(client, SoftwareById, { id: victim.id }).software, null);
    assert.equal(plain(software.settled()?.data).software, null);
    for (const id of victim.releaseIds) {
      assert.equal(read(client, ReleaseById, { id }).release, null, `release ${id} is gone`);
    }
    // The release list changed too: invalidated, so it is refetched when next shown.
    assert.equal(read(client, ReleaseListPage, releasesOfVictim), null);
    assert.equal(read(client, SoftwareListPage, lastOnly), null);
    assert.equal(listOf(await fresh(SoftwareListPage, lastOnly)).totalCount, 2);
    const { data: refetched } = await client.query(ReleaseListPage, releasesOfVictim).toPromise();
    assert.equal(refetched?.releases.totalCount, 0);
    list.stop();
    software.stop();
  } finally {
    await close();
  }
});

test("deleteRelease invalidates the release and refetches its software in the same round trip", async () => {
  const [target] = await seed(a.url, ["OwnRelease-1"], 3);
  const { client, counter, fresh, close } = urql(a);
  try {
    const software = watch(client, SoftwareById, { id: target.id });
    assert.equal((await software.first()).software.releaseCount, 3);
    const [gone] = target.releaseIds;
    await client.query(ReleaseById, { id: gone }).toPromise();

    counter.requests.length = 0;
    const { error } = await client.mutation(DeleteRelease, { id: gone, softwareId: target.id }).toPromise();
    assert.ifError(error);
    await settle();
    assert.deepEqual(counter.requests, ["DeleteRelease"]);
    assert.equal(read(client, ReleaseById, { id: gone }).release, null);
    const cached = read(client, SoftwareById, { id: target.id });
    assert.equal(cached.software.releaseCount, 2);
    assert.ok(!cached.software.releases.some((r: any) => r.id === gone));
    assert.deepEqual(cached, await fresh(SoftwareById, { id: target.id }));
    software.stop();
  } finally {
    await close();
  }
});

test("a delete by another client arrives through catalogChanges and leaves the cache as a fresh query would", async () => {
  const [first, victim, third] = await seed(a.url, ["Other-1", "Other-2", "Other-3"], 2);
  const { client, fresh, close } = urql(a);
  try {
    const page = { first: 2, filter: { displayNameContains: "Other-" } };
    const list = watch(client, SoftwareListPage, page);
    const loaded = await list.first();
    assert.equal(loaded.softwareList.totalCount, 3);
    const software = watch(client, SoftwareById, { id: victim.id });
    await software.first();
    // A page that does not show it still counts it.
    const firstOnly = { first: 1, filter: page.filter };
    const onlyFirst = watch(client, SoftwareListPage, firstOnly);
    assert.deepEqual((await onlyFirst.first()).softwareList.nodes.map((s: any) => s.id), [first.id]);
    for (const id of victim.releaseIds) await client.query(ReleaseById, { id }).toPromise();

    const changes: CatalogChange[] = [];
    const feed = followCatalogChanges(client, loaded.catalogChangeCursor, { onChange: (c) => changes.push(c) });

    // Another client deletes it through instance B.
    const deleted = await post(b.url, `mutation($id: UUID!) { deleteSoftware(id: $id) { deletedReleaseIds } }`, {
      id: victim.id,
    });
    const change = await waitFor("the SOFTWARE_DELETED change", () =>
      changes.find((c) => c.kind === "SOFTWARE_DELETED" && c.softwareId === victim.id),
    );
    assert.deepEqual(sorted(change.releaseIds), sorted(victim.releaseIds));
    assert.deepEqual(sorted(change.releaseIds), sorted(deleted.deleteSoftware.deletedReleaseIds));
    assert.equal(feed.cursor(), change.cursor);

    // Right after the change is applied nothing stale can be read ...
    for (const id of victim.releaseIds) assert.equal(read(client, ReleaseById, { id }).release, null);
    assert.equal(read(client, SoftwareById, { id: victim.id }).software, null);
    // ... and once the active list has refetched, the cache is what a fresh query answers.
    const expected = listOf(await fresh(SoftwareListPage, page));
    assert.equal(expected.totalCount, 2);
    assert.deepEqual(expected.nodes.map((s: any) => s.id), [first.id, third.id]);
    await waitFor("the cached page to equal a fresh query", () => {
      const cached = read(client, SoftwareListPage, page);
      return cached && isDeepStrictEqual(listOf(cached), expected);
    });
    await waitFor("the active page to show it", () => {
      const settled = list.settled();
      return settled && isDeepStrictEqual(listOf(plain(settled.data)), expected);
    });
    const expectedFirstOnly = listOf(await fresh(SoftwareListPage, firstOnly));
    assert.equal(expectedFirstOnly.totalCount, 2);
    await waitFor("the page that did not show it to count right", () => {
      const cached = read(client, SoftwareListPage, firstOnly);
      return cached && isDeepStrictEqual(listOf(cached), expectedFirstOnly);
    });
    assert.deepEqual(read(client, SoftwareById, { id: victim.id }), await fresh(SoftwareById, { id: victim.id }));

    feed.stop();
    list.stop();
    software.stop();
    onlyFirst.stop();
  } finally {
    await close();
  }
});

test("every kind of change by another client leaves each cached query stale-free", async () => {
  const [alpha, beta, outsider] = await seed(a.url, ["Kinds-Alpha", "Kinds-Beta", "Outsider"], 2);
  const { catalogChangeCursor } = await post(a.url, "{ catalogChangeCursor }");
  const page = { first: 10, filter: { displayNameContains: "Kinds-" } };
  // Three clients: one shows a lot, the others a release (with its software's count) or a
  // short page of releases, so that what one query refetches does not mend what another shows.
  const views = (
    [
      [
        [SoftwareListPage, page],
        [SoftwareById, { id: alpha.id }],
        [SoftwareById, { id: beta.id }],
        [ReleaseListPage, { filter: { softwareId: alpha.id } }],
        [ReleaseById, { id: alpha.releaseIds[0] }],
      ],
      [[ReleaseById, { id: alpha.releaseIds[0] }]],
      [
        [ReleaseById, { id: alpha.releaseIds[1] }],
        [ReleaseListPage, { first: 1, filter: { softwareId: alpha.id } }],
      ],
    ] as [TypedDocumentNode<any, any>, Record<string, unknown>][][]
  ).map((watched) => ({ ...urql(a), watched, changes: [] as CatalogChange[] }));
  try {
    const stops: (() => void)[] = [];
    for (const view of views) {
      for (const [query, variables] of view.watched) {
        const watcher = watch(view.client, query, variables);
        await watcher.first();
        stops.push(watcher.stop);
      }
      stops.push(followCatalogChanges(view.client, catalogChangeCursor, { onChange: (c) => view.changes.push(c) }).stop);
    }

    const steps: [string, string, Record<string, unknown>][] = [
      ["SOFTWARE_UPDATED", `mutation($id: UUID!) { updateSoftware(id: $id, input: { displayName: "Kinds-Zeta" }) { id } }`, { id: alpha.id }],
      ["SOFTWARE_UPDATED", `mutation($id: UUID!) { updateSoftware(id: $id, input: { displayName: "Kinds-Omega" }) { id } }`, { id: outsider.id }],
      ["RELEASE_CREATED", `mutation($id: UUID!) { createRelease(input: { softwareId: $id, version: "9.0", releaseDate: "2025-01-01" }) { id } }`, { id: alpha.id }],
      ["RELEASE_UPDATED", `mutation($id: UUID!) { updateRelease(id: $id, input: { releaseDate: "2026-01-01" }) { id } }`, { id: alpha.releaseIds[0] }],
      ["RELEASE_DELETED", `mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId } }`, { id: alpha.releaseIds[1] }],
      ["SOFTWARE_CREATED", `mutation { createSoftware(input: { displayName: "Kinds-Gamma", maintainerEmail: "g@example.org", releases: [{ version: "1", releaseDate: "2024-03-03" }] }) { id } }`, {}],
      ["SOFTWARE_DELETED", `mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId } }`, { id: beta.id }],
    ];
    for (const [step, [kind, mutation, variables]] of steps.entries()) {
      await post(b.url, mutation, variables);
      for (const view of views) {
        await waitFor(`the ${kind} change`, () => view.changes.length > step);
        assert.equal(view.changes[step].kind, kind);
        for (const [query, vars] of view.watched) {
          const expected = await view.fresh(query, vars);
          const strip = (data: any) => (query === SoftwareListPage && data ? listOf(data) : data);
          const name = (query as any).definitions.find((d: any) => d.kind === "OperationDefinition").name.value;
          await waitFor(`${kind}: the cached ${name} ${JSON.stringify(vars)} to equal a fresh query`, () => {
            const cached = read(view.client, query, vars);
            return cached !== null && isDeepStrictEqual(strip(cached), strip(expected));
          });
        }
      }
    }
    for (const stop of stops) stop();
  } finally {
    for (const view of views) await view.close();
  }
});

test("the echo of this client's own delete is recognised and not applied twice", async () => {
  const [victim] = await seed(a.url, ["Echo-1", "Echo-2"], 1);
  const { client, counter, close } = urql(a);
  try {
    const page = { first: 5, filter: { displayNameContains: "Echo-" } };
    const list = watch(client, SoftwareListPage, page);
    const loaded = await list.first();
    counter.requests.length = 0;
    const { error } = await client.mutation(DeleteSoftware, { id: victim.id, ...page }).toPromise();
    assert.ifError(error);
    // Following the feed from before the delete makes its echo come after the mutation's
    // answer (live, it may also come first: then it is applied as another client's change,
    // which is right too, at the price of a refetch).
    const changes: CatalogChange[] = [];
    const feed = followCatalogChanges(client, loaded.catalogChangeCursor, { onChange: (c) => changes.push(c) });
    await waitFor("the echo", () => changes.some((c) => c.kind === "SOFTWARE_DELETED" && c.softwareId === victim.id));
    await settle();
    assert.deepEqual(counter.requests, ["DeleteSoftware"], "the echo made no refetch");
    assert.equal(read(client, SoftwareListPage, page).softwareList.totalCount, 1);
    feed.stop();
    list.stop();
  } finally {
    await close();
  }
});
