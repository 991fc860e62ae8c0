#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine and runs the main job:
# `gcpilot tune` on the bundled payment gateway (about 10 minutes on 2
# cores), stored in build/demo/paygate-study.db. Extra arguments go to
# gcpilot tune (e.g. --json, --repeats 3).
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
mkdir -p "$root/build/demo"
cd "$root"
exec "$root/build/src/cli/gcpilot" tune --db build/demo/paygate-study.db "$@"
