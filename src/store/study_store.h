// The study database: one SQLite file holding studies, their planned and
// finished runs, and each run's data: latency histograms, per-second load
// timeline, request log and GC timeline. Written so that a study killed at
// any moment (even kill -9) can be resumed: the whole plan is stored
// first, and each run's results land in one transaction (WAL journal), so
// a run is either wholly done or still pending.
//
// It takes and returns model structs only (src/model/) and keeps every
// field of them: a loaded run is the run that was saved. The schema is
// written down in docs/study-database.md; files of schema version 1 (gcpilot
// before the shared model), 2 (before the measured window and the
// attribution) and 3 (before captured execution traces) are migrated to
// version 4 when opened, in one transaction.
#ifndef GCPILOT_STORE_STUDY_STORE_H_
#define GCPILOT_STORE_STUDY_STORE_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "hdr/hdr_histogram.h"
#include "model/gc_attribution.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"
#include "model/run_result.h"
#include "model/trace_summary.h"

namespace gcpilot {

// Everything a run recorded beside its RunResult. Histograms are absent
// for a run that never reached the load.
struct RunData {
  std::optional<HdrHistogram> corrected, uncorrected;
  std::vector<LoadSecond> timeline;
  RequestLog requests;
  GcTimeline gc;
  RunAttribution attribution;  // the requests joined to the GC (tune runs)
  // The execution trace captured inside the measured window (tune
  // --trace-seconds), summarized; absent when none was asked for or the
  // capture failed, which `trace_note` then says ("" otherwise).
  std::optional<TraceSummary> trace;
  std::string trace_note;
};

enum class StudyStatus : uint8_t { kRunning, kDone };

struct StoredStudy {
  int64_t id = 0;
  std::string created;  // UTC, ISO 8601
  std::string spec_json;
  std::string design;  // design name
  StudyStatus status = StudyStatus::kRunning;
  std::vector<RunResult> runs;  // by seq
};

class StudyStore {
 public:
  static constexpr int kSchemaVersion = 4;

  // Opens or creates the database. Errors name the path; an SQLite file
  // that holds other tables is refused, never given ours.
  [[nodiscard]] static StatusOr<StudyStore> Open(const std::string& path);
  // Opens a study database that must already exist (report, --resume):
  // kNotFound for a missing file, kCorruption for a file that is not one.
  // Writes nothing to a file that is not a study database.
  [[nodiscard]] static StatusOr<StudyStore> OpenExisting(const std::string& path);
  StudyStore(StudyStore&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(o.path_) {}
  StudyStore& operator=(StudyStore&&) = delete;
  ~StudyStore();

  // Stores a new study and its planned runs; returns its id.
  [[nodiscard]] StatusOr<int64_t> CreateStudy(const std::string& spec_json, const std::string& design,
                                              const std::vector<RunResult>& plan);
  // Appends planned runs (rounds decided after the design); sets their ids.
  [[nodiscard]] Status AddRuns(int64_t study, std::vector<RunResult>* runs);
  // The newest study not marked done, if any.
  [[nodiscard]] StatusOr<std::optional<int64_t>> LatestUnfinished();
  // The newest study (done or not), if any.
  [[nodiscard]] StatusOr<std::optional<int64_t>> Latest();
  [[nodiscard]] StatusOr<StoredStudy> Load(int64_t study);
  // Records a finished (done or failed) run with everything it measured,
  // atomically.
  [[nodiscard]] Status SaveRun(const RunResult& run, const RunData& data);
  [[nodiscard]] Status SetStudyStatus(int64_t study, StudyStatus status);
  // A run's stored data (what SaveRun was given).
  [[nodiscard]] StatusOr<RunData> LoadRunData(int64_t run);
  // Parts of it: the corrected latency histogram ("corrected" or
  // "uncorrected"; kNotFound if the run has none) and the GC timeline.
  [[nodiscard]] StatusOr<HdrHistogram> LoadHistogram(int64_t run, const std::string& kind);
  [[nodiscard]] StatusOr<GcTimeline> LoadGcTimeline(int64_t run);
  // The run's RunAttribution; a default one (alignment_error_ns -1) for a
  // run stored without one (before schema 3, or never joined to its GC).
  // kCorruption naming the table and column for a value of another type.
  [[nodiscard]] StatusOr<RunAttribution> LoadAttribution(int64_t run);
  // The run's captured trace summary and the capture's note (RunData's
  // `trace` and `trace_note`); fills neither for a run without one.
  // kCorruption naming the table and column for a value of another type.
  [[nodiscard]] Status LoadTraceSummary(int64_t run, RunData* data);

 private:
  explicit StudyStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  [[nodiscard]] Status Exec(const std::string& sql);
  [[nodiscard]] Status Error(const std::string& what) const;
  [[nodiscard]] Status Migrate();
  [[nodiscard]] Status InsertRuns(int64_t study, std::vector<RunResult>* runs);
  [[nodiscard]] Status SaveHistograms(const RunResult& run, const RunData& data);
  [[nodiscard]] Status SaveTimeline(const RunResult& run, const RunData& data);
  [[nodiscard]] Status SaveRequests(const RunResult& run, const RunData& data);
  [[nodiscard]] Status SaveGc(const RunResult& run, const GcTimeline& gc);
  [[nodiscard]] Status SaveAttribution(const RunResult& run, const RunAttribution& a);
  [[nodiscard]] Status SaveTraceSummary(const RunResult& run, const RunData& data);
  [[nodiscard]] Status SaveTraceLists(const RunResult& run, const TraceSummary& t);
  [[nodiscard]] Status LoadTraceLists(int64_t run, TraceSummary* t);
  [[nodiscard]] Status SaveEstimateAndTrend(const RunResult& run, const RunAttribution& a);
  [[nodiscard]] Status LoadEstimateAndTrend(int64_t run, RunAttribution* a);
  [[nodiscard]] Status LoadTimeline(int64_t run, RunData* data);
  [[nodiscard]] Status LoadRequests(int64_t run, RunData* data);
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace gcpilot

#endif  // GCPILOT_STORE_STUDY_STORE_H_
