#!/usr/bin/env bash
# The main job until `gcpilot tune` lands: a real run of the bundled gateway
# under load with gctrace on, then `gcpilot gctrace` on what it printed.
# Usage: scripts/demo_gctrace.sh [SECONDS] [gcpilot gctrace flags...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
shift || true
mkdir -p "$root/build/demo"
log=$root/build/demo/paygate-gctrace.log
"$root/scripts/drive_paygate.sh" "$log" "$seconds" 256 1
echo "== gcpilot gctrace $log" >&2
exec "$root/build/src/cli/gcpilot" gctrace "$@" "$log"
