// The live heap's trend over a run's window, and when it reaches the run's
// GOMEMLIMIT: the failure a short run hides (a growing live heap that meets
// the limit makes the GC run back to back).
//
// Definitions (docs/glossary.md, "live heap trend"):
// - Least squares of each cycle's heap_live_bytes on its start time, over
//   the cycles that start in the window. Three or more cycles give a slope
//   and its standard error; fewer give slope 0 (the cycles are counted).
// - live_bytes: the fit's value at the window's end (with fewer than three
//   cycles, the mean live heap; 0 with none).
// - With a limit (limit_bytes >= 0 and not "off") and a slope that is
//   positive beyond chance (Student's t, two-sided 5%), the limit is reached
//   in (limit - live_bytes) / slope (0 when already there); within
//   horizon_ns that sets limit_reached_in_ns and the warning
//   "live heap +2.1 MiB/s: GOMEMLIMIT=450MiB is reached in ~70 s, then GC
//   runs back to back".
#ifndef GCPILOT_ATTRIBUTION_HEAP_TREND_H_
#define GCPILOT_ATTRIBUTION_HEAP_TREND_H_

#include <cstdint>
#include <vector>

#include "attribution/phase_join.h"
#include "model/gc_attribution.h"

namespace gcpilot {

// The trend of the cycles (on the load clock) that start in `window`;
// `limit_bytes` is the run's GOMEMLIMIT (-1 or kMemLimitOff: none),
// `horizon_ns` >= 0 how far ahead it looks.
HeapTrend FitHeapTrend(const std::vector<CycleSpans>& cycles, const MeasuredWindow& window, int64_t limit_bytes,
                       int64_t horizon_ns);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_HEAP_TREND_H_
