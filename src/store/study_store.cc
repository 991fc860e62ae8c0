#include "store/study_store.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/input_file.h"
#include "store/column_set.h"
#include "store/sql_stmt.h"
#include "store/store_schema.h"

namespace gcpilot {

using store_internal::BindColumns;
using store_internal::ColumnNames;
using store_internal::ReadColumns;
using store_internal::Stmt;

static_assert(StudyStore::kSchemaVersion == store_internal::kCurrentSchema);

namespace {

// SQLite says only "unable to open database file" of a directory.
Status RefuseDirectory(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return Status::Ok();
  return InputFileError(path, EISDIR, "a study database");
}

StatusOr<sqlite3*> OpenDb(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IoError(fmt::format("{}: cannot open study database: {}", path, msg));
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

// How many tables the file has, and whether ours are among them.
Status Tables(sqlite3* db, const std::string& path, int* total, bool* ours) {
  Stmt s(db, "SELECT count(*), sum(name IN ('study', 'run')) FROM sqlite_master WHERE type = 'table'");
  if (!s.ok()) {
    const std::string msg = sqlite3_errmsg(db);
    if (msg.find("not a database") != std::string::npos) {
      return Status::Corruption(fmt::format("{}: not a gcpilot study database ({})", path, msg));
    }
    return Status::IoError(fmt::format("{}: {}", path, msg));
  }
  if (s.Step() != SQLITE_ROW) return Status::IoError(fmt::format("{}: {}", path, sqlite3_errmsg(db)));
  *total = static_cast<int>(s.Int(0));
  *ours = s.Int(1) == 2;
  return Status::Ok();
}

const char* StudyStatusName(StudyStatus s) { return s == StudyStatus::kDone ? "done" : "running"; }

// The run table's measurement columns.
constexpr store_internal::Column<RunMetrics, int64_t> kIntColumns[] = {
    {"responses", &RunMetrics::responses},
    {"errors", &RunMetrics::errors},
    {"p50_ns", &RunMetrics::p50_ns},
    {"p90_ns", &RunMetrics::p90_ns},
    {"p99_ns", &RunMetrics::p99_ns},
    {"p999_ns", &RunMetrics::p999_ns},
    {"max_ns", &RunMetrics::max_ns},
    {"mean_ns", &RunMetrics::mean_ns},
    {"p99_uncorrected_ns", &RunMetrics::p99_uncorrected_ns},
    {"peak_rss_bytes", &RunMetrics::peak_rss_bytes},
    {"cpu_ns", &RunMetrics::cpu_ns},
    {"gc_cycles", &RunMetrics::gc_cycles},
    {"stw_p99_ns", &RunMetrics::stw_p99_ns},
    {"stw_max_ns", &RunMetrics::stw_max_ns},
    {"heap_live_p50_bytes", &RunMetrics::heap_live_p50_bytes},
    {"heap_peak_bytes", &RunMetrics::heap_peak_bytes},
    {"window_ns", &RunMetrics::window_ns},
    {"gc_periods", &RunMetrics::gc_periods},
    {"limit_reached_in_ns", &RunMetrics::limit_reached_in_ns},
};
constexpr store_internal::Column<RunMetrics, double> kRealColumns[] = {
    {"asked_rps", &RunMetrics::asked_rps},
    {"achieved_rps", &RunMetrics::achieved_rps},
    {"error_rate", &RunMetrics::error_rate},
    {"gc_cpu_share", &RunMetrics::gc_cpu_share},
    {"gc_wall_share", &RunMetrics::gc_wall_share},
    {"assist_share", &RunMetrics::assist_share},
    {"live_heap_slope_bytes_per_sec", &RunMetrics::live_heap_slope_bytes_per_sec},
};
constexpr store_internal::Column<RunMetrics, bool> kBoolColumns[] = {
    {"whole_periods", &RunMetrics::whole_periods},
    {"latency_estimated", &RunMetrics::latency_estimated},
};
constexpr store_internal::ColumnSet<RunMetrics> kMetricColumns{kIntColumns, kRealColumns, kBoolColumns};
// Columns before the metrics, in this order, in both directions.
constexpr const char* kRunColumns = "status, reason, started_unix_ns, finished_unix_ns, exit";
constexpr int kRunColumnCount = 5;

}  // namespace

StatusOr<StudyStore> StudyStore::Open(const std::string& path) {
  if (Status st = RefuseDirectory(path); !st.ok()) return st;
  auto db = OpenDb(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();
  StudyStore store(*db, path);
  int total = 0;
  bool ours = false;
  if (Status st = Tables(*db, path, &total, &ours); !st.ok()) return st;
  if (total > 0 && !ours) {
    return Status::Corruption(
        fmt::format("{}: an SQLite database of something else, not a gcpilot study "
                    "database (left as it was)",
                    path));
  }
  if (Status st = store_internal::EnsureSchema(*db, path); !st.ok()) return st;
  return store;
}

StatusOr<StudyStore> StudyStore::OpenExisting(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) {
    return Status::NotFound(fmt::format("{}: no such study database", path));
  }
  if (Status st = RefuseDirectory(path); !st.ok()) return st;
  auto db = OpenDb(path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.status();
  StudyStore store(*db, path);
  int total = 0;
  bool ours = false;
  if (Status st = Tables(*db, path, &total, &ours); !st.ok()) return st;
  if (!ours) return Status::Corruption(fmt::format("{}: not a gcpilot study database", path));
  if (Status st = store_internal::EnsureSchema(*db, path); !st.ok()) return st;
  return store;
}

StudyStore::~StudyStore() {
  if (db_) sqlite3_close(db_);
}

Status StudyStore::Error(const std::string& what) const {
  return Status::IoError(fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

Status StudyStore::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IoError(fmt::format("{}: {}", path_, msg));
  }
  return Status::Ok();
}

Status StudyStore::InsertRuns(int64_t study, std::vector<RunResult>* runs) {
  Stmt s(db_,
         "INSERT INTO run (study_id, seq, repeat, phase, design_cell, levels_json, env_json, status) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')");
  for (RunResult& r : *runs) {
    s.Bind(1, study)
        .Bind(2, r.seq)
        .Bind(3, r.repeat)
        .Bind(4, RunPhaseName(r.phase))
        .Bind(6, nlohmann::json(r.levels).dump())
        .Bind(7, nlohmann::json(r.env).dump());
    if (r.design_cell)
      s.Bind(5, *r.design_cell);
    else
      s.BindNull(5);
    if (s.Step() != SQLITE_DONE) return Error("storing runs");
    r.id = sqlite3_last_insert_rowid(db_);
    s.Reset();
  }
  return Status::Ok();
}

StatusOr<int64_t> StudyStore::CreateStudy(const std::string& spec_json, const std::string& design,
                                          const std::vector<RunResult>& plan) {
  if (Status st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  Stmt s(db_,
         "INSERT INTO study (created, spec_json, design, status) "
         "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, 'running')");
  s.Bind(1, spec_json).Bind(2, design);
  if (s.Step() != SQLITE_DONE) {
    Status e = Error("storing the study");
    (void)Exec("ROLLBACK");
    return e;
  }
  const int64_t id = sqlite3_last_insert_rowid(db_);
  std::vector<RunResult> runs = plan;
  if (Status st = InsertRuns(id, &runs); !st.ok()) {
    (void)Exec("ROLLBACK");
    return st;
  }
  if (Status st = Exec("COMMIT"); !st.ok()) return st;
  return id;
}

Status StudyStore::AddRuns(int64_t study, std::vector<RunResult>* runs) {
  if (Status st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  if (Status st = InsertRuns(study, runs); !st.ok()) {
    (void)Exec("ROLLBACK");
    return st;
  }
  return Exec("COMMIT");
}

StatusOr<std::optional<int64_t>> StudyStore::LatestUnfinished() {
  Stmt s(db_, "SELECT id FROM study WHERE status != 'done' ORDER BY id DESC LIMIT 1");
  if (!s.ok()) return Error("reading studies");
  if (s.Step() == SQLITE_ROW) return std::optional<int64_t>(s.Int(0));
  return std::optional<int64_t>();
}

StatusOr<std::optional<int64_t>> StudyStore::Latest() {
  Stmt s(db_, "SELECT id FROM study ORDER BY id DESC LIMIT 1");
  if (!s.ok()) return Error("reading studies");
  if (s.Step() == SQLITE_ROW) return std::optional<int64_t>(s.Int(0));
  return std::optional<int64_t>();
}

StatusOr<StoredStudy> StudyStore::Load(int64_t id) {
  StoredStudy st;
  {
    Stmt s(db_, "SELECT id, created, spec_json, design, status FROM study WHERE id = ?");
    if (!s.ok()) return Error("reading the study");
    s.Bind(1, id);
    if (s.Step() != SQLITE_ROW) return Status::NotFound(fmt::format("{}: no study {}", path_, id));
    st.id = s.Int(0);
    st.created = s.Text(1);
    st.spec_json = s.Text(2);
    st.design = s.Text(3);
    st.status = s.Text(4) == "done" ? StudyStatus::kDone : StudyStatus::kRunning;
  }
  Stmt s(db_, fmt::format("SELECT id, seq, repeat, phase, design_cell, levels_json, env_json, {}, {} FROM run "
                          "WHERE study_id = ? ORDER BY seq",
                          kRunColumns, ColumnNames(kMetricColumns)));
  if (!s.ok()) return Error("reading runs");
  s.Bind(1, id);
  while (s.Step() == SQLITE_ROW) {
    RunResult r;
    r.id = s.Int(0);
    r.seq = static_cast<int>(s.Int(1));
    r.repeat = static_cast<int>(s.Int(2));
    const auto phase = ParseRunPhase(s.Text(3));
    const auto status = ParseRunStatus(s.Text(7));
    if (!phase || !status) {
      return Status::Corruption(
          fmt::format("{}: run {}: unknown phase \"{}\" or status \"{}\"", path_, r.id, s.Text(3), s.Text(7)));
    }
    r.phase = *phase;
    r.status = *status;
    if (!s.IsNull(4)) r.design_cell = static_cast<int>(s.Int(4));
    try {
      r.levels = nlohmann::json::parse(s.Text(5)).get<std::vector<int>>();
      r.env = nlohmann::json::parse(s.Text(6)).get<std::map<std::string, std::string>>();
    } catch (const nlohmann::json::exception& e) {
      return Status::Corruption(fmt::format("{}: run {}: {}", path_, r.id, e.what()));
    }
    r.reason = s.Text(8);
    r.started_unix_ns = s.Int(9);
    r.finished_unix_ns = s.Int(10);
    r.exit = s.Text(11);
    int first_metric = 7 + kRunColumnCount;
    if (const std::string bad = ReadColumns(s, &first_metric, kMetricColumns, &r.metrics); !bad.empty()) {
      return Status::Corruption(fmt::format("{}: run {}: {} is not a number", path_, r.id, bad));
    }
    st.runs.push_back(std::move(r));
  }
  return st;
}

Status StudyStore::SaveRun(const RunResult& r, const RunData& data) {
  if (Status st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  auto fail = [&](Status e) {
    (void)Exec("ROLLBACK");
    return e;
  };
  {
    std::string sets = "status = ?, reason = ?, started_unix_ns = ?, finished_unix_ns = ?, exit = ?";
    sets += ", " + ColumnNames(kMetricColumns, "", " = ?");
    Stmt s(db_, fmt::format("UPDATE run SET {} WHERE id = ?", sets));
    s.Bind(1, RunStatusName(r.status))
        .Bind(2, r.reason)
        .Bind(3, r.started_unix_ns)
        .Bind(4, r.finished_unix_ns)
        .Bind(5, r.exit);
    int next = 1 + kRunColumnCount;
    BindColumns(s, &next, kMetricColumns, r.metrics);
    s.Bind(next, r.id);
    if (s.Step() != SQLITE_DONE) return fail(Error("saving a run"));
    if (sqlite3_changes(db_) != 1) {
      return fail(Status::NotFound(fmt::format("{}: saving a run: no planned run {}", path_, r.id)));
    }
  }
  if (Status st = SaveHistograms(r, data); !st.ok()) return fail(st);
  if (Status st = SaveTimeline(r, data); !st.ok()) return fail(st);
  if (Status st = SaveRequests(r, data); !st.ok()) return fail(st);
  if (Status st = SaveGc(r, data.gc); !st.ok()) return fail(st);
  if (Status st = SaveAttribution(r, data.attribution); !st.ok()) return fail(st);
  if (Status st = SaveTraceSummary(r, data); !st.ok()) return fail(st);
  return Exec("COMMIT");
}

Status StudyStore::SetStudyStatus(int64_t study, StudyStatus status) {
  Stmt s(db_, "UPDATE study SET status = ? WHERE id = ?");
  s.Bind(1, StudyStatusName(status)).Bind(2, study);
  return s.Step() == SQLITE_DONE ? Status::Ok() : Error("updating the study");
}

}  // namespace gcpilot
