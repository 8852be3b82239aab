// Live swcat instances for the tests: each on 127.0.0.1:0, on a fresh temporary SQLite file
// that instances of one test file share. The binary is $SWCAT_BIN, or the repository's
// target/debug/swcat.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { print, type DocumentNode } from "graphql";

const packageDir = resolve(fileURLToPath(import.meta.url), "../..");
export const swcatBin = process.env.SWCAT_BIN
  ? resolve(process.cwd(), process.env.SWCAT_BIN)
  : resolve(packageDir, "../../target/debug/swcat");

export interface Swcat {
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** ws://127.0.0.1:PORT/graphql/ws */
  wsUrl: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A temporary directory for one test file's database; `remove()` deletes it. */
export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "swcat-web-"));
  return { url: `sqlite://${join(dir, "swcat.db")}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts one instance and resolves when its log line says where it listens. */
export function startSwcat(databaseUrl: string, timeoutMs = 15_000): Promise<Swcat> {
  const child = spawn(
    swcatBin,
    ["serve", "--listen", "127.0.0.1:0", "--database-url", databaseUrl, "--changes-poll-interval", "0.02"],
    { env: { ...process.env, SWCAT_LOG: "info", SWCAT_LOG_FORMAT: "text" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  running.add(child);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    running.delete(child);
  };
  return new Promise((resolvePromise, reject) => {
    let log = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`swcat (${swcatBin}) did not say where it listens within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${swcatBin}: ${error.message} (set SWCAT_BIN)`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`swcat exited (status ${code}) before it listened:\n${log}`));
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      if (log.length < 100_000) log += chunk;
      const match = /GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(log);
      if (match) {
        clearTimeout(timer);
        child.stderr!.removeAllListeners("data");
        child.stderr!.resume(); // keep draining the log
        resolvePromise({ url: match[1], wsUrl: `${match[1].replace(/^http/, "ws")}/ws`, stop });
      }
    });
  });
}

/** A plain GraphQL-over-HTTP request, as another client (no cache) would send it. */
export async function post<T = any>(url: string, query: string | DocumentNode, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: typeof query === "string" ? query : print(query), variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

export interface Seeded {
  id: string;
  displayName: string;
  releaseIds: string[];
}

/** Creates software named `names`, each with `releases` releases, over plain HTTP. */
export async function seed(url: string, names: string[], releases = 2): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (const name of names) {
    const data = await post<{ createSoftware: { id: string; releases: { id: string }[] } }>(
      url,
      `mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id releases { id } } }`,
      {
        input: {
          displayName: name,
          maintainerEmail: `${name.toLowerCase()}@example.org`,
          releases: Array.from({ length: releases }, (_, i) => ({
            version: `${i + 1}.0`,
            releaseDate: `2024-0${(i % 9) + 1}-15`,
          })),
        },
      },
    );
    seeded.push({ id: data.createSoftware.id, displayName: name, releaseIds: data.createSoftware.releases.map((r) => r.id) });
  }
  return seeded;
}

/** Waits until `condition()` holds (polled every 5 ms), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((tick) => setTimeout(tick, 5));
  }
}

/**
 * Lets the event loop run what a cache scheduled (Apollo notifies its watchers from a
 * zero-delay timer, and a watcher missing data sends its refetch then). Zero-delay timers
 * only: no time has to pass.
 */
export async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((tick) => setTimeout(tick, 0));
}

/** JSON round trip: compares what a client sees, not how a cache built the objects. */
export const plain = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/** Counts the GraphQL requests a client sends over HTTP. */
export function countingFetch() {
  const counter = {
    requests: [] as string[],
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = typeof init?.body === "string" ? JSON.parse(init.body) : {};
      counter.requests.push(body.operationName ?? "?");
      return fetch(input, init);
    }) as typeof fetch,
  };
  return counter;
}
