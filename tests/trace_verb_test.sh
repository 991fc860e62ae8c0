#!/usr/bin/env bash
# gcpilot trace on a real trace: testdata/exectrace/verb-paygate-go126.trace,
# 0.25 s of the bundled gateway (built with Go 1.26, GOMAXPROCS=2, -live-mb
# 16) under 800 req/s, from /debug/pprof/trace?seconds=0.25. Go 1.26's own
# reader (`go tool trace -d=parsed`) counts in it: 1 GC cycle, 3
# stop-the-worlds (start trace, GC sweep termination, GC mark termination),
# no mark assist and no sweep range, 201 tasks. Checks the JSON, the CSV,
# the SVG and the Perfetto file, a copy cut short (analysed, warned, exit 0)
# and stdin.
# Usage: trace_verb_test.sh GCPILOT (run in the source directory)
set -uo pipefail
gcpilot=$1
trace=testdata/exectrace/verb-paygate-go126.trace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

out=$("$gcpilot" trace --json --mmu-svg "$tmp/mmu.svg" --perfetto "$tmp/gc.json" "$trace" 2>"$tmp/err")
rc=$?
[ $rc = 0 ] || bad "gcpilot trace --json: exit $rc: $(cat "$tmp/err")"
python3 - "$out" <<'PY' || fail=1
import json, sys
j = json.loads(sys.argv[1])
want = {"gc_cycles": 1, "stw_pauses": 3, "mark_assists": 0, "sweeps": 0, "tasks": 201}
got = {k: j["counts"][k] for k in want}
if got != want: sys.exit(f"FAIL: counts {got}, expected {want}")
t = j["trace"]
if (t["version"], t["format"], t["bytes"], t["truncated_at"]) != ("go 1.26", 2, 67355, None):
    sys.exit(f"FAIL: trace {t}")
reasons = sorted(r["reason"] for r in j["stw"]["by_reason"])
if reasons != ["GC mark termination", "GC sweep termination", "start trace"]: sys.exit(f"FAIL: reasons {reasons}")
if [p["window_ns"] for p in j["mmu"]][:2] != [100000, 200000] or len(j["mmu"]) != 13: sys.exit("FAIL: mmu windows")
if "requests" not in j: sys.exit("FAIL: no requests key")
PY
grep -q '^<svg ' "$tmp/mmu.svg" && grep -q '</svg>' "$tmp/mmu.svg" || bad "--mmu-svg wrote no SVG"
python3 - "$tmp/gc.json" <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
names = [e["name"] for e in doc["traceEvents"]]
for want in ("GC cycles", "stop-the-world", "concurrent mark", "GC sweep termination"):
    if not any(n == want or (e.get("args") or {}).get("name") == want for n, e in zip(names, doc["traceEvents"])):
        sys.exit(f"FAIL: --perfetto has no {want!r}")
PY
rows=$("$gcpilot" trace --csv mmu "$trace" | wc -l)
[ "$rows" = 14 ] || bad "--csv mmu: $rows lines, expected a header and 13 windows"
# (into a file: grep -q closing the pipe early would fail gcpilot's write under pipefail)
"$gcpilot" trace - <"$trace" >"$tmp/stdin.txt" || bad "trace - exited $?"
grep -q '^trace: <stdin>' "$tmp/stdin.txt" || bad "trace - did not read stdin"

# Cut short inside a batch: what comes before is analysed, exit 0, the
# offset named.
head -c 40000 "$trace" >"$tmp/cut.trace"
"$gcpilot" trace --json "$tmp/cut.trace" >"$tmp/cut.json" 2>"$tmp/cut.err"
rc=$?
[ $rc = 0 ] || bad "cut trace: exit $rc"
grep -q "warning: the trace is cut off at byte offset" "$tmp/cut.err" || bad "cut trace: no warning: $(cat "$tmp/cut.err")"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["trace"]["truncated_at"] is not None' \
  "$tmp/cut.json" || bad "cut trace: truncated_at is null"
# A trace that cannot be read leaves an existing --perfetto file as it was.
echo '{"old": true}' >"$tmp/keep.json"
"$gcpilot" trace --perfetto "$tmp/keep.json" testdata/exectrace/go124-header.trace >/dev/null 2>"$tmp/keep.err"
rc=$?
[ $rc = 1 ] || bad "--perfetto on an unreadable trace: exit $rc, expected 1"
[ "$(cat "$tmp/keep.json")" = '{"old": true}' ] || bad "--perfetto on an unreadable trace replaced the old file"
[ $fail = 0 ] && echo "trace_verb_test: ok"
exit $fail
