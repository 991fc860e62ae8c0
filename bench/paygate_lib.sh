# Sourced by the load benchmarks: starts the bundled gateway pinned to CPU 0
# (the load tools run on CPU 1), exports PAYGATE_PID and PAYGATE_URL, and
# stops it on exit.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gcpilot="$root/build/src/cli/gcpilot"
paygate="$root/build/paygate"
[ -x "$gcpilot" ] && [ -x "$paygate" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: needs wrk (Debian package wrk)" >&2; exit 1; }
pin_server=() pin_load=()
if [ "$(nproc)" -ge 2 ]; then pin_server=(taskset -c 0) pin_load=(taskset -c 1); fi
bench_tmp=$(mktemp -d)
PAYGATE_PID=
stop_paygate() {
  if [ -n "$PAYGATE_PID" ]; then
    kill -CONT "$PAYGATE_PID" 2>/dev/null || true
    kill -TERM "$PAYGATE_PID" 2>/dev/null || true
    wait "$PAYGATE_PID" 2>/dev/null || true
  fi
  rm -rf "$bench_tmp"
}
trap stop_paygate EXIT
start_paygate() {  # start_paygate LIVE_MB
  "${pin_server[@]}" "$paygate" -addr 127.0.0.1:0 -port-file "$bench_tmp/port" -live-mb "$1" 2>"$bench_tmp/paygate.err" &
  PAYGATE_PID=$!
  for _ in $(seq 300); do
    [ -s "$bench_tmp/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$bench_tmp/port")/healthz" 2>/dev/null && break
    sleep 0.1
  done
  PAYGATE_URL="http://127.0.0.1:$(cat "$bench_tmp/port")"
  curl -fsS -o /dev/null "$PAYGATE_URL/healthz" || { echo "bench: gateway not ready" >&2; exit 1; }
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
json_field() {  # json_field FILE python-expression-on-j
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}
