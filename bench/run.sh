#!/usr/bin/env bash
# Throughput benchmark: swcat against swcat-baseline (bench/baseline/), a server that runs
# the same SQL for the same five documents and answers the same bytes, with no GraphQL
# engine and no ORM. The ratio swcat/baseline is what GraphQL and SeaORM cost.
#
# For each dataset (software x releases) and each database (SQLite in a temp dir; PostgreSQL
# when reachable, a fresh database per run, dropped at exit): `swcat migrate`, seed through
# swcat's API, measure swcat's cold start (launch of `swcat serve` until /ready answers 200,
# median of 5), then, for each of ROUNDS rounds, start both servers fresh on that database,
# side by side, check that both answer reads 1-3 with identical bytes, and run each workload
# with wrk (2 threads, --latency) on one server right after the other (which goes first
# alternates by round, and the idle one is not loaded):
#   1 software(id)       software(id: $id) { id displayName maintainerEmail releases {..} }
#   2 softwareList(50)   softwareList(first: 50) { nodes { displayName releases { version } } }
#   3 releases(100)      releases(first: 100) { nodes { version software { displayName } } }
#   4 write A (release)  createRelease / deleteRelease of the release just created
#   5 write B (software) createSoftware (5 releases) / deleteSoftware of the one just created
# Reads send fixed bodies (bench/fairness.lua); the write mixes are bench/write_mix.lua. An
# answer that is not a 200, or whose body contains "errors", is a failure: req/s counts
# successful answers only, and failures are listed. Prints one table per dataset x
# database (each server's median round, and the median of the rounds' ratios), each round's
# ratio (to judge the noise), each server's CPU time per request (user + system, read from
# /proc before and after each run) with its ratio, then each server's peak RSS (the highest
# VmHWM after a round's five runs) and swcat's cold start.
# Exit status 1 when anything failed or the answers differed.
#
# Needs: wrk, python3 (stdlib only), awk; psql for PostgreSQL.
#
# Environment knobs (all optional):
#   SWCAT_BIN      swcat binary; default: built (see PGO)
#   BASELINE_BIN   swcat-baseline binary; default: built as swcat is (both in one cargo
#                  invocation when neither is set)
#   DATASETS       software x releases per dataset, space/comma separated (default
#                  "200x10 1000x20")
#   DATABASES      sqlite,postgres (default both; postgres is skipped when unreachable)
#   DURATION       length of each wrk run, in wrk's syntax (default 5s)
#   ROUNDS         rounds (default 3): each row is a server's median round, each ratio the
#                  median of the rounds' ratios
#   CONNECTIONS    wrk connections (default 32)
#   PG_URL         PostgreSQL server (default postgres://postgres@127.0.0.1:5432); a database
#                  name in it is ignored, parameters (?sslmode=disable) are kept; needs
#                  CREATE DATABASE rights. (sqlx's default sslmode=prefer negotiates TLS
#                  when the server offers it: that is most of swcat's cold start there.)
#   PGO            1 (the default): build both servers with profile-guided optimisation
#                  (bench/pgo.sh: an instrumented build, a short run of this script as
#                  training, the optimised build; about 10 min more on 2 cores), the build
#                  the README recommends for production; 0: plain `cargo build --release`.
#                  When the PGO build cannot be made, the plain one is measured and the
#                  tables' headings say so. Ignored when SWCAT_BIN or BASELINE_BIN is given.
#   SWCAT_LOG      swcat's log filter (default warn,swcat::startup=info: its address, but no
#                  line per request, as the baseline writes none)
#   KEEP_LOGS=1    keep the temp dir (server logs, wrk outputs, answers) and print its path
#
# Usage: bench/run.sh            e.g. DURATION=3s DATASETS=200x10 DATABASES=sqlite bench/run.sh
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
READ_LUA="$BENCH_DIR/fairness.lua"
WRITE_LUA="$BENCH_DIR/write_mix.lua"
HELPER="$BENCH_DIR/run.py"

