// The attribution stage's entry point: one run's requests joined to its GC
// timeline, into the RunAttribution the store keeps and the analysis and
// report read. A pure function of its inputs.
//
// What it fills (definitions in phase_join.h, steady_estimate.h,
// heap_trend.h and docs/glossary.md):
// - phases[]: the corrected latency (done - due) of the window's requests
//   by the GC phase they fell due in (requests without done_ns count
//   nowhere): count, P50 and P99 (HdrHistogram), exact max and mean.
// - slow: the threshold is the window's corrected P99 (HdrHistogram of all
//   its requests); a request is slow when its latency is above it, and
//   counts once: met_stw ([due, done] overlapped an STW phase), else
//   due_in_mark, else in_recovery, else no_gc.
// - cycles[]: each cycle that starts in the window: the window's requests
//   due during it (STW or mark), their mean, excess = that mean minus the
//   outside-GC mean, and its recovery length; recovery_ns is the median
//   recovery over the cycles with requests.
// - estimate: only when !window.whole_periods (steady_estimate.h).
// - heap: the live heap's trend (heap_trend.h).
// A timeline that is not aligned gives only the window and
// alignment_error_ns = -1 (no attribution), never a join on a wrong clock.
#ifndef GCPILOT_ATTRIBUTION_ATTRIBUTE_RUN_H_
#define GCPILOT_ATTRIBUTION_ATTRIBUTE_RUN_H_

#include <cstdint>

#include "model/gc_attribution.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"

namespace gcpilot {

// Joins the requests due in `window` to the GC timeline (which must be aligned: gc.aligned()) and
// returns the run's attribution; `limit_bytes` is the run's GOMEMLIMIT (-1 none), `horizon_ns` how
// far the heap trend is extrapolated.
RunAttribution AttributeRun(const RequestLog& log, const GcTimeline& gc, const MeasuredWindow& window,
                            int64_t limit_bytes, int64_t horizon_ns);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_ATTRIBUTE_RUN_H_
