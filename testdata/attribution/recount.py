#!/usr/bin/env python3
"""Recounts the attribution of the recorded run from the raw files, apart
from gcpilot's code: each answered request of the window by the GC phase it
fell due in, each cycle's requests and recovery, and (given the window's
P99 threshold) the slow requests by what they met. Checks
src/attribution/recorded_run_test.cc.

Usage: recount.py DIR THRESHOLD_NS"""
import re
import sys
from decimal import Decimal

folder, threshold = sys.argv[1], int(sys.argv[2])
run = dict(line.split() for line in open(f"{folder}/run.txt"))
origin = int(run["load_clock_origin_ns"])
lo, hi = int(run["window_from_ns"]), int(run["window_to_ns"])

# gc 9 @8.455s 7%: 0.086+475+0.035 ms clock, ...
line_re = re.compile(r"^gc (\d+) @([\d.]+)s \d+%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock")
cycles = []  # [number, sweep start, mark start, mark-termination start, end] on the load clock
for line in open(f"{folder}/gctrace.txt"):
    m = line_re.match(line)
    if not m:
        continue
    start = origin + int(Decimal(m[2]) * 10**9)
    a, b, c = (int(Decimal(m[i]) * 10**6) for i in (3, 4, 5))
    cycles.append([int(m[1]), start, start + a, start + a + b, start + a + b + c])

requests = []  # (due, done)
for row in open(f"{folder}/requests.csv").read().splitlines()[1:]:
    due, _, done = (int(v) for v in row.split(",")[:3])
    requests.append((due, done))

# Recovery end per cycle: the latest answer of the requests due in it, cut
# at the next cycle's start, never before the cycle's end.
recovery_end = []
for i, (_, start, _, _, end) in enumerate(cycles):
    last = max([done for due, done in requests if done != -1 and start <= due < end], default=end)
    if i + 1 < len(cycles):
        last = min(last, cycles[i + 1][1])
    recovery_end.append(max(last, end))


def phase(t):
    for i, (_, start, mark, mark_term, end) in enumerate(cycles):
        if start <= t < mark or mark_term <= t < end:
            return "stw", i
        if mark <= t < mark_term:
            return "mark", i
        if end <= t < recovery_end[i]:
            return "recovery", -1
    return "outside", -1


def met_stw(due, done):
    return any(due < e and s <= done and s < e
               for _, start, mark, mark_term, end in cycles for s, e in ((start, mark), (mark_term, end)))


counts = {"stw": 0, "mark": 0, "recovery": 0, "outside": 0}
slow = {"met_stw": 0, "due_in_mark": 0, "in_recovery": 0, "no_gc": 0}
per_cycle = [0] * len(cycles)
for due, done in requests:
    if done == -1 or not lo <= due < hi:
        continue
    p, i = phase(due)
    counts[p] += 1
    if i >= 0:
        per_cycle[i] += 1
    if done - due > threshold:
        key = ("met_stw" if met_stw(due, done) else "due_in_mark" if p == "mark"
               else "in_recovery" if p == "recovery" else "no_gc")
        slow[key] += 1
for k, v in {**counts, **slow}.items():
    print(k, v)
for i, c in enumerate(cycles):
    if lo <= c[1] < hi:
        print("cycle", c[0], per_cycle[i], recovery_end[i] - c[4])
