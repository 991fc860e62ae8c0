// The attribution tables of the study database: a run's RunAttribution
// (measured window, per-phase latency, slow-request shares, per-cycle
// excess, steady-state estimate, heap trend), StudyStore's SaveRun and
// LoadRunData halves for them. A run without an `attribution` row (stored
// before schema 3, or never joined) loads a default RunAttribution.
#include <fmt/format.h>

#include "store/column_set.h"
#include "store/sql_stmt.h"
#include "store/study_store.h"

namespace gcpilot {

using store_internal::BindColumns;
using store_internal::Column;
using store_internal::ColumnNames;
using store_internal::ColumnSet;
using store_internal::Placeholders;
using store_internal::ReadColumns;
using store_internal::Stmt;

namespace {

// The `attribution` row: the run's own fields, then its window's
// (prefixed "window_") and its slow requests' (prefixed "slow_").
constexpr Column<RunAttribution, int64_t> kRunInts[] = {
    {"alignment_error_ns", &RunAttribution::alignment_error_ns},
    {"recovery_ns", &RunAttribution::recovery_ns},
};
constexpr ColumnSet<RunAttribution> kRunSet{kRunInts};
constexpr Column<MeasuredWindow, int64_t> kWindowInts[] = {
    {"from_ns", &MeasuredWindow::from_ns},
    {"to_ns", &MeasuredWindow::to_ns},
    {"periods", &MeasuredWindow::periods},
    {"min_periods", &MeasuredWindow::min_periods},
};
constexpr Column<MeasuredWindow, bool> kWindowBools[] = {{"whole_periods", &MeasuredWindow::whole_periods}};
constexpr ColumnSet<MeasuredWindow> kWindowSet{kWindowInts, {}, kWindowBools};
constexpr Column<SlowRequests, int64_t> kSlowInts[] = {
    {"threshold_ns", &SlowRequests::threshold_ns}, {"count", &SlowRequests::slow},
    {"met_stw", &SlowRequests::met_stw},           {"due_in_mark", &SlowRequests::due_in_mark},
    {"in_recovery", &SlowRequests::in_recovery},   {"no_gc", &SlowRequests::no_gc},
};
constexpr ColumnSet<SlowRequests> kSlowSet{kSlowInts};

constexpr Column<PhaseLatency, int64_t> kPhaseInts[] = {
    {"requests", &PhaseLatency::requests}, {"p50_ns", &PhaseLatency::p50_ns},   {"p99_ns", &PhaseLatency::p99_ns},
    {"max_ns", &PhaseLatency::max_ns},     {"mean_ns", &PhaseLatency::mean_ns},
};
constexpr ColumnSet<PhaseLatency> kPhaseSet{kPhaseInts};

constexpr Column<CycleExcess, int64_t> kCycleInts[] = {
    {"cycle", &CycleExcess::cycle},         {"start_ns", &CycleExcess::start_ns},
    {"requests", &CycleExcess::requests},   {"mean_ns", &CycleExcess::mean_ns},
    {"excess_ns", &CycleExcess::excess_ns}, {"recovery_ns", &CycleExcess::recovery_ns},
};
constexpr ColumnSet<CycleExcess> kCycleSet{kCycleInts};

constexpr Column<SteadyEstimate, int64_t> kEstimateInts[] = {
    {"period_ns", &SteadyEstimate::period_ns},
    {"cycle_ns", &SteadyEstimate::cycle_ns},
    {"in_gc_requests", &SteadyEstimate::in_gc_requests},
    {"out_gc_requests", &SteadyEstimate::out_gc_requests},
    {"in_gc_p99_ns", &SteadyEstimate::in_gc_p99_ns},
    {"out_gc_p99_ns", &SteadyEstimate::out_gc_p99_ns},
    {"p50_ns", &SteadyEstimate::p50_ns},
    {"p90_ns", &SteadyEstimate::p90_ns},
    {"p99_ns", &SteadyEstimate::p99_ns},
    {"p999_ns", &SteadyEstimate::p999_ns},
    {"max_ns", &SteadyEstimate::max_ns},
    {"mean_ns", &SteadyEstimate::mean_ns},
};
constexpr Column<SteadyEstimate, double> kEstimateReals[] = {
    {"duty", &SteadyEstimate::duty},
    {"alloc_bytes_per_sec", &SteadyEstimate::alloc_bytes_per_sec},
};
constexpr Column<SteadyEstimate, bool> kEstimateBools[] = {
    {"used", &SteadyEstimate::used},
    {"upper_bound", &SteadyEstimate::upper_bound},
};
constexpr Column<SteadyEstimate, std::string> kEstimateTexts[] = {{"basis", &SteadyEstimate::basis}};
constexpr ColumnSet<SteadyEstimate> kEstimateSet{kEstimateInts, kEstimateReals, kEstimateBools, kEstimateTexts};

constexpr Column<HeapTrend, int64_t> kHeapInts[] = {
    {"cycles", &HeapTrend::cycles},           {"live_bytes", &HeapTrend::live_bytes},
    {"limit_bytes", &HeapTrend::limit_bytes}, {"limit_reached_in_ns", &HeapTrend::limit_reached_in_ns},
    {"horizon_ns", &HeapTrend::horizon_ns},
};
constexpr Column<HeapTrend, double> kHeapReals[] = {
    {"slope_bytes_per_sec", &HeapTrend::slope_bytes_per_sec},
    {"slope_stderr_bytes_per_sec", &HeapTrend::slope_stderr_bytes_per_sec},
};
constexpr Column<HeapTrend, std::string> kHeapTexts[] = {{"warning", &HeapTrend::warning}};
constexpr ColumnSet<HeapTrend> kHeapSet{kHeapInts, kHeapReals, {}, kHeapTexts};

constexpr const char* kAttributionTables[] = {"attribution", "phase_latency", "cycle_excess", "steady_estimate",
                                              "heap_trend"};

std::string AttributionColumns() {
  return fmt::format("{}, {}, {}", ColumnNames(kRunSet), ColumnNames(kWindowSet, "window_"),
                     ColumnNames(kSlowSet, "slow_"));
}

// The GcPhase named `name` ("stw", ...), or -1.
int PhaseIndex(const std::string& name) {
  for (int i = 0; i < kGcPhases; ++i) {
    if (name == GcPhaseName(static_cast<GcPhase>(i))) return i;
  }
  return -1;
}

}  // namespace

Status StudyStore::SaveAttribution(const RunResult& r, const RunAttribution& a) {
  for (const char* table : kAttributionTables) {  // saving a run again replaces its rows
    Stmt d(db_, fmt::format("DELETE FROM {} WHERE run_id = ?", table));
    d.Bind(1, r.id);
    if (d.Step() != SQLITE_DONE) return Error("saving the attribution");
  }
  if (a == RunAttribution{}) return Status::Ok();  // never joined: no rows, loads as the default
  Stmt s(db_, fmt::format("INSERT INTO attribution (run_id, {}) VALUES (?, {}, {}, {})", AttributionColumns(),
                          Placeholders(kRunSet), Placeholders(kWindowSet), Placeholders(kSlowSet)));
  int i = 1;
  s.Bind(i++, r.id);
  BindColumns(s, &i, kRunSet, a);
  BindColumns(s, &i, kWindowSet, a.window);
  BindColumns(s, &i, kSlowSet, a.slow);
  if (s.Step() != SQLITE_DONE) return Error("saving the attribution");
  Stmt p(db_, fmt::format("INSERT INTO phase_latency (run_id, phase, {}) VALUES (?, ?, {})", ColumnNames(kPhaseSet),
                          Placeholders(kPhaseSet)));
  for (int k = 0; k < kGcPhases; ++k) {
    int j = 3;
    p.Bind(1, r.id).Bind(2, GcPhaseName(static_cast<GcPhase>(k)));
    BindColumns(p, &j, kPhaseSet, a.phases[k]);
    if (p.Step() != SQLITE_DONE) return Error("saving the per-phase latency");
    p.Reset();
  }
  Stmt c(db_, fmt::format("INSERT INTO cycle_excess (run_id, position, {}) VALUES (?, ?, {})", ColumnNames(kCycleSet),
                          Placeholders(kCycleSet)));
  for (size_t k = 0; k < a.cycles.size(); ++k) {
    int j = 3;
    c.Bind(1, r.id).Bind(2, static_cast<int64_t>(k));
    BindColumns(c, &j, kCycleSet, a.cycles[k]);
    if (c.Step() != SQLITE_DONE) return Error("saving the per-cycle excess");
    c.Reset();
  }
  return SaveEstimateAndTrend(r, a);
}

Status StudyStore::SaveEstimateAndTrend(const RunResult& r, const RunAttribution& a) {
  Stmt e(db_, fmt::format("INSERT INTO steady_estimate (run_id, {}) VALUES (?, {})", ColumnNames(kEstimateSet),
                          Placeholders(kEstimateSet)));
  int i = 1;
  e.Bind(i++, r.id);
  BindColumns(e, &i, kEstimateSet, a.estimate);
  if (e.Step() != SQLITE_DONE) return Error("saving the steady-state estimate");
  Stmt h(db_, fmt::format("INSERT INTO heap_trend (run_id, {}) VALUES (?, {})", ColumnNames(kHeapSet),
                          Placeholders(kHeapSet)));
  i = 1;
  h.Bind(i++, r.id);
  BindColumns(h, &i, kHeapSet, a.heap);
  if (h.Step() != SQLITE_DONE) return Error("saving the heap trend");
  return Status::Ok();
}

StatusOr<RunAttribution> StudyStore::LoadAttribution(int64_t run) {
  RunAttribution a;
  auto bad = [&](const char* table, const std::string& column) {
    return Status::Corruption(fmt::format("{}: run {}: {}.{} is not of its type", path_, run, table, column));
  };
  Stmt s(db_, fmt::format("SELECT {} FROM attribution WHERE run_id = ?", AttributionColumns()));
  if (!s.ok()) return Error("reading the attribution");
  s.Bind(1, run);
  if (s.Step() != SQLITE_ROW) return a;  // stored before schema 3, or never joined
  int i = 0;
  if (std::string c = ReadColumns(s, &i, kRunSet, &a); !c.empty()) return bad("attribution", c);
  if (std::string c = ReadColumns(s, &i, kWindowSet, &a.window); !c.empty()) return bad("attribution", "window_" + c);
  if (std::string c = ReadColumns(s, &i, kSlowSet, &a.slow); !c.empty()) return bad("attribution", "slow_" + c);
  Stmt p(db_, fmt::format("SELECT phase, {} FROM phase_latency WHERE run_id = ?", ColumnNames(kPhaseSet)));
  p.Bind(1, run);
  while (p.Step() == SQLITE_ROW) {
    const int k = PhaseIndex(p.Text(0));
    if (k < 0) return Status::Corruption(fmt::format("{}: run {}: unknown GC phase \"{}\"", path_, run, p.Text(0)));
    int j = 1;
    if (std::string c = ReadColumns(p, &j, kPhaseSet, &a.phases[k]); !c.empty()) return bad("phase_latency", c);
  }
  Stmt c(db_, fmt::format("SELECT {} FROM cycle_excess WHERE run_id = ? ORDER BY position", ColumnNames(kCycleSet)));
  c.Bind(1, run);
  while (c.Step() == SQLITE_ROW) {
    int j = 0;
    if (std::string col = ReadColumns(c, &j, kCycleSet, &a.cycles.emplace_back()); !col.empty()) {
      return bad("cycle_excess", col);
    }
  }
  if (Status st = LoadEstimateAndTrend(run, &a); !st.ok()) return st;
  return a;
}

Status StudyStore::LoadEstimateAndTrend(int64_t run, RunAttribution* a) {
  auto bad = [&](const char* table, const std::string& column) {
    return Status::Corruption(fmt::format("{}: run {}: {}.{} is not of its type", path_, run, table, column));
  };
  Stmt e(db_, fmt::format("SELECT {} FROM steady_estimate WHERE run_id = ?", ColumnNames(kEstimateSet)));
  e.Bind(1, run);
  int i = 0;
  if (e.Step() == SQLITE_ROW) {
    if (std::string c = ReadColumns(e, &i, kEstimateSet, &a->estimate); !c.empty()) return bad("steady_estimate", c);
  }
  Stmt h(db_, fmt::format("SELECT {} FROM heap_trend WHERE run_id = ?", ColumnNames(kHeapSet)));
  h.Bind(1, run);
  i = 0;
  if (h.Step() == SQLITE_ROW) {
    if (std::string c = ReadColumns(h, &i, kHeapSet, &a->heap); !c.empty()) return bad("heap_trend", c);
  }
  return Status::Ok();
}

}  // namespace gcpilot
