// swcat's own GraphiQL page (GET /graphql), driven in Debian's headless chromium through
// playwright-core, with no network but loopback: any other request the page attempts is
// aborted, and fails the check. The page must render from the server's embedded files, run
// a query, and show a change arriving through the catalogChanges subscription.
//
// With a token, the server must run with `--api-token TOKEN --private-reads`: the token then
// goes into GraphiQL's headers editor, and the check proves that the page sends it both as
// an HTTP header and in the WebSocket's connection_init payload (the server refuses both
// without it).
//
// Usage: node graphiql.mjs http://127.0.0.1:PORT[/graphql] [TOKEN]
// Exits 1 with a message (and a screenshot's path) on the first failure.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const STEP_TIMEOUT = 20_000;

const [url, token] = process.argv.slice(2);
if (!url) {
  console.error("usage: node graphiql.mjs http://127.0.0.1:PORT[/graphql] [TOKEN]");
  process.exit(2);
}
const origin = new URL(url).origin;
const endpoint = `${origin}/graphql`;
const authorization = token ? `Bearer ${token}` : null;

let page = null;
let browser = null;
let step = "start";
let passed = 0;

function ok(message) {
  passed += 1;
  console.log(`ok ${message}`);
}

async function fail(message) {
  console.error(`FAIL (${step}): ${message}`);
  if (page) {
    const shot = join(mkdtempSync(join(tmpdir(), "swcat-graphiql-")), "failure.png");
    try {
      await page.screenshot({ path: shot, fullPage: true });
      console.error(`screenshot: ${shot}`);
    } catch (error) {
      console.error(`no screenshot: ${error.message}`);
    }
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}

function isLoopback(address) {
  const { protocol, hostname } = new URL(address);
  if (protocol === "data:" || protocol === "blob:") return true;
  return ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
}

/** A GraphQL request from Node, over HTTP, with the token if there is one. */
async function post(query, variables = {}, { withToken = true } = {}) {
  const headers = { "content-type": "application/json" };
  if (withToken && authorization) headers.authorization = authorization;
  const response = await fetch(endpoint, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** Polls `read` until `done(value)` holds, or fails with `what`. */
async function waitFor(what, read, done, timeout = STEP_TIMEOUT) {
  const until = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (done(value)) return value;
    if (Date.now() > until) await fail(`${what}; last seen: ${String(value).slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const setEditor = (locator, text) =>
  locator.evaluate((element, value) => element.CodeMirror.setValue(value), text);
const readEditor = (locator) =>
  locator.evaluate((element) => element.CodeMirror.getValue()).catch(() => "");

/** Puts the operation `name` in the query editor and runs it, once GraphiQL has parsed it:
 * it parses the editor a moment after a change, and a click before that would send the new
 * document with the previous operation's name. The active tab shows the parsed name. */
async function run(name, text) {
  await setEditor(queryEditor, text);
  await waitFor(
    `GraphiQL did not take up the operation ${name}`,
    () => page.locator(".graphiql-tab-active").innerText().catch(() => ""),
    (title) => title.trim() === name,
  );
  await runButton.click();
}

// The server must be up, and, with a token, refuse reads without one: otherwise the check
// could pass without the page sending the token.
step = "server";
try {
  const probe = await post("{ __typename }", {}, { withToken: false });
  if (authorization && !probe.errors) {
    await fail(
      `${endpoint} answers queries without a token; start it with --api-token TOKEN --private-reads`,
    );
  }
} catch (error) {
  await fail(`${endpoint} does not answer: ${error.message}`);
}

step = "launch";
browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox",
    // A name that is not loopback does not even resolve (the route below aborts it first).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
  ],
});
const context = await browser.newContext();
const offLoopback = [];
await context.route("**/*", (route) => {
  const address = route.request().url();
  if (isLoopback(address)) return route.continue();
  offLoopback.push(address);
  return route.abort("internetdisconnected");
});
page = await context.newPage();

const pageErrors = [];
const badResponses = [];
const httpAuthorization = [];
const socketInits = [];
const socketClosed = [];
page.on("pageerror", (error) => pageErrors.push(error.message));
page.on("response", (response) => {
  if (response.url().includes("/graphiql/") && response.status() !== 200) {
    badResponses.push(`${response.status()} ${response.url()}`);
  }
});
page.on("request", (request) => {
  if (request.method() === "POST" && new URL(request.url()).pathname === "/graphql") {
    httpAuthorization.push(request.headers().authorization ?? null);
  }
});
page.on("websocket", (socket) => {
  if (!isLoopback(socket.url())) offLoopback.push(socket.url());
  socket.on("framesent", ({ payload }) => {
    try {
      const message = JSON.parse(String(payload));
      if (message.type === "connection_init") socketInits.push(message.payload ?? {});
    } catch {
      // not JSON: not ours to judge
    }
  });
  socket.on("close", () => socketClosed.push(socket.url()));
});

step = "render";
await page.goto(endpoint, { waitUntil: "load" });
const queryEditor = page.locator(".graphiql-query-editor .CodeMirror").first();
const resultPane = page.locator(".result-window .CodeMirror").first();
const runButton = page.locator("button.graphiql-execute-button");
try {
  await queryEditor.waitFor({ timeout: STEP_TIMEOUT });
  await runButton.waitFor({ timeout: STEP_TIMEOUT });
} catch (error) {
  const body = await page.locator("body").innerText().catch(() => "");
  await fail(`GraphiQL did not render (${error.message.split("\n")[0]}); the page shows: ${body.slice(0, 200)}`);
}
if (pageErrors.length) await fail(`the page threw: ${pageErrors.join(" | ")}`);
if (badResponses.length) await fail(`GraphiQL's files did not load: ${badResponses.join(", ")}`);
ok("GraphiQL renders from the server's own files");

if (authorization) {
  step = "headers";
  await page.getByRole("button", { name: "Headers", exact: true }).click();
  const headersEditor = page.locator(".graphiql-editor-tool .CodeMirror:visible").first();
  await headersEditor.waitFor({ timeout: STEP_TIMEOUT });
  await setEditor(headersEditor, JSON.stringify({ Authorization: authorization }, null, 2));
  ok("the token is in the headers editor");
}

step = "query";
const created = await post(
  `mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id displayName } }`,
  { input: { displayName: `GraphiQL check ${Date.now()}`, maintainerEmail: "ci@example.org" } },
);
if (created.errors) await fail(`createSoftware over HTTP: ${JSON.stringify(created.errors)}`);
const before = created.data.createSoftware;
await run(
  "Catalog",
  `query Catalog {\n  softwareList(first: 100) { totalCount nodes { id displayName } }\n  catalogChangeCursor\n}\n`,
);
const answer = await waitFor(
  `the response pane did not show ${before.displayName}`,
  () => readEditor(resultPane),
  (text) => text.includes(before.displayName) && text.includes("catalogChangeCursor"),
);
let cursor;
try {
  cursor = JSON.parse(answer).data.catalogChangeCursor;
} catch (error) {
  await fail(`the response pane holds no JSON answer: ${error.message}`);
}
if (authorization && !httpAuthorization.includes(authorization)) {
  await fail(`no POST /graphql carried the token; seen: ${JSON.stringify(httpAuthorization)}`);
}
ok(`a query ran and the response pane shows ${before.displayName}`);

step = "subscription";
// `after:` the cursor the query returned: the change below arrives however late the
// subscription starts (without it, the feed starts at an unspecified moment).
await run(
  "Changes",
  `subscription Changes {\n  catalogChanges(after: ${JSON.stringify(cursor)}) { kind softwareId }\n}\n`,
);
await waitFor(
  "the subscription did not open a WebSocket",
  () => socketInits.length,
  (count) => count > 0,
);
if (authorization && socketInits[0].authorization !== authorization) {
  await fail(`connection_init carried ${JSON.stringify(socketInits[0])}, not the token`);
}
const made = await post(
  `mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }`,
  { input: { displayName: `GraphiQL change ${Date.now()}`, maintainerEmail: "ci@example.org" } },
);
if (made.errors) await fail(`createSoftware over HTTP: ${JSON.stringify(made.errors)}`);
const id = made.data.createSoftware.id;
await waitFor(
  `the response pane did not show the change to ${id} (WebSocket closed: ${socketClosed.length})`,
  () => readEditor(resultPane),
  (text) => text.includes(id) && text.includes("SOFTWARE_CREATED"),
);
ok(`the subscription showed SOFTWARE_CREATED ${id}`);

step = "docs";
// The schema: re-fetched now that the headers editor holds the token, in the Docs pane.
await page.getByRole("button", { name: "Re-fetch GraphQL schema" }).click();
await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
try {
  await page
    .locator(".graphiql-doc-explorer")
    .getByText("softwareList", { exact: false })
    .or(page.locator(".graphiql-doc-explorer").getByText("Query", { exact: true }))
    .first()
    .waitFor({ timeout: STEP_TIMEOUT });
} catch {
  await fail("the Docs pane does not show the schema");
}
ok("the Docs pane shows the schema");

step = "network";
if (pageErrors.length) await fail(`the page threw: ${pageErrors.join(" | ")}`);
if (offLoopback.length) {
  await fail(`the page tried to reach beyond loopback: ${[...new Set(offLoopback)].join(", ")}`);
}
ok("no request left loopback");
await browser.close();
console.log(`graphiql: ${passed} passed, 0 failed`);
