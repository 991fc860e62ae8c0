// TraceGcStats: the GcIntervalSink behind `gcpilot trace`'s cycle table and
// its stop-the-world and mark-assist sections: every cycle with its phases
// and the assists begun in it, the distribution of stop-the-world pauses
// overall and by reason, and the assists' and sweeps' totals. Holds the
// cycles and the pauses (a few per cycle), nothing per assist.
#ifndef GCPILOT_EXECTRACE_TRACE_GC_STATS_H_
#define GCPILOT_EXECTRACE_TRACE_GC_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "exectrace/gc_intervals.h"

namespace gcpilot {

struct TraceCycleRow {
  GcCycle cycle;
  int64_t assists = 0;  // assist intervals begun in the cycle
  int64_t assist_ns = 0;
  int64_t stw_pauses = 0;  // stop-the-world pauses begun in the cycle
  bool operator==(const TraceCycleRow&) const = default;
};

struct StwReasonStats {
  std::string reason;
  int64_t count = 0, total_ns = 0, max_ns = 0;
  bool operator==(const StwReasonStats&) const = default;
};

struct StwStats {
  int64_t count = 0, total_ns = 0;
  int64_t p50_ns = 0, p99_ns = 0, max_ns = 0;  // nearest rank; 0 without pauses
  std::vector<StwReasonStats> by_reason;       // most total time first, then by reason
  bool operator==(const StwStats&) const = default;
};

// Mark assists or sweeps, all together.
struct GcSpanStats {
  int64_t count = 0, total_ns = 0, max_ns = 0;
  int64_t outside_cycles = 0;  // begun with no cycle under way (or before the trace)
  bool operator==(const GcSpanStats&) const = default;
};

class TraceGcStats final : public GcIntervalSink {
 public:
  void OnCycle(const GcCycle& cycle) override;
  void OnStw(const StwPause& pause) override;
  void OnGoroutineSpan(const GoroutineGcSpan& span) override;
  void OnEnd(int64_t end_ns) override;

  // Valid after OnEnd. Cycles in start order.
  const std::vector<TraceCycleRow>& cycles() const { return rows_; }
  const StwStats& stw() const { return stw_; }
  const GcSpanStats& assists() const { return assists_; }
  const GcSpanStats& sweeps() const { return sweeps_; }
  // Every pause, in the order they ended (for --csv stw).
  const std::vector<StwPause>& pauses() const { return pauses_; }

 private:
  std::vector<TraceCycleRow> rows_;
  std::vector<int64_t> stw_ns_;
  std::vector<StwPause> pauses_;
  std::map<std::string, StwReasonStats> reasons_;
  std::map<int64_t, std::pair<int64_t, int64_t>> per_cycle_;  // cycle -> (assists, ns)
  std::map<int64_t, int64_t> stw_per_cycle_;
  StwStats stw_;
  GcSpanStats assists_, sweeps_;
};

// Nearest-rank percentile of `sorted` (ascending), p in (0, 100]; 0 if empty.
int64_t NearestRank(const std::vector<int64_t>& sorted, double p);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_GC_STATS_H_
