// The trace tables of the study database (schema 4): a run's captured
// execution trace summary (model/trace_summary.h) with its request
// attribution in `trace_summary`, its MMU points, assist payers and
// slowest requests in `trace_mmu`, `trace_payer` and `trace_request`;
// StudyStore's SaveRun and LoadRunData halves for them. A run without a
// `trace_summary` row (stored before schema 4, or no trace asked for)
// loads no summary and no note.
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

constexpr Column<TraceSummary, int64_t> kSummaryInts[] = {
    {"bytes", &TraceSummary::bytes},
    {"gc_cycles", &TraceSummary::gc_cycles},
    {"stw_pauses", &TraceSummary::stw_pauses},
    {"stw_max_ns", &TraceSummary::stw_max_ns},
    {"mark_assists", &TraceSummary::mark_assists},
    {"assist_ns", &TraceSummary::assist_ns},
};
constexpr Column<TraceSummary, std::string> kSummaryTexts[] = {{"version", &TraceSummary::version}};
constexpr ColumnSet<TraceSummary> kSummarySet{kSummaryInts, {}, {}, kSummaryTexts};

constexpr Column<TimeSpan, int64_t> kSpanInts[] = {{"start_ns", &TimeSpan::start_ns}, {"end_ns", &TimeSpan::end_ns}};
constexpr ColumnSet<TimeSpan> kSpanSet{kSpanInts};

constexpr Column<TraceAttribution, int64_t> kAttributionInts[] = {
    {"requests", &TraceAttribution::requests},
    {"threshold_ns", &TraceAttribution::threshold_ns},
    {"slow", &TraceAttribution::slow},
    {"slow_met_stw", &TraceAttribution::slow_met_stw},
    {"slow_assisted", &TraceAttribution::slow_assisted},
    {"slow_runnable_in_mark", &TraceAttribution::slow_runnable_in_mark},
};
constexpr Column<TraceAttribution, double> kAttributionReals[] = {
    {"slow_percentile", &TraceAttribution::slow_percentile}};
constexpr ColumnSet<TraceAttribution> kAttributionSet{kAttributionInts, kAttributionReals};

constexpr Column<RequestTimeSplit, int64_t> kSplitInts[] = {
    {"running_ns", &RequestTimeSplit::running_ns},   {"assist_ns", &RequestTimeSplit::assist_ns},
    {"runnable_ns", &RequestTimeSplit::runnable_ns}, {"runnable_in_mark_ns", &RequestTimeSplit::runnable_in_mark_ns},
    {"stw_ns", &RequestTimeSplit::stw_ns},           {"blocked_ns", &RequestTimeSplit::blocked_ns},
    {"syscall_ns", &RequestTimeSplit::syscall_ns},
};
constexpr ColumnSet<RequestTimeSplit> kSplitSet{kSplitInts};

constexpr Column<MmuPoint, int64_t> kMmuInts[] = {{"window_ns", &MmuPoint::window_ns},
                                                  {"worst_start_ns", &MmuPoint::worst_start_ns}};
constexpr Column<MmuPoint, double> kMmuReals[] = {{"utilization", &MmuPoint::utilization}};
constexpr ColumnSet<MmuPoint> kMmuSet{kMmuInts, kMmuReals};

constexpr Column<AssistPayer, int64_t> kPayerInts[] = {{"goroutines", &AssistPayer::goroutines},
                                                       {"assists", &AssistPayer::assists},
                                                       {"assist_ns", &AssistPayer::assist_ns}};
constexpr Column<AssistPayer, std::string> kPayerTexts[] = {{"function", &AssistPayer::function}};
constexpr ColumnSet<AssistPayer> kPayerSet{kPayerInts, {}, {}, kPayerTexts};

constexpr Column<TracedRequest, int64_t> kRequestInts[] = {{"id", &TracedRequest::id}};
constexpr Column<TracedRequest, std::string> kRequestTexts[] = {{"name", &TracedRequest::name}};
constexpr ColumnSet<TracedRequest> kRequestSet{kRequestInts, {}, {}, kRequestTexts};

constexpr const char* kTraceTables[] = {"trace_summary", "trace_mmu", "trace_payer", "trace_request"};

