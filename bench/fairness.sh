#!/usr/bin/env bash
# Fairness benchmark: can hostile clients sending maximal-cost queries starve honest ones?
#
# Starts swcat on a fresh SQLite file, seeds 100 software x 20 releases through the API,
# then measures honest throughput (one `software(id:)` query, wrk: 2 threads) twice:
# alone, and while HOSTILE_CONNECTIONS clients send, in a loop, the most expensive query
# the server still accepts (its cost limit is 500,000). Prints both rates (successful
# answers only), their ratio and the hostile rate; PASS (exit 0) when the ratio is at
# least 0.5, FAIL (exit 1) otherwise.
#
# Needs: wrk, curl, python3 (stdlib only).
#
# Environment knobs (all optional):
#   SWCAT_BIN            server binary; default: `cargo build --release` in the repo root
#                        and target/release/swcat (or $CARGO_TARGET_DIR/release/swcat)
#   DURATION             length of each honest measurement, in wrk's syntax (default 8s)
#   CONNECTIONS          honest connections (default 32)
#   HOSTILE_CONNECTIONS  hostile clients (default 4)
#   MIN_RATIO            pass threshold for (under load / alone) (default 0.5)
#   KEEP_LOGS=1          keep the temp dir (server log, wrk outputs) and print its path
#
# Usage: bench/fairness.sh          e.g. SWCAT_BIN=target/release/swcat DURATION=20s bench/fairness.sh
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
LUA="$BENCH_DIR/fairness.lua"

DURATION="${DURATION:-8s}"
CONNECTIONS="${CONNECTIONS:-32}"
HOSTILE_CONNECTIONS="${HOSTILE_CONNECTIONS:-4}"
MIN_RATIO="${MIN_RATIO:-0.5}"
THREADS=2

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'fairness: %s\n' "$*" >&2; exit 2; }

for tool in wrk curl python3 awk; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool on PATH"
done
[ -f "$LUA" ] || die "missing $LUA"

# --- binary -------------------------------------------------------------------------
if [ -n "${SWCAT_BIN:-}" ]; then
  BIN="$SWCAT_BIN"
else
  log "building swcat (cargo build --release)"
  (cd "$ROOT" && cargo build --release --quiet)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/swcat"
  case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
fi
[ -x "$BIN" ] || die "no executable server binary at $BIN"

# --- temp dir, cleanup ----------------------------------------------------------------
DIR="$(mktemp -d "${TMPDIR:-/tmp}/swcat-fairness.XXXXXX")"
SERVER_PID=""
HOSTILE_PID=""
HONEST_PID=""


cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$HONEST_PID"
  stop_pid "$HOSTILE_PID"
  stop_pid "$SERVER_PID"
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    printf 'fairness: logs kept in %s\n' "$DIR" >&2
  else
    rm -rf "$DIR"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- server ---------------------------------------------------------------------------
log "starting $BIN on $DIR/swcat.db"
# Mutations are open only without API tokens; the seeding needs them open.
env -u SWCAT_API_TOKENS SWCAT_LOG=info \
  "$BIN" serve --listen 127.0.0.1:0 --database-url "sqlite://$DIR/swcat.db" \
  --log-format text >"$DIR/server.out" 2>"$DIR/server.log" &
SERVER_PID=$!

URL=""
for _ in $(seq 200); do # 200 x 0.1 s = 20 s
  URL="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/graphql' "$DIR/server.log" | head -n1 || true)"
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/server.log" >&2; die "server exited at startup"; }
  sleep 0.1
done
[ -n "$URL" ] || { tail -n 20 "$DIR/server.log" >&2; die "server did not report its address within 20 s"; }
log "server listening at $URL"

# --- helper: choosing the hostile query -----------------------------------
cat >"$DIR/helper.py" <<'PY'
import json, sys, time, urllib.error, urllib.request

def post(url, payload, timeout=300):
    req = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, {"errors": [{"message": raw[:300].decode(errors="replace")}]}

def accepted(status, body):
    return status == 200 and isinstance(body, dict) and not body.get("errors")

