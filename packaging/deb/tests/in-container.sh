#!/bin/bash
# The steps and their helpers are called through run_step's "$@", which
# ShellCheck cannot follow (SC2317: "unreachable").
# shellcheck disable=SC2317

# The steps of the package's system test, run inside the booted container
# by the unit tb-systest.service that system-test.sh puts there. It checks
# the installed package as a clinic's admin would meet it: apt install, the
# service supervised by systemd, the CLI beside it, the HTTPS admin page and
# its certificate, a sync against the fake Zoom, crashes and a wedged
# process, upgrade, remove and purge.
#
# Reads /root/systest/env (written by system-test.sh): PACKAGE, NEW_DEB and
# NEW_VERSION, OLDER_DEB and OLDER_VERSION ("" when no older .deb was given), HAVE_FAKE_ZOOM (0/1) and
# PENDING (steps waiting for work not on this branch yet: their failure is
# reported as "xfail" and does not fail the run). Writes into /root/out:
# steps (one line per step), log (everything the steps printed), and status
# (the number of failed steps) last, so the host knows the run finished.
set -u

OUT=/root/out
# shellcheck source=/dev/null
. /root/systest/env

API=http://127.0.0.1:8080/api/v1
# The admin page with the package's default address (0.0.0.0:8443).
PAGE=https://127.0.0.1:8443
SERVICE=telemed-bridge.service
DATA_DIR=/var/lib/telemed-bridge
KEY_FILE=/etc/telemed-bridge/secret.key
DEFAULTS_FILE=/etc/default/telemed-bridge
FAKE_ZOOM_DIR=/run/fake-zoom
FAKE_ZOOM_CA=/usr/local/share/fake-zoom-ca.pem

failed=0
API_KEY=""
MEETING_ID=""
PASSCODE=""
SETUP_CODE=""
ADMIN_PASSWORD=systest-admin-password

# Why a pending step may fail today.
pending_reason() {
  case "$1" in
    status-line) echo "the daemon's readable STATUS= lines" ;;
    cli-flagless) echo "the packaged CLI's defaults and its drop to the service user" ;;
    *) echo "work not merged yet" ;;
  esac
}
is_pending() { [[ " $PENDING " == *" $1 "* ]]; }

# A failing check: records why (the step's line shows it) and returns 1, so
# a step writes `check || fail "why" || return`.
fail() {
  echo "FAIL: $*"
  printf '%s' "$*" | tr '\n' ' ' >"$OUT/reason"
  return 1
}

# Runs the step function "$2..." named $1, appends its line to the steps
# file; returns the step's status (a pending step's failure counts as 0).
run_step() {
  local name=$1
  shift
  : >"$OUT/reason"
  echo "--- step $name ($(date -u +%T))" >>"$OUT/log"
  local start=$SECONDS
  "$@" >>"$OUT/log" 2>&1
  local rc=$? took=$((SECONDS - start)) line
  local why
  why=$(head -c 400 "$OUT/reason")
  if [ "$rc" -eq 0 ]; then
    line="ok     $name (${took} s)${why:+: $why}"
    if is_pending "$name"; then
      line+=" [listed as pending but passes: take it off TB_SYSTEST_PENDING]"
    fi
  elif is_pending "$name"; then
    line="xfail  $name (${took} s): $why [pending: $(pending_reason "$name")]"
    rc=0
  else
    line="FAIL   $name (${took} s): $why"
    failed=$((failed + 1))
  fi
  echo "$line" >>"$OUT/steps"
  return "$rc"
}

# A step the later ones build on failed: they are not run.
finish() {
  if [ -n "${1:-}" ]; then
    echo "stop   the steps after '$1' were not run (they need it)" >>"$OUT/steps"
  fi
  {
    echo "--- journal"
    journalctl -b --no-pager -o short-precise
    echo "--- systemctl --failed"
    systemctl --failed --no-pager
  } >"$OUT/journal" 2>&1
  echo "$failed" >"$OUT/status"
  exit 0
}

