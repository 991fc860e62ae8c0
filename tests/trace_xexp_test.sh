#!/usr/bin/env bash
# gcpilot's trace counts against an independent reader: for every binary
# fixture of the gateway (testdata/exectrace/go119-*, go126-* and verb-*.trace: the
# Go 1.26 ones, and the Go 1.19 ones, which x/exp reads through its own
# v1 conversion) and every shared text fixture
# (../shared/testdata/gotrace-v2/*.test, encoded to binary with `gcpilot
# trace encode` where that verb exists, else with the trace_encode test
# tool), `gcpilot trace FILE --json` must give the same "counts" and the
# same header version as tests/tracecheck (golang.org/x/exp/trace). A
# shared fixture that Go's own tests expect to FAIL must fail in both.
#
# Usage: trace_xexp_test.sh GCPILOT TRACECHECK TRACE_ENCODE FIXTURE_DIR [SHARED_DIR]
# Exit status: 0 all equal, 1 a difference (each one printed), 77 skipped
# (no tracecheck: it needs Go >= 1.26 and the Go module proxy once, see
# scripts/setup.sh).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: trace_xexp_test.sh GCPILOT TRACECHECK TRACE_ENCODE FIXTURE_DIR [SHARED_DIR]" >&2; exit 2; }
gcpilot=$1 tracecheck=$2 encoder=$3 fixtures=$4 shared=${5:-}
if [ ! -x "$tracecheck" ]; then
  echo "SKIP: $tracecheck missing: the x/exp/trace checker needs Go >= 1.26 (and the Go module proxy" \
    "once); install one and run scripts/setup.sh (GCPILOT_GO_NEW=/path/to/go)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# compare NAME FILE: runs both readers on FILE and prints every count that differs.
compare() {
  local name=$1 file=$2
  if ! "$gcpilot" trace "$file" --json >"$work/ours.json" 2>"$work/ours.err"; then
    echo "FAIL $name: gcpilot trace exited non-zero: $(head -c 300 "$work/ours.err")"
    return 1
  fi
  if ! "$tracecheck" "$file" >"$work/xexp.json" 2>"$work/xexp.err"; then
    echo "FAIL $name: tracecheck exited non-zero: $(head -c 300 "$work/xexp.err")"
    return 1
  fi
  python3 - "$name" "$work/ours.json" "$work/xexp.json" <<'PY'
import json, sys
name, ours, xexp = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
bad = []
if ours.get("trace", {}).get("version") != xexp["trace"]["version"]:
    bad.append(f"version: gcpilot {ours.get('trace', {}).get('version')!r}, x/exp {xexp['trace']['version']!r}")
for key, want in xexp["counts"].items():
    got = ours.get("counts", {}).get(key)
    if got != want:
        bad.append(f"{key}: gcpilot {got}, x/exp {want}")
print(("FAIL " if bad else "ok   ") + name + ("" if bad else " " + json.dumps(xexp["counts"])))
for b in bad:
    print("     " + b)
sys.exit(1 if bad else 0)
PY
}

# expect_both_fail NAME FILE PATTERN: a trace Go's tests expect to be
# rejected with an error matching PATTERN (the regexp of the fixture's
# `FAILURE "..."` line). Each reader must exit 1..127 (>= 128 is a crash, not
# a rejection) and print an error that matches PATTERN.
expect_both_fail() {
  local name=$1 file=$2 pattern=$3 ours=0 xexp=0 bad=""
  "$gcpilot" trace "$file" --json >/dev/null 2>"$work/ours.err" || ours=$?
  "$tracecheck" "$file" >/dev/null 2>"$work/xexp.err" || xexp=$?
  local reader code err
  for reader in gcpilot tracecheck; do
    if [ "$reader" = gcpilot ]; then code=$ours err=$work/ours.err; else code=$xexp err=$work/xexp.err; fi
    if [ "$code" -eq 0 ]; then
      bad+=" $reader accepted it;"
    elif [ "$code" -ge 128 ]; then
      bad+=" $reader crashed (exit $code): $(head -c 300 "$err");"
    elif ! grep -Eq -- "$pattern" "$err"; then
      bad+=" $reader's error does not match /$pattern/: $(head -c 300 "$err");"
    fi
  done
  if [ -z "$bad" ]; then echo "ok   $name: rejected by both (/$pattern/)"; return 0; fi
  echo "FAIL $name:$bad"
  return 1
}

if ! "$gcpilot" trace --help >/dev/null 2>&1; then
  echo "FAIL: $gcpilot has no working 'trace' verb"
  exit 1
fi
for f in "$fixtures"/go119-*.trace "$fixtures"/go126-*.trace "$fixtures"/verb-*.trace; do
  compare "$(basename "$f")" "$f" || failures=$((failures + 1))
done

encode=("$encoder")
if "$gcpilot" trace encode --help >/dev/null 2>&1; then encode=("$gcpilot" trace encode); fi
if [ -n "$shared" ] && [ -d "$shared/testdata/gotrace-v2" ]; then
  for t in "$shared"/testdata/gotrace-v2/*.test; do
    name=$(basename "$t")
    if ! "${encode[@]}" "$t" >"$work/encoded.trace" 2>"$work/encode.err"; then
      echo "FAIL $name: ${encode[*]} failed: $(head -c 300 "$work/encode.err")"
      failures=$((failures + 1))
      continue
    fi
    expect=$(sed -n '/^-- expect --$/{n;p;q}' "$t")
    if [[ "$expect" == FAILURE* ]]; then
      # FAILURE ".*expected a proc but didn't have one.*": the quoted regexp.
      pattern=${expect#FAILURE \"}
      pattern=${pattern%\"}
      if [ -z "$pattern" ] || [ "$pattern" = "$expect" ]; then
        echo "FAIL $name: cannot read the regexp in its expect line: $expect"
        failures=$((failures + 1))
        continue
      fi
      expect_both_fail "$name" "$work/encoded.trace" "$pattern" || failures=$((failures + 1))
    else
      compare "$name" "$work/encoded.trace" || failures=$((failures + 1))
    fi
  done
else
  echo "note: ${shared:-the shared folder}/testdata/gotrace-v2 absent (GCPILOT_SHARED_DIR): binary fixtures only"
fi
[ "$failures" -eq 0 ] || { echo "$failures trace(s) differ"; exit 1; }
echo "all counts equal"
