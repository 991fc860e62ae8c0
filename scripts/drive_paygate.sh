#!/usr/bin/env bash
# Runs the bundled gateway with GODEBUG=gctrace=1 under a constant-connection
# wrk load of signed /v1/pay requests and keeps its stderr (gctrace lines
# interleaved with the gateway's own) in a log file.
#
# Usage: scripts/drive_paygate.sh LOG [SECONDS [LIVE_MB [FORCED_GCS]]]
# GOGC, GOMEMLIMIT, GOMAXPROCS, PAYGATE_POOL, PAYGATE_PRESIZE in the
# environment reach the gateway. On 2+ CPUs the gateway runs on CPU 0 and
# wrk on CPU 1.
# PAYGATE=build/paygate-go1.26 drives another gateway build (default
# build/paygate, Go 1.19); GCTRACE=2 sets GODEBUG=gctrace=2 (default 1);
# METRICS=FILE keeps a /metrics scrape taken right after the load (before
# the forced cycles).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: drive_paygate.sh LOG [SECONDS [LIVE_MB [FORCED_GCS]]]"
[ $# -ge 1 ] && [ $# -le 4 ] || { echo "$usage" >&2; exit 2; }
log=$1
seconds=${2:-10}
live_mb=${3:-128}
forced=${4:-0}
for arg in "seconds=$seconds" "live_mb=$live_mb" "forced_gcs=$forced"; do
  [[ "${arg#*=}" =~ ^[0-9]+$ ]] || { echo "drive_paygate: ${arg%%=*} \"${arg#*=}\" is not a whole number; $usage" >&2; exit 2; }
done
[ "$seconds" -ge 1 ] || { echo "drive_paygate: seconds must be at least 1" >&2; exit 2; }
log_dir=$(dirname "$log")
[ -d "$log_dir" ] || { echo "drive_paygate: $log: its folder $log_dir does not exist" >&2; exit 1; }
paygate=${PAYGATE:-$root/build/paygate}
gctrace=${GCTRACE:-1}
metrics=${METRICS:-}
[ -x "$paygate" ] || { echo "drive_paygate: $paygate missing: run scripts/setup.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "drive_paygate: wrk missing: run scripts/setup.sh" >&2; exit 1; }

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pin_service=() pin_load=()
if [ "$(nproc)" -ge 2 ]; then pin_service=(taskset -c 0) pin_load=(taskset -c 1); fi

GODEBUG=gctrace=$gctrace "${pin_service[@]}" "$paygate" -addr 127.0.0.1:0 \
  -port-file "$work/port" -live-mb "$live_mb" 2>"$log" &
pid=$!
for _ in $(seq 600); do  # readiness: port file, then /healthz 200 (60 s at most)
  if [ -s "$work/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$work/port")/healthz" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "drive_paygate: gateway exited early; its log: $log" >&2; exit 1; }
  sleep 0.1
done
port=$(cat "$work/port")
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "drive_paygate: gateway not ready after 60 s" >&2; exit 1; }

{ read -r body; read -r sig; } < <("$paygate" -print-sample pay)
cat >"$work/pay.lua" <<LUA
local n = 0
local id = tostring(math.random(1e9))
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/pay", {["Content-Type"] = "application/json",
    ["X-Signature"] = "$sig", ["Idempotency-Key"] = "k-" .. id .. "-" .. n}, [[$body]])
end
LUA
echo "drive_paygate: $seconds s of signed /v1/pay at 16 connections against 127.0.0.1:$port" >&2
"${pin_load[@]}" wrk -t1 -c16 -d"${seconds}s" -s "$work/pay.lua" "http://127.0.0.1:$port/" >"$work/wrk.out"
grep -E 'Requests/sec|Non-2xx|Socket errors' "$work/wrk.out" | sed 's/^/drive_paygate: wrk: /' >&2 || true
if [ -n "$metrics" ]; then curl -fsS -o "$metrics" "http://127.0.0.1:$port/metrics"; fi
for _ in $(seq "$forced"); do  # runtime.GC() via pprof: a "(forced)" line each
  curl -fsS -o /dev/null "http://127.0.0.1:$port/debug/pprof/heap?gc=1"
done
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" -eq 0 ] || { echo "drive_paygate: gateway exited $rc after SIGTERM" >&2; exit 1; }
echo "drive_paygate: $(grep -c '^gc ' "$log") GC cycles logged to $log" >&2
