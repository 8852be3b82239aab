// The change feed, driven by the reference graphql-transport-ws client (`graphql-ws`) as a
// frontend would: load, read catalogChangeCursor, subscribe on instance A, write through
// instance B, disconnect, write again, resume with the last cursor. Exits 1 on the first
// difference from what the README promises.
//
// Usage: node feed.mjs http://A/graphql http://B/graphql
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: node feed.mjs http://A/graphql http://B/graphql");
  process.exit(2);
}

const CHANGES = `subscription($after: String) {
  catalogChanges(after: $after) { cursor kind softwareId releaseIds }
}`;

function fail(message) {
  console.error(`FAIL ${message}`);
  process.exit(1);
}

async function post(url, query, variables = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) fail(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Subscribes with graphql-ws and hands out changes one by one. */
function subscribe(url, variables) {
  const client = createClient({ url: url.replace(/^http/, "ws") + "/ws", webSocketImpl: WebSocket, lazy: false });
  const queue = [];
  const waiting = [];
  let failure = null;
  const dispose = client.subscribe(
    { query: CHANGES, variables },
    {
      next: (result) => {
        if (result.errors) failure = result.errors;
        const change = result.data?.catalogChanges;
        const waiter = waiting.shift();
        if (waiter) waiter(change);
        else queue.push(change);
      },
      error: (error) => {
        failure = error;
        const waiter = waiting.shift();
        if (waiter) waiter(null);
      },
      complete: () => {},
    },
  );
  return {
    failure: () => failure,
    next: (ms = 10000) =>
      queue.length
        ? Promise.resolve(queue.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("no change within " + ms + " ms")), ms);
            waiting.push((change) => {
              clearTimeout(timer);
              resolve(change);
            });
          }),
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}

const sorted = (ids) => [...ids].sort();
const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);

// 1. Load a page and the cursor in one round trip, then subscribe on A.
const page = await post(a, "{ softwareList { totalCount } catalogChangeCursor }");
const feed = subscribe(a, { after: page.catalogChangeCursor });

// 2. Write through B: a software with two releases, then delete it.
const name = `ws-client ${Date.now()}`;
const created = await post(
  b,
  `mutation($name: String!) { createSoftware(input: {displayName: $name, maintainerEmail: "ci@example.org",
     releases: [{version: "1.0", releaseDate: "2024-01-01"}, {version: "2.0", releaseDate: "2024-06-01"}]}) { id releases { id } } }`,
  { name },
);
const id = created.createSoftware.id;
const deleted = await post(b, "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedReleaseIds } }", { id });

const first = await feed.next();
if (first.kind !== "SOFTWARE_CREATED" || first.softwareId !== id) fail(`first change ${JSON.stringify(first)}`);
const second = await feed.next();
if (second.kind !== "SOFTWARE_DELETED" || !same(sorted(second.releaseIds), sorted(deleted.deleteSoftware.deletedReleaseIds)))
  fail(`delete change ${JSON.stringify(second)} vs ${JSON.stringify(deleted)}`);
console.log("OK a subscriber on A received the delete made on B, with exactly the cascaded ids");

// 3. Disconnect, write through B, resume on B with the last cursor: exactly the missed one.
await feed.close();
const missed = await post(
  b,
  `mutation($name: String!) { createSoftware(input: {displayName: $name, maintainerEmail: "ci@example.org"}) { id } }`,
  { name: name + " missed" },
);
const resumed = subscribe(b, { after: second.cursor });
const replayed = await resumed.next();
if (replayed.kind !== "SOFTWARE_CREATED" || replayed.softwareId !== missed.createSoftware.id)
  fail(`replayed ${JSON.stringify(replayed)}`);
const live = await post(
  a,
  `mutation($name: String!) { createSoftware(input: {displayName: $name, maintainerEmail: "ci@example.org"}) { id } }`,
  { name: name + " live" },
);
const next = await resumed.next();
if (next.softwareId !== live.createSoftware.id) fail(`live ${JSON.stringify(next)}`);
console.log("OK resuming with the last cursor replayed exactly the missed change, then live ones");
await resumed.close();

// 4. A cursor that is not ours: the subscription fails with BAD_USER_INPUT.
const bad = subscribe(a, { after: "not a cursor" });
try {
  await bad.next(3000);
} catch {
  // The error callback resolves nothing; fall through to the check.
}
const errors = bad.failure();
const code = Array.isArray(errors) ? errors[0]?.extensions?.code : undefined;
if (code !== "BAD_USER_INPUT") fail(`bad cursor gave ${JSON.stringify(errors)}`);
console.log("OK a cursor that is not ours is BAD_USER_INPUT");
await bad.close();
process.exit(0);
