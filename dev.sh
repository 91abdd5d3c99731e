#!/usr/bin/env bash
# The project's two commands (see README.md), run as root on Debian bookworm:
#   ./dev.sh run [serve flags...]  install deps, build Release, start the daemon
#   ./dev.sh test                  install deps, build with ASan+UBSan, run every test
# Both are idempotent: packages already present are not reinstalled and the
# build directories are reused.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the build and the tests need.
BUILD_PACKAGES=(build-essential cmake pkg-config
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  libmbedtls-dev libcjson-dev libsqlite3-dev libsystemd-dev
  tzdata ca-certificates)
TEST_PACKAGES=(clang libclang-rt-14-dev cpputest)

say() { printf 'dev.sh: %s\n' "$*" >&2; }

install_packages() {
  local missing=()
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "missing packages: ${missing[*]}; run as root or install them with apt-get"
    exit 1
  fi
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

job_count() { nproc 2>/dev/null || echo 2; }

build_release() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j "$(job_count)" --target telemed-bridge
}

build_test() {
  CC=clang CXX=clang++ cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTELEMED_BUILD_TESTS=ON -DTELEMED_SANITIZE=ON >/dev/null
  cmake --build build-test -j "$(job_count)"
}

cmd_run() {
  install_packages "${BUILD_PACKAGES[@]}"
  build_release
  say "built build/telemed-bridge; starting it (Ctrl-C stops it)"
  exec build/telemed-bridge serve "$@"
}

cmd_test() {
  install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  build_test
  # halt_on_error keeps the first report readable; leaks fail the test.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  local log=build-test/ctest.log
  local rc
  set +e
  (cd build-test && ctest --output-on-failure -j "$(job_count)") 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  local summary
  summary=$(grep -E 'tests passed|tests failed' "$log" | tail -n 1 || true)
  say "test summary: ${summary:-no CTest summary line}"
  return "$rc"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: ./dev.sh run [serve flags...] | ./dev.sh test" >&2; exit 2 ;;
esac