# Hostile candidates, all meant to be accepted by the default cost limit (500,000). Which
# one really costs the server most depends on the data (lists weigh their `first`, not
# what they return), so each is sent once, refused ones are dropped, and the slowest
# accepted one is used.
def aliases(k, field):
    return "{ " + " ".join(f"a{i}: {field}" for i in range(k)) + " }"

REL500 = ("softwareList(first: 100) { nodes { releases(first: %d) "
          "{ id version releaseDate software { displayName } } } }")
FULL = ("softwareList(first: 100) { nodes { id displayName maintainerEmail "
        "releases(first: 20) { id version releaseDate "
        "software { id displayName maintainerEmail } } } }")
NESTED = ("softwareList(first: 100) { nodes { releases(first: 20) { software { "
          "releases(first: 20) { software { releases(first: 11) { id } } } } } } }")
NESTED_COUNT = ("softwareList(first: 100) { nodes { releases(first: 20) { software { "
                "releases(first: 20) { software { releaseCount latestRelease { id } } } "
                "} } } }")
CANDIDATES = [
    ("softwareList(100) x releases(500)", "{ " + REL500 % 500 + " }"),
    ("2 aliases x softwareList(100) x releases(499)", aliases(2, REL500 % 499)),
    ("28 aliases x all software with all releases", aliases(28, FULL)),
    ("software > releases > software > releases > software > releases",
     "{ " + NESTED + " }"),
    ("3 aliases x nested releases with releaseCount/latestRelease",
     aliases(3, NESTED_COUNT)),
]
# Two aliased fields of known cost 250,100 each: added to a candidate they push it over
# the limit, and the refusal's `actual` minus 500,200 is the candidate's own cost.
PAD = (" zpad1: " + REL500 % 500 + " zpad2: " + REL500 % 500 + " }", 500200)

def cost_of(url, query):
    status, body = post(url, {"query": query.rstrip()[:-1] + PAD[0]})
    try:
        ext = body["errors"][0]["extensions"]
        if ext.get("code") == "LIMIT_EXCEEDED" and ext.get("limit") == "cost":
            return int(ext["actual"]) - PAD[1]
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    return None

def pick(url, out_path):
    best = None
    for name, query in CANDIDATES:
        cost = cost_of(url, query)
        t0 = time.monotonic()
        status, body = post(url, {"query": query})
        seconds = time.monotonic() - t0
        ok = accepted(status, body)
        if ok:
            verdict = f"accepted, {seconds:.3f} s"
        else:
            err = (body.get("errors") or [{}])[0] if isinstance(body, dict) else {}
            ext = err.get("extensions") or {}
            verdict = f"REFUSED ({ext.get('code')} {ext.get('limit', '')} {ext.get('actual', '')})"
        cost_s = f"{cost:,}" if cost is not None else "?"
        print(f"    cost {cost_s:>9}  {verdict:<28}  {name}", file=sys.stderr)
        if ok and (best is None or seconds > best[0]):
            best = (seconds, cost, name, query)
    if best is None:
        sys.exit("no hostile candidate was accepted")
    seconds, cost, name, query = best
    with open(out_path, "w") as f:
        json.dump({"query": query}, f)
    print(f"{name}\t{cost if cost is not None else '?'}\t{seconds:.3f}")

def check(url, body_path):
    with open(body_path) as f:
        status, body = post(url, json.load(f))
    if not accepted(status, body):
        sys.exit(f"query refused: HTTP {status}: {json.dumps(body)[:500]}")

if __name__ == "__main__":
    cmd, url = sys.argv[1], sys.argv[2]
    {"pick": lambda: pick(url, sys.argv[3]),
     "check": lambda: check(url, sys.argv[3])}[cmd]()
PY

# --- seed -----------------------------------------------------------------------------
log "seeding 100 software x 20 releases"
SEEDED="$(python3 "$BENCH_DIR/run.py" seed "$URL" 100 20)" || die "seeding failed"
SOFTWARE_ID="$(printf '%s' "$SEEDED" | cut -f1)"

printf '{"query":"query($id: UUID!){ software(id: $id){ id displayName maintainerEmail releases { id version releaseDate } } }","variables":{"id":"%s"}}' \
  "$SOFTWARE_ID" >"$DIR/honest.json"
python3 "$DIR/helper.py" check "$URL" "$DIR/honest.json" || die "the honest query is refused"

