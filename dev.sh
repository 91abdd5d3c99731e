#!/usr/bin/env bash
# The project's commands (see README.md), run as root on Debian bookworm:
#   ./dev.sh run [serve flags...]  install deps, build Release, start the daemon
#   ./dev.sh test                  install deps, check the format, build with
#                                  clang + ASan + UBSan, run every test, then
#                                  the admin page's tests in chromium against
#                                  that build's daemon
#   ./dev.sh test --all            the same, then the suite built with gcc and
#                                  under ThreadSanitizer, the arm64 cross
#                                  build's store, sync and API unit groups
#                                  under qemu-user, and the .deb under a real
#                                  systemd in a container (what CI runs)
#   ./dev.sh format                apply .clang-format to every C++ source
#   ./dev.sh deb [ARCH]            build the Debian package for amd64 (default),
#                                  arm64 or armhf (cross) into build-deb/ARCH/
#                                  and check it with lintian
#   ./dev.sh system-test           build the .deb and test it under a real
#                                  systemd in a container (packaging/deb/tests/)
#   ./dev.sh cross ARCH [REGEX]    cross-build for arm64 or armhf with Debian's
#                                  cross compilers and run the unit tests (or
#                                  the unit groups matching REGEX) under
#                                  qemu-user
#   ./dev.sh browser-test [--screenshots]
#                                  the admin page in Debian's headless
#                                  chromium (tests/browser/, node --test)
#                                  against the ASan build's daemon, built if
#                                  needed; --screenshots writes docs/img/*.png
# All are idempotent: packages already present are not reinstalled and the
# build directories are reused.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the build and the tests need.
BUILD_PACKAGES=(build-essential cmake pkg-config
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  libmbedtls-dev libcjson-dev libsqlite3-dev libsystemd-dev
  tzdata ca-certificates)
# libclang-rt-14-dev holds the ASan, UBSan, TSan and libFuzzer runtimes;
# clang-format-14 is the version the format check is pinned to; systemd
# brings systemd-analyze, which checks the unit (cmake/unit_check.sh).
TEST_PACKAGES=(clang libclang-rt-14-dev cpputest clang-format-14 systemd)

say() { printf 'dev.sh: %s\n' "$*" >&2; }
# Minutes and seconds since the script started.
elapsed() { printf '%d min %02d s' $((SECONDS / 60)) $((SECONDS % 60)); }

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

# The test configurations: build directory, compilers, CMake options.
#   asan  clang, ASan + UBSan, the fuzz target and the format check (default)
#   gcc   gcc 12 without sanitizers, optimised as the package ships; also
#         builds the benchmarks (bench/), so that a change cannot leave them
#         broken unnoticed (they are run by hand, not here)
#   tsan  clang with ThreadSanitizer (worker pools, executor, group commit)
config_dir() { if [ "$1" = asan ]; then echo build-test; else echo "build-$1"; fi; }

configure_test() {
  local config=$1 dir
  dir=$(config_dir "$config")
  local cc=clang cxx=clang++ options=()
  case "$config" in
    asan) options=(-DTELEMED_SANITIZE=ON -DTELEMED_CHECK_FORMAT=ON) ;;
    gcc) cc=gcc cxx=g++ options=(-DTELEMED_BUILD_BENCH=ON) ;;
    tsan) options=(-DTELEMED_TSAN=ON) ;;
  esac
  CC=$cc CXX=$cxx cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTELEMED_BUILD_TESTS=ON "${options[@]}" >/dev/null
  echo "$dir"
}

build_config() {
  local config=$1 dir
  say "[$config] configuring and building"
  dir=$(configure_test "$config") || return 1
  cmake --build "$dir" -j "$(job_count)" || return 1
  say "[$config] built ($(elapsed) since the start)"
}

# halt_on_error keeps the first report readable and fails the test; leaks
# fail the test too.
export_sanitizer_options() {
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
}

