#!/usr/bin/env bash
# scripts/drive_paygate.sh refuses bad arguments before it starts anything:
# usage errors exit 2, a log in a missing folder exits 1, each saying why.
# Usage: drive_paygate_args_test.sh SOURCE_DIR
set -uo pipefail
script=$1/scripts/drive_paygate.sh
fail=0
expect() {  # RC 'message piece' ARGS...
  local want_rc=$1 want=$2 out rc
  shift 2
  out=$("$script" "$@" 2>&1 </dev/null)
  rc=$?
  if [ "$rc" != "$want_rc" ] || [[ "$out" != *"$want"* ]]; then
    echo "FAIL: drive_paygate.sh $*: exit $rc (want $want_rc), output: $out"
    fail=1
  fi
}
expect 2 'usage: drive_paygate.sh LOG'
expect 2 'seconds "abc" is not a whole number' /tmp/x.log abc
expect 2 'live_mb "12MB" is not a whole number' /tmp/x.log 5 12MB
expect 2 'seconds must be at least 1' /tmp/x.log 0
expect 1 '/nonexistent-dir/x.log: its folder /nonexistent-dir does not exist' /nonexistent-dir/x.log
exit $fail
