#!/usr/bin/env bash
# Applies .clang-format to every C++ file of the project (`make format`). With --check it changes
# nothing: it names each file that differs and fails (the `format` test, label lint).
# CLANG_FORMAT picks the binary (default clang-format-14, Debian 12's; another version may
# format differently).
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format-14}
mapfile -t files < <(find server client tests bench fuzz -name node_modules -prune -o \
                       \( -name '*.cc' -o -name '*.h' \) -type f -print | sort)
if [ "${1:-}" = --check ]; then
  bad=0
  for f in "${files[@]}"; do
    if ! "$clang_format" --style=file "$f" | cmp -s - "$f"; then
      echo "not formatted: $f (make format)"
      bad=1
    fi
  done
  [ "$bad" = 0 ] && echo "all ${#files[@]} C++ files formatted as .clang-format says"
  exit "$bad"
fi
"$clang_format" --style=file -i "${files[@]}"
echo "formatted ${#files[@]} C++ files"