// The trace_summary columns after run_id, captured and note, in binding order.
std::string SummaryColumns() {
  return fmt::format("{}, {}, {}, unit, {}, {}", ColumnNames(kSummarySet), ColumnNames(kSpanSet, "span_"),
                     ColumnNames(kAttributionSet), ColumnNames(kSplitSet, "slow_total_"),
                     ColumnNames(kSplitSet, "all_total_"));
}
std::string SummaryPlaceholders() {
  return fmt::format("{}, {}, {}, ?, {}, {}", Placeholders(kSummarySet), Placeholders(kSpanSet),
                     Placeholders(kAttributionSet), Placeholders(kSplitSet), Placeholders(kSplitSet));
}

std::string RequestColumns() {
  return fmt::format("{}, {}, {}", ColumnNames(kRequestSet), ColumnNames(kSpanSet), ColumnNames(kSplitSet));
}

std::optional<TraceAttribution::Unit> ParseUnit(const std::string& s) {
  for (auto u : {TraceAttribution::Unit::kTask, TraceAttribution::Unit::kGoroutine}) {
    if (s == TraceAttributionUnitName(u)) return u;
  }
  return std::nullopt;
}

}  // namespace

Status StudyStore::SaveTraceSummary(const RunResult& r, const RunData& data) {
  for (const char* table : kTraceTables) {  // saving a run again replaces its rows
    Stmt d(db_, fmt::format("DELETE FROM {} WHERE run_id = ?", table));
    d.Bind(1, r.id);
    if (d.Step() != SQLITE_DONE) return Error("saving the trace summary");
  }
  if (!data.trace && data.trace_note.empty()) return Status::Ok();
  const TraceSummary t = data.trace.value_or(TraceSummary{});
  Stmt s(db_, fmt::format("INSERT INTO trace_summary (run_id, captured, note, {}) VALUES (?, ?, ?, {})",
                          SummaryColumns(), SummaryPlaceholders()));
  s.Bind(1, r.id).Bind(2, data.trace ? 1 : 0).Bind(3, data.trace_note);
  int i = 4;
  BindColumns(s, &i, kSummarySet, t);
  BindColumns(s, &i, kSpanSet, t.span);
  BindColumns(s, &i, kAttributionSet, t.attribution);
  s.Bind(i++, TraceAttributionUnitName(t.attribution.unit));
  BindColumns(s, &i, kSplitSet, t.attribution.slow_total);
  BindColumns(s, &i, kSplitSet, t.attribution.all_total);
  if (s.Step() != SQLITE_DONE) return Error("saving the trace summary");
  return SaveTraceLists(r, t);
}

Status StudyStore::SaveTraceLists(const RunResult& r, const TraceSummary& t) {
  Stmt m(db_, fmt::format("INSERT INTO trace_mmu (run_id, position, {}) VALUES (?, ?, {})", ColumnNames(kMmuSet),
                          Placeholders(kMmuSet)));
  for (size_t k = 0; k < t.mmu.size(); ++k) {
    int j = 3;
    m.Bind(1, r.id).Bind(2, static_cast<int64_t>(k));
    BindColumns(m, &j, kMmuSet, t.mmu[k]);
    if (m.Step() != SQLITE_DONE) return Error("saving the trace's MMU curve");
    m.Reset();
  }
  Stmt p(db_, fmt::format("INSERT INTO trace_payer (run_id, position, {}) VALUES (?, ?, {})", ColumnNames(kPayerSet),
                          Placeholders(kPayerSet)));
  for (size_t k = 0; k < t.payers.size(); ++k) {
    int j = 3;
    p.Bind(1, r.id).Bind(2, static_cast<int64_t>(k));
    BindColumns(p, &j, kPayerSet, t.payers[k]);
    if (p.Step() != SQLITE_DONE) return Error("saving the trace's assist payers");
    p.Reset();
  }
  Stmt q(db_,
         fmt::format("INSERT INTO trace_request (run_id, position, {}) VALUES (?, ?, {}, {}, {})", RequestColumns(),
                     Placeholders(kRequestSet), Placeholders(kSpanSet), Placeholders(kSplitSet)));
  for (size_t k = 0; k < t.attribution.slowest.size(); ++k) {
    const TracedRequest& req = t.attribution.slowest[k];
    int j = 3;
    q.Bind(1, r.id).Bind(2, static_cast<int64_t>(k));
    BindColumns(q, &j, kRequestSet, req);
    BindColumns(q, &j, kSpanSet, req.span);
    BindColumns(q, &j, kSplitSet, req.split);
    if (q.Step() != SQLITE_DONE) return Error("saving the trace's slowest requests");
    q.Reset();
  }
  return Status::Ok();
}

