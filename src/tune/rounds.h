// The rounds a study adds after its design, each a small planner: given
// the spec, the runs so far and their analysis, it returns the settings to
// run next (or nothing). The driver (study.cc) runs them in kRounds order;
// a round that already ran (its phase is among the runs, e.g. after
// --resume) plans nothing, so a resumed study never repeats one.
#ifndef GCPILOT_TUNE_ROUNDS_H_
#define GCPILOT_TUNE_ROUNDS_H_

#include <optional>
#include <string>
#include <vector>

#include "analysis/study_analysis.h"
#include "model/run_result.h"
#include "tune/design.h"
#include "tune/spec.h"

namespace gcpilot {

struct RoundPlan {
  RunPhase phase = RunPhase::kConfirm;
  int repeats = 1;            // runs of each setting, repeat-major
  std::vector<Env> settings;  // in the order they alternate
  std::string message;        // what the round is for, for progress
};

using RoundPlanner = std::optional<RoundPlan> (*)(const StudySpec& spec, const std::vector<RunResult>& runs,
                                                  const StudyAnalysis& analysis);

// Confirmation: the best level of every factor together, when the design
// never tried it (spec.confirm).
std::optional<RoundPlan> PlanConfirmation(const StudySpec& spec, const std::vector<RunResult>& runs,
                                          const StudyAnalysis& analysis);
// Refinement: one factor at a time, the midpoints between the best
// setting's value and its neighbouring levels (numeric knobs; spec.refine).
std::optional<RoundPlan> PlanRefinement(const StudySpec& spec, const std::vector<RunResult>& runs,
                                        const StudyAnalysis& analysis);
// Verification: spec.verify more runs each of the recommended setting and
// the default, alternating, for a verdict on fresh runs.
std::optional<RoundPlan> PlanVerification(const StudySpec& spec, const std::vector<RunResult>& runs,
                                          const StudyAnalysis& analysis);

inline constexpr RoundPlanner kRounds[] = {PlanConfirmation, PlanRefinement, PlanVerification};

// The refinement values of factor `f` around its `best` value: midpoints
// to the nearest lower and higher numeric levels ("400" between "100" and
// "800" gives "250" and "600"; GOMEMLIMIT in whole MiB). Empty for "off",
// unset or non-numeric values.
std::vector<std::string> NeighbourMidpoints(const Factor& f, const std::string& best);

// Each factor's level index in `env`, RunResult::kNotALevel where its value
// is not one of the levels.
std::vector<int> LevelsOf(const StudySpec& spec, const Env& env);

// The most runs each round can add to a study of `spec` on `design`, for
// the plan: confirmation only when the design leaves settings untried,
// refinement only for numeric levels with a neighbour, verification 2 x
// spec.verify (none when the default wins).
struct RoundRunBounds {
  int confirm = 0, refine = 0, verify = 0;
};
RoundRunBounds MaxRoundRuns(const StudySpec& spec, const Design& design);

// The runs of `plan`, numbered from `first_seq`.
std::vector<RunResult> RoundRuns(const StudySpec& spec, const RoundPlan& plan, int first_seq);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_ROUNDS_H_
