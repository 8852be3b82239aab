#!/usr/bin/env bash
# The GraphiQL page's files, taken from the npm registry at pinned versions and embedded in
# the binary by src/http/graphiql.rs.
#
#   assets/graphiql/refresh.sh          fetch the pinned packages again (npm pack), copy the
#                                       files the page loads and their licences here, and
#                                       rewrite MANIFEST and BUNDLED
#   assets/graphiql/refresh.sh --check  offline: every file here has the size and sha256
#                                       that MANIFEST gives
#
# To move to other versions: change the pins below, run the script, then the versions in
# src/http/graphiql.rs (its tests fail until MANIFEST and the code agree), and run
# .ci/browser/graphiql.mjs against a server.
set -euo pipefail
cd "$(dirname "$0")"

GRAPHIQL_VERSION=4.1.2 # 4.x is the last line with a standalone (UMD) build
REACT_VERSION=18.3.1
REACT_DOM_VERSION=18.3.1

# file here | package@version | path in the package
FILES="
graphiql.min.js             graphiql@$GRAPHIQL_VERSION   graphiql.min.js
graphiql.min.css            graphiql@$GRAPHIQL_VERSION   graphiql.min.css
react.production.min.js     react@$REACT_VERSION         umd/react.production.min.js
react-dom.production.min.js react-dom@$REACT_DOM_VERSION umd/react-dom.production.min.js
LICENSE.graphiql            graphiql@$GRAPHIQL_VERSION   LICENSE
LICENSE.react               react@$REACT_VERSION         LICENSE
LICENSE.react-dom           react-dom@$REACT_DOM_VERSION LICENSE
"

fail() { printf 'refresh.sh: %s\n' "$*" >&2; exit 1; }

check() {
  [ -f MANIFEST ] || fail "no MANIFEST here"
  local status=0 file from path size sha
  while read -r file from path size sha; do
    case "$file" in '' | '#'*) continue ;; esac
    if [ ! -f "$file" ]; then
      echo "MISSING $file" >&2; status=1; continue
    fi
    if [ "$(wc -c <"$file")" -ne "$size" ] \
      || [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$sha" ]; then
      echo "CHANGED $file (MANIFEST: $size bytes, sha256 $sha, from $from $path)" >&2
      status=1
    else
      echo "ok $file"
    fi
  done <MANIFEST
  [ "$status" -eq 0 ] || fail "the files differ from MANIFEST; run assets/graphiql/refresh.sh"
}

if [ "${1:-}" = "--check" ]; then
  check
  exit 0
fi
[ $# -eq 0 ] || fail "usage: refresh.sh [--check]"

command -v npm >/dev/null || fail "npm is needed"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

manifest="$work/MANIFEST"
{
  echo "# The GraphiQL page's files: what assets/graphiql/refresh.sh took from the npm registry."
  echo "# Check them offline with: assets/graphiql/refresh.sh --check"
} >"$manifest"

for package in "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_DOM_VERSION"; do
  name="${package%@*}"
  # npm checks the tarball against the registry's integrity hash; it is recorded here too.
  npm pack --silent --json --pack-destination "$work" "$package" >"$work/$name.json" \
    || fail "npm pack $package failed"
  tarball="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[0].filename)' "$work/$name.json")"
  integrity="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[0].integrity)' "$work/$name.json")"
  mkdir -p "$work/$name"
  tar -xzf "$work/$tarball" -C "$work/$name"
  license="$(node -e 'console.log(require(process.argv[1]).license)' "$work/$name/package/package.json")"
  [ "$license" = "MIT" ] || fail "$package is licensed '$license', not MIT: check it before embedding it"
  echo "# $package: tarball $tarball, $integrity, licence $license" >>"$manifest"
done

printf '# %-27s %-16s %-32s %8s %s\n' file from "path in package" bytes sha256 >>"$manifest"
while read -r file from path; do
  [ -n "$file" ] || continue
  source="$work/${from%@*}/package/$path"
  [ -f "$source" ] || fail "$from has no $path"
  cp "$source" "$work/out-$file"
  printf '%-29s %-16s %-32s %8s %s\n' "$file" "$from" "$path" \
    "$(wc -c <"$source")" "$(sha256sum "$source" | cut -d' ' -f1)" >>"$manifest"
done <<<"$FILES"

# graphiql's standalone build bundles its dependencies (CodeMirror, graphql, graphql-ws,
# markdown-it, Radix UI, ...) without their licence notices: list them from its source map.
node -e '
const map = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const packages = new Set();
for (const source of map.sources) {
  const at = source.lastIndexOf("node_modules/");
  if (at < 0) continue;
  const parts = source.slice(at + "node_modules/".length).split("/");
  packages.add(parts[0].startsWith("@") ? parts[0] + "/" + parts[1] : parts[0]);
}
console.log("# Packages bundled into graphiql@" + process.argv[2] + "/graphiql.min.js, from its source map");
console.log("# (graphiql.min.js.map: node_modules/<package>/...); versions are not in the map.");
console.log([...packages].sort().join("\n"));
' "$work/graphiql/package/graphiql.min.js.map" "$GRAPHIQL_VERSION" >"$work/BUNDLED"

while read -r file _; do
  [ -n "$file" ] && mv "$work/out-$file" "$file"
done <<<"$FILES"
mv "$work/MANIFEST" MANIFEST
mv "$work/BUNDLED" BUNDLED
check
echo "refreshed; if a version changed, update ASSETS in src/http/graphiql.rs to match"