DATASETS="${DATASETS:-200x10 1000x20}"
DATABASES="${DATABASES:-sqlite,postgres}"
DURATION="${DURATION:-5s}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-32}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
SWCAT_LOG="${SWCAT_LOG:-warn,swcat::startup=info}"
THREADS=2
COLD_STARTS=5

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

for tool in wrk python3 awk; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool on PATH"
done
for f in "$READ_LUA" "$WRITE_LUA" "$HELPER"; do [ -f "$f" ] || die "missing $f"; done

# --- temp dir, cleanup ----------------------------------------------------------------
DIR="$(mktemp -d "${TMPDIR:-/tmp}/swcat-bench.XXXXXX")"
SERVER_PID=""
declare -A PID_OF=([swcat]="" [baseline]="") URL_OF=()
CHILD_PID="" # wrk or the python helper, whichever runs
PG_DATABASES=()
PG_ADMIN=""



cleanup() {
  local rc=$? db
  trap - EXIT INT TERM
  stop_pid "$CHILD_PID"
  stop_pid "$SERVER_PID"
  stop_pid "${PID_OF[swcat]}"
  stop_pid "${PID_OF[baseline]}"
  for db in "${PG_DATABASES[@]}"; do drop_pg "$db"; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    printf 'run.sh: logs kept in %s\n' "$DIR" >&2
  else
    rm -rf "$DIR"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command in the background and waits for it, so that Ctrl-C and TERM reach the
# traps at once (bash runs a trap only after the foreground command ends).
run_child() {
  "$@" &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

# --- binaries -------------------------------------------------------------------------
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
# How the binaries were built, for the tables' headings.
if [ -n "${SWCAT_BIN:-}${BASELINE_BIN:-}" ]; then
  BUILD="binaries given"
elif [ "${PGO:-1}" = 1 ]; then
  log "building both servers with profile-guided optimisation (bench/pgo.sh)"
  if built="$("$BENCH_DIR/pgo.sh")"; then
    SWCAT_BIN="$(printf '%s\n' "$built" | sed -n 's/^SWCAT_BIN=//p')"
    BASELINE_BIN="$(printf '%s\n' "$built" | sed -n 's/^BASELINE_BIN=//p')"
    BUILD="both built with PGO"
  else
    log "bench/pgo.sh failed (above): measuring plain release builds instead"
    BUILD="release builds, as the PGO build failed"
  fi
else
  BUILD="release builds"
fi
packages=()
[ -n "${SWCAT_BIN:-}" ] || packages+=(-p swcat)
[ -n "${BASELINE_BIN:-}" ] || packages+=(-p swcat-baseline)
if [ "${#packages[@]}" -gt 0 ]; then
  log "building (cargo build --release ${packages[*]})"
  run_child cargo build --manifest-path "$ROOT/Cargo.toml" --release --quiet "${packages[@]}" ||
    die "cargo build failed"
fi
SWCAT_BIN="${SWCAT_BIN:-$TARGET/release/swcat}"
BASELINE_BIN="${BASELINE_BIN:-$TARGET/release/swcat-baseline}"
[ -x "$SWCAT_BIN" ] || die "no executable swcat at $SWCAT_BIN"
[ -x "$BASELINE_BIN" ] || die "no executable swcat-baseline at $BASELINE_BIN"

# --- servers --------------------------------------------------------------------------
URL=""
start_server() { # name db_url log
  local name="$1" db_url="$2" log="$3"
  case "$name" in
    swcat)
      env -u SWCAT_API_TOKENS SWCAT_LOG="$SWCAT_LOG" "$SWCAT_BIN" serve --listen 127.0.0.1:0 \
        --database-url "$db_url" >/dev/null 2>"$log" &
      ;;
    baseline)
      "$BASELINE_BIN" --listen 127.0.0.1:0 --database-url "$db_url" >/dev/null 2>"$log" &
      ;;
  esac
  SERVER_PID=$!
  URL=""
  for _ in $(seq 200); do # 200 x 0.1 s = 20 s
    URL="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/graphql' "$log" | head -n1 || true)"
    [ -n "$URL" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "$name exited at startup"; }
    sleep 0.1
  done
  tail -n 20 "$log" >&2
  die "$name did not report its address within 20 s"
}

stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

# The CPU time a process has used (user + system, all its threads, alive or gone), in
# clock ticks. Per request, it leaves out the time a server waited for a core while
# something else ran, which req/s takes in: a second view of the same runs.
cpu_ticks() { # pid
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
CLK_TCK="$(getconf CLK_TCK)"

peak_rss_mib() { # pid -> VmHWM in MiB
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# --- results --------------------------------------------------------------------------
field() { # file key -> value from the RESULT line
  sed -n 's/^RESULT .*[[:space:]]'"$2"'=\([^[:space:]]*\).*/\1/p' "$1" | tail -n1
}

WORKLOADS=(read1 read2 read3 writeA writeB)
declare -A TITLE=(
  [read1]="1 software(id)" [read2]="2 softwareList(50)" [read3]="3 releases(100)"
  [writeA]="4 write A (release)" [writeB]="5 write B (software)"
)
FAILURES=0

run_wrk() { # out_file url lua args...
  local out="$1" url="$2" lua="$3"
  shift 3
  run_child wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 10s --latency \
    -s "$lua" "$url" -- "$@" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  grep -q '^RESULT ' "$out" || { cat "$out" >&2; die "wrk gave no result ($out)"; }
}

ratio_of() { # a b -> a / b (0 when b is not positive)
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.4f\n", a / b; else print "0" }'
}

median() { # numbers on stdin, one per round -> the median round's (the lower of an even count)
  sort -g | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { print $1 }'
}

two_places() { # a number on stdin -> it, with two decimals and no newline
  awk '{ printf "%.2f", $1 }'
}

failures_of() { # file -> bad answers + timeouts + socket errors
  echo $(($(field "$1" failed) + $(field "$1" timeouts) + $(field "$1" socket_errors)))
}

# --- one dataset on one database ------------------------------------------------------
bench_one() { # n_software n_releases database db_url
  local ns="$1" nr="$2" database="$3" db_url="$4"
  local tag="${ns}x${nr}-$database" out="$DIR/${ns}x${nr}-$database" server w
  mkdir -p "$out"

  log "[$tag] migrating"
  "$SWCAT_BIN" migrate --database-url "$db_url" >"$out/migrate.log" 2>&1 ||
    { cat "$out/migrate.log" >&2; die "swcat migrate failed"; }

  log "[$tag] seeding $ns software x $nr releases through swcat"
  start_server swcat "$db_url" "$out/seed-server.log"
  run_child python3 "$HELPER" seed "$URL" "$ns" "$nr" >"$out/ids.txt" || die "seeding failed"
  stop_server
  local software_id write_software_id
  IFS=$'\t' read -r software_id write_software_id <"$out/ids.txt"

  log "[$tag] swcat cold start to ready, $COLD_STARTS times"
  run_child python3 "$HELPER" coldstart "$SWCAT_BIN" "$db_url" "$COLD_STARTS" \
    >"$out/coldstart.txt" || die "cold start measurement failed"

  write_reads "$out" "$software_id"

  local round order
  for round in $(seq "$ROUNDS"); do
    # Both servers run side by side, and each workload runs on one right after the other
    # (which goes first alternates by round): the two runs of a ratio are seconds apart,
    # so a slow spell of this shared machine weighs on both.
    for server in swcat baseline; do
      start_server "$server" "$db_url" "$out/$server.log"
      PID_OF[$server]="$SERVER_PID" URL_OF[$server]="$URL"
      SERVER_PID=""
      for w in read1 read2 read3; do
        run_child python3 "$HELPER" fetch "$URL" "$out/$w.json" "$out/$server-$w.answer" ||
          die "$server refused $w"
      done
    done
    if [ $((round % 2)) -eq 1 ]; then order="swcat baseline"; else order="baseline swcat"; fi
    log "[$tag] round $round of $ROUNDS ($order in turn): $THREADS threads, $CONNECTIONS connections, $DURATION per workload"
    for w in "${WORKLOADS[@]}"; do
      for server in $order; do
        URL="${URL_OF[$server]}"
        local ticks
        ticks="$(cpu_ticks "${PID_OF[$server]}")"
        case "$w" in
          read*) run_wrk "$out/$server-$w-$round.txt" "$URL" "$READ_LUA" "$out/$w.json" "$server-$w" ;;
          writeA) run_wrk "$out/$server-$w-$round.txt" "$URL" "$WRITE_LUA" release \
            "$write_software_id" "$server-$w" ;;
          writeB) run_wrk "$out/$server-$w-$round.txt" "$URL" "$WRITE_LUA" software - "$server-$w" ;;
        esac
        # CPU microseconds per answered request.
        awk -v t="$(($(cpu_ticks "${PID_OF[$server]}") - ticks))" -v hz="$CLK_TCK" \
          -v n="$(field "$out/$server-$w-$round.txt" requests)" \
          'BEGIN { if (n > 0) printf "%.1f\n", t * 1e6 / hz / n; else print "0" }' \
          >"$out/$server-$w-$round.cpu"
        case "$w" in
          write*) run_child python3 "$HELPER" cleanup "$db_url" || die "cleanup failed" ;;
        esac
      done
    done
    for server in swcat baseline; do
      echo "$(peak_rss_mib "${PID_OF[$server]}")" >>"$out/$server-rss.txt"
      stop_pid "${PID_OF[$server]}"
      PID_OF[$server]=""
    done
  done
  # Each server's row is its median round; the ratio is the median of the rounds' ratios,
  # each between two runs of the same workload seconds apart.
  for w in "${WORKLOADS[@]}"; do
    for server in swcat baseline; do
      for round in $(seq "$ROUNDS"); do
        printf '%s %s\n' "$(field "$out/$server-$w-$round.txt" ok_rps)" "$round"
      done | sort -g | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { print $2 }' >"$out/$server-$w.median"
      cp "$out/$server-$w-$(cat "$out/$server-$w.median").txt" "$out/$server-$w.txt"
    done
    for round in $(seq "$ROUNDS"); do
      ratio_of "$(field "$out/swcat-$w-$round.txt" ok_rps)" \
        "$(field "$out/baseline-$w-$round.txt" ok_rps)"
    done >"$out/$w.rounds"
    median <"$out/$w.rounds" | two_places >"$out/$w.ratio"
    for server in swcat baseline; do
      for round in $(seq "$ROUNDS"); do cat "$out/$server-$w-$round.cpu"; done |
        median >"$out/$server-$w.cpu"
    done
    # Less CPU per request is better, so the baseline's over swcat's.
    for round in $(seq "$ROUNDS"); do
      ratio_of "$(cat "$out/baseline-$w-$round.cpu")" "$(cat "$out/swcat-$w-$round.cpu")"
    done | median | two_places >"$out/$w.cpu-ratio"
  done

  # --- the table ---
  local s="$out/swcat" b="$out/baseline" ratio line fails=()
  echo
  echo "== $ns software x $nr releases, $database ($CONNECTIONS connections, $DURATION each, median of $ROUNDS rounds; $BUILD) =="
  printf '%-22s %11s %8s %8s %14s %8s %8s %7s\n' workload "swcat req/s" p50 p99 \
    "baseline req/s" p50 p99 ratio
  for w in "${WORKLOADS[@]}"; do
    ratio="$(cat "$out/$w.ratio")"
    printf '%-22s %11.1f %6.2fms %6.2fms %14.1f %6.2fms %6.2fms %7s\n' "${TITLE[$w]}" \
      "$(field "$s-$w.txt" ok_rps)" "$(field "$s-$w.txt" p50_ms)" "$(field "$s-$w.txt" p99_ms)" \
      "$(field "$b-$w.txt" ok_rps)" "$(field "$b-$w.txt" p50_ms)" "$(field "$b-$w.txt" p99_ms)" \
      "$ratio"
    for server in swcat baseline; do
      for round in $(seq "$ROUNDS"); do
        local f="$out/$server-$w-$round.txt" n
        n="$(failures_of "$f")"
        if [ "$n" -gt 0 ]; then
          line="$server ${TITLE[$w]}, round $round: $n of $(field "$f" requests)"
          line+=" (bad answers $(field "$f" failed), timeouts $(field "$f" timeouts),"
          line+=" socket errors $(field "$f" socket_errors))"
          fails+=("$line")
          grep '^SAMPLE ' "$f" | sed 's/^SAMPLE [^ ]* /      first: /' >>"$out/failure-samples.txt" || true
        fi
      done
    done
  done
  echo "each round's ratio, in the order run:"
  for w in "${WORKLOADS[@]}"; do
    printf '  %-22s %s\n' "${TITLE[$w]}" "$(awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 }' "$out/$w.rounds")"
  done
  echo "CPU time per request (user + system, median round), and the baseline's as a share of"
  echo "swcat's (median of the rounds' ratios):"
  for w in "${WORKLOADS[@]}"; do
    printf '  %-22s swcat %8s us   baseline %8s us   ratio %s\n' "${TITLE[$w]}" \
      "$(cat "$s-$w.cpu")" "$(cat "$b-$w.cpu")" "$(cat "$out/$w.cpu-ratio")"
  done
  printf 'peak RSS (highest of the rounds): swcat %s MiB, baseline %s MiB\n' \
    "$(sort -g "$s-rss.txt" | tail -n1)" "$(sort -g "$b-rss.txt" | tail -n1)"
  echo "swcat cold start to ready: $(cat "$out/coldstart.txt")"
  local differ=()
  for w in read1 read2 read3; do
    cmp -s "$s-$w.answer" "$b-$w.answer" || differ+=("$w")
  done
  if [ "${#differ[@]}" -eq 0 ]; then
    echo "answers to reads 1-3: identical bytes ($(wc -c <"$s-read1.answer"), $(wc -c <"$s-read2.answer"), $(wc -c <"$s-read3.answer") bytes)"
  else
    echo "answers to reads 1-3: DIFFER for ${differ[*]} (KEEP_LOGS=1 keeps them)"
    FAILURES=$((FAILURES + 1))
  fi
  if [ "${#fails[@]}" -eq 0 ]; then
    echo "failures: none"
  else
    FAILURES=$((FAILURES + 1))
    echo "failures:"
    printf '  %s\n' "${fails[@]}"
    cat "$out/failure-samples.txt"
  fi
}

