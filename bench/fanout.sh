#!/usr/bin/env bash
# Fan-out benchmark of the live change feed: SUBSCRIBERS WebSocket connections, each with
# one `catalogChanges` subscription, open on instance A; changes made through instance B on
# the same database; how long each change takes to reach every subscriber, what A's memory
# peaks at, and what the idle subscriptions cost the database.
# Targets (the issue): p99 under 1 s with 5,000 subscribers on PostgreSQL, A's peak RSS
# under 256 MiB, and no database statements for idle subscriptions (one listener or poller
# per instance, whatever the number of subscribers).
#
# For each database (SQLite in a temp dir; PostgreSQL when reachable, a fresh database per
# run, dropped at exit): `swcat migrate`, then start A and B (`swcat serve`, each on its own
# port, the same database), wait until both answer /ready, and run the client
# (bench/fanout/, the swcat-fanout binary). It reads `catalogChangeCursor` from A, opens the
# connections to A's /graphql/ws, CONNECT_BATCH handshakes at a time (connection_init,
# connection_ack, subscribe after that cursor), makes one warm-up change through B and
# waits until every subscriber has it (the protocol acknowledges no subscribe; the warm-up
# is not in the figures), then makes CHANGES changes through B (createSoftware, one every
# INTERVAL_MS, each shifted by a different 0-99 ms so that they do not all fall at the same
# point of SQLite's 100 ms poll), each subscriber noting when each change arrives. Latency is from the moment
# the client sends a mutation to B until a subscriber reads the change off its socket, over
# every (subscriber, change) pair: p50, p99 (nearest rank) and max.
#
# Then the subscriptions stay open with nothing changing, and the script measures A's idle
# cost with B stopped (so that A is the only client of the bench database):
#   PostgreSQL: the growth of pg_stat_database.xact_commit of the bench database over
#     IDLE_WINDOW seconds, read from another database (so psql's own queries are not
#     counted). swcat runs each read outside a transaction, so a statement is a commit.
#     PostgreSQL 15 backends flush these counters at most once a second, and pending ones
#     within 10 s, so the window starts SETTLE (11) s after the last change; a steady rate
#     is counted right either way. A's pruner reads the log once a minute (one SELECT),
#     which a window can catch.
#   SQLite: not measured (swcat turns off statement logging, and SQLite has no counters);
#     by design A reads the log's head once per poll (--changes-poll-interval, default
#     0.1 s, so 50 reads in 5 s) while anyone is subscribed, whatever the subscriber count.
# A's peak RSS is VmHWM from /proc/PID/status, read when the client is done.
#
# Prints the client's lines per database, then one table: database, subscribers, changes,
# latency p50/p99/max, missing deliveries, A's peak RSS, idle statements. Exit status 1
# when a delivery is missing or repeated, a connection failed, or the client failed.
#
# Needs: curl, awk; psql for PostgreSQL. Raises the open-files limit (ulimit -n) to 65536
# or the hard limit, whichever is lower: A and the client each hold SUBSCRIBERS sockets.
#
# Environment knobs (all optional):
#   SWCAT_BIN      swcat binary; FANOUT_BIN  swcat-fanout binary. Default: both built with
#                  `cargo build --release -p swcat -p swcat-fanout` (those not set)
#   DATABASES      sqlite,postgres (default both; postgres is skipped when unreachable)
#   SUBSCRIBERS    connections held open on A, one subscription each (default 5000)
#   CHANGES        changes measured (default 20)
#   INTERVAL_MS    milliseconds between two changes, on average (default 500)
#   CONNECT_BATCH  most WebSocket handshakes in flight at once (default 200)
#   IDLE_WINDOW    seconds over which the idle statements are counted (default 5)
#   POLL_INTERVAL  A's and B's --changes-poll-interval, seconds (default 0.1, swcat's own)
#   PG_URL         PostgreSQL server (default postgres://postgres@127.0.0.1:5432); a database
#                  name in it is ignored, parameters (?sslmode=disable) are kept; needs
#                  CREATE DATABASE rights
#   SWCAT_LOG      the servers' log filter (default warn,swcat::startup=info)
#   KEEP_LOGS=1    keep the temp dir (server and client logs) and print its path
#
# Usage: bench/fanout.sh         e.g. SUBSCRIBERS=1000 DATABASES=sqlite bench/fanout.sh
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

