#!/usr/bin/env python3
"""Runs a command and passes its stderr on late and cut mid-line.

Each line the command writes to stderr reaches this process's stderr
0.2 s late, in two writes 0.05 s apart, cut in the middle: a gctrace
reader following the file sees lines arrive late and half-written.
stdout is passed through. Used by tests/tune_periods_e2e_test.cc as the
target of a study (a real process between gcpilot and the gateway).

Usage: late_stderr.py COMMAND [ARG...]
"""
import os
import subprocess
import sys
import time

child = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE)
out = sys.stderr.buffer
for line in child.stderr:
    time.sleep(0.2)
    half = len(line) // 2
    out.write(line[:half])
    out.flush()
    time.sleep(0.05)
    out.write(line[half:])
    out.flush()
sys.exit(child.wait())
