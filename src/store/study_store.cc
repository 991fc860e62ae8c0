#include "store/study_store.h"

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gcpilot {
namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta VALUES ('schema', '1');
CREATE TABLE IF NOT EXISTS study (
  id INTEGER PRIMARY KEY, created TEXT NOT NULL, spec_json TEXT NOT NULL,
  design TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run (
  id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES study(id),
  seq INTEGER NOT NULL, cell INTEGER NOT NULL, repeat INTEGER NOT NULL,
  phase TEXT NOT NULL, levels_json TEXT NOT NULL, env_json TEXT NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  started REAL, finished REAL, asked_rps REAL, achieved_rps REAL,
  responses INTEGER, errors INTEGER, error_rate REAL,
  p50_ms REAL, p90_ms REAL, p99_ms REAL, p999_ms REAL, max_ms REAL, mean_ms REAL,
  p99_uncorrected_ms REAL, peak_rss_bytes INTEGER, cpu_s REAL, exit TEXT,
  gc_cycles INTEGER, gc_cpu_share REAL, gc_wall_share REAL, assist_share REAL,
  stw_p99_ms REAL, stw_max_ms REAL, heap_live_p50_mb REAL,
  UNIQUE (study_id, seq));
CREATE TABLE IF NOT EXISTS histogram (
  run_id INTEGER NOT NULL REFERENCES run(id), kind TEXT NOT NULL,
  min INTEGER NOT NULL, max INTEGER NOT NULL, counts_json TEXT NOT NULL,
  PRIMARY KEY (run_id, kind));
CREATE TABLE IF NOT EXISTS timeline (
  run_id INTEGER NOT NULL REFERENCES run(id), second INTEGER NOT NULL,
  asked_rps REAL, sent INTEGER, responses INTEGER, errors INTEGER,
  p50_ms REAL, p99_ms REAL, p99_uncorrected_ms REAL, max_ms REAL,
  PRIMARY KEY (run_id, second));
CREATE TABLE IF NOT EXISTS gc_cycle (
  run_id INTEGER NOT NULL REFERENCES run(id), number INTEGER NOT NULL,
  at_ns INTEGER, cpu_percent INTEGER, sweep_term_ns INTEGER, mark_ns INTEGER,
  mark_term_ns INTEGER, cpu_assist_ns INTEGER, cpu_background_ns INTEGER,
  cpu_idle_ns INTEGER, heap_start_mb INTEGER, heap_end_mb INTEGER,
  heap_live_mb INTEGER, heap_goal_mb INTEGER, procs INTEGER, forced INTEGER);
CREATE INDEX IF NOT EXISTS gc_cycle_run ON gc_cycle(run_id);
)sql";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& Bind(int i, int v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& Bind(int i, double v) { sqlite3_bind_double(s_, i, v); return *this; }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int Step() { return sqlite3_step(s_); }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  int64_t Int(int i) const { return sqlite3_column_int64(s_, i); }
  double Real(int i) const { return sqlite3_column_double(s_, i); }
  std::string Text(int i) const {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

}  // namespace

namespace {

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
  sqlite3_stmt* st = nullptr;
  const char* sql = "SELECT count(*), sum(name IN ('study', 'run')) FROM sqlite_master WHERE type = 'table'";
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    const std::string msg = sqlite3_errmsg(db);
    if (msg.find("not a database") != std::string::npos) {
      return Status::Corruption(fmt::format("{}: not a gcpilot study database ({})", path, msg));
    }
    return Status::IoError(fmt::format("{}: {}", path, msg));
  }
  if (sqlite3_step(st) != SQLITE_ROW) {
    const std::string msg = sqlite3_errmsg(db);
    sqlite3_finalize(st);
    return Status::IoError(fmt::format("{}: {}", path, msg));
  }
  *total = sqlite3_column_int(st, 0);
  *ours = sqlite3_column_int(st, 1) == 2;
  sqlite3_finalize(st);
  return Status::Ok();
}

}  // namespace

