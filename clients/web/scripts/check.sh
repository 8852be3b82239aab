#!/bin/sh
# npm run check: src/gql/ is exactly what `npm run codegen` writes from ../../schema.graphql
# and src/documents.ts (so regenerate and commit it after changing either), and every file
# type-checks.
set -eu
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
npm run --silent codegen >"$log" 2>&1 || { cat "$log" >&2; echo "npm run codegen failed" >&2; exit 1; }
if ! git diff --quiet -- src/gql || [ -n "$(git ls-files --others --exclude-standard -- src/gql)" ]; then
  git status --short -- src/gql >&2
  echo "src/gql/ is not what codegen writes: run 'npm run codegen' and commit src/gql/" >&2
  exit 1
fi
npx --no-install tsc --noEmit
echo "src/gql/ is current; types check"
