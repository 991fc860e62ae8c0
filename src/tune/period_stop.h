// GcPeriodStop: ends a trial's load once its measured window holds whole
// GC periods. It follows the target's stderr (GctraceFollower) from the
// load's stop predicate, moves each cycle's start onto the load clock with
// the run's GcTimeline origin, and feeds a PeriodWatch that starts at the
// warm-up's end. Everything runs on the load engine's thread.
#ifndef GCPILOT_TUNE_PERIOD_STOP_H_
#define GCPILOT_TUNE_PERIOD_STOP_H_

#include <cstdint>
#include <optional>
#include <string>

#include "attribution/period_window.h"
#include "gclog/gctrace_follow.h"
#include "model/gc_attribution.h"

namespace gcpilot {

class GcPeriodStop {
 public:
  // `floor_ns`: the shortest window (the study's duration); `bound_ns`:
  // the most load after the warm-up (max_duration); `origin_ns`: the load
  // clock at the target's process time 0.
  GcPeriodStop(std::string stderr_path, int64_t origin_ns, int64_t floor_ns, int64_t bound_ns, int64_t min_periods);

  // The warm-up's end (load clock); before it nothing is measured.
  void Start(int64_t measured_start_ns);
  // Reads the target's new gctrace lines; true once the window is complete.
  // A stderr that cannot be followed (it shrank) stops the watch: the run
  // then measures its whole bound.
  bool Poll(int64_t now_ns);

  // "2/3 GC periods, ~9 s left"; before two cycles "waiting for the first
  // GC cycles, at most 157 s left".
  std::string Status(int64_t now_ns) const;
  // The window once the load ended at `measured_end_ns` (see PeriodWatch).
  MeasuredWindow Window(int64_t measured_end_ns) const;

 private:
  void Add(const GcCycle& c);

  GctraceFollower follower_;
  int64_t origin_ns_, floor_ns_, bound_ns_, min_periods_;
  int64_t bound_end_ns_ = 0;
  std::optional<PeriodWatch> watch_;
  int64_t last_number_ = -1;  // the last cycle number fed to the watch
  bool following_ = true;
};

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_PERIOD_STOP_H_
