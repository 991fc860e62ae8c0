// One call for a whole trace held in memory (a mapped file, or the bytes
// tune fetched from /debug/pprof/trace): read it and run every analysis,
// giving the model's TraceSummary (what the study stores and the report
// draws) and the GC timeline (cycles, pauses, spans) on the trace clock.
#ifndef GCPILOT_EXECTRACE_TRACE_SUMMARIZE_H_
#define GCPILOT_EXECTRACE_TRACE_SUMMARIZE_H_

#include <string_view>

#include "base/status.h"
#include "exectrace/trace_reader.h"
#include "model/gc_timeline.h"
#include "model/trace_summary.h"

namespace gcpilot {

struct TraceSummarizeOptions {
  TraceReadOptions read;
  double slow_percentile = 99;
};

struct SummarizedTrace {
  TraceReadResult read;
  TraceSummary summary;
  GcTimeline timeline;
};

// An error only where nothing could be read (no trace, unknown version, a
// corrupt batch without lenient); a truncated trace is summarized up to
// its cut, which `read` records.
[[nodiscard]] StatusOr<SummarizedTrace> SummarizeTrace(std::string_view bytes, const TraceSummarizeOptions& options);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_SUMMARIZE_H_