# Polls "$2..." every 0.2 s until it succeeds (0) or $1 seconds pass (1).
wait_for() {
  local limit=$1 deadline
  shift
  deadline=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

show() { systemctl show -p "$1" --value "$SERVICE"; }
main_pid() { show MainPID; }
is_active() { [ "$(systemctl is-active "$SERVICE")" = active ]; }
answers() { curl -sf -o /dev/null "$API/health"; }
serving() { is_active && answers; }
# serving again under a main process other than $1.
restarted_from() {
  local pid
  pid=$(main_pid)
  [ "$pid" != 0 ] && [ "$pid" != "$1" ] && serving
}

# The admin's CLI on the installed bridge, run as root as `sudo` would.
admin_cli() {
  if is_pending cli-flagless; then
    # Until the packaged CLI finds the installed data dir and key by itself
    # and opens the key before it drops to the data dir's owner: name the
    # data dir, hand it a copy of the key that user can read, and give back
    # to the service's user whatever root created.
    local extra=(--data-dir "$DATA_DIR") key_copy=/run/systest-key
    if [ "$1" = zoom ]; then
      install -m 0600 -o telemed-bridge "$KEY_FILE" "$key_copy"
      extra+=(--key-file "$key_copy")
    fi
    telemed-bridge "$@" "${extra[@]}"
    local rc=$?
    rm -f "$key_copy"
    chown -R telemed-bridge:telemed-bridge "$DATA_DIR"
    return "$rc"
  fi
  telemed-bridge "$@"
}

# curl against the API with the key; prints the body, then the status on a
# line of its own.
api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-s -X "$method" -H "Authorization: Bearer $API_KEY" -w '\n%{http_code}')
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$API$path"
}
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }

# A field of a JSON document on stdin: json_get meeting id.
json_get() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1:]:
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else value)' "$@"
}

fake_zoom_count() { curl -sf --cacert "$FAKE_ZOOM_CA" "$(cat "$FAKE_ZOOM_DIR/url")/_fake/meetings" | json_get count; }

# curl against the admin page, which presents the bridge's self-signed
# certificate (its fingerprint is checked by step_cert_fingerprint).
page() { curl -sk -w '\n%{http_code}' "$@"; }
page_answers() { [ "$(curl -sk -o /dev/null -w '%{http_code}' "$PAGE/")" = 200 ]; }

# "SHA-256 AB:CD:..." of the certificate the listener presents, as `web
# cert` prints it.
presented_fingerprint() {
  python3 -c '
import hashlib, ssl
pem = ssl.get_server_certificate(("127.0.0.1", 8443))
digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
print("SHA-256 " + ":".join(digest[i:i + 2] for i in range(0, len(digest), 2)))'
}
shown_fingerprint() { telemed-bridge web cert | sed -n 's/^ *fingerprint: *//p'; }
# Whether a socket listens on $1 (/proc/net/tcp's hex ADDRESS:PORT; the
# base has no ss).
listens_on() { grep -q "^ *[0-9]*: $1 00000000:0000 0A " /proc/net/tcp; }

# --- The steps ---

step_boot() {
  local state
  state=$(timeout 90 systemctl is-system-running --wait)
  echo "system: $state"
  [ "$state" = running ] || [ "$state" = degraded ] ||
    fail "the container's boot did not finish (state '$state')" || return
  printf 'system %s' "$state" >"$OUT/reason"
}

step_install() {
  local deb=$1 version=$2 output=$OUT/apt-install.txt
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" 2>&1 | tee "$output"
  [ "${PIPESTATUS[0]}" = 0 ] || fail "apt-get install $deb failed (see the log)" || return
  local installed
  installed=$(dpkg-query -W -f='${Version}' "$PACKAGE")
  [ "$installed" = "$version" ] ||
    fail "dpkg says $PACKAGE $installed is installed, expected $version" || return
}

# A first install tells the admin where to go next: the API's address, how
# to make an API key, and how to open the admin page and sign in first.
step_next_steps() {
  grep -q '127\.0\.0\.1:8080' "$OUT/apt-install.txt" && grep -q 'apikey create' "$OUT/apt-install.txt" ||
    fail "the install printed neither the API's address nor how to create an API key" || return
  grep -q "https://$(hostname):8443/" "$OUT/apt-install.txt" ||
    fail "the install did not say to open https://$(hostname):8443/" || return
  grep -q 'sudo telemed-bridge web cert' "$OUT/apt-install.txt" &&
    grep -q 'sudo telemed-bridge admin setup-code' "$OUT/apt-install.txt" ||
    fail "the install did not say how to see the fingerprint and get the setup code" || return
}