StatusOr<StudyStore> StudyStore::Open(const std::string& path) {
  auto db = OpenDb(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();
  StudyStore store(*db, path);
  int total = 0;
  bool ours = false;
  if (Status st = Tables(*db, path, &total, &ours); !st.ok()) return st;
  if (total > 0 && !ours) {
    return Status::Corruption(fmt::format("{}: an SQLite database of something else, not a gcpilot study "
                                          "database (left as it was)", path));
  }
  if (Status st = store.Exec(kSchema); !st.ok()) return st;
  return store;
}

StatusOr<StudyStore> StudyStore::OpenExisting(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) {
    return Status::NotFound(fmt::format("{}: no such study database", path));
  }
  auto db = OpenDb(path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.status();
  StudyStore store(*db, path);
  int total = 0;
  bool ours = false;
  if (Status st = Tables(*db, path, &total, &ours); !st.ok()) return st;
  if (!ours) return Status::Corruption(fmt::format("{}: not a gcpilot study database", path));
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
    if (msg.find("not a database") != std::string::npos || msg.find("malformed") != std::string::npos) {
      return Status::Corruption(fmt::format("{}: not a gcpilot study database ({})", path_, msg));
    }
    return Status::IoError(fmt::format("{}: {}", path_, msg));
  }
  return Status::Ok();
}

namespace {

int64_t InsertRun(sqlite3* db, int64_t study, const RunRecord& r) {
  Stmt s(db, "INSERT INTO run (study_id, seq, cell, repeat, phase, levels_json, env_json, status) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')");
  s.Bind(1, study).Bind(2, r.seq).Bind(3, r.cell).Bind(4, r.repeat).Bind(5, r.phase)
      .Bind(6, nlohmann::json(r.levels).dump()).Bind(7, nlohmann::json(r.env).dump());
  return s.Step() == SQLITE_DONE ? sqlite3_last_insert_rowid(db) : -1;
}

}  // namespace

