#include "tune/trace_summary_link.h"

#include <utility>

#include "exectrace/trace_summarize.h"

namespace gcpilot {

StatusOr<TraceSummary> SummarizeCapturedTrace(std::string_view bytes) {
  StatusOr<SummarizedTrace> s = SummarizeTrace(bytes, TraceSummarizeOptions{});
  if (!s.ok()) return s.status();
  return std::move(s->summary);
}

}  // namespace gcpilot
