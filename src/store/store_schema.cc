#include "store/store_schema.h"

#include <charconv>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "store/sql_stmt.h"

namespace gcpilot::store_internal {
namespace {

constexpr const char* kPragmas = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
)sql";

// Version 2: every field of the model, in its own unit (ns, bytes).
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT OR REPLACE INTO meta VALUES ('schema', '2');
CREATE TABLE IF NOT EXISTS study (
  id INTEGER PRIMARY KEY, created TEXT NOT NULL, spec_json TEXT NOT NULL,
  design TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run (
  id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES study(id),
  seq INTEGER NOT NULL, repeat INTEGER NOT NULL,
  phase TEXT NOT NULL, levels_json TEXT NOT NULL, env_json TEXT NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  asked_rps REAL, achieved_rps REAL, responses INTEGER, errors INTEGER, error_rate REAL,
  peak_rss_bytes INTEGER, exit TEXT,
  gc_cycles INTEGER, gc_cpu_share REAL, gc_wall_share REAL, assist_share REAL,
  design_cell INTEGER, started_unix_ns INTEGER, finished_unix_ns INTEGER,
  p50_ns INTEGER, p90_ns INTEGER, p99_ns INTEGER, p999_ns INTEGER, max_ns INTEGER,
  mean_ns INTEGER, p99_uncorrected_ns INTEGER, cpu_ns INTEGER,
  stw_p99_ns INTEGER, stw_max_ns INTEGER, heap_live_p50_bytes INTEGER,
  UNIQUE (study_id, seq));
CREATE TABLE IF NOT EXISTS histogram (
  run_id INTEGER NOT NULL REFERENCES run(id), kind TEXT NOT NULL,
  min INTEGER NOT NULL, max INTEGER NOT NULL, counts_json TEXT NOT NULL,
  PRIMARY KEY (run_id, kind));
CREATE TABLE IF NOT EXISTS timeline (
  run_id INTEGER NOT NULL REFERENCES run(id), second INTEGER NOT NULL,
  asked_rps REAL, sent INTEGER, responses INTEGER, errors INTEGER,
  p50_corrected_ns INTEGER, p99_corrected_ns INTEGER, p99_uncorrected_ns INTEGER,
  max_corrected_ns INTEGER,
  PRIMARY KEY (run_id, second));
CREATE TABLE IF NOT EXISTS gc_cycle (
  run_id INTEGER NOT NULL REFERENCES run(id), number INTEGER NOT NULL,
  start_ns INTEGER, forced INTEGER, procs INTEGER,
  sweep_term_ns INTEGER, mark_ns INTEGER, sync_ns INTEGER, mark_term_ns INTEGER,
  cpu_sweep_term_ns INTEGER, cpu_assist_ns INTEGER, cpu_background_ns INTEGER,
  cpu_idle_ns INTEGER, cpu_mark_term_ns INTEGER, cpu_other_ns INTEGER,
  heap_start_bytes INTEGER, heap_end_bytes INTEGER, heap_live_bytes INTEGER,
  heap_goal_bytes INTEGER, stacks_bytes INTEGER, globals_bytes INTEGER,
  source TEXT, line INTEGER, offset INTEGER, format TEXT, printed_cpu_percent INTEGER);
CREATE INDEX IF NOT EXISTS gc_cycle_run ON gc_cycle(run_id);
CREATE TABLE IF NOT EXISTS gc_timeline (
  run_id INTEGER PRIMARY KEY REFERENCES run(id),
  load_clock_origin_ns INTEGER, origin_error_ns INTEGER);
CREATE TABLE IF NOT EXISTS gc_stw_pause (
  run_id INTEGER NOT NULL REFERENCES run(id), start_ns INTEGER, end_ns INTEGER,
  reason TEXT, cycle INTEGER);
CREATE INDEX IF NOT EXISTS gc_stw_pause_run ON gc_stw_pause(run_id);
CREATE TABLE IF NOT EXISTS gc_goroutine_span (
  run_id INTEGER NOT NULL REFERENCES run(id), kind TEXT, start_ns INTEGER, end_ns INTEGER,
  goroutine INTEGER, proc INTEGER);
CREATE INDEX IF NOT EXISTS gc_goroutine_span_run ON gc_goroutine_span(run_id);
CREATE TABLE IF NOT EXISTS gc_heap_sample (
  run_id INTEGER NOT NULL REFERENCES run(id), at_ns INTEGER, heap_bytes INTEGER,
  goal_bytes INTEGER);
CREATE INDEX IF NOT EXISTS gc_heap_sample_run ON gc_heap_sample(run_id);
CREATE TABLE IF NOT EXISTS request_log (
  run_id INTEGER NOT NULL REFERENCES run(id), chunk INTEGER NOT NULL, clock TEXT NOT NULL,
  kinds_json TEXT NOT NULL, records BLOB NOT NULL,
  PRIMARY KEY (run_id, chunk));
)sql";

// Version 1 -> 2. Version 1 kept latencies in ms and times in s (REAL),
// heap sizes in printed MB, cell ids with negative markers, and dropped
// some cycle fields (the STW CPU terms, Go 1.5-1.6's sync phase, stacks,
// globals, the line format and number): those come back as 0, "unknown"
// (-1) or the Go 1.18+ format, which is all a version-1 file knows.
constexpr const char* kMigrateV1 = R"sql(
ALTER TABLE run ADD COLUMN design_cell INTEGER;
ALTER TABLE run ADD COLUMN started_unix_ns INTEGER;
ALTER TABLE run ADD COLUMN finished_unix_ns INTEGER;
ALTER TABLE run ADD COLUMN p50_ns INTEGER;
ALTER TABLE run ADD COLUMN p90_ns INTEGER;
ALTER TABLE run ADD COLUMN p99_ns INTEGER;
ALTER TABLE run ADD COLUMN p999_ns INTEGER;
ALTER TABLE run ADD COLUMN max_ns INTEGER;
ALTER TABLE run ADD COLUMN mean_ns INTEGER;
ALTER TABLE run ADD COLUMN p99_uncorrected_ns INTEGER;
ALTER TABLE run ADD COLUMN cpu_ns INTEGER;
ALTER TABLE run ADD COLUMN stw_p99_ns INTEGER;
ALTER TABLE run ADD COLUMN stw_max_ns INTEGER;
ALTER TABLE run ADD COLUMN heap_live_p50_bytes INTEGER;
UPDATE run SET
  design_cell = CASE WHEN phase = 'design' THEN cell END,
  started_unix_ns = CAST(round(started * 1e9) AS INTEGER),
  finished_unix_ns = CAST(round(finished * 1e9) AS INTEGER),
  p50_ns = CAST(round(p50_ms * 1e6) AS INTEGER),
  p90_ns = CAST(round(p90_ms * 1e6) AS INTEGER),
  p99_ns = CAST(round(p99_ms * 1e6) AS INTEGER),
  p999_ns = CAST(round(p999_ms * 1e6) AS INTEGER),
  max_ns = CAST(round(max_ms * 1e6) AS INTEGER),
  mean_ns = CAST(round(mean_ms * 1e6) AS INTEGER),
  p99_uncorrected_ns = CAST(round(p99_uncorrected_ms * 1e6) AS INTEGER),
  cpu_ns = CAST(round(cpu_s * 1e9) AS INTEGER),
  stw_p99_ns = CAST(round(stw_p99_ms * 1e6) AS INTEGER),
  stw_max_ns = CAST(round(stw_max_ms * 1e6) AS INTEGER),
  heap_live_p50_bytes = CAST(round(heap_live_p50_mb * 1048576) AS INTEGER);
ALTER TABLE run DROP COLUMN cell;
ALTER TABLE run DROP COLUMN started;
ALTER TABLE run DROP COLUMN finished;
ALTER TABLE run DROP COLUMN p50_ms;
ALTER TABLE run DROP COLUMN p90_ms;
ALTER TABLE run DROP COLUMN p99_ms;
ALTER TABLE run DROP COLUMN p999_ms;
ALTER TABLE run DROP COLUMN max_ms;
ALTER TABLE run DROP COLUMN mean_ms;
ALTER TABLE run DROP COLUMN p99_uncorrected_ms;
ALTER TABLE run DROP COLUMN cpu_s;
ALTER TABLE run DROP COLUMN stw_p99_ms;
ALTER TABLE run DROP COLUMN stw_max_ms;
ALTER TABLE run DROP COLUMN heap_live_p50_mb;
ALTER TABLE timeline RENAME TO timeline_v1;
ALTER TABLE gc_cycle RENAME TO gc_cycle_v1;
DROP INDEX IF EXISTS gc_cycle_run;
)sql";

