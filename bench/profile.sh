#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: the figures behind the README's
# "What the profile showed". Unlike req/s, a count is the same for the same binary and input
# whatever else this shared machine is doing, so a change can be judged by one run.
#
# Seeds 200 software x 10 releases on SQLite through swcat, then for swcat and for the
# baseline (bench/baseline/): starts the server under callgrind with instrumentation off,
# warms it with 50 requests, counts N more over one keep-alive connection, and prints the
# instructions per request of the whole process (its own threads and SQLite's alike). Each
# profile is kept (callgrind_annotate FILE, or --inclusive=yes, reads it).
#
# Usage: bench/profile.sh [WORKLOAD] [N]
#   WORKLOAD  read1 software(id){..releases}, read2 softwareList(50), read3 releases(100)
#             (default read1)
#   N         requests counted (default 200; read2 and read3 are slower under valgrind)
# Environment: SWCAT_BIN, BASELINE_BIN (default: built with cargo build --release), OUT (the
# directory the profiles are written to; default a new temp dir).
# Needs: valgrind (callgrind_annotate, callgrind_control), python3.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
WORKLOAD="${1:-read1}"
N="${2:-200}"
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/swcat-profile.XXXXXX")}"
mkdir -p "$OUT"
die() { printf 'profile.sh: %s\n' "$*" >&2; exit 2; }
for tool in valgrind callgrind_annotate callgrind_control python3; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool on PATH"
done
case "$WORKLOAD" in read1 | read2 | read3) ;; *) die "unknown workload $WORKLOAD" ;; esac

if [ -z "${SWCAT_BIN:-}" ] || [ -z "${BASELINE_BIN:-}" ]; then
  cargo build --manifest-path "$ROOT/Cargo.toml" --release --quiet -p swcat -p swcat-baseline
fi
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SWCAT_BIN="${SWCAT_BIN:-$TARGET/release/swcat}"
BASELINE_BIN="${BASELINE_BIN:-$TARGET/release/swcat-baseline}"
DB="sqlite://$OUT/bench.db"
PID=""
trap 'stop_pid "$PID"' EXIT

# Prints the server's URL once its log names it.
url_of() {
  local url=""
  for _ in $(seq 600); do
    url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/graphql' "$1" | head -n1 || true)"
    [ -n "$url" ] && { echo "$url"; return 0; }
    sleep 0.1
  done
  die "no server address in $1"
}

# N keep-alive POSTs of BODY_FILE to URL; prints how many answered 200 without errors.
post() {
  python3 - "$1" "$2" "$3" <<'EOF'
import http.client, sys, urllib.parse
url, body_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlparse(url)
body = open(body_path, "rb").read()
conn = http.client.HTTPConnection(u.hostname, u.port)
ok = 0
for _ in range(n):
    conn.request("POST", u.path, body, {"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    ok += r.status == 200 and b'"errors"' not in data
print(ok)
EOF
}

"$SWCAT_BIN" migrate --database-url "$DB" >/dev/null 2>&1 || die "swcat migrate failed"
SWCAT_LOG=warn,swcat::startup=info "$SWCAT_BIN" serve --listen 127.0.0.1:0 --database-url "$DB" \
  2>"$OUT/seed.log" &
PID=$!
python3 "$BENCH_DIR/run.py" seed "$(url_of "$OUT/seed.log")" 200 10 >"$OUT/ids.txt" ||
  die "seeding failed"
stop_pid "$PID"
PID=""
IFS=$'\t' read -r software_id _ <"$OUT/ids.txt"
write_reads "$OUT" "$software_id"

for server in swcat baseline; do
  profile="$OUT/callgrind.$server.$WORKLOAD"
  case "$server" in
    swcat) command=("$SWCAT_BIN" serve --listen 127.0.0.1:0 --database-url "$DB") ;;
    baseline) command=("$BASELINE_BIN" --listen 127.0.0.1:0 --database-url "$DB") ;;
  esac
  SWCAT_LOG=warn,swcat::startup=info valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$profile" "${command[@]}" 2>"$OUT/$server.log" &
  PID=$!
  url="$(url_of "$OUT/$server.log")"
  post "$url" "$OUT/$WORKLOAD.json" 50 >/dev/null
  callgrind_control -i on "$PID" >/dev/null 2>&1
  ok="$(post "$url" "$OUT/$WORKLOAD.json" "$N")"
  callgrind_control -i off "$PID" >/dev/null 2>&1
  stop_pid "$PID" INT
  PID=""
  [ "$ok" -eq "$N" ] || die "$server answered $ok of $N requests without errors"
  total="$(callgrind_annotate "$profile" 2>/dev/null |
    awk '/PROGRAM TOTALS/ && !seen { gsub(",", "", $1); print $1; seen = 1 }')"
  printf '%-9s %s: %d instructions per request (%s requests; %s)\n' \
    "$server" "$WORKLOAD" "$((total / N))" "$N" "$profile"
done
