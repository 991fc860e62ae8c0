// TimelineCollector: the GcIntervalSink that keeps what the builder hands
// on as a GcTimeline on the trace clock (model/gc_timeline.h), for the
// study store and the report. Cycles, stop-the-world pauses and GOMAXPROCS
// changes are few and all kept; the fine spans (assists, sweeps, worker
// runs, heap samples) can number millions in a long trace, so each kind
// keeps at most `max_spans` (the first ones) and counts what it dropped.
#ifndef GCPILOT_EXECTRACE_TIMELINE_COLLECTOR_H_
#define GCPILOT_EXECTRACE_TIMELINE_COLLECTOR_H_

#include <cstddef>
#include <cstdint>

#include "exectrace/gc_intervals.h"
#include "model/gc_timeline.h"

namespace gcpilot {

struct TimelineCollectorOptions {
  size_t max_spans = 100'000;  // per kind: goroutine spans, worker spans, heap samples
  int64_t monotonic_at_zero_ns = GcTimeline::kUnknown;  // TraceInfo::monotonic_offset_ns, if known
};

class TimelineCollector final : public GcIntervalSink {
 public:
  explicit TimelineCollector(TimelineCollectorOptions options = {});

  void OnCycle(const GcCycle& cycle) override;
  void OnStw(const StwPause& pause) override;
  void OnGoroutineSpan(const GoroutineGcSpan& span) override;
  void OnWorkerSpan(const GcWorkerSpan& span) override;
  void OnHeap(const HeapSample& sample) override;
  void OnProcs(const ProcsChange& change) override;
  // Puts the cycles in start order (a cycle is handed on at its end).
  void OnEnd(int64_t end_ns) override;

  // clock kTrace; valid after OnEnd.
  const GcTimeline& timeline() const { return timeline_; }
  GcTimeline Take() { return std::move(timeline_); }
  // Spans and samples left out past the cap, all kinds together.
  int64_t dropped() const { return dropped_; }

 private:
  template <typename T>
  void Keep(std::vector<T>& list, const T& item);

  TimelineCollectorOptions options_;
  GcTimeline timeline_;
  int64_t dropped_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TIMELINE_COLLECTOR_H_
