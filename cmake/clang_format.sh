#!/usr/bin/env bash
# Formats the C++ sources with the repository's .clang-format, or checks them.
#   cmake/clang_format.sh          rewrite every *.cc / *.h in place
#   cmake/clang_format.sh --check  list the files that differ; exit 1 if any
# The files are git's tracked ones (or, outside a git checkout, those under
# daemon/, tests/ and bench/). clang-format 14 (Debian bookworm's) is pinned:
# other versions lay out some constructs differently.
set -euo pipefail
cd "$(dirname "$0")/.."

FORMAT=$(command -v clang-format-14 || true)
if [ -z "$FORMAT" ]; then
  echo "clang_format.sh: clang-format-14 is not installed (apt-get install clang-format-14)" >&2
  exit 2
fi

files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  while IFS= read -r -d '' file; do files+=("$file"); done \
    < <(git ls-files -z -- '*.cc' '*.h')
else
  while IFS= read -r -d '' file; do files+=("$file"); done \
    < <(find daemon tests bench -type f \( -name '*.cc' -o -name '*.h' \) -print0 | sort -z)
fi

if [ "${1:-}" != "--check" ]; then
  printf '%s\0' "${files[@]}" | xargs -0 "$FORMAT" -i --style=file
  echo "clang_format.sh: formatted ${#files[@]} files"
  exit 0
fi

# One clang-format run over all files; its warnings name file:line:col.
differ=$(printf '%s\0' "${files[@]}" | xargs -0 "$FORMAT" --dry-run --style=file 2>&1 |
  sed -n 's/^\(.*\.\(cc\|h\)\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' |
  sort -u)
if [ -z "$differ" ]; then
  echo "clang_format.sh: ${#files[@]} files match .clang-format"
  exit 0
fi
count=$(printf '%s\n' "$differ" | wc -l)
printf '%s\n' "$differ" | sed 's/^/not formatted: /'
echo "clang_format.sh: $count of ${#files[@]} files differ from .clang-format; ./dev.sh format fixes them"
exit 1
