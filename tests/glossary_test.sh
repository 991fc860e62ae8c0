#!/usr/bin/env bash
# docs/glossary.md explains the terms gcpilot's output uses that a new user
# could misread. Each term below is checked twice: gcpilot's real output
# still prints it, as a whole word (when the output stops saying it, this
# list and the glossary are updated together), and the glossary explains
# it: the term is in one of its **bold** entry names.
# Real output is a golden under testdata/golden/ (whole-program output the
# cli and report tests keep current) or "load": what `gcpilot load` prints
# against a small loopback server this test starts (200, 404, a malformed
# answer, a server that dies at its first request). The phases confirm and
# refine are left out: only a real study's runs print them (no golden
# holds such runs).
# Usage: glossary_test.sh SOURCE_DIR GCPILOT
set -euo pipefail
src=$1
gcpilot=$2
entries=$(grep -o '\*\*[^*]*\*\*' "$src/docs/glossary.md")
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail=0

# A server whose paths answer 200, 404, bytes that are no HTTP, or end it.
cat >"$work/server.py" <<'PY'
import http.server, os, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/bad":
            self.wfile.write(b"not http\r\n\r\n")
            return
        if self.path == "/die":
            os._exit(0)
        self.send_response(404 if self.path == "/404" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
python3 "$work/server.py" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -f "$work/port" ] && break; sleep 0.1; done
url=http://127.0.0.1:$(cat "$work/port")
printf '[[request]]\npath = "/ok"\n[[request]]\npath = "/bad"\n[[request]]\npath = "/404"\n' >"$work/mix.toml"
{
  "$gcpilot" load -q "$url/" --requests "$work/mix.toml" --rate 50 -d 1s --warmup 1s -c 2 || true
  "$gcpilot" load -q "$url/ok" --rate max -d 1s -c 1 || true
  "$gcpilot" load -q "$url/die" --rate 50 -d 1s -c 1 || true
} >"$work/load.txt" 2>&1

# SOURCE (a golden, or load) | TERM as that output prints it
terms='
gctrace_mixed_table.txt|skipped
gctrace_mixed_table.txt|scavenger
gctrace_mixed_table.txt|pacer
gctrace_mixed_table.txt|other
gctrace_mixed_table.txt|(last line cut off)
gctrace_overlong_table.txt|overlong
gctrace_unsummed_table.txt|left out
gctrace_go15_table.txt|scan+sync
gctrace_go15_table.txt|span
gctrace_go15_table.txt|cycles/s
gctrace_go15_table.txt|forced
gctrace_go15_table.txt|processes
gctrace_go15_table.txt|missing numbers
gctrace_go15_table.txt|STW sweep termination
gctrace_go15_table.txt|STW mark termination
gctrace_go15_table.txt|STW total
gctrace_go15_table.txt|concurrent mark
gctrace_go15_table.txt|live (marked)
gctrace_go15_table.txt|at trigger (start)
gctrace_go15_table.txt|at mark termination
gctrace_go15_table.txt|over goal
gctrace_go15_table.txt|goal/previous live
gctrace_go15_table.txt|stacks max
gctrace_go15_table.txt|printed
gctrace_go15_table.txt|of capacity
gctrace_go15_table.txt|wall time in GC
gctrace_go15_table.txt|GC CPU split
gctrace_go15_table.txt|assist
gctrace_go15_table.txt|background
gctrace_go15_table.txt|(not counted)
gctrace_paygate_memlimit_table.txt|CRITICAL
gctrace_go15_table.txt|warning
gctrace_one_cycle_table.txt|info
load|warm-up
load|ABORTED
load|asked
load|achieved
load|closed loop
load|connection attempts that failed
load|corrected
load|uncorrected
load|most requests queued
load|connections closed by the server
load|non_2xx
load|malformed
load|aborted
report_full.html|sd
report_full.html|peak RSS
report_full.html|GC CPU
report_full.html|Main effects
report_full.html|of variance
report_full.html|Pareto front
tune_factor_then_command.txt|default setting
report_full.html|verification runs
report_full.html|Welch t-test p
report_full.html|run-to-run noise
report_full.html|(unset)
report_full.html|baseline
report_full.html|verify
report_full.html|pending
report_full.html|heat maps
report_full.html|worst
report_full.html|latency over time
report_full.html|measured window
report_full.html|due during
report_full.html|above the P99
report_full.html|Recovery N
report_full.html|GC excess per cycle
report_full.html|Clocks aligned within
report_full.html|GC periods per run
report_full.html|latency measured over
report_full.html|whole GC periods
report_full.html|steady-state estimate
report_full.html|steady-state estimate inputs
report_full.html|not whole
tune_resume_issue10.txt|periods
tune_resume_issue10.txt|GC periods
tune_resume_issue10.txt|~ estimated
tune_resume_issue10.txt|by median
tune_resume_issue10.txt|scaled MADs
tune_resume_issue10.txt|Mann-Whitney rank test
exectrace_two_cycles_table.txt|generations
exectrace_two_cycles_table.txt|under way at the start
exectrace_two_cycles_table.txt|cut at the end
exectrace_two_cycles_table.txt|conc. mark
exectrace_two_cycles_table.txt|STW sweep
exectrace_two_cycles_table.txt|STW mark
exectrace_two_cycles_table.txt|stop-the-world
exectrace_two_cycles_table.txt|mark assists
exectrace_two_cycles_table.txt|outside a cycle
exectrace_two_cycles_table.txt|sweeps
exectrace_two_cycles_table.txt|starts in
exectrace_two_cycles_table.txt|payers
exectrace_two_cycles_table.txt|minimum mutator utilization
exectrace_two_cycles_table.txt|worst window
exectrace_two_cycles_table.txt|longer than the trace
'
while IFS='|' read -r source term; do
  [ -n "$source" ] || continue
  out=$src/testdata/golden/$source
  [ "$source" = load ] && out=$work/load.txt
  if ! grep -qwF -- "$term" "$out"; then
    echo "glossary_test: gcpilot's output ($source) no longer prints \"$term\": update docs/glossary.md and this list" >&2
    fail=1
  fi
  if ! grep -qiF -- "$term" <<<"$entries"; then
    echo "glossary_test: docs/glossary.md does not explain \"$term\" (printed in $source)" >&2
    fail=1
  fi
done <<<"$terms"
# Output the glossary quotes as an example: SOURCE | the quoted text.
quoted='
report_full.html|sd 0.120 over 3 verification runs
report_single.html|sd 0.099 over 2 design runs
'
while IFS='|' read -r source text; do
  [ -n "$source" ] || continue
  if ! grep -qF -- "\`$text\`" "$src/docs/glossary.md"; then
    echo "glossary_test: docs/glossary.md no longer quotes \"$text\": update this list" >&2
    fail=1
  fi
  if ! grep -qF -- "$text" "$src/testdata/golden/$source"; then
    echo "glossary_test: docs/glossary.md quotes \"$text\", which $source does not print" >&2
    fail=1
  fi
done <<<"$quoted"
[ $fail = 0 ] && echo "glossary_test: $(grep -c '|' <<<"$terms") terms printed and explained"
exit $fail
