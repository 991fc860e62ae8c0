// StudyOutline: the part of a study that its analysis and its report read:
// what it varies (factors and their levels), how a setting is judged (the
// objective and the constraints) and how it was described. The tune
// stage's StudySpec extends it with how to run the target and the load;
// nothing below tune needs those.
#ifndef GCPILOT_MODEL_STUDY_OUTLINE_H_
#define GCPILOT_MODEL_STUDY_OUTLINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/run_result.h"

namespace gcpilot {

struct Factor {
  std::string name;                 // an environment variable (GOGC, ..., or an app switch)
  std::vector<std::string> levels;  // values; "" means unset
  std::string baseline;             // the default setting's value ("" = unset)
  bool operator==(const Factor&) const = default;
};

// What a study minimizes: a percentile of corrected latency, its max or mean.
enum class Objective : uint8_t { kP50, kP90, kP99, kP999, kMax, kMean };
inline constexpr Objective kObjectives[] = {Objective::kP50,  Objective::kP90, Objective::kP99,
                                            Objective::kP999, Objective::kMax, Objective::kMean};
// The spec's word ("p50", ..., "p999", "max", "mean").
inline const char* ObjectiveKey(Objective o) {
  static constexpr const char* kKeys[] = {"p50", "p90", "p99", "p999", "max", "mean"};
  return kKeys[static_cast<int>(o)];
}
// How people read it ("p99.9" for p999).
inline const char* ObjectiveLabel(Objective o) { return o == Objective::kP999 ? "p99.9" : ObjectiveKey(o); }
inline std::optional<Objective> ParseObjective(std::string_view key) {
  for (Objective o : kObjectives) {
    if (key == ObjectiveKey(o)) return o;
  }
  return std::nullopt;
}
// "p50, p90, p99, p999, max or mean", for error messages.
inline constexpr const char* kObjectiveChoices = "p50, p90, p99, p999, max or mean";
// The objective's value of a run, in nanoseconds.
inline int64_t ObjectiveNs(const RunMetrics& m, Objective o) {
  switch (o) {
    case Objective::kP50:
      return m.p50_ns;
    case Objective::kP90:
      return m.p90_ns;
    case Objective::kP99:
      return m.p99_ns;
    case Objective::kP999:
      return m.p999_ns;
    case Objective::kMax:
      return m.max_ns;
    case Objective::kMean:
      return m.mean_ns;
  }
  return m.p99_ns;
}

struct StudyOutline {
  std::string source;         // the spec's path, "command line" or "built-in (workloads/paygate)"
  std::string rate = "1000";  // the load schedule as written (see gcpilot load)
  int repeats = 2;            // runs per setting in the design
  std::vector<Factor> factors;
  Objective objective = Objective::kP99;
  int64_t max_peak_rss = 0;  // bytes; 0 = no budget
  double max_error_rate = 0.01;
  // Mean GC cycles a setting's measured windows must hold (0: no such
  // constraint); a window without a collection says nothing of its GC cost.
  double min_gc_cycles = 0;
  // The measured window (see gc_attribution.h): at least this many whole
  // GC periods (0: a fixed window of the duration after the warm-up), for
  // at most max_duration_ns of load after the warm-up. A rate that sets
  // its own length (steps, ramps) keeps the fixed window.
  int64_t min_gc_periods = 3;
  int64_t max_duration_ns = 180'000'000'000;
  // How far ahead the live heap's trend is extrapolated (HeapTrend).
  int64_t heap_horizon_ns = 3'600'000'000'000;
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_STUDY_OUTLINE_H_
