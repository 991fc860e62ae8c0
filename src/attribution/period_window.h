// PeriodWatch: decides, as a run goes on, when its measured window holds
// whole GC periods. A GC period is the time from one cycle's start to the
// next one's; a latency figure over whole periods weighs the time in GC
// and out of it as the service lives them, where a fixed window cut
// mid-period over- or under-counts the cycle it cut.
//
// The watch is fed each cycle's start on the load clock, in order, while
// the load runs. It is complete once the starts since the first one at or
// after `from_ns` (the warm-up's end) span at least `min_periods` periods
// and at least `floor_ns`; the window is then [that first start, the start
// that completed it). Until then (and for good when the bound runs out
// first) the window is the whole bound from `from_ns`.
#ifndef GCPILOT_ATTRIBUTION_PERIOD_WINDOW_H_
#define GCPILOT_ATTRIBUTION_PERIOD_WINDOW_H_

#include <cstdint>
#include <vector>

#include "model/gc_attribution.h"

namespace gcpilot {

class PeriodWatch {
 public:
  // `from_ns`: load clock, the earliest a window may start. `floor_ns` >= 0:
  // the shortest window. `min_periods` >= 0: the whole periods asked for;
  // 0 asks for none, and the watch never completes (the fixed window).
  PeriodWatch(int64_t from_ns, int64_t floor_ns, int64_t min_periods);

  // One cycle's start, load clock, no earlier than the previous one's.
  // Starts before from_ns, and every start after completion, are ignored.
  void AddCycleStart(int64_t start_ns);

  bool complete() const { return complete_; }
  // Whole periods between the starts kept so far (0 before two starts).
  int64_t periods() const { return starts_.size() < 2 ? 0 : static_cast<int64_t>(starts_.size()) - 1; }

  // The measured window. Complete: [first start, completing start), its
  // periods, whole_periods true. Otherwise [from_ns, bound_end_ns) with
  // the whole periods inside it (those ending by bound_end_ns),
  // whole_periods false. min_periods is the one asked for either way.
  MeasuredWindow Window(int64_t bound_end_ns) const;

  // When the watch should complete (load clock) if the periods keep their
  // mean length so far; the completing start once complete; -1 before two
  // starts, or when min_periods is 0.
  int64_t ExpectedCompleteNs() const;

 private:
  int64_t from_ns_, floor_ns_, min_periods_;
  std::vector<int64_t> starts_;  // kept starts, from the first one >= from_ns
  bool complete_ = false;
};

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_PERIOD_WINDOW_H_