StatusOr<int64_t> StudyStore::CreateStudy(const std::string& spec_json, const std::string& design,
                                          const std::vector<RunRecord>& plan) {
  if (Status st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  Stmt s(db_, "INSERT INTO study (created, spec_json, design, status) "
              "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, 'running')");
  s.Bind(1, spec_json).Bind(2, design);
  if (s.Step() != SQLITE_DONE) {
    Exec("ROLLBACK");
    return Error("storing the study");
  }
  const int64_t id = sqlite3_last_insert_rowid(db_);
  for (const RunRecord& r : plan) {
    if (InsertRun(db_, id, r) < 0) {
      Status e = Error("storing the plan");
      Exec("ROLLBACK");
      return e;
    }
  }
  if (Status st = Exec("COMMIT"); !st.ok()) return st;
  return id;
}

Status StudyStore::AddRuns(int64_t study, const std::vector<RunRecord>& runs) {
  if (Status st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  for (const RunRecord& r : runs) {
    if (InsertRun(db_, study, r) < 0) {
      Status e = Error("storing runs");
      Exec("ROLLBACK");
      return e;
    }
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
    st.status = s.Text(4);
  }
  Stmt s(db_,
         "SELECT id, seq, cell, repeat, phase, levels_json, env_json, status, reason, started, "
         "finished, asked_rps, achieved_rps, responses, errors, error_rate, p50_ms, p90_ms, p99_ms, "
         "p999_ms, max_ms, mean_ms, p99_uncorrected_ms, peak_rss_bytes, cpu_s, exit, gc_cycles, "
         "gc_cpu_share, gc_wall_share, assist_share, stw_p99_ms, stw_max_ms, heap_live_p50_mb "
         "FROM run WHERE study_id = ? ORDER BY seq");
  s.Bind(1, id);
  while (s.Step() == SQLITE_ROW) {
    RunRecord r;
    r.id = s.Int(0);
    r.seq = static_cast<int>(s.Int(1));
    r.cell = static_cast<int>(s.Int(2));
    r.repeat = static_cast<int>(s.Int(3));
    r.phase = s.Text(4);
    try {
      r.levels = nlohmann::json::parse(s.Text(5)).get<std::vector<int>>();
      r.env = nlohmann::json::parse(s.Text(6)).get<std::map<std::string, std::string>>();
    } catch (const nlohmann::json::exception& e) {
      return Status::Corruption(fmt::format("{}: run {}: {}", path_, r.id, e.what()));
    }
    r.status = s.Text(7);
    r.reason = s.Text(8);
    r.started = s.Real(9);
    r.finished = s.Real(10);
    r.asked_rps = s.Real(11);
    r.achieved_rps = s.Real(12);
    r.responses = s.Int(13);
    r.errors = s.Int(14);
    r.error_rate = s.Real(15);
    r.p50_ms = s.Real(16);
    r.p90_ms = s.Real(17);
    r.p99_ms = s.Real(18);
    r.p999_ms = s.Real(19);
    r.max_ms = s.Real(20);
    r.mean_ms = s.Real(21);
    r.p99_uncorrected_ms = s.Real(22);
    r.peak_rss_bytes = s.Int(23);
    r.cpu_s = s.Real(24);
    r.exit = s.Text(25);
    r.gc_cycles = s.Int(26);
    r.gc_cpu_share = s.Real(27);
    r.gc_wall_share = s.Real(28);
    r.assist_share = s.Real(29);
    r.stw_p99_ms = s.Real(30);
    r.stw_max_ms = s.Real(31);
    r.heap_live_p50_mb = s.Real(32);
    st.runs.push_back(std::move(r));
  }
  return st;
}

Status StudyStore::SaveRun(const RunRecord& r, const LoadResult* load,
                           const std::vector<GcCycle>& cycles) {
  if (Status st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  auto fail = [&](const std::string& what) {
    Status e = Error(what);
    Exec("ROLLBACK");
    return e;
  };
  {
    Stmt s(db_,
           "UPDATE run SET status = ?, reason = ?, started = ?, finished = ?, asked_rps = ?, "
           "achieved_rps = ?, responses = ?, errors = ?, error_rate = ?, p50_ms = ?, p90_ms = ?, "
           "p99_ms = ?, p999_ms = ?, max_ms = ?, mean_ms = ?, p99_uncorrected_ms = ?, "
           "peak_rss_bytes = ?, cpu_s = ?, exit = ?, gc_cycles = ?, gc_cpu_share = ?, "
           "gc_wall_share = ?, assist_share = ?, stw_p99_ms = ?, stw_max_ms = ?, "
           "heap_live_p50_mb = ? WHERE id = ?");
    s.Bind(1, r.status).Bind(2, r.reason).Bind(3, r.started).Bind(4, r.finished)
        .Bind(5, r.asked_rps).Bind(6, r.achieved_rps).Bind(7, r.responses).Bind(8, r.errors)
        .Bind(9, r.error_rate).Bind(10, r.p50_ms).Bind(11, r.p90_ms).Bind(12, r.p99_ms)
        .Bind(13, r.p999_ms).Bind(14, r.max_ms).Bind(15, r.mean_ms).Bind(16, r.p99_uncorrected_ms)
        .Bind(17, r.peak_rss_bytes).Bind(18, r.cpu_s).Bind(19, r.exit).Bind(20, r.gc_cycles)
        .Bind(21, r.gc_cpu_share).Bind(22, r.gc_wall_share).Bind(23, r.assist_share)
        .Bind(24, r.stw_p99_ms).Bind(25, r.stw_max_ms).Bind(26, r.heap_live_p50_mb).Bind(27, r.id);
    if (s.Step() != SQLITE_DONE) return fail("saving a run");
  }
  if (load) {
    Stmt h(db_, "INSERT OR REPLACE INTO histogram VALUES (?, ?, ?, ?, ?)");
    for (const auto& [kind, hist] : {std::pair<const char*, const HdrHistogram*>{"corrected", &load->measured.corrected},
                                     {"uncorrected", &load->measured.uncorrected}}) {
      h.Bind(1, r.id).Bind(2, std::string(kind)).Bind(3, hist->min()).Bind(4, hist->max())
          .Bind(5, nlohmann::json(hist->NonZeroCounts()).dump());
      if (h.Step() != SQLITE_DONE) return fail("saving a histogram");
      h.Reset();
    }
    Stmt t(db_, "INSERT OR REPLACE INTO timeline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const TimelinePoint& p : load->timeline) {
      t.Bind(1, r.id).Bind(2, p.second).Bind(3, p.asked_rps).Bind(4, p.sent).Bind(5, p.responses)
          .Bind(6, p.errors).Bind(7, p.p50_corrected_ns / 1e6).Bind(8, p.p99_corrected_ns / 1e6)
          .Bind(9, p.p99_uncorrected_ns / 1e6).Bind(10, p.max_corrected_ns / 1e6);
      if (t.Step() != SQLITE_DONE) return fail("saving the timeline");
      t.Reset();
    }
  }
  Stmt c(db_, "INSERT INTO gc_cycle VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const GcCycle& g : cycles) {
    c.Bind(1, r.id).Bind(2, g.number).Bind(3, g.start_ns).Bind(4, g.origin.printed_cpu_percent)
        .Bind(5, g.sweep_term_ns).Bind(6, g.mark_ns).Bind(7, g.mark_term_ns)
        .Bind(8, g.cpu_assist_ns).Bind(9, g.cpu_background_ns).Bind(10, g.cpu_idle_ns)
        .Bind(11, g.heap_start_mb()).Bind(12, g.heap_end_mb()).Bind(13, g.heap_live_mb())
        .Bind(14, g.heap_goal_mb()).Bind(15, g.procs).Bind(16, g.forced ? 1 : 0);
    if (c.Step() != SQLITE_DONE) return fail("saving GC cycles");
    c.Reset();
  }
  return Exec("COMMIT");
}

Status StudyStore::SetStudyStatus(int64_t study, const std::string& status) {
  Stmt s(db_, "UPDATE study SET status = ? WHERE id = ?");
  s.Bind(1, status).Bind(2, study);
  return s.Step() == SQLITE_DONE ? Status::Ok() : Error("updating the study");
}

StatusOr<HdrHistogram> StudyStore::LoadHistogram(int64_t run, const std::string& kind) {
  Stmt s(db_, "SELECT min, max, counts_json FROM histogram WHERE run_id = ? AND kind = ?");
  s.Bind(1, run).Bind(2, kind);
  if (s.Step() != SQLITE_ROW) return Status::NotFound(fmt::format("{}: run {} has no {} histogram", path_, run, kind));
  HdrHistogram h = HdrHistogram::ForLatencyNs();
  try {
    h.RecordCounts(nlohmann::json::parse(s.Text(2)).get<std::vector<std::pair<int64_t, int64_t>>>(),
                   s.Int(0), s.Int(1));
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(fmt::format("{}: run {} histogram: {}", path_, run, e.what()));
  }
  return h;
}

StatusOr<std::vector<GcCycle>> StudyStore::LoadCycles(int64_t run) {
  Stmt s(db_, "SELECT number, at_ns, cpu_percent, sweep_term_ns, mark_ns, mark_term_ns, cpu_assist_ns, "
              "cpu_background_ns, cpu_idle_ns, heap_start_mb, heap_end_mb, heap_live_mb, "
              "heap_goal_mb, procs, forced FROM gc_cycle WHERE run_id = ? ORDER BY rowid");
  s.Bind(1, run);
  std::vector<GcCycle> out;
  while (s.Step() == SQLITE_ROW) {
    GcCycle g;
    g.number = s.Int(0);
    g.start_ns = s.Int(1);
    g.origin.printed_cpu_percent = static_cast<int32_t>(s.Int(2));
    g.sweep_term_ns = s.Int(3);
    g.mark_ns = s.Int(4);
    g.mark_term_ns = s.Int(5);
    g.cpu_assist_ns = s.Int(6);
    g.cpu_background_ns = s.Int(7);
    g.cpu_idle_ns = s.Int(8);
    MbToBytes(s.Int(9), &g.heap_start_bytes);
    MbToBytes(s.Int(10), &g.heap_end_bytes);
    MbToBytes(s.Int(11), &g.heap_live_bytes);
    MbToBytes(s.Int(12), &g.heap_goal_bytes);
    g.procs = static_cast<int32_t>(s.Int(13));
    g.forced = s.Int(14) != 0;
    out.push_back(g);
  }
  return out;
}

}  // namespace gcpilot