# Runs one configuration's tests; CTest's summary is its last line but the
# list of failures. Returns CTest's status (non-zero if a test failed or none
# was found).
test_config() {
  local config=$1 dir
  dir=$(config_dir "$config")
  export_sanitizer_options
  # report_thread_leaks=0: serve's hard shutdown deadline deliberately exits
  # while a hung Zoom call still holds its thread (the bounded stop a system
  # test checks); races and deadlocks are still reported and fail the test.
  # tests/tsan.supp says why calls from the uninstrumented libcpp-httplib
  # are not checked.
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:report_thread_leaks=0:ignore_noninstrumented_modules=1:suppressions=$PWD/tests/tsan.supp"
  local log=$dir/ctest.log rc
  say "[$config] running the tests"
  set +e
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$(job_count)") 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  local summary
  summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1 || true)
  SUMMARIES+=("[$config] ${summary:-no CTest summary (ctest stopped before running tests)}")
  say "[$config] tests done ($(elapsed) since the start)"
  return "$rc"
}

cmd_run() {
  install_packages "${BUILD_PACKAGES[@]}"
  build_release
  say "built build/telemed-bridge; starting it (Ctrl-C stops it)"
  exec build/telemed-bridge serve "$@"
}

cmd_test() {
  local configs=(asan)
  case "${1:-}" in
    "") ;;
    --all) configs=(asan gcc tsan) ;;
    *) echo "usage: ./dev.sh test [--all]" >&2; exit 2 ;;
  esac
  install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  install_browser
  local config
  # Every configuration is built before any test runs, and the tests stop at
  # the first configuration that fails: so a broken build prints no CTest
  # summary at all, a failing test leaves its own run's summary as the last
  # one printed, and either way the exit status is non-zero.
  for config in "${configs[@]}"; do
    if ! build_config "$config"; then
      say "[$config] the build FAILED; no tests ran"
      exit 1
    fi
  done
  SUMMARIES=()
  local failed=""
  for config in "${configs[@]}"; do
    if ! test_config "$config"; then
      failed=$config
      break
    fi
  done
  # The admin page in chromium, against the ASan build's daemon.
  if [ -z "$failed" ]; then
    if run_browser_tests; then
      SUMMARIES+=("[browser] the admin page's tests passed")
    else
      SUMMARIES+=("[browser] the admin page's tests FAILED (the TAP output above says which)")
      failed=browser
    fi
  fi
  local appliance=""
  if [ -z "$failed" ] && [ "${1:-}" = --all ]; then
    appliance=$(test_appliance) || failed=appliance
  fi
  local line
  for line in "${SUMMARIES[@]}"; do say "$line"; done
  if [ -n "$failed" ]; then
    say "[$failed] tests FAILED after $(elapsed); configurations after it did not run"
    exit 1
  fi
  say "all tests passed (${configs[*]}${appliance:+; $appliance}) in $(elapsed)"
}

# With --all, after the three configurations: the arm64 cross build's store,
# sync and API unit groups under qemu-user, and the .deb under a real
# systemd in a container. Each runs in a subshell (they exit). Prints what
# ran for the closing line; fails when either failed. The system test may
# skip (77) only where a container cannot boot; the closing line says so.
test_appliance() {
  local rc=0 verdict
  say "[arm64] cross build and its store, sync and API unit groups under qemu-user"
  (cmd_cross arm64 '(Api|Store|Sync)') >&2 || return 1
  say "[package] the .deb under a real systemd (packaging/deb/tests/system-test.sh)"
  (cmd_system_test) >&2 || rc=$?
  case "$rc" in
    0) verdict="package under systemd: passed" ;;
    77) verdict="package under systemd: SKIPPED (the container cannot boot here; see above)" ;;
    *) say "[package] the system test FAILED (status $rc)"; return 1 ;;
  esac
  echo "arm64 unit groups under qemu: passed; $verdict"
}

# What building and checking the .deb needs on top of BUILD_PACKAGES.
DEB_PACKAGES=(debhelper fakeroot lintian)

# Debian's cross toolchain and the -dev packages (with their pkg-config
# wrapper) of the architecture ARCH, added to dpkg's architectures first
# (add_foreign_architecture, below with the cross build).
install_cross_packages() {
  local arch=$1 package
  add_foreign_architecture "$arch"
  local packages=("crossbuild-essential-$arch" "pkg-config:$arch")
  for package in libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev \
    libmbedtls-dev libcjson-dev libsqlite3-dev libsystemd-dev; do
    packages+=("$package:$arch")
  done
  install_packages "${packages[@]}"
}

