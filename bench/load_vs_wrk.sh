#!/usr/bin/env bash
# Benchmark: the most requests/s `gcpilot load --rate max` gets from a
# loopback server, against wrk (the anchor) with the same connections on
# the same server, alternating runs. Goal (issue 3): >= 1.0x wrk.
# Usage: bench/load_vs_wrk.sh [CONNECTIONS [SECONDS [RUNS]]]
set -euo pipefail
source "$(dirname "$0")/paygate_lib.sh"
conns=${1:-16} secs=${2:-5} runs=${3:-5}
start_paygate 64
url="$PAYGATE_URL/healthz"
# One discarded round each: the gateway's heap and caches settle first.
"${pin_load[@]}" wrk -t1 -c"$conns" -d2s "$url" > /dev/null
"${pin_load[@]}" "$gcpilot" load "$url" --rate max -c "$conns" -d 2s -q > /dev/null
ours=() theirs=()
for i in $(seq "$runs"); do
  w=$("${pin_load[@]}" wrk -t1 -c"$conns" -d"${secs}s" "$url" | awk '/Requests\/sec/ {print $2}')
  "${pin_load[@]}" "$gcpilot" load "$url" --rate max -c "$conns" -d "${secs}s" --json -q > "$bench_tmp/g.json"
  g=$(json_field "$bench_tmp/g.json" 'j["measured"]["achieved_rps"]')
  printf '  run %d: wrk %.0f/s  gcpilot %.0f/s\n' "$i" "$w" "$g"
  theirs+=("$w") ours+=("$g")
done
w=$(printf '%s\n' "${theirs[@]}" | median)
g=$(printf '%s\n' "${ours[@]}" | median)
echo "max throughput, GET /healthz of the bundled gateway, $conns connections, ${secs}s x $runs runs (median):"
printf '  anchor wrk -t1 -c%d    %.0f req/s\n' "$conns" "$w"
printf '  gcpilot load --rate max %.0f req/s\n' "$g"
awk -v g="$g" -v w="$w" 'BEGIN {printf "  ratio gcpilot/wrk %.3fx (goal >= 1.0x)\n", g / w}'
