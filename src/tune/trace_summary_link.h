// The one link from tune to the execution-trace analyses: a captured
// trace's bytes to the TraceSummary the study stores. Kept to one call so
// that tune knows nothing else of exectrace.
#ifndef GCPILOT_TUNE_TRACE_SUMMARY_LINK_H_
#define GCPILOT_TUNE_TRACE_SUMMARY_LINK_H_

#include <string_view>

#include "base/status.h"
#include "model/trace_summary.h"

namespace gcpilot {

// SummarizeTrace (exectrace/trace_summarize.h) with its default options
// (slow = above the P99); its error where nothing could be read.
[[nodiscard]] StatusOr<TraceSummary> SummarizeCapturedTrace(std::string_view bytes);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_TRACE_SUMMARY_LINK_H_
