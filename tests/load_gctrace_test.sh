#!/usr/bin/env bash
# gcpilot load --gctrace: the real bundled gateway writes its gctrace to a
# file while gcpilot loads it; the measured requests are joined to the GC.
# Invariants only (cycle times depend on scheduling): the clocks were
# aligned from lines seen during the load, every answered request falls in
# exactly one phase, the slow requests' classes add up, and the table says
# the same as the JSON. Also: a missing --gctrace file is refused before
# any load (exit 1, the path named).
# Usage: load_gctrace_test.sh GCPILOT BUILD_DIR   (run in the source directory)
set -uo pipefail
gcpilot=$1
build=$2
tmp=$(mktemp -d)
gateway=
cleanup() {
  [ -n "$gateway" ] && kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# A small history and GOGC=25: a cycle every few hundred ms at 2000/s.
GODEBUG=gctrace=1 GOGC=25 "$build/paygate" -addr 127.0.0.1:0 -port-file "$tmp/port" -live-mb 16 \
  -order-ttl 2s -idem-ttl 2s 2>"$tmp/gc.log" &
gateway=$!
for _ in $(seq 600); do
  [ -s "$tmp/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$tmp/port")/healthz" 2>/dev/null && break
  kill -0 "$gateway" 2>/dev/null || { echo "load_gctrace: the gateway exited: $(cat "$tmp/gc.log")"; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$(cat "$tmp/port")/v1/orders/ord_{rand:16384}"

"$gcpilot" load "$url" --rate 2000 --duration 4s --warmup 1s -q --json --gctrace "$tmp/gc.log" >"$tmp/out.json" \
  2>"$tmp/err" || fail "load --gctrace --json: exit $? ($(cat "$tmp/err"))"
python3 - "$tmp/out.json" <<'PY' || fail "load --gctrace --json: the join's invariants (above)"
import json, sys
j = json.load(open(sys.argv[1]))
g = j["gctrace"]
assert g["aligned"], g
assert g["alignment"]["method"] == "line arrival" and g["alignment"]["lines"] >= 1, g["alignment"]
a = g["attribution"]
answered = j["responses"] if "responses" in j else j["measured"]["responses"]
phases = sum(p["requests"] for p in a["phases"].values())
assert phases == answered, (phases, answered)
s = a["slow"]
assert s["met_stw"] + s["due_in_mark"] + s["in_recovery"] + s["no_gc"] == s["requests"], s
assert a["window"]["min_periods"] == 0 and not a["window"]["whole_periods"], a["window"]
assert len(a["cycles"]) == a["window"]["periods"] + 1 or len(a["cycles"]) == a["window"]["periods"], a["window"]
PY

"$gcpilot" load "$url" --rate 1000 --duration 2s -q --gctrace "$tmp/gc.log" >"$tmp/out.txt" 2>"$tmp/err" ||
  fail "load --gctrace: exit $?"
grep -q "^GC attribution ($tmp/gc.log: " "$tmp/out.txt" || fail "load --gctrace: no attribution heading: $(cat "$tmp/out.txt")"
grep -q "clocks aligned by when" "$tmp/out.txt" || fail "load --gctrace: the alignment is not stated"
grep -q "above the P99" "$tmp/out.txt" || fail "load --gctrace: no slow-request sentence"

# A file with no gctrace line: the load runs, the join cannot: exit 1.
echo "not a gctrace" >"$tmp/notes.txt"
"$gcpilot" load "$url" --rate 100 --duration 1s -q --gctrace "$tmp/notes.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "a file without gctrace lines: exit $rc, want 1"
grep -q -- "--gctrace $tmp/notes.txt: holds no gctrace line" "$tmp/err" || fail "no gctrace lines: $(cat "$tmp/err")"

# The gateway restarted onto the same file (2>>): only the new process's
# cycles count, and the output says so.
kill "$gateway" && wait "$gateway" 2>/dev/null
GODEBUG=gctrace=1 GOGC=25 "$build/paygate" -addr 127.0.0.1:0 -port-file "$tmp/port2" -live-mb 16 \
  -order-ttl 2s -idem-ttl 2s 2>>"$tmp/gc.log" &
gateway=$!
for _ in $(seq 600); do
  [ -s "$tmp/port2" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$tmp/port2")/healthz" 2>/dev/null && break
  sleep 0.1
done
url2="http://127.0.0.1:$(cat "$tmp/port2")/v1/orders/ord_{rand:16384}"
"$gcpilot" load "$url2" --rate 2000 --duration 3s -q --json --gctrace "$tmp/gc.log" >"$tmp/restart.json" 2>"$tmp/err" ||
  fail "load after a restart: exit $? ($(cat "$tmp/err"))"
python3 - "$tmp/restart.json" <<'PY' || fail "load after a restart: the old process's cycles were used"
import json, sys
g = json.load(open(sys.argv[1]))["gctrace"]
assert g["restarts"] >= 1, g
assert g["aligned"], g
PY

"$gcpilot" load "$url" --rate 100 --duration 1s -q --gctrace "$tmp/missing.log" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "a missing --gctrace file: exit $rc, want 1"
grep -q -- "--gctrace $tmp/missing.log" "$tmp/err" || fail "a missing --gctrace file is not named: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "a missing --gctrace file still ran the load: $(cat "$tmp/out")"

if [ "$failures" -eq 0 ]; then echo "load_gctrace: the join holds"; fi
exit $((failures > 0))
