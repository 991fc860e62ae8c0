#!/usr/bin/env bash
# Benchmark (issue 10): does the same study reach the same verdict? Runs
# each of two studies three times and prints the three verdicts side by
# side: the built-in study (gcpilot tune with no arguments: GOGC x
# GOMEMLIMIT x GOMAXPROCS x PAYGATE_POOL, L9, whole GC periods) and a
# GOGC x GOMEMLIMIT full factorial of the bundled gateway. Goal: each
# study's three verdicts name the same setting, or all keep the default.
# It also says, per verdict, whether the verification judged on medians
# because one run swayed a mean.
# Usage: bench/verdict_repeat.sh [TIMES]   (default 3: about 60 minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gcpilot="$root/build/src/cli/gcpilot"
[ -x "$gcpilot" ] && [ -x "$root/build/paygate" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
times=${1:-3}
work="$root/build/bench-data/verdict_repeat"
rm -rf "$work"
mkdir -p "$work"  # kept: the studies, their JSON and reports
sed 's/{rand:262144}/{rand:32768}/g' "$root/workloads/paygate/load.toml" >"$work/load.toml"
cp "$root/workloads/paygate/pay.json" "$work/"
cat >"$work/grid.toml" <<TOML
[target]
command = ["$root/build/paygate", "-addr", "127.0.0.1:{port}", "-live-mb", "32", "-order-ttl", "3s", "-idem-ttl", "3s"]
ready = "http://127.0.0.1:{port}/healthz"
cpus = [0]
[load]
url = "http://127.0.0.1:{port}/"
requests = "$work/load.toml"
rate = "3000"
duration = "10s"
warmup = "3s"
cpus = [1]
[[factor]]
name = "GOGC"
levels = ["50", "100", "400"]
baseline = "100"
[[factor]]
name = "GOMEMLIMIT"
levels = ["off", "100MiB"]
baseline = "off"
[design]
type = "full"
repeats = 2
verify = 3
TOML
for i in $(seq "$times"); do
  echo "bench: built-in study, run $i of $times ($(date -u +%H:%M:%S))..." >&2
  "$gcpilot" tune --db "$work/builtin-$i.db" --json -q --no-report >"$work/builtin-$i.json" || true
  echo "bench: GOGC x GOMEMLIMIT study, run $i of $times ($(date -u +%H:%M:%S))..." >&2
  "$gcpilot" tune --spec "$work/grid.toml" --db "$work/grid-$i.db" --json -q --no-report >"$work/grid-$i.json" || true
done
python3 - "$work" "$times" <<'PY'
import json, sys
work, times = sys.argv[1], int(sys.argv[2])
def verdict(path):
    try:
        r = json.load(open(path))["analysis"]["recommendation"]
    except (OSError, ValueError, KeyError) as e:
        return ("no result", str(e))
    if not r.get("found"):
        return ("no recommendation", r.get("why_not", ""))
    if r.get("is_default"):
        return ("keep the default", r.get("verdict", ""))
    env = " ".join(f"{k}={v}" for k, v in sorted(r["best"]["env"].items()) if v) or "default"
    return (env, r.get("verdict", ""))
for study in ("builtin", "grid"):
    print(f"{study} study, {times} runs:")
    names = []
    for i in range(1, times + 1):
        name, text = verdict(f"{work}/{study}-{i}.json")
        names.append(name)
        print(f"  run {i}: {name}  {text}")
    print(f"  {'the same verdict every time' if len(set(names)) == 1 else 'DIFFERENT verdicts'}")
PY
