#!/usr/bin/env bash
# Benchmark: `gcpilot gctrace` on a generated >= 1 GB gctrace log against
# the anchor `grep -c '^gc '` over the same file, in one run. Prints the
# throughput of both, the ratio, and our peak RSS (flat memory check).
# Goal (issue 2): >= 1 GB/s, i.e. within 4x of grep's bare pass.
# Usage: bench/gctrace_vs_grep.sh [BYTES]   (default 1100000000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bytes=${1:-1100000000}
build="$root/build"
gcpilot="$build/src/cli/gcpilot"
gen="$build/bench/gen_gctrace"
[ -x "$gcpilot" ] && [ -x "$gen" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

data="$build/bench-data"
mkdir -p "$data"
log="$data/gctrace-$bytes.log"
if [ ! -s "$log" ]; then
  echo "generating $log ..." >&2
  "$gen" "$bytes" > "$log.tmp" && mv "$log.tmp" "$log"
fi
size=$(stat -c %s "$log")
cat "$log" > /dev/null  # both tools read from the page cache

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run_timed() {  # prints "seconds max_rss_kb"
  # Not /dev/null: GNU grep treats that as -q and stops at the first match.
  /usr/bin/time -f '%e %M' -o "$data/time.out" "$@" > "$data/out.txt"
  cat "$data/time.out"
}

runs=3
g_times=(); p_times=(); p_rss=()
for i in $(seq $runs); do
  read -r t _ < <(run_timed grep -c '^gc ' "$log"); g_times+=("$t")
  read -r t m < <(run_timed "$gcpilot" gctrace --json "$log"); p_times+=("$t"); p_rss+=("$m")
done
g=$(printf '%s\n' "${g_times[@]}" | median)
p=$(printf '%s\n' "${p_times[@]}" | median)
rss=$(printf '%s\n' "${p_rss[@]}" | sort -n | tail -1)
awk -v size="$size" -v g="$g" -v p="$p" -v rss="$rss" -v runs="$runs" 'BEGIN {
  printf "gctrace benchmark: %.2f GB log, median of %d runs each\n", size/1e9, runs
  printf "  anchor grep -c ^gc      %6.3f s  %6.2f GB/s\n", g, size/g/1e9
  printf "  gcpilot gctrace --json  %6.3f s  %6.2f GB/s  peak RSS %.1f MB\n", p, size/p/1e9, rss/1024
  printf "  ratio gcpilot/grep time %.2fx (goal <= 4x; >= 1 GB/s: %s)\n", p/g, (size/p/1e9 >= 1.0 ? "met" : "NOT met")
}'
