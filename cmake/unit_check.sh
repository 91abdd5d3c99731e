#!/usr/bin/env bash
# Checks systemd/telemed-bridge.service without a running systemd:
#   systemd-analyze verify            the unit parses, every setting is known
#   systemd-analyze security --offline exposure 2.0 or lower
# Usage: cmake/unit_check.sh [BINARY]. `verify` insists that ExecStart's
# binary exists, so the unit is checked as a copy whose ExecStart names
# BINARY (the build's telemed-bridge; default /bin/true).
# Exit 0 when both pass, 77 (skipped) without systemd-analyze, 1 otherwise.
# What a container or a real box enforces is for
# packaging/deb/tests/system-test.sh; this covers what nspawn does not
# (the score, unknown or misplaced settings).
set -euo pipefail
cd "$(dirname "$0")/.."

unit=systemd/telemed-bridge.service
binary=${1:-/bin/true}
# 20 tenths: the exposure the unit must not exceed.
max_exposure_tenths=20

if ! command -v systemd-analyze >/dev/null; then
  echo "unit_check: skipped: systemd-analyze not found (apt-get install systemd)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#^ExecStart=/usr/bin/telemed-bridge#ExecStart=${binary}#" "$unit" \
  >"$work/telemed-bridge.service"

failed=0
# --man=no: the man page comes with the package, not with the tree.
if ! verify_out=$(systemd-analyze verify --man=no "$work/telemed-bridge.service" 2>&1) ||
  [ -n "$verify_out" ]; then
  echo "unit_check: FAIL systemd-analyze verify $unit:"
  echo "$verify_out"
  failed=1
else
  echo "unit_check: ok   systemd-analyze verify $unit (no warning)"
fi

score=$(systemd-analyze security --offline=true \
  --threshold="$max_exposure_tenths" "$unit" 2>&1) && rc=0 || rc=$?
summary=$(printf '%s\n' "$score" | grep 'Overall exposure level' || true)
if [ "$rc" -ne 0 ] || [ -z "$summary" ]; then
  echo "unit_check: FAIL systemd-analyze security (at most 2.0 allowed):"
  printf '%s\n' "$score" | grep -E '✗|Overall' || printf '%s\n' "$score"
  failed=1
else
  echo "unit_check: ok   systemd-analyze security: ${summary#→ }"
fi
exit "$failed"
