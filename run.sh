#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine and runs the main job.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
exec "$root/scripts/demo_gctrace.sh" "$@"
