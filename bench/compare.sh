#!/usr/bin/env bash
# Measures this checkout and an earlier commit side by side, so that a
# change meant to keep the speed (a restructuring, a dependency update) can
# show that it did. Three measures, each taken alternately on the two
# builds (A B A B ...) so that drift on a shared machine hits both alike:
#   - GET throughput: GET /api/v1/appointments/{id}, 16 connections, closed
#     loop, as a ratio to the bare cpp-httplib server measured beside it;
#   - PUT to synced: the Zoom sync latency phase (PUT of a new appointment
#     until the feed shows its join_url; fake Zoom answering in 50 ms);
#   - idle VmRSS 15 s after a load of 1,000 appointments.
# Builds both Release trees (gcc -O2), appends a dated section to
# bench/RESULTS.md and prints it. About 8 minutes with --rounds 2.
#
#   bench/compare.sh BASE_COMMIT [--rounds N] [--base-tree DIR]
#
# --base-tree DIR: an existing checkout of BASE_COMMIT to build and use (its
# build-bench/ is kept, so a second comparison does not rebuild it).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/machine.sh

BASE_REF=${1:?usage: bench/compare.sh BASE_COMMIT [--rounds N] [--base-tree DIR]}
shift
ROUNDS=2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/telemed-compare.XXXXXX")
BASE_TREE=$WORK/base
OWN_BASE_TREE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
    --base-tree) BASE_TREE=$(cd "${2:?--base-tree needs a directory}" && pwd); OWN_BASE_TREE=0; shift 2 ;;
    *) echo "bench/compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
BASE_SHA=$(git rev-parse --verify "$BASE_REF^{commit}")
NEW_SHA=$(git rev-parse HEAD)
RESULTS=bench/RESULTS.md
DAEMON_PID=""
BARE_PID=""

cleanup() {
  for pid in $DAEMON_PID $BARE_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$OWN_BASE_TREE" = 1 ]; then git worktree remove --force "$BASE_TREE" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

unset TELEMED_DATA_DIR TELEMED_LISTEN NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID

# build TREE: a Release build with the benchmarks in TREE/build-bench.
build() {
  say "building Release (gcc, -O2) in $1/build-bench"
  CC=gcc CXX=g++ cmake -S "$1" -B "$1/build-bench" -DCMAKE_BUILD_TYPE=Release \
    -DTELEMED_BUILD_BENCH=ON >/dev/null
  cmake --build "$1/build-bench" -j "$(nproc)" \
    --target telemed-bridge api_bench sync_bench >/dev/null
}

# api_side TREE: GET ratio and idle RSS of TREE's daemon; prints
# "RATIO RSS_KIB".
api_side() {
  local bin=$1/build-bench/telemed-bridge bench=$1/build-bench/bench/api_bench
  local data key port ratio kib
  data=$(mktemp -d "$WORK/data.XXXXXX")
  key=$("$bin" apikey create bench --data-dir "$data" 2>/dev/null | tail -n 1)
  "$bin" doctor put d1 --name "Dr. Bench" --zoom-user bench@example.com \
    --data-dir "$data" >/dev/null 2>&1
  port=$("$bench" free-port)
  "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" 2>>"$WORK/daemon.log" &
  DAEMON_PID=$!
  wait_for_health "$port"
  "$bench" bare-server --threads 64 --seconds 600 >"$WORK/bare.port" &
  BARE_PID=$!
  sleep 0.5
  local args=(--port "$port" --key "$key" --doctor d1)
  "$bench" populate "${args[@]}" >/dev/null
  ratio=$("$bench" get-compare "${args[@]}" --bare-port "$(head -n 1 "$WORK/bare.port")" \
    --connections 16 --rounds 2 --warmup-ms 1000 --measure-ms 4000 |
    sed -n 's/^| \*\*GET throughput, daemon \/ bare\*\* | \([0-9.]*\) .*/\1/p')
  sleep 15
  kib=$(vmrss_kib "$DAEMON_PID")
  kill "$DAEMON_PID" "$BARE_PID"
  wait "$DAEMON_PID" "$BARE_PID" 2>/dev/null || true
  DAEMON_PID="" BARE_PID=""
  echo "$ratio $kib"
}

# sync_side TREE: p50 of PUT to join_url in ms.
sync_side() {
  "$1/build-bench/bench/sync_bench" latency --samples 100 |
    sed -n 's/^| \*\*PUT to join_url in the feed\*\*[^|]*| \([0-9.]*\) .*/\1/p' | head -n 1
}

# One row per measure and side: every round's value, then the median.
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

measure() {
  local side tree out
  declare -A ratio rss sync
  for round in $(seq 1 "$ROUNDS"); do
    for side in base new; do
      tree=.
      [ "$side" = base ] && tree=$BASE_TREE
      say "round $round, $side: GET throughput and idle RSS"
      out=$(api_side "$tree")
      ratio[$side]+="${out% *} "
      rss[$side]+="$(awk -v k="${out#* }" 'BEGIN {printf "%.1f", k / 1024}') "
      say "round $round, $side: PUT to synced"
      sync[$side]+="$(sync_side "$tree") "
    done
  done
  for side in base new; do
    local name="base ${BASE_SHA:0:7}"
    [ "$side" = new ] && name="new ${NEW_SHA:0:7}"
    printf '| GET throughput, daemon / bare (16 connections), %s | %s (rounds: %s) |\n' \
      "$name" "$(median <<<"${ratio[$side]}")" "${ratio[$side]% }"
    printf '| PUT to synced, p50 ms (fake Zoom 50 ms), %s | %s (rounds: %s) |\n' \
      "$name" "$(median <<<"${sync[$side]}")" "${sync[$side]% }"
    printf '| Idle VmRSS 15 s after the load, MiB, %s | %s (rounds: %s) |\n' \
      "$name" "$(median <<<"${rss[$side]}")" "${rss[$side]% }"
  done
}

main() {
  if [ "$OWN_BASE_TREE" = 1 ]; then
    git worktree add --detach "$BASE_TREE" "$BASE_SHA" >/dev/null 2>&1
  elif [ "$(git -C "$BASE_TREE" rev-parse HEAD)" != "$BASE_SHA" ]; then
    echo "bench/compare.sh: $BASE_TREE is not at $BASE_SHA" >&2
    exit 2
  fi
  build "$BASE_TREE"
  build .
  local before
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  measure >"$WORK/table.md"
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), side by side: ${NEW_SHA:0:7} against ${BASE_SHA:0:7}"
    echo
    machine
    echo "  Load average (1/5/15 min) before: $before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "- Command: \`bench/compare.sh ${BASE_SHA:0:7} --rounds $ROUNDS\` (each measure alternates the two builds)"
    echo
    echo "| Measure | Median (every round) |"
    echo "|---|---|"
    cat "$WORK/table.md"
  } >"$WORK/section.md"
  publish_section "$WORK/section.md" "$RESULTS"
}

main
