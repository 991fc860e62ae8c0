#!/usr/bin/env bash
# Benchmark (issue 10): does measuring over whole GC periods make a run's
# P99 repeatable, and is it the P99 a long run sees? The bundled gateway
# (the built-in study's 32 MiB history, 3000 req/s, gateway on CPU 0, load
# on CPU 1) under three settings: the default, GOGC=400, and a GOMEMLIMIT
# near the live heap (100MiB: ~70 MiB of Go memory). Each setting is run
# REPEATS times two ways in one run of this script:
#   fixed:  the old window, `duration` (10 s) after the warm-up
#           (--min-gc-periods 0);
#   whole:  whole GC periods, at least 3 and at least 10 s
#           (--min-gc-periods 3, --max-duration 180s);
# then once more over LONG (default 10 minutes, fixed window: the anchor a
# deployed service sees). It prints each setting's coefficient of
# variation of the per-run P99 both ways and their ratio (goal: whole <=
# 0.5 x fixed), and each way's median P99 against the long run's (goal:
# whole within 20%).
# Usage: bench/steady_state.sh [REPEATS [LONG]]
#   (defaults 5 10m: about 70 minutes on 2 cores; 5 2m: about 35)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gcpilot="$root/build/src/cli/gcpilot"
[ -x "$gcpilot" ] && [ -x "$root/build/paygate" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
repeats=${1:-5} long=${2:-10m}
work="$root/build/bench-data/steady_state"
rm -rf "$work"
mkdir -p "$work"  # kept: the studies, their JSON and reports
sed 's/{rand:262144}/{rand:32768}/g' "$root/workloads/paygate/load.toml" >"$work/load.toml"
cp "$root/workloads/paygate/pay.json" "$work/"
spec() {  # spec FACTOR LEVEL1 LEVEL2
  cat <<TOML
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
name = "$1"
levels = ["$2", "$3"]
baseline = "$2"
[design]
type = "full"
repeats = $repeats
confirm = false
TOML
}
spec GOGC 100 400 >"$work/gogc.toml"
spec GOMEMLIMIT off 100MiB >"$work/limit.toml"
study() {  # study NAME SPEC FLAGS...
  local name=$1 spec=$2
  shift 2
  echo "bench: $name ($(date -u +%H:%M:%S))..." >&2
  "$gcpilot" tune --spec "$spec" --db "$work/$name.db" --json -q --no-report "$@" >"$work/$name.json" ||
    echo "bench: $name ended without a recommendation (kept: $work/$name.json)" >&2
}
for s in gogc limit; do
  study "$s-fixed" "$work/$s.toml" --min-gc-periods 0
  study "$s-whole" "$work/$s.toml" --min-gc-periods 3 --max-duration 180s
  study "$s-long" "$work/$s.toml" --min-gc-periods 0 --duration "$long" --max-duration "$long" --repeats 1
done
python3 - "$work" "$long" <<'PY'
import json, statistics, sys
work, long = sys.argv[1], sys.argv[2]
def settings(name):
    a = json.load(open(f"{work}/{name}.json"))["analysis"]
    return {" ".join(f"{k}={v}" for k, v in sorted(c["env"].items()) if v) or "default": c for c in a["settings"]}
def cv(xs):
    return statistics.stdev(xs) / statistics.mean(xs) if len(xs) > 1 and statistics.mean(xs) > 0 else float("nan")
rows = {}
for s in ("gogc", "limit"):
    fixed, whole, longrun = settings(f"{s}-fixed"), settings(f"{s}-whole"), settings(f"{s}-long")
    for name in fixed:
        if name in rows:  # the default is in both studies: keep the first
            continue
        rows[name] = (fixed[name]["values_ms"], whole[name]["values_ms"], longrun[name]["values_ms"])
print(f"steady state vs fixed window, bundled gateway at 3000 req/s, p99 (corrected), long run {long}")
print(f"{'setting':<22} {'fixed p99 ms (runs)':<38} {'whole-period p99 ms (runs)':<38} cv fixed  cv whole  ratio  long p99  fixed/long whole/long")
for name, (f, w, l) in rows.items():
    fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)
    ratio = cv(w) / cv(f) if cv(f) > 0 else float("nan")
    lp = l[0] if l else float("nan")
    mf, mw = statistics.median(f), statistics.median(w)
    print(f"{name:<22} {fmt(f):<38} {fmt(w):<38} {cv(f):8.3f} {cv(w):8.3f} {ratio:6.2f} {lp:9.2f} {mf/lp:10.2f} {mw/lp:10.2f}")
print("goals: cv ratio <= 0.50 (whole-period P99 varies at most half as much); whole/long within 0.80..1.20")
PY