// After kSchemaV2 has created the version-2 tables beside the renamed ones.
constexpr const char* kCopyV1 = R"sql(
INSERT INTO timeline SELECT run_id, second, asked_rps, sent, responses, errors,
  CAST(round(p50_ms * 1e6) AS INTEGER), CAST(round(p99_ms * 1e6) AS INTEGER),
  CAST(round(p99_uncorrected_ms * 1e6) AS INTEGER), CAST(round(max_ms * 1e6) AS INTEGER)
  FROM timeline_v1;
INSERT INTO gc_cycle SELECT run_id, number, at_ns, forced, procs,
  sweep_term_ns, mark_ns, 0, mark_term_ns, 0, cpu_assist_ns, cpu_background_ns,
  cpu_idle_ns, 0, 0, heap_start_mb * 1048576, heap_end_mb * 1048576,
  heap_live_mb * 1048576, heap_goal_mb * 1048576, -1, -1,
  'gctrace', 0, 0, 'stacks_globals', cpu_percent
  FROM gc_cycle_v1 ORDER BY rowid;
DROP TABLE timeline_v1;
DROP TABLE gc_cycle_v1;
)sql";

// Version 2 -> 3: the measured window's summary in the run table, and a
// run's RunAttribution in tables of their own (docs/study-database.md).
// Runs stored before it measured fixed windows: not whole periods, their
// period count unknown (-1), no estimate, no heap trend, no attribution
// rows. A new file is created as version 2 and brought here in the same
// transaction, so there is one definition of every table.
constexpr const char* kMigrateV2 = R"sql(
ALTER TABLE run ADD COLUMN heap_peak_bytes INTEGER;
ALTER TABLE run ADD COLUMN window_ns INTEGER;
ALTER TABLE run ADD COLUMN gc_periods INTEGER;
ALTER TABLE run ADD COLUMN limit_reached_in_ns INTEGER;
ALTER TABLE run ADD COLUMN live_heap_slope_bytes_per_sec REAL;
ALTER TABLE run ADD COLUMN whole_periods INTEGER;
ALTER TABLE run ADD COLUMN latency_estimated INTEGER;
UPDATE run SET heap_peak_bytes = 0, window_ns = 0, gc_periods = -1, limit_reached_in_ns = -1,
  live_heap_slope_bytes_per_sec = 0, whole_periods = 0, latency_estimated = 0
  WHERE status != 'pending';