# --- datasets x databases -------------------------------------------------------------
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

for dataset in ${DATASETS//,/ }; do
  [[ "$dataset" =~ ^([0-9]+)x([0-9]+)$ ]] || die "a dataset is SOFTWAREx RELEASES, e.g. 200x10, not $dataset"
  ns="${BASH_REMATCH[1]}" nr="${BASH_REMATCH[2]}"
  [ "$ns" -ge 2 ] || die "a dataset needs at least 2 software"
  for database in ${DATABASES//,/ }; do
    case "$database" in
      sqlite)
        bench_one "$ns" "$nr" sqlite "sqlite://$DIR/${dataset}.db"
        ;;
      postgres)
        [ -n "$PG_BASE" ] || continue
        name="swcat_bench_$$_$dataset"
        psql "$PG_ADMIN" -qAt -c "CREATE DATABASE \"$name\"" >/dev/null ||
          die "cannot create database $name"
        PG_DATABASES+=("$name")
        bench_one "$ns" "$nr" postgres "$PG_BASE/$name$PG_PARAMS"
        drop_pg "$name"
        ;;
      *) die "unknown database $database (sqlite, postgres)" ;;
    esac
  done
done

echo
if [ "$FAILURES" -gt 0 ]; then
  echo "run.sh: some runs had failures or differing answers (see above)"
  exit 1
fi
