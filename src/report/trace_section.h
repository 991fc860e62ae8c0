// The report's "GC in the execution trace" section, for studies that
// captured a trace in each run (tune --trace-seconds): for the recommended
// and the default setting, the trace of the run the latency-over-time
// figure draws (LatencyFigureRun) as its minimum mutator utilization curve
// (both settings in one figure), its mark-assist payers, the sentence that
// says whether the GC made the slow requests slow, where the slow
// requests' time went beside every request's, and the slowest requests.
#ifndef GCPILOT_REPORT_TRACE_SECTION_H_
#define GCPILOT_REPORT_TRACE_SECTION_H_

#include <string>

#include "report/report.h"

namespace gcpilot {

// The section's HTML (deterministic); "" when neither setting's run has a
// trace summary or a capture note, so a study without traces shows nothing.
std::string TraceSection(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_TRACE_SECTION_H_
