// A whole study: plan the runs (design cells x repeats, plus the default
// setting), store the plan, run what is pending (so --resume continues a
// killed study where it stopped), then the rounds of rounds.h
// (confirmation, refinement, verification), and analyze. The study is
// loaded once and kept in memory as runs land.
#ifndef GCPILOT_TUNE_STUDY_H_
#define GCPILOT_TUNE_STUDY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/study_analysis.h"
#include "store/study_store.h"
#include "tune/design.h"
#include "tune/spec.h"

namespace gcpilot {

// The runs of a study before any is made: every design cell `repeats`
// times and the default setting (each factor at its baseline) `repeats`
// times, in an order shuffled with spec.seed (so slow drift of the machine
// does not line up with a factor). Deterministic for a given spec.
std::vector<RunResult> PlanStudy(const StudySpec& spec, const Design& design);

// The design cell (index) that is the default setting (each factor at its
// baseline), if the design has one: its runs and the baseline runs are
// then the same setting, and the default has 2 x repeats runs.
std::optional<int> DefaultSettingCell(const StudySpec& spec, const Design& design);

struct StudyEvents {
  std::function<void(const std::string&)> status;      // progress line
  std::function<void(const RunResult&)> run_finished;  // after it is stored
};

struct StudyOutcome {
  int64_t id = 0;
  StudySpec spec;
  std::string design;
  std::vector<RunResult> runs;  // by seq
  StudyAnalysis analysis;
  int runs_this_session = 0;
};

// Starts a new study of `spec` in `store`, or, with `resume`, continues
// the newest unfinished one (its stored spec is used). Target output goes
// to `work_dir`. Errors: bad design (before anything is stored), storage.
[[nodiscard]] StatusOr<StudyOutcome> RunStudy(StudyStore& store, const StudySpec& spec, bool resume,
                                              const std::string& work_dir, const StudyEvents& events);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_STUDY_H_
