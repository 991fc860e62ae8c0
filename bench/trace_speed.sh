#!/usr/bin/env bash
# Benchmark (prints, never asserts): `gcpilot trace FILE --json` against the
# anchors on the same trace, in one run, median of RUNS repeats each:
#   v1 (Go 1.19 gateway, 16 s, ~10 MB): Go 1.19's `go tool trace -d FILE`,
#     which parses the whole trace into memory, prints every event and exits
#     (and, for reference, x/exp/trace, which converts v1 whole, in memory);
#   v2 (Go 1.26 gateway): Go 1.26's `go tool trace -d=parsed FILE` (its
#     streaming reader printing every event) and golang.org/x/exp/trace's
#     reader (build/tracecheck -read: every event read, nothing else).
# Prints MB/s and peak RSS of each, and our ratios against the goals of
# issue 11: >= 100x faster and <= 1/50 of the memory.
# The traces are captured once into build/bench-data/ (bench/capture_trace.sh,
# the busy gateway at the highest rate it keeps up with) and reused.
# Usage: bench/trace_speed.sh [RUNS]   (default 3)
# (16 s of trace: at this machine's full load the Go 1.19 gateway writes
# about 0.65 MB/s of trace, so 8 s give only 5 MB.)
set -euo pipefail
source "$(dirname "$0")/trace_bench_lib.sh"
runs=${1:-3}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/trace_speed.sh [RUNS]" >&2; exit 2; }
[ -x "$gcpilot" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
go119=/usr/lib/go-1.19/bin/go
[ -x "$go119" ] || { echo "bench: needs Go 1.19 at $go119 (Debian golang-1.19-go)" >&2; exit 1; }
trace119="$(dirname "$go119")/../pkg/tool/linux_amd64/trace"  # the tool itself: its RSS, not the go command's

seconds=16  # of trace: about 10 MB from the Go 1.19 gateway here
# capture FILE GATEWAY: a trace of the gateway at full load, once.
capture() {
  [ -s "$1" ] && return 0
  [ -x "$2" ] || { echo "bench: $2 missing (scripts/setup.sh builds it)" >&2; return 1; }
  echo "capturing $1 (about $((seconds + 6)) s) ..." >&2
  RATE=max LIVE_MB=64 PAYGATE=$2 "$root/bench/capture_trace.sh" "$1.tmp" "$seconds" && mv "$1.tmp" "$1"
}
have_verb=1
"$gcpilot" trace --help >/dev/null 2>&1 || { have_verb=0; echo "note: $gcpilot has no trace verb: its rows skipped"; }
# ours FILE: our row; sets ours_s, ours_kb (empty without the verb).
ours() {
  ours_s= ours_kb=
  [ "$have_verb" = 1 ] || return 0
  local r
  r=$(repeat_timed "$runs" "$gcpilot" trace "$1" --json)
  read -r ours_s ours_kb <<<"$r"
  row "gcpilot trace --json" "$(stat -L -c %s "$1")" "$ours_s" "$ours_kb"
}

v1="$data/paygate-go119-${seconds}s.trace"
capture "$v1" "$root/build/paygate"
bytes=$(stat -L -c %s "$v1")
cat "$v1" >/dev/null  # every tool reads from the page cache
echo "v1: $v1 ($(head -c 16 "$v1" | tr -d '\0'), $((bytes / 1000)) kB), median of $runs"
# The anchors first, so their figures print even where our verb fails.
r=$(repeat_timed "$runs" "$trace119" -d "$v1"); read -r go_s go_kb <<<"$r"
row "go 1.19 tool trace -d" "$bytes" "$go_s" "$go_kb"
if [ -x "$root/build/tracecheck" ]; then  # x/exp converts a v1 trace whole, in memory
  r=$(repeat_timed "$runs" "$root/build/tracecheck" -read "$v1"); read -r x1_s x1_kb <<<"$r"
  row "x/exp/trace reader (tracecheck -read)" "$bytes" "$x1_s" "$x1_kb"
fi
ours "$v1"
if [ -n "$ours_s" ]; then
  ratio "$ours_s" "$ours_kb" "$go_s" "$go_kb" "go 1.19 tool trace -d" 100 50
  [ -z "${x1_s:-}" ] || ratio "$ours_s" "$ours_kb" "$x1_s" "$x1_kb" "x/exp/trace reader (v1)" 100 50
fi

go_new=$(sed -n 's/^GCPILOT_PAYGATE_NEW:INTERNAL=//p' "$root/build/CMakeCache.txt")
if [ -z "$go_new" ] || ! command -v go >/dev/null; then
  echo "v2: skipped: no newer Go gateway build (scripts/setup.sh with Go >= 1.22 on PATH)"
  exit 0
fi
v2="$data/paygate-$(basename "$go_new" | sed 's/^paygate-//')-${seconds}s.trace"
capture "$v2" "$go_new"
bytes=$(stat -L -c %s "$v2")
cat "$v2" >/dev/null
trace_new=$(go tool -n trace)  # built on first use by Go 1.24+
echo "v2: $v2 ($(head -c 16 "$v2" | tr -d '\0'), $((bytes / 1000)) kB), median of $runs"
r=$(repeat_timed "$runs" "$trace_new" -d=parsed "$v2"); read -r go_s go_kb <<<"$r"
row "$(go env GOVERSION) tool trace -d=parsed" "$bytes" "$go_s" "$go_kb"
if [ -x "$root/build/tracecheck" ]; then
  r=$(repeat_timed "$runs" "$root/build/tracecheck" -read "$v2"); read -r x_s x_kb <<<"$r"
  row "x/exp/trace reader (tracecheck -read)" "$bytes" "$x_s" "$x_kb"
fi
ours "$v2"
[ -z "$ours_s" ] && exit 0
ratio "$ours_s" "$ours_kb" "$go_s" "$go_kb" "go tool trace -d=parsed" 100 50
if [ -x "$root/build/tracecheck" ]; then
  ratio "$ours_s" "$ours_kb" "$x_s" "$x_kb" "x/exp/trace reader" 100 50
fi
