// The study database: one SQLite file holding studies, their planned and
// finished runs, each run's latency histograms, per-second timeline and GC
// cycles. Written so that a study killed at any moment (even kill -9) can
// be resumed: the whole plan is stored first, and each run's results land
// in one transaction (WAL journal), so a run is either wholly done or
// still pending.
#ifndef GCPILOT_STORE_STUDY_STORE_H_
#define GCPILOT_STORE_STUDY_STORE_H_

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "hdr/hdr_histogram.h"
#include "loadgen/engine.h"
#include "model/gc_cycle.h"

namespace gcpilot {

// One run of the target at one setting, planned or finished.
struct RunRecord {
  int64_t id = 0;
  int seq = 0;              // execution order within the study
  int cell = 0;             // index into the study's cells
  int repeat = 0;
  std::string phase;        // "design", "baseline", "confirm", "refine" or "verify"
  std::vector<int> levels;  // level index per factor (-1: the baseline value)
  std::map<std::string, std::string> env;  // the factor settings as set
  std::string status = "pending";  // pending, done, failed
  std::string reason;       // why it failed
  double started = 0, finished = 0;  // unix seconds
  // Results (done runs).
  double asked_rps = 0, achieved_rps = 0;
  int64_t responses = 0, errors = 0;
  double error_rate = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
  double p99_uncorrected_ms = 0;
  int64_t peak_rss_bytes = 0;
  double cpu_s = 0;
  std::string exit;         // "exit 0", "killed by SIGKILL", ...
  int64_t gc_cycles = 0;
  double gc_cpu_share = 0, gc_wall_share = 0, assist_share = 0;
  double stw_p99_ms = 0, stw_max_ms = 0, heap_live_p50_mb = 0;
};

struct StoredStudy {
  int64_t id = 0;
  std::string created;
  std::string spec_json;
  std::string design;  // design name
  std::string status;  // running, done
  std::vector<RunRecord> runs;  // by seq
};

class StudyStore {
 public:
  // Opens or creates the database. Errors name the path; an SQLite file
  // that holds other tables is refused, never given ours.
  static StatusOr<StudyStore> Open(const std::string& path);
  // Opens a study database that must already exist (report, --resume):
  // kNotFound for a missing file, kCorruption for a file that is not one.
  // Writes nothing to a file that is not a study database.
  static StatusOr<StudyStore> OpenExisting(const std::string& path);
  StudyStore(StudyStore&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(o.path_) {}
  StudyStore& operator=(StudyStore&&) = delete;
  ~StudyStore();

  // Stores a new study and its planned runs; returns its id.
  StatusOr<int64_t> CreateStudy(const std::string& spec_json, const std::string& design,
                                const std::vector<RunRecord>& plan);
  // Appends planned runs (confirmation runs decided after the design).
  Status AddRuns(int64_t study, const std::vector<RunRecord>& runs);
  // The newest study not marked done, if any.
  StatusOr<std::optional<int64_t>> LatestUnfinished();
  // The newest study (done or not), if any.
  StatusOr<std::optional<int64_t>> Latest();
  StatusOr<StoredStudy> Load(int64_t study);
  // Records a finished (done or failed) run with everything it measured,
  // atomically. `load` and `cycles` may be empty for a failed run.
  Status SaveRun(const RunRecord& run, const LoadResult* load,
                 const std::vector<GcCycle>& cycles);
  Status SetStudyStatus(int64_t study, const std::string& status);
  // The stored corrected latency histogram of a run.
  StatusOr<HdrHistogram> LoadHistogram(int64_t run, const std::string& kind);
  StatusOr<std::vector<GcCycle>> LoadCycles(int64_t run);

 private:
  explicit StudyStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const std::string& sql);
  Status Error(const std::string& what) const;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace gcpilot

#endif  // GCPILOT_STORE_STUDY_STORE_H_
