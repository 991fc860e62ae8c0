// The study report: one self-contained HTML file (inline SVG and CSS, no
// scripts, nothing fetched) with the recommendation, heat maps, main
// effects, latency percentile curves, GC timelines, the Pareto plot and the
// table of runs.
#ifndef GCPILOT_REPORT_REPORT_H_
#define GCPILOT_REPORT_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "analysis/study_analysis.h"
#include "base/status.h"
#include "hdr/hdr_histogram.h"
#include "model/gc_timeline.h"
#include "model/study_outline.h"
#include "store/study_store.h"

namespace gcpilot {

struct ReportInput {
  int64_t study_id = 0;
  std::string created;  // shown in the header; empty: not shown
  std::string design;
  StudyOutline spec;
  std::vector<RunResult> runs;
  StudyAnalysis analysis;
  std::map<int64_t, HdrHistogram> corrected;  // by run id (done runs)
  std::map<int64_t, GcTimeline> cycles;       // by run id
};

// Loads study `id` (0: the newest) from the store with everything a report
// shows. The report reads the store and the analysis only: it never runs
// anything and knows nothing of tune, loadgen or runner.
StatusOr<ReportInput> LoadReportInput(StudyStore& store, int64_t id);

// Deterministic for a given input.
std::string RenderReport(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_REPORT_H_
