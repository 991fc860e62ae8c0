// TraceAnalyzer: every GC analysis of one trace wired together behind one
// TraceSink, for `gcpilot trace` (fed chunk by chunk) and SummarizeTrace
// (a whole trace in memory). The reader's events go to a fanout of a tally
// (goroutines, tasks, regions), the assist payers, the request attribution
// and the interval builder; the builder's intervals go to the cycle and pause statistics,
// the MMU curve, the payers, an optional timeline collector and any extra
// GcIntervalSinks (a PerfettoWriter).
#ifndef GCPILOT_EXECTRACE_TRACE_ANALYZER_H_
#define GCPILOT_EXECTRACE_TRACE_ANALYZER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exectrace/assist_payers.h"
#include "exectrace/gc_interval_builder.h"
#include "exectrace/gc_intervals.h"
#include "exectrace/mmu_curve.h"
#include "exectrace/request_attribution.h"
#include "exectrace/timeline_collector.h"
#include "exectrace/trace_event.h"
#include "exectrace/trace_gc_stats.h"
#include "exectrace/trace_reader.h"
#include "model/gc_timeline.h"
#include "model/trace_summary.h"

namespace gcpilot {

struct TraceAnalyzerOptions {
  bool keep_timeline = false;  // collect a GcTimeline (TimelineCollector, capped)
  TimelineCollectorOptions timeline;
  std::vector<GcIntervalSink*> extra_sinks;  // not owned; must outlive Finish
  std::vector<int64_t> mmu_windows_ns = DefaultMmuWindowsNs();
  size_t top = 20;  // top goroutines and payers kept for the table and JSON
  RequestAttributionOptions requests;  // which requests are slow, how many are kept
};

// What a trace says about the GC (and, once filled, its requests).
struct TraceAnalysis {
  TraceReadResult read;
  std::string version;  // "go 1.22"
  int64_t duration_ns = 0;  // trace clock: first to last event
  GcIntervalCounts counts;
  int64_t goroutines = 0;  // distinct goroutines seen
  int64_t tasks = 0;       // runtime/trace tasks begun
  int64_t regions = 0;     // runtime/trace regions begun
  std::vector<TraceCycleRow> cycles;
  std::vector<StwPause> pauses;
  StwStats stw;
  GcSpanStats assists, sweeps;
  std::vector<AssistGoroutine> assist_goroutines;  // every goroutine that assisted, most time first
  std::vector<AssistGoroutine> top_goroutines;     // the first `top` of those
  std::vector<AssistPayer> payers;                 // at most `top`
  std::vector<MmuPoint> mmu;
  // The request attribution's result (RequestAttributor).
  std::optional<TraceAttribution> requests;
  GcTimeline timeline;  // keep_timeline only
};

class TraceAnalyzer {
 public:
  explicit TraceAnalyzer(TraceAnalyzerOptions options = {});
  ~TraceAnalyzer();

  // Give this to the TraceReader; valid while the analyzer lives.
  TraceSink* sink();
  // After the reader's Finish (which called the sink's OnFinish).
  TraceAnalysis Finish(const TraceReadResult& read);

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
  TraceAnalyzerOptions options_;
};

// The model's summary of an analysis (what the study stores).
TraceSummary ToTraceSummary(const TraceAnalysis& a);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_ANALYZER_H_
