// One run of a study: start the target with one setting, wait until it is
// ready, drive the load, stop it, and collect what happened (latency, GC
// cycles from its gctrace, peak RSS and CPU from the kernel). A target that
// crashes, is killed, or never gets ready yields a failed run with the
// reason, never an exception or a hang.
#ifndef GCPILOT_TUNE_TRIAL_H_
#define GCPILOT_TUNE_TRIAL_H_

#include <functional>
#include <string>

#include "model/run_result.h"
#include "store/study_store.h"
#include "tune/spec.h"

namespace gcpilot {

struct TrialOutcome {
  RunResult result;  // status done or failed, with its metrics
  RunData data;      // histograms, timeline, request log, every GC cycle logged
};

// Status lines ("starting", "ready after 1.2 s", "load 3/13 s") for progress.
using TrialStatusFn = std::function<void(const std::string&)>;

// Runs `run` (its env holds the factor settings; "" means unset) and keeps
// the target's stderr in `work_dir`/run-SEQ.stderr. The GC timeline is
// aligned to the load clock (see GcTimeline): its origin is the monotonic
// time the target's exec had succeeded, its error the time the spawn took
// plus 1 ms for the Go runtime to start its clock and 1 ms for the rounding
// of gctrace's times.
TrialOutcome RunTrial(const StudySpec& spec, RunResult run, const std::string& work_dir,
                      const TrialStatusFn& status = nullptr);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_TRIAL_H_