step_active() {
  wait_for 30 serving ||
    fail "the service is '$(systemctl is-active "$SERVICE")' and /health does not answer after 30 s" || return
  local user
  user=$(ps -o user= -p "$(main_pid)")
  [ "$user" = telemed-bridge ] || fail "the daemon runs as '$user', not telemed-bridge" || return
}

# Where the issue puts the files, with owners and modes.
step_layout() {
  local got
  got=$(stat -c '%U %a' "$DATA_DIR" 2>&1)
  [ "$got" = "telemed-bridge 700" ] || fail "$DATA_DIR: '$got', expected 'telemed-bridge 700'" || return
  got=$(stat -c '%U %a %s' "$KEY_FILE" 2>&1)
  [ "$got" = "root 600 32" ] || fail "$KEY_FILE: '$got', expected 'root 600 32'" || return
  [ -f "$DEFAULTS_FILE" ] || fail "no $DEFAULTS_FILE" || return
  local strays
  strays=$(find "$DATA_DIR" ! -user telemed-bridge)
  [ -z "$strays" ] || fail "not owned by the service's user: $strays" || return
}

# --man=no: verify would run man(1), which a minimal box (and the base
# tree) lacks; that the unit's man: pages are installed is checked instead.
step_verify_unit() {
  local fragment
  fragment=$(show FragmentPath)
  systemd-analyze verify --man=no "$fragment" ||
    fail "systemd-analyze verify $fragment complains" || return
  local page name section
  echo "Documentation: $(show Documentation)"
  # systemctl shows each entry in double quotes.
  for page in $(show Documentation | tr -d '"'); do
    [[ "$page" =~ ^man:([^()]+)\(([0-9])\)$ ]] || continue
    name=${BASH_REMATCH[1]} section=${BASH_REMATCH[2]}
    compgen -G "/usr/share/man/man$section/$name.$section*" >/dev/null ||
      fail "the unit names $page, which is not installed" || return
  done
}

step_status_line() {
  local text
  text=$(show StatusText)
  echo "StatusText: $text"
  # The exact words are the daemon's; a person must at least see where it
  # serves.
  [[ "$text" == *127.0.0.1:8080* ]] ||
    fail "StatusText is '$text', expected a line naming 127.0.0.1:8080" || return
  printf "'%s'" "$text" >"$OUT/reason"
}

step_apikey() {
  local out
  out=$(admin_cli apikey create systest) || fail "apikey create failed: $out" || return
  API_KEY=$(tail -n 1 <<<"$out")
  [[ "$API_KEY" == tbk_* ]] || fail "apikey create printed no key: $out" || return
  # The running service sees the key at once, and every file is still the
  # service's to read and write.
  local answer
  answer=$(api GET /doctors)
  [ "$(status_of "$answer")" = 200 ] ||
    fail "GET /doctors with the new key: $(status_of "$answer") $(body_of "$answer")" || return
  local strays
  strays=$(find "$DATA_DIR" ! -user telemed-bridge)
  [ -z "$strays" ] || fail "the CLI left files the service cannot own: $strays" || return
}

step_api() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$API/doctors")
  [ "$code" = 401 ] || fail "GET /doctors without a key answered $code, expected 401" || return
  local answer
  answer=$(api GET /status)
  [ "$(status_of "$answer")" = 200 ] || fail "GET /status: $answer" || return
}

# The packaged default serves the page and the API on 0.0.0.0:8443, the
# API with its key only.
step_admin_page() {
  wait_for 30 page_answers || fail "$PAGE/ does not answer 200 after 30 s" || return
  local answer
  answer=$(page "$PAGE/api/v1/doctors")
  [ "$(status_of "$answer")" = 401 ] ||
    fail "GET /api/v1/doctors over HTTPS without a key: $(status_of "$answer")" || return
  answer=$(page -H "Authorization: Bearer $API_KEY" "$PAGE/api/v1/doctors")
  [ "$(status_of "$answer")" = 200 ] ||
    fail "GET /api/v1/doctors over HTTPS with the key: $answer" || return
  listens_on 00000000:20FB || fail "nothing listens on 0.0.0.0:8443" || return
}

