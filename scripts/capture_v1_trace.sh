#!/usr/bin/env bash
# Captures a Go 1.19 execution trace (v1 format) of the bundled gateway
# under load: starts build/paygate (Go 1.19) with a small live heap and
# GOGC=25 so GC cycles run often, drives it with `gcpilot load` at a fixed
# rate, and fetches /debug/pprof/trace?seconds=SECONDS after WAIT seconds.
#
# Usage: scripts/capture_v1_trace.sh OUT SECONDS [RATE [LIVE_MB [WAIT]]]
# GCPILOT=path/to/gcpilot (default build/src/cli/gcpilot), PAYGATE=path
# (default build/paygate). The gateway runs on CPU 0, the load on CPU 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] && [ $# -le 5 ] || { echo "usage: capture_v1_trace.sh OUT SECONDS [RATE [LIVE_MB [WAIT]]]" >&2; exit 2; }
out=$1 seconds=$2 rate=${3:-400} live_mb=${4:-16} wait_s=${5:-3}
gcpilot=${GCPILOT:-$root/build/src/cli/gcpilot}
paygate=${PAYGATE:-$root/build/paygate}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

GOGC=25 taskset -c 0 "$paygate" -addr 127.0.0.1:0 -port-file "$work/port" -live-mb "$live_mb" 2>"$work/log" &
pids+=($!)
for _ in $(seq 300); do
  [ -s "$work/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$work/port")/healthz" 2>/dev/null && break
  sleep 0.1
done
port=$(cat "$work/port")
load_s=$(awk -v w="$wait_s" -v s="$seconds" 'BEGIN { printf "%d", w + s + 3 }')
taskset -c 1 "$gcpilot" load --quiet --requests "$root/workloads/paygate/load.toml" --rate "$rate" \
  --duration "${load_s}s" "http://127.0.0.1:$port/" >"$work/load.txt" &
pids+=($!)
sleep "$wait_s"
curl -fsS -o "$out" "http://127.0.0.1:$port/debug/pprof/trace?seconds=$seconds"
echo "capture_v1_trace: $out: $(stat -c %s "$out") bytes"
