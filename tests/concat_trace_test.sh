#!/usr/bin/env bash
# bench/concat_trace (the big-trace generator of bench/trace_big.sh):
# one copy of a real Go 1.26 trace is that trace byte for byte (so the
# rewrite keeps every field's width), and three copies are read by
# x/exp/trace through the whole first copy and the generation renumbering
# and time shift of the second's first batches, up to the goroutine states
# that do not follow on (its ordering checks states across generations;
# the generator does not fake them, see bench/concat_trace.cc).
#
# Usage: concat_trace_test.sh CONCAT TRACECHECK FIXTURE
# Exit status: 0 ok, 1 a check failed.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: concat_trace_test.sh CONCAT TRACECHECK FIXTURE" >&2; exit 2; }
concat=$1 tracecheck=$2 fixture=$3
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

[ -x "$tracecheck" ] || { echo "note: $tracecheck missing (needs Go >= 1.26): x/exp read-back not checked"; exit 0; }
one=$("$tracecheck" -read "$fixture" | cut -d' ' -f1)
rc=0
"$tracecheck" -read "$work/three.trace" >"$work/read.out" 2>"$work/read.err" || rc=$?
if [ "$rc" -eq 0 ]; then
  echo "ok   x/exp read all three copies: $(cat "$work/read.out")"
  exit 0
fi
read_events=$(sed -n 's/.*after \([0-9]*\) events: .*/\1/p' "$work/read.err")
if [ -z "$read_events" ] || [ "$read_events" -lt "$one" ]; then
  echo "FAIL: x/exp stopped inside the first copy ($one events): $(cat "$work/read.err")"
  exit 1
fi
echo "ok   x/exp read the first copy's $one events and $((read_events - one)) more, then: $(sed 's/.*events: //' "$work/read.err")"
