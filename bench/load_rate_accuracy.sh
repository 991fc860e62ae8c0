#!/usr/bin/env bash
# Benchmark: how close the achieved rate comes to the asked rate at 10k
# req/s (goal: within 1%), with the schedule's own count as the anchor.
# Usage: bench/load_rate_accuracy.sh [RATE [SECONDS]]
set -euo pipefail
source "$(dirname "$0")/paygate_lib.sh"
rate=${1:-10000} secs=${2:-10}
start_paygate 64
"${pin_load[@]}" "$gcpilot" load "$PAYGATE_URL/healthz" --rate "$rate" -d "${secs}s" --warmup 1s --json -q > "$bench_tmp/r.json"
asked=$(json_field "$bench_tmp/r.json" 'j["measured"]["asked_rps"]')
got=$(json_field "$bench_tmp/r.json" 'j["measured"]["achieved_rps"]')
due=$(json_field "$bench_tmp/r.json" 'j["measured"]["due"]')
resp=$(json_field "$bench_tmp/r.json" 'j["measured"]["responses"]')
p99=$(json_field "$bench_tmp/r.json" 'j["measured"]["latency_corrected"]["p99_ms"]')
echo "rate accuracy, GET /healthz of the bundled gateway, ${secs}s:"
printf '  asked    %.1f req/s (%d requests due)\n' "$asked" "$due"
printf '  achieved %.1f req/s (%d responses), corrected p99 %.3f ms\n' "$got" "$resp" "$p99"
awk -v g="$got" -v a="$asked" 'BEGIN {d = 100 * (g - a) / a; if (d < 0) d = -d;
  printf "  ratio achieved/asked %.4f (off by %.2f%%; goal within 1%%)\n", g / a, d}'
