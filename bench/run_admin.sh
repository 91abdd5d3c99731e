#!/usr/bin/env bash
# Builds Release with the benchmarks and measures the admin page and the
# HTTPS listener of the real daemon (serve --https-listen), from outside:
# the page's assets cold and warm, the /admin/api reads with 10,000
# appointments, new TLS connections per second and the daemon's CPU per
# handshake, VmRSS with 0 / 100 / 500 idle TLS connections, and a sign-in's
# password hash on amd64 and (with --arm64) for the arm64 build under
# qemu-user. Everything runs on 127.0.0.1 with free ports and a temp data
# dir and stops by itself (about 3 minutes, plus the arm64 cross build the
# first time). Appends a dated section to bench/RESULTS.md and prints it.
#
#   bench/run_admin.sh           # from anywhere in the repository
#   bench/run_admin.sh --arm64   # also the arm64 hash time under qemu-user
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/machine.sh

BUILD=build-bench
ARM_BUILD=build-cross-arm64-bench
RESULTS=bench/RESULTS.md
BIN=$BUILD/telemed-bridge
BENCH=$BUILD/bench/admin_bench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/telemed-admin-bench.XXXXXX")
DATA=$WORK/data
PASSWORD="bench password $RANDOM$RANDOM"
DAEMON_PID=""
ARM64=0

cleanup() {
  if [ -n "$DAEMON_PID" ]; then
    kill "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A developer's shell must not redirect the daemon or make it talk to
# systemd.
unset TELEMED_DATA_DIR TELEMED_LISTEN TELEMED_HTTPS_LISTEN NOTIFY_SOCKET \
  WATCHDOG_USEC WATCHDOG_PID

build() {
  say "building Release (gcc, -O2) in $BUILD"
  CC=gcc CXX=g++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
    -DTELEMED_BUILD_BENCH=ON >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" \
    --target telemed-bridge admin_bench password_hash_bench >/dev/null
  if [ "$ARM64" = 1 ]; then
    say "cross-building password_hash_bench for arm64 in $ARM_BUILD"
    # The toolchain file counts only when the build dir is new (CMake warns
    # of an unused variable otherwise).
    local toolchain=()
    [ -f "$ARM_BUILD/CMakeCache.txt" ] ||
      toolchain=(-DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake)
    cmake -S . -B "$ARM_BUILD" "${toolchain[@]}" \
      -DCMAKE_BUILD_TYPE=Release -DTELEMED_BUILD_BENCH=ON >/dev/null
    cmake --build "$ARM_BUILD" -j "$(nproc)" --target password_hash_bench >/dev/null
  fi
}

row() { printf '| %s | %s |\n' "$@"; }

# The daemon with 10 doctors and an API key, both listeners on free ports.
start_daemon() {
  local i
  for i in $(seq 0 9); do
    "$BIN" doctor put "dr-$i" --name "Dr $i" --zoom-user "dr$i@clinic.example" \
      --data-dir "$DATA" >/dev/null
  done
  KEY=$("$BIN" apikey create bench --data-dir "$DATA" | tail -n 1)
  PORT=$("$BENCH" free-port)
  HTTPS_PORT=$("$BENCH" free-port)
  "$BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" \
    --https-listen "127.0.0.1:$HTTPS_PORT" 2>>"$WORK/daemon.log" &
  DAEMON_PID=$!
  wait_for_health "$PORT"
  "$BIN" web cert --pem --data-dir "$DATA" >"$WORK/cert.pem"
}

# The ECDHE curve the daemon picks for a browser's offer (openssl s_client).
curve_rows() {
  command -v openssl >/dev/null || return 0
  local name offer curve
  for name in chrome:X25519:prime256v1:secp384r1 \
    firefox:X25519:prime256v1:secp384r1:secp521r1; do
    offer=${name#*:}
    curve=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$HTTPS_PORT" \
      -curves "$offer" 2>/dev/null | awk -F': ' '/Temp Key/ {print $2}')
    row "ECDHE curve the daemon picks when offered ${offer//:/, } (${name%%:*}; openssl s_client)" \
      "${curve:-none}; $(echo | timeout 10 openssl s_client -connect "127.0.0.1:$HTTPS_PORT" \
        -curves "$offer" 2>/dev/null | awk '/Cipher is/ {print $NF; exit}')"
  done
}

hash_rows() {
  "$BUILD/bench/password_hash_bench" 5 | tail -n 1 |
    sed 's/^| Admin password hash/| Admin password hash, amd64 (native)/'
  if [ "$ARM64" = 1 ]; then
    qemu-aarch64-static -L / "$ARM_BUILD/bench/password_hash_bench" 3 | tail -n 1 |
      sed 's/^| Admin password hash/| Admin password hash, arm64 build EMULATED by qemu-aarch64-static on this amd64 box (not a real ARM board)/'
  fi
}

measure() {
  local https=(--https-port "$HTTPS_PORT" --cert "$WORK/cert.pem")
  say "filling 10,000 appointments through /api/v1"
  "$BENCH" fill --api-port "$PORT" --key "$KEY" --appointments 10000 --future 500
  say "setting up the admin, waiting for the sync queue to settle"
  "$BENCH" setup "${https[@]}" --password "$PASSWORD" \
    --code "$("$BIN" admin setup-code --data-dir "$DATA" | tail -n 1)"
  say "page load, cold and warm"
  "$BENCH" page "${https[@]}" --pid "$DAEMON_PID" --rounds 200
  say "/admin/api reads"
  "$BENCH" api "${https[@]}" --password "$PASSWORD" --iterations 200
  say "TLS handshakes (as Chromium, Firefox and a P-256-only client offer curves)"
  curve_rows
  local curves
  for curves in chrome firefox p256; do
    "$BENCH" handshake "${https[@]}" --pid "$DAEMON_PID" --threads 2 --seconds 5 \
      --curves "$curves" | sed -e "s/^| New TLS connections/| New TLS connections, curves as $curves offers/" \
      -e "s/^| Daemon CPU per new connection/| Daemon CPU per new connection ($curves)/"
  done
  say "VmRSS with idle TLS connections (about 40 s)"
  "$BENCH" idle "${https[@]}" --pid "$DAEMON_PID" --counts 0,100,500
  kill "$DAEMON_PID"
  wait "$DAEMON_PID" || true
  DAEMON_PID=""
  say "password hash"
  hash_rows
}

main() {
  case "${1:-}" in
    "") ;;
    --arm64) ARM64=1 ;;
    *) echo "usage: bench/run_admin.sh [--arm64]" >&2; exit 2 ;;
  esac
  build
  local load_before
  load_before=$(loadavg)
  mkdir -p "$DATA"
  start_daemon
  # Not in $(...): the daemon must be started by this shell for cleanup.
  measure >"$WORK/table.md"
  {
    section_head "admin page and HTTPS listener" "$load_before" \
      "bench/run_admin.sh${1:+ $1}"
    echo "| Measure | Result |"
    echo "|---|---|"
    cat "$WORK/table.md"
  } >"$WORK/section.md"
  publish_section "$WORK/section.md" "$RESULTS"
}

main "$@"
