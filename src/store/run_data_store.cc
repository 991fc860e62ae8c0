// The per-run data tables of the study database: histograms, the load
// timeline, the request log and the GC timeline (StudyStore's SaveRun and
// LoadRunData halves for them).
#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql_stmt.h"
#include "store/study_store.h"

namespace gcpilot {

using store_internal::Stmt;

namespace {

// The GcCycle fields stored as plain integers, beside their columns.
using CycleColumn = store_internal::Column<GcCycle, int64_t>;
constexpr CycleColumn kCycleColumns[] = {
    {"number", &GcCycle::number},
    {"start_ns", &GcCycle::start_ns},
    {"sweep_term_ns", &GcCycle::sweep_term_ns},
    {"mark_ns", &GcCycle::mark_ns},
    {"sync_ns", &GcCycle::sync_ns},
    {"mark_term_ns", &GcCycle::mark_term_ns},
    {"cpu_sweep_term_ns", &GcCycle::cpu_sweep_term_ns},
    {"cpu_assist_ns", &GcCycle::cpu_assist_ns},
    {"cpu_background_ns", &GcCycle::cpu_background_ns},
    {"cpu_idle_ns", &GcCycle::cpu_idle_ns},
    {"cpu_mark_term_ns", &GcCycle::cpu_mark_term_ns},
    {"cpu_other_ns", &GcCycle::cpu_other_ns},
    {"heap_start_bytes", &GcCycle::heap_start_bytes},
    {"heap_end_bytes", &GcCycle::heap_end_bytes},
    {"heap_live_bytes", &GcCycle::heap_live_bytes},
    {"heap_goal_bytes", &GcCycle::heap_goal_bytes},
    {"stacks_bytes", &GcCycle::stacks_bytes},
    {"globals_bytes", &GcCycle::globals_bytes},
};
// Then: forced, procs, source, line, offset, format, printed_cpu_percent.
constexpr int kCycleExtraColumns = 7;

constexpr const char* kFormatNames[] = {"five_phase", "three_phase", "stacks_globals"};
constexpr const char* kSourceNames[] = {"gctrace", "exec_trace"};
constexpr const char* kSpanKindNames[] = {"mark_assist", "sweep"};

// Index of `name` in `names`, or -1.
template <size_t N>
int IndexOf(const char* const (&names)[N], const std::string& name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<int>(i);
  }
  return -1;
}

std::string CycleColumnList() {
  std::string s;
  for (const CycleColumn& c : kCycleColumns) s += fmt::format("{}, ", c.name);
  return s + "forced, procs, source, line, offset, format, printed_cpu_percent";
}

// A request record on disk: 29 bytes, little-endian: due, sent, done
// (int64 each), kind, http status (uint16 each), outcome (uint8).
constexpr size_t kRecordBytes = 29;

template <typename T>
void PutLe(std::string* out, T v) {
  auto u = static_cast<std::make_unsigned_t<T>>(v);
  for (size_t i = 0; i < sizeof(T); ++i) out->push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}
template <typename T>
T GetLe(const char* p) {
  std::make_unsigned_t<T> u = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    u |= static_cast<std::make_unsigned_t<T>>(static_cast<uint8_t>(p[i])) << (8 * i);
  return static_cast<T>(u);
}

// Records per request_log row: 30.4 MB blobs.
constexpr size_t kRecordsPerChunk = size_t{1} << 20;

std::string EncodeRecords(std::vector<RequestRecord>::const_iterator begin,
                          std::vector<RequestRecord>::const_iterator end) {
  std::string out;
  out.reserve(static_cast<size_t>(end - begin) * kRecordBytes);
  for (auto it = begin; it != end; ++it) {
    const RequestRecord& r = *it;
    PutLe(&out, r.due_ns);
    PutLe(&out, r.sent_ns);
    PutLe(&out, r.done_ns);
    PutLe(&out, r.kind);
    PutLe(&out, r.http_status);
    PutLe(&out, static_cast<uint8_t>(r.outcome));
  }
  return out;
}

bool DecodeRecords(std::string_view blob, std::vector<RequestRecord>* out) {
  if (blob.size() % kRecordBytes != 0) return false;
  out->reserve(out->size() + blob.size() / kRecordBytes);
  for (const char* p = blob.data(); p < blob.data() + blob.size(); p += kRecordBytes) {
    RequestRecord r;
    r.due_ns = GetLe<int64_t>(p);
    r.sent_ns = GetLe<int64_t>(p + 8);
    r.done_ns = GetLe<int64_t>(p + 16);
    r.kind = GetLe<uint16_t>(p + 24);
    r.http_status = GetLe<uint16_t>(p + 26);
    const auto outcome = static_cast<uint8_t>(p[28]);
    if (outcome >= kRequestOutcomes) return false;
    r.outcome = static_cast<RequestOutcome>(outcome);
    out->push_back(r);
  }
  return true;
}

}  // namespace

