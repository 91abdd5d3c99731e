#!/usr/bin/env bash
# Builds Release with the benchmarks and measures the Zoom sync:
# PUT-to-join_url latency, a 2,000-appointment backlog's drain at the Pro
# budget (creates/s and 429s) and VmRSS with 10,000 appointments. sync_bench
# serves the fake Zoom over HTTPS in-process (fake answering in 50 ms) and
# starts the real daemon on 127.0.0.1 with temp data dirs; it stops by
# itself (about 3 minutes). Appends a dated section to bench/RESULTS.md and
# prints it. bench/run.sh calls it after the API benchmarks.
#
#   bench/run_sync.sh       # from anywhere in the repository
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/machine.sh

BUILD=build-bench
RESULTS=bench/RESULTS.md
BENCH=$BUILD/bench/sync_bench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/telemed-syncbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT


build() {
  say "building Release (gcc, -O2) in $BUILD"
  CC=gcc CXX=g++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
    -DTELEMED_BUILD_BENCH=ON >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target telemed-bridge sync_bench >/dev/null
}


# A table row: measure, result, target, verdict.
row() { printf '| %s | %s | %s | %s |\n' "$@"; }

measure() {
  local before
  before=$(loadavg)
  "$BENCH" latency --samples 200
  row "Load average (1/5/15 min) before / after the latency phase" "$before / $(loadavg)" "" ""
  before=$(loadavg)
  "$BENCH" backlog --backlog 2000 --doctors 40 --history 8000
  row "Load average (1/5/15 min) before / after the drain and memory phase" "$before / $(loadavg)" "" ""
}

main() {
  build
  local before
  before=$(loadavg)
  say "measuring the Zoom sync (about 3 minutes)"
  measure >"$WORK/table.md"
  {
    section_head "Zoom sync" "$before" "bench/run_sync.sh"
    echo "| Measure | Result | Target | Verdict |"
    echo "|---|---|---|---|"
    cat "$WORK/table.md"
  } >"$WORK/section.md"
  publish_section "$WORK/section.md" "$RESULTS"
}

main "$@"
