// tracecheck: an independent reader of Go execution traces for gcpilot's
// tests (golang.org/x/exp/trace). Built by scripts/setup.sh into
// build/tracecheck when a Go new enough for this go line is present.
module gcpilot/tests/tracecheck

go 1.26.0

require golang.org/x/exp v0.0.0-20261113113407-e3970619a1a4