Status StudyStore::SaveHistograms(const RunResult& r, const RunData& data) {
  Stmt h(db_, "INSERT OR REPLACE INTO histogram VALUES (?, ?, ?, ?, ?)");
  for (const auto& [kind, hist] :
       {std::pair<const char*, const std::optional<HdrHistogram>*>{"corrected", &data.corrected},
        {"uncorrected", &data.uncorrected}}) {
    if (!*hist) continue;
    h.Bind(1, r.id)
        .Bind(2, kind)
        .Bind(3, (*hist)->min())
        .Bind(4, (*hist)->max())
        .Bind(5, nlohmann::json((*hist)->NonZeroCounts()).dump());
    if (h.Step() != SQLITE_DONE) return Error("saving a histogram");
    h.Reset();
  }
  return Status::Ok();
}

Status StudyStore::SaveTimeline(const RunResult& r, const RunData& data) {
  Stmt t(db_,
         "INSERT OR REPLACE INTO timeline (run_id, second, asked_rps, sent, responses, errors, "
         "p50_corrected_ns, p99_corrected_ns, p99_uncorrected_ns, max_corrected_ns) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const LoadSecond& p : data.timeline) {
    t.Bind(1, r.id)
        .Bind(2, p.second)
        .Bind(3, p.asked_rps)
        .Bind(4, p.sent)
        .Bind(5, p.responses)
        .Bind(6, p.errors)
        .Bind(7, p.p50_corrected_ns)
        .Bind(8, p.p99_corrected_ns)
        .Bind(9, p.p99_uncorrected_ns)
        .Bind(10, p.max_corrected_ns);
    if (t.Step() != SQLITE_DONE) return Error("saving the timeline");
    t.Reset();
  }
  return Status::Ok();
}

Status StudyStore::SaveRequests(const RunResult& r, const RunData& data) {
  const RequestLog& log = data.requests;
  if (log.records.empty() && log.kinds.empty()) return Status::Ok();
  // Chunks keep every blob far below SQLite's 1e9-byte limit, whatever the
  // run's length (a 10-minute run at 60k/s holds 36M requests).
  Stmt s(db_, "INSERT OR REPLACE INTO request_log VALUES (?, ?, ?, ?, ?)");
  const std::string kinds = nlohmann::json(log.kinds).dump();
  const size_t n = log.records.size();
  for (size_t first = 0, chunk = 0; first < n || chunk == 0; first += kRecordsPerChunk, ++chunk) {
    const auto begin = log.records.begin() + static_cast<std::ptrdiff_t>(first);
    const auto end = log.records.begin() + static_cast<std::ptrdiff_t>(std::min(n, first + kRecordsPerChunk));
    s.Bind(1, r.id)
        .Bind(2, static_cast<int64_t>(chunk))
        .Bind(3, log.clock)
        .Bind(4, kinds)
        .BindBlob(5, EncodeRecords(begin, end));
    if (s.Step() != SQLITE_DONE) return Error("saving the request log");
    s.Reset();
  }
  return Status::Ok();
}