CREATE TABLE attribution (
  run_id INTEGER PRIMARY KEY REFERENCES run(id),
  alignment_error_ns INTEGER, recovery_ns INTEGER,
  window_from_ns INTEGER, window_to_ns INTEGER, window_periods INTEGER,
  window_min_periods INTEGER, window_whole_periods INTEGER,
  slow_threshold_ns INTEGER, slow_count INTEGER, slow_met_stw INTEGER,
  slow_due_in_mark INTEGER, slow_in_recovery INTEGER, slow_no_gc INTEGER);
CREATE TABLE phase_latency (
  run_id INTEGER NOT NULL REFERENCES run(id), phase TEXT NOT NULL,
  requests INTEGER, p50_ns INTEGER, p99_ns INTEGER, max_ns INTEGER, mean_ns INTEGER,
  PRIMARY KEY (run_id, phase));
CREATE TABLE cycle_excess (
  run_id INTEGER NOT NULL REFERENCES run(id), position INTEGER NOT NULL,
  cycle INTEGER, start_ns INTEGER, requests INTEGER, mean_ns INTEGER, excess_ns INTEGER,
  recovery_ns INTEGER,
  PRIMARY KEY (run_id, position));
CREATE TABLE steady_estimate (
  run_id INTEGER PRIMARY KEY REFERENCES run(id),
  period_ns INTEGER, cycle_ns INTEGER, in_gc_requests INTEGER, out_gc_requests INTEGER,
  in_gc_p99_ns INTEGER, out_gc_p99_ns INTEGER, p50_ns INTEGER, p90_ns INTEGER, p99_ns INTEGER,
  p999_ns INTEGER, max_ns INTEGER, mean_ns INTEGER, duty REAL, alloc_bytes_per_sec REAL,
  used INTEGER, upper_bound INTEGER, basis TEXT);
