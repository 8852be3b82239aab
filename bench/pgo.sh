#!/usr/bin/env bash
# Builds swcat and swcat-baseline with profile-guided optimisation (PGO), through cargo-pgo:
# an instrumented build of both, one short run of bench/run.sh on it as the training
# workload (200 x 10, one round of 2 s per workload, on SQLite and on PostgreSQL when
# reachable), then the optimised build of both from the profiles that run wrote.
#
# Both servers are built the same way from the same run, so a table measured on them still
# compares like with like; `PGO=1 bench/run.sh` calls this first and measures what it built.
# It is also how to build swcat for production (README, "Performance"): run it, then ship
# target/x86_64-unknown-linux-gnu/release/swcat (the triple is the host's).
#
# Prints, on its last two lines, SWCAT_BIN=... and BASELINE_BIN=... (run.sh reads them);
# everything else goes to stderr.
#
# Needs: what bench/run.sh needs; cargo-pgo (installed here with `cargo install --locked`
# when missing) and llvm-profdata of rustc's own LLVM (`rustup component add llvm-tools`,
# added here when missing; Debian's llvm-N package when rustup cannot).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'pgo.sh: %s\n' "$*" >&2; exit 2; }
cd "$ROOT"

if ! cargo pgo --version >/dev/null 2>&1; then
  log "installing cargo-pgo"
  cargo install --locked --quiet cargo-pgo >&2 || die "cannot install cargo-pgo"
fi
# llvm-profdata must be of rustc's own LLVM: rustup's llvm-tools, or else Debian's llvm-N
# (an llvm-profdata of another version, say /usr/bin's, cannot read the profiles).
libdir="$(rustc --print target-libdir)"
if [ ! -x "$(dirname "$libdir")/bin/llvm-profdata" ]; then
  log "adding rustup's llvm-tools (llvm-profdata)"
  if ! rustup component add llvm-tools >&2; then
    major="$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')"
    dir="/usr/lib/llvm-$major/bin"
    if [ ! -x "$dir/llvm-profdata" ] && command -v apt-get >/dev/null 2>&1; then
      log "rustup could not; trying Debian's llvm-$major"
      apt-get install -y -q "llvm-$major" >&2 || true
    fi
    [ -x "$dir/llvm-profdata" ] ||
      die "needs llvm-profdata of LLVM $major: rustup component add llvm-tools, or llvm-$major"
    export PATH="$dir:$PATH"
  fi
fi

HOST="$(rustc -vV | awk '/^host:/ { print $2 }')"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/$HOST/release"
PACKAGES=(-p swcat -p swcat-baseline)

log "instrumented build of swcat and swcat-baseline"
cargo pgo build -- "${PACKAGES[@]}" >&2 || die "the instrumented build failed"

log "training: bench/run.sh, one short round, on the instrumented servers"
status=0
DATASETS=200x10 ROUNDS=1 DURATION=2s PGO=0 \
  SWCAT_BIN="$TARGET/swcat" BASELINE_BIN="$TARGET/swcat-baseline" \
  "$BENCH_DIR/run.sh" >&2 || status=$?
# 1 is a failed answer or differing answers, which the real run reports; 2 is run.sh
# unable to run at all.
[ "$status" -le 1 ] || die "the training run failed"

log "optimised build from the profiles"
cargo pgo optimize build -- "${PACKAGES[@]}" >&2 || die "the optimised build failed"

echo "SWCAT_BIN=$TARGET/swcat"
echo "BASELINE_BIN=$TARGET/swcat-baseline"
