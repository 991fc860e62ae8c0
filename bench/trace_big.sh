#!/usr/bin/env bash
# Benchmark (prints, never asserts): `gcpilot trace FILE --json` on a
# >= 1 GB v2 trace made by bench/concat_trace from the generations of a
# real Go 1.26 capture (the one bench/trace_speed.sh makes, captured here
# if absent), and on a 0.25 GB one made the same way. Prints MB/s (goal
# >= 200) and peak RSS of both: the memory must not grow with the file, so
# the two peaks should be about equal. Median of RUNS repeats.
# The copies repeat the capture's goroutine ids with states that do not
# follow on from one copy to the next, so only a reader that does not
# validate goroutine states across generations reads them whole: ours does
# not validate them (golang.org/x/exp/trace does, and stops in the second
# copy; tests/concat_trace_test.sh pins both).
# Usage: bench/trace_big.sh [RUNS [BYTES]]   (default 3, 1100000000)
set -euo pipefail
source "$(dirname "$0")/trace_bench_lib.sh"
runs=${1:-3}
big=${2:-1100000000}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] && [[ "$big" =~ ^[0-9]+$ ]] || { echo "usage: bench/trace_big.sh [RUNS [BYTES]]" >&2; exit 2; }
concat="$root/build/bench/concat_trace"
[ -x "$gcpilot" ] && [ -x "$concat" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
go_new=$(sed -n 's/^GCPILOT_PAYGATE_NEW:INTERNAL=//p' "$root/build/CMakeCache.txt")
[ -n "$go_new" ] || { echo "bench: needs the newer Go gateway build (scripts/setup.sh with Go >= 1.22 on PATH)" >&2; exit 1; }

seconds=16
src="$data/paygate-$(basename "$go_new" | sed 's/^paygate-//')-${seconds}s.trace"  # shared with trace_speed.sh
if [ ! -s "$src" ]; then
  echo "capturing $src (about $((seconds + 6)) s) ..." >&2
  RATE=max LIVE_MB=64 PAYGATE=$go_new "$root/bench/capture_trace.sh" "$src.tmp" "$seconds" && mv "$src.tmp" "$src"
fi
# make BYTES: the concatenation of at least BYTES, made once.
make_big() {
  local out="$data/concat-$1.trace"
  [ -s "$out" ] || "$concat" "$src" "$out" "$1" >&2
  echo "$out"
}
quarter=$((big / 4))
files=("$(make_big "$quarter")" "$(make_big "$big")")

"$gcpilot" trace --help >/dev/null 2>&1 || { echo "note: $gcpilot has no trace verb: nothing to time"; exit 0; }
echo "gcpilot trace --json on copies of $(basename "$src") ($(stat -L -c %s "$src") bytes), median of $runs"
for f in "${files[@]}"; do
  cat "$f" >/dev/null 2>&1 || true  # from the page cache where it fits
  r=$(repeat_timed "$runs" "$gcpilot" trace "$f" --json)
  read -r s kb <<<"$r"
  row "$(basename "$f")" "$(stat -L -c %s "$f")" "$s" "$kb"
  awk -v b="$(stat -L -c %s "$f")" -v s="$s" 'BEGIN { mbs = s > 0 ? b / 1e6 / s : 0;
    printf "    goal >= 200 MB/s: %s\n", (mbs >= 200 ? "met" : "NOT met") }'
done