# Only root gets the setup code; with it, Set up through curl makes the
# admin and signs in.
step_admin_setup() {
  local out
  out=$(runuser -u nobody -- telemed-bridge admin setup-code 2>&1)
  local rc=$?
  [ "$rc" = 1 ] && [[ "$out" == *"must run as root"* ]] ||
    fail "admin setup-code as nobody: exit $rc, '$out' (expected 1 and 'must run as root')" || return
  out=$(telemed-bridge admin setup-code) || fail "admin setup-code as root failed: $out" || return
  SETUP_CODE=$(tail -n 1 <<<"$out")
  [[ "$SETUP_CODE" =~ ^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$ ]] ||
    fail "admin setup-code printed no code: $out" || return
  local jar=/run/systest-cookies answer
  answer=$(page -c "$jar" -X POST -H "Origin: $PAGE" -H 'Content-Type: application/json' \
    --data "{\"setup_code\":\"$SETUP_CODE\",\"password\":\"$ADMIN_PASSWORD\",\"confirm_password\":\"$ADMIN_PASSWORD\"}" \
    "$PAGE/admin/api/setup")
  [ "$(status_of "$answer")" = 201 ] || fail "POST /admin/api/setup: $answer" || return
  answer=$(page -b "$jar" "$PAGE/admin/api/session")
  [ "$(body_of "$answer" | json_get state)" = signed_in ] ||
    fail "GET /admin/api/session with the cookie: $answer" || return
  local strays
  strays=$(find "$DATA_DIR" ! -user telemed-bridge)
  [ -z "$strays" ] || fail "the CLI left files the service cannot own: $strays" || return
}

# What the admin compares before trusting the page: `web cert`, the
# listener and the journal show one fingerprint.
step_cert_fingerprint() {
  local shown presented
  shown=$(shown_fingerprint)
  presented=$(presented_fingerprint)
  echo "web cert: $shown; presented: $presented"
  [ -n "$shown" ] && [ "$shown" = "$presented" ] ||
    fail "web cert shows '$shown', the listener presents '$presented'" || return
  journalctl -u "$SERVICE" --no-pager -o cat | grep -qF -- "$shown" ||
    fail "the journal does not name the fingerprint $shown" || return
}

step_cert_restart() {
  local before after
  before=$(presented_fingerprint)
  systemctl restart "$SERVICE" || fail "systemctl restart failed" || return
  wait_for 30 serving && wait_for 30 page_answers || fail "not serving 30 s after the restart" || return
  after=$(presented_fingerprint)
  [ -n "$before" ] && [ "$before" = "$after" ] ||
    fail "the certificate changed over a restart: '$before', then '$after'" || return
}

# Another program holds 8443 before the service starts: the packaged
# default only warns, and the API serves.
step_https_port_taken() {
  systemctl stop "$SERVICE" || fail "systemctl stop failed" || return
  systemd-run --unit=port-holder python3 -m http.server --bind 0.0.0.0 8443 ||
    fail "could not start a program on 8443" || return
  local rc=0
  start_beside_port_holder || rc=$?
  systemctl stop port-holder
  [ "$rc" = 0 ] || return "$rc"
  systemctl restart "$SERVICE" || fail "systemctl restart failed" || return
  wait_for 30 page_answers || fail "the page does not answer once 8443 is free again" || return
}

start_beside_port_holder() {
  wait_for 30 listens_on 00000000:20FB || fail "the holder did not listen on 0.0.0.0:8443" || return
  local since
  since=$(date '+%Y-%m-%d %H:%M:%S')
  systemctl start "$SERVICE" || fail "the service did not start with 8443 taken" || return
  wait_for 30 serving || fail "the API does not answer with 8443 taken" || return
  wait_for 30 eval "journalctl -u '$SERVICE' --since '$since' --no-pager -o cat | grep -q 'no admin page'" ||
    fail "no warning in the journal: $(journalctl -u "$SERVICE" --since "$since" --no-pager -o cat | tail -n 5)"
}

