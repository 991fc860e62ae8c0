#!/usr/bin/env bash
# Captures an execution trace of the bundled gateway under load: the
# gateway on CPU 0, `gcpilot load` (the paygate request mix, open loop) on
# CPU 1, and after a warm-up /debug/pprof/trace?seconds=SECONDS into OUT.
# The fixtures in testdata/exectrace/ and the traces the benchmarks time
# are made with it (testdata/exectrace/README.md has the exact commands).
#
# Usage: bench/capture_trace.sh OUT SECONDS
#   SECONDS: a decimal number of seconds (0.3, 1, 8)
# Environment (all optional):
#   PAYGATE=build/paygate-go1.26  the gateway build (default build/paygate, Go 1.19)
#   RATE=2000                     requests/s, or "max" (gcpilot load --rate)
#   LIVE_MB=32                    the gateway's prefilled history (-live-mb)
#   GOGC, GOMAXPROCS, GODEBUG, GOMEMLIMIT reach the gateway (GOGC defaults to 25)
# Exit status: 0 captured, 1 a tool is missing or the gateway or the load failed, 2 usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/capture_trace.sh OUT SECONDS"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
out=$1 seconds=$2
[[ "$seconds" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "capture_trace: SECONDS \"$seconds\" is not a number; $usage" >&2; exit 2; }
paygate=${PAYGATE:-$root/build/paygate}
gcpilot="$root/build/src/cli/gcpilot"
rate=${RATE:-2000}
live_mb=${LIVE_MB:-32}
export GOGC=${GOGC:-25}
for tool in "$paygate" "$gcpilot"; do
  [ -x "$tool" ] || { echo "capture_trace: $tool missing: run scripts/setup.sh" >&2; exit 1; }
done
command -v curl >/dev/null || { echo "capture_trace: needs curl" >&2; exit 1; }

work=$(mktemp -d)
gateway_pid=
load_pid=
cleanup() {
  for pid in $load_pid $gateway_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $load_pid $gateway_pid; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
pin_gateway=() pin_load=()
if [ "$(nproc)" -ge 2 ]; then pin_gateway=(taskset -c 0) pin_load=(taskset -c 1); fi

# The request mix of workloads/paygate/load.toml, its order ids cut to the
# history this -live-mb prefills (one order per KiB), so lookups find orders.
orders=$((live_mb * 1024))
[ "$orders" -ge 1 ] || orders=1
cp "$root/workloads/paygate/pay.json" "$work/pay.json"
sed "s/rand:262144/rand:$orders/g" "$root/workloads/paygate/load.toml" >"$work/load.toml"

"${pin_gateway[@]}" "$paygate" -addr 127.0.0.1:0 -port-file "$work/port" -live-mb "$live_mb" \
  2>"$work/gateway.err" &
gateway_pid=$!
for _ in $(seq 600); do  # ready: the port file, then /healthz answers (60 s at most)
  [ -s "$work/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$work/port")/healthz" 2>/dev/null && break
  kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.err" >&2; echo "capture_trace: gateway exited early" >&2; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$(cat "$work/port")"
curl -fsS -o /dev/null "$url/healthz" || { echo "capture_trace: gateway not ready after 60 s" >&2; exit 1; }

# Load for the warm-up (2 s), the trace, and 2 s to spare.
load_s=$(awk -v s="$seconds" 'BEGIN { printf "%d", s + 4.999 }')
"${pin_load[@]}" "$gcpilot" load -q --rate "$rate" --duration "${load_s}s" -c 16 \
  --requests "$work/load.toml" "$url/" >"$work/load.out" 2>&1 &
load_pid=$!
sleep 2
curl -fsS -o "$out" "$url/debug/pprof/trace?seconds=$seconds"
wait "$load_pid" || { cat "$work/load.out" >&2; echo "capture_trace: gcpilot load failed" >&2; exit 1; }
load_pid=
echo "capture_trace: $out: $(stat -c %s "$out") bytes, $seconds s of $(head -c 16 "$out" | tr -d '\0')," \
  "GOGC=$GOGC${GOMAXPROCS:+ GOMAXPROCS=$GOMAXPROCS}${GODEBUG:+ GODEBUG=$GODEBUG}, rate $rate, live $live_mb MiB" >&2
