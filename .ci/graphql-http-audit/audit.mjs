#!/usr/bin/env node
// GraphQL-over-HTTP compliance audit (graphql-http `serverAudits`) against a live server.
//
// Usage: node audit.mjs [URL] [--allow-warnings]
//   URL defaults to http://127.0.0.1:8000/graphql
//   Exit code: 0 if every audit is ok (or only warnings with --allow-warnings,
//   or only MAY-level "notice" failures, which are optional), 1 otherwise,
//   2 if an audit threw a fatal error (e.g. server unreachable).
// Requires Node >= 18 (global fetch) and the npm packages `graphql-http` + `graphql`.
import { serverAudits } from 'graphql-http';

const args = process.argv.slice(2);
const allowWarnings = args.includes('--allow-warnings');
const url = args.find((a) => !a.startsWith('--')) ?? 'http://127.0.0.1:8000/graphql';

async function describeResponse(res) {
  if (!res) return '';
  let body;
  try {
    body = await res.text();
  } catch {
    body = '<body already consumed>';
  }
  if (body.length > 300) body = body.slice(0, 300) + '…';
  const ct = res.headers.get('content-type') ?? '<none>';
  return `\n      response: ${res.status} content-type=${ct} body=${body}`;
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };

for (const { id, name, fn } of serverAudits({ url, fetchFn: fetch })) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    // Non-assertion failures (e.g. connection refused) are fatal: stop here.
    console.error(`FATAL  ${id} ${name}\n      ${err?.cause ?? err?.stack ?? err}`);
    process.exit(2);
  }
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  const tag = result.status.toUpperCase().padEnd(6);
  if (result.status === 'ok') {
    console.log(`${tag} ${id} ${name}`);
  } else {
    console.log(`${tag} ${id} ${name}\n      reason: ${result.reason}${await describeResponse(result.response)}`);
  }
}

console.log(
  `\n${counts.ok} ok, ${counts.warn} warnings, ${counts.error} errors` +
    ` (${counts.notice} notices for optional MAY audits) — ${url}`,
);

if (counts.error > 0 || (counts.warn > 0 && !allowWarnings)) process.exit(1);
process.exit(0);