step_zoom_setup() {
  [ "$HAVE_FAKE_ZOOM" = 1 ] ||
    fail "no fake Zoom: set TB_FAKE_ZOOM to a built fake_zoom_server (./dev.sh system-test builds it)" || return
  mkdir -p "$FAKE_ZOOM_DIR"
  systemd-run --unit=fake-zoom /root/systest/fake_zoom_server "$FAKE_ZOOM_DIR" ||
    fail "could not start the fake Zoom" || return
  wait_for 30 test -s "$FAKE_ZOOM_DIR/url" || fail "the fake Zoom did not start in 30 s" || return
  install -m 0644 "$FAKE_ZOOM_DIR/ca.pem" "$FAKE_ZOOM_CA"
  local url secret
  url=$(cat "$FAKE_ZOOM_DIR/url")
  # The fake makes its app's secret at random and writes it beside its URL.
  secret=$(mktemp)
  cat "$FAKE_ZOOM_DIR/client_secret" >"$secret" || fail "the fake Zoom wrote no client_secret" || return
  admin_cli zoom s2s --account-id fake-account-id --client-id fake-client-id \
    --client-secret-file "$secret" --zoom-oauth-url "$url" \
    --zoom-api-url "$url/v2" --ca-file "$FAKE_ZOOM_CA" ||
    fail "zoom s2s failed" || return
  rm -f "$secret"
  # The daemon picks up new credentials within a minute; a restart is
  # quicker and is what an admin would do.
  systemctl restart "$SERVICE" || fail "systemctl restart failed" || return
  wait_for 30 serving || fail "not serving 30 s after the restart" || return
}

appointment_synced() {
  local answer
  answer=$(api GET /appointments/a1)
  [ "$(body_of "$answer" | json_get sync_status)" = synced ] || return 1
  MEETING_ID=$(body_of "$answer" | json_get meeting id)
  PASSCODE=$(body_of "$answer" | json_get meeting passcode)
  [ -n "$MEETING_ID" ]
}

step_sync() {
  local answer start
  answer=$(api PUT /doctors/d1 '{"name":"Dr d1","auth":"s2s","zoom_user":"u1"}')
  [[ "$(status_of "$answer")" == 20? ]] || fail "PUT /doctors/d1: $answer" || return
  start=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:00Z)
  answer=$(api PUT /appointments/a1 \
    "{\"doctor_id\":\"d1\",\"start_time\":\"$start\",\"duration_minutes\":30,\"timezone\":\"Europe/Berlin\"}")
  [[ "$(status_of "$answer")" == 20? ]] || fail "PUT /appointments/a1: $answer" || return
  wait_for 60 appointment_synced ||
    fail "a1 not synced after 60 s: $(api GET /appointments/a1 | head -c 300)" || return
  check_records "after the first sync"
}

# Everything written so far is there: the API key works, a1 is synced with
# the meeting it had, and the fake holds that one meeting (no duplicate).
check_records() {
  local when=$1 answer
  answer=$(api GET /appointments/a1)
  [ "$(status_of "$answer")" = 200 ] || fail "$when: GET /appointments/a1: $answer" || return
  [ "$(body_of "$answer" | json_get sync_status)" = synced ] ||
    fail "$when: a1 is not synced: $answer" || return
  local id
  id=$(body_of "$answer" | json_get meeting id)
  [ "$id" = "$MEETING_ID" ] || fail "$when: a1's meeting is '$id', was '$MEETING_ID'" || return
  local count
  count=$(fake_zoom_count)
  [ "$count" = 1 ] || fail "$when: the fake Zoom holds $count meetings, expected 1" || return
}

step_kill9() {
  local pid restarts
  pid=$(main_pid)
  restarts=$(show NRestarts)
  kill -9 "$pid" || fail "kill -9 $pid failed" || return
  wait_for 60 restarted_from "$pid" || fail "not restarted and serving 60 s after kill -9" || return
  [ "$(show NRestarts)" = $((restarts + 1)) ] ||
    fail "NRestarts went from $restarts to $(show NRestarts)" || return
  check_records "after kill -9"
}