Status StudyStore::SaveGc(const RunResult& r, const GcTimeline& gc) {
  Stmt t(db_, "INSERT OR REPLACE INTO gc_timeline VALUES (?, ?, ?)");
  t.Bind(1, r.id).Bind(2, gc.load_clock_origin_ns).Bind(3, gc.origin_error_ns);
  if (t.Step() != SQLITE_DONE) return Error("saving the GC timeline");
  const int n = static_cast<int>(std::size(kCycleColumns));
  std::string marks = "?";
  for (int i = 0; i < n + kCycleExtraColumns; ++i) marks += ", ?";
  Stmt c(db_, fmt::format("INSERT INTO gc_cycle (run_id, {}) VALUES ({})", CycleColumnList(), marks));
  for (const GcCycle& g : gc.cycles) {
    c.Bind(1, r.id);
    for (int i = 0; i < n; ++i) c.Bind(2 + i, g.*kCycleColumns[i].field);
    c.Bind(2 + n, g.forced ? 1 : 0)
        .Bind(3 + n, g.procs)
        .Bind(4 + n, kSourceNames[static_cast<int>(g.origin.source)])
        .Bind(5 + n, g.origin.line)
        .Bind(6 + n, g.origin.offset)
        .Bind(7 + n, kFormatNames[static_cast<int>(g.origin.format)])
        .Bind(8 + n, g.origin.printed_cpu_percent);
    if (c.Step() != SQLITE_DONE) return Error("saving GC cycles");
    c.Reset();
  }
  Stmt p(db_, "INSERT INTO gc_stw_pause VALUES (?, ?, ?, ?, ?)");
  for (const StwPause& s : gc.stw_pauses) {
    p.Bind(1, r.id).Bind(2, s.span.start_ns).Bind(3, s.span.end_ns).Bind(4, s.reason).Bind(5, s.cycle);
    if (p.Step() != SQLITE_DONE) return Error("saving STW pauses");
    p.Reset();
  }
  Stmt g(db_, "INSERT INTO gc_goroutine_span VALUES (?, ?, ?, ?, ?, ?)");
  for (const GoroutineGcSpan& s : gc.goroutine_spans) {
    g.Bind(1, r.id)
        .Bind(2, kSpanKindNames[static_cast<int>(s.kind)])
        .Bind(3, s.span.start_ns)
        .Bind(4, s.span.end_ns)
        .Bind(5, s.goroutine)
        .Bind(6, s.proc);
    if (g.Step() != SQLITE_DONE) return Error("saving goroutine GC spans");
    g.Reset();
  }
  Stmt h(db_, "INSERT INTO gc_heap_sample VALUES (?, ?, ?, ?)");
  for (const HeapSample& s : gc.heap_samples) {
    h.Bind(1, r.id).Bind(2, s.at_ns).Bind(3, s.heap_bytes).Bind(4, s.goal_bytes);
    if (h.Step() != SQLITE_DONE) return Error("saving heap samples");
    h.Reset();
  }
  return Status::Ok();
}

StatusOr<HdrHistogram> StudyStore::LoadHistogram(int64_t run, const std::string& kind) {
  Stmt s(db_, "SELECT min, max, counts_json FROM histogram WHERE run_id = ? AND kind = ?");
  if (!s.ok()) return Error("reading histograms");
  s.Bind(1, run).Bind(2, kind);
  if (s.Step() != SQLITE_ROW) return Status::NotFound(fmt::format("{}: run {} has no {} histogram", path_, run, kind));
  HdrHistogram h = HdrHistogram::ForLatencyNs();
  try {
    h.RecordCounts(nlohmann::json::parse(s.Text(2)).get<std::vector<std::pair<int64_t, int64_t>>>(), s.Int(0),
                   s.Int(1));
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(fmt::format("{}: run {} histogram: {}", path_, run, e.what()));
  }
  return h;
}