# --- hostile query --------------------------------------------------------------------
log "choosing the hostile query (cost measured by the server; slowest accepted wins)"
PICKED="$(python3 "$DIR/helper.py" pick "$URL" "$DIR/hostile.json")" || die "no hostile query"
IFS=$'\t' read -r HOSTILE_NAME HOSTILE_COST HOSTILE_SECONDS <<<"$PICKED"
log "hostile query: $HOSTILE_NAME (cost $HOSTILE_COST, ${HOSTILE_SECONDS} s alone)"

# --- measurements ---------------------------------------------------------------------
field() { # file key -> value from the RESULT line
  sed -n 's/^RESULT .*[[:space:]]'"$2"'=\([^[:space:]]*\).*/\1/p' "$1" | tail -n1
}
check_result() {
  grep -q '^RESULT ' "$1" || { cat "$1" >&2; die "wrk gave no result ($1)"; }
  grep '^SAMPLE ' "$1" | sed 's/^/    first failure: /' >&2 || true
}
honest_wrk() { # output file
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 10s --latency \
    -s "$LUA" "$URL" -- "$DIR/honest.json" honest >"$1" 2>&1 &
  HONEST_PID=$!
  wait "$HONEST_PID" || { cat "$1" >&2; die "wrk failed"; }
  HONEST_PID=""
}

log "honest load alone: $THREADS threads, $CONNECTIONS connections, $DURATION"
honest_wrk "$DIR/alone.txt"
check_result "$DIR/alone.txt"

log "honest load with $HOSTILE_CONNECTIONS hostile clients"
# The hostile wrk runs until it is interrupted (SIGINT makes wrk stop and report).
wrk -t 1 -c "$HOSTILE_CONNECTIONS" -d 1h --timeout 300s \
  -s "$LUA" "$URL" -- "$DIR/hostile.json" hostile >"$DIR/hostile.txt" 2>&1 &
HOSTILE_PID=$!
sleep 0.5
honest_wrk "$DIR/loaded.txt"
stop_pid "$HOSTILE_PID" INT
HOSTILE_PID=""
check_result "$DIR/loaded.txt"
check_result "$DIR/hostile.txt"

# --- report ---------------------------------------------------------------------------
failures() { # bad answers + timeouts + socket errors
  echo $(($(field "$1" failed) + $(field "$1" timeouts) + $(field "$1" socket_errors)))
}
A_RPS="$(field "$DIR/alone.txt" ok_rps)"
L_RPS="$(field "$DIR/loaded.txt" ok_rps)"
H_RPS="$(field "$DIR/hostile.txt" ok_rps)"
H_OK="$(field "$DIR/hostile.txt" ok)"
RATIO="$(awk -v a="$A_RPS" -v l="$L_RPS" 'BEGIN { printf "%.2f", (a > 0 ? l / a : 0) }')"

echo
echo "swcat fairness: honest = $CONNECTIONS connections x $DURATION, hostile = $HOSTILE_CONNECTIONS clients"
echo "hostile query: $HOSTILE_NAME (cost $HOSTILE_COST)"
printf '%-32s %12s %10s %12s\n' "" "ok req/s" "failures" "p99 latency"
printf '%-32s %12.1f %10d %10.1fms\n' "honest alone" "$A_RPS" "$(failures "$DIR/alone.txt")" \
  "$(field "$DIR/alone.txt" p99_ms)"
printf '%-32s %12.1f %10d %10.1fms\n' "honest under hostile load" "$L_RPS" \
  "$(failures "$DIR/loaded.txt")" "$(field "$DIR/loaded.txt" p99_ms)"
printf '%-32s %12s\n' "ratio (under load / alone)" "$RATIO"
printf '%-32s %12.2f %10d   (%d hostile answers completed)\n' "hostile" "$H_RPS" \
  "$(failures "$DIR/hostile.txt")" "$H_OK"
echo

if awk -v r="$RATIO" -v m="$MIN_RATIO" 'BEGIN { exit !(r + 0 >= m + 0) }'; then
  echo "PASS (ratio $RATIO >= $MIN_RATIO)"
else
  echo "FAIL (ratio $RATIO < $MIN_RATIO)"
  exit 1
fi
