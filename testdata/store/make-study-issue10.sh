#!/usr/bin/env bash
# Makes testdata/store/study-issue10.db, the study of issue 10's case for
# the tune golden (tests/CMakeLists.txt, cli.tune_resume_issue10): the real
# version-2 study study-v2.db, migrated to schema 3 by gcpilot itself, with
# its figures edited to what the issue measured. GOGC=400's period is
# longer than max_duration (180 s), so its design run and two of its three
# verification runs are steady-state estimates over 0-1 GC periods; the
# third spans 3 periods and meets 14.02 ms, the window whose luck turned
# the mean. The default's runs are steady (2.5-3.1 ms over 3-4 periods).
# The study is left 'running' with no run pending and every round run, so
# `tune --resume` runs nothing and prints the analysis.
# Usage: testdata/store/make-study-issue10.sh BUILD/src/cli/gcpilot
set -euo pipefail
gcpilot=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/study-issue10.db
rm -f "$out" "$out-wal" "$out-shm"
cp "$here/study-v2.db" "$out"
"$gcpilot" report "$out" -o /dev/null >/dev/null  # opening it migrates it to schema 3
sqlite3 "$out" <<'SQL'
UPDATE study SET status = 'running',
  spec_json = json_set(spec_json, '$.verify', 3,
                       '$.command', json('["build/paygate", "-addr", "127.0.0.1:{port}", "-live-mb", "16"]'));
-- Six verification runs, alternating GOGC=400 and the default, copied
-- from runs 3 and 2 (their other figures are those runs').
INSERT INTO run (study_id, seq, repeat, phase, levels_json, env_json, status, reason, asked_rps, achieved_rps,
  responses, errors, error_rate, peak_rss_bytes, exit, gc_cycles, gc_cpu_share, gc_wall_share, assist_share,
  design_cell, started_unix_ns, finished_unix_ns, p50_ns, p90_ns, p99_ns, p999_ns, max_ns, mean_ns,
  p99_uncorrected_ns, cpu_ns, stw_p99_ns, stw_max_ns, heap_live_p50_bytes, heap_peak_bytes, window_ns, gc_periods,
  limit_reached_in_ns, live_heap_slope_bytes_per_sec, whole_periods, latency_estimated)
SELECT study_id, s.seq, 0, 'verify', levels_json, env_json, status, reason, asked_rps, achieved_rps,
  responses, errors, error_rate, peak_rss_bytes, exit, gc_cycles, gc_cpu_share, gc_wall_share, assist_share,
  NULL, started_unix_ns, finished_unix_ns, p50_ns, p90_ns, p99_ns, p999_ns, max_ns, mean_ns,
  p99_uncorrected_ns, cpu_ns, stw_p99_ns, stw_max_ns, heap_live_p50_bytes, heap_peak_bytes, window_ns, gc_periods,
  limit_reached_in_ns, live_heap_slope_bytes_per_sec, whole_periods, latency_estimated
FROM run JOIN (SELECT 3 AS seq, 3 AS src UNION ALL SELECT 4, 2 UNION ALL SELECT 5, 3 UNION ALL SELECT 6, 2
               UNION ALL SELECT 7, 3 UNION ALL SELECT 8, 2) AS s ON run.id = s.src
ORDER BY s.seq;
-- seq: p99 ms, whole GC periods, window s, whole, estimated, GC cycles.
CREATE TEMP TABLE figure (seq INTEGER, p99_ms REAL, periods INTEGER, window_s REAL, whole INTEGER,
  estimated INTEGER, cycles INTEGER);
INSERT INTO figure VALUES
  (0, 4.0, 6, 12.0, 1, 0, 7),     -- design GOGC=50
  (1, 2.5, 3, 10.4, 1, 0, 4),     -- baseline
  (2, 1.0, 1, 180.0, 0, 1, 1),    -- design GOGC=400: estimated
  (3, 0.79, 1, 180.0, 0, 1, 1),   -- verify GOGC=400: estimated
  (4, 2.6, 3, 10.1, 1, 0, 4),     -- verify default
  (5, 14.02, 3, 150.2, 1, 0, 4),  -- verify GOGC=400: 3 periods, the slow one
  (6, 2.7, 3, 10.3, 1, 0, 4),     -- verify default
  (7, 0.96, 0, 180.0, 0, 1, 0),   -- verify GOGC=400: estimated, no cycle began in the bound
  (8, 3.1, 4, 13.6, 1, 0, 5);     -- verify default
UPDATE run SET
  p99_ns = (SELECT CAST(round(p99_ms * 1e6) AS INTEGER) FROM figure WHERE figure.seq = run.seq),
  gc_periods = (SELECT periods FROM figure WHERE figure.seq = run.seq),
  window_ns = (SELECT CAST(round(window_s * 1e9) AS INTEGER) FROM figure WHERE figure.seq = run.seq),
  whole_periods = (SELECT whole FROM figure WHERE figure.seq = run.seq),
  latency_estimated = (SELECT estimated FROM figure WHERE figure.seq = run.seq),
  gc_cycles = (SELECT cycles FROM figure WHERE figure.seq = run.seq);
VACUUM;
SQL
echo "wrote $out"