DATABASES="${DATABASES:-sqlite,postgres}"
SUBSCRIBERS="${SUBSCRIBERS:-5000}"
CHANGES="${CHANGES:-20}"
INTERVAL_MS="${INTERVAL_MS:-500}"
CONNECT_BATCH="${CONNECT_BATCH:-200}"
IDLE_WINDOW="${IDLE_WINDOW:-5}"
POLL_INTERVAL="${POLL_INTERVAL:-0.1}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
SWCAT_LOG="${SWCAT_LOG:-warn,swcat::startup=info}"
SETTLE=11

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'fanout.sh: %s\n' "$*" >&2; exit 2; }

for tool in curl awk; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool on PATH"
done

# --- open files -----------------------------------------------------------------------
hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
[ "$(ulimit -n)" -ge $((SUBSCRIBERS + 1000)) ] ||
  die "ulimit -n is $(ulimit -n): too few open files for $SUBSCRIBERS subscribers"

# --- temp dir, cleanup ----------------------------------------------------------------
DIR="$(mktemp -d "${TMPDIR:-/tmp}/swcat-fanout.XXXXXX")"
PID_A=""
PID_B=""
CLIENT_PID=""
PG_DATABASES=()
PG_ADMIN=""


cleanup() {
  local rc=$? db
  trap - EXIT INT TERM
  stop_pid "$CLIENT_PID"
  stop_pid "$PID_A"
  stop_pid "$PID_B"
  for db in "${PG_DATABASES[@]}"; do drop_pg "$db"; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    printf 'fanout.sh: logs kept in %s\n' "$DIR" >&2
  else
    rm -rf "$DIR"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- binaries -------------------------------------------------------------------------
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
packages=()
[ -n "${SWCAT_BIN:-}" ] || packages+=(-p swcat)
[ -n "${FANOUT_BIN:-}" ] || packages+=(-p swcat-fanout)
if [ "${#packages[@]}" -gt 0 ]; then
  log "building (cargo build --release ${packages[*]})"
  cargo build --manifest-path "$ROOT/Cargo.toml" --release --quiet "${packages[@]}" &
  CLIENT_PID=$!
  wait "$CLIENT_PID" || die "cargo build failed"
  CLIENT_PID=""
fi
SWCAT_BIN="${SWCAT_BIN:-$TARGET/release/swcat}"
FANOUT_BIN="${FANOUT_BIN:-$TARGET/release/swcat-fanout}"
[ -x "$SWCAT_BIN" ] || die "no executable swcat at $SWCAT_BIN"
[ -x "$FANOUT_BIN" ] || die "no executable swcat-fanout at $FANOUT_BIN"

# --- servers --------------------------------------------------------------------------
URL="" # set by start_server: http://127.0.0.1:PORT
SERVER_PID=""
start_server() { # name db_url log
  local name="$1" db_url="$2" log="$3"
  env -u SWCAT_API_TOKENS SWCAT_LOG="$SWCAT_LOG" "$SWCAT_BIN" serve --listen 127.0.0.1:0 \
    --database-url "$db_url" --changes-poll-interval "$POLL_INTERVAL" \
    --max-ws-connections $((SUBSCRIBERS + 100)) >/dev/null 2>"$log" &
  SERVER_PID=$!
  URL=""
  for _ in $(seq 200); do # 200 x 0.1 s = 20 s
    URL="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/graphql' "$log" | head -n1 || true)"
    [ -n "$URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "$name exited at startup"; }
    sleep 0.1
  done
  [ -n "$URL" ] || { tail -n 20 "$log" >&2; die "$name did not report its address within 20 s"; }
  URL="${URL%/graphql}"
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$URL/ready" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$name is not ready after 10 s"
}

status_mib() { # pid field -> the field of /proc/PID/status in MiB
  awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

field() { # file key -> value from the RESULT line
  awk -v key="$2=" '$1 == "RESULT" { for (i = 2; i <= NF; i++) if (index($i, key) == 1) v = substr($i, length(key) + 1) } END { print v }' "$1"
}

# --- one database ---------------------------------------------------------------------
ROWS=()
FAILURES=0
bench_one() { # database db_url [pg database name]
  local database="$1" db_url="$2" pg_name="${3:-}" out="$DIR/$1"
  mkdir -p "$out"
  log "[$database] migrating"
  "$SWCAT_BIN" migrate --database-url "$db_url" >"$out/migrate.log" 2>&1 ||
    { cat "$out/migrate.log" >&2; die "swcat migrate failed"; }

  start_server A "$db_url" "$out/a.log"
  PID_A=$SERVER_PID url_a=$URL
  start_server B "$db_url" "$out/b.log"
  PID_B=$SERVER_PID url_b=$URL
  log "[$database] A at $url_a, B at $url_b; $SUBSCRIBERS subscribers, $CHANGES changes"

  local hold="$IDLE_WINDOW"
  [ -z "$pg_name" ] || hold=$((SETTLE + IDLE_WINDOW + 1))
  "$FANOUT_BIN" --subscribe-to "$url_a" --write-to "$url_b" --subscribers "$SUBSCRIBERS" \
    --changes "$CHANGES" --interval-ms "$INTERVAL_MS" --connect-batch "$CONNECT_BATCH" \
    --idle "$hold" >"$out/client.txt" 2>"$out/client.err" &
  CLIENT_PID=$!
  until grep -q '^idle:' "$out/client.txt" 2>/dev/null; do
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.2
  done

  # Idle: the subscriptions are open, nothing changes, A is alone on the database.
  local idle="-" rss_idle="-"
  if kill -0 "$CLIENT_PID" 2>/dev/null; then
    stop_pid "$PID_B"
    PID_B=""
    if [ -n "$pg_name" ]; then
      local sql="SELECT xact_commit FROM pg_stat_database WHERE datname = '$pg_name'" c0 c1
      sleep "$SETTLE"
      c0="$(psql "$PG_ADMIN" -qAt -c "$sql")"
      sleep "$IDLE_WINDOW"
      c1="$(psql "$PG_ADMIN" -qAt -c "$sql")"
      idle=$((c1 - c0))
    else
      sleep "$IDLE_WINDOW"
      idle="$(awk -v w="$IDLE_WINDOW" -v p="$POLL_INTERVAL" 'BEGIN { printf "%d (polls)", w / p + 0.5 }')"
    fi
    rss_idle="$(status_mib "$PID_A" VmRSS)"
  fi
  local rc=0
  wait "$CLIENT_PID" || rc=$?
  CLIENT_PID=""
  local peak
  peak="$(status_mib "$PID_A" VmHWM)"
  stop_pid "$PID_A"
  PID_A=""
  stop_pid "$PID_B"
  PID_B=""

  echo
  echo "== $database =="
  cat "$out/client.txt"
  [ ! -s "$out/client.err" ] || sed 's/^/client: /' "$out/client.err"
  echo "A's RSS: peak $peak MiB, $rss_idle MiB while idle with the subscriptions open"
  grep -iE 'warn|error' "$out/a.log" | head -n 5 | sed 's/^/A: /' || true
  local f="$out/client.txt"
  if [ "$rc" -ne 0 ] || ! grep -q '^RESULT ' "$f"; then
    FAILURES=$((FAILURES + 1))
    echo "the client failed (exit status $rc)"
  fi
  ROWS+=("$(printf '%-9s %11s %7s %9s %9s %9s %8s %14s %s' "$database" \
    "$(field "$f" subscribers)" "$(field "$f" changes)" "$(field "$f" p50_ms)" \
    "$(field "$f" p99_ms)" "$(field "$f" max_ms)" "$(field "$f" missing)" "$peak" "$idle")")
}

# --- databases ------------------------------------------------------------------------
PG_BASE=""
PG_PARAMS=""
if [[ ",$DATABASES," == *",postgres,"* ]]; then
  command -v psql >/dev/null 2>&1 || die "PostgreSQL needs psql on PATH"
  [[ "$PG_URL" =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]] ||
    die "PG_URL is not a postgres:// URL: $PG_URL"
  PG_BASE="${BASH_REMATCH[1]}"
  PG_PARAMS="${BASH_REMATCH[4]}"
  PG_ADMIN="$PG_BASE/postgres$PG_PARAMS"
  if ! psql "$PG_ADMIN" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
    log "PostgreSQL is not reachable at $PG_BASE: skipping it"
    PG_BASE=""
  fi
fi

for database in ${DATABASES//,/ }; do
  case "$database" in
    sqlite)
      bench_one sqlite "sqlite://$DIR/fanout.db"
      ;;
    postgres)
      [ -n "$PG_BASE" ] || continue
      name="swcat_fanout_$$"
      psql "$PG_ADMIN" -qAt -c "CREATE DATABASE \"$name\"" >/dev/null ||
        die "cannot create database $name"
      PG_DATABASES+=("$name")
      bench_one postgres "$PG_BASE/$name$PG_PARAMS" "$name"
      drop_pg "$name"
      ;;
    *) die "unknown database $database (sqlite, postgres)" ;;
  esac
done

echo
printf '%-9s %11s %7s %9s %9s %9s %8s %14s %s\n' database subscribers changes "p50 ms" \
  "p99 ms" "max ms" missing "peak RSS MiB" "idle statements in ${IDLE_WINDOW} s"
printf '%s\n' "${ROWS[@]}"
if [ "$FAILURES" -gt 0 ]; then
  echo "fanout.sh: some runs failed (see above)"
  exit 1
fi