# The package is built from a copy of the tree (tracked and new files, not
# build directories) with packaging/deb/debian as its debian/, so that
# dpkg-buildpackage's files stay out of the working tree.
#   ./dev.sh deb [amd64|arm64|armhf]   default: this machine's architecture
cmd_deb() {
  local native arch
  native=$(dpkg --print-architecture)
  arch=${1:-$native}
  case "$arch" in
    amd64 | arm64 | armhf) ;;
    *) echo "usage: ./dev.sh deb [amd64|arm64|armhf]" >&2; exit 2 ;;
  esac
  install_packages "${BUILD_PACKAGES[@]}" "${DEB_PACKAGES[@]}"
  local cross=()
  if [ "$arch" != "$native" ]; then
    install_cross_packages "$arch"
    cross=(-a"$arch")
  fi
  if [ ! -f systemd/telemed-bridge.service ]; then
    say "systemd/telemed-bridge.service is missing: the package installs that unit"
    exit 1
  fi
  local version changelog_version
  version=$(sed -n 's/^project(telemed_bridge VERSION \([^ ]*\) .*/\1/p' CMakeLists.txt)
  changelog_version=$(dpkg-parsechangelog -l packaging/deb/debian/changelog -S Version)
  if [ "$version" != "$changelog_version" ]; then
    say "CMakeLists.txt says version $version, packaging/deb/debian/changelog $changelog_version: add a changelog entry"
    exit 1
  fi
  local out=build-deb/$arch src=build-deb/$arch/telemed-bridge-$version
  rm -rf "$src"
  mkdir -p "$src"
  git ls-files -z --cached --others --exclude-standard |
    tar --null --files-from=- --ignore-failed-read -cf - | tar -xf - -C "$src"
  cp -r packaging/deb/debian "$src/debian"
  say "building telemed-bridge_${version}_$arch.deb"
  (cd "$src" && dpkg-buildpackage -b -us -uc -j"$(job_count)" "${cross[@]}") >"$out/build.log" 2>&1 || {
    tail -n 40 "$out/build.log" >&2
    say "the package build FAILED (whole log: $out/build.log)"
    exit 1
  }
  local deb=$out/telemed-bridge_${version}_$arch.deb
  say "checking $deb with lintian"
  # Errors and warnings fail; informational tags are printed, not fatal.
  if ! lintian --fail-on error,warning --info "$deb" >&2; then
    say "lintian found errors or warnings in $deb"
    exit 1
  fi
  say "built $deb ($(du -k "$deb" | cut -f1) KiB) in $(elapsed)"
}

# The package's system test (packaging/deb/tests/system-test.sh): boots a
# throwaway Debian with systemd as PID 1 in a container and checks the .deb
# there. Exits 77 when it skipped (no `./dev.sh deb` yet, or the container
# cannot boot here). TB_DEB and TB_OLDER_DEB give the .debs instead of
# building them.
cmd_system_test() {
  install_packages "${BUILD_PACKAGES[@]}" cpputest mmdebstrap systemd-container
  local deb=${TB_DEB:-}
  if [ -z "$deb" ]; then
    if ! declare -F cmd_deb >/dev/null; then
      say "skipped: there is no ./dev.sh deb to build the package with yet (or give TB_DEB=PATH.deb)"
      exit 77
    fi
    local mark=build-systest/.deb-mark
    mkdir -p build-systest && touch "$mark"
    "$0" deb
    deb=$(newest_deb_since "$mark")
    [ -n "$deb" ] || { say "./dev.sh deb made no telemed-bridge_*.deb"; exit 1; }
  fi
  local older=${TB_OLDER_DEB:-}
  [ -n "$older" ] || older=$(older_deb "$deb")
  say "building the fake Zoom for the test"
  cmake -S . -B build-systest -DCMAKE_BUILD_TYPE=Release -DTELEMED_BUILD_TESTS=ON >/dev/null
  cmake --build build-systest -j "$(job_count)" --target fake_zoom_server >/dev/null
  local rc=0
  TB_FAKE_ZOOM=$PWD/build-systest/tests/fake_zoom_server \
    packaging/deb/tests/system-test.sh "$deb" "$older" || rc=$?
  say "system test finished with status $rc after $(elapsed)"
  exit "$rc"
}

