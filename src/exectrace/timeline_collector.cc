#include "exectrace/timeline_collector.h"

#include <algorithm>

namespace gcpilot {

TimelineCollector::TimelineCollector(TimelineCollectorOptions options) : options_(options) {
  timeline_.clock = TimelineClock::kTrace;
  timeline_.monotonic_at_zero_ns = options_.monotonic_at_zero_ns;
}

template <typename T>
void TimelineCollector::Keep(std::vector<T>& list, const T& item) {
  if (list.size() < options_.max_spans) {
    list.push_back(item);
  } else {
    ++dropped_;
  }
}

void TimelineCollector::OnCycle(const GcCycle& cycle) { timeline_.cycles.push_back(cycle); }
void TimelineCollector::OnStw(const StwPause& pause) { timeline_.stw_pauses.push_back(pause); }
void TimelineCollector::OnGoroutineSpan(const GoroutineGcSpan& span) { Keep(timeline_.goroutine_spans, span); }
void TimelineCollector::OnWorkerSpan(const GcWorkerSpan& span) { Keep(timeline_.worker_spans, span); }
void TimelineCollector::OnHeap(const HeapSample& sample) { Keep(timeline_.heap_samples, sample); }
void TimelineCollector::OnProcs(const ProcsChange& change) { timeline_.procs_changes.push_back(change); }

void TimelineCollector::OnEnd(int64_t /*end_ns*/) {
  std::stable_sort(timeline_.cycles.begin(), timeline_.cycles.end(),
                   [](const GcCycle& a, const GcCycle& b) { return a.start_ns < b.start_ns; });
}

}  // namespace gcpilot
