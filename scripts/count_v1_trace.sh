#!/usr/bin/env bash
# Counts the GC, STW, mark assist, sweep, task and region events of a v1
# execution trace with Go 1.19's own reader (`go tool trace -d` prints
# every event it parsed, one a line: "TIME Name p=.. g=.. off=.. args").
# The independent count the v1 decoder's tests compare against.
#
# Usage: scripts/count_v1_trace.sh FILE   (GO119=path/to/go, default /usr/lib/go-1.19/bin/go)
# Prints one line: name=count for each counted event, in a fixed order.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: count_v1_trace.sh FILE" >&2; exit 2; }
go=${GO119:-/usr/lib/go-1.19/bin/go}
"$go" tool trace -d "$1" 2>/dev/null | awk '
  { n[$2]++ }
  $2 == "UserRegion" { for (i = 3; i <= NF; i++) if ($i == "mode=0") rs++; else if ($i == "mode=1") re++ }
  END {
    split("GCStart GCDone GCSTWStart GCSTWDone GCMarkAssistStart GCMarkAssistDone GCSweepStart GCSweepDone UserTaskCreate UserTaskEnd", k, " ")
    line = ""
    for (i = 1; i <= 10; i++) line = line k[i] "=" (n[k[i]] + 0) " "
    print line "UserRegionStart=" (rs + 0) " UserRegionEnd=" (re + 0)
  }'
