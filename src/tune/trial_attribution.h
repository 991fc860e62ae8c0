// A finished run's requests joined to its GC (the attribution stage), and
// what that changes in its figures: where the window could not cover the
// GC periods asked for, its latency figures become the steady-state
// estimate (marked latency_estimated; the inputs stay in the attribution);
// the live heap's trend and when it reaches the run's GOMEMLIMIT.
#ifndef GCPILOT_TUNE_TRIAL_ATTRIBUTION_H_
#define GCPILOT_TUNE_TRIAL_ATTRIBUTION_H_

#include <cstdint>

#include "model/gc_attribution.h"
#include "model/run_result.h"
#include "store/study_store.h"
#include "tune/spec.h"

namespace gcpilot {

// The GOMEMLIMIT the run's target had, in bytes: its setting, else the
// spec's [target] env (which holds inherited knobs too); -1 for none or off.
int64_t RunMemLimitBytes(const StudySpec& spec, const RunResult& run);

// Fills data->attribution over `window` (data->requests and data->gc as the
// run recorded them) and the metrics it decides: the estimate in place of
// the window's latency figures when whole periods were asked for and not
// covered, the heap slope and the time to the limit.
void AttributeTrial(const StudySpec& spec, const MeasuredWindow& window, RunResult* run, RunData* data);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_TRIAL_ATTRIBUTION_H_
