// The report's latency-over-time figure of one run: the P99 of corrected
// latency per 100 ms of due time, as a line, over the run's GC cycles
// shaded by phase (stop-the-world, concurrent mark, recovery, the phases
// of model/gc_attribution.h) and the measured window. Time is seconds from
// the measured window's start on the load clock; the cycles are moved
// there by the GC timeline's clock origin.
#ifndef GCPILOT_REPORT_LATENCY_TIME_FIGURE_H_
#define GCPILOT_REPORT_LATENCY_TIME_FIGURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/gc_attribution.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"

namespace gcpilot {

inline constexpr int64_t kLatencyBucketNs = 100'000'000;

// The requests that fell due in [from_ns, from_ns + bucket_ns) and were
// answered or failed (records without a completion time are left out).
struct LatencyBucket {
  int64_t from_ns = 0;  // load clock
  int64_t requests = 0;
  int64_t p99_ns = 0;  // nearest-rank P99 of their corrected latency
  bool operator==(const LatencyBucket&) const = default;
};

// The log's requests by due time in buckets of `bucket_ns` (> 0) laid from
// `origin_ns` (load clock; earlier requests go in buckets before it), in
// time order; a bucket no request fell due in is left out.
std::vector<LatencyBucket> LatencyBuckets(const RequestLog& log, int64_t origin_ns, int64_t bucket_ns);

// The figure (an SVG, deterministic). The window is `a.window` when it was
// recorded (to_ns > from_ns), else from the first request's due time; the
// recovery after each cycle is the stored CycleExcess::recovery_ns of the
// window's cycles (a cycle outside the window shows no recovery). Without
// a clock alignment (gc.aligned() false) no cycle is drawn and the title
// says so. An empty log gives a frame titled so.
std::string LatencyTimeFigure(const std::string& title, const RequestLog& log, const GcTimeline& gc,
                              const RunAttribution& a, const char* color);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_LATENCY_TIME_FIGURE_H_
