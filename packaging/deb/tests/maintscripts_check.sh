#!/bin/sh
# Runs the package's preinst and postrm against a scratch root ($DPKG_ROOT,
# which both scripts prefix to every path): preinst must refuse a
# downgrade across a schema change, naming both schema versions, and allow
# every other install; postrm must keep the data on remove and delete it
# on purge. What needs a real system (adduser, systemd) is covered by
# packaging/deb/tests/system-test.sh. Prints one line per case; exit 0
# when all pass.
#   usage: maintscripts_check.sh BINARY DEBIAN_DIR
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 BINARY DEBIAN_DIR" >&2
	exit 2
fi
binary=$1
debian=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

schema=$("$binary" version --schema)
# The preinst as debian/rules fills it in.
sed -e "s/@SCHEMA_VERSION@/$schema/" -e 's/@VERSION@/9.9.9/' \
	"$debian/telemed-bridge.preinst" >"$work/preinst"

pass() { echo "ok   $1"; }
fail() {
	echo "FAIL $1"
	failures=$((failures + 1))
}

# A root with a database made by the binary, its user_version (the 4-byte
# big-endian integer at offset 60 of the header) then set to $1.
make_root() {
	root=$work/root
	rm -rf "$root"
	mkdir -p "$root/var/lib/telemed-bridge" "$root/etc/telemed-bridge" "$root/usr/bin"
	"$binary" apikey create check --data-dir "$root/var/lib/telemed-bridge" >/dev/null 2>&1
	# shellcheck disable=SC2059 # the format is the four bytes as octal escapes
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) \
		$(($1 >> 8 & 255)) $(($1 & 255)))" |
		dd of="$root/var/lib/telemed-bridge/telemed-bridge.db" bs=1 seek=60 conv=notrunc 2>/dev/null
}

# An installed binary that prints $1 for "version --schema", or fails
# like a version without that option when $1 is "none".
fake_installed() {
	if [ "$1" = none ]; then
		printf '#!/bin/sh\necho "telemed-bridge: unknown option --schema" >&2\nexit 2\n' >"$root/usr/bin/telemed-bridge"
	else
		printf '#!/bin/sh\necho %s\n' "$1" >"$root/usr/bin/telemed-bridge"
	fi
	chmod +x "$root/usr/bin/telemed-bridge"
}

# expect_preinst CASE EXIT_CODE ARGS...: runs the preinst, checks its exit
# code and, on a refusal, that the message names both schema versions.
expect_preinst() {
	case_name=$1 want=$2
	shift 2
	set +e
	DPKG_ROOT=$root sh "$work/preinst" "$@" 2>"$work/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		fail "$case_name: exit $got, expected $want: $(cat "$work/err")"
	elif [ "$want" -ne 0 ] && ! grep -q "schema version $((schema + 1)).*schema version $schema" "$work/err"; then
		fail "$case_name: the message does not name both versions: $(cat "$work/err")"
	else
		pass "$case_name"
	fi
}

root=$work/empty
mkdir -p "$root"
expect_preinst "preinst: first install on an empty box" 0 install
make_root "$schema"
expect_preinst "preinst: upgrade, database at this schema" 0 upgrade 0.0.1
make_root $((schema - 1))
expect_preinst "preinst: upgrade, older database" 0 upgrade 0.0.1
make_root $((schema + 1))
expect_preinst "preinst: downgrade, newer database: refused" 1 upgrade 99.0.0
expect_preinst "preinst: reinstall after remove, newer database: refused" 1 install 99.0.0
make_root "$schema"
fake_installed $((schema + 1))
expect_preinst "preinst: downgrade, newer installed binary (migration still in the WAL): refused" 1 upgrade 99.0.0
fake_installed none
expect_preinst "preinst: installed binary without version --schema" 0 upgrade 0.0.1
printf 'not a database' >"$root/var/lib/telemed-bridge/telemed-bridge.db"
expect_preinst "preinst: a file that is not SQLite is left to the daemon" 0 upgrade 0.0.1

make_root "$schema"
touch "$root/etc/telemed-bridge/secret.key"
DPKG_ROOT=$root sh "$debian/telemed-bridge.postrm" remove
if [ -f "$root/var/lib/telemed-bridge/telemed-bridge.db" ] && [ -f "$root/etc/telemed-bridge/secret.key" ]; then
	pass "postrm remove: data and key kept"
else
	fail "postrm remove: data or key gone"
fi
DPKG_ROOT=$root sh "$debian/telemed-bridge.postrm" purge
if [ ! -e "$root/var/lib/telemed-bridge" ] && [ ! -e "$root/etc/telemed-bridge" ]; then
	pass "postrm purge: data and key gone"
else
	fail "postrm purge: $(ls -d "$root/var/lib/telemed-bridge" "$root/etc/telemed-bridge" 2>/dev/null) left"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures case(s) failed"
	exit 1
fi
