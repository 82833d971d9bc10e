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
  # One process for every file; each difference is reported as a warning naming its file.
  report=$("$clang_format" --style=file --dry-run --Werror "${files[@]}" 2>&1 || true)
  bad=$(printf '%s\n' "$report" | grep -E '^[^ ].*: (error|warning):' | cut -d: -f1 | sort -u || true)
  if [ -n "$bad" ]; then
    printf 'not formatted: %s (make format)\n' $bad
    exit 1
  fi
  echo "all ${#files[@]} C++ files formatted as .clang-format says"
  exit 0
fi
"$clang_format" --style=file -i "${files[@]}"
echo "formatted ${#files[@]} C++ files"