StatusOr<GcTimeline> StudyStore::LoadGcTimeline(int64_t run) {
  GcTimeline gc;
  {
    Stmt t(db_, "SELECT load_clock_origin_ns, origin_error_ns FROM gc_timeline WHERE run_id = ?");
    t.Bind(1, run);
    if (t.Step() == SQLITE_ROW) {  // absent in migrated version-1 files: unknown
      gc.load_clock_origin_ns = t.Int(0);
      gc.origin_error_ns = t.Int(1);
    }
  }
  const int n = static_cast<int>(std::size(kCycleColumns));
  Stmt c(db_, fmt::format("SELECT {} FROM gc_cycle WHERE run_id = ? ORDER BY rowid", CycleColumnList()));
  c.Bind(1, run);
  while (c.Step() == SQLITE_ROW) {
    GcCycle g;
    for (int i = 0; i < n; ++i) g.*kCycleColumns[i].field = c.Int(i);
    g.forced = c.Int(n) != 0;
    g.procs = static_cast<int32_t>(c.Int(n + 1));
    const int source = IndexOf(kSourceNames, c.Text(n + 2));
    const int format = IndexOf(kFormatNames, c.Text(n + 5));
    if (source < 0 || format < 0) {
      return Status::Corruption(fmt::format("{}: run {}: GC cycle {}: unknown source \"{}\" or format \"{}\"", path_,
                                            run, g.number, c.Text(n + 2), c.Text(n + 5)));
    }
    g.origin.source = static_cast<GcSource>(source);
    g.origin.line = c.Int(n + 3);
    g.origin.offset = c.Int(n + 4);
    g.origin.format = static_cast<GctraceFormat>(format);
    g.origin.printed_cpu_percent = static_cast<int32_t>(c.Int(n + 6));
    gc.cycles.push_back(g);
  }
  Stmt p(db_, "SELECT start_ns, end_ns, reason, cycle FROM gc_stw_pause WHERE run_id = ? ORDER BY rowid");
  p.Bind(1, run);
  while (p.Step() == SQLITE_ROW) gc.stw_pauses.push_back({{p.Int(0), p.Int(1)}, p.Text(2), p.Int(3)});
  Stmt g(db_, "SELECT kind, start_ns, end_ns, goroutine, proc FROM gc_goroutine_span WHERE run_id = ? ORDER BY rowid");
  g.Bind(1, run);
  while (g.Step() == SQLITE_ROW) {
    const int kind = IndexOf(kSpanKindNames, g.Text(0));
    if (kind < 0)
      return Status::Corruption(fmt::format("{}: run {}: unknown GC span kind \"{}\"", path_, run, g.Text(0)));
    gc.goroutine_spans.push_back(
        {static_cast<GoroutineGcSpan::Kind>(kind), {g.Int(1), g.Int(2)}, g.Int(3), static_cast<int32_t>(g.Int(4))});
  }
  Stmt h(db_, "SELECT at_ns, heap_bytes, goal_bytes FROM gc_heap_sample WHERE run_id = ? ORDER BY rowid");
  h.Bind(1, run);
  while (h.Step() == SQLITE_ROW) gc.heap_samples.push_back({h.Int(0), h.Int(1), h.Int(2)});
  return gc;
}

Status StudyStore::LoadTimeline(int64_t run, RunData* data) {
  Stmt t(db_,
         "SELECT second, asked_rps, sent, responses, errors, p50_corrected_ns, p99_corrected_ns, "
         "p99_uncorrected_ns, max_corrected_ns FROM timeline WHERE run_id = ? ORDER BY second");
  if (!t.ok()) return Error("reading the timeline");
  t.Bind(1, run);
  while (t.Step() == SQLITE_ROW) {
    data->timeline.push_back(
        {t.Int(0), t.Real(1), t.Int(2), t.Int(3), t.Int(4), t.Int(5), t.Int(6), t.Int(7), t.Int(8)});
  }
  return Status::Ok();
}

Status StudyStore::LoadRequests(int64_t run, RunData* data) {
  Stmt s(db_, "SELECT chunk, clock, kinds_json, records FROM request_log WHERE run_id = ? ORDER BY chunk");
  s.Bind(1, run);
  RequestLog& log = data->requests;
  for (int64_t want = 0; s.Step() == SQLITE_ROW; ++want) {  // none: runs stored before the log existed
    if (s.Int(0) != want) {
      return Status::Corruption(fmt::format("{}: run {}: request log chunk {} is missing", path_, run, want));
    }
    log.clock = s.Text(1);
    try {
      log.kinds = nlohmann::json::parse(s.Text(2)).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
      return Status::Corruption(fmt::format("{}: run {} request kinds: {}", path_, run, e.what()));
    }
    if (!DecodeRecords(s.Blob(3), &log.records)) {
      return Status::Corruption(fmt::format("{}: run {}: request log of {} bytes is not whole {}-byte records", path_,
                                            run, s.Blob(3).size(), kRecordBytes));
    }
  }
  return Status::Ok();
}

StatusOr<RunData> StudyStore::LoadRunData(int64_t run) {
  RunData data;
  for (const char* kind : {"corrected", "uncorrected"}) {
    auto h = LoadHistogram(run, kind);
    if (h.ok()) {
      (std::string(kind) == "corrected" ? data.corrected : data.uncorrected) = std::move(*h);
    } else if (h.status().code() != StatusCode::kNotFound) {
      return h.status();
    }
  }
  if (Status st = LoadTimeline(run, &data); !st.ok()) return st;
  if (Status st = LoadRequests(run, &data); !st.ok()) return st;
  auto gc = LoadGcTimeline(run);
  if (!gc.ok()) return gc.status();
  data.gc = std::move(*gc);
  auto attribution = LoadAttribution(run);
  if (!attribution.ok()) return attribution.status();
  data.attribution = std::move(*attribution);
  if (Status st = LoadTraceSummary(run, &data); !st.ok()) return st;
  return data;
}

}  // namespace gcpilot
