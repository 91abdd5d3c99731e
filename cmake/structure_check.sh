#!/usr/bin/env bash
# Checks the module seams that docs/schema.md and the headers describe, over
# the sources as text (#include lines, declarations). Each rule is named;
# with no arguments every rule runs.
#   cmake/structure_check.sh [RULE...]
# Rules:
#   store-roles      no interface under daemon/store/ declares more than 15
#                    virtual operations, and the implementation (store_impl.h)
#                    marks its methods override, never virtual
#   config-includes  daemon/config/ includes only base/, model/, config/ and
#                    the generated build_config.h
#   model-includes   daemon/model/ includes only base/ and model/
#   api-includes     api/ headers are included only by daemon/api/ and
#                    daemon/service/ (and tests)
#   reason-compare   no code outside tests compares Status::reason() strings
#   architecture     docs/architecture.md matches the code: its module table
#                    lists every folder under daemon/ (and no other), every
#                    #include of another module is allowed by the table's
#                    "may include" column, and every file it names exists
# Prints each breach as file:line and exits 1 if there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly MAX_ROLE_OPERATIONS=15
failed=0

breach() {
  echo "structure_check.sh: $*" >&2
  failed=1
}

# Non-test sources under daemon/ (optionally one folder of it).
sources() {
  find "daemon/${1:-}" -type f \( -name '*.cc' -o -name '*.h' \) \
    ! -name '*_test.cc' ! -name '*_fuzz.cc' ! -name 'testutil.h' | sort
}

# Prints each line of `hits` (grep -n output) as a breach with `why`.
report() {
  local hits=$1 why=$2 hit
  [ -n "$hits" ] || return 0
  while IFS= read -r hit; do breach "$hit: $why"; done <<<"$hits"
}

check_store_roles() {
  local header count
  for header in daemon/store/*.h; do
    case "$header" in *_impl.h) continue ;; esac
    count=$({ grep -E '^\s*virtual ' "$header" || true; } | { grep -cv 'virtual ~' || true; })
    if [ "$count" -gt "$MAX_ROLE_OPERATIONS" ]; then
      breach "$header declares $count virtual operations (at most $MAX_ROLE_OPERATIONS: split the role)"
    fi
  done
  report "$({ grep -HnE '^\s*virtual ' daemon/store/*_impl.h || true; } | { grep -v 'virtual ~' || true; })" \
    "an implementation of the roles marks its methods override, not virtual"
}

# Fails for every #include "X/..." in `folder` whose X is not allowed.
check_includes_of() {
  local folder=$1
  shift
  local allowed
  allowed=$(printf '%s|' "$@")
  report "$(sources "$folder" | xargs grep -nE '^#include "' |
    { grep -vE "#include \"(${allowed%|})(/|\")" || true; })" \
    "daemon/$folder/ may include only: $*"
}

check_api_includes() {
  report "$(sources | grep -vE '^daemon/(api|service)/' |
    xargs grep -nE '^#include "api/' || true)" \
    "only daemon/api/ and daemon/service/ include api/ headers"
}

check_reason_compare() {
  report "$(sources | xargs grep -nE \
    'reason\(\)\s*(==|!=)|(==|!=)\s*[A-Za-z_.>-]*reason\(\)|reason\(\)\.(compare|rfind|find)\(' ||
    true)" "compare Status::code() or a typed result, not reason() text"
}

readonly ARCHITECTURE=docs/architecture.md

# The module table's rows, "| `name/` | what it owns | `a/`, `b/` |", as
# "name a b ..." lines ("—" for none).
module_table() {
  awk -F'|' '/^\| *`[a-z_]+\/` *\|/ {
    name = $2; gsub(/[ `\/]/, "", name)
    allowed = $4; gsub(/[`\/,]/, " ", allowed); gsub(/—/, " ", allowed)
    print name, allowed
  }' "$ARCHITECTURE"
}

# Every folder is a row and every row a folder.
check_modules_listed() {
  local table=$1 dir name
  for dir in daemon/*/; do
    name=$(basename "$dir")
    grep -q "^$name\b" <<<"$table" || breach "daemon/$name/ is not in the module table of $ARCHITECTURE"
  done
  while read -r name _; do
    [ -d "daemon/$name" ] || breach "$ARCHITECTURE lists $name/, but daemon/$name/ does not exist"
  done <<<"$table"
}

# Each module includes only itself and what its row allows.
check_module_includes() {
  local table=$1 module allowed
  while read -r module allowed; do
    check_includes_of "$module" "$module" $allowed build_config.h
  done <<<"$table"
}

# Every file path the document names (`x/y.cc`, `docs/z.md`) exists.
check_named_paths() {
  local path
  while read -r path; do
    [ -e "$path" ] || [ -e "daemon/$path" ] || breach "$ARCHITECTURE names $path, which does not exist"
  done < <(grep -o '`[a-z_./-]*\.\(h\|cc\|md\|sh\)`' "$ARCHITECTURE" | tr -d '`' | sort -u)
}

check_architecture() {
  if [ ! -f "$ARCHITECTURE" ]; then
    breach "$ARCHITECTURE is missing"
    return
  fi
  local table
  table=$(module_table)
  check_modules_listed "$table"
  check_module_includes "$table"
  check_named_paths
}

rules=("$@")
if [ ${#rules[@]} -eq 0 ]; then
  rules=(store-roles config-includes model-includes api-includes reason-compare architecture)
fi
for rule in "${rules[@]}"; do
  case "$rule" in
    store-roles) check_store_roles ;;
    config-includes) check_includes_of config base model config build_config.h ;;
    model-includes) check_includes_of model base model ;;
    api-includes) check_api_includes ;;
    reason-compare) check_reason_compare ;;
    architecture) check_architecture ;;
    *)
      echo "structure_check.sh: unknown rule '$rule'" >&2
      exit 2
      ;;
  esac
done
if [ "$failed" -ne 0 ]; then exit 1; fi
echo "structure_check.sh: ${rules[*]}: ok"
