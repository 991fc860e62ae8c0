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

// The section's HTML (deterministic); a note where there is no verdict.
std::string AttributionSection(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_ATTRIBUTION_SECTION_H_