Status StudyStore::LoadTraceSummary(int64_t run, RunData* data) {
  auto bad = [&](const char* table, const std::string& column) {
    return Status::Corruption(fmt::format("{}: run {}: {}.{} is not of its type", path_, run, table, column));
  };
  Stmt s(db_, fmt::format("SELECT captured, note, {} FROM trace_summary WHERE run_id = ?", SummaryColumns()));
  if (!s.ok()) return Error("reading the trace summary");
  s.Bind(1, run);
  if (s.Step() != SQLITE_ROW) return Status::Ok();  // stored before schema 4, or no trace asked for
  if (s.Type(0) != SQLITE_INTEGER) return bad("trace_summary", "captured");
  if (s.Type(1) != SQLITE_TEXT) return bad("trace_summary", "note");
  data->trace_note = s.Text(1);
  if (s.Int(0) == 0) return Status::Ok();
  TraceSummary t;
  int i = 2;
  if (std::string c = ReadColumns(s, &i, kSummarySet, &t); !c.empty()) return bad("trace_summary", c);
  if (std::string c = ReadColumns(s, &i, kSpanSet, &t.span); !c.empty()) return bad("trace_summary", "span_" + c);
  if (std::string c = ReadColumns(s, &i, kAttributionSet, &t.attribution); !c.empty()) return bad("trace_summary", c);
  const std::string unit = s.IsNull(i) ? "task" : s.Text(i);
  ++i;
  auto parsed = ParseUnit(unit);
  if (!parsed) return Status::Corruption(fmt::format("{}: run {}: unknown trace unit \"{}\"", path_, run, unit));
  t.attribution.unit = *parsed;
  if (std::string c = ReadColumns(s, &i, kSplitSet, &t.attribution.slow_total); !c.empty()) {
    return bad("trace_summary", "slow_total_" + c);
  }
  if (std::string c = ReadColumns(s, &i, kSplitSet, &t.attribution.all_total); !c.empty()) {
    return bad("trace_summary", "all_total_" + c);
  }
  if (Status st = LoadTraceLists(run, &t); !st.ok()) return st;
  data->trace = std::move(t);
  return Status::Ok();
}

Status StudyStore::LoadTraceLists(int64_t run, TraceSummary* t) {
  auto bad = [&](const char* table, const std::string& column) {
    return Status::Corruption(fmt::format("{}: run {}: {}.{} is not of its type", path_, run, table, column));
  };
  Stmt m(db_, fmt::format("SELECT {} FROM trace_mmu WHERE run_id = ? ORDER BY position", ColumnNames(kMmuSet)));
  m.Bind(1, run);
  while (m.Step() == SQLITE_ROW) {
    int j = 0;
    if (std::string c = ReadColumns(m, &j, kMmuSet, &t->mmu.emplace_back()); !c.empty()) return bad("trace_mmu", c);
  }
  Stmt p(db_, fmt::format("SELECT {} FROM trace_payer WHERE run_id = ? ORDER BY position", ColumnNames(kPayerSet)));
  p.Bind(1, run);
  while (p.Step() == SQLITE_ROW) {
    int j = 0;
    if (std::string c = ReadColumns(p, &j, kPayerSet, &t->payers.emplace_back()); !c.empty()) {
      return bad("trace_payer", c);
    }
  }
  Stmt q(db_, fmt::format("SELECT {} FROM trace_request WHERE run_id = ? ORDER BY position", RequestColumns()));
  q.Bind(1, run);
  while (q.Step() == SQLITE_ROW) {
    TracedRequest& req = t->attribution.slowest.emplace_back();
    int j = 0;
    std::string c = ReadColumns(q, &j, kRequestSet, &req);
    if (c.empty()) c = ReadColumns(q, &j, kSpanSet, &req.span);
    if (c.empty()) c = ReadColumns(q, &j, kSplitSet, &req.split);
    if (!c.empty()) return bad("trace_request", c);
  }
  return Status::Ok();
}

}  // namespace gcpilot
