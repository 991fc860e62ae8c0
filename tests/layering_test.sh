#!/usr/bin/env bash
# The layers hold: each stage includes and links only what is below it
# (README "Layout"). Two checks, both of which fail on the first breach:
#  1. #include lines: a library's sources name only the folders it may use;
#  2. the link lines of report_fixture (gcpilot_report and everything it
#     pulls in) and store_test (gcpilot_store): no tune, loadgen, runner or
#     OpenSSL library on them.
# Usage: layering_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1/src
build=$2
fail=0

# folder: the folders its files may include from (besides itself).
allowed() {
  case $1 in
    base) echo "" ;;
    model) echo "base" ;;
    stats|hdr|net) echo "base" ;;
    gclog) echo "base model stats" ;;
    exectrace) echo "base model hdr stats" ;;
    runner) echo "base" ;;
    loadgen) echo "base model hdr net" ;;
    store) echo "base model hdr" ;;
    analysis) echo "base model stats" ;;
    attribution) echo "base model hdr stats" ;;
    report) echo "base model hdr stats store analysis attribution" ;;
    tune) echo "base model stats hdr net gclog exectrace runner loadgen store analysis attribution" ;;
    cli) echo "base model stats hdr net gclog exectrace runner loadgen store analysis attribution tune report cli" ;;
    *) echo "?" ;;
  esac
}

for dir in "$src"/*/; do
  layer=$(basename "$dir")
  ok=" $layer $(allowed "$layer") "
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    if [[ $ok != *" $inc "* ]]; then
      echo "layering: ${file#$1/} includes $inc/ (a $layer file may include: $(allowed "$layer"))"
      fail=1
    fi
  done < <(grep -HE '^#include "[a-z_]+/' "$dir"*.h "$dir"*.cc 2>/dev/null | grep -v '_test\.cc:' || true)
done

for target in report_fixture store_test; do
  line=$(ninja -C "$build" -t commands "$target" | tail -n 1)
  for lib in gcpilot_tune gcpilot_loadgen gcpilot_runner libcrypto libssl; do
    if [[ $line == *"$lib"* ]]; then
      echo "layering: $target links $lib"
      fail=1
    fi
  done
done
if [ "$fail" -eq 0 ]; then echo "layering: every include and link goes down the layers"; fi
exit $fail
