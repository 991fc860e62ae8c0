// The MMU curve as a small stand-alone SVG (no script, no external
// resources): window size on a log axis, utilization 0..1 up, a point per
// window. Deterministic text, for the report and `gcpilot trace --mmu-svg`.
#ifndef GCPILOT_EXECTRACE_MMU_SVG_H_
#define GCPILOT_EXECTRACE_MMU_SVG_H_

#include <string>
#include <vector>

#include "model/trace_summary.h"

namespace gcpilot {

// `title` is drawn above the plot (escaped). An empty curve draws the axes
// and says so.
std::string MmuSvg(const std::vector<MmuPoint>& mmu, const std::string& title);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_MMU_SVG_H_
