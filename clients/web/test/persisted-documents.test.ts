// src/gql/persisted-documents.json, the documents this client sends (for the server's
// `--trusted-documents FILE`): each is keyed by the sha256 of its text, each typed document
// carries that hash, and each is valid against the schema the live server serves.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { buildClientSchema, getIntrospectionQuery, parse, validate, type DocumentNode } from "graphql";
import * as documents from "../src/documents";
import { post, startSwcat, tempDatabase, type Swcat } from "./support";

const persisted: Record<string, string> = JSON.parse(
  readFileSync(new URL("../src/gql/persisted-documents.json", import.meta.url), "utf8"),
);

let db: ReturnType<typeof tempDatabase>;
let server: Swcat;

before(async () => {
  db = tempDatabase();
  server = await startSwcat(db.url);
});

after(async () => {
  await server?.stop();
  db?.remove();
});

test("each persisted document is keyed by the sha256 of its text", () => {
  assert.ok(Object.keys(persisted).length > 0);
  for (const [hash, text] of Object.entries(persisted)) {
    assert.equal(createHash("sha256").update(text).digest("hex"), hash);
  }
});

test("every operation in documents.ts carries the hash of a persisted document", () => {
  const operations = Object.entries(documents as Record<string, DocumentNode & { __meta__?: { hash?: string } }>).filter(
    ([, document]) => document.definitions.some((d) => d.kind === "OperationDefinition"),
  );
  assert.ok(operations.length >= 8);
  for (const [name, document] of operations) {
    const hash = document.__meta__?.hash;
    assert.ok(hash && persisted[hash], `${name} has a persisted hash`);
  }
  assert.equal(Object.keys(persisted).length, operations.length, "nothing else is persisted");
});

test("every persisted document is valid against the live server's schema", async () => {
  const schema = buildClientSchema(await post(server.url, getIntrospectionQuery()));
  for (const text of Object.values(persisted)) {
    assert.deepEqual(validate(schema, parse(text)).map(String), [], text);
  }
});
