// The report's GC timelines: for the recommended and the default setting,
// the runs the verdict rests on (TimelineRuns), each as a heap plot (live
// heap, goal and heap at GC start, one point per cycle; a stop-the-world
// tick per cycle) and a GC CPU plot (each cycle's cpu terms over GOMAXPROCS
// until the next cycle), the warm-up and measured window shaded, and a
// caption with the window, the cycles in it and in the whole run, GC CPU
// over the window and the longest pause.
#ifndef GCPILOT_REPORT_GC_TIMELINE_SECTION_H_
#define GCPILOT_REPORT_GC_TIMELINE_SECTION_H_

#include <string>

#include "report/report.h"

namespace gcpilot {

// The section's HTML (deterministic); a note where there is no verdict.
std::string GcTimelineSection(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_GC_TIMELINE_SECTION_H_
