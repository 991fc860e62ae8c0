#!/usr/bin/env bash
# Checks that every file listed in .clang-format-files is formatted the way
# .clang-format says: clang-format --dry-run --Werror prints each place that
# differs and the check fails. With --fix, reformats those files instead.
# A pattern that matches no file fails the check, so the list cannot rot.
# Usage: scripts/check_format.sh [--fix]   (run by ctest as style.clang_format)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if ! command -v clang-format >/dev/null; then
  echo "check_format: clang-format is not installed (scripts/setup.sh installs it)" >&2
  exit 77  # ctest: skipped
fi
shopt -s nullglob
files=()
while IFS= read -r pattern; do
  pattern=${pattern%%#*}
  pattern=${pattern//[[:space:]]/}
  [ -n "$pattern" ] || continue
  matched=($pattern)
  if ((${#matched[@]} == 0)); then
    echo "check_format: .clang-format-files: '$pattern' matches no file" >&2
    exit 1
  fi
  files+=("${matched[@]}")
done < .clang-format-files
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  echo "check_format: reformatted ${#files[@]} files" >&2
  exit 0
fi
clang-format --dry-run --Werror "${files[@]}"
echo "check_format: ${#files[@]} files formatted as .clang-format says" >&2
