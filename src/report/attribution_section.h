// The report's "which GC phase cost the slow requests" section: for the
// recommended and the default setting, one run each (LatencyFigureRun)
// drawn as latency over time with its GC cycles shaded, and its
// attribution (model/gc_attribution.h) as a table per phase, the
// slow-request shares in one sentence, the recovery length, the GC excess
// per cycle, the steady-state estimate and the heap trend's warning.
#ifndef GCPILOT_REPORT_ATTRIBUTION_SECTION_H_
#define GCPILOT_REPORT_ATTRIBUTION_SECTION_H_

#include <array>
#include <cstdint>
#include <string>

#include "model/gc_attribution.h"
#include "report/report.h"

namespace gcpilot {

// The slow requests' shares in whole percent, in the order met_stw,
// due_in_mark, in_recovery, no_gc, rounded so they add up to 100 (largest
// remainder; the earlier one of equal remainders gets the point); all 0
// when no request was slow.
std::array<int64_t, 4> SlowShares(const SlowRequests& s);

// "Of the 312 requests above the P99 (4.100 ms), 71% were due during
// concurrent mark, 4% met a stop-the-world pause, 0% were due in a
// recovery, 25% had no GC nearby." ("No request was above the P99 (...)."
// when none was.)
std::string SlowShareSentence(const SlowRequests& s);

// "median 1.200 ms, worst 3.400 ms (cycle 12), over 6 cycles": the GC
// excess of the cycles any request fell due in (median: the lower middle
// one); "" when there is none.
std::string CycleExcessText(const std::vector<CycleExcess>& cycles);

// The section's HTML (deterministic); a note where there is no verdict.
std::string AttributionSection(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_ATTRIBUTION_SECTION_H_