step_watchdog() {
  local usec pid limit
  usec=$(show WatchdogUSec)
  echo "WatchdogUSec: $usec"
  [ -n "$usec" ] && [ "$usec" != 0 ] && [ "$usec" != infinity ] ||
    fail "the unit sets no WatchdogSec=" || return
  pid=$(main_pid)
  kill -STOP "$pid" || fail "kill -STOP $pid failed" || return
  # WatchdogUSec is shown as a time span ("30s", "1min"); systemd-analyze
  # reads it back in microseconds.
  limit=$(($(systemd-analyze timespan "$usec" | sed -n 's/.*μs: //p') * 3 / 1000000 + 60))
  wait_for "$limit" restarted_from "$pid" ||
    fail "the stopped daemon was not restarted within $limit s" || return
  journalctl -u "$SERVICE" --no-pager | grep -q 'Watchdog timeout' ||
    fail "restarted, but the journal shows no watchdog timeout" || return
  check_records "after the watchdog restart"
}

# No secret reached the journal: the app's client secret, the API key, the
# meeting's passcode, the admin's setup code and password (the daemon logs through journald, every run so far).
step_journal_clean() {
  local journal secret zoom_secret found=""
  journal=$(journalctl -b --no-pager -o cat)
  zoom_secret=$(cat "$FAKE_ZOOM_DIR/client_secret" 2>/dev/null)
  # Without the daemon's own lines the check below would prove nothing.
  journalctl -b -u "$SERVICE" --no-pager -o cat | grep -q 'listening on' ||
    fail "the journal holds none of the daemon's lines" || return
  for secret in "$zoom_secret" "$API_KEY" "$PASSCODE" "$SETUP_CODE" "$ADMIN_PASSWORD"; do
    [ -n "$secret" ] || continue
    grep -qF -- "$secret" <<<"$journal" && found+=" ${secret:0:6}..."
  done
  [ -z "$found" ] || fail "the journal shows secrets:$found" || return
}

step_upgrade() {
  local pid
  pid=$(main_pid)
  step_install "$NEW_DEB" "$NEW_VERSION" || return
  wait_for 30 restarted_from "$pid" ||
    fail "the service was not restarted by the upgrade (main PID still $pid or not serving)" || return
  check_records "after the upgrade"
}

step_remove() {
  DEBIAN_FRONTEND=noninteractive apt-get remove -y "$PACKAGE" || fail "apt-get remove failed" || return
  ! is_active || fail "the service still runs after remove" || return
  [ ! -e /usr/bin/telemed-bridge ] || fail "/usr/bin/telemed-bridge is still there" || return
  [ -n "$(ls -A "$DATA_DIR" 2>/dev/null)" ] || fail "remove deleted the data in $DATA_DIR" || return
  [ -f "$KEY_FILE" ] || fail "remove deleted $KEY_FILE" || return
  [ -f "$DEFAULTS_FILE" ] || fail "remove deleted $DEFAULTS_FILE" || return
}

step_purge() {
  DEBIAN_FRONTEND=noninteractive apt-get purge -y "$PACKAGE" || fail "apt-get purge failed" || return
  local left=""
  for path in "$DATA_DIR" /var/lib/private/telemed-bridge /etc/telemed-bridge "$DEFAULTS_FILE"; do
    [ ! -e "$path" ] || left+=" $path"
  done
  [ -z "$left" ] || fail "purge left:$left" || return
}

# --- The order ---

run_step boot step_boot || finish boot
if [ -n "$OLDER_VERSION" ]; then
  run_step install-older step_install "$OLDER_DEB" "$OLDER_VERSION" || finish install-older
else
  run_step install step_install "$NEW_DEB" "$NEW_VERSION" || finish install
fi
run_step next-steps step_next_steps
run_step active step_active || finish active
run_step layout step_layout
run_step apikey step_apikey || finish apikey
run_step api step_api
run_step admin-page step_admin_page
run_step admin-setup step_admin_setup
run_step cert-fingerprint step_cert_fingerprint
run_step cert-restart step_cert_restart
run_step https-port-taken step_https_port_taken || finish https-port-taken
run_step zoom-setup step_zoom_setup || finish zoom-setup
run_step sync step_sync || finish sync
if [ -n "$OLDER_VERSION" ]; then
  run_step upgrade step_upgrade || finish upgrade
else
  echo "skip   upgrade: no OLDER.deb given" >>"$OUT/steps"
fi
run_step verify-unit step_verify_unit
run_step status-line step_status_line
run_step kill-9 step_kill9 || finish kill-9
run_step watchdog step_watchdog || finish watchdog
run_step journal-clean step_journal_clean
run_step remove step_remove || finish remove
run_step purge step_purge
finish