# The newest telemed-bridge_*.deb for this machine's architecture written
# after the file $1, in the project's top folders.
newest_deb_since() {
  find . -maxdepth 3 -name "telemed-bridge_*_$(dpkg --print-architecture).deb" \
    -newer "$1" -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-
}

# The .deb to upgrade from: the newest release tag (vX.Y.Z) older than the
# package $1, built from a worktree of that tag; while there is no such tag,
# $1 itself repacked with a lower version ("~older" sorts before the
# version), which still exercises the upgrade path (scripts, restart,
# records kept). Prints its path.
older_deb() {
  local deb=$1 version tag="" candidate
  version=$(dpkg-deb -f "$deb" Version)
  for candidate in $(git tag -l 'v[0-9]*' --sort=-v:refname); do
    if dpkg --compare-versions "${candidate#v}" lt "${version%%-*}"; then
      tag=$candidate
      break
    fi
  done
  local out=build-systest/older
  rm -rf "$out" && mkdir -p "$out"
  if [ -n "$tag" ]; then
    say "building the package of $tag (the upgrade's starting point)"
    local tree=$PWD/$out/tree
    git worktree add --detach "$tree" "$tag" >/dev/null
    touch "$out/mark"
    (cd "$tree" && ./dev.sh deb) >&2
    local built
    built=$(cd "$tree" && newest_deb_since "../mark")
    [ -n "$built" ] && cp "$tree/$built" "$out/"
    git worktree remove --force "$tree"
    [ -n "$built" ] || { say "the package of $tag did not build"; exit 1; }
    echo "$out/$(basename "$built")"
    return
  fi
  say "no release tag older than $version: upgrading from this package repacked as $version~older"
  dpkg-deb -R "$deb" "$out/tree"
  sed -i "s/^Version: .*/Version: $version~older/" "$out/tree/DEBIAN/control"
  local name
  name=$(dpkg-deb -f "$deb" Package)_${version}~older_$(dpkg-deb -f "$deb" Architecture).deb
  dpkg-deb -b "$out/tree" "$out/$name" >/dev/null
  rm -rf "$out/tree"
  echo "$out/$name"
}

# Debian's multiarch cross toolchains (toolchains/*.cmake). The target's
# libraries are the same -dev packages as BUILD_PACKAGES, for ARCH; no
# sanitizers (qemu-user runs them poorly), gcc as the package ships.
CROSS_LIBRARIES=(libcpp-httplib-dev libmbedtls-dev libcjson-dev libsqlite3-dev
  libsystemd-dev libcpputest-dev)

cross_triplet() {
  case "$1" in
    arm64) echo aarch64-linux-gnu ;;
    armhf) echo arm-linux-gnueabihf ;;
    *) return 1 ;;
  esac
}

# dpkg --add-architecture, so that apt finds ARCH's packages.
add_foreign_architecture() {
  if [ "$1" = "$(dpkg --print-architecture)" ] ||
    dpkg --print-foreign-architectures | grep -qx "$1"; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "architecture $1 is not enabled; run as root or: dpkg --add-architecture $1"
    exit 1
  fi
  say "enabling architecture $1 (dpkg --add-architecture)"
  # install_packages then finds ARCH's packages missing and runs apt-get
  # update before it installs them.
  dpkg --add-architecture "$1"
}

