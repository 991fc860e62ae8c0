#!/usr/bin/env bash
# Coordinated-omission check: a constant-rate run against the gateway, which
# is frozen (SIGSTOP) for STALL seconds in the middle. Every request that
# fell due during the stall waited for its end, so an open-loop, corrected
# measurement (what wrk2 reports) must put the P99 near
#   STALL x (1 - 0.01 x SECONDS / STALL)   (the 1% slowest of all requests
# are the earliest-due ones of the stall). Prints ours against that
# expectation (wrk2 is not packaged for Debian; its corrected histogram is
# defined to give exactly this).
# Usage: bench/load_co_check.sh [RATE [SECONDS [STALL]]]
set -euo pipefail
source "$(dirname "$0")/paygate_lib.sh"
rate=${1:-1000} secs=${2:-10} stall=${3:-1}
start_paygate 64
( sleep 3; kill -STOP "$PAYGATE_PID"; sleep "$stall"; kill -CONT "$PAYGATE_PID" ) &
staller=$!
"${pin_load[@]}" "$gcpilot" load "$PAYGATE_URL/healthz" --rate "$rate" -d "${secs}s" --json -q > "$bench_tmp/co.json"
wait "$staller"
c99=$(json_field "$bench_tmp/co.json" 'j["measured"]["latency_corrected"]["p99_ms"]')
u99=$(json_field "$bench_tmp/co.json" 'j["measured"]["latency_uncorrected"]["p99_ms"]')
cmax=$(json_field "$bench_tmp/co.json" 'j["measured"]["latency_corrected"]["max_ms"]')
expect=$(awk -v s="$stall" -v t="$secs" 'BEGIN {print 1000 * s * (1 - 0.01 * t / s)}')
echo "coordinated omission: ${rate}/s for ${secs}s, gateway stopped for ${stall}s after 3s:"
printf '  expected corrected p99 (open loop, as wrk2 measures) %.1f ms\n' "$expect"
printf '  gcpilot corrected p99   %.1f ms (max %.1f ms)\n' "$c99" "$cmax"
printf '  gcpilot uncorrected p99 %.1f ms (from the actual send; spare connections sent on time)\n' "$u99"
awk -v c="$c99" -v e="$expect" 'BEGIN {printf "  ratio corrected/expected %.3f\n", c / e}'
