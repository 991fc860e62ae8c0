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
#include "model/gc_attribution.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"
#include "model/study_outline.h"
#include "model/trace_summary.h"
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
  // Per run, from the stored spec: the warm-up and the measured time; -1
  // where the spec does not say.
  int64_t warmup_ns = -1, duration_ns = -1;
  // The measured window of the runs the GC timelines show, on each target's
  // clock (ns since it started, as its cycles' times): from the first
  // measured request's due time (the request log, on the load clock) back
  // through the clock alignment. Absent where the study recorded neither.
  std::map<int64_t, TimeSpan> measured;  // by run id
  // The requests joined to the GC (default RunAttribution,
  // alignment_error_ns -1, where the study did not store one) of the done
  // runs the report draws and of those whose latency is the steady-state
  // estimate, and the request logs of the runs the latency-over-time
  // figures draw (LatencyFigureRun) only: a log is 32 bytes a request.
  std::map<int64_t, RunAttribution> attribution;  // by run id
  std::map<int64_t, RequestLog> requests;         // by run id
  // The captured execution traces' summaries (tune --trace-seconds) of
  // the runs the latency-over-time figures draw, and the note of a
  // capture that failed there.
  std::map<int64_t, TraceSummary> traces;      // by run id
  std::map<int64_t, std::string> trace_notes;  // by run id
};

// The runs whose GC timelines the report shows for a setting of the
// verdict (Recommendation::best or ::baseline): the verification runs
// among those its figures come from if there are any, else those runs;
// at most 3, in run order.
std::vector<const RunResult*> TimelineRuns(const ReportInput& in, const CellStats& cell);

// The run whose requests the latency-over-time figure of a setting of the
// verdict draws: the setting's RepresentativeRun (analysis).
const RunResult* LatencyFigureRun(const ReportInput& in, const CellStats& cell);

// Whether the design's best setting lost or failed its verification runs
// (Recommendation::challenger holds their figures).
inline bool IsLostVerification(const Recommendation& r) {
  return r.verification == VerifyOutcome::kSlower || r.verification == VerifyOutcome::kRuledOut;
}

// Loads study `id` (0: the newest) from the store with everything a report
// shows. The report reads the store and the analysis only: it never runs
// anything and knows nothing of tune, loadgen or runner.
StatusOr<ReportInput> LoadReportInput(StudyStore& store, int64_t id);

// Deterministic for a given input.
std::string RenderReport(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_REPORT_H_