cmd_cross() {
  local arch=${1:-} regex=${2:-} triplet
  if ! triplet=$(cross_triplet "$arch") || [ $# -gt 2 ]; then
    echo "usage: ./dev.sh cross arm64|armhf [UNIT_GROUP_REGEX]" >&2
    exit 2
  fi
  add_foreign_architecture "$arch"
  local libraries=("${CROSS_LIBRARIES[@]/%/:$arch}")
  install_packages cmake pkg-config "crossbuild-essential-$arch" qemu-user-static "${libraries[@]}"
  local dir=build-cross-$arch
  say "[$arch] configuring and building $dir"
  cmake -S . -B "$dir" -DCMAKE_TOOLCHAIN_FILE="toolchains/$triplet.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELEMED_BUILD_TESTS=ON >/dev/null
  cmake --build "$dir" -j "$(job_count)" --target telemed-bridge telemed_tests
  local size
  size=$("$triplet-strip" -o "$dir/telemed-bridge.stripped" "$dir/telemed-bridge" &&
    stat -c %s "$dir/telemed-bridge.stripped")
  say "[$arch] built ($(elapsed)); stripped telemed-bridge: $size bytes"
  # The unit tests only: the system tests start the daemon binary, which
  # qemu-user would have to be registered (binfmt_misc) to run.
  say "[$arch] running the unit tests under qemu-user"
  local rc=0
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$(job_count)" \
    -R "^unit\.${regex:-}") || rc=$?
  if [ "$rc" -ne 0 ]; then
    say "[$arch] unit tests FAILED after $(elapsed)"
    exit 1
  fi
  say "[$arch] unit tests passed in $(elapsed)"
}

# Debian's chromium (no browser download), fonts that render text readably
# in screenshots, and playwright-core exactly as tests/browser's lockfile
# pins it. Node comes from Debian only where the machine has none (Debian's
# npm conflicts with a node installed otherwise).
BROWSER_PACKAGES=(chromium fonts-dejavu-core)

install_browser() {
  install_packages "${BROWSER_PACKAGES[@]}"
  if ! command -v node >/dev/null; then
    install_packages nodejs npm
  fi
  say "[browser] npm ci (playwright-core, no install scripts)"
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}

# The browser tests (or, with `screenshots`, docs/img/) drive the ASan
# build's daemon against the fake Zoom program; both are built here
# (fake_zoom_server is not part of the default build). A sanitizer report
# makes the daemon exit non-zero, which fails the test that stops it.
run_browser_tests() {
  local mode=${1:-test} dir
  dir=$(config_dir asan)
  [ -f "$dir/CMakeCache.txt" ] || configure_test asan >/dev/null
  say "[browser] building telemed-bridge and fake_zoom_server in $dir"
  cmake --build "$dir" -j "$(job_count)" --target telemed-bridge fake_zoom_server >/dev/null || return 1
  export_sanitizer_options
  export TB_BINARY=$PWD/$dir/telemed-bridge TB_FAKE_ZOOM=$PWD/$dir/tests/fake_zoom_server
  local started=$SECONDS rc=0
  if [ "$mode" = screenshots ]; then
    (cd tests/browser && node support/screenshots.mjs ../../docs/img) || rc=$?
  else
    say "[browser] running the admin page's tests in chromium"
    (cd tests/browser && node --test test/) || rc=$?
  fi
  say "[browser] $mode finished with status $rc in $((SECONDS - started)) s"
  return "$rc"
}

cmd_browser_test() {
  local mode=test
  case "${1:-}" in
    "") ;;
    --screenshots) mode=screenshots ;;
    *) echo "usage: ./dev.sh browser-test [--screenshots]" >&2; exit 2 ;;
  esac
  install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  install_browser
  if ! run_browser_tests "$mode"; then
    say "[browser] $mode FAILED after $(elapsed)"
    exit 1
  fi
  say "[browser] $mode done in $(elapsed)"
}

cmd_format() {
  install_packages clang-format-14
  cmake/clang_format.sh
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  format) cmd_format ;;
  deb) shift; cmd_deb "$@" ;;
  system-test) cmd_system_test ;;
  cross) shift; cmd_cross "$@" ;;
  browser-test) shift; cmd_browser_test "$@" ;;
  *) echo "usage: ./dev.sh run [serve flags...] | ./dev.sh test [--all] | ./dev.sh format | ./dev.sh deb [ARCH] | ./dev.sh system-test | ./dev.sh cross ARCH [REGEX] | ./dev.sh browser-test [--screenshots]" >&2; exit 2 ;;
esac
