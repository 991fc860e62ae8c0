#include "model/trace_summary.h"

#include <cstdint>

#include <fmt/format.h>

#include "base/saturating.h"

namespace gcpilot {
namespace {

// "4.1 ms" (three significant digits; "0.812 ms" below a millisecond), "1.2 s".
std::string ShortDuration(int64_t ns) {
  if (ns < 1'000'000'000) return fmt::format("{:.3g} ms", static_cast<double>(ns) / 1e6);
  return fmt::format("{:.1f} s", static_cast<double>(ns) / 1e9);
}

// Whole percent of `part` in `whole` (> 0), rounded half up.
int64_t Percent(int64_t part, int64_t whole) { return (200 * part + whole) / (2 * whole); }

}  // namespace

int64_t RequestWallNs(const RequestTimeSplit& s) {
  int64_t wall = 0;
  for (int64_t part : {s.running_ns, s.assist_ns, s.runnable_ns, s.stw_ns, s.blocked_ns, s.syscall_ns}) {
    wall = SaturatingAdd(wall, part);  // a corrupt trace's parts can sum past INT64_MAX
  }
  return wall;
}

const char* TraceAttributionUnitName(TraceAttribution::Unit unit) {
  return unit == TraceAttribution::Unit::kTask ? "task" : "goroutine";
}

std::string PercentileLabel(double percentile) { return fmt::format("P{:g}", percentile); }

std::string TraceAttributionSentence(const TraceAttribution& a) {
  const char* noun = a.unit == TraceAttribution::Unit::kTask ? "requests" : "goroutines";
  const std::string p = PercentileLabel(a.slow_percentile);
  if (a.requests == 0) return fmt::format("No {} completed within the trace.", noun);
  if (a.slow == 0) {
    return fmt::format("None of the {} {} was above the {} ({}).", a.requests, noun, p, ShortDuration(a.threshold_ns));
  }
  const char* slow_noun = a.slow > 1 ? noun : a.unit == TraceAttribution::Unit::kTask ? "request" : "goroutine";
  return fmt::format(
      "Of the {} {} above the {} ({}), {}% overlapped a GC stop-the-world, {}% did mark-assist work, {}% waited "
      "runnable during mark.",
      a.slow, slow_noun, p, ShortDuration(a.threshold_ns), Percent(a.slow_met_stw, a.slow),
      Percent(a.slow_assisted, a.slow), Percent(a.slow_runnable_in_mark, a.slow));
}

}  // namespace gcpilot
