#include "exectrace/trace_gc_stats.h"

#include <algorithm>
#include <cmath>

namespace gcpilot {

int64_t NearestRank(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double n = static_cast<double>(sorted.size());
  int64_t rank = static_cast<int64_t>(std::ceil(p / 100.0 * n - 1e-9));
  rank = std::clamp<int64_t>(rank, 1, static_cast<int64_t>(sorted.size()));
  return sorted[static_cast<size_t>(rank - 1)];
}

void TraceGcStats::OnCycle(const GcCycle& cycle) { rows_.push_back({cycle}); }

void TraceGcStats::OnStw(const StwPause& pause) {
  const int64_t d = pause.span.duration_ns();
  stw_ns_.push_back(d);
  pauses_.push_back(pause);
  StwReasonStats& r = reasons_[pause.reason];
  r.reason = pause.reason;
  ++r.count;
  r.total_ns = SaturatingAdd(r.total_ns, d);
  r.max_ns = std::max(r.max_ns, d);
  if (pause.cycle != GcCycle::kUnknown) ++stw_per_cycle_[pause.cycle];
}

void TraceGcStats::OnGoroutineSpan(const GoroutineGcSpan& span) {
  const int64_t d = span.span.duration_ns();
  GcSpanStats& s = span.kind == GoroutineGcSpan::Kind::kMarkAssist ? assists_ : sweeps_;
  ++s.count;
  s.total_ns = SaturatingAdd(s.total_ns, d);
  s.max_ns = std::max(s.max_ns, d);
  if (span.cycle == GcCycle::kUnknown) ++s.outside_cycles;
  if (span.kind == GoroutineGcSpan::Kind::kMarkAssist && span.cycle != GcCycle::kUnknown) {
    auto& [n, ns] = per_cycle_[span.cycle];
    ++n;
    ns = SaturatingAdd(ns, d);
  }
}

void TraceGcStats::OnEnd(int64_t /*end_ns*/) {
  std::stable_sort(rows_.begin(), rows_.end(), [](const TraceCycleRow& a, const TraceCycleRow& b) {
    return a.cycle.start_ns < b.cycle.start_ns;
  });
  for (TraceCycleRow& row : rows_) {
    auto it = per_cycle_.find(row.cycle.number);
    if (it != per_cycle_.end()) std::tie(row.assists, row.assist_ns) = it->second;
    auto st = stw_per_cycle_.find(row.cycle.number);
    if (st != stw_per_cycle_.end()) row.stw_pauses = st->second;
  }
  std::sort(stw_ns_.begin(), stw_ns_.end());
  stw_ = StwStats{};
  stw_.count = static_cast<int64_t>(stw_ns_.size());
  for (int64_t d : stw_ns_) stw_.total_ns = SaturatingAdd(stw_.total_ns, d);
  stw_.p50_ns = NearestRank(stw_ns_, 50);
  stw_.p99_ns = NearestRank(stw_ns_, 99);
  stw_.max_ns = stw_ns_.empty() ? 0 : stw_ns_.back();
  for (const auto& [reason, r] : reasons_) stw_.by_reason.push_back(r);
  std::stable_sort(stw_.by_reason.begin(), stw_.by_reason.end(),
                   [](const StwReasonStats& a, const StwReasonStats& b) { return a.total_ns > b.total_ns; });
}

}  // namespace gcpilot
