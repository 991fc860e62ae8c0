# Sourced by bench/trace_speed.sh and bench/trace_big.sh: timing a command
# with its peak RSS, and the median of repeats.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gcpilot="$root/build/src/cli/gcpilot"
data="$root/build/bench-data"
mkdir -p "$data"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# timed CMD...: runs CMD with stdout to /dev/null and prints "SECONDS PEAK_RSS_KB";
# exits 1 when CMD fails (its stderr is shown). /usr/bin/time -v's peak
# where it exists, else VmHWM polled from /proc every 10 ms.
timed() {
  if [ -x /usr/bin/time ]; then
    if ! /usr/bin/time -f '%e %M' -o "$data/time.out" "$@" >/dev/null 2>"$data/cmd.err"; then
      tail -n 5 "$data/cmd.err" >&2
      echo "bench: failed: $*" >&2
      return 1
    fi
    cat "$data/time.out"
    return 0
  fi
  local start end pid hwm=0 now rc=0
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$data/cmd.err" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    now=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$now" ] && [ "$now" -gt "$hwm" ] && hwm=$now
    sleep 0.01
  done
  wait "$pid" || rc=$?
  end=$(date +%s.%N)
  [ "$rc" -eq 0 ] || { tail -n 5 "$data/cmd.err" >&2; echo "bench: failed: $*" >&2; return 1; }
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') $hwm"
}

# repeat_timed RUNS CMD...: prints "MEDIAN_SECONDS MEDIAN_PEAK_RSS_KB" over RUNS runs.
repeat_timed() {
  local runs=$1 times=() rss=() t m
  shift
  for _ in $(seq "$runs"); do
    read -r t m < <(timed "$@") || return 1
    times+=("$t") rss+=("$m")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $(printf '%s\n' "${rss[@]}" | median)"
}

# row NAME BYTES SECONDS RSS_KB: one line of the table.
row() {
  awk -v n="$1" -v b="$2" -v s="$3" -v m="$4" 'BEGIN {
    mbs = s > 0 ? b / 1e6 / s : 0
    printf "  %-38s %8.2f s %9.1f MB/s %9.1f MB peak RSS\n", n, s, mbs, m / 1024 }'
}

# ratio OURS_S OURS_KB ANCHOR_S ANCHOR_KB ANCHOR_NAME SPEED_GOAL MEMORY_GOAL
ratio() {
  awk -v os="$1" -v om="$2" -v as="$3" -v am="$4" -v n="$5" -v sg="$6" -v mg="$7" 'BEGIN {
    sp = os > 0 ? as / os : 0
    mem = om > 0 ? am / om : 0
    printf "  vs %-35s speed %.1fx (goal >= %dx: %s), memory 1/%.1f (goal <= 1/%d: %s)\n",
      n, sp, sg, (sp >= sg ? "met" : "NOT met"), mem, mg, (mem >= mg ? "met" : "NOT met") }'
}
