#!/usr/bin/env python3
"""Writes one run of a tune study as the attribution fixture: the target's
stderr (its gctrace) as gctrace.txt, the run's request log as requests.csv
(load-clock ns) and run.txt (the clock alignment tune recorded and the
measured window: the first request's due time to just after the last's).

Usage: export_run.py STUDY.db RUN_ID OUT_DIR  (the stderr is read from
STUDY.db.runs/run-NNN.stderr, NNN the run's seq + 1)."""
import json
import shutil
import sqlite3
import struct
import sys

db, run_id, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(db)
(seq,) = con.execute("SELECT seq FROM run WHERE id = ?", (run_id,)).fetchone()
origin, error = con.execute(
    "SELECT load_clock_origin_ns, origin_error_ns FROM gc_timeline WHERE run_id = ?", (run_id,)).fetchone()
outcomes = ["ok", "non_2xx", "timeout", "reset", "closed", "malformed", "aborted"]
records, kinds = [], []
for kinds_json, blob in con.execute(
        "SELECT kinds_json, records FROM request_log WHERE run_id = ? ORDER BY chunk", (run_id,)):
    kinds = json.loads(kinds_json)
    # The store's record: due, sent, done (int64), kind, status (uint16), outcome (uint8), little-endian.
    records += struct.iter_unpack("<qqqHHB", blob)
shutil.copyfile(f"{db}.runs/run-{seq + 1:03d}.stderr", f"{out}/gctrace.txt")
with open(f"{out}/requests.csv", "w") as f:
    f.write("due_ns,sent_ns,done_ns,kind,http_status,outcome\n")
    for due, sent, done, kind, status, outcome in records:
        f.write(f"{due},{sent},{done},{kinds[kind]},{status},{outcomes[outcome]}\n")
with open(f"{out}/run.txt", "w") as f:
    f.write(f"load_clock_origin_ns {origin}\norigin_error_ns {error}\n")
    f.write(f"window_from_ns {records[0][0]}\nwindow_to_ns {records[-1][0] + 1}\n")
