#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine and runs the whole test suite.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
cd "$root/build"
ctest --output-on-failure --timeout 600 -j2 "$@"
