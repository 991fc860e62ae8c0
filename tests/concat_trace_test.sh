#!/usr/bin/env bash
# bench/concat_trace (the big-trace generator of bench/trace_big.sh):
# one copy of a real Go 1.26 trace is that trace byte for byte (so the
# rewrite keeps every field's width); of three copies, `gcpilot trace
# --json` reads all three (every count but goroutines three times one
# copy's: the copies repeat goroutine ids), and x/exp/trace reads the whole
# first copy and exactly SECOND_EVENTS events of the second, then stops
# with its inconsistent-status error ("failed to advance": no goroutine's
# status follows on): the copies repeat goroutine ids with states that do
# not follow on from the previous copy's end, and x/exp checks goroutine
# states across generations (we do not; see bench/concat_trace.cc).
#
# Usage: concat_trace_test.sh CONCAT GCPILOT TRACECHECK FIXTURE SECOND_EVENTS
# Exit status: 0 ok, 1 a check failed.
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: concat_trace_test.sh CONCAT GCPILOT TRACECHECK FIXTURE SECOND_EVENTS" >&2; exit 2; }
concat=$1 gcpilot=$2 tracecheck=$3 fixture=$4 second=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$concat" "$fixture" "$work/one.trace" 0 2>/dev/null
cmp "$fixture" "$work/one.trace" || { echo "FAIL: one copy differs from $fixture"; exit 1; }
echo "ok   one copy is the input, byte for byte"

size=$(stat -c %s "$fixture")
"$concat" "$fixture" "$work/three.trace" $((2 * size + 1)) 2>"$work/concat.err"
grep -q ': 3 copies of ' "$work/concat.err" || { echo "FAIL: expected 3 copies: $(cat "$work/concat.err")"; exit 1; }
cmp -n "$size" "$fixture" "$work/three.trace" || { echo "FAIL: the first of three copies differs from $fixture"; exit 1; }
# Later copies may be a few bytes longer: their larger generation numbers
# and times can take one more varint byte.
least=$((3 * size - 2 * 16))
got=$(stat -c %s "$work/three.trace")
[ "$got" -ge "$least" ] || { echo "FAIL: three copies are $got bytes, fewer than $least"; exit 1; }
echo "ok   three copies: $got bytes, the first one the input itself"

# Ours: every copy read, each count three times one copy's.
"$gcpilot" trace "$fixture" --json >"$work/one.json" || { echo "FAIL: gcpilot trace on one copy failed"; exit 1; }
"$gcpilot" trace "$work/three.trace" --json >"$work/three.json" 2>"$work/three.err" ||
  { echo "FAIL: gcpilot trace on three copies failed: $(head -c 300 "$work/three.err")"; exit 1; }
python3 - "$work/one.json" "$work/three.json" <<'PY' || exit 1
import json, sys
one, three = (json.load(open(p))["counts"] for p in sys.argv[1:3])
bad = []
for key in ("gc_cycles", "stw_pauses", "mark_assists", "sweeps", "tasks", "regions"):
    if three[key] != 3 * one[key]:
        bad.append(f"{key}: {three[key]}, not 3 x {one[key]}")
if bad:
    print("FAIL: gcpilot trace on three copies: " + "; ".join(bad))
    sys.exit(1)
print("ok   gcpilot read all three copies: " + ", ".join(f"{k} {three[k]} = 3 x {one[k]}"
                                                      for k in ("gc_cycles", "stw_pauses", "mark_assists", "sweeps", "tasks")))
PY

[ -x "$tracecheck" ] || { echo "note: $tracecheck missing (needs Go >= 1.26): x/exp read-back not checked"; exit 0; }
# x/exp: the whole first copy, then `second` events of the next, then its state check.
one=$("$tracecheck" -read "$fixture" | cut -d' ' -f1)
rc=0
"$tracecheck" -read "$work/three.trace" >"$work/read.out" 2>"$work/read.err" || rc=$?
if [ "$rc" -eq 0 ]; then
  echo "FAIL: x/exp read all three copies ($(cat "$work/read.out")): its goroutine state checks changed; update this test"
  exit 1
fi
[ "$rc" -eq 1 ] || { echo "FAIL: tracecheck exit $rc (a crash?): $(cat "$work/read.err")"; exit 1; }
read_events=$(sed -n 's/.*after \([0-9]*\) events: .*/\1/p' "$work/read.err")
if [ "$read_events" != "$((one + second))" ]; then
  echo "FAIL: x/exp stopped after ${read_events:-?} events, not after the first copy's $one and $second more:" \
    "$(head -c 300 "$work/read.err")"
  exit 1
fi
known="broken trace: failed to advance: frontier:"
grep -q -- "$known" "$work/read.err" ||
  { echo "FAIL: x/exp stopped with another error than \"$known\": $(head -c 300 "$work/read.err")"; exit 1; }
echo "ok   x/exp read the first copy's $one events and $second more, then: $(head -n 1 "$work/read.err" | sed 's/.*events: //')"