CREATE TABLE heap_trend (
  run_id INTEGER PRIMARY KEY REFERENCES run(id),
  cycles INTEGER, live_bytes INTEGER, limit_bytes INTEGER, limit_reached_in_ns INTEGER,
  horizon_ns INTEGER, slope_bytes_per_sec REAL, slope_stderr_bytes_per_sec REAL, warning TEXT);
UPDATE meta SET value = '3' WHERE key = 'schema';
)sql";

// Version 3 -> 4: a run's captured execution trace (tune --trace-seconds),
// summarized (model/trace_summary.h): one trace_summary row (with its
// request attribution and the capture's note), its MMU points, assist
// payers and slowest requests. Runs stored before it captured no trace:
// no rows.
constexpr const char* kMigrateV3 = R"sql(
CREATE TABLE trace_summary (
  run_id INTEGER PRIMARY KEY REFERENCES run(id),
  captured INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',
  bytes INTEGER, gc_cycles INTEGER, stw_pauses INTEGER, stw_max_ns INTEGER,
  mark_assists INTEGER, assist_ns INTEGER, version TEXT,
  span_start_ns INTEGER, span_end_ns INTEGER,
  requests INTEGER, threshold_ns INTEGER, slow INTEGER, slow_met_stw INTEGER,
  slow_assisted INTEGER, slow_runnable_in_mark INTEGER, slow_percentile REAL, unit TEXT,
  slow_total_running_ns INTEGER, slow_total_assist_ns INTEGER, slow_total_runnable_ns INTEGER,
  slow_total_runnable_in_mark_ns INTEGER, slow_total_stw_ns INTEGER, slow_total_blocked_ns INTEGER,
  slow_total_syscall_ns INTEGER,
  all_total_running_ns INTEGER, all_total_assist_ns INTEGER, all_total_runnable_ns INTEGER,
  all_total_runnable_in_mark_ns INTEGER, all_total_stw_ns INTEGER, all_total_blocked_ns INTEGER,
  all_total_syscall_ns INTEGER);
CREATE TABLE trace_mmu (
  run_id INTEGER NOT NULL REFERENCES run(id), position INTEGER NOT NULL,
  window_ns INTEGER, worst_start_ns INTEGER, utilization REAL,
  PRIMARY KEY (run_id, position));
CREATE TABLE trace_payer (
  run_id INTEGER NOT NULL REFERENCES run(id), position INTEGER NOT NULL,
  goroutines INTEGER, assists INTEGER, assist_ns INTEGER, function TEXT,
  PRIMARY KEY (run_id, position));
