#include "exectrace/trace_summarize.h"

#include "exectrace/trace_analyzer.h"

namespace gcpilot {

StatusOr<SummarizedTrace> SummarizeTrace(std::string_view bytes, const TraceSummarizeOptions& options) {
  TraceAnalyzer analyzer({.keep_timeline = true, .requests = {.slow_percentile = options.slow_percentile}});
  SummarizedTrace out;
  Status st = ReadTrace(bytes, options.read, analyzer.sink(), &out.read);
  if (!st.ok()) return st;
  TraceAnalysis a = analyzer.Finish(out.read);
  out.summary = ToTraceSummary(a);
  out.timeline = std::move(a.timeline);
  return out;
}

}  // namespace gcpilot
