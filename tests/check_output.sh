#!/usr/bin/env bash
# Runs a command and compares its stdout+stderr with a golden file and its
# exit status with the expected one. Used by CTest for whole-program tests.
# Usage: check_output.sh GOLDEN EXPECTED_RC STDIN_FILE|- CMD [ARGS...]
# A STDIN_FILE under ../shared that is missing skips (exit 77).
# Regenerate goldens: GCPILOT_REGEN=1 ctest -R cli
set -uo pipefail
golden=$1 want_rc=$2 stdin=$3
shift 3
if [ "$stdin" != "-" ] && [ ! -f "$stdin" ]; then
  case "$stdin" in
    *../shared/*) echo "SKIP: shared fixture $stdin absent (../shared not beside this checkout)"; exit 77 ;;
    *) echo "missing stdin file $stdin"; exit 1 ;;
  esac
fi
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
if [ "$stdin" = "-" ]; then "$@" > "$actual" 2>&1 < /dev/null; rc=$?
else "$@" > "$actual" 2>&1 < "$stdin"; rc=$?; fi
if [ "${GCPILOT_REGEN:-}" = 1 ]; then cp "$actual" "$golden"; echo "regenerated $golden"; fi
status=0
if [ "$rc" != "$want_rc" ]; then echo "exit status $rc, expected $want_rc"; status=1; fi
if ! diff -u "$golden" "$actual"; then echo "output differs from $golden"; status=1; fi
exit $status
