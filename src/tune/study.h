// A whole study: plan the runs (design cells x repeats, plus the default
// setting), store the plan, run what is pending (so --resume continues a
// killed study where it stopped), add confirmation runs for the predicted
// best setting when the design never tried it, and analyze.
#ifndef GCPILOT_TUNE_STUDY_H_
#define GCPILOT_TUNE_STUDY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/study_store.h"
#include "tune/analysis.h"
#include "tune/design.h"
#include "tune/spec.h"

namespace gcpilot {

// The runs of a study before any is made: every design cell `repeats`
// times and the default setting (each factor at its baseline) `repeats`
// times, in an order shuffled with spec.seed (so slow drift of the machine
// does not line up with a factor). Deterministic for a given spec.
std::vector<RunRecord> PlanStudy(const StudySpec& spec, const Design& design);

// The refinement values of factor `f` around its `best` value: midpoints
// to the nearest lower and higher numeric levels ("400" between "100" and
// "800" gives "250" and "600"; GOMEMLIMIT in MiB). Empty for "off", unset
// or non-numeric values.
std::vector<std::string> NeighbourMidpoints(const Factor& f, const std::string& best);

struct StudyEvents {
  std::function<void(const std::string&)> status;     // progress line
  std::function<void(const RunRecord&)> run_finished;  // after it is stored
};

struct StudyOutcome {
  int64_t id = 0;
  StudySpec spec;
  std::string design;
  std::vector<RunRecord> runs;
  StudyAnalysis analysis;
  int runs_this_session = 0;
};

// Starts a new study of `spec` in `store`, or, with `resume`, continues
// the newest unfinished one (its stored spec is used). Target output goes
// to `work_dir`. Errors: bad design (before anything is stored), storage.
StatusOr<StudyOutcome> RunStudy(StudyStore& store, const StudySpec& spec, bool resume,
                                const std::string& work_dir, const StudyEvents& events);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_STUDY_H_
