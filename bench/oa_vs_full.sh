#!/usr/bin/env bash
# Benchmark: does an orthogonal array find the full grid's best setting with
# a third of the runs? Runs two studies of the bundled gateway over the same
# three 3-level factors (GOGC x GOMEMLIMIT x GOMAXPROCS): the full 27-cell
# grid (the anchor) and an L9 (9 cells, no confirmation runs). Two L9
# answers are looked up in the full grid and compared with its best cell:
# the L9 study's recommendation (its best measured setting, what gcpilot
# tells the user to deploy) and the main-effects prediction (each factor at
# its best level, which misses interactions).
# Goal (issue 4): within 5% of the grid's best P99 with <= 1/3 of its runs.
# Usage: bench/oa_vs_full.sh [RATE [SECONDS [REPEATS]]]
#   (defaults 3000 6 1: about 7 minutes; 3000 10 2: about 20 minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gcpilot="$root/build/src/cli/gcpilot"
[ -x "$gcpilot" ] && [ -x "$root/build/paygate" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
rate=${1:-3000} secs=${2:-6} repeats=${3:-1}
work="$root/build/bench-data/oa_vs_full"
rm -rf "$work"
mkdir -p "$work"  # kept: studies, JSON and HTML reports for a look afterwards
spec() {  # spec DESIGN CONFIRM
  cat <<TOML
[target]
command = ["$root/build/paygate", "-addr", "127.0.0.1:{port}", "-live-mb", "256"]
ready = "http://127.0.0.1:{port}/healthz"
cpus = [0]
[load]
url = "http://127.0.0.1:{port}/"
requests = "$root/workloads/paygate/load.toml"
rate = "$rate"
duration = "${secs}s"
warmup = "2s"
cpus = [1]
[[factor]]
name = "GOGC"
levels = ["50", "100", "400"]
[[factor]]
name = "GOMEMLIMIT"
levels = ["off", "450MiB", "1200MiB"]
baseline = "off"
[[factor]]
name = "GOMAXPROCS"
levels = ["1", "2", "4"]
baseline = "1"
[design]
type = "$1"
repeats = $repeats
confirm = $2
TOML
}
spec full false > "$work/full.toml"
spec L9 false > "$work/l9.toml"
echo "bench: full grid study (27 settings)..." >&2
"$gcpilot" tune --spec "$work/full.toml" --db "$work/full.db" --json -q > "$work/full.json" || true
echo "bench: L9 study (9 settings)..." >&2
"$gcpilot" tune --spec "$work/l9.toml" --db "$work/l9.db" --json -q > "$work/l9.json" || true
python3 - "$work/full.json" "$work/l9.json" <<'PY'
import json, sys
full = json.load(open(sys.argv[1]))["analysis"]
oa = json.load(open(sys.argv[2]))["analysis"]
def key(env): return tuple(sorted(env.items()))
grid = {key(c["env"]): c for c in full["settings"] if c["values_ms"]}
design_runs = lambda a: sum(1 for c in a["settings"] if "design" in c["phases"])
best = min(grid.values(), key=lambda c: c["mean_ms"])
pred = {e["factor"]: e["best_level"] for e in oa["main_effects"]}
rec = oa["recommendation"]["best"]["env"] if oa["recommendation"]["found"] else None
print(f"orthogonal array vs full grid, bundled gateway, p99 (corrected):")
print(f"  anchor full grid: {design_runs(full)} settings; best {best['env']} p99 {best['mean_ms']:.3f} ms")
print(f"  L9: {design_runs(oa)} settings ({design_runs(oa)/design_runs(full):.2f} of the grid)")
for label, env in (("recommendation", rec), ("main-effects prediction", pred)):
    found = grid.get(key(env)) if env else None
    if not found:
        print(f"  L9 {label} {env}: no result in the grid")
        continue
    r = found["mean_ms"] / best["mean_ms"]
    print(f"  L9 {label} {env}: grid p99 {found['mean_ms']:.3f} ms = {r:.3f}x the grid's best "
          f"({'within' if r <= 1.05 else 'NOT within'} 5%)")
PY