CREATE TABLE trace_request (
  run_id INTEGER NOT NULL REFERENCES run(id), position INTEGER NOT NULL,
  id INTEGER, start_ns INTEGER, end_ns INTEGER,
  running_ns INTEGER, assist_ns INTEGER, runnable_ns INTEGER, runnable_in_mark_ns INTEGER,
  stw_ns INTEGER, blocked_ns INTEGER, syscall_ns INTEGER, name TEXT,
  PRIMARY KEY (run_id, position));
UPDATE meta SET value = '4' WHERE key = 'schema';
)sql";

Status Exec(sqlite3* db, const std::string& path, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK) return Status::Ok();
  const std::string msg = err ? err : "unknown error";
  sqlite3_free(err);
  if (msg.find("not a database") != std::string::npos || msg.find("malformed") != std::string::npos) {
    return Status::Corruption(fmt::format("{}: not a gcpilot study database ({})", path, msg));
  }
  return Status::IoError(fmt::format("{}: {}", path, msg));
}

bool HasTable(sqlite3* db, const char* name) {
  Stmt s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  s.Bind(1, name);
  return s.Step() == SQLITE_ROW;
}

// The steps that bring a file of schema `from` (0: a new file) to 4.
std::vector<const char*> StepsFrom(int from) {
  std::vector<const char*> steps;
  if (from == 0) steps = {kSchemaV2};
  if (from == 1) steps = {kMigrateV1, kSchemaV2, kCopyV1};
  if (from <= 2) steps.push_back(kMigrateV2);
  steps.push_back(kMigrateV3);
  return steps;
}

// Runs the steps from schema `from` to 4 in one transaction: nothing
// changes if one fails.
Status Upgrade(sqlite3* db, const std::string& path, int from) {
  if (Status st = Exec(db, path, "BEGIN IMMEDIATE"); !st.ok()) return st;
  for (const char* step : StepsFrom(from)) {
    if (Status st = Exec(db, path, step); !st.ok()) {
      (void)Exec(db, path, "ROLLBACK");
      if (from == 0) return st;
      return Status::IoError(
          fmt::format("{} (migrating the study database from schema {} to {}; the file is "
                      "left as it was)",
                      st.message(), from, kCurrentSchema));
    }
  }
  return Exec(db, path, "COMMIT");
}

}  // namespace

StatusOr<int> SchemaVersion(sqlite3* db, const std::string& path) {
  if (!HasTable(db, "meta")) return 0;
  Stmt s(db, "SELECT value FROM meta WHERE key = 'schema'");
  if (!s.ok()) return Status::Corruption(fmt::format("{}: unreadable meta table: {}", path, sqlite3_errmsg(db)));
  if (s.Step() != SQLITE_ROW) {
    // No version row (a hand-edited file): the run table's columns tell.
    Stmt c(db, "SELECT name FROM pragma_table_info('run') WHERE name IN ('p99_ms', 'gc_periods')");
    if (c.Step() != SQLITE_ROW) return 2;
    if (c.Text(0) == "p99_ms") return 1;
    return HasTable(db, "trace_summary") ? 4 : 3;
  }
  const std::string v = s.Text(0);
  for (int known = 1; known <= kCurrentSchema; ++known) {
    if (v == std::to_string(known)) return known;
  }
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < 1) {
    return Status::Corruption(fmt::format("{}: study database schema \"{}\" is not a version number", path, v));
  }
  return Status::FailedPrecondition(
      fmt::format("{}: study database schema \"{}\" is newer than this gcpilot reads (up to {}); use a newer gcpilot",
                  path, v, kCurrentSchema));
}

Status EnsureSchema(sqlite3* db, const std::string& path) {
  if (Status st = Exec(db, path, kPragmas); !st.ok()) return st;
  auto version = SchemaVersion(db, path);
  if (!version.ok()) return version.status();
  if (*version == kCurrentSchema) return Status::Ok();
  return Upgrade(db, path, *version);
}

}  // namespace gcpilot::store_internal
