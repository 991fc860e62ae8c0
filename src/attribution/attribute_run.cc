#include "attribution/attribute_run.h"

#include <cmath>
#include <vector>

#include "attribution/heap_trend.h"
#include "attribution/median.h"
#include "attribution/phase_join.h"
#include "attribution/steady_estimate.h"
#include "hdr/hdr_histogram.h"

namespace gcpilot {
namespace {

// Exact count, sum and max beside the histogram the quantiles come from.
struct LatencyTally {
  HdrHistogram hist = HdrHistogram::ForLatencyNs();
  int64_t sum_ns = 0;

  void Add(int64_t ns) {
    hist.Record(ns);
    sum_ns += ns;
  }
  int64_t mean_ns() const {
    const int64_t n = hist.total_count();
    return n ? std::llround(static_cast<double>(sum_ns) / static_cast<double>(n)) : 0;
  }
  PhaseLatency Figures() const {
    PhaseLatency p;
    p.requests = hist.total_count();
    if (p.requests == 0) return p;
    p.p50_ns = hist.ValueAtPercentile(50);
    p.p99_ns = hist.ValueAtPercentile(99);
    p.max_ns = hist.max();
    p.mean_ns = mean_ns();
    return p;
  }
};

void FillPhases(const std::vector<JoinedRequest>& joined, RunAttribution* a) {
  std::array<LatencyTally, kGcPhases> by_phase;
  for (const JoinedRequest& r : joined) by_phase[static_cast<int>(r.phase)].Add(r.latency_ns);
  for (int i = 0; i < kGcPhases; ++i) a->phases[i] = by_phase[i].Figures();
}

SlowRequests CountSlow(const std::vector<JoinedRequest>& joined) {
  LatencyTally all;
  for (const JoinedRequest& r : joined) all.Add(r.latency_ns);
  SlowRequests s;
  s.threshold_ns = all.hist.ValueAtPercentile(99);
  for (const JoinedRequest& r : joined) {
    if (r.latency_ns <= s.threshold_ns) continue;
    ++s.slow;
    if (r.met_stw) {
      ++s.met_stw;
    } else if (r.phase == GcPhase::kMark) {
      ++s.due_in_mark;
    } else if (r.phase == GcPhase::kRecovery) {
      ++s.in_recovery;
    } else {
      ++s.no_gc;  // a request due in an STW phase always met it
    }
  }
  return s;
}

void FillCycles(const std::vector<CycleSpans>& spans, const std::vector<JoinedRequest>& joined,
                const MeasuredWindow& window, RunAttribution* a) {
  std::vector<LatencyTally> in_cycle(spans.size());
  for (const JoinedRequest& r : joined) {
    if (r.cycle >= 0) in_cycle[r.cycle].Add(r.latency_ns);
  }
  std::vector<int64_t> recoveries;
  for (size_t i = 0; i < spans.size(); ++i) {
    const CycleSpans& s = spans[i];
    if (s.start_ns() < window.from_ns || s.start_ns() >= window.to_ns) continue;
    CycleExcess c;
    c.cycle = s.cycle->number;
    c.start_ns = s.start_ns();
    c.requests = in_cycle[i].hist.total_count();
    c.mean_ns = in_cycle[i].mean_ns();
    c.excess_ns = c.requests ? c.mean_ns - a->phases[static_cast<int>(GcPhase::kOutside)].mean_ns : 0;
    c.recovery_ns = s.recovery_ns();
    if (c.requests) recoveries.push_back(c.recovery_ns);
    a->cycles.push_back(c);
  }
  a->recovery_ns = MedianOf(recoveries);
}

}  // namespace

RunAttribution AttributeRun(const RequestLog& log, const GcTimeline& gc, const MeasuredWindow& window,
                            int64_t limit_bytes, int64_t horizon_ns) {
  RunAttribution a;
  a.window = window;
  a.alignment_error_ns = gc.origin_error_ns;
  if (!gc.aligned()) {  // nothing relates the two clocks: no join
    a.alignment_error_ns = -1;
    return a;
  }
  const std::vector<CycleSpans> spans = CyclesOnLoadClock(gc, log);
  const std::vector<JoinedRequest> joined = JoinRequests(log, spans, window);
  FillPhases(joined, &a);
  a.slow = CountSlow(joined);
  FillCycles(spans, joined, window, &a);
  // Only where whole periods were asked for and not covered: a fixed
  // window (min_periods 0) is its own measurement.
  if (window.min_periods > 0 && !window.whole_periods) {
    const int64_t first_due_ns = log.records.empty() ? window.from_ns : log.records.front().due_ns;
    a.estimate = EstimateSteadyState(spans, joined, first_due_ns, window.to_ns, window.length_ns());
  }
  a.heap = FitHeapTrend(spans, window, limit_bytes, horizon_ns);
  return a;
}

}  // namespace gcpilot
