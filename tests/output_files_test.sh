#!/usr/bin/env bash
# Output files named as one of gcpilot's own descriptors: the real binary
# against the bundled gateway. `load --timeline /dev/stdout > run.txt`
# (and `>> log`, and `report -o /dev/stdout > page.html`) must add the
# output after what was printed, never rename a file over the user's.
# Usage: output_files_test.sh GCPILOT BUILD_DIR   (run in the source directory)
set -uo pipefail
gcpilot=$1
build=$2
tmp=$(mktemp -d)
gateway=
cleanup() {
  [ -n "$gateway" ] && kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

"$build/paygate" -addr 127.0.0.1:0 -port-file "$tmp/port" >"$tmp/gateway.log" 2>&1 &
gateway=$!
for _ in $(seq 600); do
  [ -s "$tmp/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$tmp/port")/healthz" 2>/dev/null && break
  kill -0 "$gateway" 2>/dev/null || { echo "output_files: the gateway exited: $(cat "$tmp/gateway.log")"; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$(cat "$tmp/port")/healthz"
load=(load "$url" --rate 50 -d 1s -c 2 -q)

# The table first, then the timeline's CSV, in the one file.
for target in /dev/stdout /dev/fd/1 /proc/self/fd/1 "$tmp/run.txt"; do
  rm -f "$tmp/run.txt"
  "$gcpilot" "${load[@]}" --timeline "$target" >"$tmp/run.txt" 2>"$tmp/err"
  rc=$?
  [ "$rc" = 0 ] || fail "load --timeline $target > run.txt: exit status $rc: $(cat "$tmp/err")"
  head -1 "$tmp/run.txt" | grep -q '^load: 127.0.0.1:' || fail "load --timeline $target > run.txt: the table is gone: $(head -3 "$tmp/run.txt")"
  grep -q '^second,' "$tmp/run.txt" || fail "load --timeline $target > run.txt: no timeline CSV in it"
  [ "$(grep -n '^second,' "$tmp/run.txt" | cut -d: -f1)" -gt 1 ] 2>/dev/null || fail "load --timeline $target: CSV not after the table"
done

# >> keeps the log that was there.
echo "yesterday's log" >"$tmp/log"
"$gcpilot" "${load[@]}" --timeline /dev/stdout >>"$tmp/log" 2>"$tmp/err" || fail "load >> log: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/log")" = "yesterday's log" ] || fail "load --timeline /dev/stdout >> log: the log is gone"
grep -q '^second,' "$tmp/log" || fail "load --timeline /dev/stdout >> log: no timeline CSV in it"

# A report to /dev/stdout lands in the redirected file, which stays ours.
cp testdata/store/study-v1.db "$tmp/study.db"
echo "<!-- before -->" >"$tmp/page.html"
"$gcpilot" report "$tmp/study.db" -o /dev/stdout >>"$tmp/page.html" 2>"$tmp/err" || fail "report -o /dev/stdout: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/page.html")" = "<!-- before -->" ] || fail "report -o /dev/stdout >> page.html: the file was replaced"
grep -q '</html>' "$tmp/page.html" || fail "report -o /dev/stdout >> page.html: no report in it"

# A write that fails once its temporary exists (a file size limit: root
# ignores permissions, not RLIMIT_FSIZE) keeps the old file, no temporary.
echo "old rows" >"$tmp/requests.csv"
out=$( (trap '' XFSZ; ulimit -f 1; "$gcpilot" load "$url" --rate 200 -d 1s -c 2 -q --requests-csv "$tmp/requests.csv") 2>&1)
rc=$?
[ "$rc" = 1 ] && [[ "$out" == *"$tmp/requests.csv: cannot write: File too large"* ]] ||
  fail "load --requests-csv over the size limit: exit $rc: $(tail -2 <<<"$out")"
[ "$(cat "$tmp/requests.csv")" = "old rows" ] || fail "a failed --requests-csv write did not keep the old file"

leftovers=$(find "$tmp" -name '.*gcpilot-*' | head -5)
[ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
[ "$failures" = 0 ] && echo "outputs to our own descriptors kept what was printed"
exit $((failures > 0))
