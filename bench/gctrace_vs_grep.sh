#!/usr/bin/env bash
# Benchmark: `gcpilot gctrace` on a generated >= 1 GB gctrace log against
# the anchor `grep -c '^gc '` over the same file, in one run. Prints the
# throughput of both, the ratio, and our peak RSS (flat memory check).
# Goal (issue 2): >= 1 GB/s, i.e. within 4x of grep's bare pass. gcpilot
# parses on one thread per usable CPU (the default); the single-thread
# figure (--threads 1) is printed beside it for comparison.
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
size=$(stat -L -c %s "$log")
cat "$log" > /dev/null  # both tools read from the page cache

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run_timed() {  # prints "seconds max_rss_kb"
  # Not /dev/null: GNU grep treats that as -q and stops at the first match.
  /usr/bin/time -f '%e %M' -o "$data/time.out" "$@" > "$data/out.txt"
  cat "$data/time.out"
}

runs=3
g_times=(); p_times=(); p_rss=(); s_times=()
for i in $(seq $runs); do
  read -r t _ < <(run_timed grep -c '^gc ' "$log"); g_times+=("$t")
  read -r t m < <(run_timed "$gcpilot" gctrace --json "$log"); p_times+=("$t"); p_rss+=("$m")
  read -r t _ < <(run_timed "$gcpilot" gctrace --json --threads 1 "$log"); s_times+=("$t")
done
g=$(printf '%s\n' "${g_times[@]}" | median)
p=$(printf '%s\n' "${p_times[@]}" | median)
s1=$(printf '%s\n' "${s_times[@]}" | median)
rss=$(printf '%s\n' "${p_rss[@]}" | sort -n | tail -1)
cpus=$(nproc)
awk -v size="$size" -v g="$g" -v p="$p" -v s1="$s1" -v rss="$rss" -v runs="$runs" -v cpus="$cpus" 'BEGIN {
  printf "gctrace benchmark: %.2f GB log, median of %d runs each, %d CPUs\n", size/1e9, runs, cpus
  printf "  anchor grep -c ^gc               %6.3f s  %6.2f GB/s\n", g, size/g/1e9
  printf "  gcpilot gctrace --json           %6.3f s  %6.2f GB/s  peak RSS %.1f MB\n", p, size/p/1e9, rss/1024
  printf "  gcpilot gctrace --json --threads 1 %4.3f s  %6.2f GB/s\n", s1, size/s1/1e9
  printf "  ratio gcpilot/grep time %.2fx (goal <= 4x; >= 1 GB/s: %s)\n", p/g, (size/p/1e9 >= 1.0 ? "met" : "NOT met")
}'
