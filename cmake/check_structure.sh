#!/usr/bin/env bash
# Checks the module structure that docs/architecture.md describes, from the
# sources alone (no build needed):
#   1. every folder under daemon/ is a module listed in the table of
#      docs/architecture.md, and every module listed there exists;
#   2. every #include of another module in a module's code (tests aside) is
#      allowed by that table's "may include" column;
#   3. every file path the document names exists;
#   4. no interface under daemon/store/ declares more than 15 virtual
#      operations (a role interface stays small enough to read at a glance);
#   5. no code outside tests compares Status::reason() strings (callers
#      switch on Status::code() or a typed kind instead).
# Prints one line per violation and exits 1 when there is any.
#
#   cmake/check_structure.sh [REPO_ROOT]
set -euo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT"
DOC=docs/architecture.md
MAX_VIRTUALS=15
failures=0

fail() {
  echo "structure: $*"
  failures=$((failures + 1))
}

# The daemon's code without tests and test helpers.
production_sources() {
  find daemon -name '*.h' -o -name '*.cc' | grep -v -e '_test\.cc$' \
    -e '/testutil\.h$' -e '/fake_[a-z_]*\.h$' | sort
}

# Rows of the module table: "| `name/` | what it owns | `a/`, `b/` |".
# Prints "name allowed1 allowed2 ..." per module.
module_table() {
  awk -F'|' '/^\| *`[a-z_]+\/` *\|/ {
    name = $2; gsub(/[ `\/]/, "", name);
    allowed = $4; gsub(/[`\/,]/, " ", allowed); gsub(/—|-/, " ", allowed);
    print name, allowed
  }' "$DOC"
}

check_modules_listed() {
  local dir name
  for dir in daemon/*/; do
    name=$(basename "$dir")
    grep -q "^$name\b" <<<"$TABLE" || fail "daemon/$name/ is not in the module table of $DOC"
  done
  while read -r name _; do
    [ -d "daemon/$name" ] || fail "$DOC lists module $name/, but daemon/$name/ does not exist"
  done <<<"$TABLE"
}

check_includes() {
  local file module included allowed
  while read -r file; do
    module=$(cut -d/ -f2 <<<"$file")
    [ -d "daemon/$module" ] || continue  # daemon/main.cc
    allowed=" $(grep "^$module\b" <<<"$TABLE" | cut -d' ' -f2-) "
    while read -r included; do
      [ -z "$included" ] && continue
      [ "$included" = "$module" ] && continue
      [ -d "daemon/$included" ] || continue  # a library's header
      case "$allowed" in
        *" $included "*) ;;
        *) fail "$file includes $included/, which $DOC does not allow $module/ to include" ;;
      esac
    done < <(sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' "$file" | sort -u)
  done < <(production_sources)
}

check_named_paths() {
  local path
  while read -r path; do
    [ -e "$path" ] || [ -e "daemon/$path" ] || fail "$DOC names $path, which does not exist"
  done < <(grep -o '`[a-z_./-]*\.\(h\|cc\|md\|sh\)`' "$DOC" | tr -d '`' | sort -u)
}

check_store_interfaces() {
  local header count
  for header in daemon/store/*.h; do
    count=$(grep -c '^ *virtual [^~]' "$header" || true)
    [ "$count" -le "$MAX_VIRTUALS" ] ||
      fail "$header declares $count virtual operations (at most $MAX_VIRTUALS a role)"
  done
}

check_reason_comparisons() {
  local hits
  hits=$(production_sources | xargs grep -nE \
    'reason\(\) *(==|!=)|(==|!=) *[A-Za-z_.>()-]*reason\(\)|reason\(\)\.(compare|rfind|find|starts_with)' || true)
  [ -z "$hits" ] && return
  while read -r hit; do
    fail "compares Status::reason() (switch on a code or a typed kind): $hit"
  done <<<"$hits"
}

if [ ! -f "$DOC" ]; then
  fail "$DOC is missing"
  exit 1
fi
TABLE=$(module_table)
check_modules_listed
check_includes
check_named_paths
check_store_interfaces
check_reason_comparisons
if [ "$failures" -gt 0 ]; then
  echo "structure: $failures problem(s)"
  exit 1
fi
echo "structure: OK ($(wc -l <<<"$TABLE") modules)"
