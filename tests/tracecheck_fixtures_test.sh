#!/usr/bin/env bash
# The x/exp/trace checker's counts on the committed Go 1.26 fixtures
# (testdata/exectrace/go126-*.trace), against the golden the fixtures'
# README quotes: pins the fixtures and the checker's counting rule, which
# cli.trace_xexp then holds gcpilot to.
# Regenerate: GCPILOT_REGEN=1 ctest -R tracecheck.fixtures
#
# Usage: tracecheck_fixtures_test.sh TRACECHECK FIXTURE_DIR GOLDEN
# Exit status: 0 equal, 1 different (diff printed), 77 skipped (no tracecheck).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: tracecheck_fixtures_test.sh TRACECHECK FIXTURE_DIR GOLDEN" >&2; exit 2; }
tracecheck=$1 fixtures=$2 golden=$3
if [ ! -x "$tracecheck" ]; then
  echo "SKIP: $tracecheck missing: it needs Go >= 1.26 (and the Go module proxy once); run scripts/setup.sh"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for f in "$fixtures"/go126-*.trace; do
  printf '%s %s\n' "$(basename "$f")" "$("$tracecheck" "$f" | tr -d ' \n')" >>"$out"
done
if [ "${GCPILOT_REGEN:-}" = 1 ]; then cp "$out" "$golden"; echo "regenerated $golden"; fi
diff -u "$golden" "$out"
