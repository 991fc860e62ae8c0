#!/usr/bin/env bash
# docs/glossary.md explains the terms gcpilot's output uses that a new user
# could misread. Each term below is checked twice: the code that prints it
# still has it (when the output stops saying it, this list and the glossary
# are updated together), and the glossary explains it: the term is in one
# of its **bold** entry names.
# Usage: glossary_test.sh SOURCE_DIR
set -euo pipefail
src=$1
# The glossary's entry names: every **bold** span, one a line.
entries=$(grep -o '\*\*[^*]*\*\*' "$src/docs/glossary.md")
fail=0

# FILE (under src/) | TERM as the output prints it
terms='
gclog/gctrace_report.cc|skipped
gclog/gctrace_report.cc|scavenger
gclog/gctrace_report.cc|pacer
gclog/gctrace_report.cc|other
gclog/gctrace_report.cc|(last line cut off)
gclog/gctrace_report.cc|overlong
gclog/gctrace_report.cc|left out
gclog/gctrace_report.cc|scan+sync
gclog/gctrace_report.cc|span
gclog/gctrace_report.cc|cycles/s
gclog/gctrace_report.cc|forced
gclog/gctrace_report.cc|processes
gclog/gctrace_report.cc|missing numbers
gclog/gctrace_report.cc|STW sweep termination
gclog/gctrace_report.cc|STW mark termination
gclog/gctrace_report.cc|STW total
gclog/gctrace_report.cc|concurrent mark
gclog/gctrace_report.cc|live (marked)
gclog/gctrace_report.cc|at trigger (start)
gclog/gctrace_report.cc|at mark termination
gclog/gctrace_report.cc|over goal
gclog/gctrace_report.cc|goal/previous live
gclog/gctrace_report.cc|stacks max
gclog/gctrace_report.cc|printed
gclog/gctrace_report.cc|of capacity
gclog/gctrace_report.cc|wall time in GC
gclog/gctrace_report.cc|GC CPU split
gclog/gctrace_report.cc|assist
gclog/gctrace_report.cc|background
gclog/gctrace_report.cc|(not counted)
gclog/gctrace_report.cc|CRITICAL
gclog/gctrace_report.cc|warning
gclog/gctrace_report.cc|info
loadgen/load_report.cc|warm-up
loadgen/load_report.cc|ABORTED
loadgen/load_report.cc|asked
loadgen/load_report.cc|achieved
loadgen/load_report.cc|closed loop
loadgen/load_report.cc|connection attempts that failed
loadgen/load_report.cc|corrected
loadgen/load_report.cc|uncorrected
loadgen/load_report.cc|most requests queued
loadgen/load_report.cc|connections closed by the server
loadgen/engine.cc|non_2xx
loadgen/engine.cc|malformed
loadgen/engine.cc|aborted
analysis/analysis_text.cc|sd
analysis/analysis_text.cc|peak RSS
analysis/analysis_text.cc|GC CPU
analysis/analysis_text.cc|main effects
analysis/analysis_text.cc|of variance
analysis/analysis_text.cc|residual
analysis/analysis_text.cc|Pareto front
analysis/analysis_text.cc|default setting
analysis/analysis_text.cc|verification runs
analysis/analysis_text.cc|Welch t-test p
analysis/analysis_text.cc|run-to-run noise
analysis/analysis_text.cc|(unset)
model/run_result.h|baseline
model/run_result.h|confirm
model/run_result.h|refine
model/run_result.h|verify
model/run_result.h|pending
report/report.cc|heat maps
report/report.cc|worst
'
while IFS='|' read -r file term; do
  [ -n "$file" ] || continue
  if ! grep -qF -- "$term" "$src/src/$file"; then
    echo "glossary_test: src/$file no longer prints \"$term\": update docs/glossary.md and this list" >&2
    fail=1
  fi
  if ! grep -qiF -- "$term" <<<"$entries"; then
    echo "glossary_test: docs/glossary.md does not explain \"$term\" (printed by src/$file)" >&2
    fail=1
  fi
done <<<"$terms"
[ $fail = 0 ] && echo "glossary_test: $(grep -c '|' <<<"$terms") terms explained"
exit $fail
