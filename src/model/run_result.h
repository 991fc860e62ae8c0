// RunResult: one run of a study's target at one setting, planned or
// finished, with what it measured. Times in nanoseconds, sizes in bytes.
// The store keeps every field; the analysis reads nothing else.
#ifndef GCPILOT_MODEL_RUN_RESULT_H_
#define GCPILOT_MODEL_RUN_RESULT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gcpilot {

enum class RunStatus : uint8_t { kPending, kDone, kFailed };

// Why a run is in the study: the rounds of a study, in the order they run.
enum class RunPhase : uint8_t {
  kDesign,    // a cell of the designed array
  kBaseline,  // the default setting (every factor at its baseline)
  kConfirm,   // the best level of every factor together, when untried
  kRefine,    // midpoints of numeric knobs around the best setting
  kVerify,    // fresh runs of the recommended setting and the default
};
inline constexpr RunPhase kRunPhases[] = {RunPhase::kDesign, RunPhase::kBaseline, RunPhase::kConfirm, RunPhase::kRefine,
                                          RunPhase::kVerify};

// Stable names (stored in the database, shown in tables): "pending", ...;
// "design", "baseline", "confirm", "refine", "verify".
inline const char* RunStatusName(RunStatus s) {
  switch (s) {
    case RunStatus::kPending:
      return "pending";
    case RunStatus::kDone:
      return "done";
    case RunStatus::kFailed:
      return "failed";
  }
  return "unknown";
}
inline const char* RunPhaseName(RunPhase p) {
  switch (p) {
    case RunPhase::kDesign:
      return "design";
    case RunPhase::kBaseline:
      return "baseline";
    case RunPhase::kConfirm:
      return "confirm";
    case RunPhase::kRefine:
      return "refine";
    case RunPhase::kVerify:
      return "verify";
  }
  return "unknown";
}
inline std::optional<RunStatus> ParseRunStatus(std::string_view s) {
  for (RunStatus v : {RunStatus::kPending, RunStatus::kDone, RunStatus::kFailed}) {
    if (s == RunStatusName(v)) return v;
  }
  return std::nullopt;
}
inline std::optional<RunPhase> ParseRunPhase(std::string_view s) {
  for (RunPhase v : kRunPhases) {
    if (s == RunPhaseName(v)) return v;
  }
  return std::nullopt;
}

// What a finished run measured over its measured window.
struct RunMetrics {
  // Load (corrected latency: from when each request was due).
  double asked_rps = 0, achieved_rps = 0;
  int64_t responses = 0, errors = 0;
  double error_rate = 0;  // errors / requests due
  int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0, mean_ns = 0;
  int64_t p99_uncorrected_ns = 0;
  // The target process, from the kernel.
  int64_t peak_rss_bytes = 0;
  int64_t cpu_ns = 0;
  // The GC, from the target's gctrace, over the measured window.
  int64_t gc_cycles = 0;
  double gc_cpu_share = 0, gc_wall_share = 0, assist_share = 0;
  int64_t stw_p99_ns = 0, stw_max_ns = 0;
  int64_t heap_live_p50_bytes = 0;
  // The most heap at any mark termination of the window's cycles (what
  // gctrace calls the heap at the end of marking: the cycle's peak).
  int64_t heap_peak_bytes = 0;
  // The measured window (see gc_attribution.h): its length, the whole GC
  // periods it spans, and whether it is whole periods (false: the bound
  // ran out first, or the study asked for a fixed window).
  int64_t window_ns = 0;
  int64_t gc_periods = 0;
  bool whole_periods = false;
  // The latency figures above (p50 .. mean) are the steady-state estimate,
  // not the window's own: the window held too few periods. The estimate's
  // inputs are in the run's RunAttribution.
  bool latency_estimated = false;
  // The live heap's trend over the window, and when it reaches the run's
  // GOMEMLIMIT (-1: not within the study's horizon, or no limit).
  double live_heap_slope_bytes_per_sec = 0;
  int64_t limit_reached_in_ns = -1;
  bool operator==(const RunMetrics&) const = default;
};

struct RunResult {
  // A factor's level index where its value is not one of the levels (a
  // baseline outside them, a refinement midpoint).
  static constexpr int kNotALevel = -1;

  int64_t id = 0;  // the store's id; 0 before it is stored
  int seq = 0;     // execution order within the study, from 0
  RunPhase phase = RunPhase::kDesign;
  std::optional<int> design_cell;  // the design's cell index (design runs only)
  int repeat = 0;
  std::vector<int> levels;                 // level index per factor, or kNotALevel
  std::map<std::string, std::string> env;  // the factor settings as set ("" = unset)
  RunStatus status = RunStatus::kPending;
  std::string reason;  // why it failed
  int64_t started_unix_ns = 0, finished_unix_ns = 0;
  std::string exit;    // "exit 0", "killed by SIGKILL", ... ("" until it ran)
  RunMetrics metrics;  // done runs (a failed run keeps what it measured)

  bool done() const { return status == RunStatus::kDone; }
  bool operator==(const RunResult&) const = default;
};

// One second of a run's measured phase, by completion time.
struct LoadSecond {
  int64_t second = 0;  // 0-based from the end of the warm-up
  double asked_rps = 0;
  int64_t sent = 0, responses = 0, errors = 0;
  int64_t p50_corrected_ns = 0, p99_corrected_ns = 0, p99_uncorrected_ns = 0, max_corrected_ns = 0;
  bool operator==(const LoadSecond&) const = default;
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_RUN_RESULT_H_
