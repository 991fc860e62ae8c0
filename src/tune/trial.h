// One run of a study: start the target with one setting, wait until it is
// ready, drive the load, stop it, and collect what happened (latency, GC
// cycles from its gctrace, peak RSS and CPU from the kernel). A target that
// crashes, is killed, or never gets ready yields a failed run with the
// reason, never an exception or a hang.
#ifndef GCPILOT_TUNE_TRIAL_H_
#define GCPILOT_TUNE_TRIAL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/engine.h"
#include "model/gc_cycle.h"
#include "store/study_store.h"
#include "tune/spec.h"

namespace gcpilot {

struct TrialOutcome {
  RunRecord record;  // status "done" or "failed", with results filled in
  std::optional<LoadResult> load;
  std::vector<GcCycle> cycles;  // every cycle the target logged
};

// Status lines ("starting", "ready after 1.2 s", "load 3/13 s") for progress.
using TrialStatusFn = std::function<void(const std::string&)>;

// Runs `run` (its env holds the factor settings; "" means unset) and keeps
// the target's stderr in `work_dir`/run-SEQ.stderr.
TrialOutcome RunTrial(const StudySpec& spec, RunRecord run, const std::string& work_dir,
                      const TrialStatusFn& status = nullptr);

// A free TCP port on 127.0.0.1 (bound and released; the kernel does not
// hand it out again at once).
StatusOr<int> PickFreePort();

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_TRIAL_H_
