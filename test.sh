#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine and runs the whole test suite
# (build/), then the unit tests (ctest label "unit": the stages' GoogleTest
# executables and the fuzz corpus replays) again under AddressSanitizer and
# UBSan in build-asan/, where a leak, an out-of-bounds access or undefined
# behaviour fails the run. GCPILOT_SKIP_ASAN=1 skips the sanitizer pass
# (for developers; CI runs it). Arguments go to both ctest runs.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
cd "$root/build"
ctest --output-on-failure --timeout 600 -j2 "$@"

if [ "${GCPILOT_SKIP_ASAN:-0}" = 1 ]; then
  echo "test.sh: GCPILOT_SKIP_ASAN=1: unit tests under ASan+UBSan skipped" >&2
  exit 0
fi
asan="$root/build-asan"
if [ ! -f "$asan/build.ninja" ]; then
  cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGCPILOT_SANITIZE=ON >/dev/null
fi
# Only the unit test executables: the whole-program tests in tests/ run
# real gateways under load and stay in the normal pass.
ninja -C "$asan" unit_tests >/dev/null || ninja -C "$asan" unit_tests  # show errors on failure
cd "$asan"
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  ctest -L unit --output-on-failure --timeout 600 -j2 "$@"
