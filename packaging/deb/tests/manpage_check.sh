#!/bin/sh
# Checks that the manual page is the binary's: its .TH line names the
# binary's version, and it covers every command and option, nothing else: for each command the overview lists
# ("telemed-bridge --help"), the options its --help lists must be the
# options of its .SS section in the page, and the page must have no
# section for a command the binary lacks. Prints every difference; exit 0
# when there is none, 1 otherwise.
#   usage: manpage_check.sh BINARY MANPAGE
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 BINARY MANPAGE" >&2
	exit 2
fi
binary=$1
page=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The command words of each usage line of the overview: the words after
# the program name up to the first argument (NAME, [--flag], ...).
"$binary" --help | awk '/^usage: / {
	words = ""
	for (i = 3; i <= NF && $i ~ /^[a-z][a-z0-9-]*$/; i++)
		words = words (words == "" ? "" : " ") $i
	print words
}' | sort -u >"$work/binary-commands"

# The page's commands: the .SS headings of its COMMANDS section.
sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$page" |
	sed -n 's/^\.SS "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' | sort -u >"$work/page-commands"

# One command's options in --help: the lines that start with "  --".
help_options() {
	# shellcheck disable=SC2086 # the command words are separate arguments
	"$binary" $1 --help | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p' | sort -u
}

# One command's options in the page: the first option on the line after
# each .TP of its .SS section, with the page's "\-" read as "-".
page_options() {
	sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$page" | awk -v want="$1" '
		/^\.SS / { name = $0; sub(/^\.SS "?/, "", name); sub(/"$/, "", name); inside = (name == want); next }
		inside && /^\.TP/ { item = 1; next }
		inside && item { item = 0; gsub(/\\-/, "-"); if (match($0, /--[a-z][a-z0-9-]*/)) print substr($0, RSTART, RLENGTH) }
	' | sort -u
}

status=0
version=$("$binary" --version | sed -n 's/^telemed-bridge //p')
if ! grep -q "^\.TH .*\"telemed\\\\-bridge $version\"" "$page"; then
	echo "$page: its .TH line does not name version $version"
	status=1
fi
if ! diff -u "$work/binary-commands" "$work/page-commands" >"$work/diff"; then
	echo "$page: its commands (+) differ from the binary's (-):"
	tail -n +3 "$work/diff" | sed -n 's/^[-+]/  &/p'
	status=1
fi
while read -r command; do
	help_options "$command" >"$work/help"
	page_options "$command" >"$work/page"
	if ! diff -u "$work/help" "$work/page" >"$work/diff"; then
		echo "$page: options of '$command' in the page (+) differ from its --help (-):"
		tail -n +3 "$work/diff" | sed -n 's/^[-+]/  &/p'
		status=1
	fi
done <"$work/binary-commands"
if [ "$status" -eq 0 ]; then
	echo "$page covers the $(wc -l <"$work/binary-commands") commands of $binary and their options"
fi
exit "$status"
